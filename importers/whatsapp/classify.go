package whatsapp

import (
	"bytes"
	"strings"
)

// A record's first line, after the header, is either a system line
// (WhatsApp wrote it, no sender) or "Sender: text". The rules, applied the
// same way in both passes so that the participants known before the first
// message match the messages that follow:
//
//  1. A line opened by a direction mark (U+200E, U+200F) is a system line:
//     iOS marks everything it writes itself that way.
//  2. Without ": " (or a ":" that ends the line) it is a system line.
//  3. Where the text before ": " holds a phrase of a system line that
//     quotes a group subject ("X changed the subject to "Trip: 2024""), it
//     is a system line; so it is where that text starts with a timestamp
//     (no name does: it is a pasted or foreign header).
//  4. A notice WhatsApp writes (end-to-end encryption, security code,
//     business notice) is a system event even after a name, as iOS and
//     some old Android exports put the chat's or partner's name there.
//  5. Text opened by a direction mark that is none of the message kinds
//     WhatsApp marks that way (media, deletions, locations, calls) is an
//     iOS notice: a system event when it repeats the name before it, when
//     that name is the chat's, or when that name never sends an ordinary
//     message (see analysis.noticeIsSystem).
//  6. Everything else is a message from the named sender.

// knower reports whether a sender's name is known.
type knower interface{ known(name []byte) bool }

type lineClass int

const (
	classUser   lineClass = iota
	classSystem           // no sender: the whole text is the event
	classNotice           // "Name: ‎notice": the text after the name is the event
	classMaybe            // rule 5: a notice if the name's statistics say so
)

// split returns the class of a record's first line body, and for
// anything but classSystem the sender's name as written and the text after
// ": ".
//
// known.known reports whether a name already sent an ordinary message;
// rule 3 is skipped for such names (it is a property of the name alone, so
// a name it applies to never becomes known).
func split(body []byte, k knower) (class lineClass, author, text []byte) {
	if dirMark(body, 0) > 0 {
		return classSystem, nil, body
	}
	colon := senderColon(body)
	if colon < 0 {
		return classSystem, nil, body
	}
	author, text = body[:colon], body[colon+1:]
	if sp := space(text, 0); sp > 0 {
		text = text[sp:]
	}
	if !k.known(author) && (hasSubjectPhrase(author) || startsWithTimestamp(author)) {
		return classSystem, nil, body
	}
	t, marked := openingMarks(text)
	if isNotice(t) {
		return classNotice, author, text
	}
	if !marked || isMarkedMessage(t) {
		return classUser, author, text
	}
	if bytes.HasPrefix(t, trimSpaces(author)) && len(t) > len(trimSpaces(author)) && t[len(trimSpaces(author))] == ' ' {
		return classNotice, author, text
	}
	return classMaybe, author, text
}

// dirMark returns the length of a U+200E or U+200F at b[i:], or 0.
func dirMark(b []byte, i int) int {
	if i+2 < len(b) && b[i] == 0xE2 && b[i+1] == 0x80 && (b[i+2] == 0x8E || b[i+2] == 0x8F) {
		return 3
	}
	return 0
}

// senderColon returns the offset of the ':' that ends a sender's name:
// the first one followed by a space or the end of the line.
func senderColon(b []byte) int {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], ':')
		if j < 0 {
			return -1
		}
		i += j
		if i+1 == len(b) || space(b, i+1) > 0 {
			if i == 0 {
				return -1
			}
			return i
		}
		i++
	}
	return -1
}

// startsWithTimestamp reports whether a name starts with something
// that reads as a message header.
func startsWithTimestamp(author []byte) bool {
	i := skipInvisible(author, 0)
	if i >= len(author) || (author[i] != '[' && !isDigitAt(author, i)) {
		return false
	}
	var h header
	return scanHeader(author, &h) != notHeader
}

func hasSubjectPhrase(author []byte) bool {
	if len(author) < 12 {
		return false
	}
	for _, p := range subjectPhrases {
		if bytes.Contains(author, []byte(p)) {
			return true
		}
	}
	return false
}

// openingMarks strips the spaces and direction marks that open t and
// reports whether there was a mark.
func openingMarks(t []byte) ([]byte, bool) {
	marked := false
	for {
		if n := dirMark(t, 0); n > 0 {
			t, marked = t[n:], true
		} else if n := space(t, 0); n > 0 {
			t = t[n:]
		} else {
			return t, marked
		}
	}
}

