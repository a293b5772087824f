package transcript

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// Name returns how to call participant id of chat c: the name, else the
// phone number, else the id itself; "" for an empty id.
func Name(c *model.Chat, id model.ParticipantID) string {
	if id == "" {
		return ""
	}
	if c != nil {
		if p := c.Participant(id); p != nil {
			switch {
			case p.Name != "":
				return p.Name
			case p.Phone != "":
				return p.Phone
			}
		}
	}
	return string(id)
}

// IsMe reports whether p is the person who made the export: marked so by
// the source, or named (or numbered) me by the user.
func IsMe(p *model.Participant, me string) bool {
	return p.Me || me != "" && (p.Name == me || p.Phone == me)
}

// Participants lists the participants of c for a header line:
// "Ann Example (+447700900123), Ben Sample (me)".
func Participants(c *model.Chat, me string) string {
	var b strings.Builder
	for i := range c.Participants {
		p := &c.Participants[i]
		if i > 0 {
			b.WriteString(", ")
		}
		name := Name(c, p.ID)
		b.WriteString(name)
		var notes []string
		if p.Phone != "" && p.Phone != name {
			notes = append(notes, p.Phone)
		}
		if IsMe(p, me) {
			notes = append(notes, "me")
		}
		if len(notes) > 0 {
			b.WriteString(" (" + strings.Join(notes, ", ") + ")")
		}
	}
	return b.String()
}

// ChatKind says what c is: "direct chat" or "group chat".
func ChatKind(c *model.Chat) string {
	if c.Kind == model.Group {
		return "group chat"
	}
	return "direct chat"
}

// Title returns the chat's title, or a stand-in when it has none.
func Title(c *model.Chat) string {
	if c.Title != "" {
		return c.Title
	}
	return "Chat " + string(c.ID)
}

// AttachmentName returns the attachment's file name, or "media" when the
// source does not name it.
func AttachmentName(a *model.Attachment) string {
	if a.Name != "" {
		return a.Name
	}
	return "media"
}

// AttachmentFacts lists what is known of an attachment besides its name:
// "image, image/png, 193 bytes, 48×32" or "sticker, omitted from the
// export". It is "" when nothing is known.
func AttachmentFacts(a *model.Attachment) string {
	var f []string
	if a.Kind != model.MediaUnknown {
		f = append(f, string(a.Kind))
	}
	if a.MIME != "" {
		f = append(f, a.MIME)
	}
	if a.Size > 0 {
		f = append(f, strconv.FormatInt(a.Size, 10)+" bytes")
	}
	if a.Width > 0 || a.Height > 0 {
		f = append(f, strconv.Itoa(a.Width)+"×"+strconv.Itoa(a.Height))
	}
	if a.Duration > 0 {
		f = append(f, FormatDuration(a.Duration))
	}
	switch {
	case a.Omitted:
		f = append(f, "omitted from the export")
	case a.Missing:
		f = append(f, "missing from the export")
	}
	return strings.Join(f, ", ")
}

// Attachment describes an attachment on one line: its name, then its
// facts in parentheses.
func Attachment(a *model.Attachment) string {
	if facts := AttachmentFacts(a); facts != "" {
		return AttachmentName(a) + " (" + facts + ")"
	}
	return AttachmentName(a)
}

// PollQuestion describes a poll's question: "Where do we stay? (one
// answer)" or "(several answers)".
func PollQuestion(p *model.Poll) string {
	if p.Multiple {
		return p.Question + " (several answers)"
	}
	return p.Question + " (one answer)"
}

// PollOption describes one option of a poll with its votes and, when the
// source names them, its voters: "Hostel: 2 votes (Ann Example, Carla
// Example)".
func PollOption(c *model.Chat, o *model.PollOption) string {
	var b strings.Builder
	b.WriteString(o.Text)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(o.Votes))
	if o.Votes == 1 {
		b.WriteString(" vote")
	} else {
		b.WriteString(" votes")
	}
	for i, v := range o.Voters {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(Name(c, v))
	}
	if len(o.Voters) > 0 {
		b.WriteByte(')')
	}
	return b.String()
}

// Location describes a place: the coordinates as recorded (when the
// source gives them), then the name, address and link that are known, and
// whether it was a live location.
func Location(l *model.Location) string {
	var f []string
	if l.HasCoordinates() {
		f = append(f, strconv.FormatFloat(l.Latitude, 'f', -1, 64)+", "+
			strconv.FormatFloat(l.Longitude, 'f', -1, 64))
	}
	for _, s := range []string{l.Name, l.Address, l.URL} {
		if s != "" {
			f = append(f, s)
		}
	}
	if l.Live {
		f = append(f, "live location")
	}
	return strings.Join(f, " · ")
}

