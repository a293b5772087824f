package sqlite_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/sqlite"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// older returns the sample as an earlier export of the same chats would
// give it: the first keep messages of each chat.
func older(items []model.Item, keep int) []model.Item {
	var out []model.Item
	n := 0
	for _, it := range items {
		if _, ok := it.(*model.Chat); ok {
			n = 0
			out = append(out, it)
			continue
		}
		if n < keep {
			out = append(out, it)
		}
		n++
	}
	return out
}

// logical renders the archive's content without row ids, which depend on
// the order messages arrived in: every message by chat and key, with what
// hangs on it, and the files of the media folder.
func logical(t testing.TB, path string) string {
	t.Helper()
	db := openDB(t, path)
	queries := []string{
		`SELECT c.kind, c.title, c.media_dir FROM chats c`,
		`SELECT c.title, p.name, p.phone, p.me FROM participants p JOIN chats c ON c.id = p.chat_id`,
		`SELECT c.title, hex(m.key), coalesce(p.name, '-'), m.kind, m.text, m.time, m.floating, m.instant,
			m.edited, coalesce(m.edited_at, '-'), m.forwarded
			FROM messages m JOIN chats c ON c.id = m.chat_id LEFT JOIN participants p ON p.id = m.sender_id`,
		`SELECT hex(m.key), coalesce(hex(t.key), '-'), coalesce(q.name, '-'), coalesce(r.quote_text, '-')
			FROM replies r JOIN messages m ON m.id = r.message_id LEFT JOIN messages t ON t.id = r.reply_to
			LEFT JOIN participants q ON q.id = r.quote_sender_id`,
		`SELECT hex(m.key), p.name, r.emoji, coalesce(r.time, '-'), coalesce(r.instant, '-')
			FROM reactions r JOIN messages m ON m.id = r.message_id JOIN participants p ON p.id = r.sender_id`,
		`SELECT hex(m.key), a.position, a.name, a.kind, a.mime, coalesce(a.size, '-'), a.omitted, a.missing,
			coalesce(a.path, '-'), coalesce(a.sha256, '-') FROM attachments a JOIN messages m ON m.id = a.message_id`,
		`SELECT hex(m.key), e.type, coalesce(p.name, '-'), coalesce(e.subject, '-')
			FROM events e JOIN messages m ON m.id = e.message_id LEFT JOIN participants p ON p.id = e.actor_id`,
		`SELECT hex(m.key), t.position, p.name FROM event_targets t JOIN messages m ON m.id = t.message_id
			JOIN participants p ON p.id = t.participant_id`,
		`SELECT hex(m.key), o.position, o.text, o.votes, coalesce(group_concat(p.name), '-') FROM poll_options o
			JOIN messages m ON m.id = o.message_id LEFT JOIN poll_votes v ON v.message_id = o.message_id AND v.position = o.position
			LEFT JOIN participants p ON p.id = v.participant_id GROUP BY o.message_id, o.position`,
		`SELECT hex(m.key), l.latitude, l.longitude, coalesce(l.url, '-') FROM locations l JOIN messages m ON m.id = l.message_id`,
		`SELECT hex(m.key), c.position, c.name, c.phones FROM contacts c JOIN messages m ON m.id = c.message_id`,
		`SELECT hex(m.key), c.video, c.missed, coalesce(c.duration_ms, '-') FROM calls c JOIN messages m ON m.id = c.message_id`,
		`SELECT sha256, size FROM media`,
		`SELECT m.id - (SELECT min(id) FROM messages), t.text FROM messages_fts t JOIN messages m ON m.id = t.rowid
			WHERE messages_fts MATCH 'holiday OR hostel OR beach'`,
	}
	var out []string
	for i, q := range queries {
		eachRow(t, db, q, func(_ []string, vals []any) {
			var cells []string
			for _, v := range vals {
				cells = append(cells, formatCell(v))
			}
			if i == len(queries)-1 {
				cells = cells[1:] // which rows FTS finds, not their ids
			}
			out = append(out, fmt.Sprintf("%02d %s", i, strings.Join(cells, " | ")))
		})
	}
	sort.Strings(out)
	out = append(out, mediaFiles(t, filepath.Dir(path))...)
	return strings.Join(out, "\n") + "\n"
}

