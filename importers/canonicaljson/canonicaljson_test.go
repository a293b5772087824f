package canonicaljson_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	_ "github.com/chatferry/chatferry/importers/canonicaljson"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/internal/jsonpos"
	"github.com/chatferry/chatferry/model"
)

const sample = "../../testdata/json/sample.json"

func TestKit(t *testing.T) {
	importertest.Run(t, "json",
		importertest.Case{Input: sample},
		importertest.Case{Input: "testdata/sorted-keys.json"},
		importertest.Case{Input: "testdata/empty.json"},
	)
}

// The canonical JSON read and written again gives the same bytes.
func TestRoundTripIsIdentical(t *testing.T) {
	want, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	got := importertest.Render(t, importertest.Items(t, "json", sample, importers.Options{}))
	if !bytes.Equal(got, want) {
		t.Errorf("re-export differs from %s", sample)
	}
}

// A document whose keys are sorted (messages before participants) reads
// to the same model as the canonical one.
func TestKeyOrderDoesNotMatter(t *testing.T) {
	a := importertest.Render(t, importertest.Items(t, "json", sample, importers.Options{}))
	b := importertest.Render(t, importertest.Items(t, "json", "testdata/sorted-keys.json", importers.Options{}))
	// The sorted file was made with Python; only the chat-level source
	// positions of messages differ, and those are carried in "source".
	if !bytes.Equal(a, b) {
		t.Error("sorted keys read differently")
	}
}

func TestRejects(t *testing.T) {
	importertest.RunRejects(t, "json", "testdata/not-json.txt")
}

// Bad records are reported with file and line, and the reader goes on.
func TestBadRecordsAreReportedAndSkipped(t *testing.T) {
	f, _ := importers.Lookup("json")
	src := importertest.OpenSource(t, "testdata/bad-records.json")
	r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var problems []string
	items := 0
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *importers.ParseError
		if errors.As(err, &pe) {
			problems = append(problems, pe.Error())
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		_ = it
		items++
	}
	want := []string{
		`testdata/bad-records.json:4: invalid time "2024-13-01T10:00:00"`,
		`testdata/bad-records.json:5: message m3: sender "p9" is not a participant of chat c1`,
		`testdata/bad-records.json:6: unknown field "colour"`,
		`testdata/bad-records.json:7: message m5: system event has no event`,
	}
	if len(problems) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(problems, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(problems[i], want[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, problems[i], want[i])
		}
	}
	if items != 3 { // the chat, m1 and m6
		t.Errorf("%d good items, want 3", items)
	}
}

func TestFatalErrors(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"testdata/truncated.json", "testdata/truncated.json:3: unexpected end of file"},
		{"testdata/version-2.json", "testdata/version-2.json:1: document version 2 is newer"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, _ := importers.Lookup("json")
			src := importertest.OpenSource(t, tc.file)
			r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
			if err == nil {
				err = importers.ReadAll(r, func(model.Item) error { return nil })
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func FuzzImport(f *testing.F) {
	var seeds [][]byte
	for _, p := range []string{sample, "testdata/sorted-keys.json", "testdata/bad-records.json", "testdata/truncated.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	importertest.Fuzz(f, "json", "chat.json", seeds...)
}

// sortedDoc is a sorted-key document (messages before participants) of n
// messages with texts of size bytes, one message a line.
func sortedDoc(n, size int) string {
	var b strings.Builder
	b.WriteString(`{"chatferry": 1, "chats": [{"id": "c1", "kind": "direct", "messages": [` + "\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "m%d", "kind": "text", "sender": "p1", "text": "%s", "time": "2024-03-01T09:16:00"}`,
			i+1, strings.Repeat("x", size))
	}
	b.WriteString("\n], \"participants\": [{\"id\": \"p1\", \"name\": \"Ann\"}], \"title\": \"Ann\"}]}\n")
	return b.String()
}

// The reader holds at most jsonpos.MaxSpan bytes of the document at once,
// also while it looks past the messages of a sorted-key document for the
// chat's participants; one message larger than that is an error at its
// line.
func TestMemoryBounded(t *testing.T) {
	defer func(n int) { jsonpos.MaxSpan = n }(jsonpos.MaxSpan)
	jsonpos.MaxSpan = 4 << 10

	doc := sortedDoc(2000, 100) // 300 KB
	p := filepath.Join(t.TempDir(), "sorted.json")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	items := importertest.Items(t, "json", p, importers.Options{})
	if len(items) != 2001 {
		t.Errorf("%d items, want 2001", len(items))
	}

	doc = sortedDoc(3, 8<<10)
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _ := importers.Lookup("json")
	_, err := importertest.Collect(context.Background(), f, importertest.OpenSource(t, p), importers.Options{TZ: time.UTC})
	var pe *importers.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, jsonpos.ErrTooLong) || !pe.Fatal || pe.Pos.Line == 0 {
		t.Errorf("a message over the bound: %v, want a fatal parse error at a line", err)
	}
}
