package sqlite

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
)

// ErrNoFTS5 is returned by Open when the program was built without SQLite's
// full-text search.
var ErrNoFTS5 = errors.New("this chatferry was built without SQLite full-text search (FTS5), which the sqlite archive needs; " +
	"build it with: go build -tags sqlite_fts5 ./cmd/chatferry")

// cacheKiB is SQLite's page cache for a run: large enough that a run
// writes each page about once, bounded whatever the input's size.
var cacheKiB = 64 << 10

// Writer writes into one archive. It is an exporters.Writer.
type Writer struct {
	opts  exporters.Options
	tz    *time.Location
	final string // the archive's path
	tmp   string // the new archive being built, or "" when updating
	db    *conn
	st    *statements

	runID    int64
	firstNew int64 // messages with a greater id were added by this run
	nextID   int64 // the id of the next message added
	changed  bool  // the run added or changed something
	chats    int   // chats added
	added    int   // messages added
	dups     int   // messages the archive already had
	seq      int   // chats written so far
	chat     *chatState

	keys      *keyMaker
	media     *mediaStore
	replies   *replyLinks
	scratch   scratch
	batch     batch         // messages waiting to be added
	reactions []driverValue // rows of reactions waiting to be added (see addReaction)
	closed    bool
}

var _ exporters.Writer = (*Writer)(nil)

// Open starts a run on the archive at path: it creates the archive when
// nothing is there, and otherwise updates it after checking that it is a
// chatferry archive of a schema version this package knows.
func Open(path string, opts exporters.Options) (*Writer, error) {
	if opts.Report == nil {
		opts.Report = &exporters.Report{}
	}
	w := &Writer{opts: opts, tz: opts.TZ, final: path, keys: newKeyMaker()}
	if w.tz == nil {
		w.tz = time.UTC
	}
	var err error
	switch _, serr := os.Lstat(path); {
	case serr == nil:
		err = w.openExisting()
	case errors.Is(serr, fs.ErrNotExist):
		err = w.create()
	default:
		err = serr
	}
	if err == nil {
		err = w.start()
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// openExisting opens an archive for update and takes its write lock.
func (w *Writer) openExisting() error {
	if err := checkHeader(w.final); err != nil {
		return err
	}
	db, err := openConn(w.final, false)
	if err != nil {
		return err
	}
	w.db = db
	if err := w.checkFTS5(); err != nil {
		return err
	}
	if err := db.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	// Read again under the lock: another program may have changed it.
	appID, err := db.queryInt("PRAGMA application_id")
	if err != nil {
		return err
	}
	version, err := db.queryInt("PRAGMA user_version")
	if err != nil {
		return err
	}
	return checkIdentity(appID, version)
}

// create builds a new archive under a temporary name beside path.
func (w *Writer) create() error {
	var b [6]byte
	rand.Read(b[:])
	dir, base := filepath.Split(w.final)
	w.tmp = filepath.Join(dir, "."+base+".chatferry-tmp-"+hex.EncodeToString(b[:]))
	db, err := openConn(w.tmp, true)
	if err != nil {
		return err
	}
	w.db = db
	if err := w.checkFTS5(); err != nil {
		return err
	}
	// The file is discarded unless the run succeeds, so it needs no
	// journal; Close syncs it before renaming it into place. Pages of
	// 8 KiB make writing a large archive a few per cent faster than
	// SQLite's 4 KiB, for 140 KiB more in an empty one.
	for _, q := range []string{"PRAGMA page_size = 8192", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "BEGIN", schema, ftsInsertTrigger,
		fmt.Sprintf("PRAGMA application_id = %d", ApplicationID),
		fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion)} {
		if err := db.exec(q); err != nil {
			return fmt.Errorf("creating the archive: %w", err)
		}
	}
	mediaDir := strings.TrimSuffix(base, filepath.Ext(base)) + "-media"
	if _, err := db.c.Exec("INSERT INTO archive(key, value) VALUES ('media_dir', ?)", []driverValue{mediaDir}); err != nil {
		return err
	}
	w.changed = true
	return nil
}

func (w *Writer) checkFTS5() error {
	on, err := w.db.queryInt("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
	if err != nil {
		return err
	}
	if on == 0 {
		return ErrNoFTS5
	}
	return nil
}

// start prepares the run: its id, the statements, and the media store.
func (w *Writer) start() error {
	db := w.db
	if err := db.exec(fmt.Sprintf("PRAGMA cache_size = -%d", cacheKiB)); err != nil {
		return err
	}
	var err error
	if w.runID, err = db.queryInt("SELECT coalesce(max(id), 0) + 1 FROM runs"); err != nil {
		return err
	}
	if w.firstNew, err = db.queryInt("SELECT coalesce(max(id), 0) FROM messages"); err != nil {
		return err
	}
	w.nextID = w.firstNew + 1
	// New messages are indexed in one statement at Close.
	if err := db.exec("DROP TRIGGER IF EXISTS messages_fts_insert"); err != nil {
		return err
	}
	mediaDir, err := w.archiveValue("media_dir")
	if err != nil {
		return err
	}
	if w.st, err = prepareStatements(db); err != nil {
		return err
	}
	w.media = &mediaStore{
		embed:       w.opts.Values.Bool("embed-media"),
		dbDir:       filepath.Dir(w.final),
		dir:         mediaDir,
		report:      w.opts.Report,
		findPath:    w.st.findPath,
		insertMedia: w.st.insertMedia,
	}
	w.replies = &replyLinks{dir: filepath.Dir(w.final), prefix: w.spillPrefix(), conn: db}
	if w.tmp == "" {
		w.removeStale()
	}
	return nil
}

// spillPrefix begins the name of the run's spill file.
func (w *Writer) spillPrefix() string {
	return "." + filepath.Base(w.final) + ".chatferry-replies-"
}

// removeStale removes what runs on this archive that were killed left
// behind: staging folders and spill files. It runs under the archive's
// write lock, so no other run on it is under way.
func (w *Writer) removeStale() {
	dir := filepath.Dir(w.final)
	for _, pattern := range []string{"." + w.media.dir + ".chatferry-tmp-*", w.spillPrefix() + "*"} {
		stale, _ := filepath.Glob(filepath.Join(dir, globEscape(pattern)))
		for _, p := range stale {
			os.RemoveAll(p)
		}
	}
}

// globEscape escapes the glob metacharacters of a name, keeping a
// trailing "*".
func globEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune(`*?[\`, r) && !(r == '*' && i == len(s)-1) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (w *Writer) archiveValue(key string) (string, error) {
	rows, err := w.db.c.Query("SELECT value FROM archive WHERE key = ?", []driverValue{key})
	if err != nil {
		return "", err
	}
	defer rows.Close()
	dest := make([]driverValue, 1)
	if err := rows.Next(dest); err != nil {
		return "", fmt.Errorf("the archive lacks its %s setting: %w", key, err)
	}
	s, _ := dest[0].(string)
	if s == "" || s != exporters.SafeName(s) {
		return "", fmt.Errorf("the archive's %s setting %q is not a plain folder name", key, s)
	}
	return s, nil
}
