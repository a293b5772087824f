// Package telegramjson writes Telegram Desktop's JSON export (format
// "telegram-json"): a folder with result.json, laid out key by key as
// Telegram Desktop writes it, and the media files beside it in Telegram's
// folders (photos, files, video_files, voice_messages, stickers,
// contacts). Tools that read Telegram exports read it — signalbackup-tools
// imports it into Signal backups, chat analysis tools load it.
//
// An input with one chat becomes the single-chat form ({name, type, id,
// messages}), an input with several the full-account form ({about,
// personal_information, chats: {about, list}}) with each chat's media under
// chats/chat_NNN/; the option --form chooses one. The writer streams: only
// while it does not yet know whether a second chat follows does it spool
// the first chat to a temporary file in the output folder.
//
// Mapping: every participant gets a stable user id ("user" + the digits of
// the phone number, or a number derived from the name), the same in every
// chat. Messages are numbered from 1 in each chat; replies point at the
// number of the message they answer (among the last 2^20 messages).
// Times: "date" is the wall clock in --tz, "date_unixtime" the instant;
// floating times are read in --tz. An edit whose time is unknown gets the
// message's own time. Each attachment and each contact card becomes a
// message of its own, as in Telegram. System events, calls included, are
// service messages with Telegram's actions where one fits and
// "information_text" otherwise; their wording is kept in "text".
package telegramjson

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/markup"
	"github.com/chatferry/chatferry/model"
)

func init() {
	exporters.Register(exporters.Format{
		Name:    "telegram-json",
		Summary: "Telegram Desktop's JSON export (result.json and media), as signalbackup-tools and chat tools read it",
		Layout:  exporters.FolderLayout,
		Ext:     "-telegram",
		Support: Support,
		Options: []exporters.Option{{Name: "form", Default: "auto",
			Help: "result.json's form: chat (one chat), account (chats.list), or auto (chat for one chat)"}},
		New: New,
	})
}

// Support is what Telegram's JSON export represents.
var Support = map[model.Feature]exporters.Support{
	model.FeatureText:        exporters.Full,
	model.FeatureSystem:      exporters.Full,
	model.FeatureAttachments: exporters.Full,
	model.FeatureMediaFiles:  exporters.Full,
	model.FeatureStickers:    exporters.Full,
	model.FeatureReplies:     exporters.Partial, // the link, not the quoted text
	model.FeatureReactions:   exporters.Full,
	model.FeatureEdits:       exporters.Full,
	model.FeatureDeletions:   exporters.Partial, // as a message with the wording
	model.FeatureViewOnce:    exporters.Partial, // as a message with the wording
	model.FeatureForwarded:   exporters.Partial, // the mark, not the origin
	model.FeaturePolls:       exporters.Partial, // counts, not voters
	model.FeatureLocations:   exporters.Full,
	model.FeatureContacts:    exporters.Full,
	model.FeatureCalls:       exporters.Partial, // no video flag
}

// The account form's "about" texts.
const (
	aboutExport = "Written by chatferry in the layout of Telegram Desktop's data export."
	aboutChats  = "The chats of this export."
)

// Writer writes one Telegram export folder.
type Writer struct {
	dir  string
	opts exporters.Options
	tz   *time.Location
	form string

	chats   int
	account bool     // writing the account form
	pending *os.File // the first chat, spooled while the form is open
	out     *os.File // result.json
	bw      *bufio.Writer
	cur     *chatState
	base    int // extra indentation of the current chat
	msgs    int // messages written in the current chat
	me      *model.Participant

	lastTime model.Timestamp
	counters
}

type counters struct {
	subSecond, noTime, split, lostReplies, droppedAttachments, unnamed, unreadable int
}

var _ exporters.Writer = (*Writer)(nil)

// New starts a Telegram export in the target's folder.
func New(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
	form := opts.Values.Get("form")
	switch form {
	case "":
		form = "auto"
	case "auto", "chat", "account":
	default:
		return nil, exporters.OptionErrorf("--form %q: want auto, chat or account", form)
	}
	dir, err := t.CreateDir()
	if err != nil {
		return nil, err
	}
	tz := opts.TZ
	if tz == nil {
		tz = time.UTC
	}
	return &Writer{dir: dir, opts: opts, tz: tz, form: form}, nil
}

