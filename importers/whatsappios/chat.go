package whatsappios

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// chatState is what the reader knows about the chat it is reading.
type chatState struct {
	s       session
	chat    *model.Chat
	ids     map[string]model.ParticipantID // canonical JID → participant
	names   map[model.ParticipantID]string
	partner model.ParticipantID // the other person of a direct chat
	// stanzaReady is set once the chat's stanza ids are in the temporary
	// table.
	stanzaReady bool
	recent      recentMessages
}

// pid returns the participant of jid, or "" when the chat has none.
func (r *reader) pid(cs *chatState, jid string) model.ParticipantID {
	if jid == "" {
		return ""
	}
	return cs.ids[r.canon(jid)]
}

// name returns how a message's wording names a participant.
func (cs *chatState) name(id model.ParticipantID) string {
	switch id {
	case meID:
		return "You"
	case "":
		return "Someone"
	}
	return cs.names[id]
}

// newChatState reads what must be known before the chat's first message:
// its participants, the precision of its times, and what to warn about.
func (r *reader) newChatState(c session) (*chatState, error) {
	cs := &chatState{s: c, ids: map[string]model.ParticipantID{}, names: map[model.ParticipantID]string{}}
	me := model.Participant{ID: meID, Name: r.opts.Me, Phone: phoneOf(r.ownJID), Me: true}
	if me.Name == "" {
		me.Name = orDefault(r.ownName, "Me")
	}
	if r.ownJID != "" {
		cs.ids[r.ownJID] = meID // the owner under their JID is the owner
	}
	chat := &model.Chat{
		ID:     r.chatID(c),
		Kind:   model.Direct,
		Format: FormatName,
		Source: r.display,
		Meta:   map[string]string{"jid": c.jid},
		Media:  r.loc.media,
	}
	cs.chat = chat
	add := func(p model.Participant) {
		if _, dup := cs.names[p.ID]; dup {
			return
		}
		cs.names[p.ID] = p.Name
		chat.Participants = append(chat.Participants, p)
	}
	add(me)
	addJID := func(jid, contact, first string) {
		if !isPersonJID(jid) || cs.ids[r.canon(jid)] != "" {
			return
		}
		p := r.person(jid, contact, first)
		cs.ids[string(p.ID)] = p.ID
		add(p)
	}

	if c.group {
		chat.Kind = model.Group
		chat.Title = cleanName(c.partner)
	} else {
		addJID(c.jid, "", "")
		cs.partner = r.pid(cs, c.jid)
		if cs.partner == "" { // a JID of a kind chatferry does not know
			p := model.Participant{ID: model.ParticipantID(c.jid), Name: orDefault(cleanName(c.partner), c.jid)}
			cs.ids[c.jid] = p.ID
			add(p)
			cs.partner = p.ID
		}
		chat.Title = cs.names[cs.partner]
	}
	if chat.Title == "" {
		chat.Title = c.jid
	}

	members := map[int64]string{} // ZWAGROUPMEMBER.Z_PK → JID
	memberQuery := func(where string, args ...any) error {
		return r.eachRow(`SELECT g.Z_PK, g.ZMEMBERJID, `+r.sch.col("g", "ZWAGROUPMEMBER", "ZCONTACTNAME")+`, `+
			r.sch.col("g", "ZWAGROUPMEMBER", "ZFIRSTNAME")+` FROM ZWAGROUPMEMBER g WHERE `+where+` ORDER BY g.Z_PK`,
			func(v []any) {
				members[asInt(v[0])] = asString(v[1])
				addJID(asString(v[1]), asString(v[2]), asString(v[3]))
			}, args...)
	}
	hasMembers := r.sch.has("ZWAGROUPMEMBER", "ZMEMBERJID")
	if c.group && hasMembers && r.sch.has("ZWAGROUPMEMBER", "ZCHATSESSION") {
		if err := memberQuery("g.ZCHATSESSION = ?", c.pk); err != nil {
			return nil, r.dbError(err)
		}
	}
	sv, err := r.survey(c)
	if err != nil {
		return nil, r.dbError(err)
	}
	var other []string // members the chat's own list lacks
	for _, row := range sv.rows {
		if _, ok := members[row.member]; row.member != 0 && !ok && hasMembers {
			members[row.member] = ""
			other = append(other, fmt.Sprint(row.member))
		}
	}
	if len(other) > 0 {
		if err := memberQuery("g.Z_PK IN (" + strings.Join(other, ",") + ")"); err != nil {
			return nil, r.dbError(err)
		}
	}
	unknown := false
	for _, row := range sv.rows {
		addJID(row.from, "", "")
		for _, jid := range eventJIDs(row.eventText) {
			addJID(jid, "", "")
		}
		named := isPersonJID(members[row.member]) || isPersonJID(row.from)
		if c.group && !row.fromMe && !named && row.typ != typeGroupEvent && row.typ != typeNotice && row.typ != typeCall {
			unknown = true
		}
	}
	if r.joins().info {
		err := r.eachRow(`SELECT mi.ZRECEIPTINFO FROM ZWAMESSAGE m `+r.infoJoin()+` WHERE m.ZCHATSESSION = ? AND mi.ZRECEIPTINFO IS NOT NULL ORDER BY m.Z_PK`,
			func(v []any) {
				for _, re := range parseReactions(asBytes(v[0])) {
					if !re.Own {
						addJID(re.JID, "", "")
					}
				}
			}, c.pk)
		if err != nil {
			return nil, r.dbError(err)
		}
	}
	if unknown {
		add(model.Participant{ID: unknownID, Name: "Unknown"})
	}
	r.chatStats(cs, sv)
	return cs, nil
}

