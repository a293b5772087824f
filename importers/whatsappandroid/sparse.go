package whatsappandroid

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Most of WhatsApp's one-to-one side tables (locations, edits, deletions,
// system details, polls…) have a row for few messages. Joined to the
// message query, each costs SQLite a lookup for every message, and those
// lookups are most of the time a chat takes to read. A side table with
// few rows is therefore read differently: its message ids are read once,
// and its row is fetched on its own for the messages that have one.

// Limits for reading a side table on its own: at most sparseMaxRows rows
// (the ids are kept in memory, 8 bytes each), and at most one row for
// every sparseRatio messages (a fetch of its own costs several lookups).
var (
	sparseMaxRows int64 = 65536
	sparseRatio   int64 = 32
)

// sparseTable is a side table read on its own: the sorted message ids it
// has a row for, and the statement that fetches one.
type sparseTable struct {
	ids  []int64
	stmt *sql.Stmt
}

// sparse returns the side table read on its own, or nil when the message
// query is to join it. The decision is made once per database; cols are
// the table's expressions, which name only the table's alias.
func (s *modern) sparse(ctx context.Context, table, alias string, cols []string) (*sparseTable, error) {
	if t, ok := s.sparseTables[table]; ok {
		return t, nil
	}
	t, err := s.readSparse(ctx, table, alias, cols)
	if err != nil {
		return nil, err
	}
	if s.sparseTables == nil {
		s.sparseTables = map[string]*sparseTable{}
	}
	s.sparseTables[table] = t
	return t, nil
}

func (s *modern) readSparse(ctx context.Context, table, alias string, cols []string) (*sparseTable, error) {
	d := s.d
	// Only where message_row_id is the table's whole primary key: then
	// each message has one row at most, and the ids come in order from
	// the key without a sort.
	if key := d.primaryKey(table); len(key) != 1 || key[0] != "message_row_id" {
		return nil, nil
	}
	if s.maxMessage == 0 {
		var top sql.NullInt64
		if err := d.conn.QueryRowContext(ctx, "SELECT MAX(_id) FROM message").Scan(&top); err != nil {
			return nil, err
		}
		s.maxMessage = max(top.Int64, 1)
	}
	limit := min(sparseMaxRows, s.maxMessage/sparseRatio)
	rows, err := d.conn.QueryContext(ctx, fmt.Sprintf("SELECT message_row_id FROM %s ORDER BY message_row_id LIMIT %d", table, limit+1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id sql.NullInt64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if !id.Valid {
			continue // matches no message
		}
		if int64(len(ids)) == limit {
			return nil, nil // too many: join it
		}
		ids = append(ids, id.Int64)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	t := &sparseTable{ids: ids}
	if len(ids) > 0 {
		q := fmt.Sprintf("SELECT %s FROM %s %s WHERE %s.message_row_id = ?1", strings.Join(cols, ", "), table, alias, alias)
		if t.stmt, err = d.conn.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// sparseRead fills one message's columns of a side table read on its own.
type sparseRead struct {
	table   *sparseTable
	scanner *rowScanner
}

// read sets the columns for message id: the table's row, or NULLs.
func (r *sparseRead) read(ctx context.Context, id int64) error {
	r.scanner.clear()
	if _, ok := slices.BinarySearch(r.table.ids, id); !ok {
		return nil
	}
	rows, err := r.table.stmt.QueryContext(ctx, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		if err := r.scanner.scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *modern) closeSparse() {
	for _, t := range s.sparseTables {
		if t != nil && t.stmt != nil {
			t.stmt.Close()
		}
	}
}
