package whatsappandroid

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
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

func FuzzVCard(f *testing.F) {
	f.Add("BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nFN:John Doe\nitem1.TEL;waid=4917612345678:+49 176 12345678\nEND:VCARD")
	f.Add("BEGIN:VCARD\r\nFN:Folded\r\n  name\r\nTEL:1\r\nEND:VCARD")
	f.Fuzz(func(t *testing.T, card string) {
		c := parseVCard(card)
		if c.VCard != card {
			t.Fatal("the raw card is not kept")
		}
		for _, p := range c.Phones {
			if strings.TrimSpace(p) == "" {
				t.Fatal("an empty phone number")
			}
		}
	})
}

func TestParseVCard(t *testing.T) {
	for _, tc := range []struct {
		card, name string
		phones     int
	}{
		{"BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nFN:John Doe\nitem1.TEL;waid=4917612345678:+49 176 12345678\nEND:VCARD", "John Doe", 1},
		{"BEGIN:VCARD\nN:Sample;Eve;;;\nTEL:+1\nTEL:+2\nEND:VCARD", "Eve Sample", 2},
		{"BEGIN:VCARD\r\nFN:Long\r\n  Name\r\nEND:VCARD", "Long Name", 0},
		{"BEGIN:VCARD\nFN:Comma\\, Inc.\nEND:VCARD", "Comma, Inc.", 0},
	} {
		c := parseVCard(tc.card)
		if c.Name != tc.name || len(c.Phones) != tc.phones {
			t.Errorf("%q: name %q, %d phones; want %q, %d", tc.card, c.Name, len(c.Phones), tc.name, tc.phones)
		}
	}
}
