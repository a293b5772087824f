package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

// SnapshotPrefix starts the name of every snapshot folder.
const SnapshotPrefix = "signal-backup-"

var snapshotName = regexp.MustCompile(`^signal-backup-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$`)

// SnapshotName names a snapshot made at t (in UTC).
func SnapshotName(t time.Time) string {
	return SnapshotPrefix + t.UTC().Format("2006-01-02-15-04-05")
}

// IsSnapshotName reports whether name is a complete snapshot's folder name.
func IsSnapshotName(name string) bool { return snapshotName.MatchString(name) }

// Snapshots returns the names of the complete snapshots in a SignalBackups
// folder (those with main and metadata), oldest first.
func Snapshots(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || !IsSnapshotName(e.Name()) {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if isFile(filepath.Join(dir, "main")) && isFile(filepath.Join(dir, "metadata")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// FindRoot finds the SignalBackups folder from what a user names: the
// folder itself, the folder that holds it, or one snapshot inside it. It
// returns the root and the newest snapshot's name (or the one named).
func FindRoot(dir string) (root, snapshot string, err error) {
	if IsSnapshotName(filepath.Base(dir)) && isFile(filepath.Join(dir, "main")) {
		return filepath.Dir(dir), filepath.Base(dir), nil
	}
	for _, cand := range []string{dir, filepath.Join(dir, "SignalBackups")} {
		snaps, err := Snapshots(cand)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", "", err
		}
		if len(snaps) > 0 {
			return cand, snaps[len(snaps)-1], nil
		}
	}
	return "", "", fmt.Errorf("%s holds no Signal backup (no %s… folder with main and metadata)", dir, SnapshotPrefix)
}

// Snapshot is an existing snapshot opened with its recovery key.
type Snapshot struct {
	Root string // the SignalBackups folder
	Dir  string // the snapshot folder
	Keys *Keys
}

// OpenSnapshot reads the metadata of the snapshot dir (inside root) and
// checks the recovery key against its main file. A wrong key gives an
// error matching ErrAuth.
func OpenSnapshot(root, name, recoveryKey string) (*Snapshot, error) {
	dir := filepath.Join(root, name)
	meta, err := os.ReadFile(filepath.Join(dir, "metadata"))
	if err != nil {
		return nil, err
	}
	bk := DeriveBackupKey(recoveryKey)
	id, err := DecodeMetadata(meta, bk)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	s := &Snapshot{Root: root, Dir: dir, Keys: NewKeys(bk, id)}
	f, err := os.Open(filepath.Join(dir, "main"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkMAC(f, fi.Size(), s.Keys.HMACKey[:]); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "main"), err)
	}
	return s, nil
}

// Frames opens the snapshot's main file for one pass over its frames. The
// returned close function releases the file.
func (s *Snapshot) Frames() (*FrameReader, func() error, error) {
	f, err := os.Open(filepath.Join(s.Dir, "main"))
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	fr, err := OpenMain(f, fi.Size(), s.Keys)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(s.Dir, "main"), err)
	}
	return fr, f.Close, nil
}
