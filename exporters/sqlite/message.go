package sqlite

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"
	"unsafe"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/chatferry/chatferry/model"
)

// scratch holds buffers reused from message to message, so that writing
// a message allocates little.
type scratch struct {
	key    []byte
	time   []byte
	inst   []byte
	source []byte
}

// transient returns b as a string that shares b's memory, for a value
// the driver copies when it binds it and that is not kept past the call.
func transient(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// kindValues are the message kinds as bound values, boxed once.
var kindValues = func() map[model.MessageKind]driverValue {
	m := map[model.MessageKind]driverValue{}
	for _, k := range model.Kinds {
		m[k] = string(k)
	}
	return m
}()

// instantLayout is how instants are stored: UTC with milliseconds, so
// that they sort as text.
const instantLayout = "2006-01-02T15:04:05.000Z"

// WriteMessage adds m to the open chat unless the archive has it already.
// Messages wait in a batch until batchRows are there, or until one comes
// with details other than a reply and reactions (attachments, whose files
// are copied from the input while it is open, and the rarer rest): that
// one is added with the waiting ones, and then its details. A reply and
// reactions wait with their message (see batchRow.later).
func (w *Writer) WriteMessage(m *model.Message) error {
	cs := w.chat
	if cs == nil {
		return errors.New("sqlite: message written before its chat")
	}
	if cs.pending {
		return w.hold(cs, m)
	}
	r := batchRow{id: m.ID, pos: m.Source, text: m.Text, edited: m.Edited, forwarded: m.Forwarded}
	senderName := string(m.Sender)
	if p, ok := cs.parts[m.Sender]; ok {
		r.sender, senderName = p.idVal, p.name
	}
	sc := &w.scratch
	r.base = w.keys.base(m, senderName)
	var fresh bool
	sc.key, fresh = w.keys.next(r.base, sc.key)
	if !fresh {
		// The archive may hold this key from the same input: the
		// message is added on its own (see outcome).
		if _, _, err := w.flush(); err != nil {
			return err
		}
	}
	sc.time, sc.inst = sc.time[:0], sc.inst[:0]
	if !m.Time.IsZero() {
		sc.time, sc.inst = appendTimes(sc.time, sc.inst, m.Time, w.tz)
		r.hasTime, r.floating = true, boolInt(m.Time.IsFloating())
	}
	if !m.EditedAt.IsZero() {
		r.editedAt = m.EditedAt.String()
	}
	var ok bool
	if r.kind, ok = kindValues[m.Kind]; !ok {
		r.kind = string(m.Kind)
	}
	sc.source = append(sc.source[:0], m.Source.File...)
	if m.Source.Line != 0 {
		sc.source = append(sc.source, ':')
		sc.source = strconv.AppendInt(sc.source, int64(m.Source.Line), 10)
	}
	more := hasDetails(m)
	if more && onlyLater(m) {
		r.later, more = laterDetails(m), false
	}
	w.batch.add(r, sc.key, sc.time, sc.inst, sc.source)
	if !more && fresh && len(w.batch.rows) < batchRows {
		return nil
	}
	id, added, err := w.flush()
	if err != nil || !added || !more {
		return err
	}
	if err := w.details(cs, m, id); err != nil {
		return messageError(m, err)
	}
	return w.flushReactions()
}

// insertMessage inserts a row into messages, whose values row holds (in
// the order of insertMsg), and returns its id, or ok false when the chat
// has a message with its key. The run holds the archive's write lock, so
// SQLite gives the row the id after the greatest, which the run counts
// too; a conflict is the exception (a message the archive has), so it is
// learnt from the error rather than asked after every row.
func (w *Writer) insertMessage(row []driverValue) (id int64, ok bool, err error) {
	if err := w.st.insertMsg.run(row...); err != nil {
		var se sqlite3.Error
		if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
			return 0, false, nil
		}
		return 0, false, err
	}
	w.nextID++
	return w.nextID - 1, true, nil
}

