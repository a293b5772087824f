package whatsapp

import (
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// build turns a record into a message: first is the first line after the
// header, rest the continuation lines joined with "\n".
func (c *chatReader) build(line int, h *header, first, rest []byte, hasRest bool) *model.Message {
	m := c.newMessage()
	m.ID, m.Time, m.Source = messageID(line), c.timestamp(h), c.pos(line)
	class, name, text := split(first, c)
	var au *author
	switch class {
	case classSystem:
		// "Name:text" with no space after the colon, from a known sender.
		if colon := indexByte(first, ':'); colon > 0 && dirMark(first, 0) == 0 {
			if cand := c.author(first[:colon]); cand != nil && cand.id != "" {
				class, au, text = classUser, cand, first[colon+1:]
			}
		}
	default:
		au = c.author(name)
		if class == classMaybe {
			class = classUser
			if c.a.noticeIsSystem(c.key(name), au, c.titleKey) {
				class = classNotice
			}
		}
	}
	if class == classUser && (au == nil || au.id == "") {
		class = classNotice // cannot happen: the first pass counted this sender
	}
	body := stripDirMarks(text)
	full := join(body, rest, hasRest)
	if class != classUser {
		c.systemMessage(m, full, au)
		return m
	}
	m.Sender = au.id
	c.userMessage(m, full, len(body), hasRest)
	return m
}

// messageBlock is how many messages are allocated at once.
const messageBlock = 32

// newMessage returns a new, empty message. Messages are allocated in
// blocks of messageBlock: one allocation instead of 32 of the largest
// object an import makes. A consumer that keeps a message keeps its block
// (about 10 KiB) alive; one that keeps every message pays nothing extra.
func (c *chatReader) newMessage() *model.Message {
	if len(c.block) == 0 {
		c.block = make([]model.Message, messageBlock)
	}
	m := &c.block[0]
	c.block = c.block[1:]
	return m
}

// known reports whether name is a sender of the chat.
func (c *chatReader) known(name []byte) bool { return c.author(name) != nil }

// messageID returns "m" and the line number.
func messageID(line int) model.MessageID {
	var b [24]byte
	return model.MessageID(strconv.AppendInt(append(b[:0], 'm'), int64(line), 10))
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func join(first, rest []byte, hasRest bool) string {
	if !hasRest {
		return string(first)
	}
	var sb strings.Builder
	sb.Grow(len(first) + 1 + len(rest))
	sb.Write(first)
	sb.WriteByte('\n')
	sb.Write(rest)
	return sb.String()
}

// key returns the clean form of a sender's name.
func (c *chatReader) key(name []byte) string {
	if isClean(name) {
		return string(name)
	}
	return string(cleanName(nil, name))
}

// author returns what the first pass learnt about a name, or nil.
func (c *chatReader) author(name []byte) *author {
	if au := c.found.get(name); au != nil {
		return au
	}
	var au *author
	if isClean(name) {
		au = c.a.authors[string(name)]
	} else {
		c.scratchName = cleanName(c.scratchName[:0], name)
		au = c.a.authors[string(c.scratchName)]
	}
	if au != nil {
		c.found.put(name, au)
	}
	return au
}

// participant returns the id of the participant called name ("You" and
// its translations name the exporting user), or "".
func (c *chatReader) participant(name string) model.ParticipantID {
	if au := c.a.authors[string(cleanName(nil, []byte(name)))]; au != nil {
		return au.id
	}
	return ""
}

// systemMessage fills m as a system event with text. au is the name iOS
// put before a notice, if any.
func (c *chatReader) systemMessage(m *model.Message, text string, au *author) {
	m.Kind = model.KindSystem
	m.Text = text
	firstLine, _, _ := strings.Cut(text, "\n")
	ev := classifyEvent(cleanText([]byte(firstLine)))
	e := &model.Event{Type: ev.typ, Subject: ev.subject}
	switch {
	case ev.actorYou:
		e.Actor = c.me
	case ev.actor != "":
		e.Actor = c.participant(ev.actor)
	case au != nil:
		e.Actor = au.id
	}
	for _, t := range ev.targets {
		if id := c.participant(t); id != "" {
			e.Targets = append(e.Targets, id)
		}
	}
	if ev.youTgt && c.me != "" {
		e.Targets = append(e.Targets, c.me)
	}
	m.Event = e
}

// userMessage fills m from a sender's text: its kind and the fields of
// that kind. firstLen is the length of the text's first line.
func (c *chatReader) userMessage(m *model.Message, full string, firstLen int, hasRest bool) {
	if t, ok := edited(full); ok {
		m.Edited = true
		full = t
		firstLen = min(firstLen, len(full))
	}
	m.Kind, m.Text = model.KindText, full
	line1 := full[:firstLen]
	caption := ""
	if hasRest && firstLen < len(full) {
		caption = full[firstLen+1:]
	}
	if len(line1) == 0 {
		return
	}
	if !hasRest {
		switch {
		case line1 == "null":
			m.Kind = model.KindViewOnce
			return
		case deleted(line1) != 0:
			m.Kind = model.KindDeleted
			return
		}
		if cl, ok := call(line1); ok {
			v := cl
			m.Kind, m.Call = model.KindCall, &v
			return
		}
		if loc, ok := mapsLocation(line1); ok {
			v := loc
			m.Kind, m.Location = model.KindLocation, &v
			return
		}
		if liveLocationSet.has(trimMarks(line1)) {
			m.Kind, m.Location = model.KindLocation, &model.Location{Live: true}
			return
		}
	} else {
		if line1 == "POLL:" {
			if p, ok := poll(full); ok {
				m.Kind, m.Poll = model.KindPoll, p
				return
			}
		}
		if loc, ok := foursquare(full); ok {
			v := loc
			m.Kind, m.Location = model.KindLocation, &v
			return
		}
	}
	c.attachment(m, line1, caption)
}

// attachment recognises media in the first line: omitted, attached on
// iOS, attached on Android. The rest of the text is its caption.
func (c *chatReader) attachment(m *model.Message, line1, caption string) {
	if prefix, kind, ok := omitted(line1); ok {
		m.Text = joinText(prefix, caption)
		m.Attachments = []model.Attachment{{Kind: kind, Omitted: true}}
		m.Kind = kindFor(kind)
		return
	}
	if last := line1[len(line1)-1]; last != '>' && last != ')' {
		return
	}
	var name, prefix string
	var ok bool
	if prefix, name, ok = iosAttachment(line1); !ok {
		if name, _, ok = androidAttachment(line1); !ok {
			name, _, ok = parenthesised(line1)
			ok = ok && c.media.exists(name)
		}
	}
	if !ok {
		return
	}
	a, contacts := c.media.attachment(name)
	m.Text = joinText(prefix, caption)
	m.Attachments = []model.Attachment{a}
	m.Kind = kindFor(a.Kind)
	if m.Kind == model.KindContact {
		m.Contacts = contacts
	}
}

func kindFor(k model.MediaKind) model.MessageKind {
	switch k {
	case model.MediaSticker:
		return model.KindSticker
	case model.MediaContact:
		return model.KindContact
	}
	return model.KindMedia
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}
