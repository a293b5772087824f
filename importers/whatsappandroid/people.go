package whatsappandroid

import (
	"context"
	"database/sql"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// meID is the participant id of the phone's owner in every chat.
const meID model.ParticipantID = "me"

// jid is a WhatsApp identity: user@server. Devices of one account
// ("user:3@s.whatsapp.net" in raw_string) are the same person, so a jid
// keeps only user and server.
type jid struct {
	User, Server string
}

func (j jid) String() string {
	if j.Server == "" {
		return j.User
	}
	return j.User + "@" + j.Server
}

// parseJID splits a jid string and drops a device or agent suffix.
func parseJID(s string) jid {
	user, server, _ := strings.Cut(s, "@")
	if i := strings.IndexAny(user, ":."); i > 0 && server != "g.us" {
		user = user[:i]
	}
	return jid{User: user, Server: server}
}

func (j jid) isGroup() bool {
	return j.Server == "g.us" || j.Server == "broadcast" || j.Server == "newsletter"
}

// phone returns the E.164 number of a phone-number jid, or "".
func (j jid) phone() string {
	if j.Server != "s.whatsapp.net" && j.Server != "c.us" {
		return ""
	}
	if len(j.User) < 5 || len(j.User) > 15 {
		return ""
	}
	for _, r := range j.User {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return "+" + j.User
}

// people names the identities of a database: the owner, contacts from
// wa.db, and the jid table of the message database with its map from
// @lid identities to phone numbers.
type people struct {
	me       jid    // the owner's own jid, when the database reveals it
	myName   string // what to call the owner
	contacts *contactBook

	jidStmt *sql.Stmt // jid row id → user, server
	mapStmt *sql.Stmt // @lid jid row id → phone-number jid
	rows    map[int64]jid
}

func newPeople(ctx context.Context, d *database, contacts *contactBook, myName string) (*people, error) {
	p := &people{contacts: contacts, myName: myName, rows: map[int64]jid{}}
	if d.has("jid", "_id", "user", "server") {
		var err error
		p.jidStmt, err = d.conn.PrepareContext(ctx, "SELECT user, server, "+d.col("jid", "jid", "raw_string")+" FROM jid WHERE _id = ?")
		if err != nil {
			return nil, err
		}
		if d.has("jid_map", "lid_row_id", "jid_row_id") {
			p.mapStmt, err = d.conn.PrepareContext(ctx, "SELECT j.user, j.server FROM jid_map m JOIN jid j ON j._id = m.jid_row_id WHERE m.lid_row_id = ?")
			if err != nil {
				return nil, err
			}
		}
	}
	if p.myName == "" && d.has("props", "key", "value") {
		var name sql.NullString
		d.conn.QueryRowContext(ctx, "SELECT value FROM props WHERE key = 'user_push_name'").Scan(&name)
		p.myName = strings.TrimSpace(name.String)
	}
	if p.myName == "" {
		p.myName = "Me"
	}
	return p, nil
}

// byRow returns the jid of a jid row, mapped from @lid to the phone
// number where the database knows it. ok is false for an unknown row.
func (p *people) byRow(ctx context.Context, row int64) (jid, bool) {
	if j, ok := p.rows[row]; ok {
		return j, j.User != "" || j.Server != ""
	}
	var j jid
	if p.jidStmt != nil {
		var user, server, raw sql.NullString
		if err := p.jidStmt.QueryRowContext(ctx, row).Scan(&user, &server, &raw); err == nil {
			j = jid{User: user.String, Server: server.String}
			if j.User == "" && raw.Valid {
				j = parseJID(raw.String)
			} else {
				j = parseJID(j.String())
			}
			if j.Server == "lid" && p.mapStmt != nil {
				var u, s sql.NullString
				if p.mapStmt.QueryRowContext(ctx, row).Scan(&u, &s) == nil && u.String != "" {
					j = jid{User: u.String, Server: s.String}
				}
			}
		}
	}
	if len(p.rows) > 100_000 { // a bound, not a cache policy: rows repeat within a chat
		p.rows = map[int64]jid{}
	}
	p.rows[row] = j
	return j, j.User != "" || j.Server != ""
}

// isMe reports whether j is the owner.
func (p *people) isMe(j jid) bool { return p.me.User != "" && j == p.me }

// participant describes j as a participant of a chat.
func (p *people) participant(j jid) model.Participant {
	if p.isMe(j) {
		return p.owner()
	}
	c := p.contacts.get(j)
	part := model.Participant{ID: model.ParticipantID(j.String()), Name: c.name, Phone: j.phone()}
	if part.Phone == "" {
		part.Phone = c.phone()
	}
	if part.Name == "" {
		switch {
		case part.Phone != "":
			part.Name = part.Phone
		default:
			part.Name = j.User
		}
	}
	return part
}

func (p *people) owner() model.Participant {
	return model.Participant{ID: meID, Name: p.myName, Phone: p.me.phone(), Me: true}
}

func (p *people) close() {
	for _, s := range []*sql.Stmt{p.jidStmt, p.mapStmt} {
		if s != nil {
			s.Close()
		}
	}
}

// participantSet collects the participants of one chat before its first
// message is read, and maps jid rows to their ids.
type participantSet struct {
	p     *people
	list  []model.Participant
	index map[model.ParticipantID]int
	byRow map[int64]model.ParticipantID
}

func newParticipantSet(p *people) *participantSet {
	s := &participantSet{p: p, index: map[model.ParticipantID]int{}, byRow: map[int64]model.ParticipantID{}}
	s.add(p.owner())
	return s
}

func (s *participantSet) add(part model.Participant) model.ParticipantID {
	if _, ok := s.index[part.ID]; !ok {
		s.index[part.ID] = len(s.list)
		s.list = append(s.list, part)
	}
	return part.ID
}

// addJID adds the participant for j and returns its id.
func (s *participantSet) addJID(j jid) model.ParticipantID {
	if s.p.isMe(j) {
		return meID
	}
	return s.add(s.p.participant(j))
}

// addRow adds the participant of a jid row; unknown rows give "".
func (s *participantSet) addRow(ctx context.Context, row int64) model.ParticipantID {
	if id, ok := s.byRow[row]; ok {
		return id
	}
	j, ok := s.p.byRow(ctx, row)
	if !ok {
		return ""
	}
	id := s.addJID(j)
	s.byRow[row] = id
	return id
}

// name returns what a participant is called, for system event wording.
func (s *participantSet) name(id model.ParticipantID) string {
	if id == meID {
		return "You"
	}
	if i, ok := s.index[id]; ok {
		return s.list[i].Name
	}
	return "Someone"
}
