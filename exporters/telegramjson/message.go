package telegramjson

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/markup"
	"github.com/chatferry/chatferry/model"
)

// msgDepth is where a message object stands in a single-chat export.
const msgDepth = 2

// notIncluded is what Telegram Desktop writes for a file it left out.
const notIncluded = "(File not included. Change data exporting settings to download.)"

// chatState is what the writer knows about the chat being written.
type chatState struct {
	markedUp bool // the text is written in WhatsApp's markup

	chat   *model.Chat
	users  map[model.ParticipantID]int64
	ids    idMap
	next   int64
	dirs   map[string]*exporters.MediaDir
	root   string // folder the chat's media paths are relative to, in the output
	prefix string // written in front of media paths: "" or "chats/chat_002/"; "\x00" while pending
}

// stamp returns Telegram's "date" (the wall clock in the export's zone)
// and "date_unixtime" for ts. Floating times are read in the zone.
func (w *Writer) stamp(ts model.Timestamp) (string, int64) {
	var t time.Time
	if ts.IsFloating() {
		t = ts.In(w.tz)
		if ts.Wall().Nanosecond() != 0 {
			w.subSecond++
		}
	} else {
		t = ts.In(w.tz)
		if t.Nanosecond() != 0 {
			w.subSecond++
		}
	}
	return t.Format("2006-01-02T15:04:05"), t.Unix()
}

// render returns the Telegram messages m becomes: one, or one per
// attachment or contact card.
func (w *Writer) render(m *model.Message) ([][]byte, error) {
	cs := w.cur
	if m.Time.IsZero() {
		m = withTime(m, w.lastTime)
		w.noTime++
	} else {
		w.lastTime = m.Time
	}
	date, unix := w.stamp(m.Time)
	head := func(id int64, service bool) []kv {
		typ := "message"
		if service {
			typ = "service"
		}
		kvs := []kv{{"id", num(id)}, {"type", str(typ)}, {"date", str(date)},
			{"date_unixtime", str(strconv.FormatInt(unix, 10))}}
		if m.Edited {
			ed, eu := date, unix
			if !m.EditedAt.IsZero() {
				ed, eu = w.stamp(m.EditedAt)
			}
			kvs = append(kvs, kv{"edited", str(ed)}, kv{"edited_unixtime", str(strconv.FormatInt(eu, 10))})
		}
		return kvs
	}
	newID := func() int64 {
		cs.next++
		return cs.next
	}
	if m.Kind == model.KindSystem || m.Kind == model.KindCall {
		id := newID()
		cs.ids.put(m.ID, id)
		svc, custom := w.service(m)
		kvs := append(head(id, true), svc...)
		if custom {
			kvs = append(kvs, textKVs("")...) // the wording is the information_text
		} else {
			kvs = append(kvs, textKVs(m.Text)...)
		}
		return [][]byte{object(msgDepth, kvs)}, nil
	}
	parts, err := w.mediaParts(m)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(parts))
	for i, media := range parts {
		id := newID()
		if i == 0 {
			cs.ids.put(m.ID, id)
		}
		kvs := head(id, false)
		kvs = append(kvs, kv{"from", strOrNull(w.name(m.Sender))}, kv{"from_id", w.peerID(m.Sender)})
		text := ""
		if i == 0 {
			if m.Forwarded {
				kvs = append(kvs, kv{"forwarded_from", []byte("null")})
			}
			if m.ReplyTo != "" {
				if to, ok := cs.ids.get(m.ReplyTo); ok {
					kvs = append(kvs, kv{"reply_to_message_id", num(to)})
				} else {
					w.lostReplies++
				}
			} else if m.Quote != nil {
				w.lostReplies++
			}
			text = m.Text
		}
		kvs = append(kvs, media...)
		kvs = append(kvs, w.styledTextKVs(text)...)
		if i == 0 && len(m.Reactions) > 0 {
			kvs = append(kvs, kv{"reactions", w.reactions(m)})
		}
		out = append(out, object(msgDepth, kvs))
	}
	if len(parts) > 1 {
		w.split++
	}
	return out, nil
}

func withTime(m *model.Message, t model.Timestamp) *model.Message {
	c := *m
	c.Time = t
	return &c
}

// textKVs returns "text" and "text_entities" for plain text.
func textKVs(text string) []kv {
	if text == "" {
		return []kv{{"text", str("")}, {"text_entities", []byte("[]")}}
	}
	ent := object(msgDepth+2, []kv{{"type", str("plain")}, {"text", str(text)}})
	return []kv{{"text", str(text)}, {"text_entities", array(msgDepth+1, [][]byte{ent})}}
}

