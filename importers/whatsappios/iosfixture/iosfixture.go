// Package iosfixture builds the synthetic WhatsApp iPhone inputs that
// chatferry's tests read, from the SQL and media files committed in the
// module's testdata/whatsapp-ios folder: a ChatStorage.sqlite with its
// Message folder beside it, and an unencrypted iPhone backup folder that
// holds the same files under their hashed names with a Manifest.db.
package iosfixture

import (
	"archive/zip"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
)

// Inputs are the paths Build made.
type Inputs struct {
	// Folder holds ChatStorage.sqlite, its Message folder, the address
	// book ContactsV2.sqlite and the app's preferences, as in WhatsApp's
	// shared container.
	Folder string
	// Database is Folder's ChatStorage.sqlite.
	Database string
	// Backup is an iPhone backup folder with Manifest.db.
	Backup string
	// FolderZip and BackupZip hold the same files as Folder and Backup.
	FolderZip, BackupZip string
}

// Paths returns where Build puts the inputs in out.
func Paths(out string) Inputs {
	return Inputs{
		Folder:   filepath.Join(out, "container"),
		Database: filepath.Join(out, "container", "ChatStorage.sqlite"),
		Backup:   filepath.Join(out, "backup"),

		FolderZip: filepath.Join(out, "container.zip"),
		BackupZip: filepath.Join(out, "backup.zip"),
	}
}

// Ensure makes sure out holds the inputs built from the current src: it
// builds them when out is missing or was built from other files, in a
// fresh folder renamed into place, so that several test processes (fuzz
// workers) may call it at once.
func Ensure(src, out string) (Inputs, error) {
	stamp, err := Stamp(src)
	if err != nil {
		return Inputs{}, err
	}
	stampFile := filepath.Join(out, "STAMP")
	if b, err := os.ReadFile(stampFile); err == nil && string(b) == stamp {
		return Paths(out), nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), filepath.Base(out)+".tmp-")
	if err != nil {
		return Inputs{}, err
	}
	defer os.RemoveAll(tmp)
	if _, err := Build(src, tmp); err != nil {
		return Inputs{}, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "STAMP"), []byte(stamp), 0o644); err != nil {
		return Inputs{}, err
	}
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil && !os.IsNotExist(err) {
		return Inputs{}, err
	}
	if err := os.Rename(tmp, out); err != nil {
		// Another process put a build in place first; use it.
		if b, rerr := os.ReadFile(stampFile); rerr == nil && string(b) == stamp {
			return Paths(out), nil
		}
		return Inputs{}, err
	}
	os.RemoveAll(old)
	return Paths(out), nil
}

// Stamp is a digest of the files in src that the inputs are built from.
func Stamp(src string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(src, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(p), len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// Build writes the inputs into out, which it empties first. src is the
// testdata/whatsapp-ios folder.
func Build(src, out string) (Inputs, error) {
	in := Paths(out)
	if err := os.RemoveAll(out); err != nil {
		return in, err
	}
	if err := os.MkdirAll(in.Backup, 0o755); err != nil {
		return in, err
	}
	for _, dir := range []string{"Message", "Library"} {
		if err := copyTree(filepath.Join(src, dir), filepath.Join(in.Folder, dir)); err != nil {
			return in, err
		}
	}
	if err := Exec(in.Database, filepath.Join(src, "ChatStorage.sql")); err != nil {
		return in, err
	}
	if err := Exec(filepath.Join(in.Folder, "ContactsV2.sqlite"), filepath.Join(src, "ContactsV2.sql")); err != nil {
		return in, err
	}
	manifest := filepath.Join(in.Backup, "Manifest.db")
	if err := Exec(manifest, filepath.Join(src, "Manifest.sql")); err != nil {
		return in, err
	}
	if err := fillBackup(manifest, in); err != nil {
		return in, err
	}
	if err := zipTree(in.Folder, in.FolderZip); err != nil {
		return in, err
	}
	return in, zipTree(in.Backup, in.BackupZip)
}

// zipTree writes the files under dir into a new zip file, sorted by name.
func zipTree(dir, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(w, in)
		return err
	})
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Exec creates the database db and runs the SQL file script in it.
func Exec(db, script string) error {
	text, err := os.ReadFile(script)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return err
	}
	d, err := sql.Open("sqlite3", db)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Exec(string(text)); err != nil {
		return fmt.Errorf("%s: %w", script, err)
	}
	return d.Close()
}

