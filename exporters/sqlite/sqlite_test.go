package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/importers/importertest"
)

const noGolden = "a SQLite file's bytes change from run to run; TestDump compares a dump of its rows instead"

func TestKit(t *testing.T) {
	requireFTS5(t)
	exportertest.Run(t, "sqlite",
		exportertest.Case{NoGolden: noGolden},
		exportertest.Case{Name: "embed-media", NoGolden: noGolden,
			Options: exporters.Options{Values: exporters.Values{"embed-media": "true"}}},
	)
}

// TestDump pins every row the sample gives, with media in a folder and
// inside the database.
func TestDump(t *testing.T) {
	requireFTS5(t)
	for _, c := range []struct {
		name  string
		embed string
	}{{"sample", ""}, {"sample-embed-media", "true"}} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.db")
			export(t, out, sampleItems(t), exporters.Options{TZ: berlin(t), Me: "Ben Sample",
				Values: exporters.Values{"embed-media": c.embed}})
			importertest.Golden(t, filepath.Join("testdata", "golden", c.name+".dump"), []byte(dump(t, out)))
		})
	}
}
