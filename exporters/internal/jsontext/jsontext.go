// Package jsontext writes JSON text fast, for the exporters that stream
// JSON by hand (the canonical JSON and Telegram Desktop's result.json).
package jsontext

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// Masks for testing eight bytes at once (see plainASCII).
const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainASCII reports whether the eight bytes of w are printable ASCII
// that JSON needs no escape for: no control character, quote, backslash or
// byte of a multi-byte sequence. A byte below 0x20 borrows into its own high
// bit when 0x20 is subtracted, as a quote or backslash does when its XOR
// with itself (zero) has one subtracted; a borrow reaches the next byte only
// from a byte that is already flagged, so the test has no false negatives.
func plainASCII(w string) bool {
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	return (x|(x-0x20*lows)|((x^'"'*lows)-lows)|((x^'\\'*lows)-lows))&highs == 0
}

// plain marks the ASCII bytes JSON strings hold as they are.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendString appends s as a JSON string. Control characters, quotes and
// backslashes are escaped, as are U+2028 and U+2029 (for JavaScript
// readers); invalid UTF-8 becomes U+FFFD, one for each byte that
// utf8.DecodeRuneInString reads as an error. Everything else, including
// '<', '>' and '&', is written as is. Runs of plain ASCII are skipped eight
// bytes at a time, characters are checked without decoding them, and
// everything that needs no escape is copied at once.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start, i := 0, 0
	for {
		for i+8 <= len(s) && plainASCII(s[i:i+8]) {
			i += 8
		}
		for i < len(s) && plain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		// Valid two-byte characters (Latin, Greek, Cyrillic, Arabic…)
		// never need an escape.
		for i+1 < len(s) && s[i] >= 0xC2 && s[i] < 0xE0 && s[i+1]&0xC0 == 0x80 {
			i += 2
		}
		if i == len(s) || s[i] < utf8.RuneSelf {
			continue
		}
		c = s[i]
		n := validRuneLen(s, i)
		switch {
		case n == 0:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
		case n == 3 && c == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xf])
			i += 3
			start = i
		default:
			i += n
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// validRuneLen returns the length of the valid UTF-8 encoding of a
// character at s[i:], which starts with a byte above 0x7F, or 0 where
// utf8.DecodeRuneInString reports an error (a stray continuation byte, an
// overlong form, a surrogate, a code point above U+10FFFF, a cut sequence).
func validRuneLen(s string, i int) int {
	c := s[i]
	switch {
	case c >= 0xC2 && c < 0xE0:
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			return 2
		}
	case c >= 0xE0 && c < 0xF0:
		if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(c != 0xE0 || s[i+1] >= 0xA0) && (c != 0xED || s[i+1] < 0xA0) {
			return 3
		}
	case c >= 0xF0 && c < 0xF5:
		if i+3 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 && s[i+3]&0xC0 == 0x80 &&
			(c != 0xF0 || s[i+1] >= 0x90) && (c != 0xF4 || s[i+1] < 0x90) {
			return 4
		}
	}
	return 0
}
