package signal

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/markup"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
	"github.com/chatferry/chatferry/model"
)

// writer writes one Signal backup snapshot.
type writer struct {
	opts    exporters.Options
	now     time.Time
	asText  bool
	myPhone uint64
	book    *addressBook

	root      string // the SignalBackups folder
	newRoot   string // staging folder renamed to root, when root did not exist
	snapName  string
	snapDir   string // staging snapshot folder
	mediaRoot string // staging folder whose files/ holds the new media
	filesList *os.File
	fileNames []byte
	sorter    *spill

	recoveryKey string // fresh mode: printed when the backup is complete
	keys        *backup.Keys
	existing    *existing

	selfID, nextRecipient, nextChat uint64
	myName                          string

	contacts   map[uint64]uint64 // e164 → recipient id, existing and new
	recipients []pb              // new Recipient frames
	newChats   []pb              // new Chat frames
	chats      map[uint64]uint64 // recipient id → chat id, existing and new

	cur       *chatState
	inputs    uint64 // input chats so far
	seq       uint64
	unmatched map[string]*unmatchedSender
	skipped   map[[2]string]int // notes by reason (for one, for several), counted
	done      bool
}

// chatState is what the writer knows about the chat being written.
type chatState struct {
	chat    *model.Chat
	src     uint64 // input chat ordinal
	chatID  uint64
	partner uint64   // 1:1: the other person's recipient id
	to      []uint64 // recipients of the chat's outgoing messages
	authors map[model.ParticipantID]*author
	prev    uint64 // the last message's dateSent
	recent  recentMessages

	markedUp bool // the text is written in WhatsApp's markup
}

// author is how a participant's messages are written.
type author struct {
	id       uint64 // recipient id; 0 for an unmatched sender in stop mode
	outgoing bool
	prefix   string // as-text: "Name: " before the text
}

// unmatchedSender is a participant without a phone number.
type unmatchedSender struct {
	name     string
	messages int
	chats    []string
}

