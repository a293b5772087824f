package html

import (
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chatferry/chatferry/model"
)

// pageView is what the start and end of a chat page or search page show.
type pageView struct {
	Archive    string
	Chat       *chatSummary
	Page       int
	First      bool   // the chat's first page: show its details
	Prev, Next string // neighbour pages, relative to the page
	TimeNote   string
	From, To   int // on a search page: the numbers of its first and last message
}

// searchView is the start and end of the current search page: its
// neighbours, and the messages it holds so far.
func (p *chatPages) searchView(more bool) pageView {
	n := p.searchPage
	v := pageView{Archive: p.w.title, Chat: p.sum, Page: n, TimeNote: timeNote(p.sum.Floating, p.sum.Zoned, p.w.tz),
		From: p.ordinal - p.onSearch + 1, To: p.ordinal}
	if p.onSearch == 0 {
		v.From = p.ordinal + 1
	}
	if n > 1 {
		v.Prev = searchName(n - 1)
	}
	if more {
		v.Next = searchName(n + 1)
	}
	return v
}

func (p *chatPages) pageView(more bool) pageView {
	v := pageView{Archive: p.w.title, Chat: p.sum, Page: p.page, First: p.page == 1,
		TimeNote: timeNote(p.sum.Floating, p.sum.Zoned, p.w.tz)}
	if p.page > 1 {
		v.Prev = pageName(p.page - 1)
	}
	if more {
		v.Next = pageName(p.page + 1)
	}
	return v
}

// messageView is what a page shows of one message.
type messageView struct {
	Anchor     string
	Day        *timeView // set when a day separator comes first
	Time       timeView
	Kind       string // the message kind, as a class
	System     bool
	Own        bool
	Sender     string
	Color      string
	ShowSender bool
	Forwarded  bool
	Edited     string // "" or the title of the edited mark
	Deleted    bool
	ViewOnce   bool
	Quote      *quoteView
	Text       []segment
	Muted      string // source wording shown quietly (view-once)
	Attach     []attachmentView
	Poll       *pollView
	Location   *locationView
	Contacts   []contactView
	Call       *callView
	Reactions  []reactionView

	day string // the index's day label
}

type quoteView struct {
	Href, Sender, Color, Text string
}

type attachmentView struct {
	Show          string // image, video, audio, file or absent
	Href          string
	Name, Info    string
	Icon, Note    string
	Width, Height int
	Sticker       bool
}

type pollView struct {
	Question string
	Multiple bool
	Options  []pollOptionView
}

type pollOptionView struct {
	Text          string
	Votes, Max    int
	Voters, Label string
}

type locationView struct {
	Name, Address string
	Coords, Exact string
	Href          string
	Geo           template.URL
	Live          bool
}

type contactView struct {
	Name   string
	Phones []phoneView
	VCard  string
}

type phoneView struct {
	Number string
	Href   template.URL
}

type callView struct {
	Label, Duration, Icon string
	Missed                bool
}

type reactionView struct {
	Emoji string
	Count int
	Who   string
}