func counts(t testing.TB, path string) string {
	db := openDB(t, path)
	var parts []string
	for _, tb := range dumpTables {
		parts = append(parts, fmt.Sprintf("%s=%d", tb.name, count(t, db, "SELECT count(*) FROM "+tb.name)))
	}
	return strings.Join(parts, " ")
}

// An archive updated with a newer export holds what a fresh conversion of
// the newer export holds; converting it again changes nothing.
func TestIncremental(t *testing.T) {
	requireFTS5(t)
	opts := exporters.Options{TZ: berlin(t), Me: "Ben Sample"}
	full := sampleItems(t)

	fresh := filepath.Join(t.TempDir(), "out.db")
	export(t, fresh, full, opts)

	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	export(t, out, older(sampleItems(t), 5), opts)
	if got := count(t, openDB(t, out), "SELECT count(*) FROM messages"); got != 10 {
		t.Fatalf("the older export gave %d messages, want 10", got)
	}
	rep := export(t, out, full, opts)
	if l, w := logical(t, out), logical(t, fresh); l != w {
		t.Errorf("updated archive differs from a fresh one:\n%s", importertest.FirstDiff([]byte(w), []byte(l)))
	}
	db := openDB(t, out)
	if got := count(t, db, "SELECT count(*) FROM runs"); got != 2 {
		t.Errorf("%d runs recorded, want 2", got)
	}
	if got := count(t, db, "SELECT sum(messages) FROM imports WHERE run_id = 2"); got != 15 {
		t.Errorf("the second run's imports added %d messages, want 15", got)
	}
	if !hasNote(rep, "10 messages were already in the archive") {
		t.Errorf("the report does not count the messages already there: %q", rep.Notes())
	}

	// The same conversion again: not a byte changes.
	sum, before, c := fileSum(t, out), dump(t, out), counts(t, out)
	rep = export(t, out, full, opts)
	if got := fileSum(t, out); got != sum {
		t.Error("converting the same export again changed the database file")
	}
	if got := counts(t, out); got != c {
		t.Errorf("counts changed:\n%s\n%s", c, got)
	}
	if got := dump(t, out); got != before {
		t.Errorf("content changed:\n%s", importertest.FirstDiff([]byte(before), []byte(got)))
	}
	if !hasNote(rep, "nothing new") {
		t.Errorf("the report does not say that nothing was new: %q", rep.Notes())
	}
	assertNoLeftovers(t, dir)
}

// Two inputs of the same chat in one conversion (an old and a new export
// given together) merge as two runs would.
func TestSameChatTwiceInOneRun(t *testing.T) {
	requireFTS5(t)
	opts := exporters.Options{TZ: berlin(t), Me: "Ben Sample"}
	fresh := filepath.Join(t.TempDir(), "out.db")
	export(t, fresh, sampleItems(t), opts)
	out := filepath.Join(t.TempDir(), "out.db")
	both := append(older(sampleItems(t), 7), sampleItems(t)...)
	export(t, out, both, opts)
	if l, w := logical(t, out), logical(t, fresh); l != w {
		t.Errorf("archive of both inputs differs from one of the newer:\n%s", importertest.FirstDiff([]byte(w), []byte(l)))
	}
}

func msg(id string, at model.Timestamp, sender, text string) *model.Message {
	return &model.Message{ID: model.MessageID(id), Time: at, Sender: model.ParticipantID(sender),
		Kind: model.KindText, Text: text}
}

