package sqlite_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/plaintest"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"

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
	root := importertest.Corpus(t, "")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			_, inputs := plaintest.Corpus(t, e.Name())
			out := filepath.Join(t.TempDir(), "archive.db")
			opts := exporters.Options{TZ: berlin(t)}
			convertAll := func() int {
				n := 0
				for _, in := range inputs {
					err := exportInput(in, out, opts)
					if errors.Is(err, importers.ErrNotRecognised) || errors.Is(err, errImport) {
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
}

var errImport = errors.New("the input could not be imported")

// exportInput converts one input into the archive at out, with the
// format detection picks, going on after recoverable errors.
func exportInput(in, out string, opts exporters.Options) error {
	src, err := importers.OpenSource(in, importers.DefaultLimits)
	if err != nil {
		return err
	}
	defer src.Close()
	f, err := importers.Detect(src)
	if err != nil {
		return err
	}
	r, err := f.Open(context.Background(), src, importers.Options{TZ: opts.TZ})
	if err != nil {
		return errors.Join(errImport, err)
	}
	defer r.Close()
	var items []model.Item
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && importers.Recoverable(err) {
			continue
		}
		if err != nil {
			return errors.Join(errImport, err)
		}
		items = append(items, it)
	}
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	_, err = tryExport(out, items, opts)
	return err
}
