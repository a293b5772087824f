// Package whatsappandroid reads the message database of WhatsApp for
// Android (format "whatsapp-android"): a decrypted msgstore.db, or an
// encrypted backup msgstore.db.crypt12, .crypt14 or .crypt15 with its key.
//
// Both database schemas are read: the modern one (tables message, chat,
// jid, message_media, message_quoted, message_add_on…, 2021 onwards) and
// the legacy one (table messages). Which one holds the messages is decided
// by their rows, since databases of the migration era have both tables.
//
// Every database is opened read-only (SQLite's mode=ro and immutable=1).
// An encrypted backup is decrypted and inflated in one streaming pass into
// a private temporary file (mode 0600), whose GCM tag and MD5 checksum are
// checked before it is opened; the plaintext is unlinked as soon as SQLite
// holds it open (where the system allows it) and removed on every path out
// of the reader. Chats are read one at a time, messages through a cursor,
// so memory does not grow with the size of a chat.
package whatsappandroid

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/internal/sqlitefile"
	"github.com/chatferry/chatferry/model"
)

// Name is the format's name.
const Name = "whatsapp-android"

func init() {
	importers.Register(importers.Format{
		Name:    Name,
		Summary: "WhatsApp for Android's database: msgstore.db, or a .crypt12/.crypt14/.crypt15 backup with --key",
		Options: []importers.Option{
			{Name: "key", Help: "key of an encrypted backup: the key file (key, encrypted_backup.key) or the 64 hex digits of an end-to-end backup"},
			{Name: "contacts-db", Help: "wa.db from the same phone, for the names of contacts"},
			{Name: "media", Help: "the phone's WhatsApp/Media folder, to find attachments"},
			{Name: "chat", Help: "import only the chat with this name or phone number"},
		},
		Detect: detect,
		Open:   Open,
	})
}

var (
	cryptName = regexp.MustCompile(`(?i)\.crypt(12|14|15)$`)
	dbName    = regexp.MustCompile(`(?i)^msgstore.*\.db(\.crypt1[245])?$`)
)

func detect(p *importers.Probe) int {
	if p.Kind != importers.File {
		if _, ok := findDatabase(p.Entries); ok {
			return 70
		}
		return 0
	}
	base := path.Base(p.Entries[0])
	switch {
	case bytes.HasPrefix(p.Head, sqlitefile.Magic):
		if strings.HasPrefix(strings.ToLower(base), "msgstore") {
			return 95
		}
		return detectTables(p)
	case cryptName.MatchString(base):
		if _, err := parseHeader(p.Head); err == nil {
			return 95
		}
		return 40
	default:
		if _, err := parseHeader(p.Head); err == nil && p.Head[0] != 0 {
			return 30 // a crypt14/15 header under another name
		}
	}
	return 0
}

// detectTables recognises a database under another name by its tables:
// WhatsApp's message tables, or its contact database, which Open then
// explains is meant for --contacts-db.
func detectTables(p *importers.Probe) int {
	t, ok := sqlitefile.ProbeTables(p)
	switch {
	case !ok:
		return 0
	case modernTables(t.Has), legacyTables(t.Has):
		return 90
	case contactTables(t.Has):
		return 20
	}
	return 0
}

// findDatabase picks the message database in a folder or zip: the phone's
// WhatsApp folder has Databases/msgstore.db.crypt15 (the newest backup)
// beside dated older ones.
func findDatabase(entries []string) (string, bool) {
	var found []string
	for _, e := range entries {
		if dbName.MatchString(path.Base(e)) {
			found = append(found, e)
		}
	}
	if len(found) == 0 {
		return "", false
	}
	rank := func(e string) int {
		b := strings.ToLower(path.Base(e))
		switch {
		case b == "msgstore.db":
			return 0
		case strings.HasPrefix(b, "msgstore.db."):
			return 1
		}
		return 2
	}
	sort.SliceStable(found, func(i, j int) bool {
		ri, rj := rank(found[i]), rank(found[j])
		if ri != rj {
			return ri < rj
		}
		if strings.Count(found[i], "/") != strings.Count(found[j], "/") {
			return strings.Count(found[i], "/") < strings.Count(found[j], "/")
		}
		return found[i] > found[j] // dated backups: the newest name sorts last
	})
	return found[0], true
}

// reader is an import in progress.
type reader struct {
	ctx    context.Context
	opts   importers.Options
	src    *importers.Source
	name   string // the database's name inside the source, for positions
	meta   map[string]string
	plain  *plaintext
	db     *database
	people *people
	media  *mediaRoot
	schema schema

	chats  []chatRef
	next   int
	cur    messageStream
	closed bool
	done   int64 // messages read
	total  int64 // messages expected
}

// schema is one of the two database layouts.
type schema interface {
	name() string
	// listChats returns every chat with messages, in a stable order.
	listChats(ctx context.Context) ([]chatRef, error)
	// openChat builds the chat's header and starts reading its messages.
	openChat(ctx context.Context, c chatRef) (*model.Chat, messageStream, error)
	// count returns the number of message rows, for progress.
	count(ctx context.Context) int64
}

