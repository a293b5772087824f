package whatsappios

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// ZWAMESSAGE.ZMESSAGETYPE values.
const (
	typeText          = 0
	typeImage         = 1
	typeVideo         = 2
	typeAudio         = 3
	typeContact       = 4
	typeLocation      = 5
	typeGroupEvent    = 6
	typeLink          = 7
	typeDocument      = 8
	typeNotice        = 10
	typeGIF           = 11
	typeWaiting       = 12 // the message has not arrived yet
	typeDeleted       = 14
	typeSticker       = 15
	typeProduct       = 26
	typeGroupInvite   = 27
	typeDisappearing  = 28 // the chat's default timer
	typeViewOnceImage = 38
	typeViewOnceVideo = 39
	typePoll          = 46
	typeViewOnceAudio = 53
	typeRoundVideo    = 54
	typeChannelEvent  = 55
	typeCall          = 59
)

// textTypes are business templates and quotes of them: their text is what
// there is to keep.
var textTypes = map[int64]bool{19: true, 20: true, 23: true, 24: true, 25: true, 30: true, 31: true,
	32: true, 34: true, 41: true, 42: true, typeProduct: true, typeGroupInvite: true}

func knownType(t int64) bool {
	switch t {
	case typeText, typeImage, typeVideo, typeAudio, typeContact, typeLocation, typeGroupEvent, typeLink,
		typeDocument, typeNotice, typeGIF, typeWaiting, typeDeleted, typeSticker, typeDisappearing,
		typeViewOnceImage, typeViewOnceVideo, typeViewOnceAudio, typePoll, typeRoundVideo, typeChannelEvent, typeCall:
		return true
	}
	return textTypes[t]
}

// appleEpoch is 2001-01-01T00:00:00Z in Unix milliseconds.
const appleEpoch = 978307200000

// row is one row of the message query.
type row struct {
	pk        int64
	date      float64
	hasDate   bool
	fromMe    bool
	typ       int64
	event     int64
	text      string
	fromJID   string
	flags     int64
	stanza    string
	parent    int64
	memberJID string
	path      string
	title     string
	size      int64
	vcard     string
	vcardName string
	duration  int64
	lat, lon  float64
	hasLoc    bool
	metadata  []byte
	receipt   []byte
	quoted    quoted
}

func (r *reader) row() row {
	v := r.vals
	w := row{
		pk: asInt(v[cPK]), fromMe: asInt(v[cFromMe]) == 1, typ: asInt(v[cType]), event: asInt(v[cEvent]),
		text: asString(v[cText]), fromJID: asString(v[cFromJID]), flags: asInt(v[cFlags]),
		stanza: asString(v[cStanza]), parent: asInt(v[cParent]), memberJID: asString(v[cMember]),
		path: asString(v[cPath]), title: asString(v[cTitle]), size: asInt(v[cSize]),
		vcard: asString(v[cVCardString]), vcardName: asString(v[cVCardName]), duration: asInt(v[cDuration]),
		metadata: asBytes(v[cMetadata]), receipt: asBytes(v[cReceipt]),
	}
	if v[cQuotedPK] != nil {
		w.quoted.set(v[cQuotedPK : cQuotedTitle+1])
	}
	w.date, w.hasDate = asFloat(v[cDate])
	lat, okLat := asFloat(v[cLatitude])
	lon, okLon := asFloat(v[cLongitude])
	w.lat, w.lon, w.hasLoc = lat, lon, okLat && okLon
	return w
}

// timestamp converts seconds since 2001 to a zoned time in the chosen
// zone, or the unknown time for a missing or absurd value.
func (r *reader) timestamp(sec float64, ok bool) model.Timestamp {
	if !ok || math.IsNaN(sec) || math.Abs(sec) > 1e11 {
		return model.Timestamp{}
	}
	ms := int64(math.Round(sec*1000)) + appleEpoch
	return model.Zoned(time.UnixMilli(ms).In(r.tz), r.cs.chat.TimePrecision)
}

