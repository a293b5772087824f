// Package whatsappios reads WhatsApp's iPhone database, ChatStorage.sqlite
// (format "whatsapp-ios"): the file itself, a folder or zip that holds it
// (the app's shared container, with its Message/Media folder), or an
// unencrypted iTunes/Finder backup folder, where the database and every
// media file are found through the backup's Manifest.db.
//
// Every database is opened read-only (SQLite's immutable mode); an input
// inside a zip, on standard input, or with an unmerged write-ahead log is
// first copied to a private temporary folder that Close removes. The reader
// goes one chat at a time: a few aggregate queries learn the chat's
// participants before the chat is yielded, then a database cursor yields its
// messages one by one, so memory does not grow with the size of a chat.
// Message positions name the database file and the message's row id
// (ZWAMESSAGE.Z_PK).
//
// Times are ZMESSAGEDATE, seconds since 2001-01-01 UTC, read as instants
// and shown in Options.TZ; a chat whose times carry fractions of a second
// has millisecond precision, otherwise second precision.
package whatsappios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/internal/sqlitefile"
)

// FormatName is the name users give to --from.
const FormatName = "whatsapp-ios"

func init() {
	importers.Register(importers.Format{
		Name:    FormatName,
		Summary: "WhatsApp's iPhone database ChatStorage.sqlite, or an unencrypted iPhone backup folder",
		Options: []importers.Option{
			{Name: "chat", Help: "import only the chat with this name, number or JID (default: every chat)"},
			{Name: "media", Help: "folder that holds WhatsApp's Message/Media folder (default: beside the database)"},
			{Name: "app", Help: "in an iPhone backup, read \"whatsapp\" or \"business\" (default: WhatsApp, else Business)"},
		},
		Detect: detect,
		Open:   Open,
	})
}

// Names of files in WhatsApp's shared container and in an iPhone backup.
const (
	databaseName = "ChatStorage.sqlite"
	manifestName = "Manifest.db"
	// databaseFileID is the backup's name for the personal app's
	// database: SHA-1 of "<domain>-ChatStorage.sqlite".
	databaseFileID = "7c7fba66680ef796b916b067077cc246adacf01d"
)

// preferences are where the personal app and WhatsApp Business keep their
// settings in the shared container, the owner's JID and name among them.
var preferences = []string{
	"Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist",
	"Library/Preferences/group.net.whatsapp.WhatsAppSMB.shared.plist",
}

func detect(p *importers.Probe) int {
	if p.Kind == importers.File {
		if !bytes.HasPrefix(p.Head, sqlitefile.Magic) {
			return 0
		}
		name := ""
		if len(p.Entries) > 0 {
			name = path.Base(p.Entries[0])
		}
		switch {
		case isDatabaseName(name), name == databaseFileID:
			return 95
		case strings.EqualFold(name, manifestName):
			return 60 // an iPhone backup, named by its manifest
		case bytes.Contains(p.Head, []byte("ZWAMESSAGE")), bytes.Contains(p.Head, []byte("ZWACHATSESSION")):
			return 90
		}
		return detectTables(p)
	}
	for _, e := range p.Entries {
		if isDatabaseName(path.Base(e)) && p.HasPrefix(e, sqlitefile.Magic) {
			return 95
		}
	}
	// A backup: Manifest.db at the top (probed directly, since a large
	// backup lists thousands of hashed files before it).
	if h := p.HeadOf(manifestName); h != nil {
		if bytes.HasPrefix(h, sqlitefile.Magic) {
			return 70
		}
		return 50 // encrypted: Open explains
	}
	for _, e := range p.Entries {
		if strings.Count(e, "/") == 1 && path.Base(e) == manifestName {
			return 60
		}
	}
	return 0
}

func isDatabaseName(name string) bool {
	return strings.EqualFold(name, databaseName)
}

// located is where the database and its media are.
type located struct {
	dbName  string // the database's name in the source, for messages
	dbPath  string // a local path SQLite can open
	merge   bool   // dbPath is a private copy with a log to merge: open it writable
	media   fs.FS  // where ZMEDIALOCALPATH resolves, nil if nowhere
	prefix  string // folder of media inside media ("" or "Message")
	backup  *backup
	lidPath string // LID.sqlite, when present
	// contactsPath is ContactsV2.sqlite, when present.
	contactsPath string
	prefs        []byte // the app's preferences, when present
	tmp          string // the private temporary folder, once made
	cleanup      []func() error
}

func (l *located) close() error {
	var first error
	for i := len(l.cleanup) - 1; i >= 0; i-- {
		if err := l.cleanup[i](); err != nil && first == nil {
			first = err
		}
	}
	l.cleanup = nil
	return first
}

// Open starts reading src.
func Open(ctx context.Context, src *importers.Source, opts importers.Options) (importers.Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	loc := &located{}
	if err := locate(src, opts, loc); err != nil {
		loc.close()
		return nil, err
	}
	r, err := newReader(ctx, src, opts, loc)
	if err != nil {
		loc.close()
		return nil, err
	}
	return r, nil
}

