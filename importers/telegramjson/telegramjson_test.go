package telegramjson_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/internal/jsonpos"
	_ "github.com/chatferry/chatferry/importers/telegramjson"
	"github.com/chatferry/chatferry/model"
)

func TestKit(t *testing.T) {
	importertest.Run(t, "telegram-json",
		importertest.Case{Name: "single", Input: "testdata/single", Main: "result.json"},
		importertest.Case{Name: "single-file", Input: "testdata/single/result.json"},
		importertest.Case{Input: "testdata/account.json"},
	)
}

func TestRejects(t *testing.T) {
	importertest.RunRejects(t, "telegram-json", "testdata/not-json.csv", "testdata/canonical.json", "testdata/empty-object.json")
}

// An export rewritten without Telegram Desktop's indentation, or with
// another one, is recognised and reads to the same messages.
func TestDetectReformatted(t *testing.T) {
	for _, in := range []string{"testdata/single/result.json", "testdata/account.json"} {
		orig, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		var compact, tabs bytes.Buffer
		if err := json.Compact(&compact, orig); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&tabs, compact.Bytes(), "", "\t"); err != nil {
			t.Fatal(err)
		}
		want := texts(importertest.Items(t, "telegram-json", in, importers.Options{}))
		for name, b := range map[string][]byte{"compact": compact.Bytes(), "tabs": tabs.Bytes()} {
			p := filepath.Join(t.TempDir(), "result.json")
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			src, err := importers.OpenSource(p, importers.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			f, err := importers.Detect(src)
			src.Close()
			if err != nil || f.Name != "telegram-json" {
				t.Errorf("%s, %s: detected %v, %v", in, name, f, err)
				continue
			}
			if got := texts(importertest.Items(t, "telegram-json", p, importers.Options{})); !slices.Equal(got, want) {
				t.Errorf("%s, %s: read %q, want %q", in, name, got, want)
			}
		}
	}
}

// texts lists the chat titles and message texts of items.
func texts(items []model.Item) []string {
	var out []string
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			out = append(out, "chat "+v.Title)
		case *model.Message:
			out = append(out, v.Text)
		}
	}
	return out
}

// Every real export of the corpus imports through the whole kit.
func TestCorpus(t *testing.T) {
	dir := importertest.Corpus(t, "telegram-json/chat-history-manager")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 17 {
		t.Errorf("the corpus holds %d samples, want 17", len(files))
	}
	wd, _ := os.Getwd()
	var cases []importertest.Case
	for _, f := range files {
		if rel, err := filepath.Rel(wd, f); err == nil {
			f = rel // the golden files name the input as CI sees it too
		}
		cases = append(cases, importertest.Case{Input: f,
			Golden: filepath.Join("testdata", "golden", "corpus", filepath.Base(f))})
	}
	importertest.Run(t, "telegram-json", cases...)
}

func FuzzImport(f *testing.F) {
	var seeds [][]byte
	for _, p := range []string{"testdata/single/result.json", "testdata/account.json", "testdata/truncated.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	importertest.Fuzz(f, "telegram-json", "result.json", seeds...)
}

// The reader holds at most jsonpos.MaxSpan bytes of the document at once,
// also while it skips a large part it does not read (here the contacts of
// an account export); one message larger than that is an error at its
// line.
func TestMemoryBounded(t *testing.T) {
	defer func(n int) { jsonpos.MaxSpan = n }(jsonpos.MaxSpan)
	jsonpos.MaxSpan = 4 << 10

	var contacts []string
	for i := range 2000 {
		contacts = append(contacts, fmt.Sprintf(`{"first_name": "A%d", "phone_number": "+1555%07d"}`, i, i))
	}
	msg := func(id int, text string) string {
		return fmt.Sprintf(`{"id": %d, "type": "message", "date": "2024-01-01T10:00:00", "from": "Ann", "from_id": "user1", "text": %q}`, id, text)
	}
	doc := `{"personal_information": {"user_id": 1, "first_name": "Me"},` + "\n" +
		`"contacts": {"list": [` + strings.Join(contacts, ",\n") + "]},\n" +
		`"chats": {"list": [{"name": "Ann", "type": "personal_chat", "id": 1, "messages": [` + "\n" +
		msg(1, "hi") + ",\n" + msg(2, "ho") + "]}]}}\n"
	p := filepath.Join(t.TempDir(), "result.json")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := texts(importertest.Items(t, "telegram-json", p, importers.Options{})); !slices.Equal(got, []string{"chat Ann", "hi", "ho"}) {
		t.Errorf("read %q", got)
	}

	doc = `{"name": "Ann", "type": "personal_chat", "id": 1, "messages": [` + "\n" +
		msg(1, "hi") + ",\n" + msg(2, strings.Repeat("x", 8<<10)) + "]}\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _ := importers.Lookup("telegram-json")
	_, err := importertest.Collect(context.Background(), f, importertest.OpenSource(t, p), importers.Options{TZ: time.UTC})
	var pe *importers.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, jsonpos.ErrTooLong) || !pe.Fatal || pe.Pos.Line != 3 {
		t.Errorf("a message over the bound: %v, want a fatal parse error at line 3", err)
	}
}
