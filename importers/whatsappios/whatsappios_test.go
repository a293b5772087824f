package whatsappios_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/internal/iosfixture"
	_ "github.com/chatferry/chatferry/importers/whatsappios"
)

// The fixture inputs, built from ../../testdata/whatsapp-ios by TestMain
// into testdata/build (which git ignores), so that goldens see stable
// relative paths.
var in iosfixture.Inputs

const build = "testdata/build"

func TestMain(m *testing.M) {
	var err error
	in, err = iosfixture.Build("../../testdata/whatsapp-ios", build)
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
