package whatsappios

import (
	"fmt"
	"strings"
)

// The queries of the reader. Each reads only the columns the database has
// (see schema), so that older and newer WhatsApp versions read alike.

// quotedQuery selects, for a reply, the message it quotes: its row id and
// the quote columns of the message query.
func (r *reader) quotedQuery(join, where string) string {
	s := r.sch
	return fmt.Sprintf(`SELECT m.Z_PK, %s, %s, %s, %s, %s FROM ZWAMESSAGE m %s %s %s WHERE %s ORDER BY m.Z_PK LIMIT 1`,
		s.col("m", "ZWAMESSAGE", "ZISFROMME"), s.col("m", "ZWAMESSAGE", "ZTEXT"),
		s.col("g", "ZWAGROUPMEMBER", "ZMEMBERJID"), s.col("m", "ZWAMESSAGE", "ZFROMJID"),
		s.col("i", "ZWAMEDIAITEM", "ZTITLE"), join, r.memberJoin(), r.mediaJoin(), where)
}

func (r *reader) memberJoin() string {
	if r.sch.table("ZWAGROUPMEMBER") && r.sch.has("ZWAMESSAGE", "ZGROUPMEMBER") {
		return "LEFT JOIN ZWAGROUPMEMBER g ON g.Z_PK = m.ZGROUPMEMBER"
	}
	return "LEFT JOIN (SELECT NULL AS ZMEMBERJID) g ON 0"
}

// mediaJoin joins a message's media item: by ZWAMESSAGE.ZMEDIAITEM, or in
// older databases without that column by ZWAMEDIAITEM.ZMESSAGE. (Core Data
// keeps both sides of the one-to-one relation.)
func (r *reader) mediaJoin() string {
	s := r.sch
	byItem, byMessage := s.has("ZWAMESSAGE", "ZMEDIAITEM"), s.has("ZWAMEDIAITEM", "ZMESSAGE")
	switch {
	case !s.table("ZWAMEDIAITEM"):
		return "LEFT JOIN (SELECT NULL AS Z_PK) i ON 0"
	case byItem:
		return "LEFT JOIN ZWAMEDIAITEM i ON i.Z_PK = m.ZMEDIAITEM"
	case byMessage:
		return "LEFT JOIN ZWAMEDIAITEM i ON i.Z_PK = (SELECT x.Z_PK FROM ZWAMEDIAITEM x WHERE x.ZMESSAGE = m.Z_PK ORDER BY x.Z_PK LIMIT 1)"
	}
	return "LEFT JOIN (SELECT NULL AS Z_PK) i ON 0"
}

// parentJoin joins the message ZPARENTMESSAGE names when it is in the same
// chat (elsewhere it is not a reply: a broadcast's copies point at the
// broadcast), with its sender and media item.
func (r *reader) parentJoin() string {
	s := r.sch
	if !s.has("ZWAMESSAGE", "ZPARENTMESSAGE") {
		return "LEFT JOIN (SELECT NULL AS Z_PK) p ON 0 LEFT JOIN (SELECT NULL AS Z_PK) pg ON 0 LEFT JOIN (SELECT NULL AS Z_PK) pi ON 0"
	}
	j := "LEFT JOIN ZWAMESSAGE p ON p.Z_PK = m.ZPARENTMESSAGE AND p.ZCHATSESSION = ?1 AND p.Z_PK <> m.Z_PK"
	if s.table("ZWAGROUPMEMBER") && s.has("ZWAMESSAGE", "ZGROUPMEMBER") {
		j += " LEFT JOIN ZWAGROUPMEMBER pg ON pg.Z_PK = p.ZGROUPMEMBER"
	} else {
		j += " LEFT JOIN (SELECT NULL AS Z_PK) pg ON 0"
	}
	if s.table("ZWAMEDIAITEM") && s.has("ZWAMESSAGE", "ZMEDIAITEM") {
		j += " LEFT JOIN ZWAMEDIAITEM pi ON pi.Z_PK = p.ZMEDIAITEM"
	} else {
		j += " LEFT JOIN (SELECT NULL AS Z_PK) pi ON 0"
	}
	return j
}

func (r *reader) infoJoin() string {
	s := r.sch
	switch {
	case !s.has("ZWAMESSAGEINFO", "ZRECEIPTINFO"):
		return "LEFT JOIN (SELECT NULL AS ZRECEIPTINFO) mi ON 0"
	case s.has("ZWAMESSAGE", "ZMESSAGEINFO"):
		return "LEFT JOIN ZWAMESSAGEINFO mi ON mi.Z_PK = m.ZMESSAGEINFO"
	case s.has("ZWAMESSAGEINFO", "ZMESSAGE"):
		return "LEFT JOIN ZWAMESSAGEINFO mi ON mi.Z_PK = (SELECT x.Z_PK FROM ZWAMESSAGEINFO x WHERE x.ZMESSAGE = m.Z_PK ORDER BY x.Z_PK LIMIT 1)"
	}
	return "LEFT JOIN (SELECT NULL AS ZRECEIPTINFO) mi ON 0"
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
	s := r.sch
	m := func(c string) string { return s.col("m", "ZWAMESSAGE", c) }
	i := func(c string) string { return s.col("i", "ZWAMEDIAITEM", c) }
	cols := []string{
		"m.Z_PK", dateExpr("m.ZMESSAGEDATE"), m("ZISFROMME"), m("ZMESSAGETYPE"), m("ZGROUPEVENTTYPE"),
		m("ZTEXT"), m("ZFROMJID"), m("ZFLAGS"), m("ZSTANZAID"), m("ZPARENTMESSAGE"),
		s.col("g", "ZWAGROUPMEMBER", "ZMEMBERJID"),
		i("ZMEDIALOCALPATH"), i("ZTITLE"), i("ZFILESIZE"), i("ZVCARDSTRING"), i("ZVCARDNAME"),
		i("ZMOVIEDURATION"), i("ZLATITUDE"), i("ZLONGITUDE"), i("ZMETADATA"),
		s.col("mi", "ZWAMESSAGEINFO", "ZRECEIPTINFO"),
		"p.Z_PK", s.col("p", "ZWAMESSAGE", "ZISFROMME"), s.col("p", "ZWAMESSAGE", "ZTEXT"),
		s.col("pg", "ZWAGROUPMEMBER", "ZMEMBERJID"), s.col("p", "ZWAMESSAGE", "ZFROMJID"),
		s.col("pi", "ZWAMEDIAITEM", "ZTITLE"),
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