// convert turns a row into a message of chat cs.
func (r *reader) convert(cs *chatState, w *row) (*model.Message, error) {
	m := &model.Message{
		ID:        model.MessageID(strconv.FormatInt(w.pk, 10)),
		Time:      r.timestamp(w.date, w.hasDate),
		Source:    model.Pos{File: r.loc.dbName, Line: int(w.pk)},
		Text:      w.text,
		Forwarded: w.flags&0x80 != 0,
	}
	sender := r.sender(cs, w)
	switch w.typ {
	case typeGroupEvent:
		r.groupEvent(cs, w, m)
		return m, nil
	case typeNotice:
		r.notice(cs, w, m, sender)
		return m, nil
	case typeCall:
		r.call(cs, w, m, sender)
		return m, nil
	case typeDisappearing:
		m.Kind, m.Event = model.KindSystem, &model.Event{Type: model.EventDisappearing}
		m.Text = disappearingDefault(w.text)
		return m, nil
	case typeChannelEvent:
		m.Kind, m.Event = model.KindSystem, &model.Event{Type: model.EventOther}
		m.Text = fmt.Sprintf("Channel event %d", w.event)
		if w.event == 1 {
			m.Event.Type, m.Text = model.EventGroupCreated, "Channel created"
		}
		return m, nil
	}
	m.Sender = sender
	m.Kind = model.KindText
	switch w.typ {
	case typeImage, typeVideo, typeAudio, typeDocument, typeGIF, typeSticker, typeRoundVideo:
		if err := r.media(cs, w, m); err != nil {
			return nil, err
		}
	case typeContact:
		m.Kind = model.KindContact
		m.Contacts = parseContacts(w.vcardName, w.vcard)
	case typeLocation:
		m.Kind = model.KindLocation
		m.Location = &model.Location{Name: w.title}
		if w.hasLoc {
			m.Location.Latitude, m.Location.Longitude = w.lat, w.lon
		}
	case typeDeleted:
		m.Kind = model.KindDeleted
		m.Text = "This message was deleted"
		if w.fromMe {
			m.Text = "You deleted this message"
		}
	case typeViewOnceImage, typeViewOnceVideo, typeViewOnceAudio:
		m.Kind = model.KindViewOnce
	case typePoll:
		m.Kind = model.KindPoll
		m.Poll = parsePoll(w.receipt)
		if m.Poll.Question == "" {
			m.Poll.Question = w.text
		}
		if m.Text == "" {
			m.Text = m.Poll.Question
		}
	case typeWaiting:
		if m.Text == "" {
			m.Text = "Waiting for this message. This may take a while."
		}
	case typeText, typeLink:
	default: // business templates, products, invites, and kinds chatferry does not know
		if w.path != "" {
			if err := r.media(cs, w, m); err != nil {
				return nil, err
			}
		}
		if m.Text == "" && len(m.Attachments) == 0 && !knownType(w.typ) {
			m.Text = fmt.Sprintf("[a WhatsApp message of type %d, which chatferry cannot show]", w.typ)
		}
	}
	if err := r.reply(cs, w, m); err != nil {
		return nil, err
	}
	m.Reactions = r.reactions(cs, w)
	return m, nil
}

// sender returns who wrote a row: the owner, a group member, or the other
// person of a direct chat.
func (r *reader) sender(cs *chatState, w *row) model.ParticipantID {
	switch {
	case w.fromMe:
		return meID
	case !cs.s.group:
		if id := r.pid(cs, w.fromJID); id != "" {
			return id
		}
		return cs.partner
	}
	if id := r.pid(cs, w.memberJID); id != "" {
		return id
	}
	if w.fromJID != cs.s.jid {
		if id := r.pid(cs, w.fromJID); id != "" {
			return id
		}
	}
	if _, ok := cs.names[unknownID]; ok {
		return unknownID
	}
	return ""
}

// reply links a reply to the message it answers: ZPARENTMESSAGE when it
// is in the same chat (joined by the message query), else the quoted
// stanza id of the media item's metadata.
func (r *reader) reply(cs *chatState, w *row, m *model.Message) error {
	if w.quoted.pk > 0 {
		r.quote(cs, &w.quoted, m)
		return nil
	}
	q := parseQuote(w.metadata)
	if q.Stanza == "" {
		return nil
	}
	found, err := r.findStanza(cs, q.Stanza, &w.quoted)
	if err != nil {
		return err
	}
	if found && w.quoted.pk != w.pk {
		r.quote(cs, &w.quoted, m)
		return nil
	}
	// The answered message is not in the database: keep what the reply
	// copied of it. Without a sender JID the owner wrote it.
	m.Quote = &model.Quote{Sender: r.pid(cs, q.JID), Text: q.Text}
	if q.JID == "" {
		m.Quote.Sender = meID
	}
	return nil
}

// quoted is what a reply shows of the message it answers.
type quoted struct {
	pk                 int64
	fromMe             bool
	text, member, from string
	title              string
}

func (q *quoted) set(v []any) {
	*q = quoted{pk: asInt(v[0]), fromMe: asInt(v[1]) == 1, text: asString(v[2]), member: asString(v[3]),
		from: asString(v[4]), title: asString(v[5])}
}

func (r *reader) quote(cs *chatState, q *quoted, m *model.Message) {
	parent := row{fromMe: q.fromMe, memberJID: q.member, fromJID: q.from}
	m.ReplyTo = model.MessageID(strconv.FormatInt(q.pk, 10))
	m.Quote = &model.Quote{Sender: r.sender(cs, &parent), Text: orDefault(q.text, q.title)}
}