func messageError(m *model.Message, err error) error {
	if !m.Source.IsZero() {
		return &messageErr{pos: m.Source.String(), err: err}
	}
	return err
}

type messageErr struct {
	pos string
	err error
}

func (e *messageErr) Error() string { return "sqlite: message from " + e.pos + ": " + e.err.Error() }
func (e *messageErr) Unwrap() error { return e.err }

// instant is ts as a UTC instant; a floating time is read in the run's zone.
func (w *Writer) instant(ts model.Timestamp) string {
	_, inst := appendTimes(nil, nil, ts, w.tz)
	return string(inst)
}

// appendTimes appends to written the time as the source wrote it (the
// form of model.Timestamp.String) and to instant the time in UTC in
// instantLayout, a floating time read in loc: the writer's hot path,
// which time.Time.AppendFormat would slow down. exporters.Counting
// reports the floating times a daylight-saving change makes ambiguous.
func appendTimes(written, instant []byte, ts model.Timestamp, loc *time.Location) ([]byte, []byte) {
	written = ts.AppendFormat(written)
	t := ts.Wall()
	if ts.IsFloating() {
		// ts.In(loc), without its check for daylight-saving changes
		year, month, day := t.Date()
		hour, min, sec := t.Clock()
		t = time.Date(year, month, day, hour, min, sec, t.Nanosecond(), loc)
	}
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return written, t.AppendFormat(instant, instantLayout)
	}
	hour, min, sec := t.Clock()
	instant = appendClock(instant, year, int(month), day, hour, min, sec)
	instant = append(instant, '.')
	instant = appendDigits(instant, t.Nanosecond()/1e6, 3)
	return written, append(instant, 'Z')
}

// appendClock appends YYYY-MM-DDTHH:MM:SS; 0 <= year <= 9999.
func appendClock(b []byte, year, month, day, hour, min, sec int) []byte {
	d := [19]byte{4: '-', 7: '-', 10: 'T', 13: ':', 16: ':'}
	putPair(d[0:2], year/100)
	putPair(d[2:4], year%100)
	putPair(d[5:7], month)
	putPair(d[8:10], day)
	putPair(d[11:13], hour)
	putPair(d[14:16], min)
	putPair(d[17:19], sec)
	return append(b, d[:]...)
}

// digitPairs holds "00" to "99".
var digitPairs = func() (p [200]byte) {
	for i := range 100 {
		p[2*i], p[2*i+1] = byte('0'+i/10), byte('0'+i%10)
	}
	return p
}()

// putPair writes the two last decimal digits of v, v >= 0, to d[0:2].
func putPair(d []byte, v int) {
	v = v % 100 * 2
	d[0], d[1] = digitPairs[v], digitPairs[v+1]
}

// appendDigits appends the n last decimal digits of v, v >= 0.
func appendDigits(b []byte, v, n int) []byte {
	var d [4]byte
	for i := n - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:n]...)
}

// hasDetails reports whether m carries something details stores: it
// must name everything details stores.
func hasDetails(m *model.Message) bool {
	return len(m.Attachments) > 0 || m.ReplyTo != "" || m.Quote != nil || len(m.Reactions) > 0 ||
		m.Event != nil || m.Poll != nil || m.Location != nil || len(m.Contacts) > 0 || m.Call != nil
}

// onlyLater reports whether the details of m are a reply and reactions
// only, which can wait with the message in its batch.
func onlyLater(m *model.Message) bool {
	return len(m.Attachments) == 0 && m.Event == nil && m.Poll == nil && m.Location == nil &&
		len(m.Contacts) == 0 && m.Call == nil
}

// laterDetails copies the reply and reactions of m, which the importer
// may reuse once WriteMessage returns.
func laterDetails(m *model.Message) *model.Message {
	d := &model.Message{Source: m.Source, ReplyTo: m.ReplyTo, Reactions: slices.Clone(m.Reactions)}
	if m.Quote != nil {
		q := *m.Quote
		d.Quote = &q
	}
	return d
}

