package whatsappios

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// media fills in a media message's attachment. ZMEDIALOCALPATH is relative
// to the container's Message folder; the file is looked for there (through
// the manifest in a backup), and marked missing when it is not.
func (r *reader) media(cs *chatState, w *row, m *model.Message) error {
	a := model.Attachment{Name: path.Base(cleanMediaPath(w.path)), Size: max(w.size, 0)}
	if a.Name == "." || a.Name == "/" {
		a.Name = ""
	}
	m.Kind = model.KindMedia
	switch w.typ {
	case typeImage:
		a.Kind = model.MediaImage
	case typeVideo, typeRoundVideo:
		a.Kind = model.MediaVideo
	case typeAudio:
		a.Kind = model.MediaAudio
		if strings.Contains(strings.ToLower(w.vcard), "opus") || strings.EqualFold(path.Ext(a.Name), ".opus") {
			a.Kind = model.MediaVoice
		}
	case typeGIF:
		a.Kind = model.MediaGIF
	case typeSticker:
		a.Kind = model.MediaSticker
		m.Kind = model.KindSticker
	case typeDocument:
		a.Kind = model.MediaDocument
		a.Name, m.Text = documentName(a.Name, w.title, w.text)
	}
	if w.typ != typeDocument && m.Text == "" {
		m.Text = w.title // the caption
	}
	if w.typ == typeVideo || w.typ == typeRoundVideo || w.typ == typeAudio || w.typ == typeGIF {
		a.Duration = time.Duration(max(w.duration, 0)) * time.Second
	}
	a.MIME = mimeOf(w.vcard, a.Name)
	p, size, err := r.resolve(w.path)
	if err != nil {
		return err
	}
	if p != "" {
		a.Path = p
		if a.Size == 0 {
			a.Size = size
		}
	} else {
		a.Missing = true
	}
	m.Attachments = []model.Attachment{a}
	return nil
}

// documentName picks a document's file name and caption: the title or the
// text that has a file extension is the name, the other the caption.
func documentName(stored, title, text string) (name, caption string) {
	switch {
	case hasExt(title):
		name, caption = title, text
	case hasExt(text) && title == "":
		name, caption = text, ""
	default:
		name, caption = stored, text
		if caption == "" {
			caption = title
		}
	}
	if caption == name {
		caption = ""
	}
	return path.Base(strings.ReplaceAll(name, "\\", "/")), caption
}

func hasExt(s string) bool {
	e := path.Ext(s)
	return len(e) > 1 && len(e) <= 6 && !strings.ContainsAny(s, "\n")
}

// cleanMediaPath makes a stored media path relative and clean, or "" when
// it cannot name a file inside the container.
func cleanMediaPath(p string) string {
	p = strings.TrimLeft(strings.ReplaceAll(p, "\\", "/"), "/")
	if i := strings.Index(p, "/Message/"); i >= 0 && !strings.HasPrefix(p, "Message/") {
		p = p[i+1:] // an absolute path from an older version
	}
	p = path.Clean(p)
	if p == "." || !fs.ValidPath(p) {
		return ""
	}
	return p
}

// resolve finds the media file a stored path names, and returns its name
// in Chat.Media and its size, or "" when it is not there.
func (r *reader) resolve(stored string) (string, int64, error) {
	p := cleanMediaPath(stored)
	if p == "" || r.loc.media == nil {
		return "", 0, nil
	}
	var candidates []string
	if strings.HasPrefix(p, "Message/") {
		candidates = []string{p}
	} else {
		candidates = []string{path.Join("Message", p), p}
	}
	if r.loc.prefix == "" && strings.HasPrefix(p, "Message/") {
		candidates = append(candidates, strings.TrimPrefix(p, "Message/"))
	}
	for _, c := range candidates {
		if r.loc.backup != nil {
			ok, err := r.loc.backup.has(c)
			if err != nil {
				return "", 0, r.fail(err)
			}
			if !ok {
				continue
			}
		}
		if r.loc.backup == nil && r.inMissingDir(c) {
			continue
		}
		fi, err := fs.Stat(r.loc.media, c)
		if err == nil && fi.Mode().IsRegular() {
			return c, fi.Size(), nil
		}
		if r.loc.backup == nil && errors.Is(err, fs.ErrNotExist) {
			r.noteMissingDir(path.Dir(c))
		}
	}
	return "", 0, nil
}

// inMissingDir reports whether a folder above name is known to be
// missing, so that a chat whose media were not copied costs one look per
// folder, not one per file.
func (r *reader) inMissingDir(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] == '/' && r.missingDirs[name[:i]] {
			return true
		}
	}
	return false
}

// noteMissingDir records the highest missing folder on the way to dir.
func (r *reader) noteMissingDir(dir string) {
	if r.missingDirs == nil || len(r.missingDirs) > 4096 {
		r.missingDirs = map[string]bool{}
	}
	top := ""
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if _, err := fs.Stat(r.loc.media, d); err == nil {
			break
		}
		top = d
	}
	if top != "" {
		r.missingDirs[top] = true
	}
}

// mimeOf returns the MIME type a media item stores (in ZVCARDSTRING), or
// the one its file extension implies.
func mimeOf(stored, name string) string {
	if t := strings.TrimSpace(stored); strings.Count(t, "/") == 1 && len(t) < 128 && !strings.ContainsAny(t, "\r\n") {
		return t
	}
	return mimeByExt[strings.ToLower(path.Ext(name))]
}

// mimeByExt covers the files WhatsApp sends. It is fixed, so an import
// does not depend on the machine's MIME tables.
var mimeByExt = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".heic": "image/heic", ".mp4": "video/mp4", ".mov": "video/quicktime",
	".3gp": "video/3gpp", ".m4a": "audio/mp4", ".aac": "audio/aac", ".mp3": "audio/mpeg",
	".opus": "audio/ogg", ".ogg": "audio/ogg", ".amr": "audio/amr", ".wav": "audio/wav",
	".caf": "audio/x-caf", ".pdf": "application/pdf", ".txt": "text/plain", ".vcf": "text/vcard",
	".zip": "application/zip", ".doc": "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt":  "application/vnd.ms-powerpoint",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
