-- A synthetic msgstore.db in WhatsApp for Android's modern schema (2021+),
-- written for chatferry's tests. Tables keep the real names and the
-- columns chatferry reads; times are Unix milliseconds.
CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT);
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL,
    agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT);
CREATE TABLE jid_map (lid_row_id INTEGER PRIMARY KEY, jid_row_id INTEGER, sort_id INTEGER);
CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER UNIQUE, hidden INTEGER,
    subject TEXT, created_timestamp INTEGER, archived INTEGER, sort_timestamp INTEGER);
CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL,
    from_me INTEGER NOT NULL, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, status INTEGER,
    broadcast INTEGER, recipient_count INTEGER, timestamp INTEGER, received_timestamp INTEGER,
    message_type INTEGER, text_data TEXT, starred INTEGER, lookup_tables INTEGER,
    sort_id INTEGER NOT NULL DEFAULT 0, message_add_on_flags INTEGER);
CREATE INDEX message_chat_sort_id_index ON message (chat_row_id, sort_id);
CREATE UNIQUE INDEX message_key_index ON message (chat_row_id, from_me, key_id, sender_jid_row_id);
CREATE INDEX message_type_chat_index ON message (chat_row_id, message_type);
CREATE TABLE message_media (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, file_path TEXT,
    file_size INTEGER, mime_type TEXT, media_name TEXT, media_caption TEXT, width INTEGER,
    height INTEGER, media_duration INTEGER);
CREATE TABLE message_quoted (message_row_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL,
    parent_message_chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, sender_jid_row_id INTEGER,
    key_id TEXT NOT NULL, timestamp INTEGER, message_type INTEGER, text_data TEXT);
CREATE TABLE message_add_on (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER, from_me INTEGER,
    key_id TEXT NOT NULL, sender_jid_row_id INTEGER, parent_message_row_id INTEGER, timestamp INTEGER,
    status INTEGER, message_add_on_type INTEGER);
CREATE INDEX message_add_on_parent_message_row_id_index ON message_add_on (parent_message_row_id);
CREATE UNIQUE INDEX message_add_on_key_index ON message_add_on (chat_row_id, from_me, key_id, sender_jid_row_id);
CREATE TABLE message_add_on_reaction (message_add_on_row_id INTEGER PRIMARY KEY, reaction TEXT, sender_timestamp INTEGER);
CREATE TABLE message_add_on_poll_vote (message_add_on_row_id INTEGER PRIMARY KEY, sender_timestamp INTEGER);
CREATE TABLE message_add_on_poll_vote_selected_option (_id INTEGER PRIMARY KEY, message_add_on_row_id INTEGER,
    message_poll_option_id INTEGER);
CREATE TABLE message_poll (message_row_id INTEGER PRIMARY KEY, selectable_options_count INTEGER);
CREATE TABLE message_poll_option (_id INTEGER PRIMARY KEY, message_row_id INTEGER, option_name TEXT, vote_total INTEGER);
CREATE TABLE message_system (message_row_id INTEGER PRIMARY KEY, action_type INTEGER NOT NULL);
CREATE TABLE message_system_group (message_row_id INTEGER PRIMARY KEY, is_me_joined INTEGER);
CREATE TABLE message_system_chat_participant (message_row_id INTEGER, user_jid_row_id INTEGER);
CREATE INDEX message_system_chat_participant_index ON message_system_chat_participant (message_row_id);
CREATE TABLE message_system_block_contact (message_row_id INTEGER PRIMARY KEY, is_blocked INTEGER);
CREATE TABLE message_revoked (message_row_id INTEGER PRIMARY KEY, revoked_key_id TEXT NOT NULL,
    admin_jid_row_id INTEGER, revoke_timestamp INTEGER);
CREATE TABLE message_edit_info (message_row_id INTEGER PRIMARY KEY, original_key_id TEXT NOT NULL,
    edited_timestamp INTEGER NOT NULL, sender_timestamp INTEGER NOT NULL);
