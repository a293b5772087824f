package whatsapp

import (
	"path"
	"strings"
	"unicode/utf8"
)

// cleanName returns the form of a sender's name that identifies them:
// without the invisible marks WhatsApp puts around names and numbers,
// with no-break spaces as plain spaces, without the "~ " that marks a name
// the sender chose for themselves, and trimmed. The result is appended
// to dst.
func cleanName(dst, b []byte) []byte {
	start := len(dst)
	dst = appendVisible(dst, b)
	name := dst[start:]
	name = trimSpaces(name)
	if len(name) > 1 && name[0] == '~' {
		name = trimSpaces(name[1:])
	}
	return append(dst[:start], name...)
}

// appendVisible appends b to dst without invisible marks and with wide
// spaces as plain spaces.
func appendVisible(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		if n := invisible(b, i); n > 0 {
			i += n
			continue
		}
		if n := space(b, i); n > 1 {
			dst = append(dst, ' ')
			i += n
			continue
		}
		dst = append(dst, b[i])
		i++
	}
	return dst
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// isClean reports whether cleanName would return b unchanged: no leading
// "~", no surrounding spaces, and none of the lead bytes of the invisible
// marks and wide spaces (0xC2, 0xE2, 0xEF), so that most names in any
// script skip the copy.
func isClean(b []byte) bool {
	if len(b) == 0 || b[0] == ' ' || b[0] == '~' || b[len(b)-1] == ' ' {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf && (c == 0xC2 || c == 0xE2 || c == 0xEF) {
			return false
		}
	}
	return true
}

// phoneNumber returns the E.164 form of a name that is a phone number
// ("+44 7700 900123" → "+447700900123"), or "".
func phoneNumber(name string) string {
	if !strings.HasPrefix(name, "+") {
		return ""
	}
	digits := make([]byte, 1, len(name))
	digits[0] = '+'
	for i := 1; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return ""
		}
	}
	if len(digits) < 6 || len(digits) > 16 {
		return ""
	}
	return string(digits)
}

// titlePrefixes start the transcript and zip names WhatsApp gives an
// export, in the languages seen; what follows is the chat's name.
var titlePrefixes = []string{"WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-Chat mit ",
	"WhatsApp Chat mit ", "Chat WhatsApp s uživatelem ", "Chat WhatsApp s ", "Чат WhatsApp с контактом ",
	"Чат WhatsApp с ", "Chat de WhatsApp con ", "Chat de WhatsApp com ", "Conversa do WhatsApp com ",
	"Conversa no WhatsApp com ", "Discussion WhatsApp avec ", "Chat WhatsApp con ", "WhatsApp-chat met ",
	"WhatsApp Chat met ", "WhatsApp-chatt med ", "WhatsApp-chat med ", "Czat WhatsApp z ",
	"WhatsApp Sohbeti: ", "Чат WhatsApp із ", "Obrolan WhatsApp dengan ", "WhatsApp Chat: "}

// titleFromName returns the chat name in an export's file name, and
// whether the name followed one of WhatsApp's prefixes.
func titleFromName(name string) (string, bool) {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if ext := path.Ext(base); strings.EqualFold(ext, ".txt") || strings.EqualFold(ext, ".zip") {
		base = base[:len(base)-len(ext)]
	}
	for _, p := range titlePrefixes {
		if len(base) > len(p) && strings.EqualFold(base[:len(p)], p) {
			return strings.TrimSpace(base[len(p):]), true
		}
	}
	return base, false
}
