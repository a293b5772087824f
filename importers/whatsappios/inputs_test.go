package whatsappios_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/whatsappios/iosfixture"
	"github.com/chatferry/chatferry/model"
)

const fixtureSrc = "../../testdata/whatsapp-ios"

func TestRejects(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.sqlite")
	if err := iosfixture.Exec(other, "testdata/other.sql"); err != nil {
		t.Fatal(err)
	}
	importertest.RunRejects(t, "whatsapp-ios", "testdata/not-a-database.txt", other, "testdata/no-whatsapp")
}

// open imports path with options and returns the items, or the first
// error.
func open(t *testing.T, path string, opts importers.Options) ([]model.Item, error) {
	t.Helper()
	f, err := importers.Lookup("whatsapp-ios")
	if err != nil {
		t.Fatal(err)
	}
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	return importertest.Collect(context.Background(), f, importertest.OpenSource(t, path), opts)
}

func chats(items []model.Item) []*model.Chat {
	var out []*model.Chat
	for _, it := range items {
		if c, ok := it.(*model.Chat); ok {
			out = append(out, c)
		}
	}
	return out
}

func TestEncryptedBackupIsExplained(t *testing.T) {
	dir := t.TempDir()
	// An encrypted backup's Manifest.db is ciphertext.
	if err := os.WriteFile(filepath.Join(dir, "Manifest.db"), bytes.Repeat([]byte{0x9c, 0x41, 0x07}, 400), 0o644); err != nil {
		t.Fatal(err)
	}
	src := importertest.OpenSource(t, dir)
	if f, err := importers.Detect(src); err != nil || f.Name != "whatsapp-ios" {
		t.Errorf("an encrypted backup is detected as %v, %v; want whatsapp-ios, so that the user is told why it cannot be read", f, err)
	}
	_, err := open(t, dir, importers.Options{})
	if err == nil || !strings.Contains(err.Error(), "encrypted") || !strings.Contains(err.Error(), "Encrypt local backup") {
		t.Errorf("error %v, want one that explains the backup is encrypted and what to do", err)
	}
}

func TestBackupWithoutWhatsApp(t *testing.T) {
	dir := t.TempDir()
	if err := iosfixture.Exec(filepath.Join(dir, "Manifest.db"), "testdata/manifest-without-whatsapp.sql"); err != nil {
		t.Fatal(err)
	}
	_, err := open(t, dir, importers.Options{})
	if !errors.Is(err, importers.ErrNotRecognised) || !strings.Contains(err.Error(), "no WhatsApp data") {
		t.Errorf("error %v, want a not-recognised error saying the backup holds no WhatsApp data", err)
	}
}

func TestBackupOfTheOtherApp(t *testing.T) {
	_, err := open(t, in.Backup, importers.Options{Values: importers.Values{"app": "business"}})
	if err == nil || !strings.Contains(err.Error(), "--app whatsapp") {
		t.Errorf("error %v, want a hint to --app whatsapp", err)
	}
	_, err = open(t, in.Backup, importers.Options{Values: importers.Values{"app": "telegram"}})
	if err == nil || !strings.Contains(err.Error(), "want whatsapp or business") {
		t.Errorf("error %v, want the allowed values", err)
	}
}

func TestChatOption(t *testing.T) {
	for _, tc := range []struct{ chat, want string }{
		{"Ann Example", "447700900123@s.whatsapp.net"},
		{"ann example", "447700900123@s.whatsapp.net"},
		{"+44 7700 900123", "447700900123@s.whatsapp.net"},
		{"447700900555", "447700900555@s.whatsapp.net"},
		{"98765432109876@lid", "447700900555@s.whatsapp.net"}, // the contact's privacy id
		{"120363000000000001@g.us", "120363000000000001@g.us"},
		{"Trip 2024 ✈️", "120363000000000001@g.us"},
	} {
		t.Run(tc.chat, func(t *testing.T) {
			items, err := open(t, in.Database, importers.Options{Values: importers.Values{"chat": tc.chat}})
			if err != nil {
				t.Fatal(err)
			}
			cs := chats(items)
			if len(cs) != 1 || string(cs[0].ID) != tc.want {
				var ids []string
				for _, c := range cs {
					ids = append(ids, string(c.ID))
				}
				t.Errorf("--chat %q imported %v, want [%s]", tc.chat, ids, tc.want)
			}
		})
	}
	_, err := open(t, in.Database, importers.Options{Values: importers.Values{"chat": "Nobody"}})
	var oe *importers.OptionError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), `--chat "Nobody" matches no chat`) {
		t.Errorf("error %v, want an option error that says no chat matches", err)
	}
}

// attachments returns every attachment of an import with its chat.
func attachments(items []model.Item) (out []model.Attachment, media []fs.FS) {
	var chat *model.Chat
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			chat = v
		case *model.Message:
			for _, a := range v.Attachments {
				out = append(out, a)
				media = append(media, chat.Media)
			}
		}
	}
	return out, media
}

