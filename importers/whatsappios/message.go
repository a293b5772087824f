package whatsappios

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// ZWAMESSAGE.ZMESSAGETYPE values.
const (
	typeText       = 0
	typeImage      = 1
	typeVideo      = 2
	typeAudio      = 3
	typeContact    = 4
	typeLocation   = 5
	typeGroupEvent = 6
	typeLink       = 7
	typeDocument   = 8
	typeNotice     = 10
	typeGIF        = 11
	typeDeleted    = 14
	typeSticker    = 15
	typeViewOnce   = 38
	typePoll       = 46
	typeCall       = 59
	typePollV3     = 66
)

func knownType(t int64) bool {
	switch t {
	case typeText, typeImage, typeVideo, typeAudio, typeContact, typeLocation, typeGroupEvent, typeLink,
		typeDocument, typeNotice, typeGIF, typeDeleted, typeSticker, typeViewOnce, typePoll, typeCall, typePollV3:
		return true
	}
	return false
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
		ID:        model.MessageID(fmt.Sprint(w.pk)),
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
	}
	m.Sender = sender
	m.Kind = model.KindText
	switch w.typ {
	case typeImage, typeVideo, typeAudio, typeDocument, typeGIF, typeSticker:
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
	case typeViewOnce:
		m.Kind = model.KindViewOnce
	case typePoll, typePollV3:
		m.Kind = model.KindPoll
		m.Poll = &model.Poll{Question: w.text}
	case typeText, typeLink:
	default:
		if w.path != "" {
			if err := r.media(cs, w, m); err != nil {
				return nil, err
			}
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
// is in the same chat, else the quoted stanza id of the media item's
// metadata.
func (r *reader) reply(cs *chatState, w *row, m *model.Message) error {
	if w.parent > 0 && w.parent != w.pk {
		ok, err := r.quoteRow(cs, w.parent, m)
		if err != nil || ok {
			return err
		}
	}
	q := parseQuote(w.metadata)
	if q.Stanza == "" {
		return nil
	}
	pk, err := r.findStanza(cs, q.Stanza)
	if err != nil {
		return err
	}
	if pk > 0 && pk != w.pk {
		if ok, err := r.quoteRow(cs, pk, m); err != nil || ok {
			return err
		}
	}
	// The answered message is not in the database: keep what is known.
	m.Quote = &model.Quote{Sender: r.pid(cs, q.JID)}
	return nil
}

// quoteRow makes m answer the message with row id pk, if that is in the
// same chat.
func (r *reader) quoteRow(cs *chatState, pk int64, m *model.Message) (bool, error) {
	var chat, fromMe, text, member, from, title any
	err := r.parentStmt.QueryRowContext(r.ctx, pk).Scan(&chat, &fromMe, &text, &member, &from, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, r.fail(r.dbError(err))
	}
	if asInt(chat) != cs.s.pk {
		return false, nil
	}
	parent := row{fromMe: asInt(fromMe) == 1, memberJID: asString(member), fromJID: asString(from)}
	m.ReplyTo = model.MessageID(fmt.Sprint(pk))
	m.Quote = &model.Quote{Sender: r.sender(cs, &parent), Text: orDefault(asString(text), asString(title))}
	return true, nil
}

// findStanza returns the row id of the message of chat cs with a stanza
// id, or 0.
func (r *reader) findStanza(cs *chatState, stanza string) (int64, error) {
	if r.stanzaStmt == nil {
		return 0, nil
	}
	var args []any
	if r.stanzaTemp {
		if !cs.stanzaReady {
			for _, q := range []string{
				`DELETE FROM stanza`,
				`INSERT OR IGNORE INTO stanza SELECT ZSTANZAID, Z_PK FROM ZWAMESSAGE WHERE ZCHATSESSION = ? AND ZSTANZAID IS NOT NULL ORDER BY Z_PK`,
			} {
				if _, err := r.aux.ExecContext(r.ctx, q, cs.s.pk); err != nil {
					return 0, r.fail(r.dbError(err))
				}
			}
			cs.stanzaReady = true
		}
		args = []any{stanza}
	} else {
		args = []any{stanza, cs.s.pk}
	}
	var pk int64
	err := r.stanzaStmt.QueryRowContext(r.ctx, args...).Scan(&pk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, r.fail(r.dbError(err))
	}
	return pk, nil
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
