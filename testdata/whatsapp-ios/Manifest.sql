-- The Manifest.db of a tiny synthetic unencrypted iPhone backup, written by
-- hand for chatferry's tests. An iTunes/Finder backup keeps every file as
-- <first two hex digits>/<fileID>, where fileID is the SHA-1 of
-- "<domain>-<relativePath>"; Manifest.db maps the ids back. flags: 1 file,
-- 2 folder. The "file" column holds a binary plist in real backups; the
-- importer does not read it.
--
-- The test builds the backup folder from this file: Manifest.db, the
-- database built from ChatStorage.sql stored as 7c/7c7fba66..., the two
-- media files of Message/, the app's preferences (the owner's JID and
-- name) and the address book built from ContactsV2.sql, stored under their
-- ids. The voice note, the
-- sticker and the GIF the database names are not in the backup.

CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
CREATE INDEX FilesDomainIdx ON Files(domain);
CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);

INSERT INTO Properties VALUES ('salt', X'00'), ('passwordHash', X'00');

INSERT INTO Files VALUES
	('662bc19b13aecef58a7e855d0316e4cf61e2642b', 'HomeDomain', 'Library/Preferences/com.apple.springboard.plist', 1, NULL),
	('519d7291bd6efd989fb4638a7e03bdb2940af6b8', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'Message', 2, NULL),
	('a17940bce3d4d07473ef6c862399900e1354ce3f', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'Message/Media', 2, NULL),
	('7c7fba66680ef796b916b067077cc246adacf01d', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'ChatStorage.sqlite', 1, NULL),
	('84d15a8169ac75206338c07cc78feff36f650476', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'Message/Media/447700900123@s.whatsapp.net/a/1/7f1c2d3e-photo.jpg', 1, NULL),
	('64483521ba113a2f7449956b91da2bd8b83b1733', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'Message/Media/447700900123@s.whatsapp.net/c/3/Report.pdf', 1, NULL),
	('be7e71b773c6d7d4114a8acf0529f623f3884bfb', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist', 1, NULL),
	('b8548dc30aa1030df0ce18ef08b882cf7ab5212f', 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', 'ContactsV2.sqlite', 1, NULL);
