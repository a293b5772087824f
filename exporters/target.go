package exporters

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/importers"
)

// ErrExists is matched by the error for a destination that exists when
// --force was not given.
var ErrExists = errors.New("output exists")

// ExistsError says that an output would replace an existing file or folder.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("%s already exists; use --force to replace it", e.Path)
}

// Is makes errors.Is(err, ErrExists) true.
func (e *ExistsError) Is(target error) bool { return target == ErrExists }

// Target is where one output goes. Formats with FileLayout call CreateFile,
// those with FolderLayout CreateDir; both write under a temporary name in
// the destination's folder, which Commit renames into place and Abort
// removes. InPlaceLayout formats use Path directly and are themselves
// responsible for changing it atomically.
type Target struct {
	// Path is the destination; "-" means standard output.
	Path string
	// Force allows replacing an existing destination.
	Force bool
	// Wrap, when set, wraps the writer CreateFile returns. Tests use it
	// to inject write errors.
	Wrap func(io.Writer) io.Writer
	// Cleaned lists leftovers of earlier runs that were killed before they
	// could clean up, which NewTarget removed.
	Cleaned []string

	layout Layout
	stdout io.Writer
	tmp    string
	file   *os.File
	closed bool
}

// NewTarget prepares an output at path. It fails early, before any work,
// when path exists and force is false (except for InPlaceLayout, which
// updates its destination), or when path is "-" for a layout that cannot
// stream. stdout receives the output for "-".
func NewTarget(path string, layout Layout, force bool, stdout io.Writer) (*Target, error) {
	t := &Target{Path: path, Force: force, layout: layout, stdout: stdout}
	if path == "-" {
		if layout != FileLayout {
			return nil, errors.New("this format writes a folder or a database and cannot write to standard output; give -o PATH")
		}
		return t, nil
	}
	if layout != InPlaceLayout {
		if fi, err := os.Lstat(path); err == nil {
			if !force {
				return nil, &ExistsError{Path: path}
			}
			if err := replaceable(path, fi, layout); err != nil {
				return nil, err
			}
		}
	}
	if dir := filepath.Dir(path); dir != "." {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("%s: the folder %s does not exist", path, dir)
		}
	}
	t.Cleaned = removeStale(path)
	return t, nil
}

// Marker names the file every folder output holds, so that --force can
// tell chatferry's own output, which it may replace, from any other folder.
const Marker = ".chatferry"

// markerText is what the marker file says to a person who opens it.
const markerText = "This folder was written by chatferry. `chatferry convert --force` may replace it as a whole.\n"

// replaceable says why --force may not replace what is at path, or nil:
// it replaces a file with a file, and a folder only with a folder, and
// only when the folder is empty or chatferry wrote it (it holds Marker).
// So that a mistyped -o never removes a folder of the user's own.
func replaceable(path string, fi fs.FileInfo, layout Layout) error {
	switch {
	case layout == FileLayout && fi.IsDir():
		return fmt.Errorf("%s is a folder, and this output is a file; give -o a file name", path)
	case layout == FolderLayout && !fi.IsDir():
		return fmt.Errorf("%s is a file, and this output is a folder; give -o another name", path)
	case layout == FileLayout:
		return nil
	}
	if _, err := os.Lstat(filepath.Join(path, Marker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is a folder chatferry did not write (it has no %s file), so --force does not replace it; "+
			"remove it yourself or give -o another name", path, Marker)
	}
	return nil
}

// removeStale removes the temporary outputs that runs writing to path
// left behind when they were killed (SIGKILL, a power cut): those whose
// process no longer exists. It returns their names.
func removeStale(path string) []string {
	dir, base := filepath.Split(path)
	matches, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".chatferry-*-*-*"))
	var removed []string
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), "."+base+".chatferry-")
		parts := strings.Split(rest, "-")
		if len(parts) != 3 || (parts[0] != "tmp" && parts[0] != "old") {
			continue
		}
		if !importers.DeadOwner(parts[1]) {
			continue
		}
		if os.RemoveAll(m) == nil {
			removed = append(removed, m)
		}
	}
	return removed
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Stdout reports whether the target is standard output.
func (t *Target) Stdout() bool { return t.Path == "-" }

// tempName returns a fresh hidden name next to the destination. It holds
// the process id, so that a later run can tell a leftover of a killed run
// from the work of one still running.
func (t *Target) tempName(kind string) string {
	var b [6]byte
	rand.Read(b[:])
	dir, base := filepath.Split(t.Path)
	return filepath.Join(dir, "."+base+".chatferry-"+kind+"-"+strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(b[:]))
}

// CreateFile returns the writer for a FileLayout output: standard output
// for "-", otherwise a temporary file next to the destination.
func (t *Target) CreateFile() (io.Writer, error) {
	if t.Path == "-" {
		return t.wrap(t.stdout), nil
	}
	if t.tmp != "" {
		return nil, errors.New("exporters: CreateFile called twice")
	}
	name := t.tempName("tmp")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	t.tmp, t.file = name, f
	return t.wrap(f), nil
}

func (t *Target) wrap(w io.Writer) io.Writer {
	if t.Wrap != nil {
		return t.Wrap(w)
	}
	return w
}

// CreateDir returns a temporary folder next to the destination for a
// FolderLayout output.
func (t *Target) CreateDir() (string, error) {
	if t.Path == "-" {
		return "", errors.New("a folder output cannot go to standard output")
	}
	if t.tmp != "" {
		return "", errors.New("exporters: CreateDir called twice")
	}
	name := t.tempName("tmp")
	if err := os.Mkdir(name, 0o755); err != nil {
		return "", err
	}
	t.tmp = name
	return name, nil
}

// mark writes Marker into a finished folder output.
func (t *Target) mark() error {
	return os.WriteFile(filepath.Join(t.tmp, Marker), []byte(markerText), 0o644)
}

// Commit moves the finished output into place. An existing destination
// is replaced only with Force.
func (t *Target) Commit() error {
	if t.closed {
		return errors.New("exporters: target already committed or aborted")
	}
	t.closed = true
	if t.Path == "-" || t.layout == InPlaceLayout {
		return nil
	}
	if t.tmp == "" {
		return errors.New("exporters: nothing was written")
	}
	if t.file != nil {
		err := t.file.Sync()
		if cerr := t.file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(t.tmp)
			return err
		}
	} else if err := t.mark(); err != nil {
		t.removeTemp()
		return err
	}
	fi, err := os.Lstat(t.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return t.rename()
	case err != nil:
		t.removeTemp()
		return err
	case !t.Force:
		t.removeTemp()
		return &ExistsError{Path: t.Path}
	}
	if err := replaceable(t.Path, fi, t.layout); err != nil {
		t.removeTemp()
		return err
	}
	if !fi.IsDir() {
		return t.rename() // rename replaces a file atomically
	}
	old := t.tempName("old")
	if err := os.Rename(t.Path, old); err != nil {
		t.removeTemp()
		return err
	}
	if err := t.rename(); err != nil {
		os.Rename(old, t.Path)
		return err
	}
	return os.RemoveAll(old)
}

func (t *Target) rename() error {
	if err := os.Rename(t.tmp, t.Path); err != nil {
		t.removeTemp()
		return err
	}
	return nil
}

func (t *Target) removeTemp() {
	if t.tmp != "" {
		os.RemoveAll(t.tmp)
	}
}

// Abort discards whatever was written. It is safe to call more than once
// and after Commit (then it does nothing).
func (t *Target) Abort() {
	if t.closed {
		return
	}
	t.closed = true
	if t.file != nil {
		t.file.Close()
	}
	t.removeTemp()
}