// stripDirMarks removes the direction marks (only) that open t.
func stripDirMarks(t []byte) []byte {
	for {
		n := dirMark(t, 0)
		if n == 0 {
			return t
		}
		t = t[n:]
	}
}

// noticeStarts indexes the notice prefixes (all spellings) by first byte;
// noticeMiddles holds the infixes.
var noticeStarts, noticeMiddles = func() ([256][][]byte, [][]byte) {
	var starts [256][][]byte
	var middles [][]byte
	for _, n := range noticePrefixes {
		for _, v := range variants(n.text) {
			starts[v[0]] = append(starts[v[0]], []byte(v))
		}
	}
	for _, n := range noticeInfixes {
		for _, v := range variants(n.text) {
			middles = append(middles, []byte(v))
		}
	}
	return starts, middles
}()

// noticeFirst2 holds the first two bytes of the notice prefixes, where a
// space may be a wide one.
var noticeFirst2 = func() (m bitmap16) {
	for _, n := range noticePrefixes {
		for _, v := range variants(n.text) {
			m.set(v[0], v[1])
			if v[1] == ' ' {
				m.set(v[0], 0xC2) // U+00A0
				m.set(v[0], 0xE2) // U+202F
			}
		}
	}
	return m
}()

// isNotice reports whether t opens with a notice WhatsApp writes.
func isNotice(t []byte) bool {
	if len(t) < 10 {
		return false
	}
	// The infixes are non-Latin or have an apostrophe, and t does not
	// start with a space (openingMarks removed those).
	if t[0] < 0x80 && !noticeFirst2.has(t[0], t[1]) && bytes.IndexByte(t, '\'') < 0 {
		return false
	}
	for _, p := range noticeStarts[t[0]] {
		if hasPrefixSpaced(t, p) {
			return true
		}
	}
	if t[0] < 0x80 && bytes.IndexByte(t, '\'') < 0 {
		return false // the infixes are non-Latin or have an apostrophe
	}
	if hasWideSpace(t) {
		t = []byte(plainSpaces(string(t)))
	}
	for _, m := range noticeMiddles {
		if bytes.Contains(t, m) {
			return true
		}
	}
	return false
}

// hasPrefixSpaced reports whether t, with plain spaces for its no-break
// and narrow no-break spaces (as plainSpaces writes it), starts with p.
func hasPrefixSpaced(t, p []byte) bool {
	i := 0
	for j := 0; j < len(p); j++ {
		if i >= len(t) {
			return false
		}
		switch {
		case t[i] == 0xC2 && i+1 < len(t) && t[i+1] == 0xA0:
			if p[j] != ' ' {
				return false
			}
			i += 2
		case t[i] == 0xE2 && i+2 < len(t) && t[i+1] == 0x80 && t[i+2] == 0xAF:
			if p[j] != ' ' {
				return false
			}
			i += 3
		case t[i] != p[j]:
			return false
		default:
			i++
		}
	}
	return true
}

// hasWideSpace reports whether b holds a no-break or narrow no-break space.
func hasWideSpace(b []byte) bool {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], 0xC2)
		k := bytes.IndexByte(b[i:], 0xE2)
		if j < 0 && k < 0 {
			return false
		}
		if j >= 0 && (k < 0 || j < k) {
			i += j
			if i+1 < len(b) && b[i+1] == 0xA0 {
				return true
			}
		} else {
			i += k
			if i+2 < len(b) && b[i+1] == 0x80 && b[i+2] == 0xAF {
				return true
			}
		}
		i++
	}
	return false
}

// isMarkedMessage reports whether t (without its opening marks) is one of
// the message bodies iOS opens with a direction mark although a person
// sent them: media, omitted media, deletions, locations, calls.
func isMarkedMessage(t []byte) bool {
	s := string(t)
	if _, _, ok := iosAttachment(s); ok {
		return true
	}
	if _, _, ok := omitted(s); ok {
		return true
	}
	if deleted(s) != 0 {
		return true
	}
	if _, ok := call(s); ok {
		return true
	}
	if _, ok := mapsLocation(s); ok {
		return true
	}
	if _, _, ok := androidAttachment(s); ok {
		return true
	}
	return strings.HasPrefix(s, "POLL:")
}
