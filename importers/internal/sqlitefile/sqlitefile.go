// Package sqlitefile holds what the input formats that read SQLite
// databases share: the bytes that start every database file, and the URI
// that opens one with the sqlite3 driver without writing to the user's
// files.
package sqlitefile

import (
	"net/url"
	"path/filepath"
	"strings"
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
