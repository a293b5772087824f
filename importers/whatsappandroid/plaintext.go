package whatsappandroid

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/chatferry/chatferry/importers"
)

// plaintext is a private temporary copy of a database: a decrypted
// backup, a database that is not a file on disk, or one that comes with
// its write-ahead log. It is created with mode 0600 in a private folder of
// its own (importers.TempDir), which is removed on every path out of the
// reader. Where the system allows it, the folder goes as soon as SQLite
// has the file open, so that not even a crash leaves it behind; a crash
// before that leaves it for the next run to remove.
type plaintext struct {
	f              *os.File
	dir            string
	path           string
	keepUntilClose bool // SQLite opens companions by name later
}

func newPlaintext() (*plaintext, error) {
	dir, err := importers.TempDir("msgstore")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "msgstore.db")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &plaintext{f: f, dir: dir, path: path}, nil
}

// finish closes the file for writing and returns its path.
func (p *plaintext) finish() (string, error) {
	err := p.f.Close()
	p.f = nil
	return p.path, err
}

// unlink removes the file's folder while SQLite keeps the file open.
// Windows does not allow that; there the folder goes at Close.
func (p *plaintext) unlink() {
	if p == nil || p.keepUntilClose || runtime.GOOS == "windows" {
		return
	}
	if os.RemoveAll(p.dir) == nil {
		p.dir, p.path = "", ""
	}
}

// remove deletes the file and everything beside it; it is safe to call
// twice and on nil.
func (p *plaintext) remove() error {
	if p == nil {
		return nil
	}
	if p.f != nil {
		p.f.Close()
		p.f = nil
	}
	var err error
	if p.dir != "" {
		err = os.RemoveAll(p.dir)
	}
	p.dir, p.path = "", ""
	return err
}
