package whatsapp_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	_ "github.com/chatferry/chatferry/exporters/whatsapp" // writes the transcripts read back
	"github.com/chatferry/chatferry/importers"
	_ "github.com/chatferry/chatferry/importers/canonicaljson" // reads the rich sample
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// escapeMark is what the whatsapp exporter puts before a body line that
// would read as a header (see exporters/internal/whatsapptext).
const escapeMark = "\u200b"

// Every corpus transcript and every sample, read, written back with the
// whatsapp exporter (WhatsApp's Android layout) and read again, gives the
// same messages: time (to the minute, as the layout writes it), author,
// text and attachments (name, or omitted).
func TestRoundTrip(t *testing.T) {
	inputs := []string{shared + "WhatsApp Chat with Ann Example.zip", shared + "WhatsApp Chat - Dana Sample.zip",
		shared + "WhatsApp Chat with Dana Sample.txt", shared + "WhatsApp Chat with Trip 2024.txt",
		"testdata/folder", "testdata/utf16le.txt", "testdata/bom-mixed-endings.txt", "testdata/cut-rune.txt"}
	root := importertest.Corpus(t, "whatsapp")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		ext := strings.ToLower(filepath.Ext(p))
		if err == nil && !d.IsDir() && (ext == ".txt" || ext == ".zip") && filepath.Base(p) != "not-a-whatsapp-chat.txt" {
			inputs = append(inputs, p)
		}
		return nil
	})
	f, err := exporters.Lookup("whatsapp")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		name, _ := filepath.Rel(root, in)
		if strings.HasPrefix(name, "..") {
			name = in
		}
		t.Run(name, func(t *testing.T) {
			first := importertest.Items(t, "whatsapp", in, importers.Options{TZ: time.UTC})
			for _, chat := range importertest.SplitChats(first) {
				out, _ := exportertest.Write(t, f, chat, exporters.Options{TZ: time.UTC})
				back := importertest.Items(t, "whatsapp", out, importers.Options{TZ: time.UTC})
				want, got := readable(chat), readable(back)
				if len(want) != len(got) {
					t.Errorf("%d messages read, %d read back", len(want), len(got))
				}
				for i := 0; i < min(len(want), len(got)); i++ {
					w, g := want[i], got[i]
					if w.time == "" {
						g.time = "" // the layout cannot say "no time": it repeats the one before
					}
					if w != g {
						t.Fatalf("message %d differs after the round trip:\n  read:      %+v\n  read back: %+v", i+1, w, g)
					}
				}
			}
		})
	}
}

// kept is what a round trip keeps of a message.
type kept struct {
	time, author, text string
	edited             bool
	files              string
}

// readable returns what a round trip keeps of each message.
func readable(items []model.Item) []kept {
	var chat *model.Chat
	var out []kept
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			chat = v
		case *model.Message:
			when := ""
			if !v.Time.IsZero() {
				when = v.Time.Wall().Truncate(time.Minute).Format(time.DateTime)
			}
			author := "(system)"
			if p := chat.Participant(v.Sender); p != nil {
				author = p.Name
			}
			var files []string
			for _, a := range v.Attachments {
				if a.Omitted {
					files = append(files, "(omitted)")
				} else {
					files = append(files, a.Name)
				}
			}
			text := strings.ReplaceAll(v.Text, escapeMark, "")
			out = append(out, kept{when, author, text, v.Edited, fmt.Sprint(files)})
		}
	}
	return out
}

// The whatsapp exporter escapes a body line that reads as a header with an
// invisible U+200B; reading its output undoes exactly that. Message m3 of
// the rich sample holds such a pasted line: json → whatsapp text →
// whatsapp importer keeps its text byte for byte.
func TestEscapedLineRoundTrip(t *testing.T) {
	items := importertest.Items(t, "json", "../../testdata/json/sample.json", importers.Options{TZ: time.UTC})
	var m3 *model.Message
	for _, it := range items {
		if m, ok := it.(*model.Message); ok && m.ID == "m3" {
			m3 = m
		}
	}
	if m3 == nil || !strings.Contains(m3.Text, "\n01/03/2024, 09:20 - ") {
		t.Fatalf("the sample's m3 no longer holds a pasted header: %+v", m3)
	}
	f, err := exporters.Lookup("whatsapp")
	if err != nil {
		t.Fatal(err)
	}
	chat := importertest.SplitChats(items)[0]
	out, _ := exportertest.Write(t, f, chat, exporters.Options{TZ: time.UTC})
	written := readAll(t, out)
	if !strings.Contains(written, "\n"+escapeMark+"01/03/2024, 09:20 - this line was pasted") {
		t.Fatalf("the exporter did not escape the pasted line:\n%s", written)
	}
	found := false
	for _, it := range importertest.Items(t, "whatsapp", out, importers.Options{TZ: time.UTC}) {
		if m, ok := it.(*model.Message); ok && strings.HasPrefix(m.Text, "Yes!\n") {
			found = true
			if m.Text != m3.Text {
				t.Errorf("m3 read back as %q, want %q", m.Text, m3.Text)
			}
		}
	}
	if !found {
		t.Error("m3 is not in the read-back")
	}
}

// readAll returns the text of the transcript in out (a file, or the
// transcript in a folder).
func readAll(t *testing.T, out string) string {
	t.Helper()
	var text strings.Builder
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text.Write(b)
		}
		return nil
	})
	return text.String()
}
