package whatsapp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext/peer"
	_ "github.com/chatferry/chatferry/exporters/whatsapp"
	"github.com/chatferry/chatferry/model"
)

func TestKit(t *testing.T) {
	exportertest.Run(t, "whatsapp",
		exportertest.Case{Name: "direct", Input: "testdata/direct.json"},
		exportertest.Case{Name: "group", Input: "testdata/group.json"},
		exportertest.Case{Name: "edge", Input: "testdata/edge.json"},
	)
}

// The npm whatsapp-chat-parser reads every message back with its time,
// author, text and attachment name.
func TestPeerReadsOutput(t *testing.T) {
	f, err := exporters.Lookup("whatsapp")
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, in := range []string{"direct", "group", "edge"} {
		t.Run(in, func(t *testing.T) {
			items := exportertest.Input(t, "testdata/"+in+".json", "json")
			out, _ := exportertest.Write(t, f, items, exporters.Options{TZ: berlin})
			got := peer.Parse(t, out)
			chat, msgs := split(items)
			n := peer.Compare(t, chat, msgs, got, peer.Options{TZ: berlin, Names: names})
			if n < len(msgs) {
				t.Errorf("compared %d records for %d messages", n, len(msgs))
			}
		})
	}
}

func names(_ *model.Chat, m *model.Message, i int) string {
	if len(m.Attachments) > 0 {
		if m.Kind == model.KindDeleted || m.Kind == model.KindViewOnce || m.Attachments[i].Omitted {
			return ""
		}
		return whatsapptext.BaseName(&m.Attachments[i])
	}
	if m.Kind == model.KindContact && len(m.Contacts) > 0 {
		return whatsapptext.VCardName(&m.Contacts[i])
	}
	return ""
}

func split(items []model.Item) (*model.Chat, []*model.Message) {
	chat := items[0].(*model.Chat)
	var msgs []*model.Message
	for _, it := range items[1:] {
		msgs = append(msgs, it.(*model.Message))
	}
	return chat, msgs
}

// An input with two chats is refused with a message that says what to do.
func TestSecondChatIsRefused(t *testing.T) {
	f, _ := exporters.Lookup("whatsapp")
	items := exportertest.Input(t, exportertest.Sample(t), "json")
	dir := t.TempDir()
	tg, err := exporters.NewTarget(filepath.Join(dir, "out.txt"), f.Layout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.New(tg, exporters.Options{TZ: time.UTC, Report: &exporters.Report{}})
	if err != nil {
		t.Fatal(err)
	}
	werr := exportertest.WriteItems(w, items)
	w.Abort()
	tg.Abort()
	if werr == nil || !strings.Contains(werr.Error(), "one chat per file") || !strings.Contains(werr.Error(), "telegram-import") {
		t.Errorf("second chat gave %v", werr)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("refused export left %s", left[0].Name())
	}
}

// The report says what the layout changed.
func TestReport(t *testing.T) {
	f, _ := exporters.Lookup("whatsapp")
	items := exportertest.Input(t, "testdata/edge.json", "json")
	_, rep := exportertest.Write(t, f, items, exporters.Options{TZ: time.UTC})
	var got []string
	for _, l := range rep.Losses() {
		got = append(got, l.String())
	}
	got = append(got, rep.Notes()...)
	want := []string{
		"kept partly 1 text",
		"kept partly 1 attachment",
		"dropped 1 attachment",
		"kept partly 1 edit",
		"kept partly 1 poll",
		"kept partly 2 locations",
		"kept partly 1 contact card",
		"kept partly 2 calls",
		`1 message has a line that looks like a WhatsApp date header; it was written with an invisible U+200B in front so readers do not split the message there`,
		"1 message time had seconds; WhatsApp's Android layout shows hours and minutes only",
		"1 message had no time and was given the time of the message before it",
		"2 messages with several attachments or contact cards were written as one record for each, as WhatsApp does",
		`1 message comes from a sender whose name holds ": "; readers of the layout cut the name there`,
		"1 attachment of a deleted or view-once message was left out; the layout writes only the marker",
		`1 left-out attachment lost its file name: WhatsApp's layout writes it as "<Media omitted>"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
