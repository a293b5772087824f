package signal

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/markup"
	"github.com/chatferry/chatferry/exporters/internal/recent"
	"github.com/chatferry/chatferry/model"
)

// maxRecent bounds how many of a chat's latest messages replies can find.
const maxRecent = 1 << 16

// recentMessages remembers the latest messages of a chat (id → dateSent
// and author), so that replies can name the message they answer without
// the chat's history in memory.
type recentMessages struct {
	w recent.Window[model.MessageID, recentMessage]
}

type recentMessage struct {
	dateSent uint64
	author   *author
	snippet  string // the start of its text, for quotes
	file     *quotedFile
	poll     bool // a Signal poll: quoted as one
}

type quotedFile struct{ contentType, fileName string }

// maxSnippet bounds the text a quote repeats of the message it answers.
const maxSnippet = 200

// Signal's own limits, which its validator enforces: the text of a quote,
// and the text of a message with styles, in bytes.
const (
	maxQuoteText  = 2048
	maxStyledBody = 128 << 10
)

func snippet(s string) string { return cut(s, maxSnippet) }

// cut shortens s to at most n bytes, "…" included, at a character
// boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n-len("…")]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

func (r *recentMessages) add(id model.MessageID, dateSent uint64, a *author, text string, file *quotedFile, poll bool) {
	r.w.Limit = maxRecent
	r.w.Put(id, recentMessage{dateSent, a, snippet(text), file, poll})
}

func (r *recentMessages) find(id model.MessageID) (recentMessage, bool) { return r.w.Get(id) }

// fill sets what item it holds from message m written by a.
func (w *writer) fill(it *item, m *model.Message, a *author) error {
	var lines []string
	var stored []*storedFile
	var flags []uint64
	text := m.Text
	switch m.Kind {
	case model.KindDeleted:
		if a.prefix == "" {
			it.body = bodyDeleted
			return nil // Signal keeps nothing else of a deleted message
		}
		text = "[deleted message]"
	case model.KindViewOnce:
		if a.prefix == "" {
			it.body = bodyViewOnce
			w.reactions(it, m)
			return nil
		}
		text = "[view-once message]"
	case model.KindCall:
		if c, ok := w.nativeCall(m, a); ok {
			it.body, it.native, it.text = bodyCall, c, callText(m)
			return nil
		}
		w.opts.Report.Degrade(model.FeatureCalls, 1)
		text = callText(m)
	case model.KindPoll:
		if p, ok := w.nativePoll(m, a); ok {
			it.body, it.native, it.text = bodyPoll, p, m.Poll.Question // a quote of a poll shows its question
			w.reactions(it, m)
			return nil
		}
		w.opts.Report.Degrade(model.FeaturePolls, 1)
		text = pollText(m)
	case model.KindLocation:
		text = locationText(m)
	case model.KindContact:
		if c, ok := nativeContact(m, a); ok {
			it.body, it.native, it.text = bodyContact, c, contactText(m)
			w.reactions(it, m)
			return nil
		}
		text = contactText(m)
	}
	var styles []bodyRange
	if w.cur.markedUp && text == m.Text {
		text, styles = styledText(text)
	}
	for i := range m.Attachments {
		att := &m.Attachments[i]
		sf, why, err := w.store(w.cur.chat, att)
		if err != nil {
			return err
		}
		if sf == nil {
			lines = append(lines, omittedNote(att, why))
			if att.Path != "" {
				w.opts.Report.Drop(model.FeatureMediaFiles, 1)
			}
			continue
		}
		stored = append(stored, sf)
		flags = append(flags, attachmentFlag(att))
		if it.firstFile == nil {
			it.firstFile = &quotedFile{sf.contentType, sf.fileName}
		}
	}
	if text != "" {
		lines = append(lines, text)
	}
	w.quote(it, m, &lines)
	body := strings.Join(lines, "\n")
	if a.prefix != "" {
		body = a.prefix + body
	}
	for i, sf := range stored {
		// Signal shows a voice message alone: with text or other files
		// it is an ordinary audio file.
		if flags[i] == attachmentVoice && (body != "" || len(stored) > 1) {
			flags[i] = 0
		}
		it.attachments = append(it.attachments, encodeAttachment(sf, flags[i]))
	}
	if body == "" && len(it.attachments) == 0 {
		body = "[empty message]"
	}
	it.text = body
	if len(styles) > 0 && len(body)-len(text)+len(m.Text) > maxStyledBody {
		// Signal refuses styles on so long a text: keep it as typed.
		it.text = body[:len(body)-len(text)] + m.Text
		w.note("message over 128 KiB keeps WhatsApp's formatting marks as typed (Signal styles only shorter texts)",
			"messages over 128 KiB keep WhatsApp's formatting marks as typed (Signal styles only shorter texts)")
		styles = nil
	}
	if len(styles) > 0 {
		// The text is the body's last line: its ranges move by the
		// length of what comes before it.
		at := uint64(utf16Len(body[:len(body)-len(text)]))
		for i := range styles {
			styles[i].start += at
		}
		it.styles = styles
	}
	w.reactions(it, m)
	return nil
}