func (p *chatPages) messageView(m *model.Message) (*messageView, error) {
	s := p.sum
	v := &messageView{
		Anchor: "m" + strconv.Itoa(p.ordinal),
		Time:   showTime(m.Time, p.w.tz),
		Kind:   string(m.Kind),
		System: m.Kind == model.KindSystem,
		Own:    m.Sender != "" && m.Sender == s.me,
		Sender: s.name(m.Sender), Color: s.colors[m.Sender],
		Forwarded: m.Forwarded,
	}
	if !m.Time.IsZero() {
		if m.Time.IsFloating() {
			s.Floating = true
		} else {
			s.Zoned = true
		}
		v.day = dayLabel(m.Time, p.w.tz)
		if v.Time.DayKey != p.lastDay {
			p.lastDay, p.lastSender = v.Time.DayKey, ""
			v.Day = &v.Time
		}
	}
	if v.System {
		p.lastSender = ""
		v.Text = []segment{{Text: eventText(m, s)}}
		p.remember(m, v)
		return v, nil
	}
	v.ShowSender = !v.Own && (s.Group || s.me == "") && m.Sender != p.lastSender
	p.lastSender = m.Sender
	if m.Edited {
		v.Edited = "edited"
		if !m.EditedAt.IsZero() {
			v.Edited = "edited " + showTime(m.EditedAt, p.w.tz).Full
		}
	}
	v.Quote = p.quote(m)
	switch m.Kind {
	case model.KindDeleted:
		v.Deleted = true
		v.Text = []segment{{Text: orDefault(m.Text, "This message was deleted")}}
	case model.KindViewOnce:
		v.ViewOnce = true
		v.Muted = m.Text
	case model.KindCall:
		v.Call = callOf(m)
	case model.KindLocation:
		if m.Location != nil {
			v.Location = locationOf(m.Location)
			if m.Location.URL == "" || !strings.Contains(m.Text, m.Location.URL) {
				v.Text = richText(m.Text, s.markedUp)
			}
		} else {
			v.Text = richText(m.Text, s.markedUp)
		}
	default:
		v.Text = richText(m.Text, s.markedUp)
	}
	if m.Poll != nil {
		v.Poll = pollOf(m.Poll, s)
		// The text of a poll is the source's rendering of it (the
		// question, or the whole block with its options); the poll shows it.
		if m.Kind == model.KindPoll && strings.Contains(m.Text, m.Poll.Question) {
			v.Text = nil
		}
	}
	for _, c := range m.Contacts {
		v.Contacts = append(v.Contacts, contactOf(c))
	}
	for i := range m.Attachments {
		a, err := p.attachment(&m.Attachments[i], m.Kind == model.KindSticker)
		if err != nil {
			return nil, err
		}
		v.Attach = append(v.Attach, a)
	}
	v.Reactions = reactionsOf(m.Reactions, s, p.w.tz)
	p.remember(m, v)
	return v, nil
}

// remember keeps what a later reply on the same page may show of m.
func (p *chatPages) remember(m *model.Message, v *messageView) {
	var b strings.Builder
	for _, sg := range v.Text {
		b.WriteString(sg.Text)
	}
	snippet := b.String()
	if snippet == "" {
		switch {
		case m.Poll != nil:
			snippet = "📊 " + m.Poll.Question
		case len(m.Attachments) > 0:
			snippet = "📎 " + orDefault(m.Attachments[0].Name, string(m.Kind))
		default:
			snippet = string(m.Kind)
		}
	}
	p.onThisPage[m.ID] = replyTarget{anchor: v.Anchor, sender: m.Sender, snippet: shorten(snippet, 160)}
}

// quote returns what a reply shows of the message it answers: the quoted
// text the source kept, or else the answered message when it is on the
// same page, linked when it is.
func (p *chatPages) quote(m *model.Message) *quoteView {
	if m.ReplyTo == "" && m.Quote == nil {
		return nil
	}
	target, onPage := p.onThisPage[m.ReplyTo]
	q := &quoteView{Text: "a message that is not on this page"}
	if onPage {
		q.Href = "#" + target.anchor
		q.Sender, q.Color = p.sum.name(target.sender), p.sum.colors[target.sender]
		q.Text = target.snippet
	}
	if m.Quote != nil {
		q.Text = shorten(shownText(m.Quote.Text, p.sum.markedUp), 400)
		if m.Quote.Sender != "" {
			q.Sender, q.Color = p.sum.name(m.Quote.Sender), p.sum.colors[m.Quote.Sender]
		}
	}
	return q
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// shorten cuts s to at most n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// When is the day and time a search result shows.
func (v *messageView) When() string {
	if v.day == "" {
		return ""
	}
	return v.day + " " + v.Time.Short
}

// Plain is the message as one line of text for the chat's search page:
// its text and the words of everything it carries.
func (v *messageView) Plain() string {
	var parts []string
	add := func(s ...string) {
		for _, x := range s {
			if x != "" {
				parts = append(parts, x)
			}
		}
	}
	var b strings.Builder
	for _, sg := range v.Text {
		b.WriteString(sg.Text)
	}
	add(b.String())
	if v.ViewOnce {
		add("View-once media")
	}
	for _, a := range v.Attach {
		add(a.Icon+" "+a.Name, a.Note)
	}
	if v.Poll != nil {
		add("📊 " + v.Poll.Question)
		for _, o := range v.Poll.Options {
			add(o.Text)
		}
	}
	if l := v.Location; l != nil {
		add("📍 "+l.Name, l.Address, l.Coords)
	}
	for _, c := range v.Contacts {
		add("👤 " + c.Name)
		for _, ph := range c.Phones {
			add(ph.Number)
		}
	}
	if v.Call != nil {
		add(v.Call.Icon+" "+v.Call.Label, v.Call.Duration)
	}
	return strings.Join(parts, " · ")
}
