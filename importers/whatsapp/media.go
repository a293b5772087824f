package whatsapp

import (
	"bufio"
	"bytes"
	"image"
	_ "image/gif" // DecodeConfig of attached GIFs
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/chatferry/chatferry/model"
)

// maxVCard bounds the contact card kept in Contact.VCard; larger cards
// (with photos) are read only for their name and numbers.
const maxVCard = 64 << 10

// media resolves the files a transcript names, relative to its folder.
type media struct {
	fsys  fs.FS
	dir   string            // the transcript's folder in fsys, "." for the top
	names map[string]string // the folder's files, listed on first use: name → name
	big   bool              // the folder holds too many files to list
}

// maxListed bounds the folder listing kept to look attachments up.
const maxListed = 100_000

// list reads the transcript's folder once instead of asking the file
// system for every attachment. Each file is listed under its own name
// and, when that differs, under its name in Unicode's composed form
// (NFC): a transcript writes "Café.pdf" composed, but a zip made on a
// Mac, or a folder unpacked there, may hold the same name decomposed,
// and the two must be the same file.
func (m *media) list() {
	if m.names != nil || m.big {
		return
	}
	m.names = map[string]string{}
	entries, err := fs.ReadDir(m.fsys, m.dir)
	if err != nil || len(entries) > maxListed {
		m.big, m.names = true, nil
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		m.names[e.Name()] = e.Name()
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || norm.NFC.IsNormalString(n) {
			continue
		}
		if k := norm.NFC.String(n); m.names[k] == "" {
			m.names[k] = n // an exact name always wins
		}
	}
}

// path returns where the file the transcript calls name lives in fsys,
// or "" when the export holds no such file or name is not a plain file
// name (attachment names come from the transcript: untrusted).
func (m *media) path(name string) string {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." || !fs.ValidPath(name) {
		return ""
	}
	m.list()
	if !m.big {
		n, ok := m.names[name]
		if !ok {
			n, ok = m.names[norm.NFC.String(name)]
		}
		if !ok {
			return ""
		}
		return m.join(n)
	}
	// Too many files to list: ask for the name as written, then in the
	// composed and decomposed forms.
	for _, n := range []string{name, norm.NFC.String(name), norm.NFD.String(name)} {
		if info, err := fs.Stat(m.fsys, m.join(n)); err == nil && info.Mode().IsRegular() {
			return m.join(n)
		}
	}
	return ""
}

// join returns the path of the file called name in the transcript's folder.
func (m *media) join(name string) string {
	if m.dir == "." {
		return name // fs.ValidPath and no slash: a clean name of its own
	}
	return m.dir + "/" + name
}

// exists reports whether the export holds a file called name.
func (m *media) exists(name string) bool {
	return m.path(name) != ""
}

// attachment describes the named file: its size, its MIME type and kind
// sniffed from the content, the size of an image, and for a contact card
// the contacts it holds. A file the export lacks is marked Missing.
func (m *media) attachment(name string) (model.Attachment, []model.Contact) {
	a := model.Attachment{Name: name}
	p := m.path(name)
	var info fs.FileInfo
	var err error = fs.ErrNotExist
	if p != "" {
		info, err = fs.Stat(m.fsys, p)
	}
	if p == "" || err != nil || !info.Mode().IsRegular() {
		a.Missing = true
		a.Kind = mediaKindOf(name, "")
		if a.Kind == model.MediaContact {
			return a, []model.Contact{{Name: contactNameFromFile(name)}}
		}
		return a, nil
	}
	a.Path, a.Size = p, info.Size()
	head := m.head(p, 512)
	a.MIME = sniffMIME(head, name)
	a.Kind = mediaKindOf(name, a.MIME)
	switch a.MIME {
	case "image/png", "image/jpeg", "image/gif":
		if f, err := m.fsys.Open(p); err == nil {
			if cfg, _, err := image.DecodeConfig(bufio.NewReader(f)); err == nil {
				a.Width, a.Height = cfg.Width, cfg.Height
			}
			f.Close()
		}
	}
	if a.Kind == model.MediaContact {
		card := m.head(p, maxVCard+1)
		c := parseVCard(card)
		if len(card) <= maxVCard {
			c.VCard = string(card)
		}
		if c.Name == "" {
			c.Name = contactNameFromFile(name)
		}
		return a, []model.Contact{c}
	}
	return a, nil
}

// head reads up to n bytes of the file at p.
func (m *media) head(p string, n int) []byte {
	f, err := m.fsys.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, int64(n)))
	return b
}

// sniffMIME returns the MIME type of a file from its first bytes,
// refining what net/http recognises with the types WhatsApp sends.
func sniffMIME(head []byte, name string) string {
	switch {
	case bytes.HasPrefix(head, []byte("OggS")):
		return "audio/ogg"
	case len(head) > 12 && string(head[4:8]) == "ftyp":
		switch brand := string(head[8:12]); {
		case strings.HasPrefix(brand, "M4A"):
			return "audio/mp4"
		case strings.HasPrefix(brand, "3gp"):
			return "video/3gpp"
		case strings.HasPrefix(brand, "qt"):
			return "video/quicktime"
		}
		return "video/mp4"
	case bytes.HasPrefix(bytes.TrimLeft(head, "\ufeff \r\n"), []byte("BEGIN:VCARD")):
		return "text/vcard"
	case bytes.HasPrefix(head, []byte("ID3")) || len(head) > 1 && head[0] == 0xFF && head[1]&0xE0 == 0xE0:
		return "audio/mpeg"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		switch strings.ToLower(path.Ext(name)) {
		case ".docx":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case ".xlsx":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case ".pptx":
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
		}
		return "application/zip"
	}
	t := http.DetectContentType(head)
	if i := strings.IndexByte(t, ';'); i >= 0 && !strings.HasPrefix(t, "text/") {
		t = t[:i]
	}
	return t
}

// parseVCard reads the name (FN, else N) and telephone numbers of the
// first card in b.
func parseVCard(b []byte) model.Contact {
	var c model.Contact
	var n string
	// Unfold continuation lines (RFC 6350 §3.2) as they are read.
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		key, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		prop := strings.ToUpper(key)
		if i := strings.IndexByte(prop, ';'); i >= 0 {
			prop = prop[:i]
		}
		if i := strings.LastIndexByte(prop, '.'); i >= 0 { // "item1.TEL"
			prop = prop[i+1:]
		}
		value = strings.TrimSpace(value)
		switch prop {
		case "FN":
			if c.Name == "" {
				c.Name = unescapeVCard(value)
			}
		case "N":
			if n == "" {
				parts := strings.Split(value, ";")
				var given []string
				for _, p := range []int{1, 2, 0} {
					if p < len(parts) && parts[p] != "" {
						given = append(given, unescapeVCard(parts[p]))
					}
				}
				n = strings.Join(given, " ")
			}
		case "TEL":
			if value != "" {
				c.Phones = append(c.Phones, value)
			}
		case "END":
			if c.Name == "" {
				c.Name = n
			}
			return c
		}
	}
	if c.Name == "" {
		c.Name = n
	}
	return c
}

func unescapeVCard(s string) string {
	return strings.NewReplacer(`\,`, ",", `\;`, ";", `\n`, "\n", `\\`, `\`).Replace(s)
}

// contactNameFromFile returns "Alex" for "Alex.vcf" and "TR" for iOS's
// "00000042-TR.vcf".
func contactNameFromFile(name string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	if len(base) > 9 && base[8] == '-' && strings.Trim(base[:8], "0123456789") == "" {
		base = base[9:]
	}
	return base
}
