-- A synthetic wa.db (WhatsApp for Android's contacts), written for
-- chatferry's tests.
CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL,
    status TEXT, number TEXT, display_name TEXT, given_name TEXT, family_name TEXT, wa_name TEXT, nickname TEXT);
CREATE TABLE wa_vnames (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, serial INTEGER NOT NULL,
    issuer TEXT NOT NULL, verified_name TEXT NOT NULL);
INSERT INTO wa_contacts VALUES (1, '4915112345678@s.whatsapp.net', 1, NULL, '+49 151 12345678', 'Anna Example', 'Anna', 'Example', 'Anna', NULL);
INSERT INTO wa_contacts VALUES (2, '4915187654321@s.whatsapp.net', 1, NULL, NULL, NULL, NULL, NULL, 'Ben S.', NULL);
INSERT INTO wa_contacts VALUES (3, '447700900123@s.whatsapp.net', 1, NULL, '+44 7700 900123', 'Carla Example', 'Carla', 'Example', 'Carla', NULL);
INSERT INTO wa_contacts VALUES (4, '4915100000009@s.whatsapp.net', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO wa_vnames VALUES (1, '4915100000009@s.whatsapp.net', 1, 'smb:wa', 'Dora''s Bakery');
