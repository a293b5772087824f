package exporters

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chatferry/chatferry/model"
)

// maxNameBytes keeps generated names below every common file system's limit.
const maxNameBytes = 180

// SafeName turns an untrusted file name (from a zip entry, a JSON field,
// a message) into a single path element that is safe to create in an
// output folder: the last element only, no separators, control or
// reserved characters, no leading dot, not empty, and at most 180 bytes
// with its extension kept.
func SafeName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`/\:*?"<>|`, r),
			unicode.Is(unicode.Bidi_Control, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	name = strings.TrimRight(name, ". ")
	if name == "" {
		name = "file"
	}
	if len(name) > maxNameBytes {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:maxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	return name
}

// MediaDir copies attachment files into a folder of an output, each file
// once, under safe names that do not collide.
type MediaDir struct {
	// Root is the output folder (while writing, the Target's temporary
	// folder); Sub the folder inside it for media, e.g. "media".
	Root, Sub string

	taken  map[string]bool
	copied map[mediaKey]string
}

type mediaKey struct {
	chat *model.Chat
	path string
}

// ErrNoMedia is what every *MediaError is: the input cannot give an
// attachment's file. Exporters write such an attachment as absent and
// report it; only errors of their own output end a conversion.
var ErrNoMedia = errors.New("the input does not hold this file")

// MediaError says why the input cannot give the media file at Path: it
// does not hold it, the path is not a plain path inside the input, it is
// a folder, or reading it failed. It matches ErrNoMedia and Err.
type MediaError struct {
	Path string
	Err  error
}

func (e *MediaError) Error() string {
	var why string
	var pe *fs.PathError
	switch {
	case errors.Is(e.Err, fs.ErrNotExist):
		why = "the input does not hold it"
	case errors.Is(e.Err, fs.ErrInvalid):
		why = "its path is not a plain path inside the input"
	case errors.As(e.Err, &pe):
		why = pe.Err.Error()
	default:
		why = e.Err.Error()
	}
	return fmt.Sprintf("the media file %q cannot be read from the input: %s", e.Path, why)
}

func (e *MediaError) Unwrap() []error { return []error{ErrNoMedia, e.Err} }

var errFolder = errors.New("it is a folder")

// OpenMedia opens the media file at name in an input's files (a chat's
// Media). Every failure on the input's side, when opening or later when
// reading, is a *MediaError; name is untrusted, and fsys keeps it inside
// the input.
func OpenMedia(fsys fs.FS, name string) (fs.File, error) {
	switch {
	case fsys == nil || name == "":
		return nil, &MediaError{Path: name, Err: fs.ErrNotExist}
	case !fs.ValidPath(name):
		return nil, &MediaError{Path: name, Err: fs.ErrInvalid}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &MediaError{Path: name, Err: err}
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, &MediaError{Path: name, Err: errFolder}
	}
	return mediaFile{f, name}, nil
}

// mediaFile marks the read errors of a media file as the input's.
type mediaFile struct {
	fs.File
	name string
}

func (m mediaFile) Read(p []byte) (int, error) {
	n, err := m.File.Read(p)
	if err != nil && err != io.EOF {
		err = &MediaError{Path: m.name, Err: err}
	}
	return n, err
}

// Copy copies the file of attachment a of chat c into the media folder and
// returns its path relative to Root, with forward slashes. A second call
// for the same file returns the same path without copying again. When the
// input cannot give the file, the error is a *MediaError and nothing is
// left in the folder.
func (d *MediaDir) Copy(c *model.Chat, a *model.Attachment) (string, error) {
	if a.Path == "" || c.Media == nil {
		return "", &MediaError{Path: a.Path, Err: fs.ErrNotExist}
	}
	key := mediaKey{c, a.Path}
	if rel, ok := d.copied[key]; ok {
		return rel, nil
	}
	if d.taken == nil {
		d.taken, d.copied = map[string]bool{}, map[mediaKey]string{}
	}
	name := a.Name
	if name == "" {
		name = a.Path
	}
	rel := d.unique(SafeName(name))
	if err := os.MkdirAll(filepath.Join(d.Root, filepath.FromSlash(d.Sub)), 0o755); err != nil {
		return "", err
	}
	if err := copyFile(c.Media, a.Path, filepath.Join(d.Root, filepath.FromSlash(rel))); err != nil {
		delete(d.taken, strings.ToLower(rel))
		return "", err
	}
	d.copied[key] = rel
	return rel, nil
}

// unique returns Sub/name, or Sub/stem-2.ext and so on when taken. Names
// are compared without case, for case-insensitive file systems.
func (d *MediaDir) unique(name string) string {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		cand := name
		if i > 1 {
			cand = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		rel := path.Join(d.Sub, cand)
		if !d.taken[strings.ToLower(rel)] {
			d.taken[strings.ToLower(rel)] = true
			return rel
		}
	}
}

// copyFile copies the media file at name in fsys to dst; on failure it
// leaves no dst behind.
func copyFile(fsys fs.FS, name, dst string) error {
	in, err := OpenMedia(fsys, name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		if errors.Is(err, ErrNoMedia) {
			return err
		}
		return fmt.Errorf("media %s: %w", name, err)
	}
	return nil
}
