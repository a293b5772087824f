package whatsapp

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/chatferry/chatferry/importers"
)

// A transcript names its files in Unicode's composed form; a zip made on
// a Mac, or a folder unpacked there, may hold the same names decomposed.
const (
	cafeNFC = "Caf\u00e9 menu.pdf"  // é as one character
	cafeNFD = "Cafe\u0301 menu.pdf" // e and a combining acute accent
)

func TestMediaNameInAnotherNormalForm(t *testing.T) {
	pdf := []byte("%PDF-1.4\n% menu\n")
	for _, tc := range []struct {
		name      string
		inText    string            // the name in the transcript
		files     map[string][]byte // the files beside it
		wantPath  string            // "" for missing
		wantBytes []byte
	}{
		{"decomposed file, composed transcript", cafeNFC, map[string][]byte{cafeNFD: pdf}, cafeNFD, pdf},
		{"composed file, decomposed transcript", cafeNFD, map[string][]byte{cafeNFC: pdf}, cafeNFC, pdf},
		{"both forms: the exact name wins", cafeNFC, map[string][]byte{cafeNFC: pdf, cafeNFD: []byte("other")}, cafeNFC, pdf},
		{"both forms: the exact name wins, decomposed", cafeNFD, map[string][]byte{cafeNFC: []byte("other"), cafeNFD: pdf}, cafeNFD, pdf},
		{"another name is not taken for it", cafeNFC, map[string][]byte{"Cafe menu.pdf": pdf}, "", nil},
	} {
		text := "01/02/2024, 10:00 - Ann: " + tc.inText + " (file attached)\nlunch?\n"
		check := func(t *testing.T, p string) {
			t.Helper()
			_, msgs, err := readFile(t, p, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
				t.Fatalf("got %d messages, want 1 with one attachment", len(msgs))
			}
			a := msgs[0].Attachments[0]
			if a.Name != tc.inText {
				t.Errorf("name %q, want the transcript's %q", a.Name, tc.inText)
			}
			if msgs[0].Text != "lunch?" {
				t.Errorf("caption %q", msgs[0].Text)
			}
			if tc.wantPath == "" {
				if !a.Missing || a.Path != "" {
					t.Errorf("attachment %+v, want missing", a)
				}
				return
			}
			if a.Missing || filepath.Base(a.Path) != tc.wantPath || a.Size != int64(len(tc.wantBytes)) {
				t.Errorf("attachment path %q size %d missing %v, want %q size %d", a.Path, a.Size, a.Missing, tc.wantPath, len(tc.wantBytes))
			}
		}
		t.Run(tc.name+"/zip", func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "WhatsApp Chat with Ann.zip")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			zw := zip.NewWriter(f)
			add := func(name string, b []byte) {
				w, err := zw.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.Write(b); err != nil {
					t.Fatal(err)
				}
			}
			add("WhatsApp Chat with Ann.txt", []byte(text))
			for n, b := range tc.files {
				add(n, b)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			check(t, p)
		})
		t.Run(tc.name+"/folder", func(t *testing.T) {
			dir := t.TempDir()
			for n, b := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ents, _ := os.ReadDir(dir)
			if len(ents) != len(tc.files) {
				t.Skipf("this file system folds Unicode forms into one name (%d files of %d)", len(ents), len(tc.files))
			}
			p := filepath.Join(dir, "WhatsApp Chat with Ann.txt")
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			check(t, p)
		})
	}
}

// A folder too large to list is asked for each name, in the transcript's
// form and then in the other two.
func TestMediaNameUnlistedFolder(t *testing.T) {
	fsys := fstest.MapFS{
		"chat/" + cafeNFD: {Data: []byte("%PDF-1.4\n")},
		"chat/plain.txt":  {Data: []byte("hello")},
	}
	m := media{fsys: fsys, dir: "chat", big: true}
	for name, want := range map[string]string{
		cafeNFC:          "chat/" + cafeNFD,
		cafeNFD:          "chat/" + cafeNFD,
		"plain.txt":      "chat/plain.txt",
		"absent.txt":     "",
		"../plain.txt":   "",
		"chat/plain.txt": "",
	} {
		if got := m.path(name); got != want {
			t.Errorf("path(%q) = %q, want %q", name, got, want)
		}
	}
}
