package markdown

import (
	"bytes"
	"strings"
	"unicode"
)

// appendEscaped appends s, text from a chat, so that a CommonMark or GitHub
// renderer shows it as written and never as markup or HTML: every
// character that can open inline markup (emphasis, code, links, images,
// HTML, entities, strikethrough, tables, math) is backslash-escaped, and
// so is a character that would start a block (heading, list, quote,
// setext underline, table delimiter row) at the beginning of a line. lineStart says that s
// begins a rendered line; heading that s is inside an ATX heading, where
// a '#' anywhere can close it.
//
// Web addresses need care: GitHub links a bare address by reading the raw
// line, so a backslash inside one would end up in the link and break it.
// An http, https or ftp address is therefore written as an autolink,
// <https://…>, whose text renderers take literally, and "www." gets an
// escaped dot so that it is not linked with its escapes. E-mail addresses
// are linked after escapes are resolved, and show as written.
//
// s must be one line. GitHub still shows ":name:" emoji codes as emoji.
func appendEscaped(b []byte, s string, lineStart, heading bool) []byte {
	start := 0
	if lineStart {
		// Skip indentation: the renderer ignores it, but the first
		// character after it can still start a block.
		for start < len(s) && (s[start] == ' ' || s[start] == '\t') {
			start++
		}
		b = append(b, s[:start]...)
		if start < len(s) {
			switch c := s[start]; {
			case c == '#' || c == '-' || c == '+' || c == '=' || c == '>':
				b = append(b, '\\', c)
				start++
			case c == ':' && strings.HasPrefix(strings.TrimLeft(s[start+1:], " \t"), "-"):
				// ":-" alone on a line is the delimiter row of a table
				// whose header is the line above.
				b = append(b, '\\', c)
				start++
			case c >= '0' && c <= '9':
				// "1." or "1)" starts an ordered list: escape the
				// delimiter.
				j := start
				for j < len(s) && j-start < 10 && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				if j < len(s) && (s[j] == '.' || s[j] == ')') {
					b = append(b, s[start:j]...)
					b = append(b, '\\', s[j])
					start = j + 1
				}
			}
		}
	}
	for i := start; i < len(s); i++ {
		c := s[i]
		if c == 'h' || c == 'H' || c == 'f' || c == 'F' {
			if n := urlLen(s, i); n > 0 {
				b = append(b, '<')
				b = append(b, s[i:i+n]...)
				b = append(b, '>')
				i += n - 1
				continue
			}
		}
		if (c == 'w' || c == 'W') && len(s)-i >= 4 && strings.EqualFold(s[i:i+4], "www.") {
			b = append(b, s[i:i+3]...)
			b = append(b, '\\', '.')
			i += 3
			continue
		}
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '|', '~', '$':
			b = append(b, '\\', c)
		case '&':
			// Only "&name;" and "&#…;" are entities.
			if i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '#') {
				b = append(b, '\\')
			}
			b = append(b, c)
		case '#':
			if heading {
				b = append(b, '\\')
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return b
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// urlLen returns the length of the web address (http, https or ftp) that
// starts at s[i], or 0. Like GitHub, it takes an address wherever its
// scheme starts (even right after a letter), ends it at white space or an
// angle bracket, and leaves trailing punctuation and an unmatched closing
// parenthesis out.
func urlLen(s string, i int) int {
	rest := s[i:]
	var scheme int
	for _, p := range [...]string{"http://", "https://", "ftp://"} {
		if len(rest) > len(p) && strings.EqualFold(rest[:len(p)], p) {
			scheme = len(p)
		}
	}
	if scheme == 0 {
		return 0
	}
	end := strings.IndexFunc(rest, func(r rune) bool {
		return r == '<' || r == '>' || r < 0x20 || r == 0x7f || unicode.IsSpace(r)
	})
	if end < 0 {
		end = len(rest)
	}
	for end > scheme {
		c := rest[end-1]
		if strings.IndexByte("?!.,:;*_~'\"\\", c) >= 0 ||
			c == ')' && strings.Count(rest[:end], "(") < strings.Count(rest[:end], ")") {
			end--
			continue
		}
		break
	}
	if end == scheme {
		return 0
	}
	return end
}

// textLines escapes the lines of text (split at "\n") and returns them as
// rendered lines: the first continues head, each further one starts a line.
func textLines(head []byte, text []string) [][]byte {
	lines := make([][]byte, 0, len(text))
	if text[0] != "" {
		head = append(head, ' ')
		head = appendEscaped(head, text[0], false, false)
	}
	lines = append(lines, head)
	for _, l := range text[1:] {
		lines = append(lines, appendEscaped(nil, l, true, false))
	}
	return lines
}

// appendParagraph appends lines as one paragraph, joined by hard line
// breaks (a backslash at the end of a line). Blank lines at the end are
// dropped, since a paragraph cannot end with a break. A line that itself
// ends with a backslash gets it as the entity &#92;, which renderers
// disagree about when a hard break follows.
func appendParagraph(b []byte, lines [][]byte) []byte {
	for len(lines) > 1 && len(bytes.Trim(lines[len(lines)-1], " \t")) == 0 {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		last := i == len(lines)-1
		if !last && bytes.HasSuffix(l, []byte(`\\`)) {
			l = append(l[:len(l)-2:len(l)-2], "&#92;"...)
		}
		b = append(b, l...)
		if !last {
			b = append(b, "\\\n"...)
		}
	}
	return append(b, "\n\n"...)
}

// linkPath turns a relative path with forward slashes into a link
// destination that every renderer follows: in each element every byte but
// ASCII letters, digits and "-._~" is percent-encoded, so spaces,
// parentheses, colons and non-ASCII letters cannot end or break the link.
func linkPath(rel string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(rel); i++ {
		c := rel[i]
		if c == '/' || isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