func chat(title string) *model.Chat {
	return &model.Chat{ID: "c", Title: title, Kind: model.Direct, Format: "test", Source: title + ".txt",
		TimePrecision: model.PrecisionMinute,
		Participants:  []model.Participant{{ID: "a", Name: "Ann"}, {ID: "b", Name: "Ben", Me: true}}}
}

// Equal messages in the same minute are different messages: every one is
// kept, and a newer export adds only the ones it has more of.
func TestDuplicateKeys(t *testing.T) {
	requireFTS5(t)
	at := func(min int) model.Timestamp { return model.Floating(2024, 5, 1, 10, min, 0, 0, model.PrecisionMinute) }
	first := []model.Item{chat("Dups"),
		msg("1", at(0), "a", "ok"), msg("2", at(0), "b", "ok"), msg("3", at(0), "a", "ok"),
		msg("4", at(1), "a", "ok"),
		msg("5", at(0).Add(72*time.Hour), "a", "later"),
		msg("6", at(0), "a", "ok"), // a clock that stepped back
	}
	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, first, exporters.Options{})
	texts := func() int { return count(t, openDB(t, out), "SELECT count(*) FROM messages WHERE text = 'ok'") }
	if n := texts(); n != 5 {
		t.Fatalf("%d messages 'ok' stored, want 5", n)
	}
	sum := fileSum(t, out)
	export(t, out, first, exporters.Options{})
	if fileSum(t, out) != sum || texts() != 5 {
		t.Fatalf("the same input again changed the archive (%d messages 'ok')", texts())
	}
	newer := append(append([]model.Item{}, first...), msg("7", at(0), "a", "ok"), msg("8", at(2), "b", "ok"))
	export(t, out, newer, exporters.Options{})
	if n := texts(); n != 7 {
		t.Errorf("after the newer export %d messages 'ok', want 7", n)
	}
}

// A floating time is keyed by its wall clock as written, whatever zone a
// run reads it in, and a newer export's seconds don't make it new.
func TestKeyIgnoresZoneAndSeconds(t *testing.T) {
	requireFTS5(t)
	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, []model.Item{chat("Keys"),
		msg("1", model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute), "a", "hello")},
		exporters.Options{TZ: time.UTC})
	c := chat("Keys")
	c.TimePrecision = model.PrecisionSecond
	export(t, out, []model.Item{c,
		msg("1", model.Floating(2024, 5, 1, 10, 0, 42, 0, model.PrecisionSecond), "a", "hello"),
		msg("2", model.Floating(2024, 5, 1, 10, 0, 43, 0, model.PrecisionSecond), "a", "hello again")},
		exporters.Options{TZ: berlin(t)})
	db := openDB(t, out)
	if n := count(t, db, "SELECT count(*) FROM messages"); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
	var inst string
	db.QueryRow("SELECT instant FROM messages WHERE text = 'hello again'").Scan(&inst)
	if inst != "2024-05-01T08:00:43.000Z" {
		t.Errorf("instant %s, want the Berlin reading in UTC", inst)
	}
}

