package whatsappandroid

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// legacy reads the schema used until 2021–22: one messages table keyed by
// the chat's jid string (key_remote_jid), with the group sender's jid in
// remote_resource, media columns inline and quotes in messages_quotes.
type legacy struct {
	r *reader
	d *database
}

func newLegacy(r *reader) *legacy { return &legacy{r: r, d: r.db} }

func (s *legacy) name() string { return "legacy" }

func (s *legacy) count(ctx context.Context) int64 {
	var n int64
	s.d.conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM messages WHERE key_remote_jid NOT IN ('-1', 'status@broadcast')").Scan(&n)
	return n
}

func (s *legacy) listChats(ctx context.Context) ([]chatRef, error) {
	// Group subjects live in chat_list (old) or chat + jid (2021).
	var subjects []string
	if s.d.has("chat", "jid_row_id", "subject") && s.d.has("jid", "_id", "raw_string") {
		subjects = append(subjects, "(SELECT c.subject FROM jid j JOIN chat c ON c.jid_row_id = j._id WHERE j.raw_string = k.jid LIMIT 1)")
	}
	if s.d.has("chat_list", "key_remote_jid", "subject") {
		subjects = append(subjects, "(SELECT c.subject FROM chat_list c WHERE c.key_remote_jid = k.jid LIMIT 1)")
	}
	subject := "NULL"
	switch len(subjects) {
	case 1:
		subject = subjects[0]
	case 2:
		subject = "COALESCE(" + strings.Join(subjects, ", ") + ")"
	}
	rows, err := s.d.conn.QueryContext(ctx, `SELECT k.jid, `+subject+` FROM (
		SELECT key_remote_jid AS jid, MIN(_id) AS first FROM messages
		WHERE key_remote_jid <> '-1' AND key_remote_jid <> 'status@broadcast'
		GROUP BY key_remote_jid) k ORDER BY k.first`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var chats []chatRef
	for rows.Next() {
		var key string
		var subj sql.NullString
		if err := rows.Scan(&key, &subj); err != nil {
			return nil, err
		}
		c := chatRef{key: key, jid: parseJID(key)}
		c.group = c.jid.isGroup()
		c.title = strings.TrimSpace(subj.String)
		if c.title == "" {
			if c.group {
				c.title = c.jid.String()
			} else {
				c.title = s.r.people.participant(c.jid).Name
			}
		}
		chats = append(chats, c)
	}
	return chats, rows.Err()
}

func (s *legacy) openChat(ctx context.Context, ref chatRef) (*model.Chat, messageStream, error) {
	c := &legacyChat{s: s, r: s.r, ctx: ctx, ref: ref, parts: newParticipantSet(s.r.people)}
	if !ref.group {
		c.partner = c.parts.addJID(ref.jid)
	}
	if err := c.collectParticipants(ctx); err != nil {
		return nil, nil, err
	}
	chat := &model.Chat{ID: model.ChatID(ref.key), Title: ref.title, Kind: model.Direct, Participants: c.parts.list}
	if ref.group {
		chat.Kind = model.Group
	}
	if s.r.media != nil {
		missing, total, err := c.countMissing(ctx)
		if err != nil {
			return nil, nil, err
		}
		chat.Media = s.r.media.fsys
		if missing > 0 {
			chat.Warnings = append(chat.Warnings, model.Warning{Code: "media-missing",
				Text: fmt.Sprintf("%d of %d attachments are not in the media folder", missing, total)})
		}
	}
	query, dest := s.messageQuery(&c.row)
	var err error
	if c.rows, err = s.d.conn.QueryContext(ctx, query, ref.key); err != nil {
		return nil, nil, err
	}
	c.scanner = newRowScanner(dest)
	return chat, c, nil
}

type legacyChat struct {
	s       *legacy
	r       *reader
	ctx     context.Context
	ref     chatRef
	parts   *participantSet
	partner model.ParticipantID
	byJID   map[string]model.ParticipantID
	rows    *sql.Rows
	row     legacyRow
	scanner *rowScanner
}

func (c *legacyChat) collectParticipants(ctx context.Context) error {
	c.byJID = map[string]model.ParticipantID{}
	queries := []string{"SELECT remote_resource, MIN(key_from_me) FROM messages WHERE key_remote_jid = ?1 GROUP BY remote_resource"}
	if c.s.d.has("messages", "quoted_row_id") && c.s.d.has("messages_quotes", "_id", "key_from_me", "remote_resource") {
		queries = append(queries, `SELECT q.remote_resource, MIN(q.key_from_me) FROM messages m JOIN messages_quotes q ON q._id = m.quoted_row_id
			WHERE m.key_remote_jid = ?1 AND m.quoted_row_id > 0 GROUP BY q.remote_resource`)
	}
	rows, err := c.s.d.conn.QueryContext(ctx, strings.Join(queries, " UNION ")+" ORDER BY 1", c.ref.key)
	if err != nil {
		return err
	}
	defer rows.Close()
	unknown := false
	for rows.Next() {
		var res sql.NullString
		var fromMe sql.NullInt64
		if err := rows.Scan(&res, &fromMe); err != nil {
			return err
		}
		if r := strings.TrimSpace(res.String); r != "" {
			c.byJID[r] = c.parts.addJID(parseJID(r))
		} else if c.ref.group && fromMe.Int64 == 0 {
			unknown = true // a group message from someone the row does not name
		}
	}
	if unknown {
		c.parts.add(unknownSender)
	}
	return rows.Err()
}

func (c *legacyChat) who(fromMe bool, resource sql.NullString) model.ParticipantID {
	if fromMe {
		return meID
	}
	if id := c.byJID[strings.TrimSpace(resource.String)]; id != "" {
		return id
	}
	if c.partner != "" {
		return c.partner
	}
	return unknownSender.ID
}

func (c *legacyChat) countMissing(ctx context.Context) (missing, total int, err error) {
	rows, err := c.s.d.conn.QueryContext(ctx, `SELECT CAST(media_wa_type AS INTEGER), media_name, media_mime_type
		FROM messages WHERE key_remote_jid = ?`, c.ref.key)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var t sql.NullInt64
		var name, mime sql.NullString
		if err := rows.Scan(&t, &name, &mime); err != nil {
			return 0, 0, err
		}
		if !hasMedia(int(t.Int64)) {
			continue
		}
		total++
		if _, ok := c.r.media.findByName(name.String, mediaKind(int(t.Int64), mime.String, name.String)); !ok {
			missing++
		}
	}
	return missing, total, rows.Err()
}

