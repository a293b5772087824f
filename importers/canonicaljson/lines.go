package canonicaljson

import (
	"bytes"
	"io"
)

// lineTracker passes reads through and maps byte offsets of the stream to
// line numbers. It keeps only the bytes after the last offset asked about,
// so offsets must be asked in non-decreasing order.
type lineTracker struct {
	r    io.Reader
	buf  []byte // bytes from base to the read position
	base int64
	line int // line number at base
}

func newLineTracker(r io.Reader, line int) *lineTracker {
	return &lineTracker{r: r, line: line}
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// lineAt returns the line of the first byte at or after off that is not
// JSON whitespace or a separator, and forgets the bytes before off.
func (t *lineTracker) lineAt(off int64) int {
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
