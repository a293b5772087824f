package html

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// pageView is what the start and end of a chat page show.
type pageView struct {
	Archive    string
	Chat       *chatSummary
	Page       int
	First      bool   // the chat's first page: show its details
	Prev, Next string // neighbour pages, relative to the page
	TimeNote   string
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
				v.Text = linkify(m.Text)
			}
		} else {
			v.Text = linkify(m.Text)
		}
	default:
		v.Text = linkify(m.Text)
	}
	if m.Poll != nil {
		v.Poll = pollOf(m.Poll, s)
		if m.Text == m.Poll.Question {
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
		q.Text = shorten(m.Quote.Text, 400)
		if m.Quote.Sender != "" {
			q.Sender, q.Color = p.sum.name(m.Quote.Sender), p.sum.colors[m.Quote.Sender]
		}
	}
	return q
}

// attachment copies the file of a into the archive when the input has it.
func (p *chatPages) attachment(a *model.Attachment, sticker bool) (attachmentView, error) {
	v := attachmentView{Name: a.Name, Width: a.Width, Height: a.Height,
		Sticker: sticker || a.Kind == model.MediaSticker, Icon: iconOf(a.Kind)}
	v.Info = infoOf(a)
	if v.Name == "" {
		v.Name = orDefault(string(a.Kind), "attachment")
	}
	switch {
	case a.Omitted:
		v.Show, v.Note = "absent", "not included in the export"
		return v, nil
	case a.Missing || a.Path == "":
		v.Show, v.Note = "absent", "missing: the export names this file but does not hold it"
		return v, nil
	}
	rel, err := p.w.media.Copy(p.chat, a)
	if errors.Is(err, exporters.ErrNoMedia) || errors.Is(err, fs.ErrNotExist) {
		p.w.opts.Report.Drop(model.FeatureMediaFiles, 1)
		p.w.opts.Report.Notef("html: %s: media file %s could not be found in the input", p.chat.Source, a.Path)
		v.Show, v.Note = "absent", "missing: the file could not be read from the export"
		return v, nil
	}
	if err != nil {
		return v, fmt.Errorf("html: %w", err)
	}
	v.Href = "../" + escapePath(rel)
	v.Show = showOf(a)
	return v, nil
}

// showOf decides how a page shows a copied file: pictures inline when
// browsers can show their type, video and audio in the browser's players,
// anything else as a link. The type is the MIME type when known, else the
// file name's extension, else the attachment's kind.
func showOf(a *model.Attachment) string {
	mime := strings.ToLower(strings.TrimSpace(a.MIME))
	if i := strings.IndexByte(mime, ';'); i >= 0 {
		mime = strings.TrimSpace(mime[:i])
	}
	if mime == "" {
		mime = extensionTypes[strings.ToLower(path.Ext(a.Name))]
	}
	switch {
	case browserImages[mime]:
		return "image"
	case strings.HasPrefix(mime, "video/"):
		return "video"
	case strings.HasPrefix(mime, "audio/"):
		return "audio"
	case mime != "":
		return "file"
	}
	switch a.Kind {
	case model.MediaImage, model.MediaSticker:
		return "image"
	case model.MediaVideo, model.MediaGIF:
		return "video"
	case model.MediaAudio, model.MediaVoice:
		return "audio"
	}
	return "file"
}

// browserImages are the picture types every current browser shows.
var browserImages = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true,
	"image/webp": true, "image/avif": true, "image/bmp": true, "image/svg+xml": true}

// extensionTypes maps the extensions of files chats commonly carry to
// their types, for attachments whose MIME type the input does not give.
var extensionTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".bmp": "image/bmp", ".heic": "image/heic",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime",
	".3gp": "video/3gpp", ".opus": "audio/ogg", ".ogg": "audio/ogg", ".oga": "audio/ogg",
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".wav": "audio/wav", ".amr": "audio/amr",
	".pdf": "application/pdf", ".vcf": "text/vcard", ".txt": "text/plain",
}

func iconOf(k model.MediaKind) string {
	switch k {
	case model.MediaImage:
		return "🖼️"
	case model.MediaVideo, model.MediaGIF:
		return "🎞️"
	case model.MediaAudio:
		return "🎵"
	case model.MediaVoice:
		return "🎤"
	case model.MediaSticker:
		return "🏷️"
	case model.MediaContact:
		return "👤"
	}
	return "📄"
}

// infoOf describes a file: type, size, dimensions, duration.
func infoOf(a *model.Attachment) string {
	var parts []string
	if a.MIME != "" {
		parts = append(parts, a.MIME)
	}
	if a.Size > 0 {
		parts = append(parts, sizeOf(a.Size))
	}
	if a.Width > 0 && a.Height > 0 {
		parts = append(parts, fmt.Sprintf("%d×%d", a.Width, a.Height))
	}
	if a.Duration > 0 {
		parts = append(parts, durationOf(a.Duration))
	}
	return strings.Join(parts, " · ")
}