// Contact describes a contact card: the name and phone numbers.
func Contact(ct *model.Contact) string {
	f := []string{ct.Name}
	if ct.Name == "" {
		f[0] = "unnamed contact"
	}
	f = append(f, ct.Phones...)
	return strings.Join(f, " · ")
}

// Call describes a call: "missed voice call" or "video call, 12:34".
func Call(cl *model.Call) string {
	s := "voice call"
	if cl.Video {
		s = "video call"
	}
	if cl.Missed {
		s = "missed " + s
	}
	if cl.Duration > 0 {
		s += ", " + FormatDuration(cl.Duration)
	}
	return s
}

// Flags lists the marks a message carries, for people: "forwarded",
// "edited" (with the time when known), "deleted", "view once".
func Flags(m *model.Message, clock Clock) []string {
	var f []string
	switch m.Kind {
	case model.KindDeleted:
		f = append(f, "deleted")
	case model.KindViewOnce:
		f = append(f, "view once")
	}
	if m.Forwarded {
		f = append(f, "forwarded")
	}
	if m.Edited {
		if m.EditedAt.IsZero() {
			f = append(f, "edited")
		} else {
			f = append(f, "edited "+clock.Near(m.EditedAt, m.Time))
		}
	}
	return f
}

// Reactions describes the reactions to m: "❤️ Ann Example (09:23), 👍 Ann
// Example". A reaction's time is shown when the source records it, as
// the time of day when it falls on the message's day.
func Reactions(c *model.Chat, m *model.Message, clock Clock) string {
	var b strings.Builder
	for i, r := range m.Reactions {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.Emoji)
		b.WriteByte(' ')
		b.WriteString(Name(c, r.Sender))
		if !r.Time.IsZero() {
			b.WriteString(" (" + clock.Near(r.Time, m.Time) + ")")
		}
	}
	return b.String()
}

// Lines splits text into lines at "\n", "\r\n" and a lone "\r".
func Lines(s string) []string {
	if !strings.ContainsRune(s, '\r') {
		return strings.Split(s, "\n")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
}

// OneLine joins the lines of s with " ↵ " so that it fits on one line of
// a description.
func OneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(Lines(s), " ↵ ")
}

// Visible makes s safe to print on a terminal: invalid UTF-8 becomes
// U+FFFD, and control characters other than tab and line breaks become
// their visible stand-ins (ESC shows as ␛, a C1 control as <U+009B>), so
// that a message cannot move a terminal's cursor or change its colours.
func Visible(s string) string {
	clean := true
	for _, r := range s {
		if r == '\uFFFD' || isHidden(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r < 0x20 && isHidden(r):
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('\u2421')
		case isHidden(r):
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isHidden reports whether r is a control character a terminal acts on,
// other than tab and line breaks.
func isHidden(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r < 0xa0
}

// Fact is one line of a chat's header, such as {"Kind", "group chat"}.
type Fact struct{ Key, Value string }

// Header returns the facts that open chat c for people: its kind,
// participants, source and warnings. Callers add how its times are shown
// (Clock.Convention, for Floating of the first message).
func Header(c *model.Chat, me string) []Fact {
	facts := []Fact{{"Kind", ChatKind(c)}}
	if len(c.Participants) > 0 {
		facts = append(facts, Fact{"Participants", Participants(c, me)})
	}
	if c.Source != "" || c.Format != "" {
		s := c.Source
		if c.Format != "" {
			s = strings.TrimSpace(s + " (read as " + c.Format + ")")
		}
		facts = append(facts, Fact{"Source", s})
	}
	for _, w := range c.Warnings {
		facts = append(facts, Fact{"Warning", w.String()})
	}
	return facts
}

// Floating decides from a chat's first message how the chat's times are
// shown: as floating, unless that message has a zoned time. Times of the
// other kind are then marked (see Clock.Mark).
func Floating(first *model.Message) bool {
	return first.Time.IsZero() || first.Time.IsFloating()
}

// Support is what the plain formats declare: every feature is written
// out in full, in words or columns; media files are as media says (named
// only, or copied).
func Support(media exporters.Support) map[model.Feature]exporters.Support {
	m := map[model.Feature]exporters.Support{}
	for _, f := range model.Features {
		m[f] = exporters.Full
	}
	m[model.FeatureMediaFiles] = media
	return m
}
