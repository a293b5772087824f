package whatsappios

import (
	"bytes"
	"crypto/sha1"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/internal/sqlitefile"
)

// The backup domains of WhatsApp's shared container: the personal app and
// WhatsApp Business.
const (
	domainWhatsApp = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
	domainBusiness = "AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared"
)

// backup is an unencrypted iTunes/Finder backup: every file is stored as
// <id[:2]>/<id>, where id is the SHA-1 of "<domain>-<relativePath>", and
// Manifest.db's Files table lists them.
type backup struct {
	fsys     fs.FS // the backup's folder
	domain   string
	manifest *sql.DB
	lookup   *sql.Stmt
}

// fileID is the name a backup gives the file rel of domain.
func fileID(domain, rel string) string {
	sum := sha1.Sum([]byte(domain + "-" + rel))
	return hex.EncodeToString(sum[:])
}

// storedName is where the backup keeps the file rel of its domain.
func (b *backup) storedName(rel string) string {
	id := fileID(b.domain, rel)
	return id[:2] + "/" + id
}

// has reports whether the manifest lists rel as a file and the backup
// holds it.
func (b *backup) has(rel string) (bool, error) {
	var flags sql.NullInt64
	err := b.lookup.QueryRow(fileID(b.domain, rel)).Scan(&flags)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the backup's %s: %w", manifestName, err)
	}
	if flags.Int64 != 1 {
		return false, nil
	}
	_, err = fs.Stat(b.fsys, b.storedName(rel))
	return err == nil, nil
}

// backupFS serves the files of one backup domain by their relative paths
// ("Message/Media/…"), for Chat.Media. Any name maps to a hashed file name,
// so no name can leave the backup folder.
type backupFS struct {
	fsys   fs.FS
	domain string
}

func (b backupFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	id := fileID(b.domain, name)
	f, err := b.fsys.Open(id[:2] + "/" + id)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f, nil
}

// locateBackup finds WhatsApp's database and media through the manifest of
// the backup in folder root of src.
func locateBackup(src *importers.Source, opts importers.Options, root string, loc *located) error {
	mname := path.Join(root, manifestName)
	if err := checkManifest(src, mname); err != nil {
		return err
	}
	mpath, err := localFile(src, mname, loc)
	if err != nil {
		return err
	}
	manifest, err := openDB(mpath, false)
	if err != nil {
		return fmt.Errorf("%s: %w", src.Display(mname), err)
	}
	loc.cleanup = append(loc.cleanup, manifest.Close)
	domain, err := chooseDomain(manifest, opts.Values.Get("app"), src.Display(mname))
	if err != nil {
		return err
	}
	fsys := src.FS
	if root != "." {
		if fsys, err = fs.Sub(src.FS, root); err != nil {
			return err
		}
	}
	lookup, err := manifest.Prepare("SELECT flags FROM Files WHERE fileID = ?")
	if err != nil {
		return fmt.Errorf("%s: %w", src.Display(mname), err)
	}
	loc.cleanup = append(loc.cleanup, lookup.Close)
	b := &backup{fsys: fsys, domain: domain, manifest: manifest, lookup: lookup}
	ok, err := b.has(databaseName)
	if err != nil {
		return err
	}
	dbName := path.Join(root, b.storedName(databaseName))
	if !ok {
		return fmt.Errorf("%s: the manifest lists WhatsApp's %s as %s, but the backup lacks that file; make the backup again",
			src.Display(mname), databaseName, dbName)
	}
	if err := checkSQLite(src, dbName); err != nil {
		return err
	}
	p, err := localFile(src, dbName, loc)
	if err != nil {
		return err
	}
	loc.dbName, loc.dbPath = dbName, p
	if ok, err := b.has(databaseName + "-wal"); err != nil {
		return err
	} else if ok {
		walName := path.Join(root, b.storedName(databaseName+"-wal"))
		c, err := withWAL(src, dbName, walName, loc)
		if err != nil {
			return err
		}
		if c != "" {
			loc.dbPath, loc.merge = c, true
		}
	}
	for rel, dst := range loc.companions() {
		if ok, _ := b.has(rel); ok {
			name := path.Join(root, b.storedName(rel))
			if checkSQLite(src, name) == nil {
				if p, err := localFile(src, name, loc); err == nil {
					*dst = p
				}
			}
		}
	}
	loc.backup = b
	loc.media, loc.prefix = backupFS{fsys: fsys, domain: domain}, "Message"
	for _, p := range preferences {
		if ok, _ := b.has(p); ok {
			if data, err := readSmall(loc.media, p); err == nil {
				loc.prefs = data
				break
			}
		}
	}
	return mediaOption(opts, loc)
}

// checkManifest explains an encrypted backup, whose Manifest.db is not
// readable as a database.
func checkManifest(src *importers.Source, name string) error {
	f, err := openInput(src, name)
	if err != nil {
		return err
	}
	head := make([]byte, len(sqlitefile.Magic))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqlitefile.Magic) {
		return fmt.Errorf("%s: this iPhone backup is encrypted, and chatferry reads only unencrypted backups; "+
			"make a new backup with \"Encrypt local backup\" turned off in Finder or iTunes, "+
			"or decrypt this one with a backup tool and give chatferry the decrypted folder", src.Display(name))
	}
	return nil
}

// chooseDomain picks the WhatsApp app whose database the backup holds: the
// one app asked for, else the personal app, else Business.
func chooseDomain(manifest *sql.DB, app, where string) (string, error) {
	rows, err := manifest.Query("SELECT domain FROM Files WHERE relativePath = ? AND domain IN (?, ?) AND flags = 1",
		databaseName, domainWhatsApp, domainBusiness)
	if err != nil {
		return "", fmt.Errorf("%s: not an iPhone backup manifest: %w", where, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return "", fmt.Errorf("%s: %w", where, err)
		}
		have[d] = true
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	switch app {
	case "", "whatsapp":
		if have[domainWhatsApp] {
			return domainWhatsApp, nil
		}
		if app == "" && have[domainBusiness] {
			return domainBusiness, nil
		}
	case "business":
		if have[domainBusiness] {
			return domainBusiness, nil
		}
	default:
		return "", importers.OptionErrorf("--app %q: want whatsapp or business", app)
	}
	if len(have) == 0 {
		return "", &importers.NotRecognisedError{Path: where,
			Reason: "the iPhone backup holds no WhatsApp data (was WhatsApp installed when the backup was made?)"}
	}
	return "", fmt.Errorf("%s: the backup holds no %s database; try --app %s", where, app, otherApp(app))
}

func otherApp(app string) string {
	if app == "business" {
		return "whatsapp"
	}
	return "business"
}
