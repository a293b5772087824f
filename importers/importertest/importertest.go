// Package importertest is the conformance kit every input format runs from
// its own tests:
//
//	func TestKit(t *testing.T) {
//		importertest.Run(t, "myformat",
//			importertest.Case{Input: "testdata/small.txt"},
//			importertest.Case{Input: "testdata/with-media.zip", Main: "_chat.txt"},
//		)
//	}
//
// For every case it checks that the input is detected as the format, that
// the import matches a golden canonical JSON file (rewritten with
// `go test -update`), that every chat and message keeps the model's rules,
// that one-byte reads give the same result, that a read error in the middle
// of the input surfaces as an error, that a reader can be stopped early and
// cancelled, and that two imports are identical. RunRejects checks inputs a
// format must refuse, and Fuzz gives every format the same fuzz target.
//
// The package also holds the helpers tests share: Tool for peer programs
// that CI installs, Corpus for ../shared/corpus, ModuleRoot, and Items and
// Render to collect and print an import.
package importertest

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	exportjson "github.com/chatferry/chatferry/exporters/canonicaljson"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// Update reports whether the test run was asked to rewrite golden files.
func Update() bool { return *update }

// Case is one input a format must read.
type Case struct {
	// Name names the subtest and the golden file; by default the
	// input's base name.
	Name string
	// Input is the path of the file, folder or zip to import.
	Input string
	// Golden is the golden canonical JSON file; by default
	// testdata/golden/<Name>.json.
	Golden string
	// Main is the file inside a zip or folder input that holds the chat;
	// the read-error check injects its error there. For a file input it
	// is the file itself.
	Main string
	// Options are passed to the import. TZ defaults to UTC.
	Options importers.Options
	// NoDetect skips the detection check, for inputs that need --from.
	NoDetect bool
}

func (c *Case) defaults() {
	if c.Name == "" {
		c.Name = filepath.Base(c.Input)
	}
	if c.Golden == "" {
		c.Golden = filepath.Join("testdata", "golden", c.Name+".json")
	}
	if c.Options.TZ == nil {
		c.Options.TZ = time.UTC
	}
}

// Run runs the conformance checks for the named format over cases.
func Run(t *testing.T, format string, cases ...Case) {
	t.Helper()
	f, err := importers.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("importertest.Run needs at least one case")
	}
	for _, c := range cases {
		c.defaults()
		t.Run(c.Name, func(t *testing.T) {
			if !c.NoDetect {
				t.Run("detect", func(t *testing.T) { checkDetect(t, f, c) })
			}
			var golden []byte
			t.Run("golden", func(t *testing.T) { golden = checkGolden(t, f, c) })
			t.Run("model", func(t *testing.T) { checkModel(t, f, c) })
			t.Run("deterministic", func(t *testing.T) {
				if again := Render(t, Items(t, f.Name, c.Input, c.Options)); !bytes.Equal(again, golden) {
					t.Error("a second import of the same input differs from the first")
				}
			})
			t.Run("one-byte-reads", func(t *testing.T) {
				got := renderWith(t, f, c, func(fsys fs.FS) fs.FS { return oneByteFS{fsys} })
				if !bytes.Equal(got, golden) {
					t.Error("reading one byte at a time changes the import")
				}
			})
			t.Run("read-error", func(t *testing.T) { checkReadError(t, f, c) })
			t.Run("early-stop", func(t *testing.T) { checkEarlyStop(t, f, c) })
			t.Run("cancel", func(t *testing.T) { checkCancel(t, f, c) })
		})
	}
}

func checkDetect(t *testing.T, f *importers.Format, c Case) {
	src := OpenSource(t, c.Input)
	got, err := importers.Detect(src)
	if err != nil {
		t.Fatalf("detection: %v", err)
	}
	if got.Name != f.Name {
		t.Errorf("detected as %q, want %q", got.Name, f.Name)
	}
}

func checkGolden(t *testing.T, f *importers.Format, c Case) []byte {
	got := Render(t, Items(t, f.Name, c.Input, c.Options))
	Golden(t, c.Golden, got)
	return got
}

// Golden compares got with the golden file, or rewrites the file when the
// test runs with -update.
func Golden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it, then review it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (review the change, then run with -update):\n%s", golden, FirstDiff(want, got))
	}
}

// FirstDiff shows the first line in which two outputs differ, each side
// cut to 300 bytes, for a test's failure message.
func FirstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %.300s\n  got:  %.300s", i+1, w, g)
		}
	}
	return "(same lines, different bytes)"
}

