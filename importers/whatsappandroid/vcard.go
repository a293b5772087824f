package whatsappandroid

import (
	"strings"

	"github.com/chatferry/chatferry/model"
)

// parseVCard reads the name and phone numbers of a vCard (versions 2.1,
// 3.0 and 4.0 as WhatsApp writes them). The card itself is kept whole in
// Contact.VCard; this only picks what the model names.
func parseVCard(card string) model.Contact {
	c := model.Contact{VCard: card}
	var n string
	for _, line := range unfoldVCard(card) {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		prop, _, _ := strings.Cut(name, ";")
		if i := strings.LastIndexByte(prop, '.'); i >= 0 { // "item1.TEL"
			prop = prop[i+1:]
		}
		switch strings.ToUpper(prop) {
		case "FN":
			c.Name = unescapeVCard(value)
		case "N":
			n = value
		case "TEL":
			if v := strings.TrimSpace(value); v != "" {
				c.Phones = append(c.Phones, strings.TrimPrefix(v, "tel:"))
			}
		}
	}
	if c.Name == "" && n != "" {
		// N is family;given;additional;prefix;suffix
		parts := strings.Split(n, ";")
		var out []string
		if len(parts) > 1 && parts[1] != "" {
			out = append(out, parts[1])
		}
		if parts[0] != "" {
			out = append(out, parts[0])
		}
		c.Name = unescapeVCard(strings.Join(out, " "))
	}
	return c
}

func unfoldVCard(card string) []string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(card, "\r\n", "\n"), "\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	return lines
}

func unescapeVCard(s string) string {
	return strings.NewReplacer(`\,`, ",", `\;`, ";", `\n`, "\n", `\N`, "\n", `\\`, `\`).Replace(strings.TrimSpace(s))
}
