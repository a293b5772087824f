package whatsappios

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/chatferry/chatferry/model"
)

// person describes the person with jid, named by the best name the
// database has: the address book's (a group member's contact name, the
// name in ContactsV2.sqlite, or the name of a direct chat with them), a
// first name, the name they gave
// WhatsApp (shown with "~ " as WhatsApp does), else their number.
func (r *reader) person(jid, contact, first string) model.Participant {
	id := r.canon(jid)
	p := model.Participant{ID: model.ParticipantID(id), Phone: phoneOf(id)}
	for _, n := range []string{contact, r.bookName[id], r.savedName(id), r.savedName(jid), first} {
		if n = cleanName(n); n != "" {
			p.Name = n
			return p
		}
	}
	for _, n := range []string{r.pushName[id], r.pushName[jid]} {
		if n = cleanName(n); n != "" {
			p.Name = "~ " + n
			return p
		}
	}
	switch {
	case p.Phone != "":
		p.Name = p.Phone
	default:
		p.Name = cleanName(r.partnerName[id])
		if p.Name == "" {
			p.Name = userOf(id)
		}
	}
	return p
}

// savedName is the name of the direct chat with jid, unless it is only a
// number.
func (r *reader) savedName(jid string) string {
	n := r.partnerName[jid]
	if isPhoneLike(n) {
		return ""
	}
	return n
}

// canon returns the JID chatferry uses for a person: the phone JID of an
// @lid JID when the database pairs them, without a device suffix.
func (r *reader) canon(jid string) string {
	if at := strings.IndexByte(jid, '@'); at > 0 {
		if colon := strings.IndexByte(jid[:at], ':'); colon > 0 {
			jid = jid[:colon] + jid[at:]
		}
	}
	if p, ok := r.lidPhone[jid]; ok {
		return p
	}
	return jid
}

func isGroupJID(jid string) bool {
	return strings.HasSuffix(jid, "@g.us") || strings.HasSuffix(jid, "@newsletter") ||
		(strings.HasSuffix(jid, "@broadcast") && jid != "status@broadcast")
}

func isStatus(c session) bool {
	return c.jid == "status@broadcast" || c.kind == sessionStatus || c.kind == sessionStatusT ||
		strings.HasSuffix(c.jid, "@status")
}

func isLID(jid string) bool { return strings.HasSuffix(jid, "@lid") }

func isPhoneJID(jid string) bool {
	u, ok := strings.CutSuffix(jid, "@s.whatsapp.net")
	return ok && u != "" && onlyDigits(u) == u
}

// isPersonJID reports whether jid names a person (a phone JID, an @lid
// privacy id, or an old-style c.us JID).
func isPersonJID(jid string) bool {
	at := strings.IndexByte(jid, '@')
	if at <= 0 {
		return false
	}
	switch jid[at+1:] {
	case "s.whatsapp.net", "lid", "c.us":
		return true
	}
	return false
}

// phoneOf returns "+<digits>" for a phone JID, else "".
func phoneOf(jid string) string {
	if !isPhoneJID(jid) {
		return ""
	}
	return "+" + userOf(jid)
}

func userOf(jid string) string {
	if at := strings.IndexByte(jid, '@'); at >= 0 {
		return jid[:at]
	}
	return jid
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// isPhoneLike reports whether a name is only a phone number.
func isPhoneLike(name string) bool {
	name = cleanName(name)
	if name == "" {
		return false
	}
	for _, c := range name {
		if !unicode.IsDigit(c) && !strings.ContainsRune("+ -()./", c) {
			return false
		}
	}
	return true
}

// cleanName trims a name and drops the bidirectional marks WhatsApp puts
// around some of them.
func cleanName(s string) string {
	if s == "" {
		return ""
	}
	s = strings.Map(func(c rune) rune {
		switch {
		case c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'):
			return -1
		}
		return c
	}, s)
	return strings.TrimSpace(s)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// eventJIDs returns the JIDs a group event's ZTEXT names: a list of JIDs,
// or the author of a rename kept as JSON.
func eventJIDs(text string) []string {
	if subject, author, ok := parseSubjectJSON(text); ok {
		_ = subject
		if author != "" {
			return []string{author}
		}
		return nil
	}
	var out []string
	for _, f := range strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ';' || unicode.IsSpace(c) }) {
		if isPersonJID(f) {
			out = append(out, f)
		}
	}
	return out
}

// parseSubjectJSON reads the {"subject": …, "author": …} newer databases
// keep for a rename.
func parseSubjectJSON(text string) (subject, author string, ok bool) {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "{") || !strings.HasSuffix(t, "}") {
		return "", "", false
	}
	var v struct {
		Subject *string `json:"subject"`
		Author  *string `json:"author"`
	}
	if json.Unmarshal([]byte(t), &v) != nil || v.Subject == nil {
		return "", "", false
	}
	if v.Author != nil && isPersonJID(*v.Author) {
		author = *v.Author
	}
	return *v.Subject, author, true
}

