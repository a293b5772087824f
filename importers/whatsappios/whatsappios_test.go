package whatsappios_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chatferry/chatferry/importers"
	_ "github.com/chatferry/chatferry/importers/canonicaljson" // for reading goldens back
	"github.com/chatferry/chatferry/importers/importertest"
	_ "github.com/chatferry/chatferry/importers/whatsappios"
	"github.com/chatferry/chatferry/importers/whatsappios/iosfixture"
)

// The fixture inputs, built from ../../testdata/whatsapp-ios by TestMain
// into testdata/build (which git ignores; rebuilt when the sources change),
// so that goldens see stable relative paths.
var in iosfixture.Inputs

const build = "testdata/build"

func TestMain(m *testing.M) {
	var err error
	in, err = iosfixture.Ensure("../../testdata/whatsapp-ios", build)
	if err != nil {
		fmt.Fprintln(os.Stderr, "building the fixture:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func TestKit(t *testing.T) {
	importertest.Run(t, "whatsapp-ios",
		importertest.Case{Name: "container", Input: in.Folder},
		importertest.Case{Name: "database", Input: in.Database},
		importertest.Case{Name: "backup", Input: in.Backup, Main: "7c/7c7fba66680ef796b916b067077cc246adacf01d"},
		importertest.Case{Name: "container.zip", Input: in.FolderZip, Main: "ChatStorage.sqlite"},
		importertest.Case{Name: "backup.zip", Input: in.BackupZip, Main: "7c/7c7fba66680ef796b916b067077cc246adacf01d"},
	)
}

func TestFixtureIsWhereTheGoldensSayItIs(t *testing.T) {
	for _, p := range []string{in.Folder, in.Database, in.Backup} {
		if !filepath.IsLocal(p) {
			t.Errorf("%s is not a relative path inside the package", p)
		}
	}
}

// FuzzImport feeds the importer damaged databases: it must fail cleanly or
// read what it can, and never panic or loop. The seed is the fixture with
// 512-byte pages, small enough for the fuzzer to mutate quickly.
func FuzzImport(f *testing.F) {
	small := filepath.Join(f.TempDir(), "small.sqlite")
	importertest.CopyFile(f, in.Database, small)
	d, err := sql.Open("sqlite3", small)
	if err != nil {
		f.Fatal(err)
	}
	for _, q := range []string{"PRAGMA page_size = 512", "VACUUM"} {
		if _, err := d.Exec(q); err != nil {
			f.Fatal(err)
		}
	}
	d.Close()
	db, err := os.ReadFile(small)
	if err != nil {
		f.Fatal(err)
	}
	importertest.Fuzz(f, "whatsapp-ios", "ChatStorage.sqlite", db, db[:len(db)/2], []byte("SQLite format 3\x00"))
}

// Every golden validates against the canonical JSON's published schema,
// and reads back through the json importer to the same document.
func TestGoldensAreValidCanonicalJSON(t *testing.T) {
	root := importertest.ModuleRoot(t)
	sch, err := jsonschema.NewCompiler().Compile(filepath.Join(root, "docs", "schema", "chatferry-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	goldens, err := filepath.Glob("testdata/golden/*.json")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no goldens: %v", err)
	}
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s does not validate: %v", g, err)
		}
		again := importertest.Render(t, importertest.Items(t, "json", g, importers.Options{}))
		if !bytes.Equal(again, data) {
			t.Errorf("%s reads back through the json importer differently", g)
		}
	}
}
