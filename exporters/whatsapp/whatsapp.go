// Package whatsapp writes a chat as a WhatsApp Android text export (format
// "whatsapp"): the transcript WhatsApp's "Export chat" writes, in the
// layout of exporters/internal/whatsapptext ("DD/MM/YYYY, HH:MM - Author:
// text"). Tools that read WhatsApp exports read it, and so does chatferry's
// own whatsapp importer.
//
// The output is one .txt file, streamed, so it can go to standard output.
// It holds exactly one chat, as WhatsApp's does: an input with several
// chats is refused when its second chat arrives (the telegram-import format
// writes one transcript per chat). Attachments are named as
// "NAME (file attached)"; the files themselves are not written (the
// telegram-import format packs them). Media the input left out is
// "<Media omitted>". A shared contact without its .vcf file is named as
// "Name.vcf (file attached)", as WhatsApp names it.
package whatsapp

import (
	"fmt"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext"
	"github.com/chatferry/chatferry/model"
)

func init() {
	exporters.Register(exporters.Format{
		Name:    "whatsapp",
		Summary: "WhatsApp's Android chat export text (DD/MM/YYYY, HH:MM - Author: text), one chat",
		Layout:  exporters.FileLayout,
		Stream:  true,
		Ext:     ".txt",
		Support: Support,
		New: func(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
			out, err := t.CreateFile()
			if err != nil {
				return nil, err
			}
			w := &Writer{opts: opts}
			w.text = whatsapptext.NewWriter(out, opts.TZ, names{w})
			return w, nil
		},
	})
}

// Support is what WhatsApp's text layout keeps: text, system events,
// attachments by name, deleted, view-once and edited markers. Poll
// voters, call durations, place details, contact numbers and edit times
// are lost; replies, reactions and forwarded marks have no place at all.
var Support = map[model.Feature]exporters.Support{
	model.FeatureText:        exporters.Full,
	model.FeatureSystem:      exporters.Full,
	model.FeatureAttachments: exporters.Full,
	model.FeatureMediaFiles:  exporters.Partial, // named, not copied
	model.FeatureStickers:    exporters.Full,
	model.FeatureEdits:       exporters.Partial, // the marker, not the time
	model.FeatureDeletions:   exporters.Full,
	model.FeatureViewOnce:    exporters.Full,
	model.FeaturePolls:       exporters.Partial, // counts, not voters
	model.FeatureLocations:   exporters.Partial, // position and name, not the live period
	model.FeatureContacts:    exporters.Partial, // the card's name
	model.FeatureCalls:       exporters.Partial, // WhatsApp's wording
}

// Writer writes one chat as a WhatsApp transcript.
type Writer struct {
	opts    exporters.Options
	text    *whatsapptext.Writer
	chat    *model.Chat
	unnamed int // omitted attachments whose names the layout cannot show
}

var _ exporters.Writer = (*Writer)(nil)

// WriteChat starts the chat; a second chat is an error.
func (w *Writer) WriteChat(c *model.Chat) error {
	if w.chat != nil {
		return fmt.Errorf("the whatsapp format holds one chat per file, and this input has more than one "+
			"(%q, then %q): convert to telegram-import, which writes one WhatsApp export per chat, "+
			"or convert the chats one at a time", w.chat.Title, c.Title)
	}
	w.chat = c
	w.text.StartChat(c)
	return nil
}

// WriteMessage writes one message.
func (w *Writer) WriteMessage(m *model.Message) error { return w.text.WriteMessage(m) }

// Close flushes the transcript and reports what the layout changed.
func (w *Writer) Close() error {
	if err := w.text.Flush(); err != nil {
		return err
	}
	w.text.Stats.Report(w.opts.Report)
	if w.unnamed > 0 && w.opts.Report != nil {
		w.opts.Report.Degrade(model.FeatureAttachments, w.unnamed)
		w.opts.Report.Notef("%s", exporters.Count(w.unnamed,
			fmt.Sprintf("left-out attachment lost its file name: WhatsApp's layout writes it as %q", whatsapptext.Omitted),
			fmt.Sprintf("left-out attachments lost their file names: WhatsApp's layout writes them as %q", whatsapptext.Omitted)))
	}
	return nil
}

// Abort drops what is buffered.
func (w *Writer) Abort() { w.text.Reset() }

// names names attachments by the names the input gives them.
type names struct{ w *Writer }

func (n names) Attachment(_ *model.Chat, _ *model.Message, a *model.Attachment) (string, error) {
	if a.Omitted {
		if a.Name != "" {
			n.w.unnamed++
		}
		return "", nil
	}
	return whatsapptext.BaseName(a), nil
}

func (names) Contact(_ *model.Chat, _ *model.Message, c *model.Contact) (string, error) {
	return whatsapptext.VCardName(c), nil
}
