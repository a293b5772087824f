package telegramimport_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/whatsapptext/peer"
	"github.com/chatferry/chatferry/exporters/telegramimport"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

func TestKit(t *testing.T) {
	exportertest.Run(t, "telegram-import",
		exportertest.Case{},
		exportertest.Case{Name: "hostile", Input: "testdata/hostile.json"},
	)
}

// The zips' contents, for review: the transcripts in full, media as size
// and hash.
func TestZipContents(t *testing.T) {
	for _, c := range []struct{ name, input string }{
		{"sample", exportertest.Sample(t)},
		{"hostile", "testdata/hostile.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := write(t, c.input)
			importertest.Golden(t, filepath.Join("testdata", "golden", c.name+".zips.txtar"), listZips(t, out))
		})
	}
}

func write(t *testing.T, input string) string {
	t.Helper()
	f, err := exporters.Lookup("telegram-import")
	if err != nil {
		t.Fatal(err)
	}
	items := exportertest.Input(t, input, "json")
	out, _ := exportertest.Write(t, f, items, exporters.Options{TZ: berlin(t)})
	return out
}

func berlin(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func listZips(t *testing.T, out string) []byte {
	var ar txtar.Archive
	zips, _ := filepath.Glob(filepath.Join(out, "*.zip"))
	sort.Strings(zips)
	for _, zp := range zips {
		zr, err := zip.OpenReader(zp)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			data := readEntry(t, f)
			name := filepath.Base(zp) + "/" + f.Name + " (" + f.Modified.UTC().Format(time.DateTime) + ")"
			if strings.HasSuffix(f.Name, ".txt") && f.Name == strings.TrimSuffix(filepath.Base(zp), ".zip")+".txt" {
				ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
				continue
			}
			ar.Files = append(ar.Files, txtar.File{Name: name,
				Data: fmt.Appendf(nil, "%d bytes, sha256 %x\n", len(data), sha256.Sum256(data))})
		}
		zr.Close()
	}
	return txtar.Format(&ar)
}

func readEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Every zip holds its transcript first, then exactly the files the
// transcript names, and nothing escapes the output folder.
func TestZipShape(t *testing.T) {
	out := write(t, "testdata/hostile.json")
	var names []string
	filepath.WalkDir(filepath.Dir(out), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Dir(out), p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	want := []string{
		"out-telegram-import/" + exporters.Marker,
		"out-telegram-import/WhatsApp Chat with Ann Example (2).zip",
		"out-telegram-import/WhatsApp Chat with Ann Example.zip",
		"out-telegram-import/WhatsApp Chat with .._.._AC_DC_ fans.zip",
	}
	sort.Strings(names)
	sort.Strings(want)
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("output files:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	for _, zp := range names {
		if path.Base(zp) == exporters.Marker {
			continue
		}
		zr, err := zip.OpenReader(filepath.Join(filepath.Dir(out), zp))
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(zp), ".zip")
		if zr.File[0].Name != base+".txt" {
			t.Errorf("%s: first entry %q, want the transcript", zp, zr.File[0].Name)
		}
		transcript := string(readEntry(t, zr.File[0]))
		for _, f := range zr.File[1:] {
			if !fs.ValidPath(f.Name) || strings.ContainsAny(f.Name, `/\`) {
				t.Errorf("%s: entry %q is not a plain file name", zp, f.Name)
			}
			if !strings.Contains(transcript, f.Name+" (file attached)") {
				t.Errorf("%s: entry %q is not named in the transcript", zp, f.Name)
			}
		}
		zr.Close()
	}
}

func TestMediaName(t *testing.T) {
	for _, tc := range []struct{ name, mime, want string }{
		{"IMG-20240301-WA0001.jpg", "", "IMG-20240301-WA0001.jpg"},
		{"Report (final).pdf", "", "Report_final.pdf"},
		{"../../../etc/passwd", "", "passwd.bin"},
		{"voice", "audio/ogg", "voice.opus"},
		{"Отчёт за март.txt", "", "Отчёт_за_март.txt"},
		{"Carla Example.vcf", "", "Carla_Example.vcf"},
		{".hidden", "", "hidden.bin"},
		{"a.tar.gz", "", "a_tar.gz"},
		{"photo.jpg ", "", "photo.jpg"},
		{"x.j pg", "image/jpeg", "x_j_pg.jpg"},
		{"", "", "file.bin"},
	} {
		if got := telegramimport.MediaName(tc.name, tc.mime); got != tc.want {
			t.Errorf("MediaName(%q, %q) = %q, want %q", tc.name, tc.mime, got, tc.want)
		}
	}
}

// The npm whatsapp-chat-parser reads every transcript back with its
// messages' times, authors, texts and attachment names, and every name
// it reads is a file of the zip with the content of the input's file.
func TestPeerReadsOutput(t *testing.T) {
	for _, in := range []string{exportertest.Sample(t), "testdata/hostile.json"} {
		t.Run(filepath.Base(in), func(t *testing.T) {
			items := exportertest.Input(t, in, "json")
			out := write(t, in)
			for _, chat := range chats(items) {
				checkChatWithPeer(t, out, chat)
			}
		})
	}
}

type chatItems struct {
	chat *model.Chat
	msgs []*model.Message
}

func chats(items []model.Item) []chatItems {
	var list []chatItems
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			list = append(list, chatItems{chat: v})
		case *model.Message:
			list[len(list)-1].msgs = append(list[len(list)-1].msgs, v)
		}
	}
	return list
}

// zipFor finds the zip whose transcript holds the chat's first message
// time, or the only zip left for a chat without messages.
func checkChatWithPeer(t *testing.T, out string, c chatItems) {
	zp := findZip(t, out, c)
	zr, err := zip.OpenReader(zp)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	txt := filepath.Join(t.TempDir(), "chat.txt")
	if err := os.WriteFile(txt, readEntry(t, zr.File[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	got := peer.Parse(t, txt)
	peer.Compare(t, c.chat, c.msgs, got, peer.Options{TZ: berlin(t), Names: zipNames(t, zp, c), SystemColons: true})
}

// zipNames returns the file name each record of c must name in the zip.
func zipNames(t *testing.T, zp string, c chatItems) peer.Names {
	zr, err := zip.OpenReader(zp)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	entries := map[string][]byte{}
	var order []string
	for _, f := range zr.File[1:] {
		entries[f.Name] = readEntry(t, f)
		order = append(order, f.Name)
	}
	return expectedNames(t, c, order, entries)
}

// expectedNames maps each record to the zip entry that holds its file:
// entries follow the order in which files first appear, a file that
// appears again keeps its entry, and each entry's bytes must be the
// input file's.
func expectedNames(t *testing.T, c chatItems, order []string, entries map[string][]byte) peer.Names {
	byPath := map[string]string{}
	byRecord := map[string]string{}
	next := 0
	take := func() string {
		if next >= len(order) {
			t.Fatalf("chat %s: the zip holds fewer files than the transcript needs", c.chat.ID)
		}
		next++
		return order[next-1]
	}
	for _, m := range c.msgs {
		switch {
		case len(m.Attachments) > 0 && m.Kind != model.KindDeleted && m.Kind != model.KindViewOnce:
			for i, a := range m.Attachments {
				if a.Omitted || a.Path == "" || c.chat.Media == nil {
					continue
				}
				want, err := fs.ReadFile(c.chat.Media, a.Path)
				if err != nil {
					continue // unreadable: written as omitted
				}
				name, ok := byPath[a.Path]
				if !ok {
					name = take()
					byPath[a.Path] = name
				}
				if !bytes.Equal(entries[name], want) {
					t.Errorf("message %s: zip entry %q does not hold %s", m.ID, name, a.Path)
				}
				byRecord[fmt.Sprint(m.ID, "/", i)] = name
			}
		case m.Kind == model.KindContact && len(m.Contacts) > 0:
			for i, ct := range m.Contacts {
				name := take()
				if !bytes.Contains(entries[name], []byte("BEGIN:VCARD")) || (len(ct.Phones) > 0 && !bytes.Contains(entries[name], []byte(ct.Phones[0]))) {
					t.Errorf("message %s: zip entry %q is not the card of %q", m.ID, name, ct.Name)
				}
				byRecord[fmt.Sprint(m.ID, "/", i)] = name
			}
		}
	}
	if next != len(order) {
		t.Errorf("chat %s: the zip holds %d files, the transcript names %d", c.chat.ID, len(order), next)
	}
	return func(_ *model.Chat, m *model.Message, i int) string { return byRecord[fmt.Sprint(m.ID, "/", i)] }
}

func findZip(t *testing.T, out string, c chatItems) string {
	zips, _ := filepath.Glob(filepath.Join(out, "*.zip"))
	sort.Strings(zips)
	for _, zp := range zips {
		zr, err := zip.OpenReader(zp)
		if err != nil {
			t.Fatal(err)
		}
		text := string(readEntry(t, zr.File[0]))
		zr.Close()
		if len(c.msgs) == 0 && text == "" {
			return zp
		}
		if len(c.msgs) > 0 && strings.Contains(text, c.msgs[0].Text) && strings.HasPrefix(text, header(t, c.msgs[0])) {
			return zp
		}
	}
	t.Fatalf("no zip for chat %s", c.chat.ID)
	return ""
}

func header(t *testing.T, m *model.Message) string {
	w := m.Time.Wall()
	if !m.Time.IsFloating() {
		w = m.Time.In(berlin(t))
	}
	return w.Format("02/01/2006, 15:04 - ")
}

// The report names what Telegram will not get.
func TestReport(t *testing.T) {
	f, _ := exporters.Lookup("telegram-import")
	items := exportertest.Input(t, "testdata/hostile.json", "json")
	_, rep := exportertest.Write(t, f, items, exporters.Options{TZ: time.UTC})
	var got []string
	for _, l := range rep.Losses() {
		got = append(got, l.String())
	}
	got = append(got, rep.Notes()...)
	want := []string{
		"kept partly 1 system event",
		"kept partly 2 attachments",
		`hostile.json:15: the media file "../../../etc/passwd" cannot be read from the input: its path is not a plain path inside the input`,
		`1 system event holds ": "; an invisible U+200B was written after the colon so readers do not take it for a message`,
		"1 message with several attachments or contact cards was written as one record for each, as WhatsApp does",
		`2 attachments without their files were written as "<Media omitted>", which does not name them`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
