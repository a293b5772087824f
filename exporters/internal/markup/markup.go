// Package markup reads WhatsApp's text formatting — *bold*, _italic_,
// ~strikethrough~, ```monospace``` and `inline code` — out of message
// text, for the exporters whose targets can show styles (the HTML archive
// and Signal's body ranges). WhatsApp shows a styled piece without its
// markers, and so do they.
//
// The rules are deliberately strict, so that text that was never meant as
// formatting (2*3*4, snake_case_names, a lone ~) stays as written:
//   - an opening marker starts the text or follows a character that is not
//     a letter, digit or the same marker, and is followed by a character
//     that is not a space or the same marker;
//   - its closing marker is the first one after it that follows a
//     character that is not a space or the same marker, and that ends the
//     text or is followed by a character that is not a letter or digit;
//   - the styled text does not cross a line break, except in a
//     ```monospace``` block, and is not empty;
//   - styles nest (*_bold italic_*), a style is not nested in itself, and
//     nothing is styled inside monospace, inline code or a web address.
package markup

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Style is a set of text styles.
type Style uint8

// The styles WhatsApp's markers give.
const (
	Bold   Style = 1 << iota // *bold*
	Italic                   // _italic_
	Strike                   // ~strikethrough~
	Mono                     // ```monospace```, which may span lines
	Code                     // `inline code`
)

// Span is a piece of text in one set of styles, its markers removed.
type Span struct {
	Text  string
	Style Style
}

// Applies reports whether the text of a chat read by the importer named
// format is written in WhatsApp's markup: WhatsApp's own exports and
// databases, and chatferry's JSON of them (which keeps the format).
func Applies(format string) bool {
	switch format {
	case "whatsapp", "whatsapp-android", "whatsapp-ios":
		return true
	}
	return false
}

// Parse splits text into spans. Joining the spans' texts gives text with
// the markers of its styled pieces removed; text without markup is one
// plain span (none for empty text).
func Parse(text string) []Span {
	if !strings.ContainsAny(text, "*_~`") {
		if text == "" {
			return nil
		}
		return []Span{{Text: text}}
	}
	return parse(nil, text, 0)
}

// Strip returns text as WhatsApp shows it, unstyled: without the marks of
// its styled pieces.
func Strip(text string) string {
	spans := Parse(text)
	if len(spans) == 1 {
		return spans[0].Text
	}
	var b strings.Builder
	for _, sp := range spans {
		b.WriteString(sp.Text)
	}
	return b.String()
}

// markerStyle returns the style marker c gives, or 0.
func markerStyle(c byte) Style {
	switch c {
	case '*':
		return Bold
	case '_':
		return Italic
	case '~':
		return Strike
	case '`':
		return Code
	}
	return 0
}

// parse appends the spans of s, in which style already applies, to out.
func parse(out []Span, s string, style Style) []Span {
	plain := 0 // start of the text not yet appended
	// A marker that finds no closing one finds none for a later marker
	// of its kind before the same line break either (a closing marker
	// depends only on its neighbours), so each line is searched once
	// per kind: without this, a long line of lone markers would take
	// quadratic time.
	var noClose [256]int // no closing marker of this kind before this index
	noFence := false     // no ``` closes a block: none opens a later one
	flush := func(end int) {
		if end > plain {
			out = appendSpan(out, Span{Text: s[plain:end], Style: style})
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == 'h' || c == 'H' {
			if n := webAddress(s, i); n > 0 {
				i += n
				continue
			}
		}
		st := markerStyle(c)
		if st == 0 || style&st != 0 || !opens(s, i) {
			i++
			continue
		}
		if c == '`' && strings.HasPrefix(s[i:], "```") {
			j := -1
			if !noFence {
				j = strings.Index(s[i+3:], "```")
				noFence = j < 0
				switch {
				case scanned == nil:
				case j >= 0:
					*scanned += 3 + j + 3 // up to the closing fence
				default:
					*scanned += len(s) - i // to the end
				}
			}
			if j > 0 && strings.TrimSpace(s[i+3:i+3+j]) != "" {
				flush(i)
				out = appendSpan(out, Span{Text: s[i+3 : i+3+j], Style: style | Mono})
				i += 3 + j + 3
				plain = i
				continue
			}
			i += 3
			continue
		}
		if i < noClose[c] {
			i++
			continue
		}
		k := closing(s, i)
		if k < 0 {
			noClose[c] = len(s)
			if nl := strings.IndexByte(s[i:], '\n'); nl >= 0 {
				noClose[c] = i + nl
			}
		}
		if scanned != nil {
			*scanned += max(k, noClose[c]) - i
		}
		if k < 0 {
			i++
			continue
		}
		flush(i)
		if st == Code {
			out = appendSpan(out, Span{Text: s[i+1 : k], Style: style | Code})
		} else {
			out = parse(out, s[i+1:k], style|st)
		}
		i = k + 1
		plain = i
	}
	flush(len(s))
	return out
}

// scanned, when set (by tests), counts the bytes searched for closing
// markers.
var scanned *int

// appendSpan appends sp to out, joining it to the last span when their
// styles are the same.
func appendSpan(out []Span, sp Span) []Span {
	if n := len(out); n > 0 && out[n-1].Style == sp.Style {
		out[n-1].Text += sp.Text
		return out
	}
	return append(out, sp)
}

// opens reports whether the marker at s[i] can open a styled piece.
func opens(s string, i int) bool {
	c := s[i]
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if r == rune(c) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if c == '`' && strings.HasPrefix(s[i:], "```") {
		return true // a monospace block: its own rules
	}
	if i+1 >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return r != rune(c) && !unicode.IsSpace(r)
}

// closing returns where the marker closing the one at s[i] is, or -1.
func closing(s string, i int) int {
	c := s[i]
	for k := i + 2; k < len(s); k++ {
		switch s[k] {
		case '\n':
			return -1
		case c:
		default:
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:k])
		if before == rune(c) || unicode.IsSpace(before) {
			continue
		}
		if k+1 < len(s) {
			after, _ := utf8.DecodeRuneInString(s[k+1:])
			if unicode.IsLetter(after) || unicode.IsDigit(after) {
				continue
			}
		}
		return k
	}
	return -1
}

// webAddress returns the length of the web address (http:// or https://
// at the start of a word, up to the next space) at s[i], or 0.
func webAddress(s string, i int) int {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return 0
		}
	}
	rest := s[i:]
	if !hasPrefixFold(rest, "http://") && !hasPrefixFold(rest, "https://") {
		return 0
	}
	n := strings.IndexFunc(rest, unicode.IsSpace)
	if n < 0 {
		n = len(rest)
	}
	// Trailing markers belong to the text around the address, as in
	// *see https://example.org*.
	for n > 0 && markerStyle(rest[n-1]) != 0 {
		n--
	}
	return n
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