// details stores what a new message carries beside its text.
func (w *Writer) details(cs *chatState, m *model.Message, id int64) error {
	st := w.st
	part := func(pid model.ParticipantID) driverValue {
		if p, ok := cs.parts[pid]; ok {
			return p.id
		}
		return nil
	}
	for i := range m.Attachments {
		if err := w.attachment(cs, id, i, &m.Attachments[i]); err != nil {
			return err
		}
	}
	if m.ReplyTo != "" || m.Quote != nil {
		var qSender, qText driverValue
		if q := m.Quote; q != nil {
			qSender, qText = part(q.Sender), q.Text
		}
		if err := st.insertReply.run(id, qSender, qText); err != nil {
			return err
		}
		if m.ReplyTo != "" {
			if err := w.replies.wait(id, cs.seq, string(m.ReplyTo)); err != nil {
				return err
			}
		}
	}
	for _, r := range m.Reactions {
		sender := part(r.Sender)
		if sender == nil {
			w.opts.Report.Drop(model.FeatureReactions, 1)
			continue
		}
		var t, inst driverValue
		if !r.Time.IsZero() {
			t, inst = r.Time.String(), w.instant(r.Time)
		}
		w.addReaction(id, sender, r.Emoji, t, inst)
	}
	if e := m.Event; e != nil {
		if err := st.insertEvent.run(id, string(e.Type), part(e.Actor), nullString(e.Subject)); err != nil {
			return err
		}
		for i, t := range e.Targets {
			if p := part(t); p != nil {
				if err := st.insertTarget.run(id, int64(i), p); err != nil {
					return err
				}
			}
		}
	}
	if p := m.Poll; p != nil {
		if err := st.insertPoll.run(id, p.Question, boolInt(p.Multiple)); err != nil {
			return err
		}
		for i, o := range p.Options {
			if err := st.insertOption.run(id, int64(i), o.Text, int64(o.Votes)); err != nil {
				return err
			}
			for _, v := range o.Voters {
				if pv := part(v); pv != nil {
					if err := st.insertVote.run(id, int64(i), pv); err != nil {
						return err
					}
				}
			}
		}
	}
	if l := m.Location; l != nil {
		if err := st.insertLocation.run(id, l.Latitude, l.Longitude, nullString(l.Name),
			nullString(l.Address), nullString(l.URL), boolInt(l.Live)); err != nil {
			return err
		}
	}
	for i, c := range m.Contacts {
		phones := c.Phones
		if phones == nil {
			phones = []string{}
		}
		b, err := json.Marshal(phones)
		if err != nil {
			return err
		}
		if err := st.insertContact.run(id, int64(i), c.Name, string(b), nullString(c.VCard)); err != nil {
			return err
		}
	}
	if c := m.Call; c != nil {
		if err := st.insertCall.run(id, boolInt(c.Video), boolInt(c.Missed), millis(c.Duration)); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) attachment(cs *chatState, msg int64, i int, a *model.Attachment) error {
	media := cs.c.Media
	if cs.replaying {
		media = w.media.heldFS()
	}
	file, ok, err := w.media.store(media, cs.dir, a)
	if err != nil {
		return err
	}
	var path, sum driverValue
	if ok {
		path, sum = nullString(file.path), file.sha256
	}
	return w.st.insertAtt.run(msg, int64(i), a.Name, string(a.Kind), a.MIME, nullInt(a.Size),
		nullInt(int64(a.Width)), nullInt(int64(a.Height)), millis(a.Duration),
		boolInt(a.Omitted), boolInt(a.Missing), path, sum)
}

// millis stores a duration in milliseconds, unknown (0) as NULL.
func millis(d time.Duration) driverValue { return nullInt(d.Milliseconds()) }
