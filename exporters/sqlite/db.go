package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// driverValue is an argument or column value of the driver.
type driverValue = driver.Value

// conn is one connection to the archive, used through the driver directly:
// the writer is single-threaded and database/sql's pool would only add
// work to every statement.
type conn struct {
	c *sqlite3.SQLiteConn
}

// openConn opens the SQLite file at path; create allows a new file.
func openConn(path string, create bool) (*conn, error) {
	mode := "rw"
	if create {
		mode = "rwc"
	}
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_mutex", "no")          // one goroutine uses the connection
	q.Set("_busy_timeout", "5000") // another chatferry may be writing
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	dc, err := (&sqlite3.SQLiteDriver{}).Open(dsn)
	if err != nil {
		return nil, err
	}
	return &conn{c: dc.(*sqlite3.SQLiteConn)}, nil
}

// exec runs statements without arguments.
func (c *conn) exec(query string) error {
	_, err := c.c.Exec(query, nil)
	return err
}

// queryInt returns the first column of the first row of query as an int64
// (0 for NULL).
func (c *conn) queryInt(query string, args ...driver.Value) (int64, error) {
	rows, err := c.c.Query(query, args)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(dest); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("%s: no row", query)
		}
		return 0, err
	}
	n, _ := dest[0].(int64)
	return n, nil
}

func (c *conn) close() error { return c.c.Close() }

// stmt is a prepared statement with reusable argument slots.
type stmt struct {
	s    driver.Stmt
	args []driver.NamedValue
	dest []driver.Value
}

func (c *conn) prepare(query string) (*stmt, error) {
	s, err := c.c.Prepare(query)
	if err != nil {
		return nil, fmt.Errorf("preparing %.60q: %w", query, err)
	}
	n := s.NumInput()
	st := &stmt{s: s, args: make([]driver.NamedValue, n)}
	for i := range st.args {
		st.args[i].Ordinal = i + 1
	}
	return st, nil
}

func (s *stmt) bind(vals []driver.Value) {
	for i := range s.args {
		s.args[i].Value = vals[i]
	}
}

// exec runs the statement through the driver's Exec path and returns
// the id of the row it inserted and the number of rows it changed. Exec
// binds values one call at a time, so statements without a result to
// read use run instead.
func (s *stmt) exec(vals ...driver.Value) (id, changed int64, err error) {
	s.bind(vals)
	r, err := s.s.(driver.StmtExecContext).ExecContext(context.Background(), s.args)
	if err != nil {
		return 0, 0, err
	}
	id, _ = r.LastInsertId()
	changed, _ = r.RowsAffected()
	return id, changed, nil
}

// insert runs an INSERT and returns the new row's id, or ok false when
// it inserted nothing (ON CONFLICT DO NOTHING).
func (s *stmt) insert(vals ...driver.Value) (id int64, ok bool, err error) {
	id, n, err := s.exec(vals...)
	return id, n > 0, err
}

// query runs the statement through the driver's Query path, which binds
// every value and takes the first step in one call into C.
func (s *stmt) query(vals ...driver.Value) (driver.Rows, error) {
	s.bind(vals)
	return s.s.(driver.StmtQueryContext).QueryContext(context.Background(), s.args)
}

// run runs the statement for its effect, through query.
func (s *stmt) run(vals ...driver.Value) error {
	rows, err := s.query(vals...)
	if err != nil {
		return err
	}
	return rows.Close()
}

// row runs the query and returns its first row, or ok false when there is
// none. The returned slice is reused by the next call.
func (s *stmt) row(vals ...driver.Value) (row []driver.Value, ok bool, err error) {
	rows, err := s.query(vals...)
	if err != nil {
		return nil, false, err
	}
	if s.dest == nil {
		s.dest = make([]driver.Value, len(rows.Columns()))
	}
	err = rows.Next(s.dest)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, io.EOF) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return s.dest, true, nil
}

func (s *stmt) close() { s.s.Close() }

// boolInt stores a bool as SQLite's 0 or 1.
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// nullString stores "" as NULL.
func nullString(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

// nullInt stores 0 as NULL.
func nullInt(n int64) driver.Value {
	if n == 0 {
		return nil
	}
	return n
}