// findStanza looks up the message of chat cs with a stanza id, and reports
// whether there is one.
func (r *reader) findStanza(cs *chatState, stanza string, q *quoted) (bool, error) {
	if e, ok := cs.recent.get(stanza); ok {
		*q = e
		return true, nil
	}
	if r.stanzaStmt == nil {
		return false, nil
	}
	if r.stanzaTemp && !cs.stanzaReady {
		for _, sq := range []string{
			`DELETE FROM stanza`,
			`INSERT OR IGNORE INTO stanza SELECT ZSTANZAID, Z_PK FROM ZWAMESSAGE WHERE ZCHATSESSION = ? AND ZSTANZAID IS NOT NULL ORDER BY Z_PK`,
		} {
			if _, err := r.aux.ExecContext(r.ctx, sq, cs.s.pk); err != nil {
				return false, r.fail(r.dbError(err))
			}
		}
		cs.stanzaReady = true
	}
	var v [6]any
	err := r.stanzaStmt.QueryRowContext(r.ctx, stanza, cs.s.pk).Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5])
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, r.fail(r.dbError(err))
	}
	q.set(v[:])
	return true, nil
}

// reactions reads a message's reactions from its receipt info.
func (r *reader) reactions(cs *chatState, w *row) []model.Reaction {
	if len(w.receipt) == 0 {
		return nil
	}
	var out []model.Reaction
	for _, re := range parseReactions(w.receipt) {
		who := meID
		if !re.Own {
			if who = r.pid(cs, re.JID); who == "" {
				continue // cannot happen: the chat's participants include every reactor
			}
		}
		rc := model.Reaction{Emoji: re.Emoji, Sender: who}
		if re.Milli != 0 {
			rc.Time = model.Zoned(time.UnixMilli(re.Milli).In(r.tz), model.PrecisionMillisecond)
		}
		out = append(out, rc)
	}
	return out
}

// call converts a call message (type 59), whose facts are in its media
// item's metadata.
func (r *reader) call(cs *chatState, w *row, m *model.Message, sender model.ParticipantID) {
	c := parseCall(w.metadata)
	call := &model.Call{Video: c.Video, Missed: c.Complete && c.Outcome != 0,
		Duration: time.Duration(c.Seconds) * time.Second}
	what := "voice call"
	if c.Video {
		what = "video call"
	}
	switch {
	case call.Missed && w.fromMe:
		m.Text = capitalize(what) + ", not answered"
	case call.Missed:
		m.Text = "Missed " + what
	default:
		m.Text = capitalize(what)
	}
	if sender == "" || sender == unknownID {
		m.Kind = model.KindSystem
		m.Event = &model.Event{Type: model.EventCall}
		m.Text = "Group " + what
		if call.Missed {
			m.Text = "Missed group " + what
		}
		return
	}
	m.Sender, m.Kind, m.Call = sender, model.KindCall, call
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// recentMessages remembers what replies need of a chat's latest messages,
// by stanza id, so that the usual reply, to a message shortly before it,
// needs no query. It holds at most recentSize messages, and no text
// longer than recentText bytes.
type recentMessages struct {
	byStanza map[string]int
	ring     []recentEntry
	next     int
}

type recentEntry struct {
	stanza string
	q      quoted
}

const (
	recentSize = 4096
	recentText = 4096
)

func (rm *recentMessages) add(stanza string, w *row) {
	if stanza == "" || len(w.text) > recentText || len(w.title) > recentText {
		return
	}
	if rm.byStanza == nil {
		rm.byStanza = make(map[string]int, recentSize)
		rm.ring = make([]recentEntry, 0, recentSize)
	}
	if _, dup := rm.byStanza[stanza]; dup {
		return // the first message with an id is the one a lookup finds
	}
	e := recentEntry{stanza: stanza, q: quoted{pk: w.pk, fromMe: w.fromMe, text: w.text,
		member: w.memberJID, from: w.fromJID, title: w.title}}
	if len(rm.ring) < recentSize {
		rm.byStanza[stanza] = len(rm.ring)
		rm.ring = append(rm.ring, e)
		return
	}
	old := rm.ring[rm.next]
	if rm.byStanza[old.stanza] == rm.next {
		delete(rm.byStanza, old.stanza)
	}
	rm.ring[rm.next] = e
	rm.byStanza[stanza] = rm.next
	rm.next = (rm.next + 1) % recentSize
}

func (rm *recentMessages) get(stanza string) (quoted, bool) {
	i, ok := rm.byStanza[stanza]
	if !ok {
		return quoted{}, false
	}
	return rm.ring[i].q, true
}