// quote sets the quote of a reply, or puts what the reply showed of the
// answered message in its text when its author is not a Signal recipient.
func (w *writer) quote(it *item, m *model.Message, lines *[]string) {
	if m.ReplyTo == "" && m.Quote == nil {
		return
	}
	q := &quote{}
	var qa *author
	if m.ReplyTo != "" {
		if r, ok := w.cur.recent.find(m.ReplyTo); ok {
			q.target, qa, q.text, q.file, q.poll = r.dateSent, r.author, r.snippet, r.file, r.poll
		}
	}
	if m.Quote != nil {
		if m.Quote.Text != "" {
			q.text = m.Quote.Text
			if w.cur.markedUp {
				q.text, _ = styledText(q.text) // shown as the quoted message was
			}
		}
		if a := w.cur.authors[m.Quote.Sender]; a != nil && qa == nil {
			qa = a
		}
	}
	if q.text == "" && q.file == nil {
		w.opts.Report.Drop(model.FeatureReplies, 1) // Signal needs something to show
		w.note("reply was written without its quote, as the message it answers is not known",
			"replies were written without their quote, as the messages they answer are not known")
		return
	}
	if qa == nil || qa.id == 0 || qa.prefix != "" {
		if q.text != "" {
			*lines = append([]string{"> " + strings.ReplaceAll(q.text, "\n", "\n> ")}, *lines...)
			w.opts.Report.Degrade(model.FeatureReplies, 1)
		} else {
			w.opts.Report.Drop(model.FeatureReplies, 1)
		}
		return
	}
	if len(q.text) > maxQuoteText {
		q.text = cut(q.text, maxQuoteText)
		w.opts.Report.Degrade(model.FeatureReplies, 1)
		w.note("quote longer than Signal's 2,048 bytes was shortened", "quotes longer than Signal's 2,048 bytes were shortened")
	}
	q.authorID = qa.id
	it.quote = q
}

// reactions keeps each person's last reaction (Signal holds one per
// person) from senders who are Signal recipients.
func (w *writer) reactions(it *item, m *model.Message) {
	seen := map[uint64]int{}
	for _, r := range m.Reactions {
		a := w.cur.authors[r.Sender]
		if a == nil || a.id == 0 || a.prefix != "" || r.Emoji == "" {
			w.opts.Report.Drop(model.FeatureReactions, 1)
			w.note("reaction by a person without a phone number was left out", "reactions by people without a phone number were left out")
			continue
		}
		sent := it.dateSent
		if !r.Time.IsZero() {
			if t := r.Time.In(w.opts.TZ).UnixMilli(); t > 0 {
				sent = uint64(t)
			}
		}
		rx := reaction{emoji: r.Emoji, authorID: a.id, sent: sent}
		if i, dup := seen[a.id]; dup {
			it.reactions[i] = rx
			w.opts.Report.Drop(model.FeatureReactions, 1)
			w.note("earlier reaction of a person to the same message was left out (Signal keeps one each)",
				"earlier reactions of a person to the same message were left out (Signal keeps one each)")
			continue
		}
		seen[a.id] = len(it.reactions)
		it.reactions = append(it.reactions, rx)
	}
}

