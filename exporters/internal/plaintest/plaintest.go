// Package plaintest holds the tests that chatferry's plain archive formats
// (csv, markdown, text) share: an export of every input a folder holds
// (the project's JSON samples, the shared corpus of real-world exports),
// and a benchmark over a synthetic chat.
package plaintest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// Inputs returns every file under dir, sorted.
func Inputs(t testing.TB, dir string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// ExportAll exports each input under root that a registered importer
// recognises with the named format, in a subtest per input, and fails
// when an export fails. An input that no importer recognises is skipped,
// and so is one whose import fails (that is the importer's test to
// catch). It returns how many inputs were exported.
func ExportAll(t *testing.T, format, root string, inputs []string, opts exporters.Options) int {
	t.Helper()
	f, err := exporters.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	exported, unknown := 0, 0
	for _, in := range inputs {
		items, src, err := Read(in, time.UTC)
		if errors.Is(err, importers.ErrNotRecognised) {
			unknown++
			continue
		}
		if err != nil {
			t.Logf("not exported: %v", err)
			continue
		}
		name, _ := filepath.Rel(root, in)
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			out, rep := exportertest.Write(t, f, items, opts)
			if chats, msgs := rep.Counts(); chats != count[*model.Chat](items) || msgs != count[*model.Message](items) {
				t.Errorf("the report counts %d chats and %d messages, the input has %d and %d",
					chats, msgs, count[*model.Chat](items), count[*model.Message](items))
			}
			if fi, err := os.Stat(out); err != nil || !fi.IsDir() && fi.Size() == 0 && len(items) > 0 {
				t.Errorf("the output %s is missing or empty (%v)", out, err)
			}
		})
		src.Close() // it holds the media the export copied
		exported++
	}
	t.Logf("%d inputs exported; %d that no input format recognises skipped", exported, unknown)
	return exported
}

func count[T model.Item](items []model.Item) int {
	n := 0
	for _, it := range items {
		if _, ok := it.(T); ok {
			n++
		}
	}
	return n
}

// ErrImport marks an error of Read that the input format gave: the input
// was recognised, but its import failed.
var ErrImport = errors.New("the input could not be imported")

// Read imports path with the format detection picks, reading floating
// times in tz and going on after recoverable errors. An input no format
// recognises gives an error that is importers.ErrNotRecognised, one whose
// import fails an ErrImport. The caller closes the source when it no
// longer needs the chats' media.
func Read(path string, tz *time.Location) ([]model.Item, *importers.Source, error) {
	src, err := importers.OpenSource(path, importers.DefaultLimits)
	if err != nil {
		return nil, nil, err
	}
	items, err := readSource(src, tz)
	if err != nil {
		src.Close()
		return nil, nil, err
	}
	return items, src, nil
}

func readSource(src *importers.Source, tz *time.Location) ([]model.Item, error) {
	f, err := importers.Detect(src)
	if err != nil {
		return nil, err
	}
	r, err := f.Open(context.Background(), src, importers.Options{TZ: tz})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrImport, f.Name, err)
	}
	defer r.Close()
	var items []model.Item
	for {
		it, err := r.Next()
		switch {
		case errors.Is(err, io.EOF):
			return items, nil
		case err != nil && importers.Recoverable(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("%w: %s import: %w", ErrImport, f.Name, err)
		}
		items = append(items, it)
	}
}

// Corpus returns the shared corpus folder rel (e.g. "whatsapp") and its
// files, or skips the test outside CI when the corpus is missing.
func Corpus(t *testing.T, rel string) (string, []string) {
	t.Helper()
	root := importertest.Corpus(t, rel)
	return root, Inputs(t, root)
}

// Samples returns the project's folder of samples of one kind
// (testdata/json, testdata/whatsapp) and its files.
func Samples(t testing.TB, kind string) (string, []string) {
	t.Helper()
	root := filepath.Join(importertest.ModuleRoot(t), "testdata", kind)
	paths := Inputs(t, root)
	if len(paths) == 0 {
		t.Fatalf("no samples in testdata/%s", kind)
	}
	return root, paths
}

