package peer

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters/internal/whatsapptext"
	"github.com/chatferry/chatferry/model"
)

// Options says how a transcript was written.
type Options struct {
	// TZ is the zone zoned times were written in.
	TZ *time.Location
	// Names names the files of records.
	Names Names
	// SystemColons is set when system events were written with
	// Writer.GuardSystemColons; otherwise the parser's reading of a
	// system event with ": " as a message is expected and not an error.
	SystemColons bool
}

// Names returns the file name the transcript gives the i-th record of m
// (one record per attachment, or per contact card without one), or "" for
// "<Media omitted>" and for records without a file.
type Names func(c *model.Chat, m *model.Message, i int) string

// peerName is the file name shape the parser recognises in front of
// "(file attached)".
var peerName = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_]+$`)

// Compare checks that got, the parser's reading of the transcript written
// for the messages of one chat, gives every message its time (to the
// minute), its author, its text, and its
// attachment's file name. It returns the number of records compared.
func Compare(t testing.TB, chat *model.Chat, msgs []*model.Message, got []Message, opts Options) int {
	t.Helper()
	var last time.Time
	k := 0
	for _, m := range msgs {
		when := last
		if !m.Time.IsZero() {
			if m.Time.IsFloating() {
				when = m.Time.Wall()
			} else {
				when = m.Time.In(opts.TZ)
			}
			last = when
		}
		when = time.Date(when.Year(), when.Month(), when.Day(), when.Hour(), when.Minute(), 0, 0, time.UTC)
		for i := range records(m) {
			if k >= len(got) {
				t.Errorf("chat %s: the parser read %d messages, fewer than were written", chat.ID, len(got))
				return k
			}
			g := got[k]
			k++
			if !g.Date.Equal(when) {
				t.Errorf("message %s: parser reads time %s, want %s", m.ID, g.Date.Format(time.DateTime), when.Format(time.DateTime))
			}
			checkAuthor(t, chat, m, g, opts.SystemColons)
			if i == 0 && m.Kind == model.KindText {
				text := strings.ReplaceAll(g.Message, whatsapptext.EscapeMark, "")
				if k == len(got) {
					// The parser keeps the file's final line break in
					// the last message.
					text = strings.TrimSuffix(text, "\n")
				}
				if text != m.Text+edited(m) {
					t.Errorf("message %s: parser reads text %q, want %q", m.ID, text, m.Text)
				}
			}
			name := opts.Names(chat, m, i)
			if colonAuthor(chat, m) {
				continue // reported by the writer: readers cut the name and shift the body
			}
			switch {
			case g.Attachment != nil && name != "" && *g.Attachment != name:
				t.Errorf("message %s: parser reads attachment %q, want %q", m.ID, *g.Attachment, name)
			case g.Attachment == nil && peerName.MatchString(name):
				t.Errorf("message %s: parser finds no attachment, want %q", m.ID, name)
			}
		}
	}
	if k != len(got) {
		t.Errorf("chat %s: the parser read %d messages, %d were written", chat.ID, len(got), k)
	}
	return k
}

func edited(m *model.Message) string {
	if m.Edited {
		return " <This message was edited>"
	}
	return ""
}

func checkAuthor(t testing.TB, chat *model.Chat, m *model.Message, g Message, guarded bool) {
	t.Helper()
	if m.Kind == model.KindSystem {
		if !guarded && strings.Contains(m.Text, ": ") {
			return // WhatsApp's own wording; every reader splits it
		}
		if g.Author != nil {
			t.Errorf("message %s: parser reads system event as written by %q", m.ID, *g.Author)
		}
		return
	}
	p := chat.Participant(m.Sender)
	if p == nil {
		return
	}
	want := whatsapptext.AuthorName(*p)
	if strings.Contains(want, ": ") {
		return // reported by the writer: readers cut such names
	}
	switch {
	case g.Author == nil:
		t.Errorf("message %s: parser reads no author, want %q", m.ID, want)
	case *g.Author != want && *g.Author != strings.TrimPrefix(want, "~ "):
		// WhatsApp's "~ " marks a name the exporting phone has not saved;
		// readers may keep it or not.
		t.Errorf("message %s: parser reads author %q, want %q", m.ID, *g.Author, want)
	}
}

// colonAuthor reports a sender whose name holds ": ".
func colonAuthor(chat *model.Chat, m *model.Message) bool {
	p := chat.Participant(m.Sender)
	return p != nil && strings.Contains(whatsapptext.AuthorName(*p), ": ")
}

// records returns how many records the writer makes of m.
func records(m *model.Message) int {
	gone := m.Kind == model.KindDeleted || m.Kind == model.KindViewOnce
	switch {
	case len(m.Attachments) > 0 && !gone:
		return len(m.Attachments)
	case len(m.Attachments) == 0 && m.Kind == model.KindContact && len(m.Contacts) > 0:
		return len(m.Contacts)
	}
	return 1
}
