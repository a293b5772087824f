// Package whatsapptext writes chats in the layout of WhatsApp's Android
// "Export chat" transcript, the layout that WhatsApp's own export, chat
// analysis tools and Telegram's "Import chat" read:
//
//	23/03/2022, 13:31 - Messages and calls are end-to-end encrypted. …
//	23/03/2022, 13:32 - Ann: IMG-20220323-WA0002.jpg (file attached)
//	The beach
//	23/03/2022, 13:33 - Ann: second line of a
//	multi-line message <This message was edited>
//
// Every record is a header "DD/MM/YYYY, HH:MM - " (day first, four-digit
// year, 24-hour clock), then "Author: " for a message with a sender, then
// the body; the body's further lines follow on lines of their own. System
// events have no author. Attachments are written as "NAME (file attached)"
// with the caption on the next line, or "<Media omitted>" when the output
// holds no file; deleted, view-once and edited messages, missed calls,
// polls and locations use WhatsApp's own English wording.
//
// Floating times are printed as they are; zoned times are converted to the
// zone the caller gives. The layout has no seconds, no reactions, no reply
// links and no forwarded marks: the exporters that use this package declare
// those as dropped.
//
// A body line that a reader could take for a header (a pasted
// "01/03/2024, 09:20 - …", or "7.1.1, 7.1.2 fixed" — any line the common
// parsers' header pattern accepts) would split the message in two when
// read back. Such lines are written with EscapeMark (U+200B ZERO WIDTH
// SPACE) in front, which no header pattern accepts; the writer counts them
// so the exporter can report the change.
//
// An empty body is written as "Author: " with the space, which every
// reader takes for a message with an empty text.
//
// The Writer streams: it holds one record at a time.
package whatsapptext

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// EscapeMark is written before a body line that would otherwise read as a
// record header.
const EscapeMark = "\u200b"

// Omitted is WhatsApp's placeholder for media an export does not include.
const Omitted = "<Media omitted>"

// attachedSuffix follows the file name of an included attachment.
const attachedSuffix = " (file attached)"

// editedSuffix ends the last line of an edited message.
const editedSuffix = " <This message was edited>"

// Files decides which file name the transcript gives an attachment. It
// returns the name of the file beside the transcript, or "" when the output
// holds no file for it (the transcript then says "<Media omitted>").
type Files interface {
	Attachment(c *model.Chat, m *model.Message, a *model.Attachment) (string, error)
	// Contact names the file for a shared contact card that came without
	// an attachment, or returns "" to write "<Media omitted>".
	Contact(c *model.Chat, m *model.Message, ct *model.Contact) (string, error)
}

// Stats counts what the writer changed to fit the layout.
type Stats struct {
	Escaped int // messages with a body line escaped by EscapeMark
	Seconds int // messages whose time had seconds, which the layout drops
	NoTime  int // messages without a time, given the previous message's time
	Split   int // messages with several attachments or cards, written as several records
	// GuardedSystem counts system events written with EscapeMark after
	// a ": " (see Writer.GuardSystemColons).
	GuardedSystem int
	ColonName     int // messages whose author name holds ": ", which readers split wrongly
	// DroppedAttachments counts attachments of deleted and view-once
	// messages, which the layout writes as the marker text alone.
	DroppedAttachments int
}

// Writer writes records of one chat after another to an io.Writer.
type Writer struct {
	w     *bufio.Writer
	tz    *time.Location
	files Files
	chat  *model.Chat
	names map[model.ParticipantID]string
	last  time.Time
	b     []byte
	Stats Stats

	// GuardSystemColons makes the writer put EscapeMark between ':' and
	// ' ' in system events, which readers would otherwise split into an
	// author and a text (`Ann changed the subject to "Trip: 2024"`).
	// WhatsApp itself writes such lines as they are.
	GuardSystemColons bool
}

// NewWriter returns a Writer that writes to w, converting zoned times to tz
// (UTC when nil) and naming attachments with files.
func NewWriter(w io.Writer, tz *time.Location, files Files) *Writer {
	if tz == nil {
		tz = time.UTC
	}
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), tz: tz, files: files}
}

// StartChat makes c the chat whose messages follow.
func (w *Writer) StartChat(c *model.Chat) {
	w.chat = c
	w.names = make(map[model.ParticipantID]string, len(c.Participants))
	for _, p := range c.Participants {
		w.names[p.ID] = AuthorName(p)
	}
}

// AuthorName returns how the transcript names p: the name, else the phone
// number, else the id, on one line.
func AuthorName(p model.Participant) string {
	n := p.Name
	if strings.TrimSpace(n) == "" {
		n = p.Phone
	}
	if strings.TrimSpace(n) == "" {
		n = string(p.ID)
	}
	return oneLine(n)
}

func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
	}
	return s
}

// WriteMessage writes m as one record, or as one record per attachment
// when it has several.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.chat == nil {
		return errors.New("whatsapp text: message written before its chat")
	}
	t := w.time(m)
	author := ""
	if m.Kind != model.KindSystem {
		author = w.names[m.Sender]
		if author == "" {
			author = string(m.Sender)
		}
		if strings.Contains(author, ": ") {
			w.Stats.ColonName++
		}
	}
	bodies, err := w.bodies(m)
	if err != nil {
		return err
	}
	if m.Kind == model.KindSystem && w.GuardSystemColons && strings.Contains(bodies[0], ": ") {
		bodies[0] = strings.ReplaceAll(bodies[0], ": ", ":"+EscapeMark+" ")
		w.Stats.GuardedSystem++
	}
	if len(bodies) > 1 {
		w.Stats.Split++
	}
	escaped := false
	for _, body := range bodies {
		w.b = appendHeader(w.b[:0], t)
		if author != "" {
			w.b = append(w.b, author...)
			w.b = append(w.b, ": "...)
		}
		var esc bool
		w.b, esc = appendBody(w.b, body)
		escaped = escaped || esc
		w.b = append(w.b, '\n')
		if _, err := w.w.Write(w.b); err != nil {
			return err
		}
	}
	if escaped {
		w.Stats.Escaped++
	}
	return nil
}

