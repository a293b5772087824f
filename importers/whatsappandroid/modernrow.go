package whatsappandroid

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/importers/internal/vcard"
	"github.com/chatferry/chatferry/model"
)

// modernRow is one row of the message query: the message and the rows of
// the tables that add to it one-to-one.
type modernRow struct {
	id                                  int64
	sortID                              sql.NullInt64
	fromMe                              bool
	sender, ts, msgType                 sql.NullInt64
	text                                sql.NullString
	mediaRow                            sql.NullInt64
	filePath, mime, mediaName, caption  sql.NullString
	fileSize, width, height, duration   sql.NullInt64
	quoteRow, quoteFromMe, quoteSender  sql.NullInt64
	quoteText                           sql.NullString
	replyRow                            sql.NullInt64
	editedAt, forwarded                 sql.NullInt64
	locRow                              sql.NullInt64
	lat, lon                            sql.NullFloat64
	placeName, placeAddress, placeURL   sql.NullString
	liveDuration                        sql.NullInt64
	revoked, revokeAdmin, action, block sql.NullInt64
	poll                                sql.NullInt64
	product, order, ui                  sql.NullString
}

// messageQuery builds the message query for this database's version of
// the schema and the scan destinations in row. Tables and columns the
// database lacks read as NULL.
//
// A side table that has a row for few messages (see sparse) is not
// joined: it comes back as a sparseRead that fills its columns of row.
func (s *modern) messageQuery(ctx context.Context, row *modernRow) (string, []any, []sparseRead, error) {
	d := s.d
	var cols []string
	var dest []any
	add := func(expr string, p any) {
		cols = append(cols, expr)
		dest = append(dest, p)
	}
	var joins []string
	join := func(table, alias, on string) bool {
		if !d.has(table) {
			return false
		}
		joins = append(joins, fmt.Sprintf("LEFT JOIN %s %s ON %s", table, alias, on))
		return true
	}
	// side adds a one-to-one table keyed by message_row_id whose columns
	// fill adds: joined, or read on its own when it is sparse.
	var reads []sparseRead
	var err error
	side := func(table, alias string, fill func(add func(string, any))) {
		if err != nil || !d.has(table, "message_row_id") {
			return
		}
		var sc []string
		var sd []any
		fill(func(expr string, p any) {
			sc = append(sc, expr)
			sd = append(sd, p)
		})
		var t *sparseTable
		if t, err = s.sparse(ctx, table, alias, sc); t != nil || err != nil {
			if t != nil && len(t.ids) > 0 {
				reads = append(reads, sparseRead{table: t, scanner: newRowScanner(sd)})
			}
			return // no row: its columns stay NULL
		}
		join(table, alias, alias+".message_row_id = m._id")
		cols = append(cols, sc...)
		dest = append(dest, sd...)
	}
	add("m._id", &row.id)
	add(d.col("message", "m", "sort_id"), &row.sortID)
	add("m.from_me", &row.fromMe)
	add(d.col("message", "m", "sender_jid_row_id"), &row.sender)
	add("m.timestamp", &row.ts)
	add("m.message_type", &row.msgType)
	add(d.col("message", "m", "text_data"), &row.text)

	side("message_media", "mm", func(add func(string, any)) {
		add("mm.message_row_id", &row.mediaRow)
		add(d.col("message_media", "mm", "file_path"), &row.filePath)
		add(d.col("message_media", "mm", "mime_type"), &row.mime)
		add(d.col("message_media", "mm", "media_name"), &row.mediaName)
		add(d.col("message_media", "mm", "media_caption"), &row.caption)
		add(d.col("message_media", "mm", "file_size"), &row.fileSize)
		add(d.col("message_media", "mm", "width"), &row.width)
		add(d.col("message_media", "mm", "height"), &row.height)
		add(d.col("message_media", "mm", "media_duration"), &row.duration)
	})
	if d.has("message_quoted", "message_row_id", "key_id") && join("message_quoted", "q", "q.message_row_id = m._id") {
		add("q.message_row_id", &row.quoteRow)
		add(d.col("message_quoted", "q", "from_me"), &row.quoteFromMe)
		add(d.col("message_quoted", "q", "sender_jid_row_id"), &row.quoteSender)
		add(d.col("message_quoted", "q", "text_data"), &row.quoteText)
		// The quoted message is found by its key in the same chat; a
		// message deleted since keeps its old key in message_revoked.
		// Each lookup is a seek in WhatsApp's index on (chat_row_id,
		// from_me, key_id): the quoted side first, then the other.
		seek := func(fromMe string) string {
			return `(SELECT p._id FROM message p WHERE p.chat_row_id = m.chat_row_id AND p.from_me = ` + fromMe +
				` AND p.key_id = q.key_id LIMIT 1)`
		}
		lookups := []string{seek("0"), seek("1")}
		if d.has("message_quoted", "from_me") {
			lookups = []string{seek("q.from_me"), seek("1 - q.from_me")}
		}
		if d.has("message_revoked", "message_row_id", "revoked_key_id") {
			// message_revoked is small and has no index on the old key:
			// scan it rather than the chat (CROSS JOIN fixes the order).
			lookups = append(lookups, `(SELECT r.message_row_id FROM message_revoked r
				CROSS JOIN message p ON p._id = r.message_row_id
				WHERE r.revoked_key_id = q.key_id AND +p.chat_row_id = m.chat_row_id LIMIT 1)`)
		}
		parent := "COALESCE(" + strings.Join(lookups, ", ") + ")"
		if d.has("message_association", "child_message_row_id", "parent_message_row_id") {
			// An album is quoted by its container, which is no message of
			// its own: the reply goes to the album's first picture.
			parent = `(SELECT CASE WHEN t.message_type = 99 THEN (SELECT MIN(a.child_message_row_id)
				FROM message_association a WHERE a.parent_message_row_id = t._id) ELSE t._id END
				FROM message t WHERE t._id = ` + parent + `)`
		}
		add("CASE WHEN q.key_id IS NULL THEN NULL ELSE "+parent+" END", &row.replyRow)
	}
	side("message_edit_info", "e", func(add func(string, any)) {
		add(d.col("message_edit_info", "e", "edited_timestamp"), &row.editedAt)
	})
	side("message_forwarded", "f", func(add func(string, any)) {
		add("f.message_row_id", &row.forwarded)
	})
	side("message_location", "loc", func(add func(string, any)) {
		add("loc.message_row_id", &row.locRow)
		add(d.col("message_location", "loc", "latitude"), &row.lat)
		add(d.col("message_location", "loc", "longitude"), &row.lon)
		add(d.col("message_location", "loc", "place_name"), &row.placeName)
		add(d.col("message_location", "loc", "place_address"), &row.placeAddress)
		add(d.col("message_location", "loc", "url"), &row.placeURL)
		add(d.col("message_location", "loc", "live_location_share_duration"), &row.liveDuration)
	})
	side("message_revoked", "rv", func(add func(string, any)) {
		add("rv.message_row_id", &row.revoked)
		add(d.col("message_revoked", "rv", "admin_jid_row_id"), &row.revokeAdmin)
	})
	side("message_system", "sys", func(add func(string, any)) {
		add(d.col("message_system", "sys", "action_type"), &row.action)
	})
	side("message_system_block_contact", "blk", func(add func(string, any)) {
		add(d.col("message_system_block_contact", "blk", "is_blocked"), &row.block)
	})
	side("message_poll", "poll", func(add func(string, any)) {
		add("CASE WHEN poll.message_row_id IS NULL THEN NULL ELSE COALESCE("+
			d.col("message_poll", "poll", "selectable_options_count")+", 0) END", &row.poll)
	})
	side("message_product", "prod", func(add func(string, any)) {
		add(d.col("message_product", "prod", "title"), &row.product)
	})
	side("message_order", "ord", func(add func(string, any)) {
		add(d.col("message_order", "ord", "order_title"), &row.order)
	})
	if d.has("message_ui_elements", "message_row_id", "element_content") {
		// only interactive messages (type 85) carry them: CASE spares the
		// lookup for every other row
		add(`CASE WHEN m.message_type = 85 THEN (SELECT u.element_content FROM message_ui_elements u
			WHERE u.message_row_id = m._id ORDER BY u._id LIMIT 1) END`, &row.ui)
	}
	q := "SELECT " + strings.Join(cols, ",\n\t") + "\nFROM message m\n" + strings.Join(joins, "\n") +
		"\nWHERE m.chat_row_id = ?1\nORDER BY " + s.order("m")
	return q, dest, reads, err
}

