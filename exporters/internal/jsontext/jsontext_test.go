package jsontext

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// appendStringSlow is AppendString one character at a time: the
// specification the fast version is checked against.
func appendStringSlow(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// Every byte in every position of an eight-byte word is escaped as the
// character-by-character version does.
func TestAppendStringEveryByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 17; pos++ {
			s := []byte(strings.Repeat("abcdefgh", 3))
			s[pos] = byte(c)
			for _, in := range []string{string(s), string(s[:pos+1]), string(s[pos:])} {
				got, want := AppendString(nil, in), appendStringSlow(nil, in)
				if string(got) != string(want) {
					t.Fatalf("%q: got %s, want %s", in, got, want)
				}
			}
		}
	}
}

func TestAppendStringRandom(t *testing.T) {
	alphabet := []string{"a", "Z", " ", "~", "\x7f", "\"", "\\", "\n", "\r", "\t", "\x00", "\x1f",
		"é", "🌴", "\u2028", "\u2029", "\u2027", "\u202a", "\xff", "\xe2\x80", "\xf0\x9f", "<", "&", "привет"}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for k := r.IntN(40); k > 0; k-- {
			sb.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := sb.String()
		if got, want := AppendString(nil, s), appendStringSlow(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text here", "a\"b\\c\nd\x01", "é🌴\u2028\xff", "12345678\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := AppendString(nil, s), appendStringSlow(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// BenchmarkAppendString measures the escaping of typical message texts.
func BenchmarkAppendString(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"ascii", "Hi Ben! Are we still on for the holiday? Leaving Friday at 7:30, see you there."},
		{"cyrillic", "Привет! Как дела? Завтра в 10 у метро."},
		{"mixed", "ok 👍 see you 😂 at the café, naïve straße"},
		{"escapes", "line one\nline \"two\"\n\tand a C:\\path"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			var buf []byte
			for b.Loop() {
				buf = AppendString(buf[:0], c.text)
			}
		})
	}
}
