package whatsappandroid

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// modern reads the schema of 2021 onwards: message, chat, jid and the
// tables around message that add media, quotes, reactions and the rest.
type modern struct {
	r *reader
	d *database

	vcards       *sql.Stmt // message row → vCards
	systemTarget *sql.Stmt // system message row → participant jid rows
	pollOptions  *sql.Stmt // poll message row → options
	pollVotes    *sql.Stmt // poll message row → latest vote of each voter
	hasCallLog   bool

	sparseTables map[string]*sparseTable // by table; nil: joined (see sparse)
	maxMessage   int64                   // the largest message id, once known
}

func newModern(r *reader) *modern {
	return &modern{r: r, d: r.db, hasCallLog: r.db.has("call_log", "_id", "jid_row_id", "from_me", "timestamp")}
}

func (s *modern) name() string { return "modern" }

func (s *modern) count(ctx context.Context) int64 {
	var n int64
	s.d.conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM message WHERE chat_row_id > 0 AND chat_row_id NOT IN
		(SELECT c._id FROM chat c JOIN jid j ON j._id = c.jid_row_id WHERE j.user = 'status' AND j.server = 'broadcast')`).Scan(&n)
	return n
}

func (s *modern) prepare(ctx context.Context, st **sql.Stmt, ok bool, query string) error {
	if *st != nil || !ok {
		return nil
	}
	var err error
	*st, err = s.d.conn.PrepareContext(ctx, query)
	return err
}

func (s *modern) closeSchema() {
	s.closeSparse()
	for _, st := range []*sql.Stmt{s.vcards, s.systemTarget, s.pollOptions, s.pollVotes} {
		if st != nil {
			st.Close()
		}
	}
}

func (s *modern) listChats(ctx context.Context) ([]chatRef, error) {
	calls := ""
	if s.hasCallLog {
		calls = " OR EXISTS (SELECT 1 FROM call_log l WHERE l.jid_row_id = c.jid_row_id)"
		if s.d.has("call_log", "group_jid_row_id") {
			calls += " OR (j.server = 'g.us' AND EXISTS (SELECT 1 FROM call_log l WHERE l.group_jid_row_id = c.jid_row_id))"
		}
	}
	rows, err := s.d.conn.QueryContext(ctx, fmt.Sprintf(`SELECT c._id, c.jid_row_id, j.user, j.server, %s, %s
		FROM chat c LEFT JOIN jid j ON j._id = c.jid_row_id
		WHERE EXISTS (SELECT 1 FROM message m WHERE m.chat_row_id = c._id)%s
		ORDER BY c._id`, s.d.col("jid", "j", "raw_string"), s.d.col("chat", "c", "subject"), calls))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var chats []chatRef
	for rows.Next() {
		var c chatRef
		var jidRow sql.NullInt64
		var user, server, raw, subject sql.NullString
		if err := rows.Scan(&c.row, &jidRow, &user, &server, &raw, &subject); err != nil {
			return nil, err
		}
		c.jidRow = jidRow.Int64
		c.jid = parseJID(jid{User: user.String, Server: server.String}.String())
		if user.String == "" && raw.Valid {
			c.jid = parseJID(raw.String)
		}
		c.key = raw.String
		if c.jid.User == "status" && c.jid.Server == "broadcast" {
			continue // status updates, not a conversation
		}
		if j, ok := s.r.people.byRow(ctx, c.jidRow); ok {
			c.jid = j // an @lid chat named by its phone number
		}
		c.group = c.jid.isGroup()
		c.title = strings.TrimSpace(subject.String)
		if c.title == "" {
			switch {
			case c.jid.User == "":
				c.title = fmt.Sprintf("Chat %d", c.row)
			case c.group:
				c.title = c.jid.String()
			default:
				c.title = s.r.people.participant(c.jid).Name
			}
		}
		chats = append(chats, c)
	}
	return chats, rows.Err()
}

// openChat reads what the chat's header needs (its participants and how
// many attachments are missing) and starts the message cursors.
func (s *modern) openChat(ctx context.Context, ref chatRef) (*model.Chat, messageStream, error) {
	c := &modernChat{s: s, r: s.r, ref: ref}
	if err := c.collectParticipants(ctx); err != nil {
		return nil, nil, err
	}
	chat := &model.Chat{
		ID:           model.ChatID(ref.jid.String()),
		Title:        ref.title,
		Kind:         model.Direct,
		Participants: c.parts.list,
	}
	if ref.jid.User == "" {
		chat.ID = model.ChatID(fmt.Sprintf("chat%d", ref.row))
	}
	if ref.group {
		chat.Kind = model.Group
	}
	if err := s.r.attachMedia(ctx, chat, c.countMissing); err != nil {
		return nil, nil, err
	}
	if err := c.start(ctx); err != nil {
		c.close()
		return nil, nil, err
	}
	return chat, c, nil
}

// modernChat streams one chat: the message cursor, merged with a cursor
// over the reactions (in the same order) and one over the call log (by
// time).
type modernChat struct {
	s       *modern
	r       *reader
	ctx     context.Context
	ref     chatRef
	parts   *participantSet
	partner model.ParticipantID // the other person of a direct chat

	msgs      *sql.Rows
	row       modernRow
	scanner   *rowScanner
	sparse    []sparseRead // side tables read on their own
	haveRow   bool
	reactions *sql.Rows
	react     reactionRow
	haveReact bool
	calls     *sql.Rows
	call      callRow
	haveCall  bool
}

// collectParticipants finds everyone who appears in the chat: senders,
// reacting and quoted people, people named by system events, current
// group members and callers.
func (c *modernChat) collectParticipants(ctx context.Context) error {
	d := c.s.d
	c.parts = newParticipantSet(c.r.people)
	if !c.ref.group && c.ref.jid.User != "" {
		c.partner = c.parts.addJID(c.ref.jid)
	}
	// Each query yields jid rows, and 0 for someone who is not the owner
	// but whom the row does not name. CROSS JOIN keeps SQLite walking the
	// chat's messages first; without ORDER BY, UNION keeps only the
	// distinct ids, not every row.
	unnamed := "CASE WHEN %[1]s.sender_jid_row_id > 0 THEN %[1]s.sender_jid_row_id WHEN %[1]s.from_me = 0 THEN 0 END"
	queries := []string{
		"SELECT " + fmt.Sprintf(unnamed, "m") + " FROM message m WHERE m.chat_row_id = ?1 AND m.message_type NOT IN (7, 99)",
		"SELECT m.sender_jid_row_id FROM message m WHERE m.chat_row_id = ?1 AND m.message_type = 7 AND m.sender_jid_row_id > 0",
	}
	if d.has("message_add_on", "parent_message_row_id", "sender_jid_row_id", "from_me") {
		// reactions and votes by their message's chat, as they are read
		queries = append(queries, "SELECT "+fmt.Sprintf(unnamed, "a")+` FROM message p
			CROSS JOIN message_add_on a ON a.parent_message_row_id = p._id WHERE p.chat_row_id = ?1`)
	}
	if d.has("message_quoted", "message_row_id", "sender_jid_row_id", "from_me") {
		queries = append(queries, "SELECT "+fmt.Sprintf(unnamed, "q")+` FROM message m
			CROSS JOIN message_quoted q ON q.message_row_id = m._id WHERE m.chat_row_id = ?1`)
	}
	if d.has("message_system_chat_participant", "message_row_id", "user_jid_row_id") {
		queries = append(queries, `SELECT p.user_jid_row_id FROM message m
			CROSS JOIN message_system_chat_participant p ON p.message_row_id = m._id
			WHERE m.chat_row_id = ?1 AND m.message_type = 7 AND p.user_jid_row_id > 0`)
	}
	if c.ref.group && d.has("group_participant_user", "group_jid_row_id", "user_jid_row_id") {
		queries = append(queries, "SELECT user_jid_row_id FROM group_participant_user WHERE group_jid_row_id = ?2")
	}
	if c.ref.group && c.s.hasCallLog && d.has("call_log", "group_jid_row_id") {
		queries = append(queries, "SELECT jid_row_id FROM call_log WHERE group_jid_row_id = ?2 AND jid_row_id > 0")
	}
	rows, err := d.conn.QueryContext(ctx, strings.Join(queries, " UNION "), c.ref.row, c.ref.jidRow)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id sql.NullInt64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if id.Valid {
			ids = append(ids, id.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(ids)
	unknown := false
	for _, id := range ids {
		switch {
		case id <= 0:
			unknown = unknown || c.partner == "" // in a direct chat, the other person
		case c.parts.addRow(ctx, id) == "":
			unknown = true
		}
	}
	if unknown {
		c.parts.add(unknownSender)
	}
	return nil
}

// countMissing counts the chat's attachments that are not in the media
// folder, the same way the messages will be read.
func (c *modernChat) countMissing(ctx context.Context) (missing, total int, err error) {
	if !c.s.d.has("message_media", "message_row_id", "file_path") {
		return 0, 0, nil
	}
	rows, err := c.s.d.conn.QueryContext(ctx, `SELECT m.message_type, mm.file_path FROM message m
		JOIN message_media mm ON mm.message_row_id = m._id WHERE m.chat_row_id = ?`, c.ref.row)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var t sql.NullInt64
		var p sql.NullString
		if err := rows.Scan(&t, &p); err != nil {
			return 0, 0, err
		}
		if !attachmentRow(int(t.Int64), p.String) {
			continue
		}
		total++
		if _, ok := c.r.media.find(p.String); !ok {
			missing++
		}
	}
	return missing, total, rows.Err()
}

// attachmentRow reports whether a message of type t with a message_media
// row carries an attachment.
func attachmentRow(t int, filePath string) bool {
	switch t {
	case typeSystem, typeAlbum, typeDeleted, typeViewOncePhoto, typeViewOnceVideo, typeViewOnceVoice, typeLocation, typeLiveLocation:
		return false
	}
	return hasMedia(t) || filePath != ""
}

func (c *modernChat) close() {
	for _, r := range []*sql.Rows{c.msgs, c.reactions, c.calls} {
		if r != nil {
			r.Close()
		}
	}
	c.msgs, c.reactions, c.calls = nil, nil, nil
}

// reactionRow is one reaction, keyed by its message's place in the order.
type reactionRow struct {
	sortID sql.NullInt64
	parent int64
	fromMe bool
	sender sql.NullInt64
	emoji  sql.NullString
	ts     sql.NullInt64
}

// callRow is one entry of the call log.
type callRow struct {
	id       int64
	fromMe   bool
	caller   sql.NullInt64
	ts       sql.NullInt64
	video    sql.NullInt64
	duration sql.NullInt64
	result   sql.NullInt64
}

func (c *modernChat) start(ctx context.Context) error {
	c.ctx = ctx
	query, dest, sparse, err := c.s.messageQuery(ctx, &c.row)
	if err != nil {
		return err
	}
	c.scanner, c.sparse = newRowScanner(dest), sparse
	if c.msgs, err = c.s.d.conn.QueryContext(ctx, query, c.ref.row); err != nil {
		return err
	}
	d := c.s.d
	if d.has("message_add_on", "_id", "parent_message_row_id", "from_me", "sender_jid_row_id") &&
		d.has("message_add_on_reaction", "message_add_on_row_id", "reaction") {
		ts := "a." + "timestamp"
		if d.has("message_add_on_reaction", "sender_timestamp") {
			ts = "COALESCE(r.sender_timestamp, a.timestamp)"
		}
		if !d.has("message_add_on", "timestamp") {
			ts = d.col("message_add_on_reaction", "r", "sender_timestamp")
		}
		q := fmt.Sprintf(`SELECT %s, p._id, a.from_me, a.sender_jid_row_id, r.reaction, %s
			FROM message p
			JOIN message_add_on a ON a.parent_message_row_id = p._id
			JOIN message_add_on_reaction r ON r.message_add_on_row_id = a._id
			WHERE p.chat_row_id = ?1
			ORDER BY %s, a._id`, d.col("message", "p", "sort_id"), ts, c.s.order("p"))
		if c.reactions, err = d.conn.QueryContext(ctx, q, c.ref.row); err != nil {
			return err
		}
	}
	if c.s.hasCallLog && c.ref.jidRow != 0 {
		// a person's calls through WhatsApp's index on jid_row_id; a
		// group's by group_jid_row_id
		where := "jid_row_id = ?1"
		switch {
		case c.ref.group && d.has("call_log", "group_jid_row_id"):
			where = "group_jid_row_id = ?1"
		case d.has("call_log", "group_jid_row_id"):
			where = "jid_row_id = ?1 AND COALESCE(group_jid_row_id, 0) = 0"
		}
		q := fmt.Sprintf(`SELECT _id, from_me, jid_row_id, timestamp, %s, %s, %s FROM call_log
			WHERE %s ORDER BY timestamp, _id`,
			d.col("call_log", "call_log", "video_call"), d.col("call_log", "call_log", "duration"),
			d.col("call_log", "call_log", "call_result"), where)
		if c.calls, err = d.conn.QueryContext(ctx, q, c.ref.jidRow); err != nil {
			return err
		}
	}
	return c.advance()
}

// advance reads the next row of each cursor that has none buffered.
func (c *modernChat) advance() error {
	if c.msgs != nil && !c.haveRow {
		if c.msgs.Next() {
			if err := c.scanner.scan(c.msgs); err != nil {
				return err
			}
			for i := range c.sparse {
				if err := c.sparse[i].read(c.ctx, c.row.id); err != nil {
					return err
				}
			}
			c.haveRow = true
		} else if err := c.msgs.Err(); err != nil {
			return err
		}
	}
	if c.calls != nil && !c.haveCall {
		if c.calls.Next() {
			c.call = callRow{}
			if err := c.calls.Scan(&c.call.id, &c.call.fromMe, &c.call.caller, &c.call.ts, &c.call.video, &c.call.duration, &c.call.result); err != nil {
				return err
			}
			c.haveCall = true
		} else if err := c.calls.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (c *modernChat) next() (*model.Message, error) {
	for {
		if err := c.advance(); err != nil {
			return nil, err
		}
		switch {
		case c.haveCall && (!c.haveRow || c.call.ts.Int64 < c.row.ts.Int64):
			c.haveCall = false
			return c.callMessage(c.call), nil
		case c.haveRow:
			c.haveRow = false
			m, err := c.message(&c.row)
			if err != nil {
				return nil, err
			}
			if m == nil {
				continue // a row that is not a message of its own
			}
			if err := c.attachReactions(m, sortKey(c.row.sortID), c.row.id); err != nil {
				return nil, err
			}
			return m, nil
		default:
			return nil, io.EOF
		}
	}
}

// attachReactions moves the reaction cursor to the message at (sortID,
// id) and takes its reactions; a later reaction of the same person
// replaces an earlier one, an empty one withdraws it.
func (c *modernChat) attachReactions(m *model.Message, sortID, id int64) error {
	if c.reactions == nil {
		return nil
	}
	for {
		if !c.haveReact {
			if !c.reactions.Next() {
				if err := c.reactions.Err(); err != nil {
					return err
				}
				c.reactions.Close()
				c.reactions = nil
				return nil
			}
			c.react = reactionRow{}
			if err := c.reactions.Scan(&c.react.sortID, &c.react.parent, &c.react.fromMe, &c.react.sender, &c.react.emoji, &c.react.ts); err != nil {
				return err
			}
			c.haveReact = true
		}
		rr := c.react
		rs := sortKey(rr.sortID)
		if rs > sortID || (rs == sortID && rr.parent > id) {
			return nil // belongs to a later message
		}
		c.haveReact = false
		if rs < sortID || rr.parent < id {
			continue // a reaction to a row that was not a message of its own
		}
		sender := c.senderOf(rr.fromMe, rr.sender)
		kept := m.Reactions[:0]
		for _, old := range m.Reactions {
			if old.Sender != sender {
				kept = append(kept, old)
			}
		}
		m.Reactions = kept
		if e := rr.emoji.String; e != "" {
			m.Reactions = append(m.Reactions, model.Reaction{Emoji: e, Sender: sender, Time: c.r.when(rr.ts.Int64)})
		}
	}
}

// senderOf names the person behind a from_me flag and a jid row: the
// owner, the row's person, the other person of a direct chat, or the
// unknown sender.
func (c *modernChat) senderOf(fromMe bool, row sql.NullInt64) model.ParticipantID {
	if fromMe {
		return meID
	}
	if row.Valid && row.Int64 > 0 {
		if id := c.parts.byRow[row.Int64]; id != "" {
			return id
		}
	}
	if c.partner != "" {
		return c.partner
	}
	return unknownSender.ID
}

func (c *modernChat) callMessage(l callRow) *model.Message {
	call := &model.Call{Video: l.video.Int64 != 0, Duration: secondsDuration(l.duration.Int64)}
	// call_result 5 is a call that was connected; everything else did
	// not reach the other side.
	call.Missed = l.result.Valid && l.result.Int64 != 5 && l.duration.Int64 == 0
	sender := meID
	if !l.fromMe {
		sender = c.senderOf(false, l.caller)
	}
	return &model.Message{
		ID:     model.MessageID(fmt.Sprintf("call%d", l.id)),
		Time:   c.r.when(l.ts.Int64),
		Sender: sender,
		Kind:   model.KindCall,
		Text:   callText(call),
		Call:   call,
		Source: model.Pos{File: c.r.name + " call_log", Line: int(l.id)},
	}
}
