// Package jsonpos gives the line numbers of a JSON stream that an
// encoding/json Decoder reads, for the JSON input formats' errors and
// message positions. It streams: it keeps only the bytes read since the
// last offset asked about.
package jsonpos

import (
	"bytes"
	"errors"
	"io"
)

// MaxSpan bounds the bytes a Tracker holds: those read since the last
// offset asked about, which is where the JSON formats ask once a message.
// No chat message comes near it (Telegram caps a message at 4,096
// characters, WhatsApp at 65,536), so a longer span is a damaged or
// hostile document, and reading it would take memory without end. It is a
// variable so that tests can lower it.
var MaxSpan = 64 << 20

// ErrTooLong is the error Read returns, and Err reports, once more than
// MaxSpan bytes were read since the last offset asked about.
var ErrTooLong = errors.New("one value (a message, or what lies between two) is longer than the 64 MiB " +
	"chatferry reads at once; no chat export holds one that large, so the document is damaged")

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

// Read reads from the underlying reader and remembers the bytes; it
// fails with ErrTooLong once it holds more than MaxSpan of them.
func (t *Tracker) Read(p []byte) (int, error) {
	if len(t.buf) > MaxSpan {
		if t.err == nil {
			t.err = ErrTooLong
		}
		return 0, ErrTooLong
	}
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