func sizeOf(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1000*1000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + " kB"
	case n < 1000*1000*1000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	}
	return strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64) + " GB"
}

func durationOf(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// escapePath percent-encodes each element of a slash-separated path.
func escapePath(rel string) string {
	parts := strings.Split(rel, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func callOf(m *model.Message) *callView {
	v := &callView{Icon: "📞"}
	if m.Call != nil {
		v.Missed = m.Call.Missed
		if m.Call.Video {
			v.Icon = "🎥"
		}
		if m.Call.Duration > 0 {
			v.Duration = durationOf(m.Call.Duration)
		}
	}
	v.Label = m.Text
	if v.Label == "" {
		kind := "Voice call"
		if m.Call != nil && m.Call.Video {
			kind = "Video call"
		}
		if v.Missed {
			kind = "Missed " + strings.ToLower(kind)
		}
		v.Label = kind
	}
	return v
}

func locationOf(l *model.Location) *locationView {
	lat := strconv.FormatFloat(l.Latitude, 'f', -1, 64)
	lon := strconv.FormatFloat(l.Longitude, 'f', -1, 64)
	v := &locationView{Name: l.Name, Address: l.Address, Live: l.Live,
		Coords: strconv.FormatFloat(l.Latitude, 'f', 6, 64) + ", " + strconv.FormatFloat(l.Longitude, 'f', 6, 64),
		Exact:  lat + ", " + lon,
		// A geo: URI made of numbers only, so it is safe to mark as such.
		Geo: template.URL("geo:" + lat + "," + lon),
	}
	if u, err := url.Parse(l.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		v.Href = l.URL
	} else {
		v.Href = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=17/" + lat + "/" + lon
	}
	return v
}

func contactOf(c model.Contact) contactView {
	v := contactView{Name: c.Name, VCard: c.VCard}
	for _, ph := range c.Phones {
		pv := phoneView{Number: ph}
		if tel := telOf(ph); tel != "" {
			pv.Href = template.URL("tel:" + tel) // digits and a leading + only
		}
		v.Phones = append(v.Phones, pv)
	}
	return v
}

// telOf keeps the digits of a phone number and a leading plus, or returns
// "" when there are no digits.
func telOf(phone string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		}
	}
	if strings.Trim(b.String(), "+") == "" {
		return ""
	}
	return b.String()
}

func pollOf(pl *model.Poll, s *chatSummary) *pollView {
	v := &pollView{Question: pl.Question, Multiple: pl.Multiple}
	total := 0
	for _, o := range pl.Options {
		total += o.Votes
	}
	for _, o := range pl.Options {
		ov := pollOptionView{Text: o.Text, Votes: o.Votes, Max: max(total, 1)}
		var names []string
		for _, id := range o.Voters {
			names = append(names, s.name(id))
		}
		ov.Voters = strings.Join(names, ", ")
		ov.Label = strconv.Itoa(o.Votes) + " vote"
		if o.Votes != 1 {
			ov.Label += "s"
		}
		v.Options = append(v.Options, ov)
	}
	return v
}

// reactionsOf groups reactions by emoji, in the order each first appears.
func reactionsOf(rs []model.Reaction, s *chatSummary, tz *time.Location) []reactionView {
	var out []reactionView
	at := map[string]int{}
	for _, r := range rs {
		who := s.name(r.Sender)
		if !r.Time.IsZero() {
			who += " · " + showTime(r.Time, tz).Full
		}
		i, ok := at[r.Emoji]
		if !ok {
			i = len(out)
			at[r.Emoji] = i
			out = append(out, reactionView{Emoji: r.Emoji})
		}
		out[i].Count++
		if out[i].Who != "" {
			out[i].Who += "\n"
		}
		out[i].Who += who
	}
	return out
}

// eventText is the wording of a system event: the source's, or one made
// from the event when the source kept none.
func eventText(m *model.Message, s *chatSummary) string {
	if m.Text != "" || m.Event == nil {
		return m.Text
	}
	e := m.Event
	actor := "Someone"
	if e.Actor != "" {
		actor = s.name(e.Actor)
	}
	var targets []string
	for _, t := range e.Targets {
		targets = append(targets, s.name(t))
	}
	switch e.Type {
	case model.EventGroupCreated:
		return actor + " created the group " + strconv.Quote(e.Subject)
	case model.EventSubjectChanged:
		return actor + " changed the subject to " + strconv.Quote(e.Subject)
	case model.EventMemberAdded:
		return actor + " added " + strings.Join(targets, ", ")
	case model.EventMemberRemoved:
		return actor + " removed " + strings.Join(targets, ", ")
	case model.EventMemberLeft:
		return actor + " left"
	case model.EventMemberJoined:
		return actor + " joined using an invite link"
	}
	return strings.ReplaceAll(string(e.Type), "_", " ")
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
