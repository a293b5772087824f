package importers

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// tempPrefix starts the names of chatferry's private temporary folders.
const tempPrefix = "chatferry-"

// TempDir creates a private folder (mode 0700) in os.TempDir for an
// input's working copies: standard input, a decrypted backup, a database
// with its write-ahead log. The caller removes it when done. Its name,
// chatferry-KIND-PID-RANDOM, lets a later run remove it when this process
// was killed before it could: such copies hold someone's chats, and must
// not outlive a crash for long. kind is a word without dashes.
func TempDir(kind string) (string, error) {
	RemoveStaleTemp()
	return os.MkdirTemp("", fmt.Sprintf("%s%s-%d-*", tempPrefix, kind, os.Getpid()))
}

// RemoveStaleTemp removes, once per process, the folders TempDir made for
// chatferry processes that were killed before they could remove them, and
// returns their names. TempDir calls it; the CLI calls it before it reads
// an input, so that such copies go with the next run of any kind.
func RemoveStaleTemp() []string {
	staleOnce.Do(func() { staleRemoved = removeStaleTemp(os.TempDir()) })
	return staleRemoved
}

var (
	staleOnce    sync.Once
	staleRemoved []string
)

// removeStaleTemp removes from dir the temporary folders of chatferry
// processes that no longer run, and returns their names. A folder whose
// process cannot be told dead is kept.
func removeStaleTemp(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		parts := strings.Split(strings.TrimPrefix(e.Name(), tempPrefix), "-")
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPrefix) || len(parts) != 3 {
			continue
		}
		if !DeadOwner(parts[1]) {
			continue
		}
		if os.RemoveAll(filepath.Join(dir, e.Name())) == nil {
			removed = append(removed, e.Name())
		}
	}
	return removed
}

// DeadOwner reports whether pid, a process id as written in the name of a
// temporary file or folder, names another process that no longer runs, so
// that what it left behind can go. Anything else (this process, a running
// one, one that cannot be told dead, a malformed id) keeps it.
func DeadOwner(pid string) bool {
	n, err := strconv.Atoi(pid)
	return err == nil && n > 0 && n != os.Getpid() && !processAlive(n)
}
