package transcript

import (
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// RecentMessages is how many messages of a chat a Describer remembers to
// show what a reply answers when the source gives no quote.
const RecentMessages = 4096

// snippetRunes bounds what a Describer keeps of each remembered message.
const snippetRunes = 100

// Detail is one line that describes a message beyond its text.
type Detail struct {
	// Label says what the line is: "reply to", "attachment", "poll",
	// "option", "location", "contact", "call" or "reactions".
	Label string
	// Text is the description, on one line.
	Text string
	// Attachment is the index in Message.Attachments that an
	// "attachment" line describes, and -1 for other lines.
	Attachment int
}

// Describer describes the messages of one chat after another. It
// remembers the last RecentMessages messages of the current chat (a short
// snippet of each), so memory stays bounded.
type Describer struct {
	Clock Clock
	// Report receives what the description keeps only partly; it may be
	// nil.
	Report *exporters.Report

	chat   *model.Chat
	recent recent
}

// StartChat begins the messages of c.
func (d *Describer) StartChat(c *model.Chat) {
	d.chat = c
	d.recent.reset()
}

// Details returns the lines that describe m beyond its text and flags, in
// this order: what it replies to, its attachments, its poll, location,
// contact cards and call, and its reactions. It then remembers m, so that
// a later reply to m can show it. A reply whose answered message it cannot
// show, and a contact card whose raw vCard it leaves out, are reported as
// kept partly.
func (d *Describer) Details(m *model.Message) []Detail {
	var out []Detail
	add := func(label, text string) {
		out = append(out, Detail{Label: label, Text: OneLine(text), Attachment: -1})
	}
	if r := d.Reply(m); r != "" {
		add("reply to", r)
	}
	for i := range m.Attachments {
		out = append(out, Detail{Label: "attachment", Text: OneLine(Attachment(&m.Attachments[i])), Attachment: i})
	}
	if p := m.Poll; p != nil {
		add("poll", PollQuestion(p))
		for i := range p.Options {
			add("option", PollOption(d.chat, &p.Options[i]))
		}
	}
	if m.Location != nil {
		add("location", Location(m.Location))
	}
	for i := range m.Contacts {
		add("contact", Contact(&m.Contacts[i]))
	}
	d.ReportContacts(m)
	if m.Call != nil {
		add("call", Call(m.Call))
	}
	if len(m.Reactions) > 0 {
		add("reactions", Reactions(d.chat, m, d.Clock))
	}
	d.Remember(m)
	return out
}

// ReportContacts reports m's contact cards as kept partly when one holds
// a raw vCard, which the plain formats show only as name and numbers.
func (d *Describer) ReportContacts(m *model.Message) {
	for _, ct := range m.Contacts {
		if ct.VCard != "" {
			d.degrade(model.FeatureContacts)
			return
		}
	}
}

// Reply describes what m answers: "Ann Example (09:21): The beach". It
// uses the quote the source gives and the remembered message, and is ""
// when m is not a reply.
func (d *Describer) Reply(m *model.Message) string {
	if m.ReplyTo == "" && m.Quote == nil {
		return ""
	}
	var sender, when, text string
	if s, ok := d.recent.get(m.ReplyTo); ok {
		sender, when, text = s.sender, d.Clock.Near(s.time, m.Time), s.text
	}
	if q := m.Quote; q != nil {
		text = q.Text
		if q.Sender != "" {
			sender = Name(d.chat, q.Sender)
		}
	} else if sender == "" && text == "" {
		d.degrade(model.FeatureReplies)
		return "a message not shown here (id " + string(m.ReplyTo) + ")"
	}
	head := sender
	if when != "" {
		head = strings.TrimSpace(head + " (" + when + ")")
	}
	if head == "" {
		return text
	}
	return head + ": " + text
}

// Quote describes a quote on its own: "Ann Example: The beach".
func Quote(c *model.Chat, q *model.Quote) string {
	if q.Sender == "" {
		return q.Text
	}
	return Name(c, q.Sender) + ": " + q.Text
}

// Remember keeps a snippet of m for replies to it.
func (d *Describer) Remember(m *model.Message) {
	if m.ID == "" {
		return
	}
	d.recent.put(m.ID, snippet{sender: Name(d.chat, m.Sender), time: m.Time, text: Snippet(m)})
}

func (d *Describer) degrade(f model.Feature) {
	if d.Report != nil {
		d.Report.Degrade(f, 1)
	}
}

// Snippet returns a short one-line stand-in for m: the start of its text,
// or what it holds when it has none.
func Snippet(m *model.Message) string {
	s := OneLine(m.Text)
	switch {
	case s != "":
	case m.Poll != nil:
		s = m.Poll.Question
	case len(m.Attachments) > 0:
		s = AttachmentName(&m.Attachments[0])
	case m.Location != nil:
		s = Location(m.Location)
	case len(m.Contacts) > 0:
		s = Contact(&m.Contacts[0])
	default:
		s = string(m.Kind)
	}
	n := 0
	for i := range s {
		if n == snippetRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

type snippet struct {
	sender string
	time   model.Timestamp
	text   string
}

// recent is a fixed-size memory of the last messages, oldest forgotten
// first.
type recent struct {
	ids   []model.MessageID
	byID  map[model.MessageID]snippet
	next  int
	limit int
}

func (r *recent) reset() {
	clear(r.byID)
	r.ids, r.next = r.ids[:0], 0
}

func (r *recent) put(id model.MessageID, s snippet) {
	limit := r.limit
	if limit == 0 {
		limit = RecentMessages
	}
	if r.byID == nil {
		r.byID = make(map[model.MessageID]snippet)
	}
	if _, ok := r.byID[id]; !ok {
		if len(r.ids) < limit {
			r.ids = append(r.ids, id)
		} else {
			delete(r.byID, r.ids[r.next])
			r.ids[r.next] = id
			r.next = (r.next + 1) % limit
		}
	}
	r.byID[id] = s
}

func (r *recent) get(id model.MessageID) (snippet, bool) {
	if id == "" {
		return snippet{}, false
	}
	s, ok := r.byID[id]
	return s, ok
}
