// Package vcard reads the contact cards (vCard 2.1, 3.0 and 4.0) that
// WhatsApp's databases keep for shared contacts, for the input formats that
// turn them into model.Contact. It is lenient: lines it does not
// understand are skipped, and it never fails.
package vcard

import (
	"io"
	"mime/quotedprintable"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// Parse reads the name and telephone numbers of one card. The card itself
// is kept whole in Contact.VCard; Name is the first FN, else the name
// the first N gives; Phones are the TEL values.
func Parse(card string) model.Contact {
	c := model.Contact{VCard: card}
	var n string
	for _, line := range unfold(card) {
		name, params, value, ok := splitLine(line)
		if !ok {
			continue
		}
		if strings.Contains(strings.ToUpper(params), "QUOTED-PRINTABLE") {
			value = decodeQuotedPrintable(value)
		}
		switch name {
		case "FN":
			if c.Name == "" {
				c.Name = strings.TrimSpace(unescape(value))
			}
		case "N":
			if n == "" {
				n = nameFromN(value)
			}
		case "TEL":
			v := strings.TrimSpace(unescape(value))
			if v = strings.TrimSpace(strings.TrimPrefix(v, "tel:")); v != "" { // vCard 4.0 writes a URI
				c.Phones = append(c.Phones, v)
			}
		}
	}
	if c.Name == "" {
		c.Name = n
	}
	return c
}

// unfold splits a card into logical lines: a line that starts with a
// space or tab continues the one before it.
func unfold(card string) []string {
	card = strings.ReplaceAll(card, "\r\n", "\n")
	card = strings.ReplaceAll(card, "\r", "\n")
	var lines []string
	for _, l := range strings.Split(card, "\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

// splitLine splits "item1.TEL;type=CELL:+44 ..." into the upper-case
// property name without its group ("TEL"), the parameters, and the value.
func splitLine(line string) (name, params, value string, ok bool) {
	colon := strings.IndexByte(line, ':')
	if colon <= 0 {
		return "", "", "", false
	}
	head, value := line[:colon], line[colon+1:]
	if semi := strings.IndexByte(head, ';'); semi >= 0 {
		head, params = head[:semi], head[semi+1:]
	}
	if dot := strings.LastIndexByte(head, '.'); dot >= 0 {
		head = head[dot+1:]
	}
	return strings.ToUpper(strings.TrimSpace(head)), params, value, true
}

// nameFromN turns "Family;Given;Middle;Prefix;Suffix" into "Prefix Given
// Middle Family Suffix", leaving out the empty parts.
func nameFromN(v string) string {
	parts := strings.Split(v, ";")
	var words []string
	for _, i := range []int{3, 1, 2, 0, 4} {
		if i < len(parts) {
			if w := strings.TrimSpace(unescape(parts[i])); w != "" {
				words = append(words, w)
			}
		}
	}
	return strings.Join(words, " ")
}

// unescape undoes the backslash escapes of vCard 3.0 and 4.0: \n and \N
// are line breaks, any other escaped character stands for itself.
func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
			switch v[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(v[i])
			}
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// decodeQuotedPrintable decodes a vCard 2.1 value; a broken one is kept as
// it is.
func decodeQuotedPrintable(v string) string {
	out, err := io.ReadAll(io.LimitReader(quotedprintable.NewReader(strings.NewReader(v)), int64(len(v))))
	if err != nil {
		return v
	}
	return string(out)
}
