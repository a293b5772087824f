package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/whatsappios/iosfixture"
)

// The round trip for the iPhone database: ChatStorage.sqlite →
// canonical JSON → WhatsApp text → the text importer keeps every text
// message's sender, time (to the minute the text shows) and text.
func TestIOSDatabaseRoundTrip(t *testing.T) {
	root := importertest.ModuleRoot(t)
	dir := t.TempDir()
	in, err := iosfixture.Build(filepath.Join(root, "testdata", "whatsapp-ios"), filepath.Join(dir, "fixture"))
	if err != nil {
		t.Fatal(err)
	}
	for _, chat := range []string{"Ann Example", "Trip 2024 ✈️"} {
		t.Run(chat, func(t *testing.T) {
			for _, args := range [][]string{
				{"convert", in.Backup, "--chat", chat, "--to", "json", "-o", "db.json", "-q", "--force"},
				{"convert", "db.json", "--to", "whatsapp", "-o", "chat.txt", "-q", "--force"},
				{"convert", "chat.txt", "--from", "whatsapp", "--date-order", "dmy", "--to", "json", "-o", "back.json", "-q", "--force"},
			} {
				if code, _, stderr := runCLI(t, dir, args...); code != 0 {
					t.Fatalf("chatferry %v: exit %d: %s", args, code, stderr)
				}
			}
			want, got := textLines(t, filepath.Join(dir, "db.json")), textLines(t, filepath.Join(dir, "back.json"))
			if len(want) < 4 {
				t.Fatalf("only %d text messages in the database's chat", len(want))
			}
			for line := range want {
				if !got[line] {
					t.Errorf("lost on the way: %s", line)
				}
			}
		})
	}
}

// textLines returns "time to the minute | sender's name | text" for every
// text message of a canonical JSON document.
func textLines(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Chats []struct {
			Participants []struct{ ID, Name string }
			Messages     []struct{ Time, Sender, Kind, Text string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, c := range doc.Chats {
		names := map[string]string{}
		for _, p := range c.Participants {
			names[p.ID] = p.Name
		}
		for _, m := range c.Messages {
			if m.Kind == "text" && len(m.Time) >= 16 {
				// "~ Name", WhatsApp's mark of a name the person gave
				// themselves, is read back as the name.
				name := strings.TrimPrefix(names[m.Sender], "~ ")
				lines[m.Time[:16]+" | "+name+" | "+m.Text] = true
			}
		}
	}
	return lines
}