CREATE TABLE message_forwarded (message_row_id INTEGER PRIMARY KEY, forward_score INTEGER);
CREATE TABLE message_location (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, latitude REAL,
    longitude REAL, place_name TEXT, place_address TEXT, url TEXT, live_location_share_duration INTEGER);
CREATE TABLE message_vcard (_id INTEGER PRIMARY KEY AUTOINCREMENT, message_row_id INTEGER, vcard TEXT);
CREATE TABLE message_association (_id INTEGER PRIMARY KEY AUTOINCREMENT, child_message_row_id INTEGER NOT NULL,
    parent_message_row_id INTEGER NOT NULL, association_type INTEGER NOT NULL);
CREATE TABLE group_participant_user (_id INTEGER PRIMARY KEY AUTOINCREMENT, group_jid_row_id INTEGER,
    user_jid_row_id INTEGER, rank INTEGER, pending INTEGER);
CREATE TABLE call_log (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER, from_me INTEGER, call_id TEXT,
    transaction_id INTEGER, timestamp INTEGER, video_call INTEGER, duration INTEGER, call_result INTEGER,
    bytes_transferred INTEGER, group_jid_row_id INTEGER NOT NULL DEFAULT 0);

INSERT INTO props (key, value) VALUES ('user_push_name', 'Olivia Owner');

INSERT INTO jid VALUES (1, '-1', 's.whatsapp.net', 0, 0, 0, NULL);
INSERT INTO jid VALUES (10, '4915112345678', 's.whatsapp.net', 0, 0, 0, '4915112345678@s.whatsapp.net');  -- Anna
INSERT INTO jid VALUES (11, '4915187654321', 's.whatsapp.net', 0, 0, 0, '4915187654321@s.whatsapp.net');  -- Ben
INSERT INTO jid VALUES (12, '447700900123', 's.whatsapp.net', 0, 0, 0, '447700900123@s.whatsapp.net');    -- Carla
INSERT INTO jid VALUES (13, '123456789012345', 'lid', 0, 0, 0, '123456789012345@lid');                     -- Ben's @lid
INSERT INTO jid VALUES (14, '4917600000001', 's.whatsapp.net', 0, 0, 0, '4917600000001@s.whatsapp.net');  -- the owner
INSERT INTO jid VALUES (15, '4915100000009', 's.whatsapp.net', 0, 0, 0, '4915100000009@s.whatsapp.net');  -- Dora, silent member
INSERT INTO jid VALUES (20, '120363000000000001', 'g.us', 0, 0, 1, '120363000000000001@g.us');
INSERT INTO jid VALUES (21, 'status', 'broadcast', 0, 0, 5, 'status@broadcast');
INSERT INTO jid_map VALUES (13, 11, 1);

INSERT INTO chat VALUES (1, 12, 0, NULL, 1709280000000, 0, 1709290000000);
INSERT INTO chat VALUES (2, 20, 0, 'Holiday 2025', 1709300000000, 0, 1709400000000);
INSERT INTO chat VALUES (3, 21, 1, NULL, 1709280000000, 0, 1709280000000);

-- The placeholder row every msgstore.db has.
INSERT INTO message (_id, chat_row_id, from_me, key_id, sort_id) VALUES (1, -1, 0, '-1', 0);

