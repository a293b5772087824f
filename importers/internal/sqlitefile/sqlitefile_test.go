package sqlitefile

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
)

// A database in a folder whose name holds every character that means
// something in a URI opens in each mode, and only ReadWrite may write.
func TestURI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a ?b#c%20d&mode=rw")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "x.db")
	open := func(mode Mode) *sql.DB {
		t.Helper()
		uri, err := URI(p, mode)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite3", uri)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	rw := open(ReadWrite)
	if _, err := rw.Exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42)"); err == nil {
		t.Fatal("mode=rw created a database that did not exist")
	}
	uri, _ := URI(p, ReadWrite)
	create, err := sql.Open("sqlite3", uri+"c") // mode=rwc creates it
	if err != nil {
		t.Fatal(err)
	}
	if _, err := create.Exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	create.Close()
	for _, mode := range []Mode{Immutable, ReadOnly, ReadWrite} {
		db := open(mode)
		var v int
		if err := db.QueryRow("SELECT v FROM t").Scan(&v); err != nil || v != 42 {
			t.Errorf("mode %d: read %d, %v", mode, v, err)
		}
		_, err := db.Exec("INSERT INTO t VALUES (1)")
		if (err == nil) != (mode == ReadWrite) {
			t.Errorf("mode %d: writing gave %v", mode, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("the URI named another file: %v", entries)
	}
}

// ReadTables lists every table with its columns, leaves nothing beside
// the file, and fails on a file that is no database.
func TestReadTables(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.db")
	importertest.ExecSQL(t, p, `CREATE TABLE message (_id INTEGER PRIMARY KEY, chat_row_id INTEGER, text_data TEXT);
		CREATE TABLE jid (_id INTEGER PRIMARY KEY, user TEXT);
		CREATE INDEX message_chat ON message(chat_row_id);
		CREATE VIEW chats AS SELECT DISTINCT chat_row_id FROM message`)
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := ReadTables(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 {
		t.Errorf("%d tables (%v), want message and jid: no index, no view", len(tables), tables)
	}
	for _, tc := range []struct {
		table string
		cols  []string
		want  bool
	}{
		{"message", []string{"_id", "chat_row_id", "text_data"}, true},
		{"message", nil, true},
		{"jid", []string{"user"}, true},
		{"jid", []string{"user", "server"}, false},
		{"chats", nil, false},
		{"messages", nil, false},
	} {
		if got := tables.Has(tc.table, tc.cols...); got != tc.want {
			t.Errorf("Has(%q, %q) = %v, want %v", tc.table, tc.cols, got, tc.want)
		}
	}
	after, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("reading the tables changed the file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder after reading the tables, want the database alone", len(entries))
	}

	text := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(text, []byte("SQLite format 3\x00 but nothing after it that a database has"), 0o644); err != nil {
		t.Fatal(err)
	}
	if tables, err := ReadTables(context.Background(), text); err == nil {
		t.Errorf("a damaged file gives %v and no error", tables)
	}
}

// ProbeTables reads a database's tables once per probe, however many
// formats ask, and answers nothing for a file that is no database.
func TestProbeTables(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.db")
	importertest.ExecSQL(t, p, "CREATE TABLE message (_id INTEGER PRIMARY KEY)")
	src, err := importers.OpenSource(p, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	probe, err := src.Probe()
	if err != nil {
		t.Fatal(err)
	}
	if tables, ok := ProbeTables(probe); !ok || !tables.Has("message", "_id") {
		t.Fatalf("ProbeTables = %v, %v; want the message table", tables, ok)
	}
	if err := os.WriteFile(p, []byte("no longer a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	if tables, ok := ProbeTables(probe); !ok || !tables.Has("message") {
		t.Errorf("asked again: %v, %v; want the tables read the first time", tables, ok)
	}

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	other, err := importers.OpenSource(text, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if probe, err = other.Probe(); err != nil {
		t.Fatal(err)
	}
	if tables, ok := ProbeTables(probe); ok {
		t.Errorf("a text file has tables %v", tables)
	}
}
