package whatsappandroid

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// attachMedia gives chat the media folder, when the user named one, and a
// warning that counts the chat's attachments the folder lacks, as
// countMissing (of the chat's schema) finds them.
func (r *reader) attachMedia(ctx context.Context, chat *model.Chat, countMissing func(context.Context) (missing, total int, err error)) error {
	if r.media == nil {
		return nil
	}
	missing, total, err := countMissing(ctx)
	if err != nil {
		return err
	}
	chat.Media = r.media.fsys
	if missing > 0 {
		chat.Warnings = append(chat.Warnings, model.Warning{Code: "media-missing",
			Text: fmt.Sprintf("%d of %d attachments are not in the media folder", missing, total)})
	}
	return nil
}

// mediaRoot is the phone's WhatsApp/Media folder (--media), where the
// database's file paths point. A nil mediaRoot means the user gave none:
// attachments are then marked Omitted, not Missing.
type mediaRoot struct {
	fsys fs.FS
	root *os.Root // --media, closed with the reader
}

// find returns the path inside the media folder of a file the database
// names. Modern databases name files relative to the WhatsApp folder
// ("Media/WhatsApp Images/IMG-….jpg"), older ones with an absolute path
// on the phone (".../WhatsApp/Media/WhatsApp Images/…"). The names are
// untrusted: only valid local paths are looked at, and the media folder
// is an os.Root, so nothing outside it is reachable.
func (m *mediaRoot) find(filePath string) (string, bool) {
	if m == nil || filePath == "" {
		return "", false
	}
	p := strings.ReplaceAll(filePath, `\`, "/")
	var candidates []string
	if i := strings.LastIndex(p, "/WhatsApp/Media/"); i >= 0 {
		candidates = append(candidates, p[i+len("/WhatsApp/Media/"):])
	}
	p = strings.TrimLeft(p, "/")
	if rest, ok := strings.CutPrefix(p, "Media/"); ok {
		candidates = append(candidates, rest)
	}
	candidates = append(candidates, p)
	for _, c := range candidates {
		if !fs.ValidPath(c) || c == "." {
			continue
		}
		if fi, err := fs.Stat(m.fsys, c); err == nil && fi.Mode().IsRegular() {
			return c, true
		}
	}
	return "", false
}

// legacyFolders are where WhatsApp keeps each kind of media under Media/,
// for old databases that store only the file name.
var legacyFolders = map[model.MediaKind][]string{
	model.MediaImage:    {"WhatsApp Images"},
	model.MediaVideo:    {"WhatsApp Video"},
	model.MediaAudio:    {"WhatsApp Audio", "WhatsApp Voice Notes"},
	model.MediaVoice:    {"WhatsApp Voice Notes", "WhatsApp Audio"},
	model.MediaGIF:      {"WhatsApp Animated Gifs"},
	model.MediaSticker:  {"WhatsApp Stickers"},
	model.MediaDocument: {"WhatsApp Documents"},
}

// findByName looks for a file name in the usual folders of its kind,
// received and sent.
func (m *mediaRoot) findByName(name string, kind model.MediaKind) (string, bool) {
	if m == nil || name == "" || strings.ContainsAny(name, `/\`) {
		return "", false
	}
	for _, dir := range legacyFolders[kind] {
		for _, c := range []string{path.Join(dir, name), path.Join(dir, "Sent", name)} {
			if fi, err := fs.Stat(m.fsys, c); err == nil && fi.Mode().IsRegular() {
				return c, true
			}
		}
	}
	return "", false
}

// place sets an attachment's Path, Missing or Omitted.
func (m *mediaRoot) place(a *model.Attachment, rel string, found bool) {
	switch {
	case m == nil:
		a.Omitted = true
	case found:
		a.Path = rel
	default:
		a.Missing = true
	}
}

// mediaKind classifies an attachment by message type, MIME type and path.
func mediaKind(msgType int, mime, filePath string) model.MediaKind {
	switch msgType {
	case typeImage, typeViewOncePhoto:
		return model.MediaImage
	case typeVideo, typeViewOnceVideo:
		return model.MediaVideo
	case typeGIF:
		return model.MediaGIF
	case typeSticker:
		return model.MediaSticker
	case typeDocument:
		return model.MediaDocument
	case typeContact:
		return model.MediaContact
	case typeAudio:
		base := path.Base(strings.ReplaceAll(filePath, `\`, "/"))
		if strings.Contains(filePath, "Voice Notes") || strings.HasPrefix(base, "PTT-") {
			return model.MediaVoice
		}
		return model.MediaAudio
	}
	if mime == "" {
		mime = extensionMIME[strings.ToLower(path.Ext(filePath))]
	}
	return model.MediaKindOfMIME(mime)
}

// extensionMIME guesses the kind of a file the database gives no MIME
// type for. It is a fixed table, so imports do not depend on the system's
// MIME database.
var extensionMIME = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif",
	".mp4": "video/mp4", ".3gp": "video/3gpp", ".mov": "video/quicktime",
	".opus": "audio/ogg", ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".mp3": "audio/mpeg", ".amr": "audio/amr",
	".pdf": "application/pdf",
}
