package html

// The parts of a message a page shows besides its text: files, calls,
// places, contacts, polls, reactions and system events.

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

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
	if errors.Is(err, exporters.ErrNoMedia) {
		p.w.opts.Report.Drop(model.FeatureMediaFiles, 1)
		p.w.opts.Report.Notef("html: %s: %v", p.chat.Source, err)
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
	} else if l.HasCoordinates() {
		v.Href = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=17/" + lat + "/" + lon
	}
	if !l.HasCoordinates() {
		// A place known by name and link only: no position to show.
		v.Coords, v.Exact, v.Geo = "", "", ""
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
