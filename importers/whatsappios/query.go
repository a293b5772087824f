package whatsappios

import (
	"fmt"
	"strings"
)

// The queries of the reader. Each reads only the columns the database has
// (see schema), so that older and newer WhatsApp versions read alike.

// joined says which related rows the database lets a message query join.
type joined struct {
	member, media, info, parent, parentMember, parentMedia bool
}

func (r *reader) joins() joined {
	s := r.sch
	var j joined
	j.member = s.has("ZWAGROUPMEMBER", "ZMEMBERJID") && s.has("ZWAMESSAGE", "ZGROUPMEMBER")
	j.media = s.table("ZWAMEDIAITEM") && (s.has("ZWAMESSAGE", "ZMEDIAITEM") || s.has("ZWAMEDIAITEM", "ZMESSAGE"))
	j.info = s.has("ZWAMESSAGEINFO", "ZRECEIPTINFO") && (s.has("ZWAMESSAGE", "ZMESSAGEINFO") || s.has("ZWAMESSAGEINFO", "ZMESSAGE"))
	j.parent = s.has("ZWAMESSAGE", "ZPARENTMESSAGE")
	j.parentMember = j.parent && j.member
	j.parentMedia = j.parent && s.table("ZWAMEDIAITEM") && s.has("ZWAMESSAGE", "ZMEDIAITEM")
	return j
}

// col returns the column of a joined table, or NULL when the join or the
// column is not there.
func (r *reader) col(ok bool, alias, table, col string) string {
	if !ok {
		return "NULL"
	}
	return r.sch.col(alias, table, col)
}

// quotedQuery selects, for a reply, the message it quotes: its row id and
// the quote columns of the message query.
func (r *reader) quotedQuery(join, where string) string {
	j := r.joins()
	return fmt.Sprintf(`SELECT m.Z_PK, %s, %s, %s, %s, %s FROM ZWAMESSAGE m %s %s %s WHERE %s ORDER BY m.Z_PK LIMIT 1`,
		r.col(true, "m", "ZWAMESSAGE", "ZISFROMME"), r.col(true, "m", "ZWAMESSAGE", "ZTEXT"),
		r.col(j.member, "g", "ZWAGROUPMEMBER", "ZMEMBERJID"), r.col(true, "m", "ZWAMESSAGE", "ZFROMJID"),
		r.col(j.media, "i", "ZWAMEDIAITEM", "ZTITLE"), join, r.memberJoin(), r.mediaJoin(), where)
}

// memberJoin joins a message's group member, when the database has them.
func (r *reader) memberJoin() string {
	if !r.joins().member {
		return ""
	}
	return "LEFT JOIN ZWAGROUPMEMBER g ON g.Z_PK = m.ZGROUPMEMBER"
}

// mediaJoin joins a message's media item: by ZWAMESSAGE.ZMEDIAITEM, or in
// older databases without that column by ZWAMEDIAITEM.ZMESSAGE. (Core Data
// keeps both sides of the one-to-one relation.)
func (r *reader) mediaJoin() string {
	switch {
	case !r.joins().media:
		return ""
	case r.sch.has("ZWAMESSAGE", "ZMEDIAITEM"):
		return "LEFT JOIN ZWAMEDIAITEM i ON i.Z_PK = m.ZMEDIAITEM"
	}
	return "LEFT JOIN ZWAMEDIAITEM i ON i.Z_PK = (SELECT x.Z_PK FROM ZWAMEDIAITEM x WHERE x.ZMESSAGE = m.Z_PK ORDER BY x.Z_PK LIMIT 1)"
}

// parentJoin joins the message ZPARENTMESSAGE names when it is in the same
// chat (elsewhere it is not a reply: a broadcast's copies point at the
// broadcast), with its sender and media item.
func (r *reader) parentJoin() string {
	j := r.joins()
	if !j.parent {
		return ""
	}
	q := "LEFT JOIN ZWAMESSAGE p ON p.Z_PK = m.ZPARENTMESSAGE AND p.ZCHATSESSION = ?1 AND p.Z_PK <> m.Z_PK"
	if j.parentMember {
		q += " LEFT JOIN ZWAGROUPMEMBER pg ON pg.Z_PK = p.ZGROUPMEMBER"
	}
	if j.parentMedia {
		q += " LEFT JOIN ZWAMEDIAITEM pi ON pi.Z_PK = p.ZMEDIAITEM"
	}
	return q
}