// RunInputs exports the project's samples (testdata/json and
// testdata/whatsapp), and every file of the shared
// corpus (../shared/corpus/whatsapp, telegram-json, …) that an input
// format recognises, with the named format. It must be called from a test
// that links the input formats (a blank import of importers/all).
func RunInputs(t *testing.T, format string) {
	for _, kind := range []string{"json", "whatsapp"} {
		t.Run("samples/"+kind, func(t *testing.T) {
			root, inputs := Samples(t, kind)
			if ExportAll(t, format, root, inputs, exporters.Options{}) == 0 {
				t.Errorf("no sample in testdata/%s was exported", kind)
			}
		})
	}
	t.Run("corpus", func(t *testing.T) {
		EachCorpus(t, func(t *testing.T, root string, inputs []string) {
			if ExportAll(t, format, root, inputs, exporters.Options{}) == 0 {
				t.Skip("no input format recognises a file of this corpus yet")
			}
		})
	})
}

// EachCorpus calls fn in a subtest for every folder of the shared corpus
// (whatsapp, telegram-json, …), with the folder and its files, or skips
// the test outside CI when the corpus is missing.
func EachCorpus(t *testing.T, fn func(t *testing.T, root string, inputs []string)) {
	t.Helper()
	entries, err := os.ReadDir(importertest.Corpus(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			root, inputs := Corpus(t, e.Name())
			fn(t, root, inputs)
		})
	}
}

// Chat returns a synthetic group chat of n messages with the mix a real
// history has: short and long texts, some on several lines and with
// characters formats must escape, replies, reactions, omitted media, and
// a system event now and then.
func Chat(n int) (*model.Chat, []*model.Message) {
	c := &model.Chat{ID: "bench", Title: "Bench *group*", Kind: model.Group, Format: "json",
		TimePrecision: model.PrecisionMinute,
		Participants: []model.Participant{
			{ID: "p1", Name: "Ann Example", Phone: "+447700900123"},
			{ID: "p2", Name: "Ben Sample", Me: true},
			{ID: "p3", Name: "Carla | Example"},
		}}
	texts := []string{
		"ok",
		"Are we still on for the holiday? 🌴",
		"Yes!\nLeaving Friday at 7:30.\n\nBring the *big* bag & the <charger>.",
		"=SUM(A1:A2) is what the sheet said, [see](here) - or not",
		strings.Repeat("A longer message that goes on for a while, as people write them. ", 6),
	}
	msgs := make([]*model.Message, n)
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range msgs {
		t := start.Add(time.Duration(i) * 7 * time.Minute)
		m := &model.Message{
			ID:     model.MessageID(fmt.Sprintf("m%d", i)),
			Time:   model.Floating(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, model.PrecisionMinute),
			Sender: c.Participants[i%3].ID,
			Kind:   model.KindText,
			Text:   texts[i%len(texts)],
			Source: model.Pos{File: "bench.txt", Line: i + 1},
		}
		switch {
		case i%50 == 0:
			m.Sender, m.Kind, m.Text = "", model.KindSystem, "Ann Example changed the subject to \"Bench\""
			m.Event = &model.Event{Type: model.EventSubjectChanged, Actor: "p1", Subject: "Bench"}
		case i%10 == 3:
			m.Kind, m.Text = model.KindMedia, ""
			m.Attachments = []model.Attachment{{Name: fmt.Sprintf("IMG-%04d.jpg", i), Kind: model.MediaImage, Omitted: true}}
		case i%7 == 2 && i > 0:
			m.ReplyTo = msgs[i-1].ID
		}
		if i%9 == 4 {
			m.Reactions = []model.Reaction{{Emoji: "❤️", Sender: "p2"}}
		}
		msgs[i] = m
	}
	return c, msgs
}

// Bench measures how fast the named format writes messages of Chat,
// reporting messages per second. File formats write to a discarding
// stream, folder formats into a temporary folder.
func Bench(b *testing.B, format string) {
	f, err := exporters.Lookup(format)
	if err != nil {
		b.Fatal(err)
	}
	c, msgs := Chat(1000)
	path := "-"
	if f.Layout != exporters.FileLayout {
		path = filepath.Join(b.TempDir(), "out"+f.Ext)
	}
	tg, err := exporters.NewTarget(path, f.Layout, false, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer tg.Abort()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	w, err := f.New(tg, exporters.Options{TZ: loc, Report: &exporters.Report{}})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.WriteChat(c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.WriteMessage(msgs[i%len(msgs)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
