//go:build unix

package importers_test

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/chatferry/chatferry/importers"
)

// A named pipe (what the shell's <(…) gives) is read once into a private
// copy, like standard input, which goes with Close.
func TestNamedPipe(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	const text = "05/01/2024, 19:02 - Dana: hi\n"
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		io.WriteString(f, text)
		f.Close()
	}()
	src, err := importers.OpenSource(fifo, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(src.FS, src.Name)
	if err != nil || string(b) != text || src.Kind != importers.File || src.Display(src.Name) != fifo {
		t.Errorf("read %q (%v) as a %v named %q", b, err, src.Kind, src.Display(src.Name))
	}
	again, _ := fs.ReadFile(src.FS, src.Name)
	if string(again) != text {
		t.Error("the pipe's copy cannot be read twice")
	}
	spools, _ := filepath.Glob(filepath.Join(dir, "chatferry-pipe-*"))
	if len(spools) != 1 {
		t.Errorf("private copies: %v, want one", spools)
	}
	src.Close()
	if left, _ := filepath.Glob(filepath.Join(dir, "chatferry-pipe-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
