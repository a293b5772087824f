package sqlite_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/plaintest"
	"github.com/chatferry/chatferry/importers"

	_ "github.com/chatferry/chatferry/importers/all" // the corpus tests read every input format
)

// Every input of the project's samples and of the shared corpus that an
// input format reads becomes an archive without error.
func TestInputs(t *testing.T) {
	requireFTS5(t)
	plaintest.RunInputs(t, "sqlite")
}

// All of a corpus folder goes into one archive, input after input, as a
// user who keeps converting would do; converting everything again
// changes nothing, and the archive stays sound.
func TestCorpusArchive(t *testing.T) {
	requireFTS5(t)
	plaintest.EachCorpus(t, func(t *testing.T, _ string, inputs []string) {
		out := filepath.Join(t.TempDir(), "archive.db")
		opts := exporters.Options{TZ: berlin(t)}
		convertAll := func() int {
			n := 0
			for _, in := range inputs {
				err := exportInput(in, out, opts)
				if errors.Is(err, importers.ErrNotRecognised) || errors.Is(err, plaintest.ErrImport) {
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", in, err)
				}
				n++
			}
			return n
		}
		if convertAll() == 0 {
			t.Skip("no input format recognises a file of this corpus yet")
		}
		sum, c := fileSum(t, out), counts(t, out)
		n := convertAll()
		if got := fileSum(t, out); got != sum {
			t.Errorf("converting the %d inputs again changed the archive:\n%s\n%s", n, c, counts(t, out))
		}
		db := openDB(t, out)
		var check string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Errorf("integrity_check: %s %v", check, err)
		}
		t.Logf("%d inputs in one archive: %s", n, c)
	})
}

// exportInput converts one input into the archive at out, with the
// format detection picks, going on after recoverable errors.
func exportInput(in, out string, opts exporters.Options) error {
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	items, src, err := plaintest.Read(in, opts.TZ)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = tryExport(out, items, opts)
	return err
}