// styledTextKVs returns "text" and "text_entities" for a message's text:
// in chats written in WhatsApp's markup, a styled piece becomes an entity
// of its type (bold, italic, strikethrough, code, pre) without its marks,
// as Telegram Desktop writes them. Telegram's entities do not nest: a
// piece styled twice (*_bold italic_*) keeps its outer style, as Telegram
// Desktop's export does with overlapping entities; that is counted.
func (w *Writer) styledTextKVs(text string) []kv {
	if !w.cur.markedUp {
		return textKVs(text)
	}
	parts, nested := entityParts(markup.Parse(text))
	if len(parts) <= 1 && (len(parts) == 0 || parts[0].typ == "plain") {
		return textKVs(text)
	}
	if nested > 0 {
		w.opts.Report.Degrade(model.FeatureText, nested)
		w.opts.Report.Notef("text styled twice (*_bold italic_*) keeps its outer style: Telegram's styles do not nest")
	}
	if parts[len(parts)-1].typ != "plain" {
		parts = append(parts, entityPart{typ: "plain"}) // as Telegram Desktop ends such a text
	}
	textItems := make([][]byte, len(parts))
	entities := make([][]byte, len(parts))
	for i, p := range parts {
		kvs := []kv{{"type", str(p.typ)}, {"text", str(p.text)}}
		if p.typ == "pre" {
			kvs = append(kvs, kv{"language", str("")})
		}
		if p.typ == "plain" {
			textItems[i] = str(p.text)
		} else {
			textItems[i] = object(msgDepth+2, kvs)
		}
		entities[i] = object(msgDepth+2, kvs)
	}
	return []kv{{"text", array(msgDepth+1, textItems)}, {"text_entities", array(msgDepth+1, entities)}}
}

// entityPart is a piece of text with one Telegram entity type.
type entityPart struct {
	typ, text string
}

// entityParts turns styled spans into Telegram's flat entities: from each
// span on, the style that runs longest (the outermost) takes the run; it
// returns how many spans lost a style inside it.
func entityParts(spans []markup.Span) (parts []entityPart, nested int) {
	for i := 0; i < len(spans); {
		st := spans[i].Style
		if st == 0 {
			parts = append(parts, entityPart{"plain", spans[i].Text})
			i++
			continue
		}
		best, run := markup.Style(0), 0
		for _, s := range []markup.Style{markup.Mono, markup.Code, markup.Bold, markup.Italic, markup.Strike} {
			if st&s == 0 {
				continue
			}
			n := 1
			for i+n < len(spans) && spans[i+n].Style&s != 0 {
				n++
			}
			if n > run {
				best, run = s, n
			}
		}
		var b strings.Builder
		for _, sp := range spans[i : i+run] {
			b.WriteString(sp.Text)
			if sp.Style != best {
				nested++
			}
		}
		parts = append(parts, entityPart{entityType[best], b.String()})
		i += run
	}
	return parts, nested
}

// entityType names the Telegram entity of each style.
var entityType = map[markup.Style]string{markup.Bold: "bold", markup.Italic: "italic",
	markup.Strike: "strikethrough", markup.Mono: "pre", markup.Code: "code"}

func (w *Writer) name(id model.ParticipantID) string {
	if p := w.cur.chat.Participant(id); p != nil {
		return p.Name
	}
	return ""
}

func (w *Writer) peerID(id model.ParticipantID) []byte {
	return str("user" + strconv.FormatInt(w.cur.users[id], 10))
}

// reactions groups the reactions of m by emoji, in the order each emoji
// first appears, as Telegram's "reactions" array.
func (w *Writer) reactions(m *model.Message) []byte {
	var order []string
	by := map[string][]model.Reaction{}
	for _, r := range m.Reactions {
		if _, ok := by[r.Emoji]; !ok {
			order = append(order, r.Emoji)
		}
		by[r.Emoji] = append(by[r.Emoji], r)
	}
	items := make([][]byte, 0, len(order))
	for _, e := range order {
		var recent [][]byte
		for _, r := range by[e] {
			kvs := []kv{{"from", strOrNull(w.name(r.Sender))}, {"from_id", w.peerID(r.Sender)}}
			if !r.Time.IsZero() {
				d, _ := w.stamp(r.Time)
				kvs = append(kvs, kv{"date", str(d)})
			}
			recent = append(recent, object(msgDepth+4, kvs))
		}
		items = append(items, object(msgDepth+2, []kv{{"type", str("emoji")},
			{"count", num(int64(len(by[e])))}, {"emoji", str(e)}, {"recent", array(msgDepth+3, recent)}}))
	}
	return array(msgDepth+1, items)
}

