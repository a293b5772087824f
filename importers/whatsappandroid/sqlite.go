package whatsappandroid

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver

	"github.com/chatferry/chatferry/importers/internal/sqlitefile"
)

// database is an SQLite file opened read-only, with what chatferry knows
// of its schema. All queries run on one connection, so a file that was
// deleted after opening (see plaintext) stays readable.
type database struct {
	db     *sql.DB
	conn   *sql.Conn
	tables map[string]map[string]int // table name → column name → its place in the primary key (0: none), filled lazily
}

// openDatabase opens the SQLite file at path read-only and checks that it
// is one.
func openDatabase(ctx context.Context, path string, immutable bool) (*database, error) {
	mode := sqlitefile.Immutable
	if !immutable {
		mode = sqlitefile.ReadOnly
	}
	uri, err := sqlitefile.URI(path, mode)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", uri)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	d := &database{db: db, conn: conn}
	// Read through a memory map where the system offers one: the file is
	// read-only and immutable, and the pages then need no copying.
	conn.ExecContext(ctx, "PRAGMA mmap_size = 1099511627776")
	rows, err := conn.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		d.close()
		return nil, fmt.Errorf("not an SQLite database: %w", err)
	}
	defer rows.Close()
	d.tables = map[string]map[string]int{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			d.close()
			return nil, err
		}
		d.tables[name] = nil
	}
	if err := rows.Err(); err != nil {
		d.close()
		return nil, fmt.Errorf("not an SQLite database: %w", err)
	}
	return d, nil
}

func (d *database) close() error {
	if d == nil || d.db == nil {
		return nil
	}
	d.conn.Close()
	err := d.db.Close()
	d.db = nil
	return err
}

// has reports whether the table exists and has all the columns.
func (d *database) has(table string, cols ...string) bool {
	c, ok := d.columns(table)
	if !ok {
		return false
	}
	for _, col := range cols {
		if _, ok := c[col]; !ok {
			return false
		}
	}
	return true
}

// primaryKey returns the columns of the table's primary key, in order.
func (d *database) primaryKey(table string) []string {
	c, _ := d.columns(table)
	var key []string
	for name, place := range c {
		if place > 0 {
			key = append(key, name)
		}
	}
	slices.SortFunc(key, func(a, b string) int { return c[a] - c[b] })
	return key
}

// columns returns the table's columns with their places in its primary
// key, and whether the table exists.
func (d *database) columns(table string) (map[string]int, bool) {
	c, ok := d.tables[table]
	if !ok || c != nil {
		return c, ok
	}
	c = map[string]int{}
	rows, err := d.conn.QueryContext(context.Background(), "SELECT name, pk FROM pragma_table_info(?)", table)
	if err == nil {
		for rows.Next() {
			var name string
			var pk int
			if rows.Scan(&name, &pk) == nil {
				c[name] = pk
			}
		}
		rows.Close()
	}
	d.tables[table] = c
	return c, true
}

// col returns "alias.column" when the table has the column, and "NULL"
// otherwise, so that one query fits every version of the schema.
func (d *database) col(table, alias, column string) string {
	if d.has(table, column) {
		return alias + "." + column
	}
	return "NULL"
}

// exists reports whether the query returns a row.
func (d *database) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := d.conn.QueryRowContext(ctx, "SELECT EXISTS("+query+")", args...).Scan(&one)
	return one == 1, err
}

// rowScanner scans a row into raw values and converts them itself: much
// cheaper per row than database/sql's reflective conversions, which
// matters at a million rows.
type rowScanner struct {
	dest []any // *int64, *bool, *sql.NullInt64, *sql.NullString, *sql.NullFloat64
	vals []any
	ptrs []any
}

func newRowScanner(dest []any) *rowScanner {
	s := &rowScanner{dest: dest, vals: make([]any, len(dest)), ptrs: make([]any, len(dest))}
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}
	return s
}

// clear sets every destination to its zero value: NULL.
func (s *rowScanner) clear() {
	for _, p := range s.dest {
		switch d := p.(type) {
		case *int64:
			*d = 0
		case *bool:
			*d = false
		case *sql.NullInt64:
			*d = sql.NullInt64{}
		case *sql.NullString:
			*d = sql.NullString{}
		case *sql.NullFloat64:
			*d = sql.NullFloat64{}
		}
	}
}

func (s *rowScanner) scan(rows *sql.Rows) error {
	if err := rows.Scan(s.ptrs...); err != nil {
		return err
	}
	for i, v := range s.vals {
		switch d := s.dest[i].(type) {
		case *int64:
			*d, _ = asInt(v)
		case *bool:
			n, _ := asInt(v)
			*d = n != 0
		case *sql.NullInt64:
			d.Int64, d.Valid = asInt(v)
		case *sql.NullString:
			switch x := v.(type) {
			case string:
				d.String, d.Valid = x, true
			case []byte:
				d.String, d.Valid = string(x), true
			case nil:
				d.String, d.Valid = "", false
			default:
				d.String, d.Valid = fmt.Sprint(x), true
			}
		case *sql.NullFloat64:
			switch x := v.(type) {
			case float64:
				d.Float64, d.Valid = x, true
			case int64:
				d.Float64, d.Valid = float64(x), true
			default:
				d.Float64, d.Valid = 0, false
			}
		default:
			return fmt.Errorf("rowScanner: unsupported destination %T", d)
		}
	}
	return nil
}

// asInt reads an integer column as SQLite hands it over; text that holds
// a number (as in the legacy media_wa_type) counts too.
func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		return int64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case []byte:
		n, err := strconv.ParseInt(strings.TrimSpace(string(x)), 10, 64)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n, err == nil
	}
	return 0, false
}
