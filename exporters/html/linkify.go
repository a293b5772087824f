package html

import (
	"net/url"
	"strings"

	"github.com/chatferry/chatferry/exporters/internal/markup"
)

// segment is a piece of message text: plain text, or a web link when URL
// is set, in the styles WhatsApp's markup gave it.
type segment struct {
	Text string
	URL  string

	Bold, Italic, Strike, Mono, Code bool
}

// shownText is text as the page shows it: without the marks of WhatsApp's
// formatting where they apply (a quote shows its words, unstyled).
func shownText(text string, markedUp bool) string {
	if !markedUp {
		return text
	}
	return markup.Strip(text)
}

// richText splits a message's text into segments: its web links, and,
// when the chat's text is written in WhatsApp's markup, its styled pieces
// without their markers.
func richText(text string, markedUp bool) []segment {
	if !markedUp {
		return linkify(text)
	}
	var out []segment
	for _, sp := range markup.Parse(text) {
		for _, sg := range linkify(sp.Text) {
			sg.Bold, sg.Italic, sg.Strike = sp.Style&markup.Bold != 0, sp.Style&markup.Italic != 0, sp.Style&markup.Strike != 0
			sg.Mono, sg.Code = sp.Style&markup.Mono != 0, sp.Style&markup.Code != 0
			out = append(out, sg)
		}
	}
	return out
}

// linkify splits text into plain segments and http(s) links. Only
// addresses that start with http:// or https:// and have a host become
// links; everything else, javascript: and data: addresses included, stays
// text. Trailing punctuation and an unbalanced closing bracket are left
// out of a link, as readers expect.
func linkify(text string) []segment {
	var out []segment
	rest := text
	for rest != "" {
		i := indexLinkStart(rest)
		if i < 0 {
			break
		}
		end := i + linkEnd(rest[i:])
		link := rest[i:end]
		if u, err := url.Parse(link); err != nil || u.Host == "" {
			out = appendText(out, rest[:end])
			rest = rest[end:]
			continue
		}
		out = appendText(out, rest[:i])
		out = append(out, segment{Text: link, URL: link})
		rest = rest[end:]
	}
	return appendText(out, rest)
}

func appendText(out []segment, s string) []segment {
	if s == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].URL == "" {
		out[n-1].Text += s
		return out
	}
	return append(out, segment{Text: s})
}

// indexLinkStart returns where the first http:// or https:// begins at
// the start of a word, ignoring ASCII case, or -1.
func indexLinkStart(s string) int {
	for i := 0; i+7 <= len(s); i++ {
		if s[i]|0x20 != 'h' || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		if hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://") {
			return i
		}
	}
	return -1
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-' || b == '/' || b == ':'
}

// linkEnd returns the length of the link at the start of s.
func linkEnd(s string) int {
	n := strings.IndexFunc(s, func(r rune) bool {
		return r <= ' ' || r == '<' || r == '>' || r == '"' || r == '`' || r == '{' || r == '}' || r == '|' ||
			r == '\\' || r == '^' || r == 0x7f || r == 0xa0 || r == '\u2028' || r == '\u2029'
	})
	if n < 0 {
		n = len(s)
	}
	for n > 0 {
		c := s[n-1]
		switch {
		case strings.IndexByte(".,;:!?'*_~", c) >= 0:
			n--
		case c == ')' && strings.Count(s[:n], "(") < strings.Count(s[:n], ")"),
			c == ']' && strings.Count(s[:n], "[") < strings.Count(s[:n], "]"):
			n--
		default:
			return n
		}
	}
	return n
}
