package importers

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// deadPID returns the id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// The working folders of a chatferry that was killed are removed by the
// next run; those of running processes, and anything else, are kept.
func TestRemoveStaleTemp(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("processAlive cannot tell on this system, so nothing is removed")
	}
	dir := t.TempDir()
	dead := deadPID(t)
	names := map[string]bool{ // name → removed
		fmt.Sprintf("chatferry-stdin-%d-123", dead):      true,
		fmt.Sprintf("chatferry-msgstore-%d-9", dead):     true,
		fmt.Sprintf("chatferry-stdin-%d-1", os.Getpid()): false,
		fmt.Sprintf("chatferry-ios-%d-2", os.Getppid()):  false,
		"chatferry-stdin-12x-3":                          false,
		"chatferry-other":                                false,
		fmt.Sprintf("other-stdin-%d-4", dead):            false,
	}
	for n := range names {
		if err := os.MkdirAll(filepath.Join(dir, n, "inside"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	file := fmt.Sprintf("chatferry-ios-%d-5", dead) // a file, not a folder of ours
	if err := os.WriteFile(filepath.Join(dir, file), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	names[file] = false

	removed := removeStaleTemp(dir)
	slices.Sort(removed)
	var want []string
	for n, gone := range names {
		if gone {
			want = append(want, n)
		}
		if _, err := os.Lstat(filepath.Join(dir, n)); (err != nil) != gone {
			t.Errorf("%s: removed %v, want %v", n, err != nil, gone)
		}
	}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("reported %v, want %v", removed, want)
	}
}

// TempDir makes a folder only its owner can enter, named for the next
// run's clean-up.
func TestTempDir(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	d, err := TempDir("stdin")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(d)
	if !strings.HasPrefix(filepath.Base(d), fmt.Sprintf("chatferry-stdin-%d-", os.Getpid())) {
		t.Errorf("named %s", filepath.Base(d))
	}
	if fi, err := os.Stat(d); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700) {
		t.Errorf("stat: %v, %v; want a folder of mode 0700", fi, err)
	}
}
