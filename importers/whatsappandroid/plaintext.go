package whatsappandroid

import (
	"errors"
	"io/fs"
	"os"
	"runtime"
)

// tempPattern names chatferry's temporary databases in os.TempDir.
const tempPattern = "chatferry-msgstore-*.db"

// plaintext is a private temporary copy of a database: a decrypted
// backup, or a database that is not a file on disk. It is created with
// mode 0600 in os.TempDir and removed on every path out of the reader.
// Where the system allows it, it is unlinked as soon as SQLite has it
// open, so that not even a crash leaves it behind.
type plaintext struct {
	f              *os.File
	path           string
	extra          []string // files SQLite makes beside it
	keepUntilClose bool     // SQLite opens companions by name later
}

func newPlaintext() (*plaintext, error) {
	f, err := os.CreateTemp("", tempPattern)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &plaintext{f: f, path: f.Name()}, nil
}

// finish closes the file for writing and returns its path.
func (p *plaintext) finish() (string, error) {
	err := p.f.Close()
	p.f = nil
	return p.path, err
}

// unlink removes the file's name while SQLite keeps it open. Windows does
// not allow that; there the file goes at Close.
func (p *plaintext) unlink() {
	if p == nil || p.keepUntilClose || runtime.GOOS == "windows" {
		return
	}
	if os.Remove(p.path) == nil {
		p.path = ""
	}
}

// remove deletes the file and its companions; it is safe to call twice
// and on nil.
func (p *plaintext) remove() error {
	if p == nil {
		return nil
	}
	if p.f != nil {
		p.f.Close()
		p.f = nil
	}
	var first error
	for _, name := range append([]string{p.path}, p.extra...) {
		if name == "" {
			continue
		}
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = err
		}
	}
	p.path, p.extra = "", nil
	return first
}
