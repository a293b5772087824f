package whatsappandroid

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// fixtures is a folder the tests build from testdata/*.sql: the project
// keeps the SQL, not the databases.
var fixtures string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "whatsappandroid-test-*")
	if err != nil {
		panic(err)
	}
	fixtures = dir
	err = buildFixtures(dir)
	code := 1
	if err == nil {
		code = m.Run()
	} else {
		fmt.Fprintln(os.Stderr, "building test databases:", err)
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildFixtures(dir string) error {
	steps := []func() error{
		func() error { return buildDB(filepath.Join(dir, "modern", "msgstore.db"), "testdata/modern.sql") },
		func() error { return buildDB(filepath.Join(dir, "modern", "wa.db"), "testdata/wa.sql") },
		func() error { return buildDB(filepath.Join(dir, "legacy", "msgstore.db"), "testdata/legacy.sql") },
		func() error {
			return writeCrypt15(filepath.Join(dir, "modern", "msgstore.db"), filepath.Join(dir, "crypt", "msgstore.db.crypt15"))
		},
		func() error {
			return writeCrypt15(filepath.Join(dir, "modern", "msgstore.db"),
				filepath.Join(dir, "WhatsApp", "Databases", "msgstore.db.crypt15"))
		},
		func() error { return copyTree("testdata/Media", filepath.Join(dir, "WhatsApp", "Media")) },
		func() error { return buildDB(filepath.Join(dir, "other", "other.db"), "testdata/not-whatsapp.sql") },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

func fixture(rel string) string { return filepath.Join(fixtures, filepath.FromSlash(rel)) }

func TestKit(t *testing.T) {
	contacts := fixture("modern/wa.db")
	full := importers.Values{"contacts-db": contacts, "media": "testdata/Media"}
	importertest.Run(t, Name,
		importertest.Case{Name: "modern", Input: fixture("modern/msgstore.db"), Options: importers.Options{Values: full}},
		importertest.Case{Name: "modern-bare", Input: fixture("modern/msgstore.db")},
		importertest.Case{Name: "legacy", Input: fixture("legacy/msgstore.db"), Options: importers.Options{Values: importers.Values{"media": "testdata/Media"}}},
		importertest.Case{Name: "crypt15", Input: fixture("crypt/msgstore.db.crypt15"),
			Options: importers.Options{Values: importers.Values{"key": testKey, "contacts-db": contacts, "media": "testdata/Media"}}},
		importertest.Case{Name: "phone-folder", Input: fixture("WhatsApp"), Main: "Databases/msgstore.db.crypt15",
			Options: importers.Options{Values: importers.Values{"key": testKey, "contacts-db": contacts}}},
		importertest.Case{Name: "one-chat", Input: fixture("modern/msgstore.db"), NoDetect: true,
			Options: importers.Options{Values: importers.Values{"contacts-db": contacts, "chat": "+44 7700 900123"}}},
	)
}

func TestRejects(t *testing.T) {
	importertest.RunRejects(t, Name, fixture("other/other.db"), "testdata/not-whatsapp.sql")
}

func TestContactsDatabaseIsNotTheInput(t *testing.T) {
	f, _ := importers.Lookup(Name)
	_, err := f.Open(context.Background(), importertest.OpenSource(t, fixture("modern/wa.db")), importers.Options{})
	if !errors.Is(err, importers.ErrNotRecognised) || !strings.Contains(err.Error(), "--contacts-db") {
		t.Errorf("wa.db as input: %v, want a hint at --contacts-db", err)
	}
}

// A database under a name of the user's choosing is recognised by its
// tables and reads as under its own name; the contact database is taken
// only to say what it is for, and other SQLite databases (this project's
// own archive has a messages table too) are not taken.
func TestDetectedUnderAnyName(t *testing.T) {
	dir := t.TempDir()
	detected := func(p string) string {
		t.Helper()
		f, err := importers.Detect(importertest.OpenSource(t, p))
		if err != nil {
			return ""
		}
		return f.Name
	}
	for _, schema := range []string{"modern", "legacy"} {
		renamed := filepath.Join(dir, schema+" backup.sqlite")
		importertest.CopyFile(t, fixture(schema+"/msgstore.db"), renamed)
		if got := detected(renamed); got != Name {
			t.Errorf("%s: detected as %q, want %s", schema, got, Name)
			continue
		}
		if got, want := len(items(t, renamed, nil)), len(items(t, fixture(schema+"/msgstore.db"), nil)); got != want {
			t.Errorf("%s: %d items renamed, %d under its own name", schema, got, want)
		}
	}
	contacts := filepath.Join(dir, "contacts.db")
	importertest.CopyFile(t, fixture("modern/wa.db"), contacts)
	if got := detected(contacts); got != Name {
		t.Errorf("the contact database is detected as %q, want %s, which explains it", got, Name)
	}
	archive := filepath.Join(dir, "archive.sqlite")
	importertest.ExecSQL(t, archive, "CREATE TABLE messages (id INTEGER PRIMARY KEY, chat INTEGER, text TEXT, timestamp INTEGER)")
	for _, p := range []string{archive, fixture("other/other.db")} {
		if got := detected(p); got == Name {
			t.Errorf("%s is detected as %s", filepath.Base(p), Name)
		}
	}
}

func TestProgress(t *testing.T) {
	f, _ := importers.Lookup(Name)
	r, err := f.Open(context.Background(), importertest.OpenSource(t, fixture("legacy/msgstore.db")), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, ok := r.(importers.Progresser)
	if !ok {
		t.Fatal("the reader reports no progress")
	}
	if done, total := p.Progress(); done != 0 || total != 12 {
		t.Errorf("progress %d of %d before reading, want 0 of 12", done, total)
	}
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	if done, _ := p.Progress(); done != 12 {
		t.Errorf("%d messages done, want 12", done)
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"msgstore.db", []byte("SQLite format 3\x00rest"), true},
		{"msgstore-2024-01-01.1.db", []byte("SQLite format 3\x00rest"), true},
		{"ChatStorage.sqlite", []byte("SQLite format 3\x00rest"), false},
		{"msgstore.db", []byte("not sqlite"), false},
		{"msgstore.db.crypt12", append([]byte{0, 1, 2}, make([]byte, 64)...), true},
		{"notes.txt", []byte("hello"), false},
	} {
		p := &importers.Probe{Name: tc.name, Kind: importers.File, Head: tc.head, Entries: []string{tc.name}}
		if got := detect(p) >= 50; got != tc.want {
			t.Errorf("%s: detected %v, want %v", tc.name, got, tc.want)
		}
	}
}

func items(t *testing.T, in string, vals importers.Values) []model.Item {
	t.Helper()
	return importertest.Items(t, Name, in, importers.Options{Values: vals})
}

func messagesByID(its []model.Item) map[model.MessageID]*model.Message {
	out := map[model.MessageID]*model.Message{}
	for _, it := range its {
		if m, ok := it.(*model.Message); ok {
			out[m.ID] = m
		}
	}
	return out
}

// Rules that the golden files show, asserted one by one so that a
// careless -update cannot lose them.
func TestModernRules(t *testing.T) {
	its := items(t, fixture("modern/msgstore.db"), importers.Values{"contacts-db": fixture("modern/wa.db"), "media": "testdata/Media"})
	msgs := messagesByID(its)
	var chats []*model.Chat
	for _, it := range its {
		if c, ok := it.(*model.Chat); ok {
			chats = append(chats, c)
		}
	}
	if len(chats) != 2 {
		t.Fatalf("%d chats, want 2 (the status broadcast is no chat)", len(chats))
	}
	group := chats[1]
	check := func(what string, ok bool) {
		t.Helper()
		if !ok {
			t.Error(what)
		}
	}
	check("the direct chat is titled by the contact's name", chats[0].Title == "Carla Example")
	check("the owner is found from the group event that added only them", group.Me().Phone == "+4917600000001")
	check("the owner is named by the push name", group.Me().Name == "Olivia Owner")
	check("a silent group member is a participant, named by its verified business name",
		group.Participant("4915100000009@s.whatsapp.net") != nil && group.Participant("4915100000009@s.whatsapp.net").Name == "Dora's Bakery")
	check("an @lid sender is mapped to the phone number", msgs["m203"].Sender == "4915187654321@s.whatsapp.net")
	check("a reply links the quoted message", msgs["m101"].ReplyTo == "m100" && msgs["m101"].Quote.Sender == "447700900123@s.whatsapp.net")
	check("a reply to a deleted message links it by its revoked key", msgs["m109"].ReplyTo == "m107")
	check("a reply to an album links its first picture", msgs["m209"].ReplyTo == "m207")
	check("album containers are no messages", msgs["m206"] == nil && msgs["m207"] != nil && msgs["m208"] != nil)
	r := msgs["m101"].Reactions
	check("a changed reaction replaces the earlier one", len(r) == 1 && r[0].Emoji == "👍")
	check("a withdrawn reaction is gone", len(msgs["m100"].Reactions) == 0)
	check("a reaction from an @lid identity is mapped", len(msgs["m207"].Reactions) == 1 && msgs["m207"].Reactions[0].Sender == "4915187654321@s.whatsapp.net")
	a := msgs["m102"].Attachments[0]
	check("a media file is found in --media", a.Path == "WhatsApp Images/IMG-20240301-WA0001.png" && msgs["m102"].Text == "The beach")
	check("an absolute phone path is found in --media", msgs["m104"].Attachments[0].Path == "WhatsApp Documents/Itinerary.pdf")
	check("a file not in --media is Missing", msgs["m103"].Attachments[0].Missing && msgs["m103"].Attachments[0].Kind == model.MediaVoice)
	check("missing media is counted in a chat warning", len(chats[0].Warnings) == 1 && strings.HasPrefix(chats[0].Warnings[0].Text, "1 of 4 attachments"))
	check("deleted for everyone", msgs["m107"].Kind == model.KindDeleted)
	check("edited", msgs["m108"].Edited && msgs["m108"].EditedAt.String() == "2024-03-01T08:31:00.000Z")
	check("forwarded", msgs["m112"].Forwarded)
	check("two contact cards", len(msgs["m106"].Contacts) == 2 && msgs["m106"].Contacts[1].Name == "Eve Sample")
	p := msgs["m204"].Poll
	check("a poll keeps its options and each voter's latest vote",
		p != nil && !p.Multiple && len(p.Options) == 3 && len(p.Options[0].Voters) == 1 && p.Options[0].Voters[0] == meID &&
			len(p.Options[1].Voters) == 1 && len(p.Options[2].Voters) == 0)
	check("the call log is merged in by time", msgs["call1"] != nil && msgs["call1"].Call.Video && msgs["call1"].Call.Duration == 95*time.Second)
	check("an unanswered call is missed", msgs["call2"].Call.Missed)
	ev := msgs["m201"].Event
	check("system events name actor and targets", ev.Type == model.EventMemberAdded && ev.Actor == "4915112345678@s.whatsapp.net" && len(ev.Targets) == 1 && ev.Targets[0] == meID)
	check("a message without a sender in a group is from the unknown participant", msgs["m212"].Sender == unknownSender.ID)
	check("times are zoned milliseconds", msgs["m100"].Time.String() == "2024-03-01T08:16:00.000Z")
}

func TestLegacyRules(t *testing.T) {
	its := items(t, fixture("legacy/msgstore.db"), importers.Values{"media": "testdata/Media"})
	msgs := messagesByID(its)
	if c := its[0].(*model.Chat); c.Meta["schema"] != "legacy" {
		t.Errorf("schema %q, want legacy: the empty modern table must not win", c.Meta["schema"])
	}
	check := func(what string, ok bool) {
		t.Helper()
		if !ok {
			t.Error(what)
		}
	}
	check("a legacy reply links the quoted message", msgs["m3"].ReplyTo == "m2" && msgs["m22"].ReplyTo == "m21")
	check("a sent picture is found under Sent/", msgs["m4"].Attachments[0].Path == "WhatsApp Images/Sent/IMG-20200105-WA0001.jpg")
	check("a legacy call", msgs["m6"].Kind == model.KindCall && msgs["m6"].Call.Duration == 65*time.Second)
	check("edit_version 7 is a deleted message", msgs["m9"].Kind == model.KindDeleted)
	check("group events from status 6", msgs["m20"].Event.Type == model.EventGroupCreated && msgs["m23"].Event.Type == model.EventMemberLeft)
	check("status updates are not imported", msgs["m24"] == nil)
}

// The plaintext of a backup never outlives the reader: not after Close,
// not after a wrong key, not after cancellation, and (where the system
// allows) not even while the reader is open.
func TestPlaintextIsRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	leftovers := func(t *testing.T) {
		t.Helper()
		matches, _ := filepath.Glob(filepath.Join(tmp, "chatferry-msgstore-*"))
		if len(matches) > 0 {
			t.Errorf("plaintext left behind: %v", matches)
		}
	}
	f, _ := importers.Lookup(Name)
	open := func(ctx context.Context, key string, wrap func(fs.FS) fs.FS) (importers.Reader, error) {
		src := importertest.OpenSource(t, fixture("crypt/msgstore.db.crypt15"))
		if wrap != nil {
			src.FS = wrap(src.FS)
		}
		return f.Open(ctx, src, importers.Options{TZ: time.UTC, Values: importers.Values{"key": key}})
	}

	t.Run("open and close", func(t *testing.T) {
		r, err := open(context.Background(), testKey, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" {
			leftovers(t) // unlinked while SQLite holds it open
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		leftovers(t)
	})
	t.Run("wrong key", func(t *testing.T) {
		_, err := open(context.Background(), "ff"+testKey[2:], nil)
		if !errors.Is(err, ErrWrongKey) {
			t.Fatalf("error %v, want ErrWrongKey", err)
		}
		leftovers(t)
	})
	t.Run("cancelled while decrypting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, err := open(ctx, testKey, func(fsys fs.FS) fs.FS { return cancelFS{fsys, cancel} })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		leftovers(t)
	})
	t.Run("read error while decrypting", func(t *testing.T) {
		_, err := open(context.Background(), testKey, func(fsys fs.FS) fs.FS { return brokenFS{fsys} })
		if !errors.Is(err, importertest.ErrInjected) {
			t.Fatalf("error %v, want the read error", err)
		}
		leftovers(t)
	})
}

// cancelFS cancels a context when the backup is first read past its head.
type cancelFS struct {
	fs.FS
	cancel func()
}

func (c cancelFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &hookFile{File: f, after: 4096, hook: func() error { c.cancel(); return nil }}, nil
}

// brokenFS fails reads of the backup after its head.
type brokenFS struct{ fs.FS }

func (b brokenFS) Open(name string) (fs.File, error) {
	f, err := b.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &hookFile{File: f, after: 4096, hook: func() error { return importertest.ErrInjected }}, nil
}

type hookFile struct {
	fs.File
	after int
	read  int
	hook  func() error
}

func (h *hookFile) Read(p []byte) (int, error) {
	if h.read >= h.after {
		if err := h.hook(); err != nil {
			return 0, err
		}
	}
	if len(p) > 1024 {
		p = p[:1024]
	}
	n, err := h.File.Read(p)
	h.read += n
	return n, err
}

func TestNeedsKey(t *testing.T) {
	f, _ := importers.Lookup(Name)
	src := importertest.OpenSource(t, fixture("crypt/msgstore.db.crypt15"))
	_, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
	if !errors.Is(err, ErrNeedKey) {
		t.Errorf("error %v, want ErrNeedKey", err)
	}
}

func TestChatSelection(t *testing.T) {
	in := fixture("modern/msgstore.db")
	for _, want := range []string{"Holiday 2025", "holiday 2025", "120363000000000001@g.us", "447700900123", "+44 7700 900123"} {
		its := items(t, in, importers.Values{"chat": want})
		var chats int
		for _, it := range its {
			if _, ok := it.(*model.Chat); ok {
				chats++
			}
		}
		if chats != 1 {
			t.Errorf("--chat %q: %d chats, want 1", want, chats)
		}
	}
	f, _ := importers.Lookup(Name)
	_, err := f.Open(context.Background(), importertest.OpenSource(t, in), importers.Options{Values: importers.Values{"chat": "Nobody"}})
	var oe *importers.OptionError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), `"Holiday 2025"`) {
		t.Errorf("an unknown chat: %v, want an option error that lists the chats", err)
	}
}