// order is the ORDER BY of messages: WhatsApp's display order, in its
// index on (chat_row_id, sort_id), so SQLite need not sort.
func (s *modern) order(alias string) string {
	if s.d.has("message", "sort_id") {
		return alias + ".sort_id, " + alias + "._id"
	}
	return alias + "._id"
}

// sortKey orders like SQLite: NULL before every number.
func sortKey(v sql.NullInt64) int64 {
	if !v.Valid {
		return math.MinInt64
	}
	return v.Int64
}

// message turns a row into a message; nil for rows that are not messages
// of their own (album containers, and call rows when the call log has the
// calls).
func (c *modernChat) message(row *modernRow) (*model.Message, error) {
	t := int(row.msgType.Int64)
	if t == typeAlbum || (t == typeVideoCallEntry && c.s.hasCallLog) {
		return nil, nil
	}
	m := &model.Message{
		ID:     msgID(row.id),
		Time:   c.r.when(row.ts.Int64),
		Sender: c.senderOf(row.fromMe, row.sender),
		Text:   row.text.String,
		Source: c.r.pos(row.id),
	}
	switch {
	case t == typeSystem || t == typeDisappearing:
		if err := c.systemMessage(m, row); err != nil {
			return nil, err
		}
		return m, nil // nothing else applies to an event
	case row.revoked.Valid || t == typeDeleted:
		m.Kind = model.KindDeleted
		m.Text = "This message was deleted"
		switch {
		case row.revokeAdmin.Int64 > 0:
			m.Text = "This message was deleted by an admin"
		case row.fromMe:
			m.Text = "You deleted this message"
		}
	case t == typeMissedCall || t == typeVideoCallEntry:
		m.Kind = model.KindCall
		m.Call = &model.Call{Video: t == typeVideoCallEntry, Missed: t == typeMissedCall}
		m.Text = callText(m.Call)
	case t == typeViewOncePhoto || t == typeViewOnceVideo || t == typeViewOnceVoice:
		m.Kind = model.KindViewOnce
		m.Text = map[int]string{typeViewOncePhoto: "View once photo", typeViewOnceVideo: "View once video", typeViewOnceVoice: "View once voice message"}[t]
	case row.poll.Valid:
		if err := c.pollMessage(m, row); err != nil {
			return nil, err
		}
	case t == typeContact || t == typeContactArray:
		if err := c.contactMessage(m, row); err != nil {
			return nil, err
		}
	case row.locRow.Valid && (row.lat.Float64 != 0 || row.lon.Float64 != 0):
		m.Kind = model.KindLocation
		m.Location = &model.Location{
			Latitude: row.lat.Float64, Longitude: row.lon.Float64,
			Name: row.placeName.String, Address: row.placeAddress.String, URL: row.placeURL.String,
			Live: t == typeLiveLocation || row.liveDuration.Int64 > 0,
		}
		if m.Text == "" {
			m.Text = uiDescription(row.ui.String)
		}
	case row.mediaRow.Valid && attachmentRow(t, row.filePath.String):
		m.Kind = model.KindMedia
		if t == typeSticker {
			m.Kind = model.KindSticker
		}
		if m.Text == "" {
			m.Text = firstNonEmpty(row.caption.String, row.product.String, row.order.String)
		}
		m.Attachments = []model.Attachment{c.attachment(t, row)}
	default:
		m.Kind = model.KindText
		if m.Text == "" {
			m.Text = firstNonEmpty(row.product.String, row.order.String, uiDescription(row.ui.String))
		}
		if m.Text == "" && t == typeWaiting {
			m.Text = "Waiting for this message. This may take a while."
		}
	}
	if row.quoteRow.Valid {
		if err := c.quote(m, row); err != nil {
			return nil, err
		}
	}
	if row.editedAt.Valid {
		m.Edited = true
		m.EditedAt = c.r.when(row.editedAt.Int64)
	}
	m.Forwarded = row.forwarded.Valid
	return m, nil
}