// checkMedia checks that the attachments with a path read back as the
// fixture's files, and returns how many there are.
func checkMedia(t *testing.T, items []model.Item) int {
	t.Helper()
	list, media := attachments(items)
	n := 0
	for i, a := range list {
		if a.Path == "" {
			continue
		}
		n++
		f, err := media[i].Open(a.Path)
		if err != nil {
			t.Errorf("%s: %v", a.Path, err)
			continue
		}
		got, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(fixtureSrc, filepath.FromSlash(a.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the media file reads back different", a.Path)
		}
		if a.Size != int64(len(want)) {
			t.Errorf("%s: size %d, want %d", a.Path, a.Size, len(want))
		}
	}
	return n
}

func TestMediaResolves(t *testing.T) {
	for _, p := range []string{in.Folder, in.Database, in.Backup, in.FolderZip, in.BackupZip} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			items, err := open(t, p, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if n := checkMedia(t, items); n != 2 {
				t.Errorf("%d media files found, want the fixture's 2", n)
			}
		})
	}
}

func TestMediaOption(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ChatStorage.sqlite")
	importertest.CopyFile(t, in.Database, db)
	items, err := open(t, db, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := checkMedia(t, items); n != 0 {
		t.Errorf("%d media files found beside a database without its Message folder, want 0", n)
	}
	list, _ := attachments(items)
	for _, a := range list {
		if !a.Missing {
			t.Errorf("attachment %q is not marked missing", a.Name)
		}
	}
	items, err = open(t, db, importers.Options{Values: importers.Values{"media": in.Folder}})
	if err != nil {
		t.Fatal(err)
	}
	if n := checkMedia(t, items); n != 2 {
		t.Errorf("with --media, %d media files found, want 2", n)
	}
}

// render imports path and prints it as canonical JSON with the input's
// path replaced, for comparing imports of copies.
func render(t *testing.T, path string, opts importers.Options) string {
	t.Helper()
	items, err := open(t, path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(importertest.Render(t, items)), path, "DB")
}

// With an index on ZSTANZAID, replies are looked up through it instead of
// a temporary table; the import is the same.
func TestStanzaIndex(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(in.Folder)); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ChatStorage.sqlite")
	d, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec("CREATE INDEX ZWAMESSAGE_ZSTANZAID_INDEX ON ZWAMESSAGE (ZSTANZAID)"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if got, want := render(t, db, importers.Options{}), render(t, in.Database, importers.Options{}); got != want {
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Errorf("the import with a stanza index differs from the one without:\n%s\n%s", gl[i], wl[i])
				break
			}
		}
	}
}

// A database whose write-ahead log holds the latest messages is read with
// them, from a private copy: the user's files are not touched.
func TestWriteAheadLog(t *testing.T) {
	work := t.TempDir()
	live := filepath.Join(work, "ChatStorage.sqlite")
	importertest.CopyFile(t, in.Database, live)
	d, err := sql.Open("sqlite3", "file:"+live+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA wal_autocheckpoint = 0",
		`INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZISFROMME, ZMESSAGETYPE, ZSORT, ZCHATSESSION, ZMESSAGEDATE, ZFROMJID, ZSTANZAID, ZTEXT)
		 VALUES (501, 5, 1, 0, 0, 2, 5, 730980060, '447700900555@s.whatsapp.net', 'F2F2F2F2F2F2F2F2F2F2', 'Only in the log')`,
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	// Copy the database and its log while the log is not merged, as a
	// phone's file system holds them.
	dir := t.TempDir()
	for _, name := range []string{"ChatStorage.sqlite", "ChatStorage.sqlite-wal"} {
		importertest.CopyFile(t, filepath.Join(work, name), filepath.Join(dir, name))
	}
	before := snapshot(t, dir)
	t.Setenv("TMPDIR", t.TempDir())
	items, err := open(t, filepath.Join(dir, "ChatStorage.sqlite"), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		if m, ok := it.(*model.Message); ok && m.Text == "Only in the log" {
			found = true
		}
	}
	if !found {
		t.Error("the message in the write-ahead log was not imported")
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("the input folder changed:\nbefore %s\nafter  %s", before, after)
	}
	if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
		t.Errorf("the private copy was not removed: %v", left)
	}
}

// snapshot describes every file in dir by name and content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:%d:%x;", e.Name(), len(data), sha256.Sum256(data))
	}
	return b.String()
}

func TestTimesAreShownInTheChosenZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	items, err := open(t, in.Database, importers.Options{TZ: berlin, Values: importers.Values{"chat": "Finn Sample"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if m, ok := it.(*model.Message); ok {
			if got := m.Time.String(); got != "2024-03-01T11:00:00+01:00" {
				t.Errorf("time %s, want 2024-03-01T11:00:00+01:00 (10:00 UTC)", got)
			}
			return
		}
	}
	t.Fatal("no message")
}

func TestProgress(t *testing.T) {
	f, _ := importers.Lookup("whatsapp-ios")
	r, err := f.Open(context.Background(), importertest.OpenSource(t, in.Database), importers.Options{TZ: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, ok := r.(importers.Progresser)
	if !ok {
		t.Fatal("the reader does not report progress")
	}
	if done, total := p.Progress(); done != 0 || total != 43 {
		t.Errorf("before reading: %d of %d, want 0 of 43 (the status update is not counted)", done, total)
	}
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	if done, total := p.Progress(); done != total {
		t.Errorf("after reading: %d of %d", done, total)
	}
}

// WhatsApp's LID.sqlite, beside the database, pairs privacy ids with phone
// numbers when the chats do not.
func TestLIDAccounts(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ChatStorage.sqlite")
	importertest.CopyFile(t, in.Database, db)
	d, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec("UPDATE ZWACHATSESSION SET ZCONTACTIDENTIFIER = NULL"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	group := func() *model.Chat {
		t.Helper()
		items, err := open(t, db, importers.Options{Values: importers.Values{"chat": "Trip 2024 ✈️"}})
		if err != nil {
			t.Fatal(err)
		}
		return chats(items)[0]
	}
	if p := group().Participant("98765432109876@lid"); p == nil || p.Phone != "" {
		t.Fatalf("without pairs the privacy id is its own participant: %+v", p)
	}
	lid := filepath.Join(dir, "LID.sqlite")
	l, err := sql.Open("sqlite3", lid)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE ZWAZACCOUNT (Z_PK INTEGER PRIMARY KEY, ZIDENTIFIER VARCHAR, ZPHONENUMBER VARCHAR)",
		"INSERT INTO ZWAZACCOUNT VALUES (1, '98765432109876', '+447700900555')",
	} {
		if _, err := l.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	c := group()
	if c.Participant("98765432109876@lid") != nil {
		t.Error("the privacy id is still a participant of its own")
	}
	if p := c.Participant("447700900555@s.whatsapp.net"); p == nil || p.Name != "Finn Sample" || p.Phone != "+447700900555" {
		t.Errorf("the member is %+v, want Finn Sample with his number", p)
	}
}

// An older schema reads alike; integer times in a column declared TIMESTAMP
// are Apple-epoch seconds too (400000000 is 2013-09-04T15:06:40Z, by date(1)).
func TestOldSchema(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ChatStorage.sqlite")
	if err := iosfixture.Exec(db, "testdata/old-schema.sql"); err != nil {
		t.Fatal(err)
	}
	items, err := open(t, db, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			got = append(got, fmt.Sprintf("chat %s %s %s", v.Title, v.Kind, v.TimePrecision))
		case *model.Message:
			line := fmt.Sprintf("%s %s %s %q", v.Time, v.Sender, v.Kind, v.Text)
			for _, a := range v.Attachments {
				line += fmt.Sprintf(" [%s %s %d missing=%t]", a.Name, a.Kind, a.Size, a.Missing)
			}
			got = append(got, line)
		}
	}
	want := []string{
		"chat Ann Example direct second",
		`2013-09-04T15:06:40Z 447700900123@s.whatsapp.net text "Hello from 2013"`,
		`2013-09-04T15:07:40Z me media "Old photo" [old.jpg image 1000 missing=true]`,
		"chat Old group group second",
		`2013-09-04T15:08:40Z 447700900456@s.whatsapp.net text "Group hello"`,
		`2013-09-04T15:09:40Z unknown text "From someone unnamed"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A database under a name of the user's choosing is recognised by its
// tables and reads as under its own name; another SQLite database is not.
func TestDetectedUnderAnyName(t *testing.T) {
	dir := t.TempDir()
	renamed := filepath.Join(dir, "chats from my old phone.db")
	importertest.CopyFile(t, in.Database, renamed)
	// With 64 KiB pages the schema sits at the end of the first page, out
	// of the head that detection sees first: only the tables can tell.
	importertest.ExecSQL(t, renamed, "PRAGMA journal_mode = DELETE; PRAGMA page_size = 65536; VACUUM")
	if b, err := os.ReadFile(renamed); err != nil || bytes.Contains(b[:importers.HeadSize], []byte("ZWA")) {
		t.Fatalf("the copy's head names the tables (%v): the test would not reach the tables", err)
	}
	if f, err := importers.Detect(importertest.OpenSource(t, renamed)); err != nil || f.Name != "whatsapp-ios" {
		t.Fatalf("detected as %v, %v; want whatsapp-ios", f, err)
	}
	items, err := open(t, renamed, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := open(t, in.Database, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(want) || len(chats(items)) != len(chats(want)) {
		t.Errorf("renamed: %d items in %d chats, under its own name %d in %d", len(items), len(chats(items)), len(want), len(chats(want)))
	}
	other := filepath.Join(dir, "other.sqlite")
	if err := iosfixture.Exec(other, "testdata/other.sql"); err != nil {
		t.Fatal(err)
	}
	if f, err := importers.Detect(importertest.OpenSource(t, other)); err == nil && f.Name == "whatsapp-ios" {
		t.Errorf("an SQLite database without WhatsApp's tables is detected as whatsapp-ios")
	}
}
