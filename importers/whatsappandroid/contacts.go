package whatsappandroid

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// contactBook looks names and numbers up in wa.db (--contacts-db): the
// address-book name, else a business's verified name, else the name the
// person gave themselves in WhatsApp. A nil contactBook knows nobody.
type contactBook struct {
	d      *database
	lookup *sql.Stmt
}

func openContacts(ctx context.Context, path string) (*contactBook, error) {
	d, err := openDatabase(ctx, path, true)
	if err != nil {
		return nil, fmt.Errorf("--contacts-db %s: %w", path, err)
	}
	if !d.has("wa_contacts", "jid") {
		d.close()
		return nil, fmt.Errorf("--contacts-db %s: no wa_contacts table; is it WhatsApp's wa.db?", path)
	}
	vname := "NULL"
	join := ""
	if d.has("wa_vnames", "jid", "verified_name") {
		vname = "(SELECT v.verified_name FROM wa_vnames v WHERE v.jid = c.jid LIMIT 1)"
	}
	q := fmt.Sprintf(`SELECT %s, %s, %s, %s FROM wa_contacts c %s WHERE c.jid = ?
		ORDER BY %s DESC LIMIT 1`,
		d.col("wa_contacts", "c", "display_name"), vname, d.col("wa_contacts", "c", "wa_name"),
		d.col("wa_contacts", "c", "number"), join, d.col("wa_contacts", "c", "is_whatsapp_user"))
	stmt, err := d.conn.PrepareContext(ctx, q)
	if err != nil {
		d.close()
		return nil, fmt.Errorf("--contacts-db %s: %w", path, err)
	}
	return &contactBook{d: d, lookup: stmt}, nil
}

type contact struct {
	name, number string
}

func (b *contactBook) get(j jid) contact {
	if b == nil {
		return contact{}
	}
	var display, verified, waName, number sql.NullString
	if err := b.lookup.QueryRow(j.String()).Scan(&display, &verified, &waName, &number); err != nil {
		return contact{}
	}
	c := contact{number: strings.TrimSpace(number.String)}
	for _, n := range []sql.NullString{display, verified, waName} {
		if s := strings.TrimSpace(n.String); s != "" {
			c.name = s
			break
		}
	}
	return c
}

// phone returns the number wa.db gives, as E.164 when it is one.
func (c contact) phone() string {
	n := c.number
	if n == "" {
		return ""
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, n)
	if strings.HasPrefix(strings.TrimSpace(n), "+") && len(digits) >= 5 {
		return "+" + digits
	}
	return ""
}

func (b *contactBook) close() {
	if b != nil {
		b.lookup.Close()
		b.d.close()
	}
}
