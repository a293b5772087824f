package whatsappandroid

import (
	"context"
	"database/sql"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// chooseSchema decides which tables hold the messages. Databases from the
// migration era (2021–22) have both the legacy messages table and the
// modern message table, one of them empty but for a placeholder row, so
// the rows decide, not the tables.
func chooseSchema(ctx context.Context, r *reader) (schema, error) {
	d := r.db
	modern, legacy := modernTables(d.has), legacyTables(d.has)
	var modernRows, legacyRows bool
	var err error
	if modern {
		if modernRows, err = d.exists(ctx, "SELECT 1 FROM message WHERE chat_row_id > 0"); err != nil {
			return nil, err
		}
	}
	if legacy {
		if legacyRows, err = d.exists(ctx, "SELECT 1 FROM messages WHERE key_remote_jid <> '-1'"); err != nil {
			return nil, err
		}
	}
	switch {
	case modernRows, modern && !legacyRows:
		r.people.me = findMe(ctx, r)
		return newModern(r), nil
	case legacy:
		return newLegacy(r), nil
	}
	reason := "an SQLite database without WhatsApp's message tables (message or messages)"
	if contactTables(d.has) {
		reason = "this is WhatsApp's contact database (wa.db): give it as --contacts-db beside msgstore.db"
	}
	return nil, &importers.NotRecognisedError{Path: r.src.Display(r.name), Reason: reason}
}

// hasFunc reports whether a database has a table with all the columns.
type hasFunc func(table string, columns ...string) bool

// modernTables reports whether a database has the tables of the schema
// WhatsApp has used since 2021 (message, chat, jid).
func modernTables(has hasFunc) bool {
	return has("message", "_id", "chat_row_id", "from_me", "key_id", "timestamp", "message_type") &&
		has("chat", "_id", "jid_row_id") && has("jid", "_id", "user", "server")
}

// legacyTables reports whether a database has the older schema's messages
// table.
func legacyTables(has hasFunc) bool {
	return has("messages", "_id", "key_remote_jid", "key_from_me", "key_id", "timestamp", "media_wa_type")
}

// contactTables reports whether a database is WhatsApp's contact database
// (wa.db), which is no message database.
func contactTables(has hasFunc) bool { return has("wa_contacts") }

// findMe finds the owner's jid where the database gives it away: a group
// event that added exactly one participant and says that was the owner.
func findMe(ctx context.Context, r *reader) jid {
	d := r.db
	if !d.has("message_system_group", "message_row_id", "is_me_joined") ||
		!d.has("message_system_chat_participant", "message_row_id", "user_jid_row_id") {
		return jid{}
	}
	var row sql.NullInt64
	err := d.conn.QueryRowContext(ctx, `SELECT MIN(p.user_jid_row_id) FROM message_system_group g
		JOIN message_system_chat_participant p ON p.message_row_id = g.message_row_id
		WHERE g.is_me_joined = 1 GROUP BY g.message_row_id HAVING COUNT(*) = 1 LIMIT 1`).Scan(&row)
	if err != nil || !row.Valid {
		return jid{}
	}
	j, _ := r.people.byRow(ctx, row.Int64)
	if j.Server != "s.whatsapp.net" && j.Server != "lid" {
		return jid{}
	}
	return j
}

// unknownSender stands for a sender the database does not name.
var unknownSender = model.Participant{ID: "unknown", Name: "Unknown"}