// service returns the keys of a service message after its head: actor,
// action and the action's own keys. Events Telegram has no action for
// are written as Telegram's custom actions, with "information_text"
// (custom is then true).
func (w *Writer) service(m *model.Message) (kvs []kv, custom bool) {
	actor := m.Sender
	if m.Event != nil {
		actor = m.Event.Actor
	}
	if actor != "" {
		kvs = append(kvs, kv{"actor", strOrNull(w.name(actor))}, kv{"actor_id", w.peerID(actor)})
	}
	action := func(a string, more ...kv) []kv {
		return append(append(kvs, kv{"action", str(a)}), more...)
	}
	members := func(ids []model.ParticipantID) kv {
		var items [][]byte
		for _, id := range ids {
			items = append(items, strOrNull(w.name(id)))
		}
		return kv{"members", array(msgDepth+1, items)}
	}
	if m.Kind == model.KindCall {
		reason := "hangup"
		var dur []byte
		if m.Call != nil {
			if m.Call.Missed {
				reason = "missed"
			}
			if s := int64(m.Call.Duration / time.Second); s > 0 {
				dur = num(s)
			}
		}
		return action("phone_call", kv{"duration_seconds", dur}, kv{"discard_reason", str(reason)}), false
	}
	e := m.Event
	switch e.Type {
	case model.EventGroupCreated:
		return action("create_group", kv{"title", nonEmpty(e.Subject)}, members(e.Targets)), false
	case model.EventMemberAdded:
		return action("invite_members", members(e.Targets)), false
	case model.EventMemberRemoved:
		return action("remove_members", members(e.Targets)), false
	case model.EventMemberLeft:
		if e.Actor != "" {
			return action("remove_members", members([]model.ParticipantID{e.Actor})), false
		}
	case model.EventMemberJoined:
		if e.Actor != "" {
			return action("join_group_by_link", kv{"inviter", []byte("null")}), false
		}
	case model.EventSubjectChanged:
		if e.Subject != "" {
			return action("edit_group_title", kv{"title", str(e.Subject)}), false
		}
	case model.EventIconChanged:
		return action("edit_group_photo"), false
	}
	return append(kvs, kv{"information_text", str(m.Text)}), true
}

// mediaParts returns the media keys of each Telegram message m becomes:
// one set per attachment, one per contact card without a file, or one
// empty set for a message without media.
func (w *Writer) mediaParts(m *model.Message) ([][]kv, error) {
	switch {
	case m.Kind == model.KindDeleted || m.Kind == model.KindViewOnce:
		w.droppedAttachments += len(m.Attachments)
		return [][]kv{nil}, nil
	case len(m.Attachments) > 0:
		parts := make([][]kv, 0, len(m.Attachments))
		for i := range m.Attachments {
			var ct *model.Contact
			if i < len(m.Contacts) {
				ct = &m.Contacts[i]
			}
			kvs, err := w.attachment(m, &m.Attachments[i], ct)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				kvs = append(kvs, w.extras(m)...)
			}
			parts = append(parts, kvs)
		}
		return parts, nil
	case m.Kind == model.KindContact && len(m.Contacts) > 0:
		parts := make([][]kv, 0, len(m.Contacts))
		for i := range m.Contacts {
			kvs, err := w.contactCard(&m.Contacts[i])
			if err != nil {
				return nil, err
			}
			parts = append(parts, kvs)
		}
		return parts, nil
	}
	return [][]kv{w.extras(m)}, nil
}

// extras returns the keys of polls and locations.
func (w *Writer) extras(m *model.Message) []kv {
	var kvs []kv
	if p := m.Poll; p != nil {
		var answers [][]byte
		total := 0
		me := w.cur.chat.Me()
		for _, o := range p.Options {
			total += o.Votes
			chosen := false
			for _, v := range o.Voters {
				chosen = chosen || (me != nil && v == me.ID)
			}
			answers = append(answers, object(msgDepth+3, []kv{{"text", str(o.Text)},
				{"voters", num(int64(o.Votes))}, {"chosen", boolean(chosen)}}))
		}
		kvs = append(kvs, kv{"poll", object(msgDepth+1, []kv{{"question", str(p.Question)},
			{"closed", boolean(false)}, {"total_voters", num(int64(total))},
			{"answers", array(msgDepth+2, answers)}})})
	}
	if l := m.Location; l != nil {
		loc := object(msgDepth+1, []kv{{"latitude", float(l.Latitude)}, {"longitude", float(l.Longitude)}})
		if l.Name != "" || l.Address != "" {
			kvs = append(kvs, kv{"place_name", nonEmpty(l.Name)}, kv{"address", nonEmpty(l.Address)})
			if l.HasCoordinates() { // a place known by name only has no position to give
				kvs = append(kvs, kv{"location_information", loc})
			}
		} else {
			kvs = append(kvs, kv{"location_information", loc})
			if l.Live {
				kvs = append(kvs, kv{"live_location_period_seconds", num(0)})
			}
		}
	}
	return kvs
}

