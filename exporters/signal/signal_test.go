package signal

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
	"github.com/chatferry/chatferry/exporters/signal/signalcheck"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

var asText = exporters.Values{optUnmatched: "as-text"}

func TestKit(t *testing.T) {
	exportertest.Run(t, "signal", exportertest.Case{
		NoGolden: "the backup holds random keys; TestSample compares its decrypted content",
		Options:  exporters.Options{Values: asText},
	})
}

// The sample, decrypted by the project's own reader, gives back what was
// written: people, chats, times, texts, media, quotes and reactions.
func TestSample(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key := mustExport(t, dest, sampleItems(t), asText)
	s, d := open(t, dest, key)
	importertest.Golden(t, filepath.Join("testdata", "golden", "sample.txt"), []byte(render(t, s, d)))
	// The media come back byte for byte.
	want, err := os.ReadFile(filepath.Join(importertest.ModuleRoot(t), "testdata", "json", "media", "IMG-20240301-WA0001.png"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range d.Items {
		for _, a := range it.Attachments {
			if a.FileName == "IMG-20240301-WA0001.png" {
				var got bytes.Buffer
				if err := backup.DecryptAttachment(&got, backup.MediaPath(s.Root, backup.MediaName(a.PlaintextHash, a.LocalKey)), a.LocalKey, a.Size, a.PlaintextHash); err != nil {
					t.Fatal(err)
				}
				found = bytes.Equal(got.Bytes(), want)
			}
		}
	}
	if !found {
		t.Error("the photo did not come back byte for byte")
	}
	// Every file the snapshot lists is in the store, and nothing else is.
	for _, name := range d.Files {
		if _, err := os.Stat(backup.MediaPath(s.Root, name)); err != nil {
			t.Error(err)
		}
	}
	entries, _ := os.ReadDir(dest)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := snapshotRE.ReplaceAllString(strings.Join(names, " "), "signal-backup-TIME"); got != ".nomedia files signal-backup-TIME" {
		t.Errorf("SignalBackups holds %s", got)
	}
}

// One changed byte anywhere in main, and a wrong key, make the reader fail.
func TestCorruption(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key := mustExport(t, dest, sampleItems(t), asText)
	s, _ := open(t, dest, key)
	main := filepath.Join(s.Dir, "main")
	orig, _ := os.ReadFile(main)
	for _, i := range []int{0, 20, len(orig) / 2, len(orig) - 1} {
		bad := bytes.Clone(orig)
		bad[i] ^= 0x10
		os.WriteFile(main, bad, 0o644)
		if _, err := backup.OpenSnapshot(s.Root, filepath.Base(s.Dir), key); !errors.Is(err, backup.ErrAuth) {
			t.Errorf("byte %d changed: %v, want ErrAuth", i, err)
		}
	}
	os.WriteFile(main, orig, 0o644)
	if _, err := backup.OpenSnapshot(s.Root, filepath.Base(s.Dir), backup.GenerateRecoveryKey()); !errors.Is(err, backup.ErrAuth) {
		t.Errorf("wrong key: %v, want ErrAuth", err)
	}
}

// By default senders without a phone number stop the export before
// anything is written, and are listed with their message counts.
func TestUnmatchedStops(t *testing.T) {
	dir := t.TempDir()
	_, _, err := export(t, filepath.Join(dir, "SignalBackups"), sampleItems(t), nil)
	if !isUnmatched(err) {
		t.Fatalf("got %v, want the unmatched senders", err)
	}
	if !strings.Contains(err.Error(), `~ Dave (1 message in "Trip 2024 ✈️")`) {
		t.Errorf("the error does not list Dave with his count:\n%v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a stopped export left %v", left)
	}
}

// A sender without a number who wrote in several chats is listed once,
// with every chat.
func TestUnmatchedInSeveralChats(t *testing.T) {
	at := model.Floating(2024, 3, 1, 9, 0, 0, 0, model.PrecisionMinute)
	var items []model.Item
	for _, title := range []string{"Chess club", "Book club"} {
		items = append(items,
			&model.Chat{ID: model.ChatID(title), Title: title, Kind: model.Group, Format: "test", TimePrecision: model.PrecisionMinute,
				Participants: []model.Participant{{ID: "z", Name: "Zed"}}},
			&model.Message{ID: "m1", Time: at, Sender: "z", Kind: model.KindText, Text: "hi"})
	}
	_, _, err := export(t, filepath.Join(t.TempDir(), "SignalBackups"), items, nil)
	if !isUnmatched(err) || !strings.Contains(err.Error(), `Zed (2 messages in "Chess club", "Book club")`) {
		t.Errorf("got %v, want Zed listed once with both chats", err)
	}
}

// A contacts file gives numbers to people the export names only.
func TestContactsFile(t *testing.T) {
	dir := t.TempDir()
	vcf := filepath.Join(dir, "contacts.vcf")
	os.WriteFile(vcf, []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN:;Dave;;;\r\nFN:~ Dave\r\nTEL;CELL:+44 7700 900999\r\nEND:VCARD\r\n"), 0o644)
	dest := filepath.Join(dir, "SignalBackups")
	key := mustExport(t, dest, sampleItems(t), exporters.Values{optContacts: vcf})
	_, d := open(t, dest, key)
	var dave *backup.DecodedRecipient
	for _, r := range d.Recipients {
		if r.E164 == 447700900999 {
			dave = r
		}
	}
	if dave == nil || dave.Name != "Dave" {
		t.Fatalf("no contact for Dave's number: %+v", dave)
	}
	for _, it := range d.Items {
		if strings.HasPrefix(it.Text, "~ Dave:") || strings.HasPrefix(it.Text, "Dave:") {
			t.Errorf("Dave's message kept as text although he has a number: %q", it.Text)
		}
	}
}

// Minute-resolution times become unique, ordered instants; a time that
// goes back keeps its value.
func TestTimes(t *testing.T) {
	chat := &model.Chat{ID: "c", Title: "Ann", Kind: model.Direct, Participants: []model.Participant{
		{ID: "a", Name: "Ann", Phone: "+447700900123"}, {ID: "b", Name: "Ben Sample", Me: true}}}
	at := func(h, m int) model.Timestamp { return model.Floating(2024, 3, 1, h, m, 0, 0, model.PrecisionMinute) }
	items := []model.Item{chat}
	for i, c := range []struct {
		who  model.ParticipantID
		h, m int
	}{{"a", 10, 0}, {"b", 10, 0}, {"a", 10, 0}, {"a", 10, 1}, {"b", 9, 30}, {"a", 9, 30}} {
		items = append(items, &model.Message{ID: model.MessageID(rune('1' + i)), Sender: c.who, Kind: model.KindText,
			Text: string(rune('A' + i)), Time: at(c.h, c.m), Source: model.Pos{File: "x", Line: i + 1}})
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key, rep, err := export(t, dest, items, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, d := open(t, dest, key)
	var got []string
	for _, it := range d.Items {
		got = append(got, it.Text+"@"+strings.TrimPrefix(strings.TrimPrefix(
			strings.TrimSuffix(msTime(it.DateSent), "Z"), "2024-03-01T"), "0"))
	}
	// Berlin is UTC+1 in March: 10:00 is 09:00Z.
	want := "E@8:30:00.000 F@8:30:00.001 A@9:00:00.000 B@9:00:00.001 C@9:00:00.002 D@9:01:00.000"
	if strings.Join(got, " ") != want {
		t.Errorf("times\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if !strings.Contains(strings.Join(rep.Notes(), "\n"), "1 message is dated before the message before it in its chat") {
		t.Errorf("the report does not mention the time that goes back: %q", rep.Notes())
	}
}

// A sort through temporary files gives the same backup as one in memory.
func TestSpill(t *testing.T) {
	defer func(n int) { spillLimit = n }(spillLimit)
	items := sampleItems(t)
	var renders []string
	for _, limit := range []int{1 << 30, 1} {
		spillLimit = limit
		dest := filepath.Join(t.TempDir(), "SignalBackups")
		key := mustExport(t, dest, items, asText)
		s, d := open(t, dest, key)
		renders = append(renders, render(t, s, d))
	}
	if renders[0] != renders[1] {
		t.Errorf("spilled sort differs:\n%s\n---\n%s", renders[0], renders[1])
	}
}

// A new backup never goes into a folder that holds one.
func TestFreshRefusesExisting(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	mustExport(t, dest, sampleItems(t), asText)
	before := listing(t, dest)
	_, _, err := export(t, dest, sampleItems(t), asText)
	if err == nil || !strings.Contains(err.Error(), "already holds a Signal backup") {
		t.Fatalf("got %v", err)
	}
	if listing(t, dest) != before {
		t.Error("the refused export changed the folder")
	}
}

// The backups the tests write pass Signal's own validator, and a changed
// byte makes it fail.
func TestValidator(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh", "SignalBackups")
	os.Mkdir(filepath.Dir(fresh), 0o755)
	freshKey := mustExport(t, fresh, sampleItems(t), asText)

	merged, mergedKey := mergeFixture(t, filepath.Join(dir, "merged"))

	broken := filepath.Join(dir, "broken", "SignalBackups")
	os.Mkdir(filepath.Dir(broken), 0o755)
	brokenKey := mustExport(t, broken, sampleItems(t), asText)
	s, _ := open(t, broken, brokenKey)
	data, _ := os.ReadFile(filepath.Join(s.Dir, "main"))
	data[len(data)/2] ^= 1
	os.WriteFile(filepath.Join(s.Dir, "main"), data, 0o644)

	badMedia := filepath.Join(dir, "badmedia", "SignalBackups")
	os.Mkdir(filepath.Dir(badMedia), 0o755)
	badMediaKey := mustExport(t, badMedia, sampleItems(t), asText)
	_, d := open(t, badMedia, badMediaKey)
	media := backup.MediaPath(badMedia, d.Files[0])
	data, _ = os.ReadFile(media)
	data[20] ^= 1
	os.WriteFile(media, data, 0o644)

	res := signalcheck.Run(t, []signalcheck.Job{
		{ID: "fresh", Kind: "local", Dir: fresh, Key: backup.DisplayRecoveryKey(freshKey)},
		{ID: "merged", Kind: "local", Dir: merged, Key: mergedKey},
		{ID: "broken", Kind: "local", Dir: broken, Key: brokenKey},
		{ID: "badmedia", Kind: "local", Dir: badMedia, Key: badMediaKey},
	})
	for _, id := range []string{"fresh", "merged"} {
		if r := res[id]; !r.OK {
			t.Errorf("%s: the validator rejects the backup: %v %v", id, r.Errors, r.Unknown)
		} else if r.Attachments == 0 {
			t.Errorf("%s: no attachment was checked", id)
		}
	}
	if r := res["broken"]; r.OK || !strings.Contains(strings.Join(r.Errors, " "), "HMAC") {
		t.Errorf("a changed byte in main: %+v", r)
	}
	if r := res["badmedia"]; r.OK || !strings.Contains(strings.Join(r.Errors, " "), "attachment HMAC") {
		t.Errorf("a changed byte in an attachment: %+v", r)
	}
}

// A voice note alone keeps its flag; with text Signal needs it as an
// ordinary audio file.
func TestVoiceNote(t *testing.T) {
	chat := &model.Chat{ID: "c", Title: "Ann", Kind: model.Direct, Participants: []model.Participant{
		{ID: "a", Name: "Ann", Phone: "+447700900123"}, {ID: "b", Name: "Ben Sample", Me: true}},
		Media: fstest.MapFS{"PTT-1.opus": {Data: []byte("OggS voice")}}}
	voice := model.Attachment{Name: "PTT-1.opus", Kind: model.MediaVoice, Path: "PTT-1.opus"}
	at := model.Floating(2024, 3, 1, 10, 0, 0, 0, model.PrecisionMinute)
	items := []model.Item{chat,
		&model.Message{ID: "1", Sender: "a", Kind: model.KindMedia, Attachments: []model.Attachment{voice}, Time: at, Source: model.Pos{File: "x", Line: 1}},
		&model.Message{ID: "2", Sender: "a", Kind: model.KindMedia, Text: "listen", Attachments: []model.Attachment{voice}, Time: at, Source: model.Pos{File: "x", Line: 2}},
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key := mustExport(t, dest, items, nil)
	_, d := open(t, dest, key)
	if len(d.Items) != 2 || len(d.Items[0].Attachments) != 1 || len(d.Items[1].Attachments) != 1 {
		t.Fatalf("items %+v", d.Items)
	}
	if f := d.Items[0].Attachments[0].Flag; f != attachmentVoice {
		t.Errorf("a voice note alone has flag %d", f)
	}
	if f := d.Items[1].Attachments[0].Flag; f != 0 || d.Items[1].Text != "listen" {
		t.Errorf("a voice note with text has flag %d, text %q", f, d.Items[1].Text)
	}
	if ct := d.Items[0].Attachments[0].ContentType; ct != "audio/ogg" {
		t.Errorf("content type %q", ct)
	}
}

// WhatsApp's formatting becomes Signal's body ranges over the text
// without its marks, wherever the text stands in the body.
func TestFormatting(t *testing.T) {
	chat := func(id, format string) *model.Chat {
		return &model.Chat{ID: model.ChatID(id), Title: id, Kind: model.Group, Format: format,
			Participants: []model.Participant{{ID: "a", Name: "Ann", Phone: "+447700900123"}, {ID: "z", Name: "Zed"}, {ID: "b", Name: "Ben Sample", Me: true}}}
	}
	msg := func(id, sender, text string) *model.Message {
		n, _ := strconv.Atoi(id)
		return &model.Message{ID: model.MessageID(id), Sender: model.ParticipantID(sender), Kind: model.KindText, Text: text,
			Time: model.Floating(2024, 3, 1, 10, n, 0, 0, model.PrecisionMinute)}
	}
	photo := msg("4", "a", "*caption*")
	photo.Kind, photo.Attachments = model.KindMedia, []model.Attachment{{Name: "IMG-1.jpg", Kind: model.MediaImage, Missing: true}}
	items := []model.Item{chat("wa", "whatsapp"),
		msg("1", "a", "👋 *bold _both_* ~gone~ ```x := 1``` `y`"),
		msg("2", "z", "*hi* there"),
		msg("3", "a", "2*3*4 snake_case"),
		photo,
		chat("tg", "telegram-json"),
		msg("5", "a", "*stays*"),
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key := mustExport(t, dest, items, asText)
	d := openValid(t, dest, key)
	type styled struct {
		text   string
		styles []string
	}
	want := []styled{
		{"👋 bold both gone x := 1 y", []string{"bold bold both", "italic both", "strikethrough gone", "monospace x := 1", "monospace y"}},
		{"Zed: hi there", []string{"bold hi"}},
		{"2*3*4 snake_case", nil},
		{"[Photo IMG-1.jpg: missing from the export]\ncaption", []string{"bold caption"}},
		{"*stays*", nil},
	}
	if len(d.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(d.Items), len(want))
	}
	for i, it := range d.Items {
		var got []string
		for _, r := range it.Styles {
			got = append(got, styleNames[r.Style]+" "+utf16Slice(it.Text, r.Start, r.Length))
		}
		if it.Text != want[i].text || strings.Join(got, "|") != strings.Join(want[i].styles, "|") {
			t.Errorf("item %d: %q %q, want %q %q", i+1, it.Text, got, want[i].text, want[i].styles)
		}
	}
}

// Body ranges stay inside the text, are never empty, and a style's ranges
// neither overlap nor touch (a run of a style is one range).
func FuzzStyledText(f *testing.F) {
	for _, s := range []string{"👋 *bold _both_* ~gone~ ```x := 1``` `y`", "*a* *b*", "_𝄞*x*𝄞_", "2*3*4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, styles := styledText(s)
		n := uint64(utf16Len(text))
		end := map[uint64]uint64{}
		for _, r := range styles {
			if r.length == 0 || r.start+r.length > n {
				t.Fatalf("%q: range %+v in a text of %d units", s, r, n)
			}
			if e, ok := end[r.style]; ok && r.start <= e {
				t.Fatalf("%q: style %d ranges overlap or touch: %+v", s, r.style, styles)
			}
			end[r.style] = r.start + r.length
		}
	})
}

// Signal's validator refuses a quote of more than 2,048 bytes and styles
// on a text of more than 128 KiB: such quotes are shortened, such texts
// keep their marks, and the backup stays valid.
func TestSignalLimits(t *testing.T) {
	chat := &model.Chat{ID: "c", Title: "Ann", Kind: model.Direct, Format: "whatsapp", Participants: []model.Participant{
		{ID: "a", Name: "Ann", Phone: "+447700900123"}, {ID: "b", Name: "Ben Sample", Me: true}}}
	at := func(min int) model.Timestamp { return model.Floating(2024, 3, 1, 10, min, 0, 0, model.PrecisionMinute) }
	longStyled := "*start* " + strings.Repeat("é", maxStyledBody/2)
	longQuote := strings.Repeat("😀", maxQuoteText) // 4 bytes each
	items := []model.Item{chat,
		&model.Message{ID: "1", Sender: "a", Kind: model.KindText, Text: longStyled, Time: at(0)},
		&model.Message{ID: "2", Sender: "b", Kind: model.KindText, Text: "*re*", Time: at(1),
			Quote: &model.Quote{Sender: "a", Text: longQuote}},
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key, rep, err := export(t, dest, items, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := openValid(t, dest, key)
	if len(d.Items) != 2 {
		t.Fatalf("%d items", len(d.Items))
	}
	if it := d.Items[0]; it.Text != longStyled || len(it.Styles) != 0 {
		t.Errorf("a styled text over 128 KiB: %d bytes, %d styles; want it as typed, unstyled", len(it.Text), len(it.Styles))
	}
	it := d.Items[1]
	if it.Quote == nil || len(it.Quote.Text) > maxQuoteText || !strings.HasSuffix(it.Quote.Text, "😀…") {
		t.Fatalf("quote %+v", it.Quote)
	}
	if it.Text != "re" || len(it.Styles) != 1 {
		t.Errorf("the reply: %q %+v", it.Text, it.Styles)
	}
	if l := rep.Losses(); len(l) != 1 || l[0] != (exporters.Loss{Feature: model.FeatureReplies, Support: exporters.Partial, Count: 1}) {
		t.Errorf("losses %+v, want the shortened quote as one reply kept partly", l)
	}
}

// A message that is nothing but one shared contact becomes Signal's own
// contact card; anything more stays text, and a reply quotes the card.
func TestNativeContact(t *testing.T) {
	chat := &model.Chat{ID: "c", Title: "Group", Kind: model.Group, Format: "whatsapp", Participants: []model.Participant{
		{ID: "a", Name: "Ann", Phone: "+447700900123"}, {ID: "z", Name: "Zed"}, {ID: "b", Name: "Ben Sample", Me: true}}}
	at := func(min int) model.Timestamp { return model.Floating(2024, 3, 1, 10, min, 0, 0, model.PrecisionMinute) }
	carla := model.Contact{Name: "Carla Example", Phones: []string{"+44 7700 900456", "+49 30 1234567"}}
	msg := func(id string, min int, sender string, text string, contacts ...model.Contact) *model.Message {
		return &model.Message{ID: model.MessageID(id), Sender: model.ParticipantID(sender), Kind: model.KindContact,
			Text: text, Contacts: contacts, Time: at(min)}
	}
	reply := &model.Message{ID: "r", Sender: "b", Kind: model.KindText, Text: "thanks", ReplyTo: "1", Time: at(5)}
	items := []model.Item{chat,
		msg("1", 0, "a", "", carla),
		msg("2", 1, "a", "her new number", carla),
		msg("3", 2, "a", "", carla, model.Contact{Name: "Dan"}),
		msg("4", 3, "z", "", carla),
		msg("5", 4, "a", "", model.Contact{}),
		reply,
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key := mustExport(t, dest, items, asText)
	d := openValid(t, dest, key)
	if got, want := itemKinds(d), "contact standard standard standard standard standard"; got != want {
		t.Fatalf("kinds %q, want %q", got, want)
	}
	if c := d.Items[0].Contact; c == nil || c.GivenName != "Carla Example" ||
		strings.Join(c.Numbers, " ") != "+44 7700 900456/2 +49 30 1234567/2" {
		t.Errorf("card %+v", c)
	}
	if q := d.Items[5].Quote; q == nil || q.Text != "👤 Carla Example +44 7700 900456, +49 30 1234567" || q.Target != d.Items[0].DateSent {
		t.Errorf("the reply's quote %+v", q)
	}
}

// A poll Signal can hold whole becomes a Signal poll; one it cannot (in a
// one-to-one chat, votes without voters, a voter Signal does not know,
// over-long wording, one option) stays text with its counts.
func TestNativePoll(t *testing.T) {
	people := []model.Participant{{ID: "a", Name: "Ann", Phone: "+447700900123"}, {ID: "c", Name: "Carla", Phone: "+447700900456"},
		{ID: "z", Name: "Zed"}, {ID: "b", Name: "Ben Sample", Me: true}}
	group := &model.Chat{ID: "g", Title: "Group", Kind: model.Group, Format: "whatsapp", Participants: people}
	direct := &model.Chat{ID: "d", Title: "Ann", Kind: model.Direct, Format: "whatsapp", Participants: []model.Participant{people[0], people[3]}}
	n := 0
	poll := func(q string, multiple bool, opts ...model.PollOption) *model.Message {
		n++
		return &model.Message{ID: model.MessageID(strconv.Itoa(n)), Sender: "a", Kind: model.KindPoll, Text: q,
			Poll: &model.Poll{Question: q, Multiple: multiple, Options: opts}, Time: model.Floating(2024, 3, 1, 10, n, 0, 0, model.PrecisionMinute)}
	}
	opt := func(text string, voters ...model.ParticipantID) model.PollOption {
		return model.PollOption{Text: text, Votes: len(voters), Voters: voters}
	}
	counted := model.PollOption{Text: "Yes", Votes: 3} // a text export's count, voters unknown
	items := []model.Item{group,
		poll("Lunch?", false, opt("Pizza", "a", "b"), opt("Sushi", "c")),
		poll("Which days?", true, opt("Mon", "a", "c"), opt("Tue", "a")),
		poll("Counts only?", false, counted, opt("No")),
		poll("Zed voted?", false, opt("Yes", "z"), opt("No")),
		poll(strings.Repeat("q", 101), false, opt("Yes"), opt("No")),
		poll("One option?", false, opt("Yes", "a")),
		poll("Twice?", false, opt("Yes", "a"), opt("No", "a")),
		direct,
		poll("Direct?", false, opt("Yes", "a"), opt("No")),
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key, rep, err := export(t, dest, items, asText)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range rep.Losses() {
		if l.Feature == model.FeaturePolls && (l.Support != exporters.Partial || l.Count != 6) {
			t.Errorf("polls in the report: %v, want the 6 written as text kept partly", l)
		}
	}
	d := openValid(t, dest, key)
	if got, want := itemKinds(d), "poll poll standard standard standard standard standard standard"; got != want {
		t.Fatalf("kinds %q, want %q", got, want)
	}
	if p := d.Items[1].Poll; !p.Multiple || len(p.Options) != 2 || len(p.Options[0].Voters) != 2 || len(p.Options[1].Voters) != 1 {
		t.Errorf("the multiple-choice poll: %+v", p)
	}
	if got := d.Items[2].Text; got != "📊 Poll: Counts only?\n• Yes (3 votes)\n• No (0 votes)" {
		t.Errorf("a poll with counts only: %q", got)
	}
}

// A call in a one-to-one chat whose length no one knows becomes Signal's
// own call event; a call with a length, or in a group, stays text.
func TestNativeCall(t *testing.T) {
	ann := model.Participant{ID: "a", Name: "Ann", Phone: "+447700900123"}
	me := model.Participant{ID: "b", Name: "Ben Sample", Me: true}
	direct := &model.Chat{ID: "d", Title: "Ann", Kind: model.Direct, Format: "whatsapp", Participants: []model.Participant{ann, me}}
	group := &model.Chat{ID: "g", Title: "Group", Kind: model.Group, Format: "whatsapp", Participants: []model.Participant{ann, me}}
	zed := &model.Chat{ID: "z", Title: "Zed", Kind: model.Direct, Format: "whatsapp", Participants: []model.Participant{{ID: "z", Name: "Zed"}, me}}
	n := 0
	call := func(sender model.ParticipantID, c model.Call) *model.Message {
		n++
		return &model.Message{ID: model.MessageID(strconv.Itoa(n)), Sender: sender, Kind: model.KindCall, Call: &c,
			Time: model.Floating(2024, 3, 1, 10, n, 0, 0, model.PrecisionMinute)}
	}
	items := []model.Item{direct,
		call("a", model.Call{Missed: true}),
		call("b", model.Call{Missed: true, Video: true}),
		call("a", model.Call{}),
		call("a", model.Call{Duration: 75 * time.Second}),
		group,
		call("a", model.Call{Missed: true}),
		zed, // no number: the chat becomes a group of text, its calls too
		call("z", model.Call{Missed: true}),
		call("b", model.Call{Missed: true}),
	}
	dest := filepath.Join(t.TempDir(), "SignalBackups")
	key, rep, err := export(t, dest, items, asText)
	if err != nil {
		t.Fatal(err)
	}
	d := openValid(t, dest, key)
	var got []string
	for _, it := range d.Items {
		if c := it.Call; c != nil {
			got = append(got, fmt.Sprintf("call %d/%d/%d", c.Type, c.Direction, c.State))
		} else {
			got = append(got, it.Kind+" "+it.Text)
		}
	}
	want := []string{"call 1/1/3", "call 2/2/2", "call 1/1/1", "standard 📞 Voice call (1m15s)", "standard 📞 Missed voice call",
		"standard Zed: 📞 Missed voice call", "standard 📞 Missed voice call"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("calls:\n got %q\nwant %q", got, want)
	}
	for _, l := range rep.Losses() {
		if l.Feature == model.FeatureCalls && (l.Support != exporters.Partial || l.Count != 4) {
			t.Errorf("calls in the report: %v, want the 4 written as text kept partly", l)
		}
	}
}