// Media are copied once: a file already in the archive is shared, a file
// with a taken name and other content gets a new name.
func TestMediaAcrossRuns(t *testing.T) {
	requireFTS5(t)
	at := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	withFile := func(id, text string, data string) []model.Item {
		c := chat("Media")
		c.Media = fstest.MapFS{"IMG.jpg": {Data: []byte(data)}}
		m := msg(id, at, "a", text)
		m.Kind = model.KindMedia
		m.Attachments = []model.Attachment{{Name: "IMG.jpg", Kind: model.MediaImage, Path: "IMG.jpg"}}
		return []model.Item{c, m}
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	export(t, out, withFile("1", "one", "first picture"), exporters.Options{})
	export(t, out, withFile("1", "two", "first picture"), exporters.Options{})
	export(t, out, withFile("1", "three", "another picture"), exporters.Options{})
	got := strings.Join(mediaFiles(t, dir), "\n")
	want := strings.Join([]string{
		fmt.Sprintf("out-media/Media/IMG-2.jpg %s", sha("another picture")),
		fmt.Sprintf("out-media/Media/IMG.jpg %s", sha("first picture")),
	}, "\n")
	if got != want {
		t.Errorf("media files:\n%s\nwant\n%s", got, want)
	}
	db := openDB(t, out)
	if n := count(t, db, "SELECT count(*) FROM attachments WHERE path = 'out-media/Media/IMG.jpg'"); n != 2 {
		t.Errorf("%d attachments share IMG.jpg, want 2", n)
	}
	assertNoLeftovers(t, dir)
}

// Opening something that is not an archive of ours, or one of a newer
// schema, fails with a clear error and changes nothing.
func TestRefusesOtherFiles(t *testing.T) {
	requireFTS5(t)
	other := func(t *testing.T, path string) {
		db := openRW(t, path, "rwc")
		if _, err := db.Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)"); err != nil {
			t.Fatal(err)
		}
	}
	ours := func(version int) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			export(t, path, sampleItems(t), exporters.Options{})
			db := openRW(t, path, "rw")
			if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		name string
		make func(*testing.T, string)
		want error
		msg  string
	}{
		{"empty", func(t *testing.T, p string) { os.WriteFile(p, nil, 0o644) }, sqlite.ErrNotArchive, "empty file"},
		{"text", func(t *testing.T, p string) { os.WriteFile(p, []byte("hello\n"), 0o644) }, sqlite.ErrNotArchive, "not a SQLite database"},
		{"folder", func(t *testing.T, p string) { os.Mkdir(p, 0o755) }, sqlite.ErrNotArchive, "a folder"},
		{"other-sqlite", other, sqlite.ErrNotArchive, "application_id 0"},
		{"no-version", ours(0), sqlite.ErrNotArchive, "no schema version"},
		{"newer", ours(sqlite.SchemaVersion + 1), sqlite.ErrNewerSchema, "update chatferry"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.db")
			c.make(t, path)
			before := listing(t, dir)
			_, err := tryExport(path, sampleItems(t), exporters.Options{})
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %v, want %v saying %q", err, c.want, c.msg)
			}
			if after := listing(t, dir); after != before {
				t.Errorf("the folder changed:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// A run that fails or is given up leaves the archive and its media folder
// exactly as they were.
func TestFailedRunChangesNothing(t *testing.T) {
	requireFTS5(t)
	at := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	export(t, out, sampleItems(t), exporters.Options{})
	before := listing(t, dir)

	// Given up halfway.
	f, _ := exporters.Lookup("sqlite")
	w, err := f.New(&exporters.Target{Path: out}, exporters.Options{Report: &exporters.Report{}})
	if err != nil {
		t.Fatal(err)
	}
	c := chat("New chat")
	c.Media = fstest.MapFS{"a.jpg": {Data: []byte("a picture")}}
	if err := w.WriteChat(c); err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		m := msg(fmt.Sprint(i), at.Add(time.Duration(i)*time.Minute), "a", fmt.Sprint("message ", i))
		m.Attachments = []model.Attachment{{Name: "a.jpg", Path: "a.jpg"}}
		if err := w.WriteMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	w.Abort()
	if after := listing(t, dir); after != before {
		t.Errorf("an aborted run changed the folder:\n%s\nwant\n%s", after, before)
	}

}

// A media file the input names but cannot give (here it fails on every
// read) is reported and left out: the run goes on, the attachment is kept
// without its file, and no part of the file is left behind.
func TestUnreadableMediaIsReported(t *testing.T) {
	requireFTS5(t)
	at := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	export(t, out, sampleItems(t), exporters.Options{})
	for _, held := range []bool{false, true} {
		// A chat of the archive's gets its files at once; a new one is
		// held while its first messages are matched.
		c := chat("Ann Example")
		if held {
			c = chat("New chat")
		}
		c.Media = exportertest.FailingMedia("b.jpg", nil)
		m := msg(fmt.Sprint("x", held), at, "a", "look")
		m.Attachments = []model.Attachment{{Name: "b.jpg", Path: "b.jpg"}}
		rep, err := tryExport(out, []model.Item{c, msg(fmt.Sprint("w", held), at, "a", "before"), m}, exporters.Options{})
		if err != nil {
			t.Fatalf("held %v: %v", held, err)
		}
		if !hasNote(rep, `the media file "b.jpg" cannot be read from the input: injected read error`) {
			t.Errorf("held %v: the unreadable file is not reported: %q", held, rep.Notes())
		}
		assertNoLeftovers(t, dir)
	}
	db := openDB(t, out)
	if n := count(t, db, "SELECT count(*) FROM attachments WHERE name = 'b.jpg' AND path IS NULL"); n != 2 {
		t.Errorf("%d attachments kept without their file, want 2", n)
	}
	if got := strings.Join(mediaFiles(t, filepath.Join(dir, "out-media")), "\n"); strings.Contains(got, "b.jpg") {
		t.Errorf("a part of the unreadable file was kept:\n%s", got)
	}
}

// assertNoLeftovers fails when a run left temporary files in dir.
func assertNoLeftovers(t testing.TB, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasSuffix(e.Name(), "-journal") {
			t.Errorf("a run left %s behind", e.Name())
		}
	}
}

func hasNote(rep *exporters.Report, s string) bool {
	for _, n := range rep.Notes() {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func sha(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s))) }

// retitle returns the sample's items with the chat at index i renamed
// and extra messages added at its end.
func retitle(t *testing.T, chatIndex int, title string, extra ...*model.Message) []model.Item {
	var out []model.Item
	n := -1
	for _, it := range sampleItems(t) {
		if c, ok := it.(*model.Chat); ok {
			if n == chatIndex {
				for _, m := range extra {
					out = append(out, m)
				}
			}
			n++
			if n == chatIndex {
				c.Title = title
			}
		}
		out = append(out, it)
	}
	if n == chatIndex {
		for _, m := range extra {
			out = append(out, m)
		}
	}
	return out
}

// A chat renamed between two exports (a group's new subject, a contact
// renamed on the phone) is recognised by its first messages and updated,
// not archived a second time; a chat with a new title and other messages
// is a chat of its own.
func TestRenamedChat(t *testing.T) {
	requireFTS5(t)
	opts := exporters.Options{TZ: berlin(t), Me: "Ben Sample"}
	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, sampleItems(t), opts)
	later := model.Zoned(time.Date(2024, 2, 21, 9, 0, 0, 0, time.FixedZone("", 3600)), model.PrecisionMillisecond)
	renamed := retitle(t, 1, "Trip: 2024", msg("g11", later, "p1", "Tickets booked"),
		msg("g12", later.Add(time.Minute), "p3", "Great!"))
	rep := export(t, out, renamed, opts)
	db := openDB(t, out)
	if n := count(t, db, "SELECT count(*) FROM chats"); n != 2 {
		t.Errorf("%d chats, want 2", n)
	}
	if n := count(t, db, "SELECT count(*) FROM messages m JOIN chats c ON c.id = m.chat_id WHERE c.title = 'Trip 2024 ✈️'"); n != 12 {
		t.Errorf("the group has %d messages, want 12", n)
	}
	if !hasNote(rep, `the chat "Trip: 2024" is the archive's chat "Trip 2024 ✈️" (6 of its first messages are there)`) {
		t.Errorf("the report does not say which chat it took: %q", rep.Notes())
	}
	sum := fileSum(t, out)
	export(t, out, renamed, opts)
	if fileSum(t, out) != sum {
		t.Error("converting the renamed chat again changed the archive")
	}

	// Another chat: a new title, messages the archive does not have.
	other := []model.Item{chat("Someone else")}
	for i := range 5 {
		other = append(other, msg(fmt.Sprint(i), later.Add(time.Duration(i)*time.Hour), "a", fmt.Sprint("news ", i)))
	}
	// A chat of two messages the archive has: too few to tell.
	few := retitle(t, 0, "Ann E.")[:3]
	export(t, out, append(other, few...), opts)
	if n := count(t, openDB(t, out), "SELECT count(*) FROM chats"); n != 4 {
		t.Errorf("%d chats, want 4", n)
	}
}

