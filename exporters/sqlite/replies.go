package sqlite

import (
	"bufio"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strconv"
)

// pendingChunk bounds how many unresolved replies are held in memory at
// once while they are resolved.
const pendingChunk = 1 << 16

// replyLinks turns the input's message ids that replies point at into
// rows of the archive. A message id means something only within one
// input, and the message a reply answers may be one the archive already
// had (then it has that row, not a new one). So every message of the run
// is noted as (chat of the run, input id, row) in a spill file, replies
// are stored with reply_to unset and listed in a temporary table, and
// Close resolves them in one pass over the file per chunk of replies.
// Memory stays bounded however long the chat.
type replyLinks struct {
	dir     string
	prefix  string // of the spill file's name
	f       *os.File
	w       *bufio.Writer
	buf     []byte
	pending int

	addPending *stmt
	conn       *conn
}

// note records that the input's message id of chat seq is row.
func (r *replyLinks) note(seq int, id string, row int64) error {
	if r.f == nil {
		f, err := os.CreateTemp(r.dir, r.prefix+"*")
		if err != nil {
			return err
		}
		r.f, r.w = f, bufio.NewWriterSize(f, 64<<10)
	}
	b := binary.AppendUvarint(r.buf[:0], uint64(seq))
	b = binary.AppendUvarint(b, uint64(len(id)))
	b = append(b, id...)
	b = binary.AppendUvarint(b, uint64(row))
	r.buf = b
	_, err := r.w.Write(b)
	return err
}

// wait records that the reply stored as row answers the input's message
// id of chat seq.
func (r *replyLinks) wait(row int64, seq int, target string) error {
	if r.addPending == nil {
		if err := r.conn.exec(`CREATE TEMP TABLE pending_replies (
			message_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, target TEXT NOT NULL)`); err != nil {
			return err
		}
		st, err := r.conn.prepare(`INSERT INTO temp.pending_replies(message_id, seq, target) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		r.addPending = st
	}
	r.pending++
	return r.addPending.run(row, int64(seq), target)
}

// resolve sets reply_to of every waiting reply whose target the run saw,
// and returns how many stay unresolved.
func (r *replyLinks) resolve() (unresolved int, err error) {
	if r.pending == 0 {
		return 0, nil
	}
	if err := r.w.Flush(); err != nil {
		return 0, err
	}
	next, err := r.conn.prepare(`SELECT message_id, seq, target FROM temp.pending_replies
		WHERE message_id > ? ORDER BY message_id LIMIT ` + strconv.Itoa(pendingChunk))
	if err != nil {
		return 0, err
	}
	defer next.close()
	set, err := r.conn.prepare(`UPDATE replies SET reply_to = ? WHERE message_id = ?`)
	if err != nil {
		return 0, err
	}
	defer set.close()
	after := int64(0)
	for {
		want := map[uint64]map[string][]int64{} // by chat of the run, then input id
		n := 0
		rows, err := next.query(after)
		if err != nil {
			return 0, err
		}
		dest := make([]driver.Value, 3)
		for {
			if err := rows.Next(dest); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				rows.Close()
				return 0, err
			}
			row, seq, target := dest[0].(int64), dest[1].(int64), dest[2]
			t, _ := target.(string)
			if b, ok := target.([]byte); ok {
				t = string(b)
			}
			byID := want[uint64(seq)]
			if byID == nil {
				byID = map[string][]int64{}
				want[uint64(seq)] = byID
			}
			byID[t] = append(byID[t], row)
			after = row
			n++
		}
		rows.Close()
		if n == 0 {
			return unresolved, nil
		}
		if err := r.scan(func(seq uint64, id []byte, row int64) error {
			byID := want[seq]
			replies, ok := byID[string(id)]
			if !ok {
				return nil
			}
			for _, reply := range replies {
				if err := set.run(row, reply); err != nil {
					return err
				}
			}
			delete(byID, string(id))
			return nil
		}); err != nil {
			return 0, err
		}
		for _, byID := range want {
			for _, rows := range byID {
				unresolved += len(rows)
			}
		}
	}
}

// scan calls fn for every message noted in the spill file; id is valid
// during the call only.
func (r *replyLinks) scan(fn func(seq uint64, id []byte, row int64) error) error {
	if _, err := r.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReaderSize(r.f, 64<<10)
	var id []byte
	for {
		seq, err := binary.ReadUvarint(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		if uint64(cap(id)) < n {
			id = make([]byte, n)
		}
		id = id[:n]
		if _, err := io.ReadFull(br, id); err != nil {
			return err
		}
		row, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		if err := fn(seq, id, int64(row)); err != nil {
			return err
		}
	}
}

// close removes the spill file.
func (r *replyLinks) close() {
	if r.addPending != nil {
		r.addPending.close()
		r.addPending = nil
	}
	if r.f != nil {
		r.f.Close()
		os.Remove(r.f.Name())
		r.f = nil
	}
}
