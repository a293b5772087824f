-- An SQLite database that is not WhatsApp's.
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
INSERT INTO notes VALUES (1, 'shopping list');