// closableFS fails once its input is closed, as a zip does.
type closableFS struct {
	fs.FS
	closed *bool
}

func (c closableFS) Open(name string) (fs.File, error) {
	if *c.closed {
		return nil, errors.New("file already closed")
	}
	return c.FS.Open(name)
}

// The first messages of a chat the archive does not know yet are held
// until its chat is decided, which may be after its input was closed:
// their files are held too. A file the input lacks is reported once.
func TestHeldMessagesOutliveTheirInput(t *testing.T) {
	requireFTS5(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	export(t, out, sampleItems(t), exporters.Options{}) // a direct chat to compare with
	f, _ := exporters.Lookup("sqlite")
	rep := &exporters.Report{}
	w, err := f.New(&exporters.Target{Path: out}, exporters.Options{Report: rep, TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	c := chat("Zip chat")
	c.Media = closableFS{fstest.MapFS{"media/a.jpg": {Data: []byte("picture a")}}, &closed}
	at := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	m1 := msg("1", at, "a", "")
	m1.Kind = model.KindMedia
	m1.Attachments = []model.Attachment{{Path: "media/a.jpg", Kind: model.MediaImage}}
	m2 := msg("2", at, "b", "where is it?")
	m2.Attachments = []model.Attachment{{Name: "b.jpg", Path: "media/b.jpg"}}
	if err := exportertest.WriteItems(w, []model.Item{c, m1, m2}); err != nil {
		t.Fatal(err)
	}
	closed = true // the input is done
	if err := w.WriteChat(chat("Next input")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(mediaFiles(t, filepath.Join(dir, "out-media", "Zip chat")), "\n")
	if want := "a.jpg " + sha("picture a"); got != want {
		t.Errorf("media files:\n%s\nwant %s", got, want)
	}
	db := openDB(t, out)
	if n := count(t, db, "SELECT count(*) FROM attachments WHERE path = 'out-media/Zip chat/a.jpg' AND name = ''"); n != 1 {
		t.Errorf("%d attachments name the held file, want 1", n)
	}
	if !hasNote(rep, `the media file "media/b.jpg" cannot be read from the input: the input does not hold it`) {
		t.Errorf("the missing file is not reported: %q", rep.Notes())
	}
	assertNoLeftovers(t, dir)
}

// Folder names an archive gives are checked before files are written
// under them: a crafted archive cannot make a run write elsewhere.
func TestCraftedFolderNames(t *testing.T) {
	requireFTS5(t)
	for _, c := range []struct{ name, sql string }{
		{"media folder", `UPDATE archive SET value = '../outside' WHERE key = 'media_dir'`},
		{"chat folder", `UPDATE chats SET media_dir = '../../outside' WHERE title = 'Ann Example'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "in")
			os.Mkdir(dir, 0o755)
			out := filepath.Join(dir, "out.db")
			export(t, out, older(sampleItems(t), 2), exporters.Options{})
			if _, err := openRW(t, out, "rw").Exec(c.sql); err != nil {
				t.Fatal(err)
			}
			before := listing(t, parent)
			_, err := tryExport(out, sampleItems(t), exporters.Options{})
			if err == nil || !strings.Contains(err.Error(), "not a plain folder name") {
				t.Errorf("got %v, want a refusal of the folder name", err)
			}
			if after := listing(t, parent); after != before {
				t.Errorf("the run changed files:\n%s\nwant\n%s", after, before)
			}
		})
	}
}
