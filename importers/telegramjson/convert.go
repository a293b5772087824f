package telegramjson

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// chatInfo is what the first pass learns about a chat: its head and its
// participants, in the order they first appear, and what its Warnings
// must say.
type chatInfo struct {
	head     chatHead
	parts    []model.Participant
	index    map[model.ParticipantID]int
	byName   map[string]model.ParticipantID
	seen     idSet
	lost     warnCounts
	messages int
}

type warnCounts struct {
	unsafePaths, missingFiles, replies, reactions, bad int
}

func newChatInfo() *chatInfo {
	return &chatInfo{index: map[model.ParticipantID]int{}, byName: map[string]model.ParticipantID{}}
}

// add records a participant; a later name fills an empty one.
func (c *chatInfo) add(id model.ParticipantID, name string) {
	if id == "" {
		return
	}
	if i, ok := c.index[id]; ok {
		if c.parts[i].Name == "" && name != "" {
			c.parts[i].Name = name
			c.byName[name] = id
		}
		return
	}
	c.index[id] = len(c.parts)
	c.parts = append(c.parts, model.Participant{ID: id, Name: name})
	if _, ok := c.byName[name]; name != "" && !ok {
		c.byName[name] = id
	}
}

// sender returns the participant id of a message's sender: its from_id,
// else its name, else "unknown" (a message Telegram exported without one).
func sender(idRaw []byte, name *string) (model.ParticipantID, string) {
	n := ""
	if name != nil {
		n = *name
	}
	if id := peerID(idRaw); id != "" {
		return model.ParticipantID(id), n
	}
	if n != "" {
		return model.ParticipantID("name:" + n), n
	}
	return "unknown", ""
}

// scan is the first pass's view of one message.
func (r *reader) scan(c *chatInfo, t *tgMessage) {
	c.messages++
	if t.Type == "service" {
		if present(t.ActorID) || t.Actor != nil {
			c.add(sender(t.ActorID, t.Actor))
		}
	} else if t.Type == "message" {
		c.add(sender(t.FromID, t.From))
	}
	for _, re := range t.Reactions {
		known := 0
		for _, rc := range re.Recent {
			id, name := sender(rc.FromID, rc.From)
			if id != "unknown" {
				c.add(id, name)
				known++
			}
		}
		if re.Emoji == "" || re.Count > known {
			c.lost.reactions += max(re.Count-known, 1)
		}
	}
	if t.ReplyTo != "" && (present(t.ReplyToPeer) || !c.seen.has(t.ReplyTo)) {
		c.lost.replies++
	}
	c.seen.add(t.ID)
	for _, p := range []string{t.Photo, t.File, t.ContactVcard} {
		if p == "" || skipped(p) {
			continue
		}
		if _, ok := r.mediaPath(p); !ok {
			c.lost.unsafePaths++
		} else if _, err := fs.Stat(r.media, p); err != nil {
			c.lost.missingFiles++
		}
	}
}

