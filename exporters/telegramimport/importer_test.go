package telegramimport_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext/peer"
	_ "github.com/chatferry/chatferry/importers/all" // chatferry's whatsapp importer, once it is there
)

// chatferry's own whatsapp importer reads every zip back to the same
// times, authors, texts and attachment names.
func TestImporterReadsOutput(t *testing.T) {
	items := exportertest.Input(t, "testdata/hostile.json", "json")
	out := write(t, "testdata/hostile.json")
	zips, _ := filepath.Glob(filepath.Join(out, "*.zip"))
	sort.Strings(zips)
	for _, c := range chats(items) {
		zp := findZip(t, out, c)
		got := peer.ReadWithImporter(t, zp)
		peer.Compare(t, c.chat, c.msgs, got, peer.Options{TZ: berlin(t), Names: zipNames(t, zp, c), SystemColons: true})
	}
}
