-- An SQLite database that is not WhatsApp's: the importer must refuse it.
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO notes VALUES (1, 'Buy milk');