// mediaPath checks that a path from the JSON stays inside the export.
func (r *reader) mediaPath(p string) (string, bool) {
	p = strings.ReplaceAll(p, `\`, "/")
	if !fs.ValidPath(p) || p != path.Clean(p) {
		return "", false
	}
	return p, true
}

// chat builds the model chat from what the first pass learnt.
func (r *reader) chat(c *chatInfo) *model.Chat {
	name := ""
	if c.head.Name != nil {
		name = *c.head.Name
	}
	kind := model.Group
	switch c.head.Type {
	case "personal_chat", "bot_chat", "saved_messages", "replies", "":
		kind = model.Direct
	}
	if c.head.Type == "saved_messages" && name == "" {
		name = "Saved Messages"
	}
	if c.head.Type == "personal_chat" && name == "" {
		name = "Deleted Account" // how Telegram shows a chat it cannot name
	}
	if c.head.Type == "personal_chat" && c.head.ID != "" {
		c.add(model.ParticipantID("user"+string(c.head.ID)), name)
	}
	id := string(c.head.ID)
	if id == "" {
		id = "chat"
	}
	for n := 2; r.chatIDs[id]; n++ {
		id = string(c.head.ID) + "-" + strconv.Itoa(n)
	}
	r.chatIDs[id] = true
	parts := make([]model.Participant, len(c.parts))
	copy(parts, c.parts)
	me := -1
	for i := range parts {
		p := &parts[i]
		if me < 0 && ((r.me != "" && p.ID == r.me) || (r.opts.Me != "" && p.Name == r.opts.Me)) {
			p.Me = true
			p.Phone = r.mePhone
			me = i
		}
		if p.Name == "" {
			p.Name = "Deleted Account" // what Telegram shows for a sender it cannot name
		}
	}
	ch := &model.Chat{
		ID: model.ChatID(id), Title: name, Kind: kind, Participants: parts,
		Format: "telegram-json", Source: r.src.Path, TimePrecision: model.PrecisionSecond,
		Meta: map[string]string{"telegram_type": c.head.Type}, Media: r.media,
	}
	if c.head.Type == "" {
		delete(ch.Meta, "telegram_type")
	}
	ch.Warnings = c.lost.warnings(model.Pos{File: r.name})
	return ch
}

func (w warnCounts) warnings(pos model.Pos) []model.Warning {
	var list []model.Warning
	add := func(n int, code, format string) {
		if n > 0 {
			list = append(list, model.Warning{Pos: pos, Code: code, Text: fmt.Sprintf(format, n)})
		}
	}
	add(w.unsafePaths, "media-path-unsafe", "%d media paths leave the export's folder; those attachments are marked missing")
	add(w.missingFiles, "media-missing", "%d media files named in the export are not in its folder")
	add(w.replies, "reply-target-missing", "%d replies answer messages that are not in this chat's export")
	add(w.reactions, "reactions-anonymous", "%d reactions name no sender (Telegram lists only recent reactors), so they are left out")
	add(w.bad, "bad-message", "%d messages could not be read and are left out")
	return list
}

// convert maps one Telegram message to the model.
func (r *reader) convert(c *chatInfo, t *tgMessage, line int) (*model.Message, error) {
	pos := model.Pos{File: r.name, Line: line}
	if t.ID == "" {
		return nil, errorAt(pos, "message without an id")
	}
	ts, ok := stamp(t.Date, t.DateUnix)
	if !ok && t.Type != "unsupported" { // Telegram writes no date for those
		return nil, errorAt(pos, "message %s: invalid date %q", t.ID, t.Date)
	}
	m := &model.Message{ID: model.MessageID(t.ID), Time: ts, Source: pos}
	defer c.seen.add(t.ID)
	switch t.Type {
	case "service":
		r.service(c, t, m)
	case "message":
		r.message(c, t, m)
	case "unsupported":
		m.Kind = model.KindSystem
		m.Text = "This message could not be exported by Telegram"
		m.Event = &model.Event{Type: model.EventOther}
	default:
		return nil, errorAt(pos, "message %s: unknown type %q", t.ID, t.Type)
	}
	return m, nil
}

func (r *reader) service(c *chatInfo, t *tgMessage, m *model.Message) {
	actor := model.ParticipantID("")
	if present(t.ActorID) || t.Actor != nil {
		actor, _ = sender(t.ActorID, t.Actor)
	}
	m.Text = t.text()
	if t.Action == "phone_call" && actor != "" {
		m.Kind, m.Sender = model.KindCall, actor
		m.Call = &model.Call{Missed: t.DiscardReason == "missed" || t.DiscardReason == "busy",
			Duration: time.Duration(t.Duration) * time.Second}
		if m.Text == "" {
			m.Text = callWording(m.Call)
		}
		return
	}
	m.Kind = model.KindSystem
	e := &model.Event{Type: eventType(t, actor), Actor: actor}
	if e.Type == model.EventGroupCreated || e.Type == model.EventSubjectChanged {
		e.Subject = t.Title
	}
	for _, n := range t.Members {
		if n == nil {
			continue
		}
		if id, ok := c.byName[*n]; ok {
			e.Targets = append(e.Targets, id)
		}
	}
	if e.Type == model.EventMemberLeft {
		e.Targets = nil
	}
	m.Event = e
	if m.Text == "" {
		m.Text = t.InformationText
	}
	if m.Text == "" {
		m.Text = serviceWording(t)
	}
}

func eventType(t *tgMessage, actor model.ParticipantID) model.EventType {
	switch t.Action {
	case "create_group", "create_channel":
		return model.EventGroupCreated
	case "invite_members":
		return model.EventMemberAdded
	case "remove_members":
		if len(t.Members) == 1 && t.Members[0] != nil && t.Actor != nil && *t.Members[0] == *t.Actor {
			return model.EventMemberLeft
		}
		return model.EventMemberRemoved
	case "join_group_by_link", "join_group_by_request":
		return model.EventMemberJoined
	case "edit_group_title":
		return model.EventSubjectChanged
	case "edit_group_photo", "delete_group_photo":
		return model.EventIconChanged
	case "set_messages_ttl":
		return model.EventDisappearing
	case "phone_call", "group_call", "invite_to_group_call", "group_call_scheduled":
		return model.EventCall
	}
	return model.EventOther
}

// serviceWording describes a service message in English, for exports
// that leave its text empty (Telegram Desktop always does).
func serviceWording(t *tgMessage) string {
	actor := "Someone"
	if t.Actor != nil && *t.Actor != "" {
		actor = *t.Actor
	}
	var names []string
	for _, n := range t.Members {
		if n != nil {
			names = append(names, *n)
		} else {
			names = append(names, "Deleted Account")
		}
	}
	members := strings.Join(names, ", ")
	switch t.Action {
	case "create_group":
		return fmt.Sprintf("%s created group %q", actor, t.Title)
	case "create_channel":
		return fmt.Sprintf("%s created channel %q", actor, t.Title)
	case "invite_members":
		return actor + " added " + members
	case "remove_members":
		if len(t.Members) == 1 && t.Members[0] != nil && t.Actor != nil && *t.Members[0] == *t.Actor {
			return actor + " left"
		}
		return actor + " removed " + members
	case "join_group_by_link":
		return actor + " joined the group via invite link"
	case "join_group_by_request":
		return actor + " was accepted into the group"
	case "edit_group_title":
		return fmt.Sprintf("%s changed the group name to %q", actor, t.Title)
	case "edit_group_photo":
		return actor + " changed the group photo"
	case "delete_group_photo":
		return actor + " removed the group photo"
	case "pin_message":
		return actor + " pinned a message"
	case "migrate_to_supergroup", "migrate_from_group":
		return actor + " converted the group to a supergroup"
	case "clear_history":
		return actor + " cleared the history"
	case "joined_telegram":
		return actor + " joined Telegram"
	case "":
		return actor + " (service message)"
	}
	return actor + " — " + strings.ReplaceAll(t.Action, "_", " ")
}

func callWording(c *model.Call) string {
	if c.Missed {
		return "Missed call"
	}
	if c.Duration > 0 {
		s := int(c.Duration / time.Second)
		return fmt.Sprintf("Call (%d:%02d)", s/60, s%60)
	}
	return "Call"
}

func (r *reader) message(c *chatInfo, t *tgMessage, m *model.Message) {
	m.Sender, _ = sender(t.FromID, t.From)
	m.Kind = model.KindText
	m.Text = t.text()
	m.Forwarded = present(t.ForwardedFrom) || present(t.SavedFrom)
	if t.Edited != "" && t.EditedUnix != "0" {
		if ed, ok := stamp(t.Edited, t.EditedUnix); ok && (t.EditedUnix != "" || ed.Wall().Year() > 1970) {
			m.Edited = true
			if t.EditedUnix != t.DateUnix || t.EditedUnix == "" {
				m.EditedAt = ed
			}
		}
	}
	if t.ReplyTo != "" && !present(t.ReplyToPeer) && c.seen.has(t.ReplyTo) {
		m.ReplyTo = model.MessageID(t.ReplyTo)
	}
	r.reactions(t, m)
	switch {
	case t.Photo != "":
		m.Kind = model.KindMedia
		a := r.attachment(t.Photo, "", t.PhotoFileSize)
		a.Kind, a.MIME, a.Width, a.Height = model.MediaImage, "image/jpeg", t.Width, t.Height // Telegram's photos are JPEG
		m.Attachments = []model.Attachment{a}
	case t.File != "":
		m.Kind = model.KindMedia
		a := r.attachment(t.File, t.FileName, t.FileSize)
		a.Kind = mediaKind(t.MediaType, t.MimeType)
		a.MIME, a.Width, a.Height = t.MimeType, t.Width, t.Height
		a.Duration = time.Duration(t.Duration) * time.Second
		if a.Kind == model.MediaSticker {
			m.Kind = model.KindSticker
		}
		m.Attachments = []model.Attachment{a}
	}
	if ci := t.ContactInformation; ci != nil {
		m.Kind = model.KindContact
		ct := model.Contact{Name: strings.TrimSpace(ci.FirstName + " " + ci.LastName)}
		if ci.PhoneNumber != "" {
			ct.Phones = []string{ci.PhoneNumber}
		}
		m.Contacts = []model.Contact{ct}
		if t.ContactVcard != "" {
			a := r.attachment(t.ContactVcard, "", 0)
			a.Kind, a.MIME = model.MediaContact, "text/vcard"
			m.Attachments = append(m.Attachments, a)
		}
	}
	if li := t.LocationInformation; li != nil {
		m.Kind = model.KindLocation
		m.Location = &model.Location{Latitude: li.Latitude, Longitude: li.Longitude,
			Name: t.PlaceName, Address: t.Address, Live: t.LivePeriod != nil}
	}
	if p := t.Poll; p != nil {
		m.Kind = model.KindPoll
		m.Poll = &model.Poll{Question: richText(p.Question)}
		for _, a := range p.Answers {
			m.Poll.Options = append(m.Poll.Options, model.PollOption{Text: richText(a.Text), Votes: a.Voters})
		}
		if m.Text == "" {
			m.Text = m.Poll.Question
		}
	}
}

func (r *reader) reactions(t *tgMessage, m *model.Message) {
	loc := m.Time.Wall().Location()
	for _, re := range t.Reactions {
		if re.Emoji == "" {
			continue
		}
		for _, rc := range re.Recent {
			id, _ := sender(rc.FromID, rc.From)
			if id == "unknown" {
				continue
			}
			reac := model.Reaction{Emoji: re.Emoji, Sender: id}
			if w, err := time.ParseInLocation("2006-01-02T15:04:05", rc.Date, loc); err == nil {
				if m.Time.IsFloating() {
					reac.Time = model.Floating(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, model.PrecisionSecond)
				} else {
					reac.Time = model.Zoned(w, model.PrecisionSecond)
				}
			}
			m.Reactions = append(m.Reactions, reac)
		}
	}
}

func mediaKind(mediaType, mime string) model.MediaKind {
	switch mediaType {
	case "sticker":
		return model.MediaSticker
	case "voice_message":
		return model.MediaVoice
	case "video_message", "video_file":
		return model.MediaVideo
	case "animation":
		return model.MediaGIF
	case "audio_file":
		return model.MediaAudio
	}
	return model.MediaKindOfMIME(mime)
}

// attachment resolves a media path of the JSON. A path Telegram left out
// gives an omitted attachment, a path outside the export or to a file the
// folder lacks a missing one.
func (r *reader) attachment(p, name string, size int64) model.Attachment {
	if skipped(p) {
		return model.Attachment{Name: name, Omitted: true}
	}
	if name == "" {
		name = path.Base(strings.ReplaceAll(p, `\`, "/"))
	}
	a := model.Attachment{Name: name, Size: size}
	clean, ok := r.mediaPath(p)
	if !ok {
		a.Missing = true
		return a
	}
	fi, err := fs.Stat(r.media, clean)
	if err != nil || !fi.Mode().IsRegular() {
		a.Missing = true
		return a
	}
	a.Path, a.Size = clean, fi.Size()
	return a
}