func checkModel(t *testing.T, f *importers.Format, c Case) {
	var chat *model.Chat
	ids := map[model.MessageID]bool{}
	var replies []*model.Message
	endChat := func() {
		for _, m := range replies {
			if !ids[m.ReplyTo] {
				t.Errorf("chat %s: message %s replies to %s, which is not in the chat", chat.ID, m.ID, m.ReplyTo)
			}
		}
	}
	chats := map[model.ChatID]bool{}
	for _, it := range Items(t, f.Name, c.Input, c.Options) {
		switch v := it.(type) {
		case *model.Chat:
			if chat != nil {
				endChat()
			}
			chat, ids, replies = v, map[model.MessageID]bool{}, nil
			if err := v.Check(); err != nil {
				t.Error(err)
			}
			if chats[v.ID] {
				t.Errorf("chat id %s appears twice", v.ID)
			}
			chats[v.ID] = true
			if v.Format == "" {
				t.Errorf("chat %s: Format is empty", v.ID)
			}
		case *model.Message:
			if chat == nil {
				t.Fatalf("message %s comes before any chat", v.ID)
			}
			if err := v.Check(chat); err != nil {
				t.Error(err)
			}
			if ids[v.ID] {
				t.Errorf("chat %s: message id %s appears twice", chat.ID, v.ID)
			}
			ids[v.ID] = true
			if v.ReplyTo != "" {
				replies = append(replies, v)
			}
			if v.Source.IsZero() {
				t.Errorf("chat %s: message %s has no source position", chat.ID, v.ID)
			}
		default:
			t.Fatalf("unexpected item %T", it)
		}
	}
	if chat != nil {
		endChat()
	}
}

// renderWith imports with the source's file system wrapped by wrap.
func renderWith(t *testing.T, f *importers.Format, c Case, wrap func(fs.FS) fs.FS) []byte {
	t.Helper()
	src := OpenSource(t, c.Input)
	src.FS = wrap(src.FS)
	items, err := Collect(context.Background(), f, src, c.Options)
	if err != nil {
		t.Fatal(err)
	}
	return Render(t, items)
}

// ErrInjected is the error the read-error check makes the input return.
var ErrInjected = errors.New("injected read error")

func checkReadError(t *testing.T, f *importers.Format, c Case) {
	src := OpenSource(t, c.Input)
	main := c.Main
	if main == "" {
		main = src.Name
	}
	if main == "" {
		t.Skip("the case names no Main file inside the zip or folder")
	}
	info, err := fs.Stat(src.FS, main)
	if err != nil {
		t.Fatalf("Main file %q: %v", main, err)
	}
	if info.Size() < 2 {
		t.Skip("the input is too small to fail in the middle")
	}
	opened := false
	src.FS = failingFS{FS: src.FS, name: main, after: info.Size() / 2, opened: &opened}
	_, err = Collect(context.Background(), f, src, c.Options)
	if !opened {
		t.Skip("the format does not read its input through Source.FS")
	}
	if err == nil {
		t.Fatal("the import succeeded although reading the input failed half-way")
	}
	if !errors.Is(err, ErrInjected) {
		t.Errorf("the error does not wrap the read error: %v", err)
	}
}

func checkEarlyStop(t *testing.T, f *importers.Format, c Case) {
	src := OpenSource(t, c.Input)
	r, err := f.Open(context.Background(), src, c.Options)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close after one item: %v", err)
	}
	if _, err := r.Next(); err == nil {
		t.Error("Next after Close returned an item")
	}
}

func checkCancel(t *testing.T, f *importers.Format, c Case) {
	src := OpenSource(t, c.Input)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := f.Open(ctx, src, c.Options)
	if err == nil {
		_, err = r.Next()
		r.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("with a cancelled context the import returned %v, want context.Canceled", err)
	}
}

// RunRejects checks that the named format refuses each input: detection
// does not pick it, and an import with --from fails with an error that
// matches importers.ErrNotRecognised.
func RunRejects(t *testing.T, format string, inputs ...string) {
	t.Helper()
	f, err := importers.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			src := OpenSource(t, in)
			if got, err := importers.Detect(src); err == nil && got.Name == format {
				t.Errorf("detected as %s", format)
			}
			_, err := Collect(context.Background(), f, src, importers.Options{TZ: time.UTC})
			if !errors.Is(err, importers.ErrNotRecognised) {
				t.Errorf("import returned %v, want an error matching ErrNotRecognised", err)
			}
		})
	}
}

