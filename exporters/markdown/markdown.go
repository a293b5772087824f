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
	"os"
	"path/filepath"
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
	f        *os.File      // the open part of the chat
	w        *bufio.Writer // writes f
	size     int           // bytes written to f
	header   bool
	floating bool
	day      string
	b, head  []byte // scratch for a message and its first line
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
	title := transcript.Title(c)
	name := w.fileName(title)
	if err := w.openFile(name); err != nil {
		return err
	}
	w.chat, w.header, w.day = c, false, noDay
	w.chats = append(w.chats, chatEntry{title: title, files: []string{name}, kind: transcript.ChatKind(c)})
	w.d.StartChat(c)
	return nil
}

// writeHeader writes the title and facts that open a chat's file; first
// is the chat's first message, nil when it has none.
func (w *Writer) writeHeader(first *model.Message) {
	if first != nil {
		w.floating = transcript.Floating(first)
	}
	w.write(w.appendHeader(w.b[:0], first != nil, 1, ""))
	w.header = true
}

// appendHeader appends the title and facts of the open chat's file: part
// is its number, prev the file of the part before. times says whether to
// tell how times are shown.
func (w *Writer) appendHeader(b []byte, times bool, part int, prev string) []byte {
	c := w.chat
	b = append(b, "# "...)
	b = appendLine(b, transcript.Title(c), false, true)
	if part > 1 {
		b = fmt.Appendf(b, " (part %d)\n\nContinued from [part %d](%s).", part, part-1, linkPath(prev))
	}
	b = append(b, "\n\n"...)
	item := func(key, value string) {
		b = append(b, "- **"+key+":** "...)
		b = appendLine(b, value, false, false)
		b = append(b, '\n')
	}
	for _, f := range transcript.Header(c, w.opts.Me) {
		item(f.Key, f.Value)
	}
	if times {
		item("Times", w.d.Clock.Convention(w.floating))
	}
	return append(b, '\n')
}

// write writes b to the open file, counting its size. An error stays in
// the buffered writer and comes back from the next write or flush.
func (w *Writer) write(b []byte) error {
	w.b = b
	w.size += len(b)
	_, err := w.w.Write(b)
	return err
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
	day := clock.Date(m.Time)
	if w.size >= partSize && day != w.day || w.size >= partMax {
		if err := w.nextPart(); err != nil {
			return err
		}
	}
	b := w.b[:0]
	if day != w.day {
		w.day = day
		b = append(b, "## "...)
		b = append(b, clock.Day(m.Time)...)
		b = append(b, "\n\n"...)
	}
	head := append(w.head[:0], "**"...)
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
	w.head = lines[0]
	details, err := w.details(m)
	if err != nil {
		return err
	}
	b = appendParagraph(b, append(lines, details...))
	return w.write(b)
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
	case errors.Is(err, exporters.ErrNoMedia):
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

// Abort closes the open chat file; the Target removes the folder.
func (w *Writer) Abort() {
	if w.f != nil {
		w.f.Close()
		w.chat, w.f, w.w = nil, nil, nil
	}
}