func msgID(row int64) model.MessageID { return model.MessageID("m" + strconv.FormatInt(row, 10)) }

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// uiDescription takes the text of an interactive message (JSON in
// message_ui_elements).
func uiDescription(content string) string {
	if content == "" {
		return ""
	}
	var v struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	if json.Unmarshal([]byte(content), &v) != nil {
		return ""
	}
	return strings.TrimSpace(strings.Join(nonEmpty(v.Title, v.Description), "\n"))
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func secondsDuration(s int64) time.Duration {
	if s <= 0 || s > 1<<31 {
		return 0
	}
	return time.Duration(s) * time.Second
}

func (c *modernChat) attachment(t int, row *modernRow) model.Attachment {
	fp := row.filePath.String
	a := model.Attachment{
		Kind:     mediaKind(t, row.mime.String, fp),
		MIME:     row.mime.String,
		Size:     max(row.fileSize.Int64, 0),
		Width:    int(max(row.width.Int64, 0)),
		Height:   int(max(row.height.Int64, 0)),
		Duration: secondsDuration(row.duration.Int64),
	}
	a.Name = path.Base(strings.ReplaceAll(fp, `\`, "/"))
	if fp == "" {
		a.Name = ""
	}
	if n := strings.TrimSpace(row.mediaName.String); n != "" && (t == typeDocument || a.Name == "") {
		a.Name = n
	}
	rel, ok := c.r.media.find(fp)
	c.r.media.place(&a, rel, ok)
	return a
}

func (c *modernChat) quote(m *model.Message, row *modernRow) error {
	q := &model.Quote{Text: row.quoteText.String}
	q.Sender = c.senderOf(row.quoteFromMe.Int64 == 1, row.quoteSender)
	m.Quote = q
	if !row.replyRow.Valid {
		return nil
	}
	target := row.replyRow.Int64
	if target != 0 && target != row.id {
		m.ReplyTo = msgID(target)
	}
	return nil
}

func (c *modernChat) contactMessage(m *model.Message, row *modernRow) error {
	m.Kind = model.KindContact
	if err := c.s.prepare(c.ctx, &c.s.vcards, c.s.d.has("message_vcard", "message_row_id", "vcard"),
		"SELECT vcard FROM message_vcard WHERE message_row_id = ? ORDER BY "+c.s.d.col("message_vcard", "message_vcard", "_id")); err != nil {
		return err
	}
	if c.s.vcards != nil {
		rows, err := c.s.vcards.QueryContext(c.ctx, row.id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var card sql.NullString
			if err := rows.Scan(&card); err != nil {
				return err
			}
			if card.String != "" {
				m.Contacts = append(m.Contacts, vcard.Parse(card.String))
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(m.Contacts) == 0 && m.Text != "" {
		m.Contacts = []model.Contact{{Name: m.Text}}
	}
	return nil
}

func (c *modernChat) pollMessage(m *model.Message, row *modernRow) error {
	m.Kind = model.KindPoll
	m.Poll = &model.Poll{Question: m.Text, Multiple: row.poll.Int64 != 1}
	d := c.s.d
	if err := c.s.prepare(c.ctx, &c.s.pollOptions, d.has("message_poll_option", "_id", "message_row_id", "option_name"),
		"SELECT _id, option_name, "+d.col("message_poll_option", "message_poll_option", "vote_total")+
			" FROM message_poll_option WHERE message_row_id = ? ORDER BY _id"); err != nil {
		return err
	}
	if c.s.pollOptions == nil {
		return nil
	}
	rows, err := c.s.pollOptions.QueryContext(c.ctx, row.id)
	if err != nil {
		return err
	}
	index := map[int64]int{}
	for rows.Next() {
		var id int64
		var name sql.NullString
		var votes sql.NullInt64
		if err := rows.Scan(&id, &name, &votes); err != nil {
			rows.Close()
			return err
		}
		index[id] = len(m.Poll.Options)
		m.Poll.Options = append(m.Poll.Options, model.PollOption{Text: name.String, Votes: int(votes.Int64)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return c.pollVoters(m, row.id, index)
}

// pollVoters adds who chose what: each voter's latest vote counts.
func (c *modernChat) pollVoters(m *model.Message, poll int64, index map[int64]int) error {
	d := c.s.d
	ok := d.has("message_add_on", "_id", "parent_message_row_id", "from_me", "sender_jid_row_id") &&
		d.has("message_add_on_poll_vote_selected_option", "message_add_on_row_id", "message_poll_option_id")
	if err := c.s.prepare(c.ctx, &c.s.pollVotes, ok, `SELECT a._id, a.from_me, a.sender_jid_row_id, s.message_poll_option_id
		FROM message_add_on a JOIN message_add_on_poll_vote_selected_option s ON s.message_add_on_row_id = a._id
		WHERE a.parent_message_row_id = ? ORDER BY a._id`); err != nil {
		return err
	}
	if c.s.pollVotes == nil {
		return nil
	}
	rows, err := c.s.pollVotes.QueryContext(c.ctx, poll)
	if err != nil {
		return err
	}
	defer rows.Close()
	latest := map[model.ParticipantID]int64{} // voter → add-on row of the vote that counts
	choices := map[model.ParticipantID][]int{}
	for rows.Next() {
		var addOn, option int64
		var fromMe bool
		var sender sql.NullInt64
		if err := rows.Scan(&addOn, &fromMe, &sender, &option); err != nil {
			return err
		}
		voter := c.senderOf(fromMe, sender)
		if latest[voter] != addOn {
			latest[voter], choices[voter] = addOn, nil
		}
		if i, ok := index[option]; ok {
			choices[voter] = append(choices[voter], i)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range c.parts.list {
		for _, i := range choices[p.ID] {
			m.Poll.Options[i].Voters = append(m.Poll.Options[i].Voters, p.ID)
		}
	}
	return nil // a voter who is no participant is counted in Votes, not named
}

func (c *modernChat) systemMessage(m *model.Message, row *modernRow) error {
	m.Kind = model.KindSystem
	m.Sender = ""
	ev := systemEvent{action: int(row.action.Int64), text: row.text.String, blocked: row.block.Int64 == 1}
	if int(row.msgType.Int64) == typeDisappearing {
		ev.action = -typeDisappearing
	}
	// In a group, the row's sender is who did it, even when from_me is
	// set; otherwise from_me says it was the owner.
	switch {
	case row.sender.Int64 > 0 && c.parts.byRow[row.sender.Int64] != "":
		ev.actor = c.parts.byRow[row.sender.Int64]
	case row.fromMe:
		ev.actor = meID
	default:
		ev.actor = c.partner
	}
	if err := c.s.prepare(c.ctx, &c.s.systemTarget, c.s.d.has("message_system_chat_participant", "message_row_id", "user_jid_row_id"),
		"SELECT user_jid_row_id FROM message_system_chat_participant WHERE message_row_id = ? ORDER BY rowid"); err != nil {
		return err
	}
	if c.s.systemTarget != nil {
		rows, err := c.s.systemTarget.QueryContext(c.ctx, row.id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var j sql.NullInt64
			if err := rows.Scan(&j); err != nil {
				rows.Close()
				return err
			}
			if id := c.parts.byRow[j.Int64]; id != "" {
				ev.targets = append(ev.targets, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	m.Event, m.Text = ev.build(c.parts.name)
	return nil
}
