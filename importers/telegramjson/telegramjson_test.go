package telegramjson_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
	_ "github.com/chatferry/chatferry/importers/telegramjson"
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