// chatID is the chat's JID, made unique should two sessions share one.
func (r *reader) chatID(c session) model.ChatID {
	id := model.ChatID(c.jid)
	if r.chatIDs == nil {
		r.chatIDs = map[model.ChatID]bool{}
	}
	if r.chatIDs[id] {
		id = model.ChatID(fmt.Sprintf("%s#%d", c.jid, c.pk))
	}
	r.chatIDs[id] = true
	return id
}

// eachRow runs a query on the lookup connection and calls fn with each
// row's values.
func (r *reader) eachRow(q string, fn func([]any), args ...any) error {
	rows, err := r.aux.QueryContext(r.ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(vals)
	}
	return rows.Err()
}

// survey is one pass over a chat's messages, grouped by what must be known
// before the first of them: who wrote them, what kinds they are, and
// whether their times have fractions of a second.
type survey struct {
	rows       []surveyRow
	fractional bool
}

type surveyRow struct {
	typ, event int64
	member     int64  // ZGROUPMEMBER
	from       string // ZFROMJID of a message from someone no member row names
	eventText  string // ZTEXT of a group event that names people
	fromMe     bool
	count      int64
}

func (r *reader) survey(c session) (survey, error) {
	s := r.sch
	m := func(col string) string { return s.col("m", "ZWAMESSAGE", col) }
	member := m("ZGROUPMEMBER")
	from := "NULL"
	if s.has("ZWAMESSAGE", "ZFROMJID") {
		from = fmt.Sprintf("CASE WHEN coalesce(m.ZISFROMME, 0) = 0 AND %s IS NULL AND m.ZFROMJID <> ?2 THEN m.ZFROMJID END", member)
	}
	eventText := fmt.Sprintf("CASE WHEN m.ZMESSAGETYPE = 6 AND %[1]s LIKE '%%@%%' THEN %[1]s END", m("ZTEXT"))
	frac := "0"
	if s.has("ZWAMESSAGE", "ZMESSAGEDATE") {
		frac = "typeof(m.ZMESSAGEDATE) = 'real' AND m.ZMESSAGEDATE <> CAST(m.ZMESSAGEDATE AS INTEGER)"
	}
	// The rows are grouped here rather than by SQLite, whose grouping
	// sorts every row: only a few distinct groups are kept.
	q := fmt.Sprintf(`SELECT %s, %s, %s, %s, %s, %s, %s FROM ZWAMESSAGE m WHERE m.ZCHATSESSION = ?1`,
		m("ZMESSAGETYPE"), m("ZGROUPEVENTTYPE"), member, from, eventText, m("ZISFROMME"), frac)
	var sv survey
	index := map[surveyRow]int{}
	err := r.eachRow(q, func(v []any) {
		k := surveyRow{typ: asInt(v[0]), event: asInt(v[1]), member: asInt(v[2]),
			from: asString(v[3]), eventText: asString(v[4]), fromMe: asInt(v[5]) == 1}
		if asInt(v[6]) != 0 {
			sv.fractional = true
		}
		i, ok := index[k]
		if !ok {
			if len(index) >= maxSurveyGroups {
				return // a chat this varied is not real; the main pass copes
			}
			i = len(sv.rows)
			index[k] = i
			sv.rows = append(sv.rows, k)
		}
		sv.rows[i].count++
	}, c.pk, c.jid)
	sort.Slice(sv.rows, func(i, j int) bool { return sv.rows[i].less(&sv.rows[j]) })
	return sv, err
}