// legacyRow is one row of the legacy message query.
type legacyRow struct {
	id                                  int64
	fromMe                              bool
	status, ts, msgType                 sql.NullInt64
	data, mime, mediaName, caption, url sql.NullString
	size, duration                      sql.NullInt64
	lat, lon                            sql.NullFloat64
	resource                            sql.NullString
	editVersion, forwarded              sql.NullInt64
	quoted, quoteFromMe                 sql.NullInt64
	quoteResource, quoteData, quoteCapt sql.NullString
	replyRow                            sql.NullInt64
}

func (s *legacy) messageQuery(row *legacyRow) (string, []any) {
	d := s.d
	col := func(c string) string { return d.col("messages", "m", c) }
	cols := []string{"m._id", "m.key_from_me", col("status"), "m.timestamp", "CAST(m.media_wa_type AS INTEGER)",
		col("data"), col("media_mime_type"), col("media_name"), col("media_caption"), col("media_url"),
		col("media_size"), col("media_duration"), col("latitude"), col("longitude"), col("remote_resource"),
		col("edit_version"), col("forwarded")}
	dest := []any{&row.id, &row.fromMe, &row.status, &row.ts, &row.msgType,
		&row.data, &row.mime, &row.mediaName, &row.caption, &row.url,
		&row.size, &row.duration, &row.lat, &row.lon, &row.resource,
		&row.editVersion, &row.forwarded}
	join := ""
	if d.has("messages", "quoted_row_id") && d.has("messages_quotes", "_id", "key_id", "key_from_me") {
		join = "LEFT JOIN messages_quotes q ON q._id = m.quoted_row_id AND m.quoted_row_id > 0"
		qcol := func(c string) string { return d.col("messages_quotes", "q", c) }
		cols = append(cols, "q._id", "q.key_from_me", qcol("remote_resource"), qcol("data"), qcol("media_caption"),
			// seeks in WhatsApp's index on (key_remote_jid, key_from_me, key_id)
			`CASE WHEN q._id IS NULL THEN NULL ELSE COALESCE(
				(SELECT p._id FROM messages p WHERE p.key_remote_jid = m.key_remote_jid
					AND p.key_from_me = q.key_from_me AND p.key_id = q.key_id LIMIT 1),
				(SELECT p._id FROM messages p WHERE p.key_remote_jid = m.key_remote_jid
					AND p.key_from_me = 1 - q.key_from_me AND p.key_id = q.key_id LIMIT 1)) END`)
		dest = append(dest, &row.quoted, &row.quoteFromMe, &row.quoteResource, &row.quoteData, &row.quoteCapt, &row.replyRow)
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM messages m " + join +
		" WHERE m.key_remote_jid = ?1 ORDER BY m._id", dest
}

func (c *legacyChat) next() (*model.Message, error) {
	if !c.rows.Next() {
		if err := c.rows.Err(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	if err := c.scanner.scan(c.rows); err != nil {
		return nil, err
	}
	return c.message(&c.row), nil
}

func (c *legacyChat) close() {
	if c.rows != nil {
		c.rows.Close()
		c.rows = nil
	}
}

func (c *legacyChat) message(row *legacyRow) *model.Message {
	t := int(row.msgType.Int64)
	m := &model.Message{
		ID:     msgID(row.id),
		Time:   c.r.when(row.ts.Int64),
		Sender: c.who(row.fromMe, row.resource),
		Text:   row.data.String,
		Source: c.r.pos(row.id),
	}
	switch {
	case t == typeLegacyCall:
		m.Kind = model.KindCall
		m.Call = &model.Call{
			Video:    strings.EqualFold(row.caption.String, "video"),
			Duration: secondsDuration(row.duration.Int64),
			Missed:   !row.fromMe && row.duration.Int64 <= 0,
		}
		m.Text = callText(m.Call)
	case row.status.Int64 == 6:
		// A group notification: the action is kept in media_size.
		m.Kind, m.Sender = model.KindSystem, ""
		ev := systemEvent{action: int(row.size.Int64), text: row.data.String}
		if r := strings.TrimSpace(row.resource.String); r != "" {
			ev.actor = c.byJID[r]
		} else if row.fromMe {
			ev.actor = meID
		}
		m.Event, m.Text = ev.build(c.parts.name)
		return m
	case t == typeDeleted || row.editVersion.Int64 == 7:
		m.Kind = model.KindDeleted
		m.Text = "This message was deleted"
		if row.fromMe {
			m.Text = "You deleted this message"
		}
	case t == typeContact || t == typeContactArray:
		m.Kind = model.KindContact
		if strings.HasPrefix(strings.TrimSpace(row.data.String), "BEGIN:VCARD") {
			m.Contacts = []model.Contact{parseVCard(row.data.String)}
			if m.Contacts[0].Name == "" {
				m.Contacts[0].Name = row.mediaName.String
			}
			m.Text = ""
		} else {
			m.Contacts = []model.Contact{{Name: row.mediaName.String}}
		}
	case t == typeLocation || t == typeLiveLocation:
		m.Kind = model.KindLocation
		m.Location = &model.Location{Latitude: row.lat.Float64, Longitude: row.lon.Float64, Live: t == typeLiveLocation}
		if t == typeLocation {
			m.Location.Name = row.mediaName.String
		}
		if u := row.url.String; strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			m.Location.URL = u
		}
		m.Text = firstNonEmpty(row.caption.String, row.data.String)
	case hasMedia(t):
		m.Kind = model.KindMedia
		if t == typeSticker {
			m.Kind = model.KindSticker
		}
		m.Text = firstNonEmpty(row.caption.String, row.data.String)
		a := model.Attachment{
			Name:     row.mediaName.String,
			MIME:     row.mime.String,
			Kind:     mediaKind(t, row.mime.String, row.mediaName.String),
			Size:     max(row.size.Int64, 0),
			Duration: secondsDuration(row.duration.Int64),
		}
		if t == typeDocument {
			// media_caption holds a document's title, not a caption
			if a.Name == "" {
				a.Name = row.caption.String
			}
			if m.Text == a.Name || m.Text == strings.TrimSuffix(a.Name, pathExt(a.Name)) {
				m.Text = ""
			}
		}
		rel, ok := c.r.media.findByName(a.Name, a.Kind)
		c.r.media.place(&a, rel, ok)
		m.Attachments = []model.Attachment{a}
	default:
		m.Kind = model.KindText
	}
	if row.quoted.Valid {
		m.Quote = &model.Quote{
			Sender: c.who(row.quoteFromMe.Int64 == 1, row.quoteResource),
			Text:   firstNonEmpty(row.quoteData.String, row.quoteCapt.String),
		}
		if row.replyRow.Valid && row.replyRow.Int64 != row.id {
			m.ReplyTo = msgID(row.replyRow.Int64)
		}
	}
	m.Forwarded = row.forwarded.Int64 > 0
	return m
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}