// fillBackup stores each file the manifest lists under its hashed name:
// the database, the media of the container folder, or an empty file for
// what the fixture does not have.
func fillBackup(manifest string, in Inputs) error {
	d, err := sql.Open("sqlite3", "file:"+manifest+"?mode=ro")
	if err != nil {
		return err
	}
	defer d.Close()
	rows, err := d.Query("SELECT fileID, domain, relativePath FROM Files WHERE flags = 1 ORDER BY fileID")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, domain, rel string
		if err := rows.Scan(&id, &domain, &rel); err != nil {
			return err
		}
		dst := filepath.Join(in.Backup, id[:2], id)
		from := ""
		if strings.Contains(domain, "whatsapp") {
			from = filepath.Join(in.Folder, filepath.FromSlash(rel))
		}
		if err := copyFile(from, dst); err != nil {
			return err
		}
	}
	return rows.Err()
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		return copyFile(p, filepath.Join(to, rel))
	})
}

// copyFile copies from to to; from "" makes an empty file.
func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if from != "" {
		in, err := os.Open(from)
		if err != nil {
			out.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}

// Generate writes a large synthetic ChatStorage.sqlite to db for
// benchmarks: the schema of src's ChatStorage.sql, and messages spread
// over chats (every fourth a group of 20), a realistic mix of text, media,
// replies, reactions, voice notes, stickers, events, calls, documents,
// locations and deletions. With stanzaIndex the database gets an index on
// ZSTANZAID, as WhatsApp's own presumably has for its lookups by message
// id.
func Generate(src, db string, chats, messages int, stanzaIndex bool) error {
	if err := os.Remove(db); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := Exec(db, filepath.Join(src, "ChatStorage.sql")); err != nil {
		return err
	}
	d, err := sql.Open("sqlite3", db)
	if err != nil {
		return err
	}
	defer d.Close()
	for _, q := range []string{
		"DELETE FROM ZWAMESSAGE", "DELETE FROM ZWAMEDIAITEM", "DELETE FROM ZWAMESSAGEINFO",
		"DELETE FROM ZWAGROUPMEMBER", "DELETE FROM ZWACHATSESSION", "DELETE FROM ZWAGROUPINFO",
		"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF",
	} {
		if _, err := d.Exec(q); err != nil {
			return err
		}
	}
	if stanzaIndex {
		if _, err := d.Exec("CREATE INDEX ZWAMESSAGE_ZSTANZAID_INDEX ON ZWAMESSAGE (ZSTANZAID)"); err != nil {
			return err
		}
	}
	tx, err := d.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	g := &generator{tx: tx}
	if err := g.prepare(); err != nil {
		return err
	}
	for c := 1; c <= chats; c++ {
		n := messages / chats
		if c <= messages%chats {
			n++
		}
		if err := g.chat(c, n); err != nil {
			return err
		}
	}
	return tx.Commit()
}

type generator struct {
	tx                               *sql.Tx
	session, member, msg, item, info *sql.Stmt
	pk, itemPK, infoPK, memberPK     int64
}

func (g *generator) prepare() error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = g.tx.Prepare(q)
		return st
	}
	g.session = prep(`INSERT INTO ZWACHATSESSION (Z_PK, Z_ENT, Z_OPT, ZSESSIONTYPE, ZGROUPINFO, ZCONTACTJID, ZPARTNERNAME) VALUES (?, 1, 1, ?, ?, ?, ?)`)
	g.member = prep(`INSERT INTO ZWAGROUPMEMBER (Z_PK, Z_ENT, Z_OPT, ZISACTIVE, ZCHATSESSION, ZCONTACTNAME, ZMEMBERJID) VALUES (?, 3, 1, 1, ?, ?, ?)`)
	g.msg = prep(`INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZFLAGS, ZGROUPEVENTTYPE, ZISFROMME, ZMESSAGESTATUS, ZMESSAGETYPE, ZSORT,
		ZCHATSESSION, ZGROUPMEMBER, ZMEDIAITEM, ZMESSAGEINFO, ZMESSAGEDATE, ZFROMJID, ZSTANZAID, ZTEXT)
		VALUES (?, 5, 1, 0, ?, ?, 8, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	g.item = prep(`INSERT INTO ZWAMEDIAITEM (Z_PK, Z_ENT, Z_OPT, ZFILESIZE, ZMOVIEDURATION, ZMESSAGE, ZLATITUDE, ZLONGITUDE,
		ZMEDIALOCALPATH, ZTITLE, ZVCARDSTRING, ZMETADATA) VALUES (?, 4, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	g.info = prep(`INSERT INTO ZWAMESSAGEINFO (Z_PK, Z_ENT, Z_OPT, ZMESSAGE, ZRECEIPTINFO) VALUES (?, 6, 1, ?, ?)`)
	return err
}

const sampleText = "Are we still meeting at the station tomorrow morning? Bring the tickets 🙂"

func (g *generator) chat(c, n int) error {
	group := c%4 == 0
	jid := fmt.Sprintf("4477009%05d@s.whatsapp.net", c)
	kind, info := 0, any(nil)
	var members []int64
	var memberJIDs []string
	if group {
		jid, kind, info = fmt.Sprintf("1203630000%08d@g.us", c), 1, c
		for i := 0; i < 20; i++ {
			g.memberPK++
			mj := fmt.Sprintf("4478%03d%05d@s.whatsapp.net", i, c)
			if _, err := g.member.Exec(g.memberPK, c, fmt.Sprintf("Member %d", i), mj); err != nil {
				return err
			}
			members, memberJIDs = append(members, g.memberPK), append(memberJIDs, mj)
		}
	}
	if _, err := g.session.Exec(c, kind, info, jid, fmt.Sprintf("Chat %d", c)); err != nil {
		return err
	}
	date := 700000000.0
	for i := 0; i < n; i++ {
		g.pk++
		date += 37.125
		fromMe := i%3 == 0
		typ, event := 0, 0
		text := any(sampleText[:20+i%50])
		var member, from, item, infoPK any
		if !fromMe {
			from = jid
			if group {
				member = members[i%len(members)]
			}
		}
		stanza := fmt.Sprintf("3A%018X", g.pk)
		switch r := i % 100; {
		case r < 10: // a photo with a caption
			typ, text = 1, nil
			if err := g.media(&item, 1, fmt.Sprintf("Media/%s/a/b/%d.jpg", jid, g.pk), "A caption", "image/jpeg", nil); err != nil {
				return err
			}
		case r < 15 && i > 20: // a reply: mostly to a recent message, one in five to any earlier one
			back := int64(1 + (i*7)%20)
			if i%5 == 0 {
				back = int64(1 + (i*7919)%i)
			}
			quoted := fmt.Sprintf("3A%018X", g.pk-back)
			meta := append(append([]byte{0x2A, byte(len(quoted))}, quoted...), 0x32, byte(len(jid)))
			meta = append(meta, jid...)
			if err := g.media(&item, 0, "", "", "", meta); err != nil {
				return err
			}
		case r < 20: // a reaction
			g.infoPK++
			infoPK = g.infoPK
			reactor := jid
			if group {
				reactor = memberJIDs[(i+1)%len(memberJIDs)]
			}
			if _, err := g.info.Exec(g.infoPK, g.pk, reactionBlob(reactor)); err != nil {
				return err
			}
		case r < 23:
			typ, text = 3, nil
			if err := g.media(&item, 3, fmt.Sprintf("Media/%s/c/d/%d.opus", jid, g.pk), "", "audio/ogg; codecs=opus", nil); err != nil {
				return err
			}
		case r < 25:
			typ, text = 15, nil
			if err := g.media(&item, 15, fmt.Sprintf("Media/%s/e/f/%d.webp", jid, g.pk), "", "image/webp", nil); err != nil {
				return err
			}
		case r < 27 && group:
			typ, event, text, fromMe, from = 6, 3, nil, false, jid
		case r < 27:
			typ, event, text = 10, 1, nil
		case r < 28:
			typ = 8
			if err := g.media(&item, 8, fmt.Sprintf("Media/%s/g/h/%d.pdf", jid, g.pk), "Plan.pdf", "application/pdf", nil); err != nil {
				return err
			}
		case r < 29:
			typ, text = 5, nil
			if err := g.media(&item, 5, "", "Somewhere", "", nil); err != nil {
				return err
			}
		case r < 30:
			typ, text = 14, nil
		}
		if fromMe {
			member, from = nil, nil
		}
		if _, err := g.msg.Exec(g.pk, event, fromMe, typ, i+1, c, member, item, infoPK, date, from, stanza, text); err != nil {
			return err
		}
	}
	return nil
}

// media adds a media item for the message being written and sets item to
// its row id.
func (g *generator) media(item *any, typ int, path, title, mime string, meta []byte) error {
	g.itemPK++
	*item = g.itemPK
	lat, lon := 0.0, 0.0
	if typ == 5 {
		lat, lon = 51.5, -0.12
	}
	_, err := g.item.Exec(g.itemPK, 12345, 4, g.pk, lat, lon, nullIfEmpty(path), nullIfEmpty(title), nullIfEmpty(mime), meta)
	return err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// reactionBlob is a receipt info with one reaction by jid:
// 7 {1 {2 jid, 3 "👍", 4 time}}.
func reactionBlob(jid string) []byte {
	inner := []byte{0x12, byte(len(jid))}
	inner = append(inner, jid...)
	inner = append(inner, 0x1A, 4, 0xF0, 0x9F, 0x91, 0x8D, 0x20, 0xB4, 0xD8, 0xFB, 0xBB, 0xDC, 0x31)
	r := append([]byte{0x0A, byte(len(inner))}, inner...)
	return append([]byte{0x3A, byte(len(r))}, r...)
}
