// Package html writes chatferry's HTML archive (format "html"): a folder
// that opens from disk in any browser, with no network, and looks like a
// chat.
//
// The folder holds index.html, which lists every chat of every input, one
// folder per chat with its messages split into pages of page-size
// messages, and a media folder with the attached files. Pages are written
// as messages arrive; only a small summary per chat (its title, counts and
// one line per page) stays in memory until Close writes the index.
//
// Everything from a chat is escaped by html/template. Each page carries a
// Content-Security-Policy that allows no remote loads, no plugins or
// frames, styles and scripts only by the hashes of the archive's own, and
// images and media only from the archive's folder.
package html

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// DefaultPageSize is how many messages a chat page holds unless the
// page-size option says otherwise.
const DefaultPageSize = 1000

// DefaultSearchSize is how many messages a chat's search page lists unless
// the search-size option says otherwise. A search page of every message
// of a very long chat would take a browser minutes and gigabytes to open
// (562,097 messages: 150 MB, 88 s and 1.4 GB in Chromium); one of 20,000
// opens in a few seconds, and a search carries on from one search page to
// the next by their links.
const DefaultSearchSize = 20_000

func init() {
	exporters.Register(exporters.Format{
		Name:    "html",
		Summary: "an HTML archive folder that opens offline in any browser: chat bubbles, media, search",
		Layout:  exporters.FolderLayout,
		Merges:  true,
		Ext:     "-html",
		Support: support,
		Options: []exporters.Option{
			{Name: "page-size", Help: "messages per page of a chat", Default: strconv.Itoa(DefaultPageSize)},
			{Name: "search-size", Help: "messages per search page of a chat (a longer chat gets several, linked)", Default: strconv.Itoa(DefaultSearchSize)},
			{Name: "title", Help: "the archive's title on its index page", Default: "Chat archive"},
		},
		New: newWriter,
	})
}

// support: every feature is shown, media files are copied into the folder.
var support = func() map[model.Feature]exporters.Support {
	m := map[model.Feature]exporters.Support{}
	for _, f := range model.Features {
		m[f] = exporters.Full
	}
	return m
}()

// Writer writes an HTML archive into a folder.
type Writer struct {
	dir        string
	opts       exporters.Options
	tz         *time.Location
	pageSize   int
	searchSize int
	title      string
	media      exporters.MediaDir

	chats []*chatSummary // one per chat written, for the index
	cur   *chatPages     // the open chat, or nil
	err   error          // the first write error; every later call returns it
}

var _ exporters.Writer = (*Writer)(nil)

func newWriter(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
	for _, name := range []string{"page-size", "search-size"} {
		if _, err := sizeOption(opts, name, 0); err != nil {
			return nil, err
		}
	}
	dir, err := t.CreateDir()
	if err != nil {
		return nil, err
	}
	pageSize, _ := sizeOption(opts, "page-size", DefaultPageSize)
	return New(dir, pageSize, opts), nil
}

// sizeOption reads the option name, a positive number of messages, or
// returns def when it is not given.
func sizeOption(opts exporters.Options, name string, def int) (int, error) {
	v := opts.Values.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return def, exporters.OptionErrorf("--%s %q: want a positive number of messages", name, v)
	}
	return n, nil
}

// New returns a Writer that writes an archive into the existing, empty
// folder dir, pageSize messages to a page (and as many to a search page
// as the search-size option says).
func New(dir string, pageSize int, opts exporters.Options) *Writer {
	tz := opts.TZ
	if tz == nil {
		tz = time.UTC
	}
	title := opts.Values.Get("title")
	if title == "" {
		title = "Chat archive"
	}
	if opts.Report == nil {
		opts.Report = &exporters.Report{}
	}
	searchSize, _ := sizeOption(opts, "search-size", DefaultSearchSize)
	return &Writer{dir: dir, opts: opts, tz: tz, pageSize: max(pageSize, 1), searchSize: searchSize, title: title,
		media: exporters.MediaDir{Root: dir, Sub: "media"}}
}

// WriteChat ends the open chat and opens c with its first page.
func (w *Writer) WriteChat(c *model.Chat) error {
	if w.err != nil {
		return w.err
	}
	if err := w.endChat(); err != nil {
		return w.fail(err)
	}
	n := len(w.chats) + 1
	anchor := fmt.Sprintf("chat-%03d", n)
	folder := anchor
	if slug := slugOf(c.Title); slug != "" {
		folder += "-" + slug
	}
	if err := os.Mkdir(filepath.Join(w.dir, folder), 0o755); err != nil {
		return w.fail(err)
	}
	s := newChatSummary(c, anchor, folder, w.opts.Me)
	w.chats = append(w.chats, s)
	w.cur = &chatPages{w: w, chat: c, sum: s}
	return w.fail(w.cur.start())
}

// WriteMessage renders m on the open chat's current page, starting a new
// page when the current one is full.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.err != nil {
		return w.err
	}
	if w.cur == nil {
		return w.fail(errors.New("html: message written before its chat"))
	}
	return w.fail(w.cur.write(m))
}

// Close finishes the open chat and writes the index.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if err := w.endChat(); err != nil {
		return w.fail(err)
	}
	return w.fail(w.writeIndex())
}

// Abort releases the open files; the caller discards the folder.
func (w *Writer) Abort() {
	if w.cur != nil {
		w.cur.abort()
	}
	w.cur = nil
	if w.err == nil {
		w.err = errors.New("html: the export was aborted")
	}
}

func (w *Writer) fail(err error) error {
	if err != nil && w.err == nil {
		w.err = err
	}
	return err
}

func (w *Writer) endChat() error {
	if w.cur == nil {
		return nil
	}
	err := w.cur.finish()
	w.cur = nil
	return err
}

func (w *Writer) writeIndex() error {
	f, err := createPage(filepath.Join(w.dir, "index.html"))
	if err != nil {
		return err
	}
	err = f.execute("index", w.indexView())
	if cerr := f.close(); err == nil {
		err = cerr
	}
	return err
}

// slugOf returns a short ASCII form of a chat title for its folder name,
// or "" when the title has no ASCII letters or digits.
func slugOf(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}
