package whatsappios

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// The participant ids of the database's owner and of a sender the
// database does not name.
const (
	meID      model.ParticipantID = "me"
	unknownID model.ParticipantID = "unknown"
)

// session is a row of ZWACHATSESSION.
type session struct {
	pk      int64
	jid     string
	partner string // ZPARTNERNAME: the contact's or the group's name
	ident   string // ZCONTACTIDENTIFIER: the same contact's other JID
	kind    int64  // ZSESSIONTYPE
	group   bool
	count   int64 // messages
}

// Session types (ZSESSIONTYPE).
const (
	sessionDirect  = 0
	sessionGroup   = 1
	sessionStatus  = 2
	sessionStatusT = 3
)

type reader struct {
	ctx  context.Context
	src  *importers.Source
	opts importers.Options
	loc  *located
	tz   *time.Location

	db        *sql.DB
	main, aux *sql.Conn
	sch       schema
	display   string // the database as the user knows it

	sessions []session // every chat of the database
	chats    []session // the chats to import
	next     int
	chatIDs  map[model.ChatID]bool // the ids given so far

	partnerName map[string]string // JID → ZPARTNERNAME of its direct chat
	pushName    map[string]string // JID → the name the person gave WhatsApp
	bookName    map[string]string // JID → the name in ContactsV2.sqlite
	lidPhone    map[string]string // @lid JID → phone JID
	ownJID      string            // the owner's phone JID, when the preferences say
	ownName     string            // the name the owner gave WhatsApp

	msgQuery   string
	stanzaStmt *sql.Stmt
	stanzaTemp bool // stanza ids are looked up in a temporary table

	cs          *chatState
	missingDirs map[string]bool // media folders known not to exist
	rows        *sql.Rows
	vals        []any
	ptrs        []any

	done, total int64
	err         error
	closed      bool
}

func newReader(ctx context.Context, src *importers.Source, opts importers.Options, loc *located) (*reader, error) {
	r := &reader{ctx: ctx, src: src, opts: opts, loc: loc, tz: opts.TZ, display: src.Display(loc.dbName)}
	if r.tz == nil {
		r.tz = time.UTC
	}
	fail := func(err error) (*reader, error) {
		r.closeDB()
		return nil, err
	}
	var err error
	if r.db, err = openDB(loc.dbPath, loc.merge); err != nil {
		return fail(fmt.Errorf("%s: %w", r.display, err))
	}
	if r.main, err = r.db.Conn(ctx); err != nil {
		return fail(fmt.Errorf("%s: %w", r.display, err))
	}
	if r.aux, err = r.db.Conn(ctx); err != nil {
		return fail(fmt.Errorf("%s: %w", r.display, err))
	}
	for _, c := range []*sql.Conn{r.main, r.aux} {
		if err := tune(ctx, c); err != nil {
			return fail(r.dbError(err))
		}
	}
	r.sch, err = readSchema(ctx, r.aux, "ZWAMESSAGE", "ZWACHATSESSION", "ZWAMEDIAITEM", "ZWAGROUPMEMBER",
		"ZWAMESSAGEINFO", "ZWAPROFILEPUSHNAME")
	if err != nil {
		return fail(r.dbError(err))
	}
	if !chatStorage(r.sch.has) {
		return fail(&importers.NotRecognisedError{Path: r.display,
			Reason: "an SQLite database, but not WhatsApp's iPhone database (no ZWAMESSAGE and ZWACHATSESSION tables)"})
	}
	if err := r.loadSessions(); err != nil {
		return fail(err)
	}
	r.ownJID, r.ownName = ownAccount(loc.prefs)
	if err := r.loadNames(); err != nil {
		return fail(err)
	}
	if err := r.selectChats(); err != nil {
		return fail(err)
	}
	if err := r.prepare(); err != nil {
		return fail(err)
	}
	return r, nil
}

// dbError names the database in an error from SQLite.
func (r *reader) dbError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if r.ctx.Err() != nil {
		return r.ctx.Err()
	}
	return &importers.ParseError{Pos: model.Pos{File: r.loc.dbName}, Err: err, Fatal: true}
}

