package whatsappios

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatferry/chatferry/importers"
)

// onDisk reports whether name of src is a file on disk, which SQLite can
// read itself: not inside a zip, not standard input, not a source in
// memory.
func onDisk(src *importers.Source, name string) bool {
	if src.Kind == importers.Zip || src.Path == "-" {
		return false
	}
	disk, err := os.Stat(diskPath(src, name))
	if err != nil {
		return false
	}
	seen, err := fs.Stat(src.FS, name)
	return err == nil && os.SameFile(disk, seen)
}

// diskPath is where name of an on-disk source is.
func diskPath(src *importers.Source, name string) string {
	base := src.Path
	if src.Kind == importers.File {
		base = filepath.Dir(src.Path)
	}
	return filepath.Join(base, filepath.FromSlash(name))
}

// openInput opens name in src the way its database will be read: from
// disk where SQLite reads it in place, else through the source.
func openInput(src *importers.Source, name string) (io.ReadCloser, error) {
	if onDisk(src, name) {
		return os.Open(diskPath(src, name))
	}
	return src.FS.Open(name)
}

// localFile returns a path SQLite can open for name in src: the file
// itself when it is on disk, else a private copy (from a zip or standard
// input).
func localFile(src *importers.Source, name string, loc *located) (string, error) {
	if onDisk(src, name) {
		return diskPath(src, name), nil
	}
	return copyOut(src.FS, name, loc)
}

// copyOut copies name from fsys into the private temporary folder.
func copyOut(fsys fs.FS, name string, loc *located) (string, error) {
	dir, err := tempDir(loc)
	if err != nil {
		return "", err
	}
	in, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer in.Close()
	dst := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("copying %s: %w", name, err)
	}
	return dst, nil
}

func tempDir(loc *located) (string, error) {
	if loc.tmp != "" {
		return loc.tmp, nil
	}
	dir, err := importers.TempDir("ios")
	if err != nil {
		return "", err
	}
	loc.tmp = dir
	loc.cleanup = append(loc.cleanup, func() error { return os.RemoveAll(dir) })
	return dir, nil
}

// withWAL copies the database and its write-ahead log into the private
// folder when the log holds data, so that SQLite merges it into the copy
// and not into the user's files. It returns the copy's path, or "" when
// there is no log to merge.
func withWAL(src *importers.Source, db, wal string, loc *located) (string, error) {
	fi, err := fs.Stat(src.FS, wal)
	if err != nil || fi.Size() == 0 {
		return "", nil
	}
	dbCopy, err := copyOut(src.FS, db, loc)
	if err != nil {
		return "", err
	}
	walCopy, err := copyOut(src.FS, wal, loc)
	if err != nil {
		return "", err
	}
	if err := os.Rename(walCopy, dbCopy+"-wal"); err != nil {
		return "", err
	}
	return dbCopy, nil
}

// rootFS serves the files under a folder, opening the folder as an
// os.Root for each use, so that no name or link leads outside it and
// nothing stays open after the import: exporters may read media after
// the reader is closed.
type rootFS string

func (d rootFS) Open(name string) (fs.File, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Open(name)
}

func (d rootFS) Stat(name string) (fs.FileInfo, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Stat(name)
}

// readSmall reads a file of at most maxPlist bytes.
func readSmall(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPlist+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPlist {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxPlist)
	}
	return b, nil
}