// WriteChat ends the previous chat and starts c.
func (w *Writer) WriteChat(c *model.Chat) error {
	if err := w.endChat(); err != nil {
		return err
	}
	w.chats++
	if w.me == nil {
		w.me = w.findMe(c)
	}
	switch {
	case w.chats == 1 && w.form == "auto":
		f, err := os.CreateTemp(w.dir, ".chat-1-*.json")
		if err != nil {
			return err
		}
		w.pending = f
		w.bw = bufio.NewWriterSize(f, 64<<10)
		w.startChat(c, filepath.Join(w.dir, ".pending-media"), "\x00", 0)
		return w.bw.Flush()
	case w.chats == 1 && w.form == "chat":
		if err := w.openResult(); err != nil {
			return err
		}
		w.startChat(c, w.dir, "", 0)
	case w.chats == 2 && w.form == "chat":
		return fmt.Errorf("telegram-json: --form chat holds one chat, and this input has more than one (%q, then %q); use --form account or auto", w.cur.chat.Title, c.Title)
	default:
		if !w.account {
			if err := w.startAccount(); err != nil {
				return err
			}
		}
		if w.chats > 1 {
			w.bw.WriteByte(',')
		}
		w.bw.WriteString("\n   ")
		n := fmt.Sprintf("chat_%03d", w.chats)
		w.startChat(c, filepath.Join(w.dir, "chats", n), "chats/"+n+"/", 3)
	}
	return nil
}

