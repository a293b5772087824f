// Package markdown writes a Markdown archive (format "markdown"): a folder
// with one file per chat, a README.md that lists the chats, and the media
// files in a media folder beside them, linked from the messages.
//
// The files read well on GitHub and GitLab, in editors and as plain text.
// A chat file opens with the chat's title and facts (kind, participants,
// source, warnings, how its times are shown), then has a heading per day
// and a paragraph per message: the time and sender in bold, the text, and
// lines for attachments (relative links; images also shown), replies,
// polls, locations, contact cards, calls and reactions.
//
// Everything that comes from a chat is escaped, so nothing in a message
// renders as Markdown or HTML. Floating times are shown as written; zoned
// times are converted to the export's zone (Options.TZ). The writer
// streams: one chat file is open at a time, and only the list of chats for
// the README grows with the input.
package markdown

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/transcript"
	"github.com/chatferry/chatferry/model"
)

func init() {
	exporters.Register(exporters.Format{
		Name:    "markdown",
		Summary: "a folder of Markdown files, one per chat, with media beside them, readable on GitHub and in editors",
		Layout:  exporters.FolderLayout,
		Ext:     "-markdown",
		Support: support,
		New: func(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
			dir, err := t.CreateDir()
			if err != nil {
				return nil, err
			}
			return NewWriter(dir, opts), nil
		},
	})
}

// support: every feature is written out, and media files are copied.
var support = transcript.Support(exporters.Full)

// IndexName is the file that lists the chats.
const IndexName = "README.md"

// MediaFolder is the folder, inside the output, that holds media files.
const MediaFolder = "media"

// chatEntry is what the index keeps of a chat.
type chatEntry struct {
	title, file, kind string
	messages          int
	first, last       model.Timestamp
}

// Writer writes a Markdown archive into a folder.
type Writer struct {
	dir   string
	opts  exporters.Options
	d     transcript.Describer
	media exporters.MediaDir

	chats []chatEntry
	taken map[string]bool // file names in use, lower-cased
	noted bool            // missing media files were reported

	chat     *model.Chat
	f        *os.File
	w        *bufio.Writer
	header   bool
	floating bool
	day      string
	b        []byte
}

var _ exporters.Writer = (*Writer)(nil)

// NewWriter returns a Writer that fills the existing folder dir.
func NewWriter(dir string, opts exporters.Options) *Writer {
	return &Writer{
		dir:   dir,
		opts:  opts,
		d:     transcript.Describer{Clock: transcript.Clock{TZ: opts.TZ}, Report: opts.Report},
		media: exporters.MediaDir{Root: dir, Sub: MediaFolder},
		taken: map[string]bool{strings.ToLower(IndexName): true},
	}
}

// WriteChat starts the chat's file.
func (w *Writer) WriteChat(c *model.Chat) error {
	if err := w.endChat(); err != nil {
		return err
	}
	name := w.fileName(transcript.Title(c))
	f, err := os.OpenFile(filepath.Join(w.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.f, w.w = f, bufio.NewWriterSize(f, 64<<10)
	w.chat, w.header, w.day = c, false, ""
	w.chats = append(w.chats, chatEntry{title: transcript.Title(c), file: name, kind: transcript.ChatKind(c)})
	w.d.StartChat(c)
	return nil
}

// fileName returns a safe file name for a chat titled title, unique
// without regard to case.
func (w *Writer) fileName(title string) string {
	stem := exporters.SafeName(title)
	for i := 1; ; i++ {
		name := stem + ".md"
		if i > 1 {
			name = stem + "-" + strconv.Itoa(i) + ".md"
		}
		if !w.taken[strings.ToLower(name)] {
			w.taken[strings.ToLower(name)] = true
			return name
		}
	}
}

// endChat finishes the open chat's file.
func (w *Writer) endChat() error {
	if w.chat == nil {
		return nil
	}
	if !w.header {
		w.writeHeader(nil)
		w.w.WriteString("*No messages.*\n")
	}
	err := w.w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.chat, w.f, w.w = nil, nil, nil
	return err
}

func (w *Writer) writeHeader(first *model.Message) {
	c := w.chat
	b := append(w.b[:0], "# "...)
	b = appendLine(b, transcript.Title(c), false, true)
	b = append(b, "\n\n"...)
	item := func(key, value string) {
		b = append(b, "- **"+key+":** "...)
		b = appendLine(b, value, false, false)
		b = append(b, '\n')
	}
	facts, floating := transcript.Header(c, w.opts.Me, w.d.Clock, first)
	for _, f := range facts {
		item(f.Key, f.Value)
	}
	w.floating = floating
	b = append(b, '\n')
	w.b = b
	w.w.Write(b)
	w.header = true
}

// appendLine appends s as one escaped line: line breaks become " ↵ " and
// control characters visible.
func appendLine(b []byte, s string, lineStart, heading bool) []byte {
	return appendEscaped(b, transcript.Visible(transcript.OneLine(s)), lineStart, heading)
}

// WriteMessage writes one message as a paragraph.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.chat == nil {
		return errors.New("markdown: message written before its chat")
	}
	if !w.header {
		w.writeHeader(m)
	}
	e := &w.chats[len(w.chats)-1]
	e.messages++
	if !m.Time.IsZero() {
		if e.first.IsZero() {
			e.first = m.Time
		}
		e.last = m.Time
	}
	clock := w.d.Clock
	b := w.b[:0]
	if day := clock.Date(m.Time); day != w.day || e.messages == 1 {
		w.day = day
		b = append(b, "## "...)
		b = append(b, clock.Day(m.Time)...)
		b = append(b, "\n\n"...)
	}
	head := append([]byte(nil), "**"...)
	if m.Time.IsZero() {
		head = append(head, "unknown time"...)
	} else {
		head = append(head, clock.Time(m.Time)...)
		if mark := clock.Mark(m.Time, w.floating); mark != "" {
			head = append(head, " ("+mark+")"...)
		}
	}
	if m.Kind == model.KindSystem {
		head = append(head, "** —"...)
	} else {
		head = append(head, ' ')
		head = appendLine(head, transcript.Name(w.chat, m.Sender), false, false)
		if flags := transcript.Flags(m, clock); len(flags) > 0 {
			head = append(head, " ("+strings.Join(flags, ", ")+")"...)
		}
		head = append(head, ":**"...)
	}
	lines := textLines(head, transcript.Lines(transcript.Visible(m.Text)))
	details, err := w.details(m)
	if err != nil {
		return err
	}
	b = appendParagraph(b, append(lines, details...))
	w.b = b
	_, err = w.w.Write(b)
	return err
}