func locate(src *importers.Source, opts importers.Options, loc *located) error {
	var err error
	switch src.Kind {
	case importers.File:
		if strings.EqualFold(src.Name, manifestName) {
			return locateBackup(src, opts, ".", loc)
		}
		err = locateDatabase(src, src.Name, loc)
	default:
		var root string
		root, err = findInput(src)
		if err != nil {
			return err
		}
		if path.Base(root) == manifestName {
			return locateBackup(src, opts, path.Dir(root), loc)
		}
		err = locateDatabase(src, root, loc)
	}
	if err != nil {
		return err
	}
	return mediaOption(opts, loc)
}

// findInput returns the name of the backup manifest or the database inside
// a folder or zip: Manifest.db at the top or one folder down, else the
// shallowest ChatStorage.sqlite.
func findInput(src *importers.Source) (string, error) {
	if _, err := fs.Stat(src.FS, manifestName); err == nil {
		return manifestName, nil
	}
	if _, err := fs.Stat(src.FS, databaseName); err == nil {
		return databaseName, nil
	}
	files, err := src.Files()
	if err != nil {
		return "", err
	}
	var dbs, manifests []string
	for _, f := range files {
		switch base := path.Base(f); {
		case isDatabaseName(base):
			dbs = append(dbs, f)
		case base == manifestName && strings.Count(f, "/") == 1:
			manifests = append(manifests, f)
		}
	}
	byDepth := func(l []string) {
		sort.SliceStable(l, func(i, j int) bool { return strings.Count(l[i], "/") < strings.Count(l[j], "/") })
	}
	byDepth(dbs)
	switch {
	case len(manifests) == 1:
		return manifests[0], nil
	case len(manifests) > 1:
		return "", fmt.Errorf("%s holds %d iPhone backups (%s); point chatferry at one of them",
			src.Path, len(manifests), strings.Join(manifests, ", "))
	case len(dbs) > 0:
		return dbs[0], nil
	}
	return "", &importers.NotRecognisedError{Path: src.Path,
		Reason: "no ChatStorage.sqlite and no iPhone backup (Manifest.db) inside"}
}

// locateDatabase uses the database name of src; media resolves beside it.
func locateDatabase(src *importers.Source, name string, loc *located) error {
	if err := checkSQLite(src, name); err != nil {
		return err
	}
	p, err := localFile(src, name, loc)
	if err != nil {
		return err
	}
	loc.dbName, loc.dbPath = name, p
	if c, err := withWAL(src, name, name+"-wal", loc); err != nil {
		return err
	} else if c != "" {
		loc.dbPath, loc.merge = c, true
	}
	dir := path.Dir(name)
	media := src.FS
	if dir != "." {
		if media, err = fs.Sub(src.FS, dir); err != nil {
			return err
		}
	}
	loc.media = media
	if _, err := fs.Stat(media, "Message"); err == nil {
		loc.prefix = "Message"
	}
	for _, p := range preferences {
		if b, err := readSmall(src.FS, path.Join(dir, p)); err == nil {
			loc.prefs = b
			break
		}
	}
	for rel, dst := range loc.companions() {
		if name := path.Join(dir, rel); checkSQLite(src, name) == nil {
			if p, err := localFile(src, name, loc); err == nil {
				*dst = p
			}
		}
	}
	return nil
}

// companions are WhatsApp's other databases in its shared container that
// chatferry reads when they are there, by their names in the container:
// LID.sqlite pairs privacy ids with phone numbers, ContactsV2.sqlite holds
// the address book's names.
func (l *located) companions() map[string]*string {
	return map[string]*string{"LID.sqlite": &l.lidPath, "ContactsV2.sqlite": &l.contactsPath}
}

func mediaOption(opts importers.Options, loc *located) error {
	dir := opts.Values.Get("media")
	if dir == "" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--media: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--media %s: not a folder", dir)
	}
	media := rootFS(dir)
	loc.media, loc.prefix, loc.backup = media, "", nil
	if fi, err := fs.Stat(media, "Message"); err == nil && fi.IsDir() {
		loc.prefix = "Message"
	}
	return nil
}

// checkSQLite reports whether name in src is an SQLite database.
func checkSQLite(src *importers.Source, name string) error {
	f, err := openInput(src, name)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqlitefile.Magic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqlitefile.Magic) {
		return &importers.NotRecognisedError{Path: src.Display(name), Reason: "not an SQLite database"}
	}
	return nil
}

var errClosed = errors.New("whatsapp-ios: reader is closed")

// detectTables recognises the database under any file name by its
// tables.
func detectTables(p *importers.Probe) int {
	t, ok := sqlitefile.ProbeTables(p)
	if ok && chatStorage(func(table, column string) bool { return t.Has(table, column) }) {
		return 90
	}
	return 0
}