// messageStream yields the messages of one chat; nil, io.EOF at the end.
type messageStream interface {
	next() (*model.Message, error)
	close()
}

// chatRef identifies a chat before it is read.
type chatRef struct {
	row    int64  // chat._id (modern)
	jidRow int64  // chat.jid_row_id (modern)
	key    string // the chat's jid string as stored (key_remote_jid in legacy)
	jid    jid
	title  string
	group  bool
}

// Open starts an import of src.
func Open(ctx context.Context, src *importers.Source, opts importers.Options) (importers.Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.TZ == nil {
		opts.TZ = time.Local
	}
	r := &reader{ctx: ctx, opts: opts, src: src, meta: map[string]string{}}
	if err := r.open(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *reader) open() error {
	name := r.src.Name
	mediaDir := r.opts.Values.Get("media")
	if r.src.Kind != importers.File {
		files, err := r.src.Files()
		if err != nil {
			return err
		}
		var ok bool
		if name, ok = findDatabase(files); !ok {
			return &importers.NotRecognisedError{Path: r.src.Path, Reason: "no msgstore.db or msgstore.db.crypt1x inside"}
		}
		if mediaDir == "" {
			// The phone's WhatsApp folder: Databases/ beside Media/.
			root := path.Dir(path.Dir(name))
			if fi, err := fs.Stat(r.src.FS, path.Join(root, "Media")); err == nil && fi.IsDir() {
				sub, _ := fs.Sub(r.src.FS, path.Join(root, "Media"))
				r.media = &mediaRoot{fsys: sub}
			}
		}
	}
	r.name = name
	if mediaDir != "" {
		root, err := os.OpenRoot(mediaDir)
		if err != nil {
			return fmt.Errorf("--media: %w", err)
		}
		r.media = &mediaRoot{fsys: root.FS(), root: root}
	}
	dbPath, err := r.databaseFile(name)
	if err != nil {
		return err
	}
	immutable := true
	if r.plain == nil {
		// A database copied from a running phone may come with its
		// write-ahead log, which holds the newest messages.
		if fi, err := os.Stat(dbPath + "-wal"); err == nil && fi.Size() > 0 {
			if dbPath, err = r.copyWithLog(dbPath); err != nil {
				return err
			}
			immutable = false
		}
	}
	r.db, err = openDatabase(r.ctx, dbPath, immutable)
	if err != nil {
		return &importers.NotRecognisedError{Path: r.src.Display(name), Reason: err.Error()}
	}
	r.plain.unlink()
	var contacts *contactBook
	if p := r.opts.Values.Get("contacts-db"); p != "" {
		if contacts, err = openContacts(r.ctx, p); err != nil {
			return err
		}
	}
	if r.people, err = newPeople(r.ctx, r.db, contacts, r.opts.Me); err != nil {
		return err
	}
	if r.schema, err = chooseSchema(r.ctx, r); err != nil {
		return err
	}
	r.meta["schema"] = r.schema.name()
	if r.chats, err = r.schema.listChats(r.ctx); err != nil {
		return r.dbError(err)
	}
	if want := r.opts.Values.Get("chat"); want != "" {
		if r.chats, err = selectChats(r.chats, want); err != nil {
			return err
		}
	}
	r.total = r.schema.count(r.ctx)
	return nil
}

// databaseFile returns a path SQLite can open for the named file of the
// source: the file itself when it is one on disk, otherwise a private
// temporary copy, decrypted if it is a backup.
func (r *reader) databaseFile(name string) (string, error) {
	if r.src.Path != "-" && (r.src.Kind == importers.File || r.src.Kind == importers.Folder) {
		p := r.src.Path
		if r.src.Kind == importers.Folder {
			p = filepath.Join(r.src.Path, filepath.FromSlash(name))
		}
		if head, err := readHead(p); err == nil && bytes.HasPrefix(head, sqlitefile.Magic) {
			return p, nil // SQLite reads it where it is
		}
	}
	f, err := r.src.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, headerMax)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", err
	}
	head = head[:n]
	isSQLite := bytes.HasPrefix(head, sqlitefile.Magic)
	if r.plain, err = newPlaintext(); err != nil {
		return "", err
	}
	if isSQLite {
		if _, err := r.plain.f.Write(head); err != nil {
			return "", err
		}
		if _, err := io.Copy(r.plain.f, ctxReader{r.ctx, f}); err != nil {
			return "", fmt.Errorf("%s: %w", r.src.Display(name), err)
		}
		return r.plain.finish()
	}
	if _, err := parseHeader(head); err != nil {
		return "", &importers.NotRecognisedError{Path: r.src.Display(name), Reason: "neither an SQLite database nor a WhatsApp crypt12/14/15 backup"}
	}
	keyArg := r.opts.Values.Get("key")
	if keyArg == "" {
		err := fmt.Errorf("%w (the key file, or the 64 hex digits of an end-to-end backup)", ErrNeedKey)
		if r.src.Kind != importers.File {
			err = fmt.Errorf("%s: %w", name, err)
		}
		return "", err
	}
	key, err := parseKey(keyArg)
	if err != nil {
		return "", err
	}
	info, err := fs.Stat(r.src.FS, name)
	if err != nil {
		return "", err
	}
	h, _ := parseHeader(head)
	r.meta["backup"] = fmt.Sprintf("crypt%d", h.Version)
	if h.AppVersion != "" {
		r.meta["app_version"] = h.AppVersion
	}
	if err := decryptBackup(r.ctx, f, info.Size(), head, key, r.plain.f, importers.DefaultLimits.MaxUnpacked); err != nil {
		if r.src.Kind == importers.File {
			return "", err // the caller names the file
		}
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return r.plain.finish()
}

