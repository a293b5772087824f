package whatsapp_test

import (
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext/peer"
	_ "github.com/chatferry/chatferry/importers/all" // chatferry's whatsapp importer, once it is there
)

// chatferry's own whatsapp importer reads every message back with its
// time, author, text and attachment name.
func TestImporterReadsOutput(t *testing.T) {
	f, _ := exporters.Lookup("whatsapp")
	for _, in := range []string{"direct", "group", "edge"} {
		t.Run(in, func(t *testing.T) {
			items := exportertest.Input(t, "testdata/"+in+".json", "json")
			out, _ := exportertest.Write(t, f, items, exporters.Options{TZ: time.UTC})
			got := peer.ReadWithImporter(t, out)
			chat, msgs := split(items)
			peer.Compare(t, chat, msgs, got, peer.Options{TZ: time.UTC, Names: names})
		})
	}
}
