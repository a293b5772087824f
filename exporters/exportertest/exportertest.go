// Package exportertest is the conformance kit every output format runs from
// its own tests:
//
//	func TestKit(t *testing.T) {
//		exportertest.Run(t, "myformat", exportertest.Case{})
//	}
//
// A Case without Input uses the project's rich sample
// (testdata/json/sample.json): two chats with every feature of the model,
// media files, hostile and right-to-left text. For every case the kit
// writes the output through a real Target and checks that it matches a
// golden file (a txtar listing of the output's files, rewritten with
// `go test -update`), that the report counts every use of a feature the
// format declares it cannot keep, that an aborted or failing export
// leaves nothing at the destination, that media files the input cannot
// give are reported and left out, and, when the format can be read back,
// that reading the output gives the model that was written.
package exportertest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"

	_ "github.com/chatferry/chatferry/importers/canonicaljson" // reads the sample
)

// Case is one export a format must write.
type Case struct {
	// Name names the subtest and the golden file; default "sample".
	Name string
	// Input is read with From (or detection); default the rich sample.
	Input string
	From  string
	// Options for the export; TZ defaults to Europe/Berlin, so that
	// floating and zoned times are told apart, and Me to "Ben Sample".
	Options exporters.Options
	// Golden is the golden txtar; default testdata/golden/<Name>.txtar.
	Golden string
	// NoGolden skips the golden comparison, with the reason, for outputs
	// that hold random keys or the current time.
	NoGolden string
	// ReadBack names the importer that reads this format's output; the
	// kit then checks that reading the output gives the model written,
	// after Normalize.
	ReadBack string
	// Normalize adjusts an item, of what was written and of what was read
	// back alike, before they are compared: it removes what the format
	// cannot keep (ids it renames, positions, fields it drops).
	Normalize func(model.Item)
}

func (c *Case) defaults(t *testing.T) {
	if c.Name == "" {
		c.Name = "sample"
	}
	if c.Input == "" {
		c.Input = Sample(t)
	}
	if c.Golden == "" {
		c.Golden = filepath.Join("testdata", "golden", c.Name+".txtar")
	}
	if c.Options.TZ == nil {
		loc, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		c.Options.TZ = loc
	}
	if c.Options.Me == "" {
		c.Options.Me = "Ben Sample"
	}
}

// Sample returns the path of the project's rich sample.
func Sample(t testing.TB) string {
	return filepath.Join(importertest.ModuleRoot(t), "testdata", "json", "sample.json")
}

// Run runs the conformance checks for the named format.
func Run(t *testing.T, format string, cases ...Case) {
	t.Helper()
	f, err := exporters.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		cases = []Case{{}}
	}
	for _, c := range cases {
		c.defaults(t)
		t.Run(c.Name, func(t *testing.T) {
			items := Input(t, c.Input, c.From)
			out, rep := Write(t, f, items, c.Options)
			t.Run("report", func(t *testing.T) { checkReport(t, f, items, rep) })
			t.Run("golden", func(t *testing.T) {
				if c.NoGolden != "" {
					t.Skip(c.NoGolden)
				}
				importertest.Golden(t, c.Golden, Listing(t, out))
			})
			t.Run("abort", func(t *testing.T) { checkAbort(t, f, items, c.Options) })
			t.Run("unreadable-media", func(t *testing.T) { checkUnreadableMedia(t, f, items, c.Options) })
			if f.Layout == exporters.FileLayout {
				t.Run("write-error", func(t *testing.T) { checkWriteError(t, f, items, c.Options) })
			}
			if c.ReadBack != "" {
				t.Run("read-back", func(t *testing.T) { checkReadBack(t, c, out) })
			}
		})
	}
}

// Input reads path (with the named importer, or by detection) and returns
// the items.
func Input(t testing.TB, path, from string) []model.Item {
	t.Helper()
	if from == "" {
		src := importertest.OpenSource(t, path)
		f, err := importers.Detect(src)
		if err != nil {
			t.Fatal(err)
		}
		from = f.Name
	}
	return importertest.Items(t, from, path, importers.Options{})
}

