package exporters_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

func TestTargetFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out.json")
	tg, err := exporters.NewTarget(dest, exporters.FileLayout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tg.CreateFile()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "new")
	if _, err := os.Stat(dest); err == nil {
		t.Fatal("destination exists before Commit")
	}
	if err := tg.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	// Without --force an existing output stays.
	if _, err := exporters.NewTarget(dest, exporters.FileLayout, false, nil); !errors.Is(err, exporters.ErrExists) {
		t.Errorf("existing destination: %v", err)
	}
	// With --force it is replaced; an aborted run leaves it alone.
	tg, _ = exporters.NewTarget(dest, exporters.FileLayout, true, nil)
	w, _ = tg.CreateFile()
	io.WriteString(w, "aborted")
	tg.Abort()
	if b, _ := os.ReadFile(dest); string(b) != "new" {
		t.Errorf("abort changed the destination: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("abort left files: %v", entries)
	}
}

func TestTargetFolderForce(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "archive")
	os.MkdirAll(filepath.Join(dest, "old"), 0o755)
	os.WriteFile(filepath.Join(dest, exporters.Marker), nil, 0o644) // an earlier output
	tg, err := exporters.NewTarget(dest, exporters.FolderLayout, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	tmp, err := tg.CreateDir()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tmp, "index.html"), []byte("hi"), 0o644)
	if err := tg.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "old")); err == nil {
		t.Error("the replaced folder's content survived")
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestTargetStdout(t *testing.T) {
	var buf bytes.Buffer
	tg, err := exporters.NewTarget("-", exporters.FileLayout, false, &buf)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := tg.CreateFile()
	io.WriteString(w, "x")
	if err := tg.Commit(); err != nil || buf.String() != "x" {
		t.Errorf("%q %v", buf.String(), err)
	}
	if _, err := exporters.NewTarget("-", exporters.FolderLayout, false, &buf); err == nil {
		t.Error("a folder format accepted standard output")
	}
	if _, err := exporters.NewTarget(filepath.Join(t.TempDir(), "no", "such", "x.json"), exporters.FileLayout, false, nil); err == nil {
		t.Error("a destination in a missing folder was accepted")
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"IMG-20240301-WA0001.jpg": "IMG-20240301-WA0001.jpg",
		"../../etc/passwd":        "passwd",
		`..\..\boot.ini`:          "boot.ini",
		"/abs/path/x.png":         "x.png",
		"..":                      "file",
		"":                        "file",
		".hidden":                 "hidden",
		"a\x00b\nc.txt":           "a_b_c.txt",
		"what?.pdf":               "what_.pdf",
		"\u202eevil\u202cgpj.exe": "_evil_gpj.exe",
		"Family Group 👨‍👩‍👧.txt":  "Family Group 👨‍👩‍👧.txt",
		"trailing. ":              "trailing",
	} {
		if got := exporters.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 200) + ".jpeg"
	got := exporters.SafeName(long)
	if len(got) > 180 || !strings.HasSuffix(got, ".jpeg") {
		t.Errorf("long name: %d bytes, %q", len(got), got[len(got)-10:])
	}
}

func TestMediaDir(t *testing.T) {
	root := t.TempDir()
	media := fstest.MapFS{
		"a/IMG.jpg": {Data: []byte("one")},
		"b/IMG.jpg": {Data: []byte("two")},
		"evil":      {Data: []byte("three")},
	}
	c := &model.Chat{ID: "c", Media: media}
	d := &exporters.MediaDir{Root: root, Sub: "media"}
	r1, err := d.Copy(c, &model.Attachment{Name: "IMG.jpg", Path: "a/IMG.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := d.Copy(c, &model.Attachment{Name: "img.JPG", Path: "b/IMG.jpg"})
	r3, _ := d.Copy(c, &model.Attachment{Name: "IMG.jpg", Path: "a/IMG.jpg"})
	r4, _ := d.Copy(c, &model.Attachment{Name: "../../../evil", Path: "evil"})
	if r1 != "media/IMG.jpg" || r2 != "media/img-2.JPG" || r3 != r1 || r4 != "media/evil" {
		t.Errorf("names %q %q %q %q", r1, r2, r3, r4)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "media", "img-2.JPG")); string(b) != "two" {
		t.Errorf("content %q", b)
	}
	if _, err := d.Copy(c, &model.Attachment{Name: "x", Omitted: true}); !errors.Is(err, exporters.ErrNoMedia) {
		t.Errorf("omitted: %v", err)
	}
}

// A run killed with SIGKILL leaves its temporary output; the next run to
// the same destination removes it, but never a running process's.
func TestStaleTemporaryOutputsAreRemoved(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "archive")
	dead := filepath.Join(dir, ".archive.chatferry-tmp-999999999-00aa11bb22cc")
	alive := filepath.Join(dir, fmt.Sprintf(".archive.chatferry-tmp-%d-00aa11bb22cc", os.Getppid()))
	other := filepath.Join(dir, ".other.chatferry-tmp-999999999-00aa11bb22cc")
	for _, p := range []string{dead, alive, other} {
		os.MkdirAll(filepath.Join(p, "media"), 0o755)
	}
	tg, err := exporters.NewTarget(dest, exporters.FolderLayout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tg.Cleaned) != 1 || tg.Cleaned[0] != dead {
		t.Errorf("cleaned %v, want only %s", tg.Cleaned, dead)
	}
	for _, p := range []string{alive, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", p)
		}
	}
}

// --force replaces a file with a file, and a folder with a folder only
// when it is empty or chatferry wrote it: a folder of the user's own, or a
// folder named where a file goes, is never removed.
func TestForceReplacesOnlyOutputs(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "Documents")
	os.MkdirAll(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "thesis.odt"), []byte("years of work"), 0o644)
	file := filepath.Join(dir, "notes.txt")
	os.WriteFile(file, []byte("notes"), 0o644)
	for _, c := range []struct {
		path   string
		layout exporters.Layout
		says   string
	}{
		{mine, exporters.FolderLayout, "chatferry did not write"},
		{mine, exporters.FileLayout, "is a folder, and this output is a file"},
		{file, exporters.FolderLayout, "is a file, and this output is a folder"},
	} {
		if _, err := exporters.NewTarget(c.path, c.layout, true, nil); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s as layout %v: %v, want it refused saying %q", c.path, c.layout, err, c.says)
		}
	}
	// Refused at Commit too, should the folder appear during the run.
	late := filepath.Join(dir, "late")
	tg, err := exporters.NewTarget(late, exporters.FolderLayout, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	tmp, _ := tg.CreateDir()
	os.WriteFile(filepath.Join(tmp, "index.html"), []byte("hi"), 0o644)
	os.MkdirAll(filepath.Join(late, "photos"), 0o755)
	if err := tg.Commit(); err == nil {
		t.Error("a folder that appeared during the run was replaced")
	}
	if _, err := os.Stat(filepath.Join(late, "photos")); err != nil {
		t.Error("the folder that appeared during the run was touched")
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "thesis.odt")); string(b) != "years of work" {
		t.Error("a folder of the user's own was changed")
	}
	// An empty folder is replaced, and the output is marked.
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	tg, err = exporters.NewTarget(empty, exporters.FolderLayout, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.CreateDir(); err != nil {
		t.Fatal(err)
	}
	if err := tg.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(empty, exporters.Marker)); err != nil {
		t.Error("a folder output is not marked as chatferry's")
	}
}