// maxSurveyGroups bounds the memory of a survey.
const maxSurveyGroups = 100_000

func (a *surveyRow) less(b *surveyRow) bool {
	switch {
	case a.typ != b.typ:
		return a.typ < b.typ
	case a.event != b.event:
		return a.event < b.event
	case a.member != b.member:
		return a.member < b.member
	case a.from != b.from:
		return a.from < b.from
	case a.eventText != b.eventText:
		return a.eventText < b.eventText
	}
	return !a.fromMe && b.fromMe
}

// chatStats sets the chat's time precision and its warnings.
func (r *reader) chatStats(cs *chatState, sv survey) {
	var unknownTypes, unknownEvents []string
	var nUnknown, nEvents, nPolls int64
	for _, row := range sv.rows {
		typ, ev, n := row.typ, row.event, row.count
		switch {
		case !knownType(typ):
			nUnknown += n
			unknownTypes = appendUnique(unknownTypes, fmt.Sprint(typ))
		case typ == typePoll:
			nPolls += n
		case typ == typeGroupEvent && !knownGroupEvent(ev), typ == typeNotice && !knownNotice(ev):
			nEvents += n
			unknownEvents = appendUnique(unknownEvents, fmt.Sprintf("%d/%d", typ, ev))
		}
	}
	cs.chat.TimePrecision = model.PrecisionSecond
	if sv.fractional {
		cs.chat.TimePrecision = model.PrecisionMillisecond
	}
	pos := model.Pos{File: r.loc.dbName}
	if nUnknown > 0 {
		cs.chat.Warnings = append(cs.chat.Warnings, model.Warning{Pos: pos, Code: "unknown-message-type",
			Text: fmt.Sprintf("%s of WhatsApp type %s, which chatferry does not know: only the text is kept, or a note that there was a message",
				count(nUnknown, "message"), strings.Join(unknownTypes, ", "))})
	}
	if nEvents > 0 {
		cs.chat.Warnings = append(cs.chat.Warnings, model.Warning{Pos: pos, Code: "unknown-event",
			Text: fmt.Sprintf("%s of WhatsApp type/event %s, which chatferry does not know: kept as \"other\" events with a generic wording",
				count(nEvents, "system event"), strings.Join(unknownEvents, ", "))})
	}
	if nPolls > 0 {
		cs.chat.Warnings = append(cs.chat.Warnings, model.Warning{Pos: pos, Code: "poll-votes-unread",
			Text: fmt.Sprintf("%s: the question and options are kept, not the votes, which chatferry does not read from this database",
				count(nPolls, "poll"))})
	}
}

// count says "1 message", "2 messages".
func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func appendUnique(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

// chatSelector picks chats by --chat: a name (any case), a JID, or a phone
// number in any spelling.
type chatSelector struct {
	text   string
	digits string
}

func selector(v string) *chatSelector {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	s := &chatSelector{text: strings.ToLower(v)}
	if isPhoneLike(v) {
		s.digits = onlyDigits(v)
	}
	return s
}

func (s *chatSelector) matches(r *reader, c session) bool {
	jids := []string{c.jid, c.ident, r.canon(c.jid)}
	for _, j := range jids {
		if j == "" {
			continue
		}
		if strings.ToLower(j) == s.text || strings.ToLower(userOf(j)) == s.text {
			return true
		}
		if s.digits != "" && isPhoneJID(j) && userOf(j) == s.digits {
			return true
		}
	}
	names := []string{c.partner}
	if !c.group {
		names = append(names, r.person(c.jid, "", "").Name)
	}
	for _, n := range names {
		if n = strings.ToLower(cleanName(n)); n != "" && (n == s.text || strings.TrimPrefix(n, "~ ") == s.text) {
			return true
		}
	}
	return false
}
