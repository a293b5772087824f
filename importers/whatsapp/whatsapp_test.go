package whatsapp_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	_ "github.com/chatferry/chatferry/importers/whatsapp"
)

const shared = "../../testdata/whatsapp/"

func TestKit(t *testing.T) {
	importertest.Run(t, "whatsapp",
		importertest.Case{Input: shared + "WhatsApp Chat with Ann Example.zip", Main: "WhatsApp Chat with Ann Example.txt"},
		importertest.Case{Input: shared + "WhatsApp Chat - Dana Sample.zip", Main: "_chat.txt"},
		importertest.Case{Input: shared + "WhatsApp Chat with Dana Sample.txt"},
		importertest.Case{Input: shared + "WhatsApp Chat with Trip 2024.txt"},
		importertest.Case{Name: "trip-me", Input: shared + "WhatsApp Chat with Trip 2024.txt",
			Options: importers.Options{Me: "Ann Example"}},
		importertest.Case{Input: "testdata/folder", Main: "WhatsApp Chat with Ann Example.txt"},
		importertest.Case{Input: "testdata/utf16le.txt"},
		importertest.Case{Input: "testdata/utf16be.txt"},
		importertest.Case{Input: "testdata/bom-mixed-endings.txt"},
		importertest.Case{Input: "testdata/cut-header.txt"},
		importertest.Case{Input: "testdata/cut-rune.txt"},
		importertest.Case{Input: "testdata/preamble.txt"},
		importertest.Case{Input: "testdata/undecidable.txt"},
		importertest.Case{Name: "undecidable-mdy", Input: "testdata/undecidable.txt",
			Options: importers.Options{Values: importers.Values{"date-order": "mdy"}}},
		importertest.Case{Input: "testdata/empty.txt"},
		importertest.Case{Input: "testdata/month-names-time-first.txt"},
		importertest.Case{Name: "month-names-us-2013", Input: "testdata/month-names-us.txt",
			Options: importers.Options{Values: importers.Values{"year": "2013"}}},
		importertest.Case{Name: "month-names-day-first-2014", Input: "testdata/month-names-day-first.txt",
			Options: importers.Options{Values: importers.Values{"year": "2014"}}},
		importertest.Case{Input: "testdata/year-in-the-middle.txt"},
		importertest.Case{Input: "testdata/dash-semicolon.txt"},
		importertest.Case{Input: "testdata/windows-1252.txt"},
		importertest.Case{Input: "testdata/cr-only.txt"},
	)
}

func TestRejects(t *testing.T) {
	long := filepath.Join(t.TempDir(), "one-long-line.txt")
	if err := os.WriteFile(long, bytes.Repeat([]byte("a"), 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	importertest.RunRejects(t, "whatsapp", "testdata/not-whatsapp.csv", "testdata/not-whatsapp.md",
		"testdata/not-whatsapp.json", "testdata/folder/IMG-20240301-WA0009.png", long)
}

// Every sample in the shared testdata folder reads without a problem (the
// kit above checks them in depth; this catches samples added later).
func TestSharedSamples(t *testing.T) {
	entries, err := os.ReadDir(shared)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(importertest.Items(t, "whatsapp", filepath.Join(shared, e.Name()), importers.Options{})) < 2 {
			t.Errorf("%s: no messages", e.Name())
		}
	}
}