func randomUUID() [16]byte {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// note counts one more case of a reason, given for one case and for
// several, as "message was …" and "messages were …".
func (w *writer) note(one, many string) {
	if w.skipped == nil {
		w.skipped = map[[2]string]int{}
	}
	w.skipped[[2]string{one, many}]++
}

// isMe reports whether p is the person the backup belongs to.
func (w *writer) isMe(p *model.Participant) bool {
	if p.Me || (w.opts.Me != "" && normName(p.Name) == normName(w.opts.Me)) {
		return true
	}
	if w.myPhone != 0 && p.Phone != "" {
		n, err := parseE164(p.Phone)
		return err == nil && n == w.myPhone
	}
	return false
}

// number finds a participant's phone number: the one the source shows,
// else the --contacts file's, else 0.
func (w *writer) number(p *model.Participant) uint64 {
	if p.Phone != "" {
		if n, err := parseE164(p.Phone); err == nil {
			return n
		}
	}
	if n := w.book.lookup(p.Name); n != 0 {
		return n
	}
	return w.book.lookup(strings.TrimSpace(strings.TrimPrefix(p.Name, "~")))
}

// contact returns the recipient id for a participant: an existing Signal
// contact with the same number or (merge mode) the same name, or a new
// contact. It returns 0 when the participant has no number.
func (w *writer) contact(p *model.Participant) uint64 {
	n := w.number(p)
	if n == 0 {
		if w.existing != nil {
			return w.existing.byName[normName(p.Name)]
		}
		return 0
	}
	if n == w.myPhone {
		return w.selfID
	}
	if id, ok := w.contacts[n]; ok {
		return id
	}
	id := w.nextRecipient
	w.nextRecipient++
	w.contacts[n] = id
	w.recipients = append(w.recipients, encodeContact(id, n, normName(strings.TrimPrefix(p.Name, "~"))))
	return id
}

func (w *writer) newGroup(title string) uint64 {
	id := w.nextRecipient
	w.nextRecipient++
	key := make([]byte, 32)
	rand.Read(key)
	w.recipients = append(w.recipients, encodeGroup(id, key, title))
	return id
}

func (w *writer) chatFor(recipient uint64) uint64 {
	if id, ok := w.chats[recipient]; ok {
		return id
	}
	id := w.nextChat
	w.nextChat++
	w.chats[recipient] = id
	w.newChats = append(w.newChats, encodeChat(id, recipient))
	return id
}

// WriteChat opens a chat: it finds or creates the Signal recipient and
// chat, and decides how each participant's messages are written.
func (w *writer) WriteChat(c *model.Chat) error {
	if w.done {
		return errors.New("signal: WriteChat after Close")
	}
	if w.contacts == nil {
		w.contacts, w.chats = map[uint64]uint64{}, map[uint64]uint64{}
		if w.existing != nil {
			for k, v := range w.existing.byE164 {
				w.contacts[k] = v
			}
			for k, v := range w.existing.chatByRecipient {
				w.chats[k] = v
			}
		}
	}
	w.inputs++
	cs := &chatState{chat: c, src: w.inputs, authors: map[model.ParticipantID]*author{}, markedUp: markup.Applies(c.Format)}
	w.cur = cs
	title := c.Title
	var partner *model.Participant
	for i := range c.Participants {
		p := &c.Participants[i]
		if w.isMe(p) {
			if w.myName == "" {
				w.myName = normName(p.Name)
			}
			cs.authors[p.ID] = &author{id: w.selfID, outgoing: true}
			continue
		}
		if partner == nil {
			partner = p
		}
	}
	if c.Kind == model.Direct {
		var rid uint64
		if partner == nil {
			rid = w.selfID // a chat with oneself: Note to Self
		} else if rid = w.contact(partner); rid == 0 {
			if !w.asText {
				w.unmatchedOf(partner, c) // the chat has no one to belong to: the export stops
			} else {
				if title == "" {
					title = partner.Name
				}
				rid = w.newGroup(title) // kept as an archive group, see author
				w.opts.Report.Notef("chat %q: %s has no phone number; the chat became a group holding the messages as text", c.Title, partner.Name)
			}
		} else {
			cs.partner = rid
		}
		if rid != 0 {
			cs.chatID = w.chatFor(rid)
		}
		if cs.partner != 0 && cs.partner != w.selfID {
			cs.to = []uint64{cs.partner}
		}
	} else {
		if title == "" {
			title = "WhatsApp group"
		}
		cs.chatID = w.chatFor(w.newGroup(title))
	}
	for i := range c.Participants {
		p := &c.Participants[i]
		if cs.authors[p.ID] != nil {
			continue
		}
		a := &author{id: w.contact(p)}
		if c.Kind == model.Direct && a.id != cs.partner {
			a.id = 0 // in a 1:1 chat only the partner writes incoming messages
		}
		if a.id == 0 && w.asText {
			a = &author{id: w.selfID, outgoing: true, prefix: normName(p.Name) + ": "}
		}
		if a.id == w.selfID && a.prefix == "" {
			a.outgoing = true
		}
		if c.Kind == model.Group && a.id != 0 && !a.outgoing {
			cs.to = append(cs.to, a.id)
		}
		cs.authors[p.ID] = a
	}
	sort.Slice(cs.to, func(i, j int) bool { return cs.to[i] < cs.to[j] })
	return nil
}

func (w *writer) unmatchedOf(p *model.Participant, c *model.Chat) *unmatchedSender {
	if w.unmatched == nil {
		w.unmatched = map[string]*unmatchedSender{}
	}
	key := normName(p.Name)
	u := w.unmatched[key]
	if u == nil {
		u = &unmatchedSender{name: key}
		w.unmatched[key] = u
	}
	if len(u.chats) == 0 || u.chats[len(u.chats)-1] != c.Title {
		u.chats = append(u.chats, c.Title)
	}
	return u
}

// assignTime turns m's time into the dateSent Signal stores: an instant in
// milliseconds, unique within the chat and in the chat's order. Messages
// whose time equals an earlier one's at the source's precision (several in
// one minute) get one millisecond more each; a message dated before the
// one before it keeps its own time.
func (w *writer) assignTime(m *model.Message) uint64 {
	cs := w.cur
	var t int64
	if !m.Time.IsZero() {
		t = m.Time.In(w.opts.TZ).UnixMilli()
	}
	if t <= 0 {
		w.note("message had no time and was dated just after the message before it",
			"messages had no time and were dated just after the message before them")
		t = int64(cs.prev) + 1
	}
	unit := int64(1000)
	switch m.Time.Precision() {
	case model.PrecisionMinute:
		unit = 60000
	case model.PrecisionMillisecond:
		unit = 1
	}
	prev := int64(cs.prev)
	switch {
	case prev == 0 || t > prev:
	case prev < t+unit:
		t = prev + 1
	default:
		w.note("message is dated before the message before it in its chat; it keeps its own time",
			"messages are dated before the message before them in their chat; they keep their own time")
	}
	cs.prev = uint64(t)
	return uint64(t)
}

// WriteMessage encodes one message and puts it in the sort.
func (w *writer) WriteMessage(m *model.Message) error {
	cs := w.cur
	if cs == nil {
		return errors.New("signal: message before any chat")
	}
	if m.Kind == model.KindSystem {
		return nil // counted as dropped by the caller
	}
	a := cs.authors[m.Sender]
	if a == nil {
		return fmt.Errorf("signal: message %s: sender %q is not a participant of chat %s", m.ID, m.Sender, cs.chat.ID)
	}
	if a.id == 0 {
		p := cs.chat.Participant(m.Sender)
		w.unmatchedOf(p, cs.chat).messages++
		return nil
	}
	if len(w.unmatched) > 0 || cs.chatID == 0 {
		return nil // the export stops at Close; only count
	}
	it := &item{chatID: cs.chatID, authorID: a.id, outgoing: a.outgoing, dateSent: w.assignTime(m)}
	if a.outgoing {
		it.to = cs.to
	}
	if err := w.fill(it, m, a); err != nil {
		return err
	}
	text, file, poll := it.quotable()
	cs.recent.add(m.ID, it.dateSent, a, text, file, poll)
	w.seq++
	return w.sorter.add(record{dateSent: it.dateSent, seq: w.seq, src: cs.src, chatID: it.chatID,
		authorID: it.authorID, frame: it.encode()})
}
