package whatsappios

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver

	"github.com/chatferry/chatferry/importers/internal/sqlitefile"
)

// openDB opens the SQLite database at p. Without writable it is opened
// read-only and immutable, so SQLite neither writes nor locks the file;
// writable is only for a private copy whose write-ahead log must be
// merged.
func openDB(p string, writable bool) (*sql.DB, error) {
	mode := sqlitefile.Immutable
	if writable {
		mode = sqlitefile.ReadWrite
	}
	uri, err := sqlitefile.URI(p, mode)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", uri)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// tune gives a connection a page cache of fixed size (8 MiB), larger than
// SQLite's default, for the lookups of replies. The database is not memory
// mapped: that would make the process's resident size grow with the file.
func tune(ctx context.Context, c *sql.Conn) error {
	_, err := c.ExecContext(ctx, "PRAGMA cache_size = -8192")
	return err
}

// schema records which tables and columns a database has, so queries can
// read what an older or newer WhatsApp version stores and leave out what it
// does not.
type schema map[string]map[string]bool

func readSchema(ctx context.Context, conn *sql.Conn, tables ...string) (schema, error) {
	s := schema{}
	for _, t := range tables {
		rows, err := conn.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", t)
		if err != nil {
			return nil, err
		}
		cols := map[string]bool{}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				rows.Close()
				return nil, err
			}
			cols[strings.ToUpper(name)] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		if len(cols) > 0 {
			s[t] = cols
		}
	}
	return s, nil
}

// chatStorage reports whether a database, by its tables' columns, is
// WhatsApp's iPhone database.
func chatStorage(has func(table, column string) bool) bool {
	return has("ZWAMESSAGE", "ZCHATSESSION") && has("ZWACHATSESSION", "ZCONTACTJID")
}

func (s schema) table(t string) bool { return s[t] != nil }

func (s schema) has(t, col string) bool { return s[t][col] }

// col returns "alias.col" when the table has the column, else "NULL".
func (s schema) col(alias, t, col string) string {
	if s.has(t, col) {
		return alias + "." + col
	}
	return "NULL"
}

// The values database/sql yields for SQLite columns read into an any.

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

func asBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}

// dateExpr reads a Core Data date column as seconds, or NULL when the
// column holds no number. (The driver would turn an integer in a column
// declared TIMESTAMP into a Unix time, which these are not.)
func dateExpr(col string) string {
	return fmt.Sprintf("CASE WHEN typeof(%[1]s) IN ('integer', 'real') THEN %[1]s * 1.0 END", col)
}
