// Package whatsapp reads WhatsApp's "Export chat" transcripts (format
// "whatsapp"): the .txt alone, the zip WhatsApp shares (Android:
// "WhatsApp Chat with NAME.txt" and media files, iOS: "_chat.txt" and
// "00000035-PHOTO-…" files), or an unpacked folder, from Android and iOS,
// in every date and time layout seen in real exports.
//
// A transcript is read twice. The first pass learns the header layout
// (from the most common header among the first lines), the date order
// (from the whole file: a field above 12, else the order that keeps the
// messages in time order, else the usual layout, with a warning), the
// senders, whether the chat is a group and where the file is cut off. The
// second pass yields the chat and then its messages one at a time. Memory
// does not grow with the transcript: lines are bounded by MaxLine and a
// message by MaxRecord, and only the distinct sender names are kept.
//
// Conventions: a message is a header line and the lines after it up to
// the next line whose header has the transcript's layout; messages stay in
// file order; every line of the file ends up in exactly one message (lines
// before the first header become one system note). Times are floating
// (the export has no zone). Message ids are "m" and the line number of
// the header; participants are "p1", "p2", … in order of appearance.
package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// Name is the format's name.
const Name = "whatsapp"

func init() {
	importers.Register(importers.Format{
		Name:    Name,
		Summary: `WhatsApp "Export chat" text (.txt, the zip with media, or its folder; Android and iOS, any language)`,
		Options: []importers.Option{{
			Name:    "date-order",
			Help:    "how to read dates when the file cannot tell: dmy, mdy or ymd (myd or dym when the year is in the middle)",
			Default: "",
		}, {
			Name: "year",
			Help: "the year of the first message, for exports of 2013–14 whose dates have no year",
		}},
		Detect: detect,
		Open:   Open,
	})
}

// options are the settings of one import.
type options struct {
	order dateOrder
	me    string
	year  int // the year of the first message, 0 to infer it
}

// transcript is one chat's text file inside a source.
type transcript struct {
	src     *importers.Source
	name    string // path in src.FS
	display string // for positions and messages
	title   string
	titled  bool // the title comes from WhatsApp's file name
	enc     encoding
}

// open opens the transcript for a pass.
func (t *transcript) open() (*lineReader, fs.File, error) {
	f, err := t.src.Open(t.name)
	if err != nil {
		return nil, nil, err
	}
	lr, enc, err := newLineReader(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", t.display, err)
	}
	t.enc = enc
	return lr, f, nil
}

// fail turns a read error into a fatal positioned error.
func (t *transcript) fail(line int, err error) error {
	return &importers.ParseError{Pos: model.Pos{File: t.display, Line: line}, Err: err, Fatal: true}
}

// detect scores a probe: a transcript whose first line is a message
// header, or a zip or folder that holds one.
func detect(p *importers.Probe) int {
	if p.Kind == importers.File {
		return scoreTranscript(p.Name, p.Head)
	}
	best := 0
	for _, e := range p.Entries {
		if !candidateName(e) {
			continue
		}
		best = max(best, scoreTranscript(e, p.HeadOf(e)))
	}
	return best
}

// scoreTranscript scores one text file by its name and first bytes.
func scoreTranscript(name string, head []byte) int {
	_, titled := titleFromName(name)
	named := titled || path.Base(name) == "_chat.txt"
	line := firstLine(head)
	if len(bytes.TrimSpace(line)) == 0 && len(head) == 0 {
		if named {
			return 50
		}
		if strings.EqualFold(path.Ext(name), ".txt") {
			return 5 // an empty text file: nothing else reads it either
		}
		return 0
	}
	var h header
	if scanHeader(line, &h) == isHeader {
		if named {
			return 95
		}
		return 80
	}
	// A transcript may start with a few lines of a cut-off message: look
	// for a header among the other whole lines of the head.
	lines := bytes.Split(utf8Head(head), []byte("\n"))
	for i := 1; i < len(lines)-1; i++ {
		l := lines[i]
		if scanHeader(bytes.TrimRight(l, "\r"), &h) == isHeader {
			if named {
				return 70
			}
			return 60
		}
	}
	return 0
}

// firstLine returns the first line of head as UTF-8, without a byte
// order mark or line ending.
func firstLine(head []byte) []byte {
	head = utf8Head(head)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return bytes.TrimRight(head, "\r")
}

// utf8Head returns the head of a file as UTF-8, without a byte order mark.
func utf8Head(head []byte) []byte {
	switch sniffEncoding(head) {
	case utf8BOM:
		return head[3:]
	case utf16LE, utf16BE:
		big := head[0] == 0xFE
		units := make([]uint16, 0, len(head)/2)
		for i := 2; i+1 < len(head); i += 2 {
			if big {
				units = append(units, uint16(head[i])<<8|uint16(head[i+1]))
			} else {
				units = append(units, uint16(head[i+1])<<8|uint16(head[i]))
			}
		}
		return []byte(string(utf16.Decode(units)))
	}
	return head
}

// candidateName reports whether a file in a zip or folder may be a
// transcript: a .txt that is not an attachment and not macOS metadata.
func candidateName(name string) bool {
	base := path.Base(name)
	if !strings.EqualFold(path.Ext(base), ".txt") || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._") {
		return false
	}
	// iOS attachments are "00000046-Some file.txt".
	if len(base) > 9 && base[8] == '-' && strings.Trim(base[:8], "0123456789") == "" {
		return false
	}
	return true
}

