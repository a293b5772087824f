package sqlite

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ApplicationID marks a SQLite file as a chatferry archive (PRAGMA
// application_id); it spells "CFRY".
const ApplicationID = 0x43465259

// SchemaVersion is the archive schema this package writes (PRAGMA
// user_version). docs/sqlite-schema.md documents it.
const SchemaVersion = 1

// schema creates an empty archive. The insert trigger of messages_fts is
// created separately (ftsInsertTrigger) because a run drops it while it
// adds messages and indexes them in bulk before it commits.
const schema = `
CREATE TABLE archive (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
	id       INTEGER PRIMARY KEY,
	started  TEXT NOT NULL,
	tz       TEXT NOT NULL,
	chats    INTEGER NOT NULL,
	messages INTEGER NOT NULL
);

CREATE TABLE chats (
	id        INTEGER PRIMARY KEY,
	kind      TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
	title     TEXT NOT NULL,
	media_dir TEXT NOT NULL UNIQUE COLLATE NOCASE,
	run_id    INTEGER NOT NULL REFERENCES runs(id),
	UNIQUE (kind, title)
);

CREATE TABLE imports (
	id             INTEGER PRIMARY KEY,
	chat_id        INTEGER NOT NULL REFERENCES chats(id),
	run_id         INTEGER NOT NULL REFERENCES runs(id),
	title          TEXT NOT NULL,
	format         TEXT NOT NULL,
	source         TEXT NOT NULL,
	time_precision TEXT NOT NULL,
	meta           TEXT NOT NULL,
	messages       INTEGER NOT NULL
);
CREATE INDEX imports_chat ON imports(chat_id);

CREATE TABLE chat_warnings (
	id      INTEGER PRIMARY KEY,
	chat_id INTEGER NOT NULL REFERENCES chats(id),
	run_id  INTEGER NOT NULL REFERENCES runs(id),
	code    TEXT NOT NULL,
	text    TEXT NOT NULL,
	source  TEXT NOT NULL,
	UNIQUE (chat_id, code, text, source)
);

CREATE TABLE participants (
	id      INTEGER PRIMARY KEY,
	chat_id INTEGER NOT NULL REFERENCES chats(id),
	name    TEXT NOT NULL,
	phone   TEXT NOT NULL,
	me      INTEGER NOT NULL,
	UNIQUE (chat_id, name, phone)
);

CREATE TABLE messages (
	id         INTEGER PRIMARY KEY,
	chat_id    INTEGER NOT NULL REFERENCES chats(id),
	key        BLOB NOT NULL,
	sender_id  INTEGER REFERENCES participants(id),
	kind       TEXT NOT NULL,
	text       TEXT NOT NULL,
	time       TEXT,
	floating   INTEGER,
	instant    TEXT,
	edited     INTEGER NOT NULL,
	edited_at  TEXT,
	forwarded  INTEGER NOT NULL,
	import_id  INTEGER NOT NULL REFERENCES imports(id),
	source     TEXT NOT NULL,
	UNIQUE (chat_id, key)
);
CREATE INDEX messages_chat_instant ON messages(chat_id, instant);

CREATE TABLE replies (
	message_id      INTEGER PRIMARY KEY REFERENCES messages(id),
	reply_to        INTEGER REFERENCES messages(id),
	quote_sender_id INTEGER REFERENCES participants(id),
	quote_text      TEXT
);
CREATE INDEX replies_reply_to ON replies(reply_to);

CREATE TABLE reactions (
	id         INTEGER PRIMARY KEY,
	message_id INTEGER NOT NULL REFERENCES messages(id),
	sender_id  INTEGER NOT NULL REFERENCES participants(id),
	emoji      TEXT NOT NULL,
	time       TEXT,
	instant    TEXT,
	UNIQUE (message_id, sender_id, emoji)
);

CREATE TABLE attachments (
	id          INTEGER PRIMARY KEY,
	message_id  INTEGER NOT NULL REFERENCES messages(id),
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	mime        TEXT NOT NULL,
	size        INTEGER,
	width       INTEGER,
	height      INTEGER,
	duration_ms INTEGER,
	omitted     INTEGER NOT NULL,
	missing     INTEGER NOT NULL,
	path        TEXT,
	sha256      TEXT,
	UNIQUE (message_id, position)
);
CREATE INDEX attachments_path ON attachments(path) WHERE path IS NOT NULL;
CREATE INDEX attachments_sha256 ON attachments(sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE media (
	sha256 TEXT PRIMARY KEY,
	size   INTEGER NOT NULL,
	data   BLOB NOT NULL
);

CREATE TABLE events (
	message_id INTEGER PRIMARY KEY REFERENCES messages(id),
	type       TEXT NOT NULL,
	actor_id   INTEGER REFERENCES participants(id),
	subject    TEXT
);

CREATE TABLE event_targets (
	message_id     INTEGER NOT NULL REFERENCES messages(id),
	position       INTEGER NOT NULL,
	participant_id INTEGER NOT NULL REFERENCES participants(id),
	PRIMARY KEY (message_id, position)
) WITHOUT ROWID;

CREATE TABLE polls (
	message_id INTEGER PRIMARY KEY REFERENCES messages(id),
	question   TEXT NOT NULL,
	multiple   INTEGER NOT NULL
);

CREATE TABLE poll_options (
	message_id INTEGER NOT NULL REFERENCES messages(id),
	position   INTEGER NOT NULL,
	text       TEXT NOT NULL,
	votes      INTEGER NOT NULL,
	PRIMARY KEY (message_id, position)
) WITHOUT ROWID;

CREATE TABLE poll_votes (
	message_id     INTEGER NOT NULL REFERENCES messages(id),
	position       INTEGER NOT NULL,
	participant_id INTEGER NOT NULL REFERENCES participants(id),
	PRIMARY KEY (message_id, position, participant_id)
) WITHOUT ROWID;

CREATE TABLE locations (
	message_id INTEGER PRIMARY KEY REFERENCES messages(id),
	latitude   REAL NOT NULL,
	longitude  REAL NOT NULL,
	name       TEXT,
	address    TEXT,
	url        TEXT,
	live       INTEGER NOT NULL
);

CREATE TABLE contacts (
	message_id INTEGER NOT NULL REFERENCES messages(id),
	position   INTEGER NOT NULL,
	name       TEXT NOT NULL,
	phones     TEXT NOT NULL,
	vcard      TEXT,
	PRIMARY KEY (message_id, position)
) WITHOUT ROWID;

CREATE TABLE calls (
	message_id  INTEGER PRIMARY KEY REFERENCES messages(id),
	video       INTEGER NOT NULL,
	missed      INTEGER NOT NULL,
	duration_ms INTEGER
);

CREATE VIRTUAL TABLE messages_fts USING fts5(
	text,
	content = 'messages',
	content_rowid = 'id',
	columnsize = 0,
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
	INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
	INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE VIEW timeline AS
SELECT m.id, c.title AS chat, m.time, m.instant, p.name AS sender, m.kind, m.text
FROM messages m
JOIN chats c ON c.id = m.chat_id
LEFT JOIN participants p ON p.id = m.sender_id;
`

// ftsInsertTrigger keeps messages_fts in step with rows that others add to
// messages. A run drops it while it writes and indexes its new messages in
// one statement before it recreates it and commits.
const ftsInsertTrigger = `
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END`

// ErrNotArchive is matched by the error for an output path that holds
// something other than a chatferry archive.
var ErrNotArchive = errors.New("not a chatferry archive")

// ErrNewerSchema is matched by the error for an archive written by a newer
// chatferry.
var ErrNewerSchema = errors.New("archive written by a newer chatferry")

// checkHeader reads the SQLite header of an existing file at path and
// reports whether it is an archive this package can update. It reads the
// file only: whatever it finds, nothing is changed.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("a folder, so %w; give the path of a database file with -o", ErrNotArchive)
	}
	var h [100]byte
	n, err := io.ReadFull(f, h[:])
	if n == 0 {
		return fmt.Errorf("an empty file, so %w; remove it or give another path with -o", ErrNotArchive)
	}
	if err != nil || !bytes.HasPrefix(h[:], []byte("SQLite format 3\x00")) {
		return fmt.Errorf("not a SQLite database, so %w; give another path with -o", ErrNotArchive)
	}
	return checkIdentity(int64(binary.BigEndian.Uint32(h[68:72])), int64(binary.BigEndian.Uint32(h[60:64])))
}

// checkIdentity checks the application_id and user_version of a database.
func checkIdentity(appID, version int64) error {
	if appID != ApplicationID {
		return fmt.Errorf("a SQLite database but %w (application_id %#x); give another path with -o", ErrNotArchive, appID)
	}
	if version > SchemaVersion {
		return fmt.Errorf("%w (schema version %d; this chatferry writes version %d): update chatferry", ErrNewerSchema, version, SchemaVersion)
	}
	if version < 1 {
		return fmt.Errorf("chatferry's application_id but no schema version: %w (an unfinished or damaged archive?)", ErrNotArchive)
	}
	return nil
}
