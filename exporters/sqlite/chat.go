package sqlite

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// statements are the run's prepared statements.
type statements struct {
	db  *conn
	all []*stmt

	insertMsgs      multiRow // adding n messages (see insertRowsSQL)
	insertReactions multiRow
	changes         *stmt

	findChat, chatDirTaken, insertChat        *stmt
	chatsOfKind, anyOfKind                    *stmt
	insertImport, countImport, insertWarn     *stmt
	findPart, insertPart, updatePart          *stmt
	insertMsg, findMsg                        *stmt
	insertAtt, findPath, insertMedia          *stmt
	insertReply                               *stmt
	insertEvent, insertTarget                 *stmt
	insertPoll, insertOption, insertVote      *stmt
	insertLocation, insertContact, insertCall *stmt
	insertRun                                 *stmt
}

func prepareStatements(db *conn) (*statements, error) {
	s := &statements{db: db}
	s.insertMsgs.sql = insertRowsSQL
	s.insertReactions.sql = func(n int) string {
		return "INSERT INTO reactions(message_id, sender_id, emoji, time, instant) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", n), ", ") + " ON CONFLICT DO NOTHING"
	}
	for _, p := range []struct {
		dst *(*stmt)
		sql string
	}{
		{&s.findChat, `SELECT id, media_dir FROM chats WHERE kind = ?1 AND title = ?2
			UNION ALL SELECT * FROM (SELECT c.id, c.media_dir FROM imports i JOIN chats c ON c.id = i.chat_id
				WHERE c.kind = ?1 AND i.title = ?2 ORDER BY i.id DESC LIMIT 1)`},
		{&s.chatDirTaken, `SELECT 1 FROM chats WHERE media_dir = ?`},
		{&s.insertChat, `INSERT INTO chats(kind, title, media_dir, run_id) VALUES (?, ?, ?, ?)`},
		{&s.insertImport, `INSERT INTO imports(chat_id, run_id, title, format, source, time_precision, meta, messages)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0)`},
		{&s.chatsOfKind, `SELECT id, media_dir, title FROM chats WHERE kind = ? ORDER BY id`},
		{&s.anyOfKind, `SELECT 1 FROM chats WHERE kind = ? LIMIT 1`},
		{&s.countImport, `UPDATE imports SET messages = ? WHERE id = ?`},
		{&s.insertWarn, `INSERT INTO chat_warnings(chat_id, run_id, code, text, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`},
		{&s.findPart, `SELECT id, phone, me FROM participants WHERE chat_id = ? AND name = ?
			ORDER BY phone = ? DESC, phone = '' DESC, id LIMIT 1`},
		{&s.insertPart, `INSERT INTO participants(chat_id, name, phone, me) VALUES (?, ?, ?, ?)`},
		{&s.updatePart, `UPDATE participants SET phone = ?, me = ? WHERE id = ?`},
		{&s.insertMsg, `INSERT INTO messages(chat_id, import_id, ` + batchColumns + `)
			VALUES (?, ?` + strings.Repeat(", ?", batchCols) + `)`},
		{&s.changes, `SELECT changes()`},
		{&s.findMsg, `SELECT id, import_id FROM messages WHERE chat_id = ? AND key = ?`},
		{&s.insertAtt, `INSERT INTO attachments(message_id, position, name, kind, mime, size, width, height, duration_ms,
			omitted, missing, path, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.findPath, `SELECT sha256 FROM attachments WHERE path = ? LIMIT 1`},
		{&s.insertMedia, `INSERT INTO media(sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`},
		{&s.insertReply, `INSERT INTO replies(message_id, reply_to, quote_sender_id, quote_text) VALUES (?, NULL, ?, ?)`},
		{&s.insertEvent, `INSERT INTO events(message_id, type, actor_id, subject) VALUES (?, ?, ?, ?)`},
		{&s.insertTarget, `INSERT INTO event_targets(message_id, position, participant_id) VALUES (?, ?, ?)`},
		{&s.insertPoll, `INSERT INTO polls(message_id, question, multiple) VALUES (?, ?, ?)`},
		{&s.insertOption, `INSERT INTO poll_options(message_id, position, text, votes) VALUES (?, ?, ?, ?)`},
		{&s.insertVote, `INSERT INTO poll_votes(message_id, position, participant_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`},
		{&s.insertLocation, `INSERT INTO locations(message_id, latitude, longitude, name, address, url, live) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&s.insertContact, `INSERT INTO contacts(message_id, position, name, phones, vcard) VALUES (?, ?, ?, ?, ?)`},
		{&s.insertCall, `INSERT INTO calls(message_id, video, missed, duration_ms) VALUES (?, ?, ?, ?)`},
		{&s.insertRun, `INSERT INTO runs(id, started, tz, chats, messages) VALUES (?, ?, ?, ?, ?)`},
	} {
		st, err := db.prepare(p.sql)
		if err != nil {
			s.close()
			return nil, err
		}
		*p.dst = st
		s.all = append(s.all, st)
	}
	return s, nil
}

// multiRow is the statements that insert from 1 to batchRows rows, each
// prepared when first used.
type multiRow struct {
	sql   func(n int) string
	stmts [batchRows + 1]*stmt
}

// get returns the statement for n rows.
func (s *statements) get(m *multiRow, n int) (*stmt, error) {
	if m.stmts[n] == nil {
		st, err := s.db.prepare(m.sql(n))
		if err != nil {
			return nil, err
		}
		m.stmts[n] = st
		s.all = append(s.all, st)
	}
	return m.stmts[n], nil
}

// close finalizes the statements; it may be called more than once.
func (s *statements) close() {
	for _, st := range s.all {
		st.close()
	}
	s.all = nil
	clear(s.insertMsgs.stmts[:])
	clear(s.insertReactions.stmts[:])
}

// chatState is what the writer knows of the chat being written.
type chatState struct {
	c         *model.Chat
	title     string
	pending   bool             // the chat's row is not decided yet
	held      []*model.Message // its first messages, until it is
	replaying bool             // they are being written; their files are held
	id        int64            // row in chats
	idVal     driverValue
	importVal driverValue
	dir       string // the chat's media folder, inside the archive's
	importID  int64
	added     int
	seq       int
	parts     map[model.ParticipantID]participant
}

type participant struct {
	id    int64
	idVal driverValue
	name  string // what message keys use
}

// WriteChat opens a chat. It is the archive's chat of the same kind and
// title when there is one, or the chat an earlier input of that title went
// to; otherwise the chat is decided by its first messages (see resolve).
func (w *Writer) WriteChat(c *model.Chat) error {
	if w.closed {
		return errors.New("sqlite: WriteChat after Close")
	}
	if err := w.endChat(); err != nil {
		return err
	}
	w.keys.reset()
	w.seq++
	cs := &chatState{c: c, seq: w.seq, title: chatTitle(c),
		parts: make(map[model.ParticipantID]participant, len(c.Participants))}
	for i := range c.Participants {
		cs.parts[c.Participants[i].ID] = participant{name: participantName(&c.Participants[i])}
	}
	w.chat = cs
	row, ok, err := w.st.findChat.row(string(c.Kind), cs.title)
	if err != nil {
		return err
	}
	if !ok {
		_, others, err := w.st.anyOfKind.row(string(c.Kind))
		if err != nil {
			return err
		}
		if others {
			cs.pending = true
			return nil
		}
		if err := w.insertChat(cs); err != nil { // nothing to compare with
			return err
		}
		return w.setupChat(cs)
	}
	cs.id, cs.dir = row[0].(int64), asString(row[1])
	if err := checkChatDir(cs.dir); err != nil {
		return err
	}
	return w.setupChat(cs)
}

// setupChat records the input of a chat whose row is known, its warnings
// and its participants.
func (w *Writer) setupChat(cs *chatState) error {
	c := cs.c
	meta := "{}"
	if len(c.Meta) > 0 {
		b, err := json.Marshal(c.Meta) // keys sorted
		if err != nil {
			return err
		}
		meta = string(b)
	}
	var err error
	cs.importID, _, err = w.st.insertImport.insert(cs.id, w.runID, cs.title, c.Format, c.Source, c.TimePrecision.String(), meta)
	if err != nil {
		return err
	}
	cs.idVal, cs.importVal = cs.id, cs.importID
	for _, wn := range c.Warnings {
		_, added, err := w.st.insertWarn.insert(cs.id, w.runID, wn.Code, wn.Text, wn.Pos.String())
		if err != nil {
			return err
		}
		w.changed = w.changed || added
	}
	for i := range c.Participants {
		if err := w.participant(cs, &c.Participants[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkChatDir refuses a chat media folder name read from the archive that
// is not a plain name, so that a crafted archive cannot make chatferry
// write outside its media folder.
func checkChatDir(dir string) error {
	if dir == "" || dir != exporters.SafeName(dir) {
		return fmt.Errorf("the archive's chat media folder %q is not a plain folder name", dir)
	}
	return nil
}

// chatTitle is what identifies a chat in the archive together with its
// kind: its title, or for a chat without one the names of the others in it.
func chatTitle(c *model.Chat) string {
	if t := strings.TrimSpace(c.Title); t != "" {
		return c.Title
	}
	var names []string
	for _, p := range c.Participants {
		if !p.Me && p.Name != "" {
			names = append(names, p.Name)
		}
	}
	if len(names) > 0 {
		return strings.Join(names, ", ")
	}
	return "(untitled)"
}

func (w *Writer) insertChat(cs *chatState) error {
	title := cs.title
	base := exporters.SafeName(title)
	for i := 1; ; i++ {
		dir := base
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", base, i)
		}
		_, taken, err := w.st.chatDirTaken.row(dir)
		if err != nil {
			return err
		}
		if taken {
			continue
		}
		id, _, err := w.st.insertChat.insert(string(cs.c.Kind), title, dir, w.runID)
		if err != nil {
			return err
		}
		cs.id, cs.dir = id, dir
		w.chats++
		w.changed = true
		return nil
	}
}

// participant finds or adds p in the archive's chat. People are known by
// name: a row with the same name and phone, or with the same name when
// either side lacks the phone (a phone learnt later is added to it).
func (w *Writer) participant(cs *chatState, p *model.Participant) error {
	me := p.Me || (w.opts.Me != "" && p.Name == w.opts.Me)
	name := participantName(p)
	row, ok, err := w.st.findPart.row(cs.id, p.Name, p.Phone)
	if err != nil {
		return err
	}
	var id int64
	if ok {
		id = row[0].(int64)
		phone, wasMe := asString(row[1]), row[2].(int64) != 0
		switch {
		case phone == p.Phone || p.Phone == "":
		case phone == "":
			phone = p.Phone
		default:
			ok = false // the same name, another phone: another person
		}
		if ok && (phone != asString(row[1]) || me && !wasMe) {
			if err := w.st.updatePart.run(phone, boolInt(me || wasMe), id); err != nil {
				return err
			}
			w.changed = true
		}
	}
	if !ok {
		if id, _, err = w.st.insertPart.insert(cs.id, p.Name, p.Phone, boolInt(me)); err != nil {
			return err
		}
		w.changed = true
	}
	cs.parts[p.ID] = participant{id: id, idVal: id, name: name}
	return nil
}

// participantName is the name a participant's messages are keyed by.
func participantName(p *model.Participant) string {
	switch {
	case p.Name != "":
		return p.Name
	case p.Phone != "":
		return p.Phone
	}
	return string(p.ID)
}

// endChat records how many messages the chat's input added.
func (w *Writer) endChat() error {
	cs := w.chat
	if cs == nil {
		return nil
	}
	if cs.pending {
		if err := w.resolve(cs); err != nil {
			return err
		}
	}
	if _, _, err := w.flush(); err != nil {
		return err
	}
	w.chat = nil
	return w.st.countImport.run(int64(cs.added), cs.importID)
}

func asString(v driverValue) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}
