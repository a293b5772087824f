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

// ErrNoMedia is returned by Copy for an attachment whose file the input
// does not hold (omitted, missing, or no media root).
var ErrNoMedia = errors.New("the input does not hold this file")

// Copy copies the file of attachment a of chat c into the media folder and
// returns its path relative to Root, with forward slashes. A second call
// for the same file returns the same path without copying again.
func (d *MediaDir) Copy(c *model.Chat, a *model.Attachment) (string, error) {
	if a.Path == "" || c.Media == nil {
		return "", ErrNoMedia
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

func copyFile(fsys fs.FS, name, dst string) error {
	in, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("media %s: %w", name, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("media %s: %w", name, err)
	}
	return out.Close()
}
