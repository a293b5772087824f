package whatsapp

import (
	"fmt"
	"strings"
)

// A pattern describes one system line, such as
//
//	{actor} changed the [subject|group name][ from “{any}”]? to “{subject}”
//
// Literal text matches itself; {actor} and {targets} match one or more
// characters, {subject} and {any} zero or more ({any} is not kept);
// {actor:phone} and {targets:phone} match "+" and digits, spaces,
// parentheses and hyphens; “ matches an opening quote (" “ „ «), ” a
// closing one (" ” “ »); [a|b] is either a or b, and [a]? is a or
// nothing. A pattern matches a whole line. Where a line can be split in
// several ways, the first capture takes as much as it can, then the next
// (as regular expressions do); of a pattern's alternatives the first that
// matches wins. Patterns are plain data: adding a language adds lines, not
// code.

// capture names a part of a line that a pattern keeps.
type capture uint8

const (
	capNone capture = iota
	capActor
	capTargets
	capSubject
	numCaptures
)

type elemKind uint8

const (
	elemLiteral elemKind = iota
	elemOpenQuote
	elemCloseQuote
	elemCapture
)

// elem is one piece of a compiled pattern.
type elem struct {
	kind  elemKind
	lit   string  // elemLiteral
	cap   capture // elemCapture: where the text goes (capNone: dropped)
	min   int     // elemCapture: the shortest text it takes
	phone bool    // elemCapture: only "+" and phone-number characters
}

// compiledPattern is one alternative of a pattern.
type compiledPattern struct {
	elems []elem
	key   string // its longest literal, which every matching line holds
	rule  int    // index of the rule it belongs to
}

// expandPattern returns the alternatives of a pattern, in order.
func expandPattern(p string) []string {
	open := strings.IndexByte(p, '[')
	if open < 0 {
		return []string{p}
	}
	end := strings.IndexByte(p[open:], ']')
	if end < 0 {
		panic(fmt.Sprintf("pattern %q: [ without ]", p))
	}
	end += open
	inner, rest := p[open+1:end], p[end+1:]
	alts := strings.Split(inner, "|")
	if strings.HasPrefix(rest, "?") {
		rest = rest[1:]
		alts = append(alts, "")
	}
	var out []string
	for _, a := range alts {
		out = append(out, expandPattern(p[:open]+a+rest)...)
	}
	return out
}

// compilePattern turns one alternative into elements.
func compilePattern(p string) []elem {
	var out []elem
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].kind == elemLiteral {
			out[n-1].lit += s
			return
		}
		out = append(out, elem{kind: elemLiteral, lit: s})
	}
	for p != "" {
		switch {
		case p[0] == '{':
			end := strings.IndexByte(p, '}')
			if end < 0 {
				panic(fmt.Sprintf("pattern %q: { without }", p))
			}
			name := p[1:end]
			p = p[end+1:]
			e := elem{kind: elemCapture}
			name, e.phone = strings.CutSuffix(name, ":phone")
			switch name {
			case "actor":
				e.cap, e.min = capActor, 1
			case "targets":
				e.cap, e.min = capTargets, 1
			case "subject":
				e.cap = capSubject
			case "any":
			default:
				panic(fmt.Sprintf("pattern: unknown part {%s}", name))
			}
			if e.phone {
				e.min = 2
			}
			if n := len(out); n > 0 && out[n-1].kind == elemCapture {
				panic("pattern: two parts in a row cannot be told apart")
			}
			out = append(out, e)
		case strings.HasPrefix(p, "“"):
			out = append(out, elem{kind: elemOpenQuote})
			p = p[len("“"):]
		case strings.HasPrefix(p, "”"):
			out = append(out, elem{kind: elemCloseQuote})
			p = p[len("”"):]
		default:
			n := strings.IndexAny(p, "{“”")
			if n < 0 {
				n = len(p)
			}
			lit(p[:n])
			p = p[n:]
		}
	}
	return out
}

// quoteLen returns the length of a quote of the given kind at s[i:], or 0.
func quoteLen(s string, i int, kind elemKind) int {
	if i >= len(s) {
		return 0
	}
	if s[i] == '"' {
		return 1
	}
	rest := s[i:]
	if kind == elemOpenQuote {
		switch {
		case strings.HasPrefix(rest, "“"), strings.HasPrefix(rest, "„"):
			return 3
		case strings.HasPrefix(rest, "«"):
			return 2
		}
		return 0
	}
	switch {
	case strings.HasPrefix(rest, "”"), strings.HasPrefix(rest, "“"):
		return 3
	case strings.HasPrefix(rest, "»"):
		return 2
	}
	return 0
}

