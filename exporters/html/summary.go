package html

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters/internal/markup"
	"github.com/chatferry/chatferry/model"
)

// chatSummary is what stays in memory of a chat: enough for the header of
// its pages while it is open, and for its entry in the index.
type chatSummary struct {
	Anchor, Folder string
	Title          string
	Group          bool
	Participants   []participantView
	Format, Source string
	Precision      string
	Meta           []keyValue
	Warnings       []string
	Messages       int
	First, Last    string // day labels
	Floating       bool   // some times have no zone
	Zoned          bool   // some times have one
	Pages          []pageSummary

	me       model.ParticipantID
	markedUp bool // the text is written in WhatsApp's markup
	names    map[model.ParticipantID]string
	colors   map[model.ParticipantID]string
}

type participantView struct {
	Name, Phone, Color string
	Me                 bool
}

type keyValue struct{ Key, Value string }

// pageSummary is one page of a chat in the index.
type pageSummary struct {
	Href        string
	Number      int
	First, Last string
	Count       int
}

// senderColors is the number of name colours the stylesheet defines.
const senderColors = 12

func newChatSummary(c *model.Chat, anchor, folder, me string) *chatSummary {
	s := &chatSummary{
		Anchor: anchor, Folder: folder, Title: c.Title,
		Group: c.Kind == model.Group, Format: c.Format, Source: baseName(c.Source),
		Precision: c.TimePrecision.String(), markedUp: markup.Applies(c.Format),
		names: map[model.ParticipantID]string{}, colors: map[model.ParticipantID]string{},
	}
	if s.Title == "" {
		s.Title = "Untitled chat " + string(c.ID)
	}
	s.me = whoIsMe(c, me)
	colour := 0
	for _, p := range c.Participants {
		v := participantView{Name: p.Name, Phone: p.Phone, Me: p.ID == s.me}
		if v.Name == "" {
			v.Name = p.Phone
		}
		if v.Name == "" {
			v.Name = string(p.ID)
		}
		if !v.Me {
			v.Color = "c" + strconv.Itoa(colour%senderColors)
			colour++
		}
		s.Participants = append(s.Participants, v)
		s.names[p.ID], s.colors[p.ID] = v.Name, v.Color
	}
	for k, v := range c.Meta {
		s.Meta = append(s.Meta, keyValue{k, v})
	}
	sort.Slice(s.Meta, func(i, j int) bool { return s.Meta[i].Key < s.Meta[j].Key })
	for _, w := range c.Warnings {
		w.Pos.File = baseName(w.Pos.File)
		s.Warnings = append(s.Warnings, w.String())
	}
	return s
}

// whoIsMe returns the participant whose messages are one's own: the one
// the user named (by name or phone number) when there is one, else the
// one the input marks.
func whoIsMe(c *model.Chat, me string) model.ParticipantID {
	if me != "" {
		for _, p := range c.Participants {
			if p.Name == me || p.Phone == me {
				return p.ID
			}
		}
	}
	if p := c.Me(); p != nil {
		return p.ID
	}
	return ""
}

// name returns how a page names participant id.
func (s *chatSummary) name(id model.ParticipantID) string {
	if n, ok := s.names[id]; ok {
		return n
	}
	return string(id)
}

// add counts a message written on page pg.
func (s *chatSummary) add(v *messageView, pg *pageSummary) {
	s.Messages++
	pg.Count++
	if v.day == "" {
		return
	}
	if s.First == "" {
		s.First = v.day
	}
	s.Last = v.day
	if pg.First == "" {
		pg.First = v.day
	}
	pg.Last = v.day
}

// indexView is what index.html shows.
type indexView struct {
	Title    string
	Chats    []*chatSummary
	Messages int
	TimeNote string
}

func (w *Writer) indexView() indexView {
	v := indexView{Title: w.title, Chats: w.chats}
	floating, zoned := false, false
	for _, c := range w.chats {
		v.Messages += c.Messages
		floating = floating || c.Floating
		zoned = zoned || c.Zoned
	}
	v.TimeNote = timeNote(floating, zoned, w.tz)
	return v
}

// timeNote says how a page shows times.
func timeNote(floating, zoned bool, tz *time.Location) string {
	switch {
	case floating && zoned:
		return "Times with a zone are shown in " + zoneName(tz) + "; times the export wrote without a zone are shown as written."
	case zoned:
		return "Times are shown in " + zoneName(tz) + "."
	case floating:
		return "Times are shown as the export wrote them; it recorded no time zone."
	}
	return ""
}

// baseName is the last element of a path of either kind of separator: an
// archive names its inputs without the folders of the machine that wrote
// it.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 && i < len(p)-1 {
		return p[i+1:]
	}
	return p
}
