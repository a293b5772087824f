package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// SourceKind says what the user pointed chatferry at.
type SourceKind int

// The source kinds.
const (
	File   SourceKind = iota + 1 // a single file; its folder is the media root
	Folder                       // an unpacked export or a backup folder
	Zip                          // a zip archive, read in place
)

func (k SourceKind) String() string {
	switch k {
	case File:
		return "file"
	case Folder:
		return "folder"
	case Zip:
		return "zip"
	}
	return "unknown"
}

// Limits bounds what an input may make chatferry read.
type Limits struct {
	// MaxEntries bounds the files of a zip or folder.
	MaxEntries int
	// MaxUnpacked bounds the total uncompressed size of a zip's entries,
	// and the size of standard input.
	MaxUnpacked int64
}

// DefaultLimits fit the largest real exports (tens of thousands of media
// files, a few GiB of media) with a wide margin, and stop zip bombs.
var DefaultLimits = Limits{MaxEntries: 200_000, MaxUnpacked: 64 << 30}

// HeadSize is how much of a file a Probe shows a detector.
const HeadSize = 1024

// Source is an input: a file, a folder or a zip, seen as an fs.FS. Files
// are opened read-only. For a zip, entry names are untrusted: names that
// are not local paths (absolute, with "..", with empty elements) and
// macOS resource forks (__MACOSX/) are left out and listed in Skipped.
type Source struct {
	// Path is the input as the user named it.
	Path string
	// Kind is what Path is.
	Kind SourceKind
	// Name is, for a File source, the file's name in FS; "" otherwise.
	Name string
	// FS holds the input's files. For a File source it is the folder
	// that holds the file, so media next to a transcript can be found.
	FS fs.FS
	// Skipped lists zip entries left out, with the reason.
	Skipped []string

	limits  Limits
	file    string // a File source's path on disk (standard input's private copy)
	read    atomic.Int64
	files   []string
	listed  bool
	closers []func() error
	size    int64
}

