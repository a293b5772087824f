// Package telegramimport writes what Telegram's "Import chat" accepts
// (format "telegram-import"): for every chat a zip named
// "WhatsApp Chat with NAME.zip" that holds the transcript
// "WhatsApp Chat with NAME.txt" in WhatsApp's Android layout (see
// exporters/internal/whatsapptext) and the media files the transcript names.
// The output is a folder of such zips; each one is shared to Telegram's
// Android or iOS app on its own.
//
// Telegram reads the transcript on its servers with an undocumented
// parser, so the transcript stays close to what WhatsApp writes: day-first
// dates with a four-digit year and a 24-hour clock, "NAME (file attached)"
// with the caption on the next line, "<Media omitted>" for media the input
// does not hold. Media files get names of letters, digits, '_' and '-'
// with one extension ("IMG-20240301-WA0001.png", "Carla_Example.vcf"),
// which every known reader of the layout recognises; names stay unique
// within a zip. A shared contact without its card gets a vCard made from
// the contact's name and numbers. Replies, reactions and forwarded marks
// have no place in the layout and are reported as dropped.
//
// Each zip is streamed: the transcript and the media are spooled to
// temporary files inside the output folder while the chat is written, and
// the zip is assembled, transcript first, when the chat ends.
package telegramimport

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext"
	"github.com/chatferry/chatferry/model"
)

func init() {
	exporters.Register(exporters.Format{
		Name:    "telegram-import",
		Summary: "one WhatsApp-style export zip per chat, for Telegram's \"Import chat\" on Android and iOS",
		Layout:  exporters.FolderLayout,
		Ext:     "-telegram-import",
		Support: Support,
		New: func(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
			dir, err := t.CreateDir()
			if err != nil {
				return nil, err
			}
			return &Writer{dir: dir, opts: opts, zips: map[string]bool{}}, nil
		},
	})
}

// Support is what Telegram's import of a WhatsApp export keeps.
var Support = map[model.Feature]exporters.Support{
	model.FeatureText:        exporters.Full,
	model.FeatureSystem:      exporters.Full,
	model.FeatureAttachments: exporters.Full,
	model.FeatureMediaFiles:  exporters.Full,
	model.FeatureStickers:    exporters.Full,
	model.FeatureEdits:       exporters.Partial, // the marker, not the time
	model.FeatureDeletions:   exporters.Full,
	model.FeatureViewOnce:    exporters.Full,
	model.FeaturePolls:       exporters.Partial, // counts, not voters
	model.FeatureLocations:   exporters.Partial, // position and name, not the live period
	model.FeatureContacts:    exporters.Full,    // as .vcf files
	model.FeatureCalls:       exporters.Partial, // WhatsApp's wording
}

// Writer writes one zip per chat into a folder.
type Writer struct {
	dir   string
	opts  exporters.Options
	zips  map[string]bool // zip names taken, lower case
	chat  *chatZip
	stats whatsapptext.Stats
	lost  int // attachments written as <Media omitted> although named
}

var _ exporters.Writer = (*Writer)(nil)

// chatZip is the zip of the chat being written.
type chatZip struct {
	name   string // "WhatsApp Chat with NAME", without extension
	chat   *model.Chat
	text   *os.File
	textW  *whatsapptext.Writer
	media  *os.File
	mediaZ *zip.Writer
	taken  map[string]bool   // media names, lower case
	copied map[string]string // chat media path -> name in the zip
	broken map[string]bool   // spool entries whose file failed half-way
	last   time.Time         // the last message time, for the transcript's entry
	tz     *time.Location
	w      *Writer
}

// WriteChat finishes the previous chat's zip and starts one for c.
func (w *Writer) WriteChat(c *model.Chat) error {
	if err := w.finish(); err != nil {
		return err
	}
	name := w.zipName(c)
	text, err := os.CreateTemp(w.dir, ".transcript-*")
	if err != nil {
		return err
	}
	media, err := os.CreateTemp(w.dir, ".media-*")
	if err != nil {
		text.Close()
		os.Remove(text.Name())
		return err
	}
	z := &chatZip{name: name, chat: c, text: text, media: media, mediaZ: zip.NewWriter(media),
		taken: map[string]bool{}, copied: map[string]string{}, broken: map[string]bool{}, tz: w.tz(), w: w}
	z.textW = whatsapptext.NewWriter(text, z.tz, z)
	z.textW.GuardSystemColons = true
	z.textW.StartChat(c)
	w.chat = z
	return nil
}

