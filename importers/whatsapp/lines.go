package whatsapp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxLine bounds one line of a transcript. WhatsApp limits a message to
// 65,536 characters, so a longer line means the input is not a transcript
// (or is damaged); reading stops with a clear error instead of growing.
const MaxLine = 1 << 20

// MaxRecord bounds one message (a header line and its continuation lines).
const MaxRecord = 4 << 20

// errLineTooLong is wrapped by the errors for lines above MaxLine.
var errLineTooLong = errors.New("line too long")

// encoding is how a transcript's bytes encode text.
type encoding int

const (
	utf8Plain encoding = iota
	utf8BOM
	utf16LE
	utf16BE
)

func (e encoding) String() string {
	switch e {
	case utf8BOM:
		return "utf-8 with byte order mark"
	case utf16LE:
		return "utf-16le"
	case utf16BE:
		return "utf-16be"
	}
	return "utf-8"
}

// sniffEncoding reads the byte order mark at the start of head.
func sniffEncoding(head []byte) encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return utf8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return utf16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return utf16BE
	}
	return utf8Plain
}

// lineReader splits a transcript into lines. It strips the byte order
// mark, decodes UTF-16, and removes the line ending: "\n" and any carriage
// returns before it. A carriage return alone does not end a line.
type lineReader struct {
	br   *bufio.Reader
	long []byte // assembles lines longer than the bufio buffer
	line int    // number of the line last returned
	cut  bool   // the last line had no line ending
	done bool
}

func newLineReader(r io.Reader) (*lineReader, encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, 0, err
	}
	enc := sniffEncoding(head)
	switch enc {
	case utf8BOM:
		br.Discard(3)
	case utf16LE, utf16BE:
		br.Discard(2)
		br = bufio.NewReaderSize(&utf16Reader{r: br, big: enc == utf16BE}, 64<<10)
	}
	return &lineReader{br: br}, enc, nil
}

// tooLong stops the reader at the line after the last one read, which is
// longer than MaxLine, and returns the error that says so.
func (lr *lineReader) tooLong() error {
	lr.done = true
	return fmt.Errorf("%w: more than %d bytes; this does not look like a WhatsApp transcript", errLineTooLong, MaxLine)
}

// errLine returns the line an error of next is about: the line after
// the last one read.
func (lr *lineReader) errLine() int { return lr.line + 1 }

// next returns the next line without its ending, valid until the next
// call, or io.EOF after the last line.
func (lr *lineReader) next() ([]byte, error) {
	if lr.done {
		return nil, io.EOF
	}
	b, err := lr.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		lr.long = append(lr.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(lr.long) > MaxLine {
				return nil, lr.tooLong()
			}
			b, err = lr.br.ReadSlice('\n')
			lr.long = append(lr.long, b...)
		}
		b = lr.long
	}
	switch {
	case err == nil:
		lr.line++
		b = b[:len(b)-1]
	case errors.Is(err, io.EOF):
		lr.done = true
		if len(b) == 0 {
			return nil, io.EOF
		}
		lr.line++
		lr.cut = true
	default:
		return nil, err
	}
	if len(b) > MaxLine {
		lr.line--
		return nil, lr.tooLong()
	}
	for len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b, nil
}

// validUpToCut reports whether b, a last line cut off, is valid UTF-8 but
// for a character the cut left incomplete at its end (a cut the cut-off
// warning reports already).
func validUpToCut(b []byte) bool {
	for k := 1; k <= 3 && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			return incompleteRune(b) && utf8.Valid(b[:len(b)-k])
		}
	}
	return false
}

// incompleteRune reports whether b ends in the middle of a UTF-8 sequence.
func incompleteRune(b []byte) bool {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return false
		}
		if utf8.RuneStart(c) {
			return !utf8.FullRune(b[len(b)-i:])
		}
	}
	return false
}

// utf16Reader decodes UTF-16 into UTF-8 as it is read.
type utf16Reader struct {
	r    io.Reader
	big  bool
	in   [4096]byte
	n    int    // undecoded bytes at the start of in
	out  []byte // decoded bytes not yet returned
	buf  []byte // backing store of out
	err  error
	high rune // a high surrogate waiting for its pair
	odd  bool // the input ended with half a code unit
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if u.high != 0 {
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.high = 0
				continue
			}
			if u.n == 1 && !u.odd {
				u.odd = true
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				continue
			}
			return 0, u.err
		}
		m, err := u.r.Read(u.in[u.n:])
		u.n += m
		u.err = err
		u.decode()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) decode() {
	out := u.buf[:0]
	i := 0
	for ; i+1 < u.n; i += 2 {
		var c rune
		if u.big {
			c = rune(u.in[i])<<8 | rune(u.in[i+1])
		} else {
			c = rune(u.in[i+1])<<8 | rune(u.in[i])
		}
		switch {
		case u.high != 0 && utf16.IsSurrogate(c) && c >= 0xDC00:
			out = utf8.AppendRune(out, utf16.DecodeRune(u.high, c))
			u.high = 0
			continue
		case u.high != 0:
			out = utf8.AppendRune(out, utf8.RuneError)
			u.high = 0
		}
		switch {
		case c >= 0xD800 && c < 0xDC00:
			u.high = c
		case utf16.IsSurrogate(c):
			out = utf8.AppendRune(out, utf8.RuneError)
		default:
			out = utf8.AppendRune(out, c)
		}
	}
	u.n = copy(u.in[:], u.in[i:u.n])
	u.buf, u.out = out, out
}