// OpenSource opens path as a Source that is closed when the test ends.
func OpenSource(t testing.TB, path string) *importers.Source {
	t.Helper()
	src, err := importers.OpenSource(path, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// ExecSQL runs statements on the SQLite database at path, creating it if
// need be, for tests that shape a database input. The sqlite3 driver must
// be registered: the packages whose inputs are SQLite databases do so.
func ExecSQL(t testing.TB, path, statements string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(statements)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// RawZip returns a zip of one entry with the header h and the stored
// bytes data as they are (already compressed, or not at all), so that a
// test can make entries no zip tool would: a wrong size, corrupt data, a
// flag set.
func RawZip(t testing.TB, h *zip.FileHeader, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// CopyFile copies the file from to the new file to, for tests that need
// an input under another name or in another place.
func CopyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// SplitChats returns the items of each chat of an import: a chat and the
// messages after it. The first item must be a chat.
func SplitChats(items []model.Item) [][]model.Item {
	var chats [][]model.Item
	for _, it := range items {
		if _, ok := it.(*model.Chat); ok {
			chats = append(chats, nil)
		}
		chats[len(chats)-1] = append(chats[len(chats)-1], it)
	}
	return chats
}

// Items imports path with the named format and returns every item. Parse
// errors fail the test.
func Items(t testing.TB, format, path string, opts importers.Options) []model.Item {
	t.Helper()
	f, err := importers.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	items, err := Collect(context.Background(), f, OpenSource(t, path), opts)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// Collect imports src with f and returns every item, or the items up to
// the first error and that error (a recoverable one included).
func Collect(ctx context.Context, f *importers.Format, src *importers.Source, opts importers.Options) ([]model.Item, error) {
	r, err := f.Open(ctx, src, opts)
	if err != nil {
		return nil, err
	}
	var items []model.Item
	err = importers.ReadAll(r, func(it model.Item) error {
		items = append(items, it)
		return nil
	})
	return items, err
}

// Render prints items as canonical JSON.
func Render(t testing.TB, items []model.Item) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := exportjson.NewWriter(&buf)
	for _, it := range items {
		var err error
		switch v := it.(type) {
		case *model.Chat:
			err = w.WriteChat(v)
		case *model.Message:
			err = w.WriteMessage(v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ModuleRoot returns the folder that holds go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// InCI reports whether the tests run in CI (CI=true), where a missing
// peer tool or corpus is a failure, not a reason to skip.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

// Missing skips the test on a developer's machine and fails it in CI.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI must provide it: see .ci/run)", msg)
	}
	t.Skip(msg + " (skipped outside CI)")
}

// Tool returns the path of the named program, or skips the test (and
// fails it in CI) when it is not installed.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s is not installed", name)
	}
	return p
}

// Corpus returns the path of rel inside ../shared/corpus beside the
// module, or skips the test (and fails it in CI) when it is not there.
func Corpus(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(filepath.Dir(ModuleRoot(t)), "shared", "corpus", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Missing(t, "the shared corpus is not at %s", p)
	}
	return p
}

// Fuzz runs the named format over fuzzed inputs held in memory as a file
// called name (which detection may depend on), or as a zip when the data
// is one. The import must
// not panic, must end, and must not yield more items than the input has
// bytes (plus a few): a reader that invents items loops.
func Fuzz(f *testing.F, format, name string, seeds ...[]byte) {
	imp, err := importers.Lookup(format)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := importers.OpenBytes(name, data, importers.Limits{MaxEntries: 100, MaxUnpacked: 1 << 20})
		if err != nil {
			return
		}
		defer src.Close()
		r, err := imp.Open(context.Background(), src, importers.Options{TZ: time.UTC})
		if err != nil {
			return
		}
		defer r.Close()
		limit := len(data) + 16
		for n := 0; ; n++ {
			if n > limit {
				t.Fatalf("%d items from %d bytes: the reader does not end", n, len(data))
			}
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil && !importers.Recoverable(err) {
				return
			}
		}
	})
}

type oneByteFS struct{ fs.FS }

func (o oneByteFS) Open(name string) (fs.File, error) {
	f, err := o.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return oneByteFile{f, iotest.OneByteReader(f)}, nil
}

type oneByteFile struct {
	fs.File
	r io.Reader
}

func (f oneByteFile) Read(b []byte) (int, error) { return f.r.Read(b) }

type failingFS struct {
	fs.FS
	name   string
	after  int64
	opened *bool
}

func (ff failingFS) Open(name string) (fs.File, error) {
	f, err := ff.FS.Open(name)
	if err != nil || name != ff.name {
		return f, err
	}
	*ff.opened = true
	return failingFile{f, io.MultiReader(io.LimitReader(f, ff.after), iotest.ErrReader(ErrInjected))}, nil
}

type failingFile struct {
	fs.File
	r io.Reader
}

func (f failingFile) Read(b []byte) (int, error) { return f.r.Read(b) }

func (o oneByteFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(o.FS, name) }
func (o oneByteFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(o.FS, name) }

func (ff failingFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(ff.FS, name) }
func (ff failingFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(ff.FS, name) }