// Write exports items with f into a fresh temporary folder and returns
// the output's path and the report.
func Write(t testing.TB, f *exporters.Format, items []model.Item, opts exporters.Options) (string, *exporters.Report) {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "out"+f.Ext)
	rep := &exporters.Report{}
	opts.Report = rep
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	tg, err := exporters.NewTarget(dest, f.Layout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.New(tg, opts)
	if err != nil {
		t.Fatal(err)
	}
	w = exporters.Counting(w, f, rep, opts.TZ)
	if err := WriteItems(w, items); err != nil {
		w.Abort()
		tg.Abort()
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tg.Abort()
		t.Fatal(err)
	}
	if err := tg.Commit(); err != nil {
		t.Fatal(err)
	}
	return dest, rep
}

// WriteItems writes items to w in order, chats with WriteChat and
// messages with WriteMessage, and stops at the first error.
func WriteItems(w exporters.Writer, items []model.Item) error {
	for _, it := range items {
		var err error
		switch v := it.(type) {
		case *model.Chat:
			err = w.WriteChat(v)
		case *model.Message:
			err = w.WriteMessage(v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkReport: every use of a feature the format grades Dropped or
// Partial appears in the report; a use of a feature graded Varies may
// appear, as partial, or not (the writer decides message by message, and
// its own tests check which).
func checkReport(t *testing.T, f *exporters.Format, items []model.Item, rep *exporters.Report) {
	want := map[string]int{}
	var scratch []model.Feature
	for _, it := range items {
		if m, ok := it.(*model.Message); ok {
			scratch = m.AppendFeatures(scratch[:0])
			for _, feat := range scratch {
				if s := f.SupportOf(feat); s != exporters.Full && s != exporters.Varies {
					want[s.String()+" "+string(feat)]++
				}
			}
		}
	}
	got := map[string]int{}
	for _, l := range rep.Losses() {
		got[l.Support.String()+" "+string(l.Feature)] = l.Count
	}
	for k, n := range want {
		if got[k] < n {
			t.Errorf("report has %d × %s, want at least %d", got[k], k, n)
		}
	}
}

// PartialBytes is what the failing file of FailingMedia gives before its
// read fails.
const PartialBytes = "PARTIAL-BYTES-OF-A-BROKEN-FILE"

// ErrMediaRead is the error the failing file of FailingMedia returns.
var ErrMediaRead = errors.New("injected read error")

// FailingMedia returns the files of an input in which the file named fail
// gives PartialBytes and then fails with ErrMediaRead, half-way through
// its stated size; files holds the others.
func FailingMedia(fail string, files fstest.MapFS) fs.FS {
	return failingMedia{fail: fail, files: files}
}

type failingMedia struct {
	fail  string
	files fstest.MapFS
}

func (m failingMedia) Open(name string) (fs.File, error) {
	if name == m.fail {
		return &failingFile{name: name}, nil
	}
	return m.files.Open(name)
}

type failingFile struct {
	name  string
	reads int
}

func (f *failingFile) Stat() (fs.FileInfo, error) {
	return fstest.MapFS{f.name: {Data: []byte(PartialBytes + PartialBytes)}}.Stat(f.name)
}
func (f *failingFile) Close() error { return nil }
func (f *failingFile) Read(p []byte) (int, error) {
	if f.reads++; f.reads > 1 {
		return 0, ErrMediaRead
	}
	return copy(p, PartialBytes), nil
}

// checkUnreadableMedia: attachments whose files the input names but
// cannot give (not there, a path that leaves the input, a folder, a file
// that fails half-way) do not stop the export; they are reported, and no
// part of them is written.
func checkUnreadableMedia(t *testing.T, f *exporters.Format, items []model.Item, opts exporters.Options) {
	var chat *model.Chat
	var base *model.Message
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			if chat == nil {
				chat = v
			}
		case *model.Message:
			if base == nil && chat != nil && v.Sender != "" && v.Kind == model.KindText {
				base = v
			}
		}
	}
	if base == nil {
		t.Skip("the input has no text message to attach files to")
	}
	c := *chat
	// "broken.jpg" fails half-way, "album" is a folder, "ok.jpg" can be read.
	c.Media = FailingMedia("broken.jpg", fstest.MapFS{"ok.jpg": {Data: []byte("a picture")}, "album/a.jpg": {Data: []byte("x")}})
	m := *base
	m.Kind, m.Text, m.Reactions, m.ReplyTo, m.Quote = model.KindMedia, "", nil, "", nil
	bad := []string{"nope.jpg", "../../../etc/passwd", "/etc/hosts", "album", "broken.jpg"}
	for _, p := range append(bad, "ok.jpg") {
		m.Attachments = append(m.Attachments, model.Attachment{Name: path.Base(p), Kind: model.MediaImage, Path: p})
	}
	out, rep := Write(t, f, []model.Item{&c, &m}, opts)
	if len(rep.Losses()) == 0 && len(rep.Notes()) == 0 {
		t.Errorf("%d files the input cannot give were not reported", len(bad))
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(PartialBytes)) {
			t.Errorf("%s holds part of a file that failed to read", p)
		}
		return nil
	})
}

