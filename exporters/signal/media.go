package signal

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
	"github.com/chatferry/chatferry/model"
)

// MaxAttachment is the largest file Signal takes as one attachment
// (its default for global.attachments.maxBytes, 100 MiB).
const MaxAttachment = 100 << 20

// storedFile is an attachment encrypted into the files store.
type storedFile struct {
	key         [64]byte // the FilePointer's attachment key
	localKey    [backup.LocalKeyLen]byte
	hash        [32]byte
	size        int64
	mediaName   string
	contentType string
	fileName    string
	width       int
	height      int
	clientUUID  [16]byte
}

// store encrypts the file of attachment a into the staging media folder
// and returns it, or an error saying why it could not be embedded; such
// errors become a note in the chat. I/O errors of the output are fatal
// and come back as fatal.
func (w *writer) store(c *model.Chat, a *model.Attachment) (sf *storedFile, why string, fatal error) {
	switch {
	case a.Omitted:
		return nil, "not in the export", nil
	case a.Missing || a.Path == "" || c.Media == nil:
		return nil, "missing from the export", nil
	}
	in, err := exporters.OpenMedia(c.Media, a.Path)
	if err != nil {
		return nil, "missing from the export", nil
	}
	defer in.Close()
	if fi, err := in.Stat(); err == nil && fi.Size() > MaxAttachment {
		return nil, fmt.Sprintf("too large for Signal (%d MiB, the limit is %d MiB)", fi.Size()>>20, MaxAttachment>>20), nil
	}
	sf = &storedFile{localKey: backup.NewLocalKey(), width: a.Width, height: a.Height}
	rand.Read(sf.key[:])
	rand.Read(sf.clientUUID[:])
	sf.clientUUID[6] = sf.clientUUID[6]&0x0f | 0x40 // a version 4 UUID
	sf.clientUUID[8] = sf.clientUUID[8]&0x3f | 0x80
	tmp, err := os.CreateTemp(w.mediaRoot, ".incoming-")
	if err != nil {
		return nil, "", err
	}
	size, hash, err := backup.EncryptAttachment(tmp, in, sf.localKey, MaxAttachment)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		if errors.Is(err, backup.ErrTooLarge) {
			return nil, fmt.Sprintf("too large for Signal (the limit is %d MiB)", MaxAttachment>>20), nil
		}
		if errors.Is(err, exporters.ErrNoMedia) {
			return nil, "unreadable in the export", nil
		}
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == tmp.Name() {
			return nil, "", err // writing the output failed
		}
		return nil, "", fmt.Errorf("media %s: %w", a.Path, err)
	}
	sf.size, sf.hash = size, hash
	sf.mediaName = backup.MediaName(hash, sf.localKey)
	dst := backup.MediaPath(w.mediaRoot, sf.mediaName)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, "", err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return nil, "", err
	}
	if err := w.addFile(sf.mediaName); err != nil {
		return nil, "", err
	}
	sf.fileName = a.Name
	if sf.fileName == "" {
		sf.fileName = path.Base(a.Path)
	}
	sf.fileName = exporters.SafeName(sf.fileName)
	sf.contentType = contentType(a, sf.fileName)
	return sf, "", nil
}

// knownTypes are the types of the files WhatsApp exports hold, fixed here
// so that the output does not depend on the machine's MIME tables.
var knownTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".heic": "image/heic", ".mp4": "video/mp4", ".3gp": "video/3gpp",
	".mov": "video/quicktime", ".opus": "audio/ogg", ".ogg": "audio/ogg", ".m4a": "audio/mp4",
	".aac": "audio/aac", ".mp3": "audio/mpeg", ".amr": "audio/amr", ".pdf": "application/pdf",
	".vcf": "text/vcard", ".txt": "text/plain", ".zip": "application/zip",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// contentType is the attachment's MIME type, from the source or the name.
func contentType(a *model.Attachment, name string) string {
	if a.MIME != "" {
		return a.MIME
	}
	ext := strings.ToLower(path.Ext(name))
	if t, ok := knownTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	return "application/octet-stream"
}

// attachmentFlag is how Signal shows an attachment.
func attachmentFlag(a *model.Attachment) uint64 {
	switch a.Kind {
	case model.MediaVoice:
		return attachmentVoice
	case model.MediaSticker:
		return attachmentBorderless
	case model.MediaGIF:
		return attachmentGIF
	}
	return 0
}

// omittedNote is the line a chat shows for media it could not embed.
func omittedNote(a *model.Attachment, why string) string {
	what := map[model.MediaKind]string{
		model.MediaImage: "Photo", model.MediaVideo: "Video", model.MediaAudio: "Audio",
		model.MediaVoice: "Voice message", model.MediaSticker: "Sticker", model.MediaGIF: "GIF",
		model.MediaDocument: "Document", model.MediaContact: "Contact card",
	}[a.Kind]
	if what == "" {
		what = "Media"
	}
	if a.Name != "" {
		what += " " + a.Name
	}
	return "[" + what + ": " + why + "]"
}
