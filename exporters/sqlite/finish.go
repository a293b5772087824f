package sqlite

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
)

// Close finishes the run: it resolves replies, indexes the new messages
// for full-text search, records the run, moves new media files into
// place and commits. A run that adds nothing to an existing archive
// leaves it untouched.
func (w *Writer) Close() error {
	if w.closed {
		return errors.New("sqlite: Close after Close or Abort")
	}
	if err := w.finish(); err != nil {
		w.Abort()
		return err
	}
	w.closed = true
	return nil
}

func (w *Writer) finish() error {
	if err := w.endChat(); err != nil {
		return err
	}
	unresolved, err := w.replies.resolve()
	if err != nil {
		return err
	}
	if unresolved > 0 {
		w.opts.Report.Notef("sqlite: %s", exporters.Count(unresolved, "reply answers a message the input does not hold; what it quotes is kept",
			"replies answer messages the input does not hold; what they quote is kept"))
	}
	if w.dups > 0 {
		w.opts.Report.Notef("sqlite: %s", exporters.Count(w.dups, "message was already in the archive and was left as it is",
			"messages were already in the archive and were left as they are"))
	}
	if !w.changed {
		w.opts.Report.Notef("sqlite: nothing new; the archive is unchanged")
		w.st.close()
		w.replies.close()
		w.media.cleanup()
		err := w.db.exec("ROLLBACK")
		if cerr := w.db.close(); err == nil {
			err = cerr
		}
		w.db = nil
		return err
	}
	if err := w.indexText(); err != nil {
		return fmt.Errorf("indexing the new messages: %w", err)
	}
	if err := w.db.exec(ftsInsertTrigger); err != nil {
		return fmt.Errorf("indexing the new messages: %w", err)
	}
	started := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	if err := w.st.insertRun.run(w.runID, started, zoneName(w.tz), int64(w.chats), int64(w.added)); err != nil {
		return err
	}
	w.st.close()
	w.replies.close()
	if err := w.media.publish(); err != nil {
		w.media.unpublish()
		return err
	}
	if err := w.db.exec("COMMIT"); err != nil {
		w.media.unpublish()
		return err
	}
	err = w.db.close()
	w.db = nil
	if w.tmp == "" {
		// Committed: the archive names the files now, whatever else fails.
		w.media.cleanup()
		return err
	}
	if err == nil {
		err = w.placeNew()
	}
	if err != nil {
		w.media.unpublish()
		return err
	}
	w.media.cleanup()
	return nil
}

// ftsHashSize is how much of the new messages' full-text index FTS5
// gathers in memory before it writes it into the archive as one segment
// (FTS5's hashsize option; 1 MiB unless set). At 1 MiB a million
// messages become a few hundred segments that FTS5 then merges, a third
// of the time indexing takes; 32 MiB holds about a million messages'
// worth, a bounded amount beside the page cache.
const ftsHashSize = 32 << 20

// indexText indexes the run's new messages for full-text search in one
// statement, with FTS5's hashsize raised for it and restored after, so
// that the archive's FTS5 settings stay as they were.
func (w *Writer) indexText() error {
	const setHashSize = "INSERT INTO messages_fts(messages_fts, rank) VALUES ('hashsize', ?)"
	rows, err := w.db.c.Query("SELECT v FROM messages_fts_config WHERE k = 'hashsize'", nil)
	if err != nil {
		return err
	}
	saved := make([]driverValue, 1)
	err = rows.Next(saved)
	rows.Close()
	restore := func() error {
		_, err := w.db.c.Exec(setHashSize, saved)
		return err
	}
	switch {
	case errors.Is(err, io.EOF):
		restore = func() error { return w.db.exec("DELETE FROM messages_fts_config WHERE k = 'hashsize'") }
	case err != nil:
		return err
	}
	if _, err := w.db.c.Exec(setHashSize, []driverValue{int64(ftsHashSize)}); err != nil {
		return err
	}
	if err := w.db.exec(fmt.Sprintf("INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages WHERE id > %d", w.firstNew)); err != nil {
		return err
	}
	return restore()
}

// zoneName names loc for the record of a run: for the machine's zone,
// the IANA name it was set from when that is known.
func zoneName(loc *time.Location) string {
	if loc != time.Local {
		return loc.String()
	}
	if tz := os.Getenv("TZ"); tz != "" {
		return strings.TrimPrefix(tz, ":")
	}
	if link, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(link, "zoneinfo/"); ok {
			return name
		}
	}
	return "Local"
}

// placeNew syncs the new archive and gives it its name, refusing to
// replace a file that appeared there meanwhile.
func (w *Writer) placeNew() error {
	f, err := os.OpenFile(w.tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(w.tmp, w.final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return errors.New("a file of this name appeared while the archive was written; the new archive was not put in its place")
		}
		if err := os.Rename(w.tmp, w.final); err != nil {
			return err
		}
	}
	os.Remove(w.tmp)
	w.tmp = ""
	if d, err := os.Open(filepath.Dir(w.final)); err == nil {
		d.Sync() // the new name, durable too where the system allows it
		d.Close()
	}
	return nil
}

// Abort gives up the run: the transaction is rolled back, a new archive
// and the copied media files are removed.
func (w *Writer) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	if w.st != nil {
		w.st.close()
	}
	if w.replies != nil {
		w.replies.close()
	}
	if w.db != nil {
		if w.tmp == "" {
			w.db.exec("ROLLBACK")
		}
		w.db.close()
		w.db = nil
	}
	if w.media != nil {
		w.media.cleanup()
	}
	if w.tmp != "" {
		for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
			os.Remove(w.tmp + suffix)
		}
	}
}