-- Direct chat with Carla (chat 1).
INSERT INTO message VALUES (99, 1, 0, 'E2E', 0, 6, 0, 0, 1709280000000, 0, 7, NULL, 0, 0, 99, 0);
INSERT INTO message_system VALUES (99, 19);
INSERT INTO message VALUES (100, 1, 0, 'C100', 0, 0, 0, 0, 1709280960000, 1709280961000, 0, 'Hi Olivia! 👋 Are we still on for Friday?', 0, 0, 100, 0);
INSERT INTO message VALUES (101, 1, 1, 'O101', 0, 13, 0, 0, 1709281020000, 0, 0, 'Yes!
Leaving at 7:30.', 0, 0, 101, 0);
INSERT INTO message_quoted VALUES (101, 1, 1, 0, 0, 'C100', 1709280960000, 0, 'Hi Olivia! 👋 Are we still on for Friday?');
INSERT INTO message VALUES (102, 1, 0, 'C102', 0, 0, 0, 0, 1709281260000, 0, 1, 'The beach', 0, 0, 102, 0);
INSERT INTO message_media VALUES (102, 1, 'Media/WhatsApp Images/IMG-20240301-WA0001.png', 193, 'image/png', NULL, NULL, 48, 32, 0);
INSERT INTO message VALUES (103, 1, 1, 'O103', 0, 13, 0, 0, 1709281300000, 0, 2, NULL, 0, 0, 103, 0);
INSERT INTO message_media VALUES (103, 1, 'Media/WhatsApp Voice Notes/202409/PTT-20240301-WA0002.opus', 5120, 'audio/ogg; codecs=opus', NULL, NULL, 0, 0, 4);
INSERT INTO message VALUES (104, 1, 0, 'C104', 0, 0, 0, 0, 1709281400000, 0, 9, NULL, 0, 0, 104, 0);
INSERT INTO message_media VALUES (104, 1, '/storage/emulated/0/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Documents/Itinerary.pdf', 250, 'application/pdf', 'Itinerary.pdf', NULL, 0, 0, 0);
INSERT INTO message VALUES (105, 1, 1, 'O105', 0, 13, 0, 0, 1709281500000, 0, 5, NULL, 0, 0, 105, 0);
INSERT INTO message_location VALUES (105, 1, 51.50214569326172, -0.12739796972656, 'Trafalgar Square', 'London WC2N 5DN', 'https://maps.google.com/?q=51.50214569326172,-0.12739796972656', 0);
INSERT INTO message VALUES (106, 1, 0, 'C106', 0, 0, 0, 0, 1709281600000, 0, 4, 'Dan Example', 0, 0, 106, 0);
INSERT INTO message_vcard VALUES (1, 106, 'BEGIN:VCARD
VERSION:3.0
N:Example;Dan;;;
FN:Dan Example
item1.TEL;waid=447700900456:+44 7700 900456
item1.X-ABLabel:Mobile
END:VCARD');
INSERT INTO message_vcard VALUES (2, 106, 'BEGIN:VCARD
VERSION:3.0
N:Sample;Eve;;;
TEL;TYPE=CELL:+44 7700 900789
END:VCARD');
INSERT INTO message VALUES (107, 1, 0, 'C107NEW', 0, 0, 0, 0, 1709281700000, 0, 15, NULL, 0, 0, 107, 0);
INSERT INTO message_revoked VALUES (107, 'C107', NULL, 1709281710000);
INSERT INTO message VALUES (108, 1, 1, 'O108', 0, 13, 0, 0, 1709281800000, 0, 0, 'See you at the station', 0, 0, 108, 0);
INSERT INTO message_edit_info VALUES (108, 'O108', 1709281860000, 1709281860000);
INSERT INTO message VALUES (109, 1, 1, 'O109', 0, 13, 0, 0, 1709281900000, 0, 0, 'What did you delete?', 0, 0, 109, 0);
INSERT INTO message_quoted VALUES (109, 1, 1, 0, 0, 'C107', 1709281700000, 0, 'Oops, wrong chat');
INSERT INTO message VALUES (110, 1, 0, 'C110', 0, 0, 0, 0, 1709282000000, 0, 20, NULL, 0, 0, 110, 0);
INSERT INTO message_media VALUES (110, 1, 'Media/WhatsApp Stickers/STK-20240301-WA0003.webp', 120, 'image/webp', NULL, NULL, 512, 512, 0);
INSERT INTO message VALUES (111, 1, 0, 'C111', 0, 0, 0, 0, 1709282100000, 0, 42, NULL, 0, 0, 111, 0);
INSERT INTO message VALUES (112, 1, 0, 'C112', 0, 0, 0, 0, 1709282200000, 0, 0, 'Look at this: https://example.org/', 0, 0, 112, 0);
INSERT INTO message_forwarded VALUES (112, 1);
INSERT INTO message VALUES (113, 1, 0, 'C113', 0, 0, 0, 0, 1709282400000, 0, 10, NULL, 0, 0, 113, 0);
INSERT INTO message VALUES (114, 1, 1, 'O114', 0, 6, 0, 0, 1709282500000, 0, 7, NULL, 0, 0, 114, 0);
INSERT INTO message_system VALUES (114, 58);
INSERT INTO message_system_block_contact VALUES (114, 1);
-- Reactions: Olivia loves the picture; Carla laughs at 101, then changes
-- her mind; Olivia reacts to 100 and takes it back.
INSERT INTO message_add_on VALUES (1, 1, 1, 'R1', 0, 102, 1709281300500, 0, 56);
INSERT INTO message_add_on_reaction VALUES (1, '❤️', 1709281300500);
INSERT INTO message_add_on VALUES (2, 1, 0, 'R2', 12, 101, 1709281030000, 0, 56);
INSERT INTO message_add_on_reaction VALUES (2, '😂', 1709281030000);
INSERT INTO message_add_on VALUES (3, 1, 0, 'R3', 12, 101, 1709281090000, 0, 56);
INSERT INTO message_add_on_reaction VALUES (3, '👍', 1709281090000);
INSERT INTO message_add_on VALUES (4, 1, 1, 'R4', 0, 100, 1709280990000, 0, 56);
INSERT INTO message_add_on_reaction VALUES (4, '🙏', 1709280990000);
INSERT INTO message_add_on VALUES (5, 1, 1, 'R5', 0, 100, 1709280995000, 0, 56);
INSERT INTO message_add_on_reaction VALUES (5, '', 1709280995000);
-- Calls with Carla: a video call she made, a voice call nobody answered.
INSERT INTO call_log VALUES (1, 12, 0, 'CALL1', 0, 1709282300000, 1, 95, 5, 1000, 0);
INSERT INTO call_log VALUES (2, 12, 1, 'CALL2', 0, 1709282450000, 0, 0, 2, 0, 0);

-- Group "Holiday 2025" (chat 2).
INSERT INTO group_participant_user VALUES (1, 20, 10, 2, 0);
INSERT INTO group_participant_user VALUES (2, 20, 14, 0, 0);
INSERT INTO group_participant_user VALUES (3, 20, 15, 0, 0);
INSERT INTO message VALUES (200, 2, 0, 'G200', 10, 6, 0, 0, 1709300000000, 0, 7, 'Holiday 2024', 0, 0, 200, 0);
INSERT INTO message_system VALUES (200, 11);
INSERT INTO message VALUES (201, 2, 0, 'G201', 10, 6, 0, 0, 1709300001000, 0, 7, NULL, 0, 0, 201, 0);
INSERT INTO message_system VALUES (201, 12);
INSERT INTO message_system_group VALUES (201, 1);
INSERT INTO message_system_chat_participant VALUES (201, 14);
INSERT INTO message VALUES (202, 2, 0, 'G202', 10, 6, 0, 0, 1709300002000, 0, 7, NULL, 0, 0, 202, 0);
INSERT INTO message_system VALUES (202, 12);
INSERT INTO message_system_group VALUES (202, 0);
INSERT INTO message_system_chat_participant VALUES (202, 13);
INSERT INTO message_system_chat_participant VALUES (202, 15);
INSERT INTO message VALUES (203, 2, 0, 'G203', 13, 0, 0, 0, 1709300060000, 0, 0, 'Thanks for adding me! Where are we going?', 0, 0, 203, 0);
INSERT INTO message VALUES (204, 2, 0, 'G204', 10, 0, 0, 0, 1709300120000, 0, 46, 'Where shall we go?', 0, 0, 204, 0);
INSERT INTO message_poll VALUES (204, 1);
INSERT INTO message_poll_option VALUES (1, 204, 'Lisbon', 1);
INSERT INTO message_poll_option VALUES (2, 204, 'Porto', 1);
INSERT INTO message_poll_option VALUES (3, 204, 'Faro', 0);
INSERT INTO message_add_on VALUES (10, 2, 0, 'V10', 13, 204, 1709300200000, 0, 66);
INSERT INTO message_add_on_poll_vote VALUES (10, 1709300200000);
INSERT INTO message_add_on_poll_vote_selected_option VALUES (1, 10, 3);
INSERT INTO message_add_on VALUES (11, 2, 0, 'V11', 13, 204, 1709300300000, 0, 66);
INSERT INTO message_add_on_poll_vote VALUES (11, 1709300300000);
INSERT INTO message_add_on_poll_vote_selected_option VALUES (2, 11, 2);
INSERT INTO message_add_on VALUES (12, 2, 1, 'V12', 0, 204, 1709300310000, 0, 66);
INSERT INTO message_add_on_poll_vote VALUES (12, 1709300310000);
INSERT INTO message_add_on_poll_vote_selected_option VALUES (3, 12, 1);
INSERT INTO message VALUES (205, 2, 1, 'G205', 0, 13, 0, 0, 1709300400000, 0, 0, 'Lisbon! I''m in', 0, 0, 205, 0);
-- An album: the container row (type 99) and its two pictures.
INSERT INTO message VALUES (206, 2, 0, 'G206', 10, 0, 0, 0, 1709300500000, 0, 99, NULL, 0, 0, 206, 0);
INSERT INTO message VALUES (207, 2, 0, 'G207', 10, 0, 0, 0, 1709300500000, 0, 1, 'Last year', 0, 0, 207, 0);
INSERT INTO message_media VALUES (207, 2, 'Media/WhatsApp Images/IMG-20240302-WA0004.jpg', 100, 'image/jpeg', NULL, NULL, 640, 480, 0);
INSERT INTO message VALUES (208, 2, 0, 'G208', 10, 0, 0, 0, 1709300500000, 0, 1, NULL, 0, 0, 208, 0);
INSERT INTO message_media VALUES (208, 2, 'Media/WhatsApp Images/IMG-20240302-WA0005.jpg', 100, 'image/jpeg', NULL, NULL, 640, 480, 0);
INSERT INTO message_association VALUES (1, 208, 206, 2);
INSERT INTO message_association VALUES (2, 207, 206, 2);
INSERT INTO message VALUES (209, 2, 0, 'G209', 13, 0, 0, 0, 1709300600000, 0, 0, 'Great pictures', 0, 0, 209, 0);
INSERT INTO message_quoted VALUES (209, 2, 2, 0, 10, 'G206', 1709300500000, 99, NULL);
INSERT INTO message_add_on VALUES (13, 2, 0, 'R13', 13, 207, 1709300610000, 0, 56);
INSERT INTO message_add_on_reaction VALUES (13, '🔥', 1709300610000);
INSERT INTO message VALUES (210, 2, 0, 'G210', 11, 6, 0, 0, 1709300700000, 0, 7, NULL, 0, 0, 210, 0);
INSERT INTO message_system VALUES (210, 5);
INSERT INTO message VALUES (211, 2, 1, 'G211', 0, 6, 0, 0, 1709300800000, 0, 7, 'Holiday 2025', 0, 0, 211, 0);
INSERT INTO message_system VALUES (211, 1);
INSERT INTO message VALUES (212, 2, 0, 'G212', NULL, 0, 0, 0, 1709300900000, 0, 0, 'A message whose sender the database lost', 0, 0, 212, 0);
INSERT INTO message VALUES (213, 2, 0, 'G213', 10, 6, 0, 0, 1709301000000, 0, 36, NULL, 0, 0, 213, 0);
INSERT INTO message VALUES (214, 2, 1, 'G214', 0, 13, 0, 0, 1709301100000, 0, 0, 'Sorted by sort_id, not by row', 0, 0, 204, 0);
-- Anna starts a group video call.
INSERT INTO call_log VALUES (3, 10, 0, 'CALL3', 0, 1709300450000, 1, 600, 5, 5000, 20);

-- A status update: not a conversation, not imported.
INSERT INTO message VALUES (300, 3, 0, 'S300', 10, 0, 0, 0, 1709280000000, 0, 0, 'My status', 0, 0, 300, 0);