// infoJoin joins a message's receipt info, where reactions are.
func (r *reader) infoJoin() string {
	switch {
	case !r.joins().info:
		return ""
	case r.sch.has("ZWAMESSAGE", "ZMESSAGEINFO"):
		return "LEFT JOIN ZWAMESSAGEINFO mi ON mi.Z_PK = m.ZMESSAGEINFO"
	}
	return "LEFT JOIN ZWAMESSAGEINFO mi ON mi.Z_PK = (SELECT x.Z_PK FROM ZWAMESSAGEINFO x WHERE x.ZMESSAGE = m.Z_PK ORDER BY x.Z_PK LIMIT 1)"
}

// The columns of the message query, in order.
const (
	cPK = iota
	cDate
	cFromMe
	cType
	cEvent
	cText
	cFromJID
	cFlags
	cStanza
	cParent
	cMember
	cPath
	cTitle
	cSize
	cVCardString
	cVCardName
	cDuration
	cLatitude
	cLongitude
	cMetadata
	cReceipt
	cQuotedPK // the parent message, when ZPARENTMESSAGE is in the same chat
	cQuotedFromMe
	cQuotedText
	cQuotedMember
	cQuotedFrom
	cQuotedTitle
	nColumns
)

func (r *reader) buildMessageQuery() string {
	s, j := r.sch, r.joins()
	m := func(c string) string { return s.col("m", "ZWAMESSAGE", c) }
	i := func(c string) string { return r.col(j.media, "i", "ZWAMEDIAITEM", c) }
	p := func(c string) string { return r.col(j.parent, "p", "ZWAMESSAGE", c) }
	cols := []string{
		"m.Z_PK", dateExpr("m.ZMESSAGEDATE"), m("ZISFROMME"), m("ZMESSAGETYPE"), m("ZGROUPEVENTTYPE"),
		m("ZTEXT"), m("ZFROMJID"), m("ZFLAGS"), m("ZSTANZAID"), m("ZPARENTMESSAGE"),
		r.col(j.member, "g", "ZWAGROUPMEMBER", "ZMEMBERJID"),
		i("ZMEDIALOCALPATH"), i("ZTITLE"), i("ZFILESIZE"), i("ZVCARDSTRING"), i("ZVCARDNAME"),
		i("ZMOVIEDURATION"), i("ZLATITUDE"), i("ZLONGITUDE"), i("ZMETADATA"),
		r.col(j.info, "mi", "ZWAMESSAGEINFO", "ZRECEIPTINFO"),
		p("Z_PK"), p("ZISFROMME"), p("ZTEXT"), r.col(j.parentMember, "pg", "ZWAGROUPMEMBER", "ZMEMBERJID"),
		p("ZFROMJID"), r.col(j.parentMedia, "pi", "ZWAMEDIAITEM", "ZTITLE"),
	}
	if !s.has("ZWAMESSAGE", "ZMESSAGEDATE") {
		cols[cDate] = "NULL"
	}
	order := "m.ZMESSAGEDATE, m.Z_PK"
	if !s.has("ZWAMESSAGE", "ZMESSAGEDATE") {
		order = "m.Z_PK"
	}
	if s.has("ZWAMESSAGE", "ZSORT") {
		order = "m.ZSORT, " + order
	}
	return fmt.Sprintf("SELECT %s FROM ZWAMESSAGE m %s %s %s %s WHERE m.ZCHATSESSION = ?1 ORDER BY %s",
		strings.Join(cols, ", "), r.memberJoin(), r.mediaJoin(), r.infoJoin(), r.parentJoin(), order)
}
