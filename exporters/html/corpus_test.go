package html_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"

	_ "github.com/chatferry/chatferry/importers/telegramjson" // reads the corpus
	_ "github.com/chatferry/chatferry/importers/whatsapp"
)

// corpora are the folders of the shared corpus whose exports the archive
// is written from, and whether some of their exports hold video or audio.
var corpora = []struct {
	dir     string
	players bool
}{
	{"whatsapp", true},
	{"telegram-json", false},
}

// TestCorpus writes every export of the shared corpus that an importer
// reads into an archive: without error, with one element per message on
// the pages and on the search page; and opens every first page in
// Chromium, where nothing is blocked, pictures decode and the players of
// video and audio read their files.
func TestCorpus(t *testing.T) {
	f, err := exporters.Lookup("html")
	if err != nil {
		t.Fatal(err)
	}
	var b *browser
	for _, c := range corpora {
		root := importertest.Corpus(t, c.dir)
		if b == nil {
			b = startBrowser(t, importertest.Tool(t, "chromium"))
			b.call("Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": recordViolations}, nil)
		}
		t.Run(c.dir, func(t *testing.T) {
			written, players := writeCorpus(t, f, b, root)
			if written == 0 {
				t.Error("no file of the corpus was written")
			}
			if c.players && players == 0 {
				t.Error("no archive of the corpus has a video or audio player")
			}
		})
	}
}

// writeCorpus writes and opens every export under root, and returns how
// many it wrote and how many players their first pages hold.
func writeCorpus(t *testing.T, f *exporters.Format, b *browser, root string) (written, players int) {
	var inputs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		ext := strings.ToLower(filepath.Ext(p))
		if err == nil && !d.IsDir() && (ext == ".txt" || ext == ".zip" || ext == ".json") {
			inputs = append(inputs, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		rel, _ := filepath.Rel(root, in)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			src := importertest.OpenSource(t, in)
			imp, err := importers.Detect(src)
			if err != nil {
				t.Skipf("not read as a chat: %v", err)
			}
			items, err := importertest.Collect(context.Background(), imp, src, importers.Options{TZ: time.UTC})
			if err != nil {
				t.Skipf("the %s importer refuses it: %v", imp.Name, err)
			}
			messages := 0
			for _, it := range items {
				if _, ok := it.(*model.Message); ok {
					messages++
				}
			}
			out, _ := exportertest.Write(t, f, items, exporters.Options{TZ: time.UTC, Values: exporters.Values{"page-size": "200"}})
			onPages, onSearch := countIn(t, out, "page-*.html", `<div class="msg[ "]`), countIn(t, out, "search*.html", `<li class="found">`)
			if onPages != messages || onSearch != messages {
				t.Errorf("%d messages make %d on the pages and %d on the search pages", messages, onPages, onSearch)
			}
			written++
			b.t = t
			defer func() { b.t = nil }()
			pages, _ := filepath.Glob(filepath.Join(out, "chat-*", "page-0001.html"))
			for _, page := range pages {
				b.navigate("file://" + page)
				checkInert(t, b)
				checkImages(t, b)
				players += checkPlayers(t, b)
			}
		})
	}
	return written, players
}

// countIn counts the matches of pattern in the files of the archive out
// that match glob in any chat folder.
func countIn(t *testing.T, out, glob, pattern string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(out, "chat-*", glob))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(pattern)
	n := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		n += len(re.FindAllIndex(data, -1))
	}
	return n
}
