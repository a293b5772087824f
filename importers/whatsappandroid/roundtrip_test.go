package whatsappandroid

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	_ "github.com/chatferry/chatferry/exporters/canonicaljson" // the first hop
	"github.com/chatferry/chatferry/exporters/exportertest"
	_ "github.com/chatferry/chatferry/exporters/whatsapp" // the second hop
	"github.com/chatferry/chatferry/importers"
	_ "github.com/chatferry/chatferry/importers/canonicaljson" // reads the first hop back
	"github.com/chatferry/chatferry/importers/importertest"
	_ "github.com/chatferry/chatferry/importers/whatsapp" // reads the second hop back
	"github.com/chatferry/chatferry/model"
)

// A database, written as canonical JSON, read back, written as WhatsApp
// text and read by the text importer, keeps every message's sender, time
// (to the minute, which is what the text layout records) and text. Calls,
// locations, polls, contact cards and view-once notes become lines of
// text in that layout (one line per card): their sender and time must
// survive, their wording is the exporter's.
func TestRoundTripThroughJSONAndText(t *testing.T) {
	tz := time.FixedZone("", 2*3600)
	jsonOut, err := exporters.Lookup("json")
	if err != nil {
		t.Fatal(err)
	}
	textOut, err := exporters.Lookup("whatsapp")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in string
		vals     importers.Values
	}{
		{"modern", fixture("modern/msgstore.db"), importers.Values{"contacts-db": fixture("modern/wa.db"), "media": "testdata/Media"}},
		{"legacy", fixture("legacy/msgstore.db"), importers.Values{"media": "testdata/Media"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := importertest.Items(t, Name, tc.in, importers.Options{TZ: tz, Values: tc.vals})
			js, _ := exportertest.Write(t, jsonOut, first, exporters.Options{TZ: tz})
			viaJSON := importertest.Items(t, "json", js, importers.Options{TZ: tz})
			chats := importertest.SplitChats(viaJSON)
			if len(chats) != len(importertest.SplitChats(first)) {
				t.Fatalf("%d chats through JSON, %d read", len(chats), len(importertest.SplitChats(first)))
			}
			compared := 0
			for i, chat := range chats {
				txt, _ := exportertest.Write(t, textOut, chat, exporters.Options{TZ: tz})
				back := importertest.Items(t, "whatsapp", txt, importers.Options{TZ: tz})
				want, got := kept(importertest.SplitChats(first)[i], tz), kept(back, tz)
				if len(want) != len(got) {
					t.Errorf("chat %d: %d messages read, %d read back from %s", i+1, len(want), len(got), filepath.Base(txt))
				}
				for j := 0; j < min(len(want), len(got)); j++ {
					w, g := want[j], got[j]
					if !w.hasText {
						g.text, g.hasText = w.text, false
					}
					if w != g {
						t.Errorf("chat %d, message %d differs after the round trip:\n  read:      %+v\n  read back: %+v", i+1, j+1, want[j], got[j])
					}
					compared++
				}
			}
			if compared < 10 {
				t.Errorf("only %d messages compared", compared)
			}
		})
	}
}

// keptMessage is what the text layout keeps of a message.
type keptMessage struct {
	time, sender, text string
	hasText            bool // the text layout keeps the text as it is
}

func kept(items []model.Item, tz *time.Location) []keptMessage {
	var chat *model.Chat
	var out []keptMessage
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			chat = v
		case *model.Message:
			k := keptMessage{time: v.Time.In(tz).Truncate(time.Minute).Format(time.DateTime), sender: "(system)"}
			if p := chat.Participant(v.Sender); p != nil {
				k.sender = p.Name
			}
			k.hasText = true
			switch v.Kind {
			case model.KindText, model.KindDeleted, model.KindSystem:
				k.text = strings.ReplaceAll(v.Text, "\u200b", "")
			case model.KindMedia, model.KindSticker:
				k.text = fmt.Sprintf("caption %q", v.Text)
			default:
				k.text, k.hasText = string(v.Kind), false
			}
			out = append(out, k)
			for range max(len(v.Contacts)-1, 0) {
				out = append(out, k) // one line per card
			}
		}
	}
	return out
}
