-- A synthetic msgstore.db in WhatsApp for Android's legacy schema (until
-- 2021/22: one messages table keyed by the chat's jid), written for
-- chatferry's tests. Times are Unix milliseconds; media_wa_type is TEXT
-- as in the real table.
CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER,
    key_id TEXT NOT NULL, status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT,
    media_mime_type TEXT, media_wa_type TEXT, media_size INTEGER, media_name TEXT, media_caption TEXT,
    media_hash TEXT, media_duration INTEGER, origin INTEGER, latitude REAL, longitude REAL, thumb_image TEXT,
    remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER, quoted_row_id INTEGER,
    forwarded INTEGER, edit_version INTEGER);
CREATE INDEX messages_jid_id_index ON messages (key_remote_jid, _id);
CREATE UNIQUE INDEX messages_key_index ON messages (key_remote_jid, key_from_me, key_id);
CREATE TABLE messages_quotes (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER,
    key_id TEXT NOT NULL, status INTEGER, data TEXT, timestamp INTEGER, media_wa_type TEXT, media_caption TEXT,
    remote_resource TEXT);
CREATE TABLE chat_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, message_table_id INTEGER,
    subject TEXT, creation INTEGER);
-- The modern tables exist but are empty in databases of the migration era.
CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL,
    key_id TEXT NOT NULL, sender_jid_row_id INTEGER, timestamp INTEGER, message_type INTEGER, text_data TEXT,
    sort_id INTEGER NOT NULL DEFAULT 0);
CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER UNIQUE, subject TEXT);
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, raw_string TEXT);
INSERT INTO message (_id, chat_row_id, from_me, key_id) VALUES (1, -1, 0, '-1');

INSERT INTO chat_list VALUES (1, '31612345678@s.whatsapp.net', 9, NULL, 1578200000000);
INSERT INTO chat_list VALUES (2, '31612345678-1578300000@g.us', 20, 'Book club', 1578300000000);

INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type) VALUES
    (1, '-1', 0, '-1', -1, NULL, 0, '-1');
-- Direct chat with 31612345678.
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size)
    VALUES (2, '31612345678@s.whatsapp.net', 0, 'L2', 0, 'Happy new year! 🎆', 1578218400000, '0', 0);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size, quoted_row_id)
    VALUES (3, '31612345678@s.whatsapp.net', 1, 'L3', 13, 'You too!', 1578218460000, '0', 0, 1);
INSERT INTO messages_quotes VALUES (1, '31612345678@s.whatsapp.net', 0, 'L2', 0, 'Happy new year! 🎆', 1578218400000, '0', NULL, NULL);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_mime_type,
    media_size, media_name, media_caption) VALUES (4, '31612345678@s.whatsapp.net', 1, 'L4', 13, NULL, 1578218520000, '1',
    'image/jpeg', 37, 'IMG-20200105-WA0001.jpg', 'Fireworks');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_mime_type,
    media_size, media_name, media_duration) VALUES (5, '31612345678@s.whatsapp.net', 0, 'L5', 0, NULL, 1578218580000, '2',
    'audio/ogg; codecs=opus', 4096, 'PTT-20200105-WA0002.opus', 7);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size,
    media_name, media_caption, media_duration) VALUES (6, '31612345678@s.whatsapp.net', 0, 'call:L6', 6, NULL, 1578218640000,
    '8', 1, '2132', 'audio', 65);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size,
    media_name, latitude, longitude) VALUES (7, '31612345678@s.whatsapp.net', 0, 'L7', 0, NULL, 1578218700000, '5', 0,
    'Rijksmuseum', 52.36, 4.885278);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size, media_name)
    VALUES (8, '31612345678@s.whatsapp.net', 0, 'L8', 0, 'BEGIN:VCARD
VERSION:3.0
FN:Frank Example
TEL;type=CELL;waid=31687654321:+31 6 87654321
END:VCARD', 1578218760000, '4', 0, 'Frank Example');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size, edit_version)
    VALUES (9, '31612345678@s.whatsapp.net', 1, 'L9', 0, NULL, 1578218820000, '0', 0, 7);
-- Group "Book club".
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size,
    remote_resource) VALUES (20, '31612345678-1578300000@g.us', 0, 'L20', 6, 'Book club', 1578300000000, '0', 11,
    '31612345678@s.whatsapp.net');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size,
    remote_resource, forwarded) VALUES (21, '31612345678-1578300000@g.us', 0, 'L21', 0, 'First book: Middlemarch', 1578300060000,
    '0', 0, '31655555555@s.whatsapp.net', 1);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size, quoted_row_id)
    VALUES (22, '31612345678-1578300000@g.us', 1, 'L22', 13, 'Great choice', 1578300120000, '0', 0, 2);
INSERT INTO messages_quotes VALUES (2, '31612345678-1578300000@g.us', 0, 'L21', 0, 'First book: Middlemarch', 1578300060000, '0', NULL, '31655555555@s.whatsapp.net');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size,
    remote_resource) VALUES (23, '31612345678-1578300000@g.us', 0, 'L23', 6, NULL, 1578300180000, '0', 5,
    '31655555555@s.whatsapp.net');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size,
    remote_resource) VALUES (24, 'status@broadcast', 0, 'S24', 0, 'A status update', 1578300240000, '0', 0,
    '31612345678@s.whatsapp.net');
