// Package text writes a plain transcript (format "text"): every chat of an
// input as lines a person can read, grep and paste into an email.
//
// Each chat opens with a header of "Key: value" lines (title, kind,
// participants, source, warnings, and how its times are shown). Each
// message is one block: a first line that starts at the left margin with
// the time in brackets, then the sender and the first line of the text;
// the text's further lines and the lines that describe attachments,
// replies, polls, locations, contact cards, calls and reactions follow,
// indented by four spaces, so that a line of text can never pass for a new
// message. System events show "--" where a sender would be.
//
// Floating times are shown as written; zoned times are converted to the
// export's zone (Options.TZ). Control characters that a terminal acts on
// are shown as visible stand-ins. The writer streams: it keeps only the
// current chat and a bounded memory of recent messages for replies.
package text

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/transcript"
	"github.com/chatferry/chatferry/model"
)

func init() {
	exporters.Register(exporters.Format{
		Name:    "text",
		Summary: "a plain-text transcript, one block per message, for reading, grep and email",
		Layout:  exporters.FileLayout,
		Stream:  true,
		Ext:     ".transcript.txt",
		Support: support,
		New: func(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
			w, err := t.CreateFile()
			if err != nil {
				return nil, err
			}
			return NewWriter(w, opts), nil
		},
	})
}

// support: every feature is written out in words. Media files are named,
// not copied.
var support = transcript.Support(exporters.Partial)

// indent starts every line of a message after its first.
const indent = "    "

// Writer writes a transcript to an io.Writer.
type Writer struct {
	w    *bufio.Writer
	opts exporters.Options
	d    transcript.Describer

	chats    int
	chat     *model.Chat
	header   bool // the open chat's header is written
	floating bool // the open chat's times are shown as floating
	day      string
	msgs     int
	b        []byte
}

var _ exporters.Writer = (*Writer)(nil)

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer, opts exporters.Options) *Writer {
	tw := &Writer{w: bufio.NewWriterSize(w, 64<<10), opts: opts}
	tw.d = transcript.Describer{Clock: transcript.Clock{TZ: opts.TZ}, Report: opts.Report}
	return tw
}

// WriteChat opens a chat. Its header is written with its first message,
// whose time decides how the header describes the chat's times.
func (w *Writer) WriteChat(c *model.Chat) error {
	if err := w.endChat(); err != nil {
		return err
	}
	w.chat, w.header, w.day, w.msgs = c, false, "", 0
	w.d.StartChat(c)
	return nil
}

// endChat writes the header of a chat that had no messages.
func (w *Writer) endChat() error {
	if w.chat == nil || w.header {
		return nil
	}
	w.writeHeader(nil)
	_, err := w.w.WriteString("(no messages)\n")
	return err
}

func (w *Writer) writeHeader(first *model.Message) {
	c := w.chat
	b := w.b[:0]
	if w.chats > 0 {
		b = append(b, '\n')
		b = append(b, strings.Repeat("=", 72)...)
		b = append(b, "\n\n"...)
	}
	w.chats++
	line := func(key, value string) {
		b = append(b, key...)
		b = append(b, ": "...)
		b = append(b, transcript.Visible(transcript.OneLine(value))...)
		b = append(b, '\n')
	}
	line("Chat", transcript.Title(c))
	for _, f := range transcript.Header(c, w.opts.Me) {
		line(f.Key, f.Value)
	}
	if first != nil {
		w.floating = transcript.Floating(first)
		line("Times", w.d.Clock.Convention(w.floating))
	}
	b = append(b, '\n')
	w.b = b
	w.w.Write(b)
	w.header = true
}

// WriteMessage writes one message block.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.chat == nil {
		return errors.New("text: message written before its chat")
	}
	if !w.header {
		w.writeHeader(m)
	}
	clock := w.d.Clock
	b := w.b[:0]
	if day := clock.Date(m.Time); day != w.day {
		if w.msgs > 0 {
			b = append(b, '\n')
		}
		w.day = day
	}
	w.msgs++
	b = append(b, '[')
	if m.Time.IsZero() {
		b = append(b, "unknown time"...)
	} else {
		b = append(b, clock.DateTime(m.Time)...)
		if mark := clock.Mark(m.Time, w.floating); mark != "" {
			b = append(b, ", "...)
			b = append(b, mark...)
		}
	}
	b = append(b, "] "...)
	if m.Kind == model.KindSystem {
		b = append(b, "--"...)
	} else {
		b = append(b, transcript.Visible(transcript.OneLine(transcript.Name(w.chat, m.Sender)))...)
		if flags := transcript.Flags(m, clock); len(flags) > 0 {
			b = append(b, " ("...)
			b = append(b, strings.Join(flags, ", ")...)
			b = append(b, ')')
		}
		b = append(b, ':')
	}
	lines := transcript.Lines(transcript.Visible(m.Text))
	for len(lines) > 1 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1] // line breaks at the end show nothing
	}
	for i, line := range lines {
		switch {
		case i == 0 && line != "":
			b = append(b, ' ')
		case i > 0:
			b = append(b, '\n')
			if line != "" {
				b = append(b, indent...)
			}
		}
		b = append(b, line...)
	}
	b = append(b, '\n')
	for _, d := range w.d.Details(m) {
		b = append(b, indent+"["...)
		b = append(b, d.Label...)
		b = append(b, ": "...)
		b = append(b, transcript.Visible(d.Text)...)
		b = append(b, "]\n"...)
	}
	w.b = b
	_, err := w.w.Write(b)
	return err
}

// Close finishes the transcript and flushes it.
func (w *Writer) Close() error {
	if err := w.endChat(); err != nil {
		return err
	}
	w.chat = nil
	if w.chats == 0 {
		w.w.WriteString("(no chats)\n")
	}
	return w.w.Flush()
}

// Abort drops buffered output; the Target discards the rest.
func (w *Writer) Abort() { w.w.Reset(io.Discard) }
