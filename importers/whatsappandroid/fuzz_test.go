package whatsappandroid

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
)

// FuzzImport feeds damaged databases to the importer: SQLite must report
// the damage, and the importer must neither panic nor loop. The seeds use
// 512-byte pages, so that they are small enough for the fuzzer to work on.
func FuzzImport(f *testing.F) {
	var seeds [][]byte
	for _, script := range []string{"testdata/modern.sql", "testdata/legacy.sql"} {
		p := filepath.Join(f.TempDir(), "seed.db")
		db, err := sql.Open("sqlite3", p)
		if err != nil {
			f.Fatal(err)
		}
		sqlText, _ := os.ReadFile(script)
		_, err = db.Exec("PRAGMA page_size = 512;\n" + string(sqlText))
		db.Close()
		if err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	importertest.Fuzz(f, Name, "msgstore.db", seeds...)
}

func FuzzKeyFile(f *testing.F) {
	f.Add([]byte(testRootKey))
	f.Add(append(append([]byte(nil), javaByteArray...), make([]byte, 13+32)...))
	f.Add(make([]byte, 158))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := keyFromBytes(b)
		if err != nil {
			return
		}
		if len(k.Root) != 32 && (len(k.AES) != 32 || len(k.Salt) != 32) {
			t.Fatalf("accepted a key with root %d, AES %d, salt %d bytes", len(k.Root), len(k.AES), len(k.Salt))
		}
	})
}
