package telegramimport

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext"
	"github.com/chatferry/chatferry/model"
)

// Attachment copies the file of a into the chat's zip and returns its
// name there, or "" when the input does not hold the file.
func (z *chatZip) Attachment(c *model.Chat, m *model.Message, a *model.Attachment) (string, error) {
	if a.Omitted || a.Path == "" || c.Media == nil {
		if whatsapptext.BaseName(a) != "" {
			z.w.lost++
		}
		return "", nil
	}
	if name, ok := z.copied[a.Path]; ok {
		return name, nil
	}
	name, err := z.copy(c, m, a)
	if errors.Is(err, exporters.ErrNoMedia) {
		// Not there, a path that leaves the input, or a file that
		// failed to read: write the attachment as left out, and say so.
		z.w.lost++
		if z.w.opts.Report != nil {
			z.w.opts.Report.Notef("%s: %v", m.Source, err)
		}
		return "", nil
	}
	if err != nil {
		return "", err
	}
	z.copied[a.Path] = name
	return name, nil
}

// copy stores the file of a in the media spool and returns its name
// there. A file that fails half-way is left in the spool but marked, so
// that it never reaches the chat's zip.
func (z *chatZip) copy(c *model.Chat, m *model.Message, a *model.Attachment) (string, error) {
	f, err := exporters.OpenMedia(c.Media, a.Path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	name := z.unique(MediaName(whatsapptext.BaseName(a), a.MIME))
	err = z.store(name, f, z.timeOf(m))
	switch {
	case errors.Is(err, exporters.ErrNoMedia):
		z.broken[name] = true
		return "", err
	case err != nil:
		return "", fmt.Errorf("media %s: %w", a.Path, err)
	}
	return name, nil
}

// Contact writes a vCard for a shared contact that came without its card
// and returns its name in the zip.
func (z *chatZip) Contact(_ *model.Chat, m *model.Message, ct *model.Contact) (string, error) {
	name := z.unique(MediaName(whatsapptext.VCardName(ct), "text/vcard"))
	if err := z.store(name, strings.NewReader(whatsapptext.VCard(ct)), z.timeOf(m)); err != nil {
		return "", err
	}
	return name, nil
}

// store adds one entry to the media spool. Media files are mostly
// compressed already, so they are stored; vCards are deflated.
func (z *chatZip) store(name string, r io.Reader, mod time.Time) error {
	method := zip.Store
	if strings.EqualFold(path.Ext(name), ".vcf") {
		method = zip.Deflate
	}
	w, err := z.mediaZ.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: mod})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

func (z *chatZip) timeOf(m *model.Message) time.Time {
	switch {
	case m.Time.IsZero():
		return z.last
	case m.Time.IsFloating():
		return m.Time.Wall()
	}
	return m.Time.In(z.tz)
}

// unique returns name, or "stem-2.ext" and so on when the zip has it
// already (compared without case), never the transcript's own name.
func (z *chatZip) unique(name string) string {
	if len(z.taken) == 0 {
		z.taken[strings.ToLower(z.name+".txt")] = true
	}
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	cand := name
	for i := 2; z.taken[strings.ToLower(cand)]; i++ {
		cand = fmt.Sprintf("%s-%d%s", stem, i, ext)
	}
	z.taken[strings.ToLower(cand)] = true
	return cand
}

// extByMIME gives a file without an extension one, so that readers see
// "NAME.EXT (file attached)".
var extByMIME = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif",
	"video/mp4": ".mp4", "video/quicktime": ".mov", "audio/ogg": ".opus", "audio/mpeg": ".mp3",
	"audio/mp4": ".m4a", "application/pdf": ".pdf", "text/vcard": ".vcf", "text/x-vcard": ".vcf",
}

// MediaName turns a file name from the input into one that readers of the
// layout recognise in front of "(file attached)": a safe single element
// whose stem holds letters, digits, '_' and '-' only (anything else
// becomes '_'), and one extension of ASCII letters and digits (from the
// MIME type when the name has none).
func MediaName(name, mime string) string {
	name = exporters.SafeName(name)
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	ext = strings.TrimPrefix(ext, ".")
	if ext == "" || strings.IndexFunc(ext, func(r rune) bool { return !isASCIIAlnum(r) }) >= 0 {
		stem, ext = name, ""
	}
	var b strings.Builder
	under := false
	for _, r := range stem {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
	}
	stem = strings.Trim(b.String(), "_")
	if stem == "" {
		stem = "file"
	}
	if ext == "" {
		ext = strings.TrimPrefix(extByMIME[strings.ToLower(mime)], ".")
	}
	if ext == "" {
		ext = "bin"
	}
	return stem + "." + ext
}

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