// OpenSource opens the input at path; "-" reads standard input, and a
// named pipe (the shell's <(…)) is read too, each into a private
// temporary file, so that formats can read it more than once.
func OpenSource(path string, lim Limits) (*Source, error) {
	if lim.MaxEntries <= 0 {
		lim.MaxEntries = DefaultLimits.MaxEntries
	}
	if lim.MaxUnpacked <= 0 {
		lim.MaxUnpacked = DefaultLimits.MaxUnpacked
	}
	s := &Source{Path: path, limits: lim}
	if path == "-" {
		return s, s.spool(os.Stdin, "stdin", "standard input")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0 {
		// A pipe such as the shell's <(…): read once, like standard input.
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return s, s.spool(f, "pipe", path)
	}
	if fi.IsDir() {
		root, err := os.OpenRoot(path)
		if err != nil {
			return nil, err
		}
		s.Kind, s.FS = Folder, root.FS()
		s.closers = append(s.closers, root.Close)
		return s, nil
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file or folder", path)
	}
	if err := s.openFile(path, fi.Size()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Source) openFile(p string, size int64) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if n == 4 && string(magic[:]) == "PK\x03\x04" {
		s.closers = append(s.closers, f.Close)
		return s.openZip(f, size)
	}
	f.Close()
	root, err := os.OpenRoot(filepath.Dir(p))
	if err != nil {
		return err
	}
	s.closers = append(s.closers, root.Close)
	s.Kind, s.FS, s.Name, s.size, s.file = File, root.FS(), filepath.Base(p), size, p
	return nil
}

// spool copies r, which can be read only once (standard input, a pipe),
// into a file of that name in a private temporary folder of its own (see
// TempDir), and opens it as a File source, so that formats can read it
// more than once. The folder is the source's FS, so a transcript's
// attachment names find nothing else on the machine, and a random name
// never becomes a chat title. what names r in errors.
func (s *Source) spool(r io.Reader, name, what string) error {
	dir, err := TempDir(name)
	if err != nil {
		return err
	}
	s.closers = append(s.closers, func() error { return os.RemoveAll(dir) })
	name = filepath.Join(dir, name)
	tmp, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		s.Close()
		return err
	}
	n, err := io.Copy(tmp, io.LimitReader(r, s.limits.MaxUnpacked+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.Close()
		return fmt.Errorf("reading %s: %w", what, err)
	}
	if n > s.limits.MaxUnpacked {
		s.Close()
		return fmt.Errorf("%s is larger than %s: %w", what, FormatSize(s.limits.MaxUnpacked), ErrLimit)
	}
	if err := s.openFile(name, n); err != nil {
		s.Close()
		return err
	}
	return nil
}

func (s *Source) openZip(f io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(f, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("%s: %w zip archive: %w", s.Path, ErrDamaged, err)
	}
	if len(zr.File) > s.limits.MaxEntries {
		return fmt.Errorf("%s: zip has %d entries, more than the limit of %d: %w",
			s.Path, len(zr.File), s.limits.MaxEntries, ErrLimit)
	}
	z := &zipFS{zr: zr, files: make(map[string]*zip.File, len(zr.File)), count: &s.read}
	var total uint64
	for _, zf := range zr.File {
		name := strings.ReplaceAll(zf.Name, `\`, "/")
		if strings.HasSuffix(name, "/") {
			continue
		}
		switch {
		case strings.HasPrefix(name, "__MACOSX/"):
			s.Skipped = append(s.Skipped, fmt.Sprintf("%q: macOS resource fork", zf.Name))
			continue
		case !fs.ValidPath(name) || name != path.Clean(name):
			s.Skipped = append(s.Skipped, fmt.Sprintf("%q: unsafe entry name", zf.Name))
			continue
		case z.files[name] != nil:
			s.Skipped = append(s.Skipped, fmt.Sprintf("%q: duplicate entry name", zf.Name))
			continue
		}
		if zf.Flags&zipEncrypted != 0 {
			return fmt.Errorf("%s: the zip is %w with a password (entry %q), which chatferry does not read; "+
				"unzip it with the password and give chatferry the folder", s.Path, ErrEncrypted, zf.Name)
		}
		total += zf.UncompressedSize64
		if total > uint64(s.limits.MaxUnpacked) {
			return fmt.Errorf("%s: zip unpacks to more than the limit of %s: %w",
				s.Path, FormatSize(s.limits.MaxUnpacked), ErrLimit)
		}
		z.files[name] = zf
		z.names = append(z.names, name)
	}
	sort.Strings(z.names)
	s.Kind, s.FS, s.files, s.listed, s.size = Zip, z, z.names, true, int64(total)
	return nil
}

// OpenBytes makes a Source of data held in memory, as if it were a file
// called name (or a zip, when data is one). Fuzz tests use it; so can
// programs that receive an export in memory.
func OpenBytes(name string, data []byte, lim Limits) (*Source, error) {
	if lim.MaxEntries <= 0 {
		lim.MaxEntries = DefaultLimits.MaxEntries
	}
	if lim.MaxUnpacked <= 0 {
		lim.MaxUnpacked = DefaultLimits.MaxUnpacked
	}
	s := &Source{Path: name, limits: lim}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return s, s.openZip(bytes.NewReader(data), int64(len(data)))
	}
	base := path.Base(name)
	s.Kind, s.Name, s.size = File, base, int64(len(data))
	s.FS = memFS{name: base, data: data}
	return s, nil
}

// memFS is a file system holding one file.
type memFS struct {
	name string
	data []byte
}

func (m memFS) Open(name string) (fs.File, error) {
	if name != m.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(m.data), name: m.name}, nil
}

type memFile struct {
	*bytes.Reader
	name string
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.Size()}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// Open opens a file of the source for reading, counting the bytes read.
func (s *Source) Open(name string) (fs.File, error) {
	f, err := s.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if s.Kind == Zip {
		return f, nil // zipFS counts already
	}
	return &countingFile{File: f, n: &s.read}, nil
}

// Files lists the regular files of the source, sorted: a zip's entries, a
// folder's files (recursively), or the single file. A folder with more
// files than Limits.MaxEntries is an error.
func (s *Source) Files() ([]string, error) {
	if s.listed {
		return s.files, nil
	}
	switch s.Kind {
	case File:
		s.files = []string{s.Name}
	case Folder:
		var files []string
		var total int64
		err := fs.WalkDir(s.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if len(files) == s.limits.MaxEntries {
				return fmt.Errorf("%s: folder holds more than %d files: %w", s.Path, s.limits.MaxEntries, ErrLimit)
			}
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
			files = append(files, p)
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		s.files, s.size = files, total
	}
	s.listed = true
	return s.files, nil
}

// Size returns the number of bytes the source holds: the file's size, the
// zip's uncompressed size, or the sum over a folder's files.
func (s *Source) Size() int64 {
	if s.Kind == Folder {
		s.Files()
	}
	return s.size
}

// BytesRead returns how many bytes have been read through Open so far.
func (s *Source) BytesRead() int64 { return s.read.Load() }

// Close releases the source and removes any temporary copy.
func (s *Source) Close() error {
	var first error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	s.closers = nil
	return first
}

// Probe is what a detector may look at: cheap to build, bounded in size.
type Probe struct {
	// Name is the input's base name ("WhatsApp Chat with Ann.zip").
	Name string
	// Kind is the kind of source.
	Kind SourceKind
	// Head is the first HeadSize bytes of a File source; nil otherwise.
	Head []byte
	// Entries lists up to 1000 files of a zip or folder, sorted; for a
	// folder the shallowest ones (see Source.Probe).
	Entries []string

	src   *Source
	heads map[string][]byte
	memo  map[string]any
}

// Probe returns the source's probe.
func (s *Source) Probe() (*Probe, error) {
	p := &Probe{Name: filepath.Base(s.Path), Kind: s.Kind, src: s}
	if s.Path == "-" {
		p.Name = "stdin"
	}
	if s.Kind == File {
		p.Entries = []string{s.Name}
		p.Head = p.HeadOf(s.Name)
		return p, nil
	}
	if s.Kind == Zip {
		p.Entries = s.files[:min(len(s.files), probeEntries)]
		return p, nil
	}
	p.Entries = s.probeFolder()
	return p, nil
}

// probeEntries bounds Probe.Entries.
const probeEntries = 1000

// probeFolder lists up to probeEntries files of a folder, shallowest
// first (all of the top level, then the next level, …, three levels at
// most), so that a marker file at the top of a huge folder — a phone
// backup's Manifest.db among 200,000 hashed files — is always seen.
func (s *Source) probeFolder() []string {
	var files []string
	level := []string{"."}
	for depth := 0; depth < 3 && len(level) > 0 && len(files) < probeEntries; depth++ {
		var next []string
		for _, dir := range level {
			entries, err := fs.ReadDir(s.FS, dir)
			if err != nil {
				continue
			}
			for _, e := range entries {
				name := path.Join(dir, e.Name())
				switch {
				case e.IsDir():
					next = append(next, name)
				case e.Type().IsRegular() && len(files) < probeEntries:
					files = append(files, name)
				}
			}
			if len(files) >= probeEntries {
				break
			}
		}
		level = next
	}
	sort.Strings(files)
	return files
}

// HeadOf returns the first HeadSize bytes of the named file of the
// source, or nil if it cannot be read.
func (p *Probe) HeadOf(name string) []byte {
	if h, ok := p.heads[name]; ok {
		return h
	}
	var head []byte
	if f, err := p.src.FS.Open(name); err == nil {
		buf := make([]byte, HeadSize)
		n, _ := io.ReadFull(f, buf)
		f.Close()
		head = buf[:n]
	}
	if p.heads == nil {
		p.heads = map[string][]byte{}
	}
	p.heads[name] = head
	return head
}

// LocalFile returns where a File source is on disk, for a format that
// must hand the file to a library that opens it itself (an SQLite
// database read by its tables); ok is false for a zip or folder.
func (p *Probe) LocalFile() (path string, ok bool) {
	if p.src == nil || p.src.Kind != File || p.src.file == "" {
		return "", false
	}
	return p.src.file, true
}

// Memo returns what compute returned for key the first time any format
// asked during this probe, so that work several formats' Detect need (a
// database's tables) is done once.
func (p *Probe) Memo(key string, compute func() any) any {
	if v, ok := p.memo[key]; ok {
		return v
	}
	v := compute()
	if p.memo == nil {
		p.memo = map[string]any{}
	}
	p.memo[key] = v
	return v
}

// HasPrefix reports whether the named file's head starts with prefix.
func (p *Probe) HasPrefix(name string, prefix []byte) bool {
	return bytes.HasPrefix(p.HeadOf(name), prefix)
}

// FormatSize formats n bytes for people ("1.5 GiB").
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

type countingFile struct {
	fs.File
	n *atomic.Int64
}

func (f *countingFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	f.n.Add(int64(n))
	return n, err
}

// Seek lets readers of a folder or plain file seek when the file can.
func (f *countingFile) Seek(off int64, whence int) (int64, error) {
	if s, ok := f.File.(io.Seeker); ok {
		return s.Seek(off, whence)
	}
	return 0, errors.New("seek not supported")
}

// ReadAt lets readers of a folder or plain file read at offsets.
func (f *countingFile) ReadAt(b []byte, off int64) (int, error) {
	if r, ok := f.File.(io.ReaderAt); ok {
		n, err := r.ReadAt(b, off)
		f.n.Add(int64(n))
		return n, err
	}
	return 0, errors.New("ReadAt not supported")
}

// zipEncrypted is the general-purpose flag of a zip entry whose data is
// encrypted.
const zipEncrypted = 0x1

// zipFS serves the safe entries of a zip, decompressing as they are read.
type zipFS struct {
	zr    *zip.Reader
	files map[string]*zip.File
	names []string
	count *atomic.Int64
}

func (z *zipFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if zf := z.files[name]; zf != nil {
		rc, err := zf.Open()
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &zipFile{rc: rc, zf: zf, n: z.count}, nil
	}
	// Directories: only those that hold a safe entry.
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	i := sort.SearchStrings(z.names, prefix)
	if i < len(z.names) && strings.HasPrefix(z.names[i], prefix) {
		return &zipDir{z: z, name: name, prefix: prefix}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type zipFile struct {
	rc io.ReadCloser
	zf *zip.File
	n  *atomic.Int64
}

func (f *zipFile) Stat() (fs.FileInfo, error) { return f.zf.FileInfo(), nil }
func (f *zipFile) Close() error               { return f.rc.Close() }

// Read reads the entry, decompressing it. An entry whose data does not
// decompress or whose checksum fails is reported as damaged, naming it.
func (f *zipFile) Read(b []byte) (int, error) {
	n, err := f.rc.Read(b)
	f.n.Add(int64(n))
	if err != nil && err != io.EOF {
		err = &fs.PathError{Op: "read", Path: f.zf.Name, Err: fmt.Errorf("%w zip entry: %w", ErrDamaged, err)}
	}
	return n, err
}

type zipDir struct {
	z       *zipFS
	name    string
	prefix  string
	entries []fs.DirEntry
	listed  bool
}

func (d *zipDir) Stat() (fs.FileInfo, error) { return dirInfo(path.Base(d.name)), nil }
func (d *zipDir) Close() error               { return nil }
func (d *zipDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}

func (d *zipDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.listed {
		d.listed = true
		seen := map[string]bool{}
		for _, name := range d.z.names {
			if !strings.HasPrefix(name, d.prefix) {
				continue
			}
			rest := name[len(d.prefix):]
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				if dir := rest[:i]; !seen[dir] {
					seen[dir] = true
					d.entries = append(d.entries, fs.FileInfoToDirEntry(dirInfo(dir)))
				}
				continue
			}
			d.entries = append(d.entries, fs.FileInfoToDirEntry(d.z.files[name].FileInfo()))
		}
	}
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(d.entries))
	out := d.entries[:k]
	d.entries = d.entries[k:]
	return out, nil
}

type dirInfo string

func (d dirInfo) Name() string           { return string(d) }
func (d dirInfo) Size() int64            { return 0 }
func (d dirInfo) Mode() fs.FileMode      { return fs.ModeDir | 0o555 }
func (d dirInfo) ModTime() (t time.Time) { return t }
func (d dirInfo) IsDir() bool            { return true }
func (d dirInfo) Sys() any               { return nil }

// Display returns how to name the file name of the source in a message to
// the user: the path the user gave for a File source, that path joined
// with name for a zip or folder.
func (s *Source) Display(name string) string {
	if s.Kind == File {
		if s.Path == "-" {
			return "stdin"
		}
		return s.Path
	}
	return filepath.Join(s.Path, filepath.FromSlash(name))
}