// A database copied with its write-ahead log: the log's messages count.
func TestWriteAheadLog(t *testing.T) {
	dir := t.TempDir()
	db := mustBuildDB(t, filepath.Join(dir, "msgstore.db"), "testdata/modern.sql")
	// A connection that stays open keeps the log from being folded in.
	w, err := sql.Open("sqlite3", db+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	for _, q := range []string{"PRAGMA wal_autocheckpoint = 0",
		`INSERT INTO message VALUES (500, 1, 1, 'W500', 0, 13, 0, 0, 1709290000000, 0, 0, 'Only in the log', 0, 0, 500, 0)`} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("no write-ahead log: %v", err)
	}
	before, _ := os.ReadFile(db)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	// The private copy is readable by its owner only, and goes with Close.
	f, _ := importers.Lookup(Name)
	r, err := f.Open(context.Background(), importertest.OpenSource(t, db), importers.Options{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	copies, _ := filepath.Glob(filepath.Join(tmp, "chatferry-msgstore-*", "*"))
	folders, _ := filepath.Glob(filepath.Join(tmp, "chatferry-msgstore-*"))
	for _, c := range append(copies, folders...) {
		if fi, err := os.Stat(c); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want it private to its owner", c, fi.Mode().Perm())
		}
	}
	if len(copies) == 0 {
		t.Error("no private copy was made of a database with a write-ahead log")
	}
	r.Close()
	if left, _ := filepath.Glob(filepath.Join(tmp, "chatferry-msgstore-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	msgs := messagesByID(items(t, db, nil))
	if m := msgs["m500"]; m == nil || m.Text != "Only in the log" {
		t.Error("the message in the write-ahead log was not read")
	}
	after, _ := os.ReadFile(db)
	if string(before) != string(after) {
		t.Error("the database was changed")
	}
}
