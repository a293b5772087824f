package whatsappandroid

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// oracle is what plain SQL says an import must contain.
type oracle struct {
	messages  int                                 // messages and call-log entries of real chats
	replies   map[model.MessageID]model.MessageID // reply → the message it quotes
	reactions int                                 // standing reactions
}

// modernOracle counts with SQL alone: every message row of a chat that is
// not the status broadcast, except album containers and (when the call
// log has the calls) call rows, plus the call log.
func modernOracle(t *testing.T, path string) oracle {
	t.Helper()
	db := openRaw(t, path)
	defer db.Close()
	o := oracle{replies: map[model.MessageID]model.MessageID{}}
	hasCalls := tableExists(db, "call_log")
	skip := "99"
	if hasCalls {
		skip = "99, 90"
	}
	count(t, db, &o.messages, `SELECT COUNT(*) FROM message m JOIN chat c ON c._id = m.chat_row_id
		LEFT JOIN jid j ON j._id = c.jid_row_id
		WHERE COALESCE(j.raw_string, '') <> 'status@broadcast' AND m.message_type NOT IN (`+skip+`)`)
	if hasCalls {
		var calls int
		count(t, db, &calls, `SELECT COUNT(*) FROM call_log l WHERE EXISTS (SELECT 1 FROM chat c WHERE c.jid_row_id = l.jid_row_id OR c.jid_row_id = l.group_jid_row_id)`)
		o.messages += calls
	}
	rows, err := db.Query(`SELECT q.message_row_id, p._id, p.message_type FROM message_quoted q
		JOIN message m ON m._id = q.message_row_id
		JOIN message p ON p.chat_row_id = m.chat_row_id AND p.key_id = q.key_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var reply, parent, typ int64
		rows.Scan(&reply, &parent, &typ)
		if typ == typeAlbum {
			db.QueryRow("SELECT MIN(child_message_row_id) FROM message_association WHERE parent_message_row_id = ?", parent).Scan(&parent)
		}
		o.replies[msgID(reply)] = msgID(parent)
	}
	rows.Close()
	if tableExists(db, "message_revoked") {
		// a quoted message deleted since is found by its old key
		rows, err := db.Query(`SELECT q.message_row_id, r.message_row_id FROM message_quoted q
			JOIN message m ON m._id = q.message_row_id
			JOIN message_revoked r ON r.revoked_key_id = q.key_id
			JOIN message p ON p._id = r.message_row_id AND p.chat_row_id = m.chat_row_id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var reply, parent int64
			rows.Scan(&reply, &parent)
			if _, ok := o.replies[msgID(reply)]; !ok {
				o.replies[msgID(reply)] = msgID(parent)
			}
		}
		rows.Close()
	}
	if tableExists(db, "message_add_on_reaction") {
		// the latest reaction of each person to each message, unless withdrawn
		count(t, db, &o.reactions, `SELECT COUNT(*) FROM message_add_on a
			JOIN message_add_on_reaction r ON r.message_add_on_row_id = a._id
			JOIN message p ON p._id = a.parent_message_row_id
			WHERE r.reaction <> '' AND p.message_type <> 99 AND a._id = (SELECT MAX(b._id) FROM message_add_on b
				JOIN message_add_on_reaction rb ON rb.message_add_on_row_id = b._id
				WHERE b.parent_message_row_id = a.parent_message_row_id AND b.from_me = a.from_me
				AND COALESCE(b.sender_jid_row_id, 0) = COALESCE(a.sender_jid_row_id, 0))`)
	}
	return o
}

