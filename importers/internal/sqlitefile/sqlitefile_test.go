package sqlitefile

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"
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