// loadSessions reads the chats and their message counts, and keeps the
// ones to import.
func (r *reader) loadSessions() error {
	s := r.sch
	q := fmt.Sprintf(`SELECT c.Z_PK, c.ZCONTACTJID, %s, %s, %s, %s FROM ZWACHATSESSION c ORDER BY c.Z_PK`,
		s.col("c", "ZWACHATSESSION", "ZPARTNERNAME"), s.col("c", "ZWACHATSESSION", "ZCONTACTIDENTIFIER"),
		s.col("c", "ZWACHATSESSION", "ZSESSIONTYPE"), s.col("c", "ZWACHATSESSION", "ZGROUPINFO"))
	rows, err := r.aux.QueryContext(r.ctx, q)
	if err != nil {
		return r.dbError(err)
	}
	var all []session
	for rows.Next() {
		var pk, jid, partner, ident, kind, groupInfo any
		if err := rows.Scan(&pk, &jid, &partner, &ident, &kind, &groupInfo); err != nil {
			rows.Close()
			return r.dbError(err)
		}
		c := session{pk: asInt(pk), jid: asString(jid), partner: asString(partner), ident: asString(ident), kind: asInt(kind)}
		c.group = c.kind == sessionGroup || groupInfo != nil || isGroupJID(c.jid)
		all = append(all, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r.dbError(err)
	}
	counts := map[int64]int64{}
	rows, err = r.aux.QueryContext(r.ctx, `SELECT ZCHATSESSION, count(*) FROM ZWAMESSAGE WHERE ZCHATSESSION IS NOT NULL GROUP BY ZCHATSESSION`)
	if err != nil {
		return r.dbError(err)
	}
	for rows.Next() {
		var pk, n any
		if err := rows.Scan(&pk, &n); err != nil {
			rows.Close()
			return r.dbError(err)
		}
		counts[asInt(pk)] = asInt(n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r.dbError(err)
	}

	r.partnerName = map[string]string{}
	r.lidPhone = map[string]string{}
	for i := range all {
		all[i].count = counts[all[i].pk]
	}
	for _, c := range all {
		if !c.group && c.partner != "" {
			r.partnerName[c.jid] = c.partner
		}
		r.pairJIDs(c.jid, c.ident)
	}
	r.sessions = all
	return nil
}

// selectChats keeps the chats to import: those with messages, not the
// status feed, and the one --chat names.
func (r *reader) selectChats() error {
	sel := selector(r.opts.Values.Get("chat"))
	var titles []string
	for _, c := range r.sessions {
		if c.count == 0 || c.jid == "" || isStatus(c) {
			continue
		}
		titles = append(titles, orDefault(cleanName(c.partner), c.jid))
		if sel != nil && !sel.matches(r, c) {
			continue
		}
		r.chats = append(r.chats, c)
		r.total += c.count
	}
	if sel != nil && len(r.chats) == 0 {
		return fmt.Errorf("%s: %w", r.display, importers.NoChatError(r.opts.Values.Get("chat"), titles))
	}
	return nil
}

// prepare builds the message query and the statements of lookups.
func (r *reader) prepare() error {
	r.msgQuery = r.buildMessageQuery()
	s := r.sch
	var err error
	if !s.has("ZWAMESSAGE", "ZSTANZAID") {
		return nil
	}
	var indexed int
	err = r.aux.QueryRowContext(r.ctx, `SELECT count(*) FROM pragma_index_list('ZWAMESSAGE') l, pragma_index_info(l.name) i
		WHERE i.seqno = 0 AND upper(i.name) = 'ZSTANZAID'`).Scan(&indexed)
	if err != nil {
		return r.dbError(err)
	}
	if indexed > 0 {
		r.stanzaStmt, err = r.aux.PrepareContext(r.ctx, r.quotedQuery("", "m.ZSTANZAID = ?1 AND m.ZCHATSESSION = ?2"))
		if err != nil {
			return r.dbError(err)
		}
		return nil
	}
	// Without an index, a per-chat table of stanza ids is built on disk
	// the first time a chat needs one (see findStanza).
	r.stanzaTemp = true
	for _, q := range []string{
		`PRAGMA temp_store = FILE`,
		`CREATE TEMP TABLE stanza (id TEXT PRIMARY KEY, pk INTEGER) WITHOUT ROWID`,
	} {
		if _, err := r.aux.ExecContext(r.ctx, q); err != nil {
			return r.dbError(err)
		}
	}
	r.stanzaStmt, err = r.aux.PrepareContext(r.ctx, r.quotedQuery("JOIN stanza s ON s.pk = m.Z_PK", "s.id = ?1 AND m.ZCHATSESSION = ?2"))
	if err != nil {
		return r.dbError(err)
	}
	return nil
}

// Next returns the next chat or message.
func (r *reader) Next() (model.Item, error) {
	if r.closed {
		return nil, errClosed
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.rows != nil {
		if r.done%2048 == 0 {
			if err := r.ctx.Err(); err != nil {
				return nil, r.fail(err)
			}
		}
		if r.rows.Next() {
			r.done++
			return r.message()
		}
		err := r.rows.Err()
		r.rows.Close()
		r.rows = nil
		if err != nil {
			return nil, r.fail(r.dbError(err))
		}
	}
	if err := r.ctx.Err(); err != nil {
		return nil, r.fail(err)
	}
	if r.next == len(r.chats) {
		return nil, io.EOF
	}
	c := r.chats[r.next]
	r.next++
	chat, err := r.openChat(c)
	if err != nil {
		return nil, r.fail(err)
	}
	return chat, nil
}

// fail makes err the answer of every later Next.
func (r *reader) fail(err error) error {
	r.err = err
	return err
}

// openChat learns a chat's participants and starts the cursor over its
// messages.
func (r *reader) openChat(c session) (*model.Chat, error) {
	cs, err := r.newChatState(c)
	if err != nil {
		return nil, err
	}
	r.cs = cs
	rows, err := r.main.QueryContext(r.ctx, r.msgQuery, c.pk)
	if err != nil {
		return nil, r.dbError(err)
	}
	r.rows = rows
	if r.vals == nil {
		r.vals = make([]any, nColumns)
		r.ptrs = make([]any, nColumns)
		for i := range r.vals {
			r.ptrs[i] = &r.vals[i]
		}
	}
	return cs.chat, nil
}

// message converts the current row.
func (r *reader) message() (model.Item, error) {
	for i := range r.vals {
		r.vals[i] = nil
	}
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return nil, r.fail(r.dbError(err))
	}
	w := r.row()
	m, err := r.convert(r.cs, &w)
	r.cs.recent.add(w.stanza, &w)
	if r.err != nil {
		return nil, r.err // a lookup failed: the database cannot be read further
	}
	if err == nil {
		err = m.Check(r.cs.chat)
	}
	if err != nil {
		return nil, &importers.ParseError{Pos: model.Pos{File: r.loc.dbName, Line: int(w.pk)}, Err: err}
	}
	return m, nil
}

// Progress reports messages read and messages to read.
func (r *reader) Progress() (done, total int64) { return r.done, r.total }

// Close releases the database and removes temporary copies.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	err := r.closeDB()
	if lerr := r.loc.close(); err == nil {
		err = lerr
	}
	return err
}

func (r *reader) closeDB() error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	for _, st := range []*sql.Stmt{r.stanzaStmt} {
		if st != nil {
			keep(st.Close())
		}
	}
	for _, c := range []*sql.Conn{r.main, r.aux} {
		if c != nil {
			keep(c.Close())
		}
	}
	if r.db != nil {
		keep(r.db.Close())
	}
	r.stanzaStmt, r.main, r.aux, r.db = nil, nil, nil, nil
	return first
}

var (
	_ importers.Reader     = (*reader)(nil)
	_ importers.Progresser = (*reader)(nil)
)