func (w *Writer) openResult() error {
	f, err := os.OpenFile(filepath.Join(w.dir, "result.json"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.out = f
	w.bw = bufio.NewWriterSize(f, 64<<10)
	return nil
}

// startAccount opens result.json in the account form and moves the
// spooled first chat, if any, into it.
func (w *Writer) startAccount() error {
	w.account = true
	if err := w.openResult(); err != nil {
		return err
	}
	w.bw.WriteString("{\n \"about\": ")
	w.bw.Write(str(aboutExport))
	if me := w.me; me != nil {
		w.bw.WriteString(",\n \"personal_information\": ")
		w.bw.Write(object(1, []kv{{"user_id", num(UserID(me))}, {"first_name", str(me.Name)},
			{"last_name", str("")}, {"phone_number", str(me.Phone)}}))
	}
	w.bw.WriteString(",\n \"chats\": {\n  \"about\": ")
	w.bw.Write(str(aboutChats))
	w.bw.WriteString(",\n  \"list\": [")
	if w.pending == nil {
		return nil
	}
	w.bw.WriteString("\n   ")
	if err := w.movePending("chats/chat_001/", 3); err != nil {
		return err
	}
	return moveChildren(filepath.Join(w.dir, ".pending-media"), filepath.Join(w.dir, "chats", "chat_001"))
}

// movePending copies the spooled first chat into result.json, indented by
// n and with its media paths given prefix, and removes the spool.
func (w *Writer) movePending(prefix string, n int) error {
	f := w.pending
	w.pending = nil
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	pad := "\n" + strings.Repeat(" ", n)
	buf := make([]byte, 64<<10)
	for {
		k, err := f.Read(buf)
		chunk := buf[:k]
		for len(chunk) > 0 {
			i := bytes.IndexAny(chunk, "\n\x00")
			if i < 0 {
				w.bw.Write(chunk)
				break
			}
			w.bw.Write(chunk[:i])
			if chunk[i] == '\n' {
				w.bw.WriteString(pad)
			} else {
				w.bw.WriteString(prefix)
			}
			chunk = chunk[i+1:]
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// startChat writes the head of chat c at the given extra indentation.
func (w *Writer) startChat(c *model.Chat, root, prefix string, base int) {
	cs := &chatState{chat: c, markedUp: markup.Applies(c.Format), users: map[model.ParticipantID]int64{}, dirs: map[string]*exporters.MediaDir{},
		root: root, prefix: prefix}
	cs.ids.reset()
	for i := range c.Participants {
		cs.users[c.Participants[i].ID] = UserID(&c.Participants[i])
	}
	w.cur, w.base, w.msgs = cs, base, 0
	name, typ, id := w.describe(c)
	var kvs []kv
	if typ != "saved_messages" {
		kvs = append(kvs, kv{"name", strOrNull(name)})
	}
	kvs = append(kvs, kv{"type", str(typ)}, kv{"id", num(id)})
	head := object(0, kvs)
	head = head[:len(head)-2] // reopen the object to add "messages"
	w.bw.Write(indent(head, base))
	w.bw.WriteString(",")
	w.bw.Write(indent([]byte("\n \"messages\": ["), base))
}

// findMe returns the exporting user among c's participants.
func (w *Writer) findMe(c *model.Chat) *model.Participant {
	for i := range c.Participants {
		p := &c.Participants[i]
		if p.Me || (w.opts.Me != "" && p.Name == w.opts.Me) {
			cp := *p
			return &cp
		}
	}
	return nil
}

// describe returns a chat's name, Telegram type and id.
func (w *Writer) describe(c *model.Chat) (string, string, int64) {
	if c.Kind == model.Group {
		return c.Title, "private_group", ChatID(c)
	}
	var partner *model.Participant
	for i := range c.Participants {
		p := &c.Participants[i]
		if p.Me || (w.opts.Me != "" && p.Name == w.opts.Me) {
			continue
		}
		if partner == nil || p.Name == c.Title {
			partner = p
		}
	}
	if partner == nil {
		if me := w.findMe(c); me != nil {
			return "", "saved_messages", UserID(me)
		}
		return c.Title, "personal_chat", ChatID(c)
	}
	name := c.Title
	if name == "" {
		name = partner.Name
	}
	return name, "personal_chat", UserID(partner)
}

// WriteMessage writes one message of the current chat.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.cur == nil {
		return fmt.Errorf("telegram-json: message written before its chat")
	}
	objs, err := w.render(m)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if w.msgs > 0 {
			w.bw.WriteByte(',')
		}
		w.msgs++
		w.bw.WriteByte('\n')
		w.bw.Write(spaces(nil, msgDepth+w.base))
		if _, err := w.bw.Write(indent(o, w.base)); err != nil {
			return err
		}
	}
	return nil
}

// endChat closes the current chat's object.
func (w *Writer) endChat() error {
	if w.cur == nil {
		return nil
	}
	w.bw.Write(indent([]byte("\n ]\n}"), w.base))
	w.cur = nil
	return w.bw.Flush()
}

// Close finishes result.json and reports what the layout changed.
func (w *Writer) Close() error {
	if err := w.endChat(); err != nil {
		return err
	}
	switch {
	case w.pending != nil: // auto with one chat: the single-chat form
		if err := w.openResult(); err != nil {
			return err
		}
		if err := w.movePending("", 0); err != nil {
			return err
		}
		if err := moveChildren(filepath.Join(w.dir, ".pending-media"), w.dir); err != nil {
			return err
		}
	case w.chats == 0 && w.form == "chat":
		return fmt.Errorf("telegram-json: --form chat needs a chat, and the input has none")
	case !w.account && w.out == nil: // no chat at all
		if err := w.startAccount(); err != nil {
			return err
		}
		fallthrough
	case w.account:
		w.bw.WriteString("\n  ]\n }\n}")
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.out.Close(); err != nil {
		return err
	}
	w.out = nil
	w.report()
	return nil
}

// moveChildren moves the entries of from into to and removes from.
func moveChildren(from, to string) error {
	entries, err := os.ReadDir(from)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(from)
}

// Abort releases open files; the Target removes the folder.
func (w *Writer) Abort() {
	if w.pending != nil {
		w.pending.Close()
	}
	if w.out != nil {
		w.out.Close()
	}
}

func (w *Writer) note(format string, args ...any) {
	if w.opts.Report != nil {
		w.opts.Report.Notef(format, args...)
	}
}

func (w *Writer) report() {
	r := w.opts.Report
	if r == nil {
		return
	}
	c := w.counters
	if c.subSecond > 0 {
		w.note("%s fractions of a second; Telegram's export keeps whole seconds", exporters.Count(c.subSecond, "time had", "times had"))
	}
	if c.noTime > 0 {
		w.note("%s", exporters.Count(c.noTime, "message had no time and was given the time of the message before it",
			"messages had no time and were given the time of the message before them"))
	}
	if c.split > 0 {
		w.note("%s several attachments or contact cards became one Telegram message for each",
			exporters.Count(c.split, "message with", "messages with"))
	}
	if c.lostReplies > 0 {
		r.Drop(model.FeatureReplies, c.lostReplies)
		w.note("%s at a message this export cannot name (not in the chat, or more than %s messages back)",
			exporters.Count(c.lostReplies, "reply points", "replies point"), strconv.Itoa(replyWindow))
	}
	if c.droppedAttachments > 0 {
		r.Drop(model.FeatureAttachments, c.droppedAttachments)
		w.note("%s", exporters.Count(c.droppedAttachments, "attachment of a deleted or view-once message was left out",
			"attachments of deleted or view-once messages were left out"))
	}
	if c.unnamed > 0 {
		r.Degrade(model.FeatureAttachments, c.unnamed)
		w.note("%s: Telegram's export names no photo it left out", exporters.Count(c.unnamed,
			"left-out photo lost its file name", "left-out photos lost their file names"))
	}
	if c.unreadable > 0 {
		r.Degrade(model.FeatureMediaFiles, c.unreadable)
	}
}