func checkAbort(t *testing.T, f *exporters.Format, items []model.Item, opts exporters.Options) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out"+f.Ext)
	opts.Report = &exporters.Report{}
	tg, err := exporters.NewTarget(dest, f.Layout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.New(tg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteItems(w, items[:min(len(items), 3)]); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	tg.Abort()
	if f.Layout == exporters.InPlaceLayout {
		return // the format's own tests check that its update is atomic
	}
	left, _ := os.ReadDir(dir)
	for _, e := range left {
		t.Errorf("after Abort the output folder still holds %s", e.Name())
	}
}

// errWrite is what the failing writer returns.
var errWrite = errors.New("injected write error")

type failingWriter struct {
	w    io.Writer
	left int
}

func (fw *failingWriter) Write(b []byte) (int, error) {
	if len(b) > fw.left {
		n, _ := fw.w.Write(b[:fw.left])
		fw.left = 0
		return n, errWrite
	}
	fw.left -= len(b)
	return fw.w.Write(b)
}

func checkWriteError(t *testing.T, f *exporters.Format, items []model.Item, opts exporters.Options) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out"+f.Ext)
	opts.Report = &exporters.Report{}
	tg, err := exporters.NewTarget(dest, f.Layout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	tg.Wrap = func(w io.Writer) io.Writer { return &failingWriter{w: w, left: 100} }
	w, err := f.New(tg, opts)
	if err != nil {
		t.Fatal(err)
	}
	err = WriteItems(w, items)
	if err == nil {
		err = w.Close()
	} else {
		w.Abort()
	}
	tg.Abort()
	if !errors.Is(err, errWrite) {
		t.Errorf("a failing write gave %v, want the write error", err)
	}
	left, _ := os.ReadDir(dir)
	for _, e := range left {
		t.Errorf("after a failed export the output folder still holds %s", e.Name())
	}
}

func checkReadBack(t *testing.T, c Case, out string) {
	back := importertest.Items(t, c.ReadBack, out, importers.Options{TZ: c.Options.TZ})
	norm := func(items []model.Item) []byte {
		for _, it := range items {
			if c.Normalize != nil {
				c.Normalize(it)
			}
		}
		return importertest.Render(t, items)
	}
	want := norm(Input(t, c.Input, c.From)) // a fresh copy: Normalize mutates
	got := norm(back)
	if !bytes.Equal(want, got) {
		t.Errorf("reading the output back with %s gives a different model (want: written, got: read back):\n%s",
			c.ReadBack, importertest.FirstDiff(want, got))
	}
}

// Listing renders an output file or folder as a txtar archive: text files
// in full, binary files as their size and SHA-256.
func Listing(t testing.TB, out string) []byte {
	t.Helper()
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	var ar txtar.Archive
	add := func(name string, data []byte) {
		if utf8.Valid(data) && !bytes.ContainsRune(data, 0) {
			if len(data) > 0 && data[len(data)-1] != '\n' {
				data = append(data, "\n(no newline at end of file)\n"...)
			}
			ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
			return
		}
		sum := sha256.Sum256(data)
		ar.Files = append(ar.Files, txtar.File{Name: name + " (binary)",
			Data: fmt.Appendf(nil, "%d bytes, sha256 %x\n", len(data), sum)})
	}
	if !fi.IsDir() {
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		add(filepath.Base(out), data)
		return txtar.Format(&ar)
	}
	var names []string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		add(n, data)
	}
	return txtar.Format(&ar)
}
