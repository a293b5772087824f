package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// negatives are the corpus files that are not WhatsApp transcripts.
var negatives = map[string]bool{"not-a-whatsapp-chat.txt": true}

// corpusInputs lists the transcripts and zips of the shared corpus.
func corpusInputs(t testing.TB) (string, []string) {
	root := importertest.Corpus(t, "whatsapp")
	var inputs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := strings.ToLower(filepath.Ext(p)); !d.IsDir() && (ext == ".txt" || ext == ".zip") {
			inputs = append(inputs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 100 {
		t.Fatalf("only %d inputs in %s", len(inputs), root)
	}
	return root, inputs
}

// Every corpus file is detected and read, and every one of its lines ends
// up in exactly one message; the negative samples are refused.
func TestCorpus(t *testing.T) {
	root, inputs := corpusInputs(t)
	for _, in := range inputs {
		rel, _ := filepath.Rel(root, in)
		t.Run(rel, func(t *testing.T) {
			src := importertest.OpenSource(t, in)
			f, derr := importers.Detect(src)
			if negatives[filepath.Base(in)] {
				if derr == nil && f.Name == Name {
					t.Error("a negative sample is detected as whatsapp")
				}
				_, err := Open(context.Background(), src, importers.Options{TZ: time.UTC})
				if !errors.Is(err, importers.ErrNotRecognised) {
					t.Errorf("Open: %v, want ErrNotRecognised", err)
				}
				return
			}
			if derr != nil || f.Name != Name {
				t.Fatalf("detected as %v (%v)", f, derr)
			}
			checkLines(t, src)
		})
	}
}

// checkLines imports src and checks that the records cover every line of
// each transcript once, in file order, and that text keeps its lines.
func checkLines(t *testing.T, src *importers.Source) {
	t.Helper()
	ri, err := Open(context.Background(), src, importers.Options{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	r := ri.(*reader)
	defer r.Close()
	var chat *model.Chat
	var cr *chatReader
	covered, next := 0, 1
	finish := func() {
		if cr == nil {
			return
		}
		data, err := fs.ReadFile(src.FS, cr.t.name)
		if err != nil {
			t.Fatal(err)
		}
		want := bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			want++
		}
		if cr.a.cutDrop {
			covered++
		}
		if covered != want {
			t.Errorf("%s: messages cover %d lines, the file has %d", cr.t.name, covered, want)
		}
	}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch v := it.(type) {
		case *model.Chat:
			finish()
			chat, cr, covered, next = v, r.cur, 0, 1
			if err := v.Check(); err != nil {
				t.Error(err)
			}
		case *model.Message:
			if err := v.Check(chat); err != nil {
				t.Error(err)
			}
			if v.Source.Line != next {
				t.Errorf("%s starts at line %d, want %d: a line is lost or read twice", v.ID, v.Source.Line, next)
			}
			n := r.cur.lines
			covered += n
			next = v.Source.Line + n
			if v.Kind == model.KindText && !v.Edited {
				if got := strings.Count(v.Text, "\n") + 1; got != n {
					t.Errorf("%s spans %d lines but its text has %d", v.ID, n, got)
				}
			}
		}
	}
	finish()
}

// Spot checks of what the corpus files mean.
func TestCorpusFacts(t *testing.T) {
	root := importertest.Corpus(t, "whatsapp")
	chatOf := func(rel string, opts importers.Options) (*model.Chat, []*model.Message) {
		t.Helper()
		var chat *model.Chat
		var msgs []*model.Message
		for _, it := range importertest.Items(t, Name, filepath.Join(root, rel), opts) {
			switch v := it.(type) {
			case *model.Chat:
				chat = v
			case *model.Message:
				msgs = append(msgs, v)
			}
		}
		return chat, msgs
	}
	t.Run("short chat is 6 March, with a warning", func(t *testing.T) {
		c, m := chatOf("Pustur__whatsapp-chat-parser/history-3a3a932/samples/short-chat.txt", importers.Options{})
		if got := m[0].Time.String(); got != "2017-03-06T00:45:00" {
			t.Errorf("first message at %s", got)
		}
		if len(c.Warnings) == 0 || c.Warnings[0].Code != "date-order-guessed" || c.Meta["date_order"] != "dmy" {
			t.Errorf("warnings %v, meta %v", c.Warnings, c.Meta)
		}
		if c.Kind != model.Group || c.Title != "ShortChat" {
			t.Errorf("%s %q", c.Kind, c.Title)
		}
		if got := m[4].Text; got != "How are you?\n\nIs everything alright?" {
			t.Errorf("multi-line text %q", got)
		}
	})
	t.Run("--date-order overrides", func(t *testing.T) {
		c, m := chatOf("Pustur__whatsapp-chat-parser/history-3a3a932/samples/short-chat.txt",
			importers.Options{Values: importers.Values{"date-order": "mdy"}})
		if got := m[0].Time.String(); got != "2017-06-03T00:45:00" || len(c.Warnings) != 0 {
			t.Errorf("first message at %s, warnings %v", got, c.Warnings)
		}
	})
	t.Run("iOS group with wrapped phone numbers", func(t *testing.T) {
		c, m := chatOf("starkdmi__whats_json/test/data/chats_unique/REDACTED - WhatsApp Chat - Group_NoMedia Football Sunday 10am.txt", importers.Options{})
		if c.Kind != model.Group || c.Title != "Football Sunday 10am" {
			t.Errorf("%s %q", c.Kind, c.Title)
		}
		for _, p := range c.Participants {
			if p.Phone == "" || strings.ContainsAny(p.Name, "\u202a\u202c\u200e\u00a0") {
				t.Errorf("participant %q %q", p.Name, p.Phone)
			}
		}
		if m[0].Kind != model.KindSystem || m[0].Event.Type != model.EventEncryption {
			t.Errorf("the end-to-end notice is %s", m[0].Kind)
		}
		found := false
		for _, msg := range m {
			if strings.HasPrefix(msg.Text, "koray\n") {
				found = true
				if msg.Text != "koray\nmatt\nrich\nmel \ndave \nvictor\ndimitri?\nAlex?" {
					t.Errorf("LF lines inside a CRLF record: %q", msg.Text)
				}
			}
		}
		if !found {
			t.Error("the multi-line message is missing")
		}
	})
	t.Run("iOS owner revealed by a deletion", func(t *testing.T) {
		c, _ := chatOf("starkdmi__whats_json/test/data/ios/WhatsApp Chat - Elon Musk (EN+Media).txt", importers.Options{})
		if me := c.Me(); me == nil || me.Name != "Dmitry S" {
			t.Errorf("me = %v", me)
		}
	})
	t.Run("media in an iOS zip", func(t *testing.T) {
		_, m := chatOf("Pustur__whatsapp-chat-parser-website/src/assets/whatsapp-chat-parser-example.zip", importers.Options{})
		n := 0
		for _, msg := range m {
			for _, a := range msg.Attachments {
				if a.Path == "" || a.Size == 0 || a.MIME == "" {
					t.Errorf("%s: %+v", msg.ID, a)
				}
				n++
			}
		}
		if n != 4 {
			t.Errorf("%d attachments, want 4", n)
		}
	})
}

// FuzzImport runs the importer over fuzzed transcripts seeded from the
// samples and, when it is there, the corpus.
func FuzzImport(f *testing.F) {
	var seeds [][]byte
	add := func(p string) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 && strings.HasSuffix(p, ".txt") {
			seeds = append(seeds, b)
		}
	}
	for _, dir := range []string{"testdata", "../../testdata/whatsapp"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			add(filepath.Join(dir, e.Name()))
		}
	}
	if root := filepath.Join("..", "..", "..", "shared", "corpus", "whatsapp"); dirExists(root) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				add(p)
			}
			return nil
		})
	}
	importertest.Fuzz(f, Name, "WhatsApp Chat with Fuzz.txt", seeds...)
}

func dirExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