// time returns the wall-clock time to print for m.
func (w *Writer) time(m *model.Message) time.Time {
	if m.Time.IsZero() {
		w.Stats.NoTime++
		return w.last
	}
	var t time.Time
	if m.Time.IsFloating() {
		t = m.Time.Wall()
	} else {
		t = m.Time.In(w.tz)
	}
	if t.Second() != 0 || t.Nanosecond() != 0 {
		w.Stats.Seconds++
	}
	w.last = t
	return t
}

// Flush writes what is buffered.
func (w *Writer) Flush() error { return w.w.Flush() }

// Reset drops what is buffered, for an aborted export.
func (w *Writer) Reset() { w.w.Reset(io.Discard) }

// appendHeader appends "DD/MM/YYYY, HH:MM - ".
func appendHeader(b []byte, t time.Time) []byte {
	if t.IsZero() {
		t = time.Unix(0, 0).UTC()
	}
	b = append2(b, t.Day())
	b = append(b, '/')
	b = append2(b, int(t.Month()))
	b = append(b, '/')
	y := t.Year()
	if y < 0 {
		y = 0
	}
	b = append(b, fmt.Sprintf("%04d", y%10000)...)
	b = append(b, ", "...)
	b = append2(b, t.Hour())
	b = append(b, ':')
	b = append2(b, t.Minute())
	return append(b, " - "...)
}

func append2(b []byte, n int) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// headerLike matches the start of a line that the permissive header
// patterns of WhatsApp text readers accept: an optional direction mark, an
// optional '[', a date of three digit groups, then a time.
var headerLike = regexp.MustCompile(`^[\x{200E}\x{200F}\x{FEFF}\x{202A}-\x{202E}\s]*\[?\d{1,4}[-/.]\s?\d{1,4}[-/.]\s?\d{1,4}[,.]?\s\D*?\d{1,2}[.:]\d{1,2}`)

// NeedsEscape reports whether a continuation line could be read as the
// start of a new record, also after EscapeMarks it already starts with: a
// reader that removes one mark from such lines then gives the line back as
// it was.
func NeedsEscape(line string) bool {
	for strings.HasPrefix(line, EscapeMark) {
		line = line[len(EscapeMark):]
	}
	return headerLike.MatchString(line)
}

// appendBody appends body, escaping its continuation lines that look like
// headers. A carriage return counts as a line break here, because some
// readers split on it.
func appendBody(b []byte, body string) ([]byte, bool) {
	escaped := false
	for i := 0; i < len(body); {
		j := strings.IndexAny(body[i:], "\r\n")
		if j < 0 {
			j = len(body)
		} else {
			j += i
		}
		if i > 0 && NeedsEscape(body[i:j]) {
			b = append(b, EscapeMark...)
			escaped = true
		}
		b = append(b, body[i:j]...)
		if j == len(body) {
			break
		}
		b = append(b, body[j])
		i = j + 1
		if i == len(body) && i > 0 {
			break
		}
	}
	return b, escaped
}

// Report adds to r what the writer changed to fit the layout.
func (s Stats) Report(r *exporters.Report) {
	if r == nil {
		return
	}
	if s.Escaped > 0 {
		r.Degrade(model.FeatureText, s.Escaped)
		r.Notef("%s a line that looks like a WhatsApp date header; it was written with an invisible U+200B "+
			"in front so readers do not split the message there", exporters.Count(s.Escaped, "message has", "messages have"))
	}
	if s.Seconds > 0 {
		r.Notef("%s seconds; WhatsApp's Android layout shows hours and minutes only", exporters.Count(s.Seconds, "message time had", "message times had"))
	}
	if s.NoTime > 0 {
		r.Notef("%s", exporters.Count(s.NoTime, "message had no time and was given the time of the message before it",
			"messages had no time and were given the time of the message before them"))
	}
	if s.GuardedSystem > 0 {
		r.Degrade(model.FeatureSystem, s.GuardedSystem)
		r.Notef("%s", exporters.Count(s.GuardedSystem,
			"system event holds \": \"; an invisible U+200B was written after the colon so readers do not take it for a message",
			"system events hold \": \"; an invisible U+200B was written after the colon so readers do not take them for messages"))
	}
	if s.Split > 0 {
		r.Notef("%s", exporters.Count(s.Split,
			"message with several attachments or contact cards was written as one record for each, as WhatsApp does",
			"messages with several attachments or contact cards were written as one record for each, as WhatsApp does"))
	}
	if s.ColonName > 0 {
		r.Notef("%s from a sender whose name holds \": \"; readers of the layout cut the name there",
			exporters.Count(s.ColonName, "message comes", "messages come"))
	}
	if s.DroppedAttachments > 0 {
		r.Drop(model.FeatureAttachments, s.DroppedAttachments)
		r.Notef("%s", exporters.Count(s.DroppedAttachments,
			"attachment of a deleted or view-once message was left out; the layout writes only the marker",
			"attachments of deleted or view-once messages were left out; the layout writes only the marker"))
	}
}
