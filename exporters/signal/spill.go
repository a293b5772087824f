package signal

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// record is one encoded ChatItem with what sorting and merging need.
type record struct {
	dateSent uint64
	seq      uint64 // input order, to keep it among equal times
	src      uint64 // the input chat it came from
	chatID   uint64
	authorID uint64
	frame    []byte
}

func (r *record) less(o *record) bool {
	if r.dateSent != o.dateSent {
		return r.dateSent < o.dateSent
	}
	return r.seq < o.seq
}

// spill sorts records by time with bounded memory: it keeps up to limit
// bytes of frames, then writes them sorted to a run file in dir, and
// merges the runs at the end.
type spill struct {
	dir   string
	limit int
	buf   []record
	size  int
	runs  []string
}

func (s *spill) add(r record) error {
	s.buf = append(s.buf, r)
	s.size += len(r.frame) + 48
	if s.size >= s.limit {
		return s.flush()
	}
	return nil
}

func (s *spill) sortBuf() {
	sort.Slice(s.buf, func(i, j int) bool { return s.buf[i].less(&s.buf[j]) })
}

func (s *spill) flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	s.sortBuf()
	name := filepath.Join(s.dir, fmt.Sprintf("run-%d", len(s.runs)))
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 256<<10)
	var hdr []byte
	for i := range s.buf {
		r := &s.buf[i]
		hdr = binary.AppendUvarint(hdr[:0], r.dateSent)
		hdr = binary.AppendUvarint(hdr, r.seq)
		hdr = binary.AppendUvarint(hdr, r.src)
		hdr = binary.AppendUvarint(hdr, r.chatID)
		hdr = binary.AppendUvarint(hdr, r.authorID)
		hdr = binary.AppendUvarint(hdr, uint64(len(r.frame)))
		w.Write(hdr)
		w.Write(r.frame)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	s.runs = append(s.runs, name)
	s.buf, s.size = s.buf[:0], 0
	return nil
}

// sorted returns an iterator over all records in time order. Call it
// once, after the last add.
func (s *spill) sorted() (*merger, error) {
	if len(s.runs) == 0 {
		s.sortBuf()
		return &merger{mem: s.buf}, nil
	}
	if err := s.flush(); err != nil {
		return nil, err
	}
	m := &merger{}
	for _, name := range s.runs {
		f, err := os.Open(name)
		if err != nil {
			m.close()
			return nil, err
		}
		rr := &runReader{f: f, r: bufio.NewReaderSize(f, 64<<10)}
		m.files = append(m.files, f)
		ok, err := rr.next()
		if err != nil {
			m.close()
			return nil, err
		}
		if ok {
			m.h = append(m.h, rr)
		}
	}
	heap.Init(&m.h)
	return m, nil
}

// merger yields records in order from memory or from the runs.
type merger struct {
	mem   []record
	h     runHeap
	files []*os.File
}

// next returns the next record, or false at the end.
func (m *merger) next() (record, bool, error) {
	if m.files == nil {
		if len(m.mem) == 0 {
			return record{}, false, nil
		}
		r := m.mem[0]
		m.mem = m.mem[1:]
		return r, true, nil
	}
	if len(m.h) == 0 {
		return record{}, false, nil
	}
	top := m.h[0]
	r := top.cur
	ok, err := top.next()
	if err != nil {
		return record{}, false, err
	}
	if ok {
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return r, true, nil
}

func (m *merger) close() {
	for _, f := range m.files {
		f.Close()
	}
}

type runReader struct {
	f   *os.File
	r   *bufio.Reader
	cur record
}

func (rr *runReader) next() (bool, error) {
	var v [6]uint64
	for i := range v {
		x, err := binary.ReadUvarint(rr.r)
		if i == 0 && errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("sort file %s: %w", rr.f.Name(), err)
		}
		v[i] = x
	}
	frame := make([]byte, v[5])
	if _, err := io.ReadFull(rr.r, frame); err != nil {
		return false, fmt.Errorf("sort file %s: %w", rr.f.Name(), err)
	}
	rr.cur = record{dateSent: v[0], seq: v[1], src: v[2], chatID: v[3], authorID: v[4], frame: frame}
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].cur.less(&h[j].cur) }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// withDateSent returns a ChatItem frame with its dateSent replaced.
func withDateSent(frame []byte, dateSent uint64) []byte {
	inner, ok := chatItemBody(frame)
	if !ok {
		return frame
	}
	out := pb(nil)
	rest := inner
	for len(rest) > 0 {
		n := fieldLen(rest)
		if n <= 0 {
			return frame
		}
		if rest[0] == 3<<3 { // dateSent, varint
			out = out.uint(3, dateSent)
		} else {
			out = append(out, rest[:n]...)
		}
		rest = rest[n:]
	}
	return bytes.Clone(pb(nil).msg(frameChatItem, out))
}
