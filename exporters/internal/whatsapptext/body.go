package whatsapptext

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters/internal/vcard"
	"github.com/chatferry/chatferry/model"
)

// bodies returns the body of each record m is written as: one, or one per
// attachment when m has several (WhatsApp itself writes one record per
// media file). The caption goes with the first.
func (w *Writer) bodies(m *model.Message) ([]string, error) {
	gone := m.Kind == model.KindDeleted || m.Kind == model.KindViewOnce
	switch {
	case len(m.Attachments) > 0 && gone:
		w.Stats.DroppedAttachments += len(m.Attachments)
	case len(m.Attachments) > 0:
		return w.mediaBodies(m)
	case m.Kind == model.KindContact && len(m.Contacts) > 0:
		return w.contactBodies(m)
	}
	return []string{edited(m, textBody(m))}, nil
}

func (w *Writer) mediaBodies(m *model.Message) ([]string, error) {
	bodies := make([]string, 0, len(m.Attachments))
	for i := range m.Attachments {
		name, err := w.files.Attachment(w.chat, m, &m.Attachments[i])
		if err != nil {
			return nil, err
		}
		body := Omitted
		if name != "" {
			body = oneLine(name) + attachedSuffix
		}
		if i == 0 && m.Text != "" {
			body += "\n" + m.Text
		}
		if i == 0 {
			body = edited(m, body)
		}
		bodies = append(bodies, body)
	}
	return bodies, nil
}

func (w *Writer) contactBodies(m *model.Message) ([]string, error) {
	bodies := make([]string, 0, len(m.Contacts))
	for i := range m.Contacts {
		name, err := w.files.Contact(w.chat, m, &m.Contacts[i])
		if err != nil {
			return nil, err
		}
		body := Omitted
		if name != "" {
			body = oneLine(name) + attachedSuffix
		}
		if i == 0 {
			body = edited(m, body)
		}
		bodies = append(bodies, body)
	}
	return bodies, nil
}

// edited appends WhatsApp's edit marker to the body of an edited message.
func edited(m *model.Message, body string) string {
	if m.Edited && !strings.HasSuffix(body, editedSuffix) {
		return body + editedSuffix
	}
	return body
}

// textBody returns the body of a message without attachments: its text,
// or for special kinds WhatsApp's wording when the text is empty.
func textBody(m *model.Message) string {
	switch m.Kind {
	case model.KindDeleted:
		if m.Text == "" {
			return "This message was deleted"
		}
	case model.KindViewOnce:
		if m.Text == "" {
			return "null"
		}
	case model.KindCall:
		if m.Text == "" && m.Call != nil {
			return CallText(m.Call)
		}
	case model.KindPoll:
		if m.Poll != nil && !strings.HasPrefix(m.Text, "POLL:") {
			return PollText(m.Poll)
		}
	case model.KindLocation:
		if m.Location != nil && !mentionsLocation(m.Text, m.Location) {
			return LocationText(m.Location, m.Text)
		}
	case model.KindSystem:
		if m.Text == "" && m.Event != nil {
			return "(" + strings.ReplaceAll(string(m.Event.Type), "_", " ") + ")"
		}
	}
	return m.Text
}

// CallText returns WhatsApp's wording for a call.
func CallText(c *model.Call) string {
	kind := "voice"
	if c.Video {
		kind = "video"
	}
	if c.Missed {
		return "Missed " + kind + " call"
	}
	s := strings.ToUpper(kind[:1]) + kind[1:] + " call"
	if c.Duration > 0 {
		s += " (" + formatDuration(c.Duration) + ")"
	}
	return s
}

func formatDuration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// PollText returns WhatsApp's poll layout: "POLL:", the question, then
// one "OPTION: text (N votes)" line per option.
func PollText(p *model.Poll) string {
	var b strings.Builder
	b.WriteString("POLL:\n")
	b.WriteString(p.Question)
	for _, o := range p.Options {
		b.WriteString("\nOPTION: ")
		b.WriteString(o.Text)
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(o.Votes))
		if o.Votes == 1 {
			b.WriteString(" vote)")
		} else {
			b.WriteString(" votes)")
		}
	}
	return b.String()
}

// MapsURL returns the Google Maps link WhatsApp writes for a position.
func MapsURL(l *model.Location) string {
	return "https://maps.google.com/?q=" + strconv.FormatFloat(l.Latitude, 'f', -1, 64) +
		"," + strconv.FormatFloat(l.Longitude, 'f', -1, 64)
}

// LocationText returns WhatsApp's Android wording for a location: a
// named place as its name, address and link on three lines, a pin as
// "location: <maps link>", a live location as "live location shared".
// A text that is not the location's own wording is kept after it.
func LocationText(l *model.Location, text string) string {
	var s string
	switch {
	case l.Live:
		s = "live location shared"
	case l.Name != "" || l.Address != "":
		var lines []string
		for _, v := range []string{l.Name, l.Address} {
			if v != "" {
				lines = append(lines, v)
			}
		}
		u := l.URL
		if u == "" {
			u = MapsURL(l)
		}
		s = strings.Join(append(lines, u), "\n")
	default:
		s = "location: " + MapsURL(l)
	}
	if text != "" && text != l.Name {
		s += "\n" + text
	}
	return s
}

// mentionsLocation reports whether text already is a location's wording:
// it holds the location's link or its coordinates.
func mentionsLocation(text string, l *model.Location) bool {
	if text == "" {
		return false
	}
	if l.Live && l.URL == "" && l.Latitude == 0 && l.Longitude == 0 {
		return true // a live location without a position: the text is its notice
	}
	if l.URL != "" && strings.Contains(text, l.URL) {
		return true
	}
	lat := strconv.FormatFloat(l.Latitude, 'f', -1, 64)
	return strings.Contains(text, lat) && strings.Contains(text, strconv.FormatFloat(l.Longitude, 'f', -1, 64))
}

// VCardName returns the file name WhatsApp gives a shared contact card.
func VCardName(c *model.Contact) string { return vcard.FileName(c) }

// VCard returns the vCard of a shared contact.
func VCard(c *model.Contact) string { return vcard.Card(c) }

// BaseName returns the file name of an attachment: its name, else the
// last element of its path.
func BaseName(a *model.Attachment) string {
	if a.Name != "" {
		return a.Name
	}
	if a.Path != "" {
		return path.Base(a.Path)
	}
	return ""
}