// span is a captured part of a line.
type span struct{ from, to int }

// match reports whether els match s[pos:] to its end, and records the
// captures.
func match(els []elem, s string, pos int, caps *[numCaptures]span) bool {
	if len(els) == 0 {
		return pos == len(s)
	}
	e := els[0]
	switch e.kind {
	case elemLiteral:
		return strings.HasPrefix(s[pos:], e.lit) && match(els[1:], s, pos+len(e.lit), caps)
	case elemOpenQuote, elemCloseQuote:
		n := quoteLen(s, pos, e.kind)
		return n > 0 && match(els[1:], s, pos+n, caps)
	}
	// A capture: try its ends from the longest.
	lo := pos + e.min
	if lo > len(s) {
		return false
	}
	if e.phone && s[pos] != '+' {
		return false
	}
	take := func(end int) bool {
		if e.phone && !phoneChars(s[pos+1:end]) {
			return false
		}
		if !match(els[1:], s, end, caps) {
			return false
		}
		caps[e.cap] = span{pos, end}
		return true
	}
	if len(els) == 1 {
		return take(len(s))
	}
	if next := els[1]; next.kind == elemLiteral {
		hi := len(s)
		for hi-lo >= len(next.lit) {
			j := strings.LastIndex(s[lo:hi], next.lit)
			if j < 0 {
				return false
			}
			end := lo + j
			if take(end) {
				return true
			}
			hi = end + len(next.lit) - 1
		}
		return false
	}
	for end := len(s); end >= lo; end-- {
		if take(end) {
			return true
		}
	}
	return false
}

func phoneChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == ' ', c == '(', c == ')', c == '-':
		default:
			return false
		}
	}
	return true
}

// patternIndex finds the patterns a line may match: those whose key it
// holds, found in one pass over the line with a bitmap of the keys' first
// two bytes.
type patternIndex struct {
	patterns []compiledPattern
	keys     []string
	keyOf    []int // key index of each pattern
	first2   bitmap16
	byFirst2 map[uint16][]int
}

// maxPatternKeys bounds the distinct keys (the matcher's bitset).
const maxPatternKeys = 64 * 32

func newPatternIndex(patterns []compiledPattern) *patternIndex {
	x := &patternIndex{patterns: patterns, byFirst2: map[uint16][]int{}}
	ids := map[string]int{}
	for _, p := range patterns {
		id, ok := ids[p.key]
		if !ok {
			if len(p.key) < 2 {
				panic(fmt.Sprintf("pattern key %q: a pattern needs a literal of two bytes or more", p.key))
			}
			id = len(x.keys)
			ids[p.key] = id
			x.keys = append(x.keys, p.key)
			x.first2.set(p.key[0], p.key[1])
			pair := uint16(p.key[0])<<8 | uint16(p.key[1])
			x.byFirst2[pair] = append(x.byFirst2[pair], id)
		}
		x.keyOf = append(x.keyOf, id)
	}
	if len(x.keys) > maxPatternKeys {
		panic("too many pattern keys")
	}
	return x
}

// find returns the first pattern that matches s, with its captures.
func (x *patternIndex) find(s string) (*compiledPattern, [numCaptures]span, bool) {
	var caps [numCaptures]span
	var found [maxPatternKeys / 64]uint64
	any := false
	for i := 0; i+1 < len(s); i++ {
		if !x.first2.has(s[i], s[i+1]) {
			continue
		}
		for _, k := range x.byFirst2[uint16(s[i])<<8|uint16(s[i+1])] {
			if strings.HasPrefix(s[i:], x.keys[k]) {
				found[k>>6] |= 1 << (k & 63)
				any = true
			}
		}
	}
	if !any {
		return nil, caps, false
	}
	for i := range x.patterns {
		k := x.keyOf[i]
		if found[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		caps = [numCaptures]span{}
		if match(x.patterns[i].elems, s, 0, &caps) {
			return &x.patterns[i], caps, true
		}
	}
	return nil, caps, false
}

// compileRules expands and compiles the patterns of rules, in order.
func compileRules(patterns []string) []compiledPattern {
	var out []compiledPattern
	for i, p := range patterns {
		for _, alt := range expandPattern(p) {
			els := compilePattern(alt)
			key := ""
			for _, e := range els {
				if e.kind == elemLiteral && len(e.lit) > len(key) {
					key = e.lit
				}
			}
			out = append(out, compiledPattern{elems: els, key: key, rule: i})
		}
	}
	return out
}