func legacyOracle(t *testing.T, path string) oracle {
	t.Helper()
	db := openRaw(t, path)
	defer db.Close()
	o := oracle{replies: map[model.MessageID]model.MessageID{}}
	count(t, db, &o.messages, `SELECT COUNT(*) FROM messages WHERE key_remote_jid NOT IN ('-1', 'status@broadcast')`)
	rows, err := db.Query(`SELECT m._id, p._id FROM messages m JOIN messages_quotes q ON q._id = m.quoted_row_id
		JOIN messages p ON p.key_remote_jid = m.key_remote_jid AND p.key_id = q.key_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var reply, parent int64
		rows.Scan(&reply, &parent)
		o.replies[msgID(reply)] = msgID(parent)
	}
	rows.Close()
	return o
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", sqliteURI(path, true))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func tableExists(db *sql.DB, name string) bool {
	var n int
	db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	return n == 1
}

func count(t *testing.T, db *sql.DB, n *int, query string) {
	t.Helper()
	if err := db.QueryRow(query).Scan(n); err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
}

// checkAgainst imports path and compares it with the oracle.
func checkAgainst(t *testing.T, path string, vals importers.Values, want oracle) {
	t.Helper()
	its := importertest.Items(t, Name, path, importers.Options{Values: vals})
	var got oracle
	got.replies = map[model.MessageID]model.MessageID{}
	for _, it := range its {
		m, ok := it.(*model.Message)
		if !ok {
			continue
		}
		got.messages++
		got.reactions += len(m.Reactions)
		if m.ReplyTo != "" {
			got.replies[m.ID] = m.ReplyTo
		}
	}
	if got.messages != want.messages {
		t.Errorf("%d messages, SQL counts %d", got.messages, want.messages)
	}
	if got.reactions != want.reactions {
		t.Errorf("%d reactions, SQL counts %d", got.reactions, want.reactions)
	}
	if fmt.Sprint(got.replies) != fmt.Sprint(want.replies) {
		t.Errorf("replies %v, SQL links %v", got.replies, want.replies)
	}
	t.Logf("%d messages, %d replies, %d reactions", got.messages, len(got.replies), got.reactions)
}

func TestCountsMatchSQL(t *testing.T) {
	t.Run("modern", func(t *testing.T) {
		p := fixture("modern/msgstore.db")
		checkAgainst(t, p, nil, modernOracle(t, p))
	})
	t.Run("legacy", func(t *testing.T) {
		p := fixture("legacy/msgstore.db")
		checkAgainst(t, p, nil, legacyOracle(t, p))
	})
}

// The whatsapp-viewer dump: the legacy schema with every kind of message.
func TestCorpusWhatsAppViewer(t *testing.T) {
	dir := importertest.Corpus(t, "sqlite/whatsapp-viewer")
	db := mustBuildDB(t, filepath.Join(t.TempDir(), "msgstore.db"),
		filepath.Join(dir, "msgstore.db.schema.sql"), filepath.Join(dir, "test-database.sql"))
	want := legacyOracle(t, db)
	if want.messages != 42 || len(want.replies) != 1 {
		t.Fatalf("the dump has %d messages and %d replies; the corpus changed?", want.messages, len(want.replies))
	}
	checkAgainst(t, db, nil, want)
}

// The chat-history-manager dumps: the modern schema of 2023 and 2026,
// with wa.db.
func TestCorpusChatHistoryManager(t *testing.T) {
	root := importertest.Corpus(t, "sqlite/chat-history-manager")
	for _, v := range []string{"2023-10", "2026-01", "2026-05"} {
		t.Run(v, func(t *testing.T) {
			dir := filepath.Join(root, "whatsapp-android_"+v)
			tmp := t.TempDir()
			db := mustBuildDB(t, filepath.Join(tmp, "msgstore.db"), filepath.Join(dir, "msgstore.sql"))
			wa := mustBuildDB(t, filepath.Join(tmp, "wa.db"), filepath.Join(dir, "wa.sql"))
			checkAgainst(t, db, importers.Values{"contacts-db": wa}, modernOracle(t, db))
		})
	}
}

// The real (near-empty) database of WhatsApp 2.22: both schemas, status
// updates only, so no chats.
func TestCorpusRealDatabase(t *testing.T) {
	p := filepath.Join(importertest.Corpus(t, "sqlite/wa-crypt-tools"), "msgstore.db")
	its := importertest.Items(t, Name, p, importers.Options{})
	if len(its) != 0 {
		t.Errorf("%d items from a database that holds only status updates", len(its))
	}
	for _, crypt := range []struct{ file, key string }{
		{"msgstore.db.crypt15", testRootKey},
		{"msgstore.db.crypt14", "key"},
		{"msgstore.db.crypt12", "key"},
	} {
		key := crypt.key
		if key == "key" {
			key = filepath.Join(filepath.Dir(p), "key")
		}
		its := importertest.Items(t, Name, filepath.Join(filepath.Dir(p), crypt.file), importers.Options{Values: importers.Values{"key": key}})
		if len(its) != 0 {
			t.Errorf("%s: %d items", crypt.file, len(its))
		}
	}
}
