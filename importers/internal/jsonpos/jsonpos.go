// Package jsonpos gives the line numbers of a JSON stream that an
// encoding/json Decoder reads, for the JSON input formats' errors and
// message positions. It streams: it keeps only the bytes read since the
// last offset asked about.
package jsonpos

import (
	"bytes"
	"io"
)

// Tracker passes reads through and maps byte offsets of the stream (as
// json.Decoder.InputOffset gives them) to line numbers. Offsets must be
// asked in non-decreasing order.
type Tracker struct {
	r    io.Reader
	buf  []byte // bytes from base to the read position
	base int64
	line int   // line number at base
	err  error // the first error of r other than io.EOF
}

// NewTracker returns a Tracker that reads r, whose first byte is on the
// given line.
func NewTracker(r io.Reader, line int) *Tracker {
	return &Tracker{r: r, line: line}
}

// Read reads from the underlying reader and remembers the bytes.
func (t *Tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// Err returns the first error of the underlying reader other than io.EOF,
// so that a caller can tell a failed read from bad JSON.
func (t *Tracker) Err() error { return t.err }

// LineAt returns the line of the first byte at or after off that is not
// JSON whitespace or a separator, among the bytes read so far (ask after
// decoding the value at off), and forgets the bytes before off.
func (t *Tracker) LineAt(off int64) int {
	if off < t.base {
		return t.line
	}
	k := min(int(off-t.base), len(t.buf))
	t.line += bytes.Count(t.buf[:k], []byte{'\n'})
	t.base += int64(k)
	if k >= len(t.buf)/2 { // reclaim the space now and then
		t.buf = append(t.buf[:0], t.buf[k:]...)
	} else {
		t.buf = t.buf[k:]
	}
	line := t.line
	for _, c := range t.buf {
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r', ',', ':':
		default:
			return line
		}
	}
	return line
}
