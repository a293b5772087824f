package sqlite

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/chatferry/chatferry/model"
)

// scratch holds buffers reused from message to message.
type scratch struct {
	key  []byte
	time []byte
}

// instantLayout is how instants are stored: UTC with milliseconds, so
// that they sort as text.
const instantLayout = "2006-01-02T15:04:05.000Z"

// WriteMessage adds m to the open chat unless the archive has it already.
func (w *Writer) WriteMessage(m *model.Message) error {
	cs := w.chat
	if cs == nil {
		return errors.New("sqlite: message written before its chat")
	}
	var senderID int64
	senderName := string(m.Sender)
	if p, ok := cs.parts[m.Sender]; ok {
		senderID, senderName = p.id, p.name
	}
	base := w.keys.base(m, senderName)
	key := w.keys.next(base, w.scratch.key)
	w.scratch.key = key
	var timeText, floating, precision, instant driverValue
	if !m.Time.IsZero() {
		timeText = string(m.Time.AppendFormat(w.scratch.time[:0]))
		floating = boolInt(m.Time.IsFloating())
		precision = m.Time.Precision().String()
		instant = w.instant(m.Time)
	}
	var editedAt driverValue
	if !m.EditedAt.IsZero() {
		editedAt = m.EditedAt.String()
	}
	for {
		id, n, err := w.st.insertMsg.exec(cs.id, key, nullID(senderID), string(m.Kind), m.Text,
			timeText, floating, precision, instant, boolInt(m.Edited), editedAt, boolInt(m.Forwarded),
			cs.importID, m.Source.String())
		if err != nil {
			return messageError(m, err)
		}
		if n == 1 {
			w.added++
			cs.added++
			w.changed = true
			if err := w.replies.note(cs.seq, string(m.ID), id); err != nil {
				return err
			}
			if err := w.details(cs, m, id); err != nil {
				return messageError(m, err)
			}
			return nil
		}
		row, ok, err := w.st.findMsg.row(cs.id, key)
		if err != nil || !ok {
			return messageError(m, errors.Join(err, errors.New("a message key conflicts but its row is not found")))
		}
		id = row[0].(int64)
		if row[1].(int64) == cs.importID {
			// The same input has a message with this key already: an
			// equal message whose count was forgotten (see keyMaker.next).
			key = w.keys.bump(base, key)
			w.scratch.key = key
			continue
		}
		w.dups++
		return w.replies.note(cs.seq, string(m.ID), id)
	}
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
	t, shifted := ts.Resolve(w.tz)
	if shifted {
		w.shifted++
	}
	b := t.UTC().AppendFormat(w.scratch.time[:0], instantLayout)
	w.scratch.time = b
	return string(b)
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
		if _, _, err := st.insertReply.exec(id, qSender, qText); err != nil {
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
		if _, _, err := st.insertReaction.exec(id, sender, r.Emoji, t, inst); err != nil {
			return err
		}
	}
	if e := m.Event; e != nil {
		if _, _, err := st.insertEvent.exec(id, string(e.Type), part(e.Actor), nullString(e.Subject)); err != nil {
			return err
		}
		for i, t := range e.Targets {
			if p := part(t); p != nil {
				if _, _, err := st.insertTarget.exec(id, int64(i), p); err != nil {
					return err
				}
			}
		}
	}
	if p := m.Poll; p != nil {
		if _, _, err := st.insertPoll.exec(id, p.Question, boolInt(p.Multiple)); err != nil {
			return err
		}
		for i, o := range p.Options {
			if _, _, err := st.insertOption.exec(id, int64(i), o.Text, int64(o.Votes)); err != nil {
				return err
			}
			for _, v := range o.Voters {
				if pv := part(v); pv != nil {
					if _, _, err := st.insertVote.exec(id, int64(i), pv); err != nil {
						return err
					}
				}
			}
		}
	}
	if l := m.Location; l != nil {
		if _, _, err := st.insertLocation.exec(id, l.Latitude, l.Longitude, nullString(l.Name),
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
		if _, _, err := st.insertContact.exec(id, int64(i), c.Name, string(b), nullString(c.VCard)); err != nil {
			return err
		}
	}
	if c := m.Call; c != nil {
		if _, _, err := st.insertCall.exec(id, boolInt(c.Video), boolInt(c.Missed), millis(c.Duration)); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) attachment(cs *chatState, msg int64, i int, a *model.Attachment) error {
	file, ok, err := w.media.store(cs.c, cs.dir, a)
	if err != nil {
		return err
	}
	var path, sum driverValue
	if ok {
		path, sum = nullString(file.path), file.sha256
	}
	_, _, err = w.st.insertAtt.exec(msg, int64(i), a.Name, string(a.Kind), a.MIME, nullInt(a.Size),
		nullInt(int64(a.Width)), nullInt(int64(a.Height)), millis(a.Duration),
		boolInt(a.Omitted), boolInt(a.Missing), path, sum)
	return err
}

// millis stores a duration in milliseconds, unknown (0) as NULL.
func millis(d time.Duration) driverValue { return nullInt(d.Milliseconds()) }