func callText(m *model.Message) string {
	c := m.Call
	if c == nil {
		if m.Text == "" {
			return "📞 Call"
		}
		return "📞 " + m.Text
	}
	s := "Voice call"
	if c.Video {
		s = "Video call"
	}
	if c.Missed {
		s = "Missed " + strings.ToLower(s[:1]) + s[1:]
	}
	if c.Duration > 0 {
		s += " (" + c.Duration.Round(time.Second).String() + ")"
	}
	return "📞 " + s
}

func pollText(m *model.Message) string {
	p := m.Poll
	if p == nil {
		return "📊 " + m.Text
	}
	var b strings.Builder
	b.WriteString("📊 Poll: " + p.Question)
	for _, o := range p.Options {
		fmt.Fprintf(&b, "\n• %s (%s)", o.Text, exporters.Count(o.Votes, "vote", "votes"))
	}
	return b.String()
}

func locationText(m *model.Message) string {
	l := m.Location
	if l == nil {
		return "📍 " + m.Text
	}
	var parts []string
	for _, s := range []string{l.Name, l.Address} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	url := l.URL
	if url == "" && l.HasCoordinates() {
		url = "https://maps.google.com/?q=" + strconv.FormatFloat(l.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(l.Longitude, 'f', -1, 64)
	}
	if url != "" {
		parts = append(parts, url)
	}
	label := "📍 "
	if l.Live {
		label = "📍 Live location: "
	}
	return label + strings.Join(parts, "\n")
}

// nativeContact encodes the one contact a message shares as Signal's own
// ContactAttachment (shown with "Add to contacts" and "Message"), when the
// message is nothing but that card: one contact with a name or a number,
// no caption, no other file, no quote (a ContactMessage holds none of
// these), from a sender Signal knows. The card's name becomes the given
// name (Signal shows given and family name together) and its numbers
// mobile numbers; what else a vCard holds stays out, as the feature's
// "kept partly" says.
func nativeContact(m *model.Message, a *author) (pb, bool) {
	if a.prefix != "" || len(m.Contacts) != 1 || m.Text != "" || m.ReplyTo != "" || m.Quote != nil {
		return nil, false
	}
	for _, att := range m.Attachments {
		if att.Kind != model.MediaContact {
			return nil, false
		}
	}
	c := m.Contacts[0]
	name := strings.TrimSpace(c.Name)
	if name == "" && len(c.Phones) == 0 {
		return nil, false
	}
	ca := pb(nil)
	if name != "" {
		ca = ca.msg(1, pb(nil).str(1, name))
	}
	for _, p := range c.Phones {
		if p = strings.TrimSpace(p); p != "" {
			ca = ca.msg(3, pb(nil).str(1, p).uint(2, phoneMobile))
		}
	}
	return ca, true
}

// IndividualCall's enums.
const (
	callAudio       = 1
	callVideo       = 2
	callIncoming    = 1
	callOutgoing    = 2
	callAccepted    = 1
	callNotAccepted = 2
	callMissed      = 3
)

// nativeCall encodes a call in a one-to-one chat as Signal's own call
// event ("Missed voice call", with a button to call back), when Signal can
// hold it whole: Signal's call events have no duration, so a call that
// lasted a known time stays text; a call of the group chats (which
// Signal records by its ringer's Signal id) and one with reactions stay
// text too. The caller is the message's sender: an incoming
// call missed is "missed", an outgoing one "not answered".
func (w *writer) nativeCall(m *model.Message, a *author) (pb, bool) {
	c := m.Call
	// Signal has call events only in a chat with a contact: not in a
	// group, and not in a one-to-one chat kept as a group because the
	// partner has no number, nor in Note to Self.
	if c == nil || c.Duration > 0 || w.cur.partner == 0 || w.cur.partner == w.selfID || a.id == 0 || a.prefix != "" ||
		len(m.Reactions) > 0 || len(m.Attachments) > 0 || m.ReplyTo != "" || m.Quote != nil {
		return nil, false
	}
	typ, dir, state := uint64(callAudio), uint64(callIncoming), uint64(callAccepted)
	if c.Video {
		typ = callVideo
	}
	if a.outgoing {
		dir = callOutgoing
	}
	if c.Missed {
		state = callMissed
		if a.outgoing {
			state = callNotAccepted
		}
	}
	return pb(nil).uint(2, typ).uint(3, dir).uint(4, state), true
}

// maxPollText is the length, in characters, Signal allows a poll's
// question and each option.
const maxPollText = 100

// nativePoll encodes a poll as Signal's own Poll (which shows its results
// and who voted), when Signal can hold it whole: in a group (Signal has
// polls in groups only), from a sender Signal knows, with a question and
// at least two options of 1 to 100 characters, no file, no quote, and
// every vote's voter known as a Signal recipient (a vote counted without
// its voter, as text exports give them, has no place there). Otherwise the
// poll stays text.
func (w *writer) nativePoll(m *model.Message, a *author) (pb, bool) {
	p := m.Poll
	if p == nil || a.prefix != "" || w.cur.chat.Kind != model.Group || len(m.Attachments) > 0 ||
		m.ReplyTo != "" || m.Quote != nil || len(p.Options) < 2 || !pollText1to100(p.Question) {
		return nil, false
	}
	enc := pb(nil).str(1, p.Question).boolean(2, p.Multiple)
	voted := map[uint64]bool{}
	for _, o := range p.Options {
		if !pollText1to100(o.Text) || len(o.Voters) != o.Votes {
			return nil, false
		}
		opt := pb(nil).str(1, o.Text)
		for _, v := range o.Voters {
			va := w.cur.authors[v]
			if va == nil || va.id == 0 || va.prefix != "" || !p.Multiple && voted[va.id] {
				return nil, false
			}
			voted[va.id] = true
			opt = opt.msg(2, pb(nil).uint(1, va.id).uint(2, 1))
		}
		enc = enc.msg(3, opt)
	}
	return enc, true
}

func pollText1to100(s string) bool {
	n := utf8.RuneCountInString(s)
	return strings.TrimSpace(s) != "" && n <= maxPollText
}

// phoneMobile is ContactAttachment.Phone.Type MOBILE.
const phoneMobile = 2

func contactText(m *model.Message) string {
	var lines []string
	if m.Text != "" {
		lines = append(lines, m.Text)
	}
	for _, c := range m.Contacts {
		lines = append(lines, "👤 "+strings.TrimSpace(c.Name+" "+strings.Join(c.Phones, ", ")))
	}
	return strings.Join(lines, "\n")
}

// bodyRange is a style over part of a message's text, in UTF-16 units.
type bodyRange struct {
	start, length uint64
	style         uint64
}

// Signal's BodyRange styles.
const (
	styleBold          = 1
	styleItalic        = 2
	styleStrikethrough = 4
	styleMonospace     = 5
)

// styledText returns text without the marks of WhatsApp's formatting, and
// the styles they gave as Signal body ranges: one range for each run of
// a style, so *bold _and italic_ text* is one bold range and one italic.
func styledText(text string) (string, []bodyRange) {
	if !utf8.ValidString(text) {
		return text, nil // ranges count characters: only of a valid text
	}
	spans := markup.Parse(text)
	if len(spans) == 0 || len(spans) == 1 && spans[0].Style == 0 {
		return text, nil
	}
	var b strings.Builder
	var out []bodyRange
	var open [4]int // index in out + 1 of the open range of each style
	kinds := [4]struct {
		has   markup.Style
		style uint64
	}{{markup.Bold, styleBold}, {markup.Italic, styleItalic}, {markup.Strike, styleStrikethrough}, {markup.Mono | markup.Code, styleMonospace}}
	at := uint64(0)
	for _, sp := range spans {
		n := uint64(utf16Len(sp.Text))
		for k, kind := range kinds {
			switch {
			case sp.Style&kind.has != 0 && open[k] > 0:
				out[open[k]-1].length += n
			case sp.Style&kind.has != 0:
				out = append(out, bodyRange{start: at, length: n, style: kind.style})
				open[k] = len(out)
			default:
				open[k] = 0
			}
		}
		b.WriteString(sp.Text)
		at += n
	}
	return b.String(), out
}

// utf16Len is the length of s in UTF-16 code units, as Signal counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
