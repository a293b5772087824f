// Package sqlitefile holds what the input formats that read SQLite
// databases share: the bytes that start every database file, the URI
// that opens one with the sqlite3 driver without writing to the user's
// files, and the list of a database's tables, by which a format
// recognises its database under any file name.
package sqlitefile

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver

	"github.com/chatferry/chatferry/importers"
)

// Magic starts every SQLite database file.
var Magic = []byte("SQLite format 3\x00")

// Mode says how URI opens a database.
type Mode int

const (
	// Immutable opens the file read-only and tells SQLite that nobody
	// changes it while it is open: SQLite then takes no locks and looks
	// for no journal or write-ahead log.
	Immutable Mode = iota
	// ReadOnly opens the file read-only, reading a write-ahead log beside
	// it too.
	ReadOnly
	// ReadWrite opens the file for writing: only for a private copy whose
	// write-ahead log SQLite may merge into it.
	ReadWrite
)

// URI returns the name that opens the database at path in the given mode
// with the sqlite3 driver: a file: URI of the absolute path, in which
// characters that mean something in a URI (?, #, %) are escaped.
func URI(path string, mode Mode) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // a Windows drive letter
	}
	q := "mode=ro&immutable=1"
	switch mode {
	case ReadOnly:
		q = "mode=ro"
	case ReadWrite:
		q = "mode=rw"
	}
	return u.String() + "?" + q, nil
}

// Tables are a database's tables, each with its columns.
type Tables map[string]map[string]bool

// Has reports whether the database has the table with all the columns.
func (t Tables) Has(table string, columns ...string) bool {
	cols, ok := t[table]
	if !ok {
		return false
	}
	for _, c := range columns {
		if !cols[c] {
			return false
		}
	}
	return true
}

// maxTables bounds what ReadTables reads of a schema: WhatsApp's largest
// databases have a few hundred tables.
const maxTables = 5000

// ReadTables lists the tables of the database at path and their columns.
// The file is opened immutable: nothing is written beside it and no lock
// is taken, so recognising a file cannot change it.
func ReadTables(ctx context.Context, path string) (Tables, error) {
	uri, err := URI(path, Immutable)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", uri)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p
		WHERE m.type = 'table'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := Tables{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, err
		}
		cols := t[table]
		if cols == nil {
			if len(t) == maxTables {
				return nil, fmt.Errorf("more than %d tables", maxTables)
			}
			cols = map[string]bool{}
			t[table] = cols
		}
		cols[column] = true
	}
	return t, rows.Err()
}

// ProbeTables returns the tables of a File source that is an SQLite
// database, read once however many formats ask; ok is false for any other
// source and for a database SQLite cannot read.
func ProbeTables(p *importers.Probe) (t Tables, ok bool) {
	file, isFile := p.LocalFile()
	if !isFile || !bytes.HasPrefix(p.Head, Magic) {
		return nil, false
	}
	t, _ = p.Memo("sqlitefile.tables", func() any {
		t, err := ReadTables(context.Background(), file)
		if err != nil {
			return Tables(nil)
		}
		return t
	}).(Tables)
	return t, t != nil
}