// details renders the lines that describe m beyond its text, copying its
// media files into the media folder.
func (w *Writer) details(m *model.Message) ([][]byte, error) {
	var lines [][]byte
	for _, d := range w.d.Details(m) {
		var l []byte
		if d.Attachment >= 0 {
			a := &m.Attachments[d.Attachment]
			rel, err := w.copyMedia(a)
			if err != nil {
				return nil, err
			}
			if rel != "" && isPicture(a) {
				lines = append(lines, fmt.Appendf(nil, "![%s](%s)", appendLine(nil, transcript.AttachmentName(a), false, false), linkPath(rel)))
			}
			l = append(l, "*attachment:* "...)
			if rel != "" {
				l = append(l, '[')
				l = appendLine(l, transcript.AttachmentName(a), false, false)
				l = append(l, "]("+linkPath(rel)+")"...)
			} else {
				l = appendLine(l, transcript.AttachmentName(a), false, false)
			}
			if facts := transcript.AttachmentFacts(a); facts != "" {
				l = append(l, " ("...)
				l = appendLine(l, facts, false, false)
				l = append(l, ')')
			}
		} else {
			l = append(l, "*"+d.Label+":* "...)
			l = appendEscaped(l, transcript.Visible(d.Text), false, false)
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// copyMedia copies the attachment's file into the media folder and
// returns its path in the output, or "" when the input does not hold it.
// A file the input names but cannot give is reported as dropped.
func (w *Writer) copyMedia(a *model.Attachment) (string, error) {
	rel, err := w.media.Copy(w.chat, a)
	switch {
	case err == nil:
		return rel, nil
	case errors.Is(err, exporters.ErrNoMedia) && a.Path == "":
		return "", nil
	case errors.Is(err, exporters.ErrNoMedia), errors.Is(err, fs.ErrNotExist):
		if w.opts.Report != nil {
			w.opts.Report.Drop(model.FeatureMediaFiles, 1)
			if !w.noted {
				w.opts.Report.Notef("the input names media files it does not hold, such as %s; they are listed without a link", a.Path)
				w.noted = true
			}
		}
		return "", nil
	}
	return "", err
}

// isPicture reports whether an attachment shows as a picture.
func isPicture(a *model.Attachment) bool {
	switch a.Kind {
	case model.MediaImage, model.MediaSticker, model.MediaGIF:
		return true
	}
	return false
}

// Close finishes the last chat and writes the README that lists the chats.
func (w *Writer) Close() error {
	if err := w.endChat(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(w.dir, IndexName), w.index(), 0o644)
}

func (w *Writer) index() []byte {
	b := []byte("# Chats\n\n")
	if len(w.chats) == 0 {
		return append(b, "*No chats.*\n"...)
	}
	b = append(b, "Written by chatferry: one file per chat, media files in the "+MediaFolder+" folder.\n\n"...)
	clock := w.d.Clock
	for _, e := range w.chats {
		b = append(b, "- ["...)
		b = appendLine(b, e.title, false, false)
		b = append(b, "]("+linkPath(e.file)+") — "+e.kind+", "...)
		b = strconv.AppendInt(b, int64(e.messages), 10)
		if e.messages == 1 {
			b = append(b, " message"...)
		} else {
			b = append(b, " messages"...)
		}
		if !e.first.IsZero() {
			b = append(b, ", "+clock.Date(e.first)...)
			if last := clock.Date(e.last); last != clock.Date(e.first) {
				b = append(b, " to "+last...)
			}
		}
		b = append(b, '\n')
	}
	return b
}

// Abort closes the open chat file; the Target removes the folder.
func (w *Writer) Abort() {
	if w.f != nil {
		w.f.Close()
		w.chat, w.f, w.w = nil, nil, nil
	}
}