// Open starts reading src.
func Open(ctx context.Context, src *importers.Source, o importers.Options) (importers.Reader, error) {
	opts := options{me: o.Me}
	if v := o.Values.Get("date-order"); v != "" {
		ord, ok := parseOrder(v)
		if !ok {
			return nil, importers.OptionErrorf("--date-order %q: want dmy, mdy or ymd (or myd, dym)", v)
		}
		opts.order = ord
	}
	if v := o.Values.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1990 || y > 2100 {
			return nil, importers.OptionErrorf("--year %q: want a year such as 2014", v)
		}
		opts.year = y
	}
	ts, err := transcripts(src)
	if err != nil {
		return nil, err
	}
	return &reader{ctx: ctx, src: src, opts: opts, ts: ts}, nil
}

// transcripts finds the chats in src: the file itself, or every
// transcript in a zip or folder (a folder's "_chat.txt" wins over other
// text files beside it).
func transcripts(src *importers.Source) ([]*transcript, error) {
	if src.Kind == importers.File {
		t := &transcript{src: src, name: src.Name, display: src.Display(src.Name)}
		label := src.Name
		if src.Name == "_chat.txt" && src.Path != "-" {
			label = path.Base(path.Dir(strings.ReplaceAll(src.Path, `\`, "/")))
		}
		t.title, t.titled = titleFromName(label)
		ok, err := looksLikeTranscript(src, src.Name)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, notRecognised(src.Path)
		}
		return []*transcript{t}, nil
	}
	files, err := src.Files()
	if err != nil {
		return nil, err
	}
	probe, err := src.Probe()
	if err != nil {
		return nil, err
	}
	ios := map[string]bool{}
	for _, f := range files {
		if path.Base(f) == "_chat.txt" && !strings.HasPrefix(f, "__MACOSX/") {
			ios[path.Dir(f)] = true
		}
	}
	var ts []*transcript
	for _, f := range files {
		if !candidateName(f) || (ios[path.Dir(f)] && path.Base(f) != "_chat.txt") {
			continue
		}
		if scoreTranscript(f, probe.HeadOf(f)) == 0 {
			continue
		}
		t := &transcript{src: src, name: f, display: src.Display(f)}
		label := f
		if path.Base(f) == "_chat.txt" {
			label = path.Dir(f)
			if label == "." {
				label = path.Base(strings.ReplaceAll(src.Path, `\`, "/"))
			}
		}
		t.title, t.titled = titleFromName(label)
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, notRecognised(src.Path)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].name < ts[j].name })
	return ts, nil
}

// looksLikeTranscript reports whether a lone file may be a transcript:
// empty, or opening with a message header, or holding one among its first
// lines (a transcript may start with a cut-off message).
func looksLikeTranscript(src *importers.Source, name string) (bool, error) {
	p, err := src.Probe()
	if err != nil {
		return false, err
	}
	head := p.HeadOf(name)
	if len(head) == 0 || scoreTranscript(name, head) > 0 {
		return true, nil
	}
	if bytes.IndexByte(utf8Head(head), 0) >= 0 {
		return false, nil // binary
	}
	t := &transcript{src: src, name: name, display: src.Display(name)}
	lr, f, err := t.open()
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, ok, err := sniffShape(lr)
	if errors.Is(err, errLineTooLong) {
		return false, nil
	}
	return ok, err
}

func notRecognised(p string) error {
	return &importers.NotRecognisedError{Path: p,
		Reason: `expected a WhatsApp "Export chat" transcript: lines that start with a date and time such as "23/03/2022, 13:31 - Name: text" or "[3/18/22, 14:56:01] Name: text", or a zip or folder holding one`}
}

// reader yields the chats of a source.
type reader struct {
	ctx    context.Context
	src    *importers.Source
	opts   options
	ts     []*transcript
	next   int
	cur    *chatReader
	err    error
	closed bool
}

var _ importers.Progresser = (*reader)(nil)

// Progress counts both passes over the transcripts.
func (r *reader) Progress() (done, total int64) {
	total = 2 * r.src.Size()
	done = min(r.src.BytesRead(), total)
	return done, total
}

func (r *reader) Close() error {
	if r.cur != nil {
		r.cur.close()
		r.cur = nil
	}
	r.closed = true
	return nil
}

func (r *reader) fail(err error) (model.Item, error) {
	r.err = err
	r.Close()
	return nil, err
}

func (r *reader) Next() (model.Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, io.EOF
	}
	for {
		if r.cur == nil {
			if err := r.ctx.Err(); err != nil {
				return r.fail(err)
			}
			if r.next == len(r.ts) {
				r.Close()
				return nil, io.EOF
			}
			t := r.ts[r.next]
			r.next++
			cr, err := startChat(r.ctx, t, &r.opts, fmt.Sprintf("c%d", r.next))
			if err != nil {
				return r.fail(err)
			}
			r.cur = cr
			return cr.chat, nil
		}
		m, err := r.cur.nextMessage()
		if err == io.EOF {
			r.cur.close()
			r.cur = nil
			continue
		}
		if err != nil {
			return r.fail(err)
		}
		return m, nil
	}
}