// pairJIDs records that a phone JID and an @lid JID are the same person.
func (r *reader) pairJIDs(a, b string) {
	switch {
	case isLID(a) && isPhoneJID(b):
		r.lidPhone[a] = b
	case isLID(b) && isPhoneJID(a):
		r.lidPhone[b] = a
	}
}

// loadNames reads the push names and the @lid to phone pairs that group
// members and WhatsApp's LID.sqlite know.
func (r *reader) loadNames() error {
	r.pushName = map[string]string{}
	if r.sch.has("ZWAPROFILEPUSHNAME", "ZJID") && r.sch.has("ZWAPROFILEPUSHNAME", "ZPUSHNAME") {
		rows, err := r.aux.QueryContext(r.ctx, `SELECT ZJID, ZPUSHNAME FROM ZWAPROFILEPUSHNAME WHERE ZJID IS NOT NULL AND ZPUSHNAME IS NOT NULL ORDER BY Z_PK`)
		if err != nil {
			return r.dbError(err)
		}
		for rows.Next() {
			var jid, name any
			if err := rows.Scan(&jid, &name); err != nil {
				rows.Close()
				return r.dbError(err)
			}
			if _, dup := r.pushName[asString(jid)]; !dup {
				r.pushName[asString(jid)] = asString(name)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return r.dbError(err)
		}
	}
	if r.sch.has("ZWAGROUPMEMBER", "ZCONTACTIDENTIFIER") {
		rows, err := r.aux.QueryContext(r.ctx, `SELECT DISTINCT ZMEMBERJID, ZCONTACTIDENTIFIER FROM ZWAGROUPMEMBER WHERE ZCONTACTIDENTIFIER IS NOT NULL`)
		if err != nil {
			return r.dbError(err)
		}
		for rows.Next() {
			var a, b any
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return r.dbError(err)
			}
			r.pairJIDs(asString(a), asString(b))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return r.dbError(err)
		}
	}
	if r.loc.lidPath != "" {
		r.loadLIDAccounts(r.loc.lidPath)
	}
	r.bookName = map[string]string{}
	if r.loc.contactsPath != "" {
		r.loadAddressBook(r.loc.contactsPath)
	}
	return nil
}

// loadAddressBook reads the names of WhatsApp's copy of the address book,
// ContactsV2.sqlite, by JID, and the privacy ids it pairs with numbers. It
// is optional: a file chatferry cannot read adds nothing.
func (r *reader) loadAddressBook(p string) {
	db, err := openDB(p, false)
	if err != nil {
		return
	}
	defer db.Close()
	conn, err := db.Conn(r.ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	sch, err := readSchema(r.ctx, conn, "ZWAADDRESSBOOKCONTACT")
	if err != nil || !sch.has("ZWAADDRESSBOOKCONTACT", "ZWHATSAPPID") {
		return
	}
	c := func(col string) string { return sch.col("c", "ZWAADDRESSBOOKCONTACT", col) }
	rows, err := conn.QueryContext(r.ctx, fmt.Sprintf(`SELECT c.ZWHATSAPPID, %s, %s, %s, %s FROM ZWAADDRESSBOOKCONTACT c
		WHERE c.ZWHATSAPPID IS NOT NULL ORDER BY c.Z_PK`, c("ZFULLNAME"), c("ZGIVENNAME"), c("ZBUSINESSNAME"), c("ZLID")))
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id, full, given, business, lid any
		if rows.Scan(&id, &full, &given, &business, &lid) != nil {
			return
		}
		jid := asString(id)
		if !strings.Contains(jid, "@") {
			jid += "@s.whatsapp.net"
		}
		if !isPhoneJID(jid) {
			continue
		}
		if name := cleanName(orDefault(asString(full), orDefault(asString(given), asString(business)))); name != "" {
			if _, dup := r.bookName[jid]; !dup {
				r.bookName[jid] = name
			}
		}
		if l := asString(lid); l != "" {
			if !strings.Contains(l, "@") {
				l += "@lid"
			}
			if _, known := r.lidPhone[l]; !known {
				r.pairJIDs(l, jid)
			}
		}
	}
}

// loadLIDAccounts reads WhatsApp's LID.sqlite, which maps privacy ids to
// phone numbers. It is optional: a file chatferry cannot read adds nothing.
func (r *reader) loadLIDAccounts(p string) {
	db, err := openDB(p, false)
	if err != nil {
		return
	}
	defer db.Close()
	rows, err := db.QueryContext(r.ctx, `SELECT ZIDENTIFIER, ZPHONENUMBER FROM ZWAZACCOUNT WHERE ZIDENTIFIER IS NOT NULL AND ZPHONENUMBER IS NOT NULL`)
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id, phone any
		if rows.Scan(&id, &phone) != nil {
			return
		}
		lid, digits := asString(id), onlyDigits(asString(phone))
		if !strings.Contains(lid, "@") {
			lid += "@lid"
		}
		if digits != "" && isLID(lid) {
			if _, known := r.lidPhone[lid]; !known {
				r.lidPhone[lid] = digits + "@s.whatsapp.net"
			}
		}
	}
}
