package telegramjson

import (
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/exporters/internal/jsontext"
)

// The writer lays JSON out as Telegram Desktop does: one key per line,
// indented by one space per level of nesting, ", " never used, empty arrays
// as "[]" where Telegram writes them so, no newline at the end. Strings are
// escaped as Telegram Desktop escapes them (U+2028/U+2029 included), except
// that other control characters become "\u000N" where Telegram Desktop
// writes "\x0N", which is not JSON.

// kv is one key of an object; an empty value leaves the key out, as
// Telegram Desktop does.
type kv struct {
	k string
	v []byte
}

func spaces(b []byte, n int) []byte {
	for range n {
		b = append(b, ' ')
	}
	return b
}

// object renders an object whose opening brace stands at depth.
func object(depth int, kvs []kv) []byte {
	b := []byte{'{'}
	first := true
	for _, p := range kvs {
		if len(p.v) == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '\n')
		b = spaces(b, depth+1)
		b = jsontext.AppendString(b, p.k)
		b = append(b, ": "...)
		b = append(b, p.v...)
	}
	b = append(b, '\n')
	b = spaces(b, depth)
	return append(b, '}')
}

// array renders an array whose opening bracket stands at depth; items
// were rendered at depth+1.
func array(depth int, items [][]byte) []byte {
	b := []byte{'['}
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = spaces(b, depth+1)
		b = append(b, it...)
	}
	b = append(b, '\n')
	b = spaces(b, depth)
	return append(b, ']')
}

func str(s string) []byte { return jsontext.AppendString(nil, s) }

// strOrNull renders s, or null when it is empty (Telegram's names).
func strOrNull(s string) []byte {
	if s == "" {
		return []byte("null")
	}
	return str(s)
}

// nonEmpty renders s, or nothing (the key is left out) when it is empty.
func nonEmpty(s string) []byte {
	if s == "" {
		return nil
	}
	return str(s)
}

func num(n int64) []byte { return strconv.AppendInt(nil, n, 10) }

func float(f float64) []byte { return strconv.AppendFloat(nil, f, 'f', -1, 64) }

func boolean(v bool) []byte { return strconv.AppendBool(nil, v) }

// indent returns text with n spaces added after every line break, so that
// an object rendered at depth d can stand at depth d+n.
func indent(text []byte, n int) []byte {
	if n == 0 {
		return text
	}
	pad := "\n" + strings.Repeat(" ", n)
	return []byte(strings.ReplaceAll(string(text), "\n", pad))
}