func (w *Writer) tz() *time.Location {
	if w.opts.TZ == nil {
		return time.UTC
	}
	return w.opts.TZ
}

// zipName returns "WhatsApp Chat with NAME" for c, unique in the folder.
func (w *Writer) zipName(c *model.Chat) string {
	title := strings.TrimSpace(c.Title)
	if title == "" {
		for _, p := range c.Participants {
			if !p.Me {
				title = whatsapptext.AuthorName(p)
				break
			}
		}
	}
	if title == "" {
		title = string(c.ID)
	}
	// SafeName keeps only the last path element: make the whole name one.
	base := strings.NewReplacer("/", "_", `\`, "_").Replace("WhatsApp Chat with " + title)
	base = strings.TrimSuffix(exporters.SafeName(base+".zip"), ".zip")
	name := base
	for i := 2; w.zips[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s (%d)", base, i)
	}
	w.zips[strings.ToLower(name)] = true
	return name
}

// WriteMessage adds one message to the open chat.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.chat == nil {
		return errors.New("telegram-import: message written before its chat")
	}
	if !m.Time.IsZero() {
		if m.Time.IsFloating() {
			w.chat.last = m.Time.Wall()
		} else {
			w.chat.last = m.Time.In(w.chat.tz)
		}
	}
	return w.chat.textW.WriteMessage(m)
}

// Close finishes the last zip and reports what the layout changed.
func (w *Writer) Close() error {
	if err := w.finish(); err != nil {
		return err
	}
	w.stats.Report(w.opts.Report)
	if w.lost > 0 && w.opts.Report != nil {
		w.opts.Report.Degrade(model.FeatureAttachments, w.lost)
		w.opts.Report.Notef("%s", exporters.Count(w.lost,
			fmt.Sprintf("attachment without its file was written as %q, which does not name it", whatsapptext.Omitted),
			fmt.Sprintf("attachments without their files were written as %q, which does not name them", whatsapptext.Omitted)))
	}
	return nil
}

// Abort releases the open chat's temporary files; the Target removes the
// folder.
func (w *Writer) Abort() {
	if z := w.chat; z != nil {
		z.textW.Reset()
		z.text.Close()
		z.media.Close()
		os.Remove(z.text.Name())
		os.Remove(z.media.Name())
		w.chat = nil
	}
}

// finish assembles the open chat's zip: the transcript first, then the
// media entries copied from the spool without recompressing them.
func (w *Writer) finish() (err error) {
	z := w.chat
	if z == nil {
		return nil
	}
	w.chat = nil
	defer func() {
		z.text.Close()
		z.media.Close()
		os.Remove(z.text.Name())
		os.Remove(z.media.Name())
	}()
	if err := z.textW.Flush(); err != nil {
		return err
	}
	add(&w.stats, z.textW.Stats)
	if err := z.mediaZ.Close(); err != nil {
		return err
	}
	out, err := os.OpenFile(filepath.Join(w.dir, z.name+".zip"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriterSize(out, 64<<10)
	zw := zip.NewWriter(bw)
	mod := z.last
	if mod.IsZero() {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) // the earliest time a zip can hold
	}
	hdr := &zip.FileHeader{Name: z.name + ".txt", Method: zip.Deflate, Modified: mod}
	tw, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	if _, err := z.text.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(tw, z.text); err != nil {
		return err
	}
	size, err := z.media.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	mr, err := zip.NewReader(z.media, size)
	if err != nil {
		return fmt.Errorf("telegram-import: reading back the media spool: %w", err)
	}
	for _, f := range mr.File {
		if z.broken[f.Name] {
			continue
		}
		if err := zw.Copy(f); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

func add(s *whatsapptext.Stats, t whatsapptext.Stats) {
	s.Escaped += t.Escaped
	s.Seconds += t.Seconds
	s.NoTime += t.NoTime
	s.Split += t.Split
	s.ColonName += t.ColonName
	s.GuardedSystem += t.GuardedSystem
	s.DroppedAttachments += t.DroppedAttachments
}
