-- The manifest of an iPhone backup made without WhatsApp installed.
CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
INSERT INTO Files VALUES ('662bc19b13aecef58a7e855d0316e4cf61e2642b', 'HomeDomain', 'Library/Preferences/com.apple.springboard.plist', 1, NULL);
