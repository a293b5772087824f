package sqlite

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// maxEmbed is the largest file stored inside the database with
// --embed-media; SQLite binds a blob whole, so a larger file is kept in
// the media folder instead (and the report says so).
const maxEmbed = 256 << 20

// incomingPrefix names the file a copy is written to before its name is
// chosen.
const incomingPrefix = ".incoming-"

// mediaStore keeps the files of attachments: in a folder beside the
// database, or in its media table with --embed-media. New files are
// copied into a staging folder first and linked into place only when the
// run commits, so an interrupted run adds no files.
type mediaStore struct {
	embed   bool
	dbDir   string // the database's folder; attachment paths are relative to it
	dir     string // the media folder's name in dbDir, e.g. "archive-media"
	staging string // created on first use
	report  *exporters.Report

	findPath    *stmt // sha256 of the attachment stored under a path
	insertMedia *stmt
	h           hash.Hash
	buf         []byte
}

// stored is where store put a file: path relative to the database's folder
// (when a file), and its SHA-256 in hex.
type stored struct {
	path   string
	sha256 string
}

// store keeps the file of attachment a, found in media, whose files go to
// the chat's folder chatDir. It returns ok false, and reports it, when
// the input cannot give the file.
func (s *mediaStore) store(media fs.FS, chatDir string, a *model.Attachment) (st stored, ok bool, err error) {
	if a.Path == "" || media == nil {
		return stored{}, false, nil
	}
	f, err := exporters.OpenMedia(media, a.Path)
	if err != nil {
		s.missing(err)
		return stored{}, false, nil
	}
	defer f.Close()
	fi, serr := f.Stat()
	switch {
	case !s.embed:
		st, err = s.copyFile(f, a, chatDir)
	case serr == nil && fi.Size() <= maxEmbed:
		st, err = s.embedFile(f, a.Path)
	default:
		s.report.Notef("sqlite: %s is larger than %d MiB and was kept in %s instead of inside the database", a.Path, maxEmbed>>20, s.dir)
		st, err = s.copyFile(f, a, chatDir)
	}
	if errors.Is(err, exporters.ErrNoMedia) {
		s.missing(err)
		return stored{}, false, nil
	}
	return st, err == nil, err
}

// missing reports a file the input names but cannot give (a
// *exporters.MediaError).
func (s *mediaStore) missing(err error) {
	s.report.Drop(model.FeatureMediaFiles, 1)
	s.report.Notef("sqlite: %v; its attachment is kept without it", err)
}

func (s *mediaStore) embedFile(f io.Reader, name string) (stored, error) {
	data, err := io.ReadAll(io.LimitReader(f, maxEmbed+1))
	if err != nil {
		return stored{}, err
	}
	if len(data) > maxEmbed {
		return stored{}, fmt.Errorf("media %s: larger than %d MiB", name, maxEmbed>>20)
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	if _, _, err := s.insertMedia.exec(hexSum, int64(len(data)), data); err != nil {
		return stored{}, err
	}
	return stored{sha256: hexSum}, nil
}

// copyFile copies f into the staging folder, then gives it its name: the
// attachment's (made safe) in the chat's folder, with "-2", "-3" … added
// when another file has that name. A file with the same name and the same
// content, from an earlier run or this one, is shared instead of copied.
func (s *mediaStore) copyFile(f io.Reader, a *model.Attachment, chatDir string) (stored, error) {
	if err := s.ensureStaging(); err != nil {
		return stored{}, err
	}
	tmp, err := os.CreateTemp(s.staging, incomingPrefix+"*")
	if err != nil {
		return stored{}, err
	}
	if s.h == nil {
		s.h = sha256.New()
		s.buf = make([]byte, 256<<10)
	}
	s.h.Reset()
	_, err = io.CopyBuffer(io.MultiWriter(tmp, s.h), f, s.buf)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		if errors.Is(err, exporters.ErrNoMedia) {
			return stored{}, err
		}
		return stored{}, fmt.Errorf("media %s: %w", a.Path, err)
	}
	sum := hex.EncodeToString(s.h.Sum(nil))
	name := a.Name
	if name == "" {
		name = path.Base(a.Path)
	}
	name = exporters.SafeName(name)
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		cand := name
		if i > 1 {
			cand = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		rel := s.dir + "/" + chatDir + "/" + cand
		same, free, err := s.check(rel, sum)
		if err != nil {
			os.Remove(tmp.Name())
			return stored{}, err
		}
		if same {
			os.Remove(tmp.Name())
			return stored{path: rel, sha256: sum}, nil
		}
		if !free {
			continue
		}
		dst := filepath.Join(s.staging, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			os.Remove(tmp.Name())
			return stored{}, err
		}
		if err := os.Rename(tmp.Name(), dst); err != nil {
			os.Remove(tmp.Name())
			return stored{}, err
		}
		return stored{path: rel, sha256: sum}, nil
	}
}

