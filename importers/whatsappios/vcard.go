package whatsappios

import (
	"io"
	"mime/quotedprintable"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// A contact message keeps its cards in ZWAMEDIAITEM.ZVCARDSTRING, joined by
// vcardSeparator, and their display names in ZVCARDNAME, joined by
// nameSeparator. When one message shares several contacts, the names list
// starts with a name for the whole bundle.
const (
	vcardSeparator = "_$!<VCard-Separator>!$_"
	nameSeparator  = "_$!<Name-Separator>!$_"
)

// maxCards bounds how many cards one message may yield.
const maxCards = 1000

// parseContacts returns the contacts of a contact message. Each keeps its
// raw card; Name comes from the names list, else the card's FN or N; Phones
// are the card's TEL values.
func parseContacts(names, cards string) []model.Contact {
	if strings.TrimSpace(cards) == "" {
		if strings.TrimSpace(names) == "" {
			return nil
		}
		return []model.Contact{{Name: names}}
	}
	list := strings.SplitN(cards, vcardSeparator, maxCards)
	var nameList []string
	if names != "" {
		nameList = strings.SplitN(names, nameSeparator, maxCards+1)
		if len(nameList) > len(list) {
			nameList = nameList[len(nameList)-len(list):]
		}
	}
	out := make([]model.Contact, 0, len(list))
	for i, card := range list {
		c := parseVCard(card)
		c.VCard = card
		if i < len(nameList) && strings.TrimSpace(nameList[i]) != "" {
			c.Name = strings.TrimSpace(nameList[i])
		}
		out = append(out, c)
	}
	return out
}

// parseVCard reads the name and telephone numbers of one vCard (2.1, 3.0 or
// 4.0). It is lenient: lines it does not understand are skipped.
func parseVCard(card string) model.Contact {
	var c model.Contact
	var n string
	for _, line := range unfoldVCard(card) {
		name, params, value, ok := splitVCardLine(line)
		if !ok {
			continue
		}
		if strings.Contains(strings.ToUpper(params), "QUOTED-PRINTABLE") {
			value = decodeQuotedPrintable(value)
		}
		switch name {
		case "FN":
			if c.Name == "" {
				c.Name = unescapeVCard(value)
			}
		case "N":
			if n == "" {
				n = nameFromN(value)
			}
		case "TEL":
			if v := strings.TrimSpace(unescapeVCard(value)); v != "" {
				c.Phones = append(c.Phones, v)
			}
		}
	}
	if c.Name == "" {
		c.Name = n
	}
	return c
}

// unfoldVCard splits a card into logical lines: a line that starts with a
// space or tab continues the one before it.
func unfoldVCard(card string) []string {
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

// splitVCardLine splits "item1.TEL;type=CELL:+44 ..." into the upper-case
// property name without its group ("TEL"), the parameters, and the value.
func splitVCardLine(line string) (name, params, value string, ok bool) {
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

// nameFromN turns "Family;Given;Middle;Prefix;Suffix" into "Given Middle
// Family".
func nameFromN(v string) string {
	parts := strings.Split(v, ";")
	order := []int{3, 1, 2, 0, 4}
	var words []string
	for _, i := range order {
		if i < len(parts) {
			if w := strings.TrimSpace(unescapeVCard(parts[i])); w != "" {
				words = append(words, w)
			}
		}
	}
	return strings.Join(words, " ")
}

func unescapeVCard(v string) string {
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

func decodeQuotedPrintable(v string) string {
	out, err := io.ReadAll(io.LimitReader(quotedprintable.NewReader(strings.NewReader(v)), int64(len(v))))
	if err != nil {
		return v
	}
	return string(out)
}