// mediaFolder returns Telegram's folder and media_type for an attachment.
func mediaFolder(a *model.Attachment) (folder, mediaType string) {
	switch a.Kind {
	case model.MediaImage:
		if a.MIME == "" || a.MIME == "image/jpeg" {
			return "photos", "" // Telegram's photos are JPEG; other images are files
		}
		return "files", ""
	case model.MediaVideo:
		return "video_files", "video_file"
	case model.MediaGIF:
		return "video_files", "animation"
	case model.MediaVoice:
		return "voice_messages", "voice_message"
	case model.MediaAudio:
		return "files", "audio_file"
	case model.MediaSticker:
		return "stickers", "sticker"
	case model.MediaContact:
		return "contacts", ""
	}
	return "files", ""
}

// attachment copies the file of a beside result.json and returns its keys.
func (w *Writer) attachment(m *model.Message, a *model.Attachment, ct *model.Contact) ([]kv, error) {
	folder, mediaType := mediaFolder(a)
	p, size, err := w.copyMedia(folder, a)
	if err != nil {
		return nil, err
	}
	if p == notIncluded && (a.Name != "" || a.Path != "") && folder == "photos" {
		w.unnamed++ // Telegram keeps no name for a photo it left out
	}
	switch {
	case folder == "photos":
		kvs := []kv{{"photo", w.pathValue(p)}, {"photo_file_size", num(size)}}
		if a.Width > 0 && a.Height > 0 {
			kvs = append(kvs, kv{"width", num(int64(a.Width))}, kv{"height", num(int64(a.Height))})
		}
		return kvs, nil
	case folder == "contacts":
		first := strings.TrimSuffix(a.Name, path.Ext(a.Name))
		phone := ""
		if ct != nil {
			first = ct.Name
			if len(ct.Phones) > 0 {
				phone = ct.Phones[0]
			}
		}
		return []kv{{"contact_information", contactInfo(first, phone)}, {"contact_vcard", w.pathValue(p)},
			{"contact_vcard_file_size", num(size)}}, nil
	}
	kvs := []kv{{"file", w.pathValue(p)}, {"file_name", nonEmpty(a.Name)}, {"file_size", num(size)},
		{"media_type", nonEmpty(mediaType)}, {"mime_type", nonEmpty(a.MIME)}}
	if a.Duration > 0 {
		kvs = append(kvs, kv{"duration_seconds", num(int64(a.Duration / time.Second))})
	}
	if a.Width > 0 && a.Height > 0 {
		kvs = append(kvs, kv{"width", num(int64(a.Width))}, kv{"height", num(int64(a.Height))})
	}
	return kvs, nil
}

func contactInfo(first, phone string) []byte {
	return object(msgDepth+1, []kv{{"first_name", str(first)}, {"last_name", str("")}, {"phone_number", str(phone)}})
}

// copyMedia copies an attachment's file into folder and returns the path
// to write, or notIncluded when the input does not hold the file.
func (w *Writer) copyMedia(folder string, a *model.Attachment) (string, int64, error) {
	cs := w.cur
	if a.Omitted || a.Path == "" || cs.chat.Media == nil {
		return notIncluded, 0, nil
	}
	d := cs.dirs[folder]
	if d == nil {
		d = &exporters.MediaDir{Root: cs.root, Sub: folder}
		cs.dirs[folder] = d
	}
	rel, err := d.Copy(cs.chat, a)
	if errors.Is(err, exporters.ErrNoMedia) {
		// A file the input names but does not hold, or a path that
		// leaves it: written as left out, and said so.
		w.unreadable++
		w.note("%v", err)
		return notIncluded, 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	fi, err := os.Stat(filepath.Join(cs.root, filepath.FromSlash(rel)))
	if err != nil {
		return "", 0, err
	}
	return rel, fi.Size(), nil
}

// pathValue renders the JSON string of a media path relative to the
// chat's media root. While the first chat is pending its paths start with
// a raw NUL byte (never found in JSON text) that is later replaced by the
// chat's folder.
func (w *Writer) pathValue(rel string) []byte {
	if rel == notIncluded {
		return str(rel)
	}
	if w.cur.prefix == "\x00" {
		return append([]byte{'"', 0}, str(rel)[1:]...)
	}
	return str(w.cur.prefix + rel)
}

// contactCard returns the keys of a shared contact that came without a
// card: Telegram's contact_information (it writes contact_vcard only for
// a card it has).
func (w *Writer) contactCard(ct *model.Contact) ([]kv, error) {
	phone := ""
	if len(ct.Phones) > 0 {
		phone = ct.Phones[0]
	}
	return []kv{{"contact_information", contactInfo(ct.Name, phone)}}, nil
}
