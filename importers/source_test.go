package importers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
)

// writeZip writes a zip whose entries have exactly the given names.
func writeZip(t *testing.T, entries map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

func TestZipEntryNamesAreUntrusted(t *testing.T) {
	p := writeZip(t, map[string]string{
		"_chat.txt":           "chat",
		"media/IMG-1.jpg":     "jpeg",
		"../escape.txt":       "x",
		"/etc/passwd":         "x",
		"a/../../b.txt":       "x",
		`..\windows.txt`:      "x",
		"__MACOSX/._chat.txt": "x",
		"dir//double.txt":     "x",
		"ok/./dot.txt":        "x",
		"C:/drive.txt":        "fine, a local name",
	})
	src, err := importers.OpenSource(p, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Kind != importers.Zip {
		t.Fatalf("kind %v", src.Kind)
	}
	files, err := src.Files()
	if err != nil {
		t.Fatal(err)
	}
	want := "C:/drive.txt,_chat.txt,media/IMG-1.jpg"
	if got := strings.Join(files, ","); got != want {
		t.Errorf("files %s, want %s", got, want)
	}
	if len(src.Skipped) != 7 {
		t.Errorf("skipped %d entries, want 7: %v", len(src.Skipped), src.Skipped)
	}
	b, err := fs.ReadFile(src.FS, "media/IMG-1.jpg")
	if err != nil || string(b) != "jpeg" {
		t.Errorf("read %q, %v", b, err)
	}
	if _, err := src.FS.Open("../escape.txt"); err == nil {
		t.Error("an unsafe name opened")
	}
	entries, err := fs.ReadDir(src.FS, ".")
	if err != nil || len(entries) != 3 { // C:, _chat.txt, media
		t.Errorf("root listing %v, %v", entries, err)
	}
	if src.BytesRead() == 0 {
		t.Error("bytes read are not counted")
	}
}

func TestZipLimits(t *testing.T) {
	p := writeZip(t, map[string]string{"a.txt": strings.Repeat("a", 5000), "b.txt": "b", "c.txt": "c"})
	if _, err := importers.OpenSource(p, importers.Limits{MaxEntries: 2}); !errors.Is(err, importers.ErrLimit) {
		t.Errorf("entry limit: %v", err)
	}
	_, err := importers.OpenSource(p, importers.Limits{MaxUnpacked: 4096})
	if !errors.Is(err, importers.ErrLimit) || !strings.Contains(err.Error(), "4.0 KiB") {
		t.Errorf("size limit: %v", err)
	}
	src, err := importers.OpenSource(p, importers.Limits{MaxUnpacked: 8192})
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
}

// A zip protected by a password is refused when it is opened, naming an
// entry; an entry whose data is corrupt is reported as damaged when read.
func TestZipEncryptedOrDamaged(t *testing.T) {
	write := func(h *zip.FileHeader, data []byte) string {
		p := filepath.Join(t.TempDir(), "in.zip")
		if err := os.WriteFile(p, importertest.RawZip(t, h, data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := write(&zip.FileHeader{Name: "_chat.txt", Method: zip.Deflate, Flags: 0x1,
		CompressedSize64: 12, UncompressedSize64: 30}, make([]byte, 12))
	_, err := importers.OpenSource(secret, importers.DefaultLimits)
	if !errors.Is(err, importers.ErrEncrypted) || !strings.Contains(err.Error(), `"_chat.txt"`) {
		t.Errorf("encrypted zip: %v", err)
	}
	// 0xff starts a deflate block of the reserved type 3.
	corrupt := write(&zip.FileHeader{Name: "_chat.txt", Method: zip.Deflate,
		CompressedSize64: 8, UncompressedSize64: 30}, bytes.Repeat([]byte{0xff}, 8))
	src, err := importers.OpenSource(corrupt, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, err = fs.ReadFile(src.FS, "_chat.txt")
	if !errors.Is(err, importers.ErrDamaged) || !strings.Contains(err.Error(), "_chat.txt") {
		t.Errorf("corrupt entry: %v", err)
	}
}

// A folder input cannot be left through a symbolic link.
func TestFolderSymlinkEscape(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o600)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "chat.txt"), []byte("chat"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Skip(err)
	}
	src, err := importers.OpenSource(dir, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := fs.ReadFile(src.FS, "link.txt"); err == nil {
		t.Error("a symlink out of the folder was followed")
	}
	files, _ := src.Files()
	if strings.Join(files, ",") != "chat.txt" {
		t.Errorf("files %v", files)
	}
}

func TestFileSourceSeesItsFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "WhatsApp Chat with Ann.txt"), []byte("hello"), 0o644)
	os.WriteFile(filepath.Join(dir, "IMG-1.jpg"), []byte("jpeg"), 0o644)
	src, err := importers.OpenSource(filepath.Join(dir, "WhatsApp Chat with Ann.txt"), importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p, err := src.Probe()
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Head) != "hello" || p.Name != "WhatsApp Chat with Ann.txt" || src.Size() != 5 {
		t.Errorf("probe %q %q, size %d", p.Head, p.Name, src.Size())
	}
	if _, err := fs.Stat(src.FS, "IMG-1.jpg"); err != nil {
		t.Error("media next to the transcript is not visible")
	}
}

func TestDetect(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.test-detect")
	os.WriteFile(p, []byte("tie"), 0o644)
	open := func(context.Context, *importers.Source, importers.Options) (importers.Reader, error) { return nil, nil }
	score := func(n int) func(*importers.Probe) int {
		return func(p *importers.Probe) int {
			if strings.HasSuffix(p.Name, ".test-detect") {
				return n
			}
			return 0
		}
	}
	importers.Register(importers.Format{Name: "zz-test-a", Detect: score(50), Open: open})
	importers.Register(importers.Format{Name: "zz-test-b", Detect: score(50), Open: open})
	src, _ := importers.OpenSource(p, importers.DefaultLimits)
	defer src.Close()
	_, err := importers.Detect(src)
	if !errors.Is(err, importers.ErrNotRecognised) || !strings.Contains(err.Error(), "zz-test-a or zz-test-b; choose one with --from") {
		t.Errorf("tie: %v", err)
	}
	other := filepath.Join(dir, "notes.csv")
	os.WriteFile(other, []byte("a,b\n1,2\n"), 0o644)
	none, _ := importers.OpenSource(other, importers.DefaultLimits)
	defer none.Close()
	_, err = importers.Detect(none)
	if !errors.Is(err, importers.ErrNotRecognised) || !strings.Contains(err.Error(), "zz-test-a, zz-test-b") ||
		!strings.Contains(err.Error(), "chatferry formats") || !strings.Contains(err.Error(), "--from") {
		t.Errorf("no format: %v, want the formats listed and where to learn what each reads", err)
	}
	// A folder of export zips: each zip is an input of its own.
	zips := filepath.Join(dir, "exports")
	os.Mkdir(zips, 0o755)
	for _, n := range []string{"a.zip", "B.ZIP", "notes.md"} {
		os.WriteFile(filepath.Join(zips, n), []byte("x"), 0o644)
	}
	folder, _ := importers.OpenSource(zips, importers.DefaultLimits)
	defer folder.Close()
	_, err = importers.Detect(folder)
	if !errors.Is(err, importers.ErrNotRecognised) || !strings.Contains(err.Error(), "holds 2 zip files") ||
		!strings.Contains(err.Error(), filepath.Join(zips, "*.zip")) {
		t.Errorf("a folder of zips: %v, want the zips counted and given as inputs", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	importers.Register(importers.Format{Name: "zz-test-a", Detect: score(1), Open: open})
}

func TestOpenBytes(t *testing.T) {
	src, err := importers.OpenBytes("dir/chat.txt", []byte("hello"), importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := src.Probe()
	if src.Kind != importers.File || src.Name != "chat.txt" || string(p.Head) != "hello" {
		t.Errorf("kind %v name %q head %q", src.Kind, src.Name, p.Head)
	}
	zipPath := writeZip(t, map[string]string{"_chat.txt": "hi", "../bad": "x"})
	data, _ := os.ReadFile(zipPath)
	zsrc, err := importers.OpenBytes("x.zip", data, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := zsrc.Files()
	if zsrc.Kind != importers.Zip || strings.Join(files, ",") != "_chat.txt" {
		t.Errorf("zip from bytes: %v %v", zsrc.Kind, files)
	}
	if _, err := importers.OpenBytes("x.zip", data, importers.Limits{MaxUnpacked: 1}); !errors.Is(err, importers.ErrLimit) {
		t.Errorf("limits do not apply to bytes: %v", err)
	}
}

// The probe of a huge folder is cheap and still shows the top level.
func TestProbeOfAHugeFolder(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 30; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("%02x", i))
		os.Mkdir(sub, 0o755)
		for j := 0; j < 50; j++ {
			os.WriteFile(filepath.Join(sub, fmt.Sprintf("%040d", j)), nil, 0o644)
		}
	}
	os.WriteFile(filepath.Join(dir, "Manifest.db"), []byte("SQLite format 3\x00"), 0o644)
	src, err := importers.OpenSource(dir, importers.Limits{MaxEntries: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p, err := src.Probe()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 1000 || !slices.Contains(p.Entries, "Manifest.db") {
		t.Errorf("%d entries; Manifest.db listed: %v", len(p.Entries), slices.Contains(p.Entries, "Manifest.db"))
	}
	if _, err := src.Files(); !errors.Is(err, importers.ErrLimit) {
		t.Errorf("a full listing past MaxEntries: %v", err)
	}
}
