package sqlite

import (
	"errors"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// batchRows is how many messages one INSERT adds at most. SQLite adds
// the rows of one statement with its cursors already in place where the
// last one went, and every statement is one call from Go into C: rows
// added 32 at a time cost 60% of what they cost one by one (16 at a time
// 65%, 64 the same as 32).
const batchRows = 32

// batchCols are the columns a batched row binds; chat_id and import_id
// are bound once per statement, and SQLite numbers the rows.
const batchCols = 11

// batch holds the open chat's messages that are waiting to be added, as
// the values of their rows: strings from the message (text, id) are kept
// as they are, and what was formatted for them (key, times, source) is
// kept in one buffer.
type batch struct {
	rows []batchRow
	buf  []byte
	vals []driverValue // the statement's arguments, reused
}

// batchRow is one waiting message.
type batchRow struct {
	base                       [16]byte // its key but for the ordinal
	end                        [4]int   // where its key, time, instant and source end in buf
	sender, kind, text         driverValue
	floating, editedAt         driverValue
	edited, forwarded, hasTime bool
	id                         model.MessageID
	pos                        model.Pos
	// later holds the reply and reactions of a message whose other
	// details do not close the batch (see WriteMessage), to be stored
	// once its id is known.
	later *model.Message
}

// add appends a row; key, written and instant are copied.
func (b *batch) add(r batchRow, key, written, instant, source []byte) {
	b.buf = append(b.buf, key...)
	r.end[0] = len(b.buf)
	b.buf = append(b.buf, written...)
	r.end[1] = len(b.buf)
	b.buf = append(b.buf, instant...)
	r.end[2] = len(b.buf)
	b.buf = append(b.buf, source...)
	r.end[3] = len(b.buf)
	b.rows = append(b.rows, r)
}

// field returns the f-th formatted field of row i.
func (b *batch) field(i, f int) []byte {
	start := 0
	switch {
	case f > 0:
		start = b.rows[i].end[f-1]
	case i > 0:
		start = b.rows[i-1].end[3]
	}
	return b.buf[start:b.rows[i].end[f]]
}

func (b *batch) key(i int) []byte { return b.field(i, 0) }

// appendValues appends the values of row i's columns in the order of
// batchColumns. Strings of buf are bound without a copy: the driver
// copies them when it binds them.
func (b *batch) appendValues(vals []driverValue, i int) []driverValue {
	r := &b.rows[i]
	var written, instant driverValue
	if r.hasTime {
		written, instant = transient(b.field(i, 1)), transient(b.field(i, 2))
	}
	return append(vals, b.key(i), r.sender, r.kind, r.text, written, r.floating, instant,
		boolInt(r.edited), r.editedAt, boolInt(r.forwarded), transient(b.field(i, 3)))
}

// batchColumns are the columns appendValues gives values for.
const batchColumns = "key, sender_id, kind, text, time, floating, instant, edited, edited_at, forwarded, source"

// insertRowsSQL adds n rows: ?1 is the chat, ?2 the input, and each row
// has batchCols values after them. OR IGNORE skips a row whose key the
// chat has; unlike ON CONFLICT DO NOTHING it lets no constraint abort the
// statement halfway, so SQLite keeps no statement journal for it. (The
// other constraints, NOT NULL ones, cannot fail: every such column gets a
// value; were one skipped, flush would not find its row and fail.)
func insertRowsSQL(n int) string {
	row := "(?1, ?2" + strings.Repeat(", ?", batchCols) + ")"
	return "INSERT OR IGNORE INTO messages(chat_id, import_id, " + batchColumns + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

func (b *batch) reset() {
	clear(b.rows)
	clear(b.vals)
	b.vals = b.vals[:0]
	b.rows = b.rows[:0]
	b.buf = b.buf[:0]
}

// flush adds the waiting messages of the open chat, but those the
// archive has already, and returns the row of the last one (the one it
// has, when it has it) and whether it was added. The run holds the
// archive's write lock and ids are given in order, so when the statement
// adds every row their ids follow the last one's before it; otherwise
// each row is looked up by its key.
func (w *Writer) flush() (last int64, added bool, err error) {
	b := &w.batch
	if len(b.rows) == 0 {
		return 0, false, nil
	}
	defer b.reset()
	cs := w.chat
	n := len(b.rows)
	next := w.nextID // the id of the next row the statement added
	inserted, err := w.insertBatch()
	if err != nil {
		return 0, false, w.rowError(&b.rows[0], err)
	}
	for i := range n {
		r := &b.rows[i]
		id := next
		added = int64(n) == inserted
		if !added {
			if id, added, err = w.outcome(i, next); err != nil {
				return 0, false, err
			}
		}
		if added {
			if id == next {
				next++
			}
			w.added++
			cs.added++
			w.changed = true
		}
		if err := w.replies.note(cs.seq, string(r.id), id); err != nil {
			return 0, false, err
		}
		if added && r.later != nil {
			if err := w.details(cs, r.later, id); err != nil {
				return 0, false, messageError(r.later, err)
			}
		}
		last = id
	}
	return last, added, w.flushReactions()
}

// reactionCols is how many values a row of reactions has.
const reactionCols = 5

// addReaction has a row of reactions stored by the next flushReactions:
// the reactions of a batch's messages are inserted many to a statement
// once they are all known, in the order they came.
func (w *Writer) addReaction(message, sender, emoji, time, instant driverValue) {
	w.reactions = append(w.reactions, message, sender, emoji, time, instant)
}

// flushReactions stores the reactions addReaction holds.
func (w *Writer) flushReactions() error {
	vals := w.reactions
	defer func() {
		clear(w.reactions)
		w.reactions = w.reactions[:0]
	}()
	for len(vals) > 0 {
		n := min(len(vals)/reactionCols, batchRows)
		st, err := w.st.get(&w.st.insertReactions, n)
		if err != nil {
			return err
		}
		if err := st.run(vals[:n*reactionCols]...); err != nil {
			return err
		}
		vals = vals[n*reactionCols:]
	}
	return nil
}

// insertBatch adds the batch's rows but those whose key the chat has,
// and returns how many it added. A batch of one row (a message with
// attachments closes its batch, so chats rich in them have many) is
// added by insertMessage, which learns of a taken key from the error:
// one statement instead of two.
func (w *Writer) insertBatch() (inserted int64, err error) {
	b, cs := &w.batch, w.chat
	n := len(b.rows)
	if n == 1 {
		_, ok, err := w.insertAlone(0, b.key(0))
		if ok {
			inserted = 1
		}
		return inserted, err
	}
	st, err := w.st.get(&w.st.insertMsgs, n)
	if err != nil {
		return 0, err
	}
	b.vals = append(b.vals[:0], cs.idVal, cs.importVal)
	for i := range n {
		b.vals = b.appendValues(b.vals, i)
	}
	if err := st.run(b.vals...); err != nil {
		return 0, err
	}
	row, _, err := w.st.changes.row()
	if err != nil {
		return 0, err
	}
	inserted = row[0].(int64)
	w.nextID += inserted
	return inserted, nil
}

// insertAlone adds row i of the batch with key in a statement of its
// own, as insertMessage does.
func (w *Writer) insertAlone(i int, key []byte) (id int64, ok bool, err error) {
	b, cs := &w.batch, w.chat
	b.vals = append(b.vals[:0], cs.idVal, cs.importVal)
	b.vals = b.appendValues(b.vals, i)
	b.vals[2] = key
	return w.insertMessage(b.vals)
}

// outcome finds what became of row i of a statement that did not add
// every row: added (as row next), or already in the archive from another
// input (a duplicate), or taken by an earlier message of the same input,
// whose count of equal messages was forgotten (see keyMaker.next): then
// it is added on its own with the next ordinal.
func (w *Writer) outcome(i int, next int64) (id int64, added bool, err error) {
	b, cs := &w.batch, w.chat
	r := &b.rows[i]
	key := b.key(i)
	for {
		row, ok, err := w.st.findMsg.row(cs.idVal, key)
		if err != nil || !ok {
			return 0, false, w.rowError(r, errors.Join(err, errors.New("a message key conflicts but its row is not found")))
		}
		switch id := row[0].(int64); {
		case id == next:
			return id, true, nil
		case row[1].(int64) != cs.importID:
			w.dups++
			return id, false, nil
		}
		key = append([]byte(nil), key...)
		w.keys.bump(r.base, key)
		id, ok, err := w.insertAlone(i, key)
		if err != nil {
			return 0, false, w.rowError(r, err)
		}
		if ok {
			return id, true, nil
		}
	}
}

func (w *Writer) rowError(r *batchRow, err error) error {
	if r.pos.IsZero() {
		return err
	}
	return &messageErr{pos: r.pos.String(), err: err}
}