// check reports whether the file the archive has at rel has content sum
// (same), or whether nothing has that name yet (free).
func (s *mediaStore) check(rel, sum string) (same, free bool, err error) {
	row, ok, err := s.findPath.row(rel)
	if err != nil {
		return false, false, err
	}
	if ok {
		have, _ := row[0].(string)
		return have == sum, false, nil
	}
	if _, err := os.Lstat(filepath.Join(s.staging, filepath.FromSlash(rel))); err == nil {
		return false, false, nil
	}
	final := filepath.Join(s.dbDir, filepath.FromSlash(rel))
	if _, err := os.Lstat(final); err == nil {
		// A file no attachment names, such as one an interrupted run
		// left: share it when it is the same file, never overwrite it.
		have, err := hashFile(final)
		return err == nil && have == sum, false, nil
	}
	return false, true, nil
}

func hashFile(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (s *mediaStore) ensureStaging() error {
	if s.staging != "" {
		return nil
	}
	var b [6]byte
	rand.Read(b[:])
	dir := filepath.Join(s.dbDir, "."+s.dir+".chatferry-tmp-"+hex.EncodeToString(b[:]))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	s.staging = dir
	return nil
}

// hold copies the file at name in media into the staging folder, for a
// message held while its chat is decided (the input may be closed by the
// time the message is written), and returns its path there: in a folder
// of its own, so that it keeps its base name. When media cannot give the
// file, the error is a *exporters.MediaError and nothing is kept.
func (s *mediaStore) hold(media fs.FS, name string) (string, error) {
	f, err := exporters.OpenMedia(media, name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := s.ensureStaging(); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(s.staging, incomingPrefix+"held-")
	if err != nil {
		return "", err
	}
	base := path.Base(name)
	if !fs.ValidPath(base) || base == "." {
		base = "file"
	}
	out, err := os.Create(filepath.Join(dir, base))
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, f)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, exporters.ErrNoMedia) {
			return "", err
		}
		return "", fmt.Errorf("media %s: %w", name, err)
	}
	return filepath.Base(dir) + "/" + base, nil
}

// heldFS is where held files are found.
func (s *mediaStore) heldFS() fs.FS { return os.DirFS(s.staging) }

// dropHeld removes a held file's folder.
func (s *mediaStore) dropHeld(name string) {
	if dir, _, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(dir, incomingPrefix) {
		os.RemoveAll(filepath.Join(s.staging, dir))
	}
}

// staged calls fn with the path, relative to the database's folder, of
// every file copied in this run.
func (s *mediaStore) staged(fn func(rel string) error) error {
	if s.staging == "" {
		return nil
	}
	return filepath.WalkDir(s.staging, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), incomingPrefix) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(s.staging, p)
		if err != nil {
			return err
		}
		return fn(rel)
	})
}

// publish links every staged file into the media folder. It runs just
// before the database commits; unpublish undoes it if the commit fails.
func (s *mediaStore) publish() error {
	return s.staged(func(rel string) error {
		src := filepath.Join(s.staging, rel)
		dst := filepath.Join(s.dbDir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		err := os.Link(src, dst)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			// A file system without hard links: move the file instead
			// (unpublish then cannot take it back).
			err = os.Rename(src, dst)
		}
		if err != nil {
			return fmt.Errorf("media %s: %w", dst, err)
		}
		return nil
	})
}

// unpublish removes the files publish linked into place.
func (s *mediaStore) unpublish() {
	s.staged(func(rel string) error {
		os.Remove(filepath.Join(s.dbDir, rel))
		return nil
	})
}

// cleanup removes the staging folder.
func (s *mediaStore) cleanup() {
	if s.staging != "" {
		os.RemoveAll(s.staging)
		s.staging = ""
	}
}