// copyWithLog copies a database and its write-ahead log into a private
// folder, so that SQLite can read the log without touching the originals.
func (r *reader) copyWithLog(dbPath string) (string, error) {
	var err error
	if r.plain, err = newPlaintext(); err != nil {
		return "", err
	}
	for _, suffix := range []string{"", "-wal"} {
		in, err := os.Open(dbPath + suffix)
		if err != nil {
			return "", err
		}
		out := r.plain.f
		if suffix != "" {
			out, err = os.OpenFile(r.plain.path+suffix, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				in.Close()
				return "", err
			}
		}
		_, err = io.Copy(out, ctxReader{r.ctx, in})
		in.Close()
		if suffix != "" {
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return "", err
		}
	}
	r.plain.keepUntilClose = true // SQLite opens the log by name later
	return r.plain.finish()
}

func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, len(sqlitefile.Magic))
	n, err := io.ReadFull(f, head)
	return head[:n], err
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// selectChats keeps the chats whose title, jid or phone number is want.
func selectChats(chats []chatRef, want string) ([]chatRef, error) {
	digits := onlyDigits(want)
	var out []chatRef
	for _, c := range chats {
		switch {
		case strings.EqualFold(strings.TrimSpace(c.title), strings.TrimSpace(want)),
			strings.EqualFold(c.jid.String(), want), strings.EqualFold(c.key, want),
			len(digits) >= 5 && digits == c.jid.User && !c.group:
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		titles := make([]string, len(chats))
		for i, c := range chats {
			titles[i] = c.title
		}
		return nil, importers.NoChatError(want, titles)
	}
	return out, nil
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Next returns the next chat or message.
func (r *reader) Next() (model.Item, error) {
	if r.closed {
		return nil, errors.New("whatsapp-android: Next after Close")
	}
	if r.cur != nil {
		if r.done%1024 == 0 {
			if err := r.ctx.Err(); err != nil {
				return nil, err
			}
		}
		m, err := r.cur.next()
		if err == nil {
			r.done++
			return m, nil
		}
		r.cur.close()
		r.cur = nil
		if err != io.EOF {
			return nil, r.dbError(err)
		}
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	if r.next >= len(r.chats) {
		return nil, io.EOF
	}
	ref := r.chats[r.next]
	r.next++
	chat, stream, err := r.schema.openChat(r.ctx, ref)
	if err != nil {
		return nil, r.dbError(err)
	}
	chat.Format = Name
	chat.Source = path.Base(r.name)
	chat.TimePrecision = model.PrecisionMillisecond
	if chat.Meta == nil {
		chat.Meta = map[string]string{}
	}
	for k, v := range r.meta {
		chat.Meta[k] = v
	}
	r.cur = stream
	return chat, nil
}

// dbError makes a database error final and names the file.
func (r *reader) dbError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &importers.ParseError{Pos: model.Pos{File: r.src.Display(r.name)}, Err: err, Fatal: true}
}

// Progress reports messages read of those in the database.
func (r *reader) Progress() (done, total int64) { return r.done, r.total }

// Close ends the import and removes any temporary plaintext.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.cur != nil {
		r.cur.close()
		r.cur = nil
	}
	if r.people != nil {
		r.people.close()
		r.people.contacts.close()
	}
	if c, ok := r.schema.(interface{ closeSchema() }); ok {
		c.closeSchema()
	}
	if r.media != nil && r.media.root != nil {
		r.media.root.Close() // like the source, media are read before the reader closes
	}
	err := r.db.close()
	if perr := r.plain.remove(); err == nil {
		err = perr
	}
	return err
}

// when converts a database time (Unix milliseconds) to a zoned timestamp
// in the import's zone; zero and negative times are unknown.
func (r *reader) when(ms int64) model.Timestamp {
	if ms <= 0 {
		return model.Timestamp{}
	}
	return model.Zoned(time.UnixMilli(ms).In(r.opts.TZ), model.PrecisionMillisecond)
}

func (r *reader) pos(row int64) model.Pos { return model.Pos{File: r.name, Line: int(row)} }
