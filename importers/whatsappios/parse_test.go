package whatsappios

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chatferry/chatferry/model"
)

func TestDocumentName(t *testing.T) {
	for _, tc := range []struct{ stored, title, text, name, caption string }{
		{"Report.pdf", "Report.pdf", "The report", "Report.pdf", "The report"},
		{"a1b2.pdf", "Report.pdf", "", "Report.pdf", ""},
		{"a1b2.pdf", "", "Minutes.docx", "Minutes.docx", ""},
		{"a1b2.pdf", "Read this", "", "a1b2.pdf", "Read this"},
		{"a1b2.pdf", "", "Read this", "a1b2.pdf", "Read this"},
		{"a1b2.pdf", "Same.pdf", "Same.pdf", "Same.pdf", ""},
		{"a1b2.pdf", `C:\Users\ann\Plan.xlsx`, "", "Plan.xlsx", ""},
		{"", "notes.txt", "", "notes.txt", ""},
	} {
		name, caption := documentName(tc.stored, tc.title, tc.text)
		if name != tc.name || caption != tc.caption {
			t.Errorf("documentName(%q, %q, %q) = %q, %q; want %q, %q", tc.stored, tc.title, tc.text, name, caption, tc.name, tc.caption)
		}
	}
}

func TestMIME(t *testing.T) {
	for _, tc := range []struct{ stored, name, want string }{
		{"image/jpeg", "x.png", "image/jpeg"},
		{"audio/ogg; codecs=opus", "x.opus", "audio/ogg; codecs=opus"},
		{"", "x.PDF", "application/pdf"},
		{"BEGIN:VCARD\nEND:VCARD", "x.vcf", "text/vcard"},
		{"", "x.unknown", ""},
		{"", "", ""},
	} {
		if got := mimeOf(tc.stored, tc.name); got != tc.want {
			t.Errorf("mimeOf(%q, %q) = %q, want %q", tc.stored, tc.name, got, tc.want)
		}
	}
}

func TestCleanMediaPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Media/123@s.whatsapp.net/a/b/x.jpg", "Media/123@s.whatsapp.net/a/b/x.jpg"},
		{"/Media/x.jpg", "Media/x.jpg"},
		{"/var/mobile/Containers/Shared/AppGroup/ABC/Message/Media/x.jpg", "Message/Media/x.jpg"},
		{"Media/../../../etc/passwd", ""},
		{"../x", ""},
		{`Media\a\x.jpg`, "Media/a/x.jpg"},
		{"", ""},
		{"/", ""},
	} {
		if got := cleanMediaPath(tc.in); got != tc.want {
			t.Errorf("cleanMediaPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		in    string
		phone bool
	}{
		{"+44 7700 900123", true}, {"\u200e+44 (0) 7700-900123", true}, {"Ann", false}, {"", false}, {"R2-D2", false},
	} {
		if got := isPhoneLike(tc.in); got != tc.phone {
			t.Errorf("isPhoneLike(%q) = %v", tc.in, got)
		}
	}
	if got := cleanName("\u200eTú \u202a"); got != "Tú" {
		t.Errorf("cleanName = %q", got)
	}
	if got := phoneOf("447700900123@s.whatsapp.net"); got != "+447700900123" {
		t.Errorf("phoneOf = %q", got)
	}
	if got := phoneOf("98765@lid"); got != "" {
		t.Errorf("phoneOf(lid) = %q", got)
	}
	r := &reader{lidPhone: map[string]string{"98765@lid": "447700900555@s.whatsapp.net"}}
	for in, want := range map[string]string{
		"98765@lid":                      "447700900555@s.whatsapp.net",
		"447700900123:12@s.whatsapp.net": "447700900123@s.whatsapp.net",
		"120363@g.us":                    "120363@g.us",
	} {
		if got := r.canon(in); got != want {
			t.Errorf("canon(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEventText(t *testing.T) {
	subject, author, ok := parseSubjectJSON(`{"subject":"Trip ✈️","author":"1@s.whatsapp.net"}`)
	if !ok || subject != "Trip ✈️" || author != "1@s.whatsapp.net" {
		t.Errorf("parseSubjectJSON = %q, %q, %v", subject, author, ok)
	}
	if _, _, ok := parseSubjectJSON(`{"author":"1@s.whatsapp.net"}`); ok {
		t.Error("JSON without a subject read as a rename")
	}
	if _, _, ok := parseSubjectJSON(`{broken`); ok {
		t.Error("broken JSON read as a rename")
	}
	got := eventJIDs("1@s.whatsapp.net, 2@lid;120363@g.us 3@c.us junk")
	want := []string{"1@s.whatsapp.net", "2@lid", "3@c.us"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("eventJIDs = %v, want %v", got, want)
	}
}

func TestReactionTimes(t *testing.T) {
	for in, want := range map[uint64]int64{
		1709284990123: 1709284990123, // milliseconds
		1709284990:    1709284990000, // seconds
		0:             0,
		5:             0,
		1 << 62:       0,
	} {
		if got := reactionMilli(in); got != want {
			t.Errorf("reactionMilli(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestProtoWalker(t *testing.T) {
	// 7 {1 {2 "a@s.whatsapp.net", 3 "👍", 4 1709284990123}}, then 7 {2 {2 "😂"}}
	blob := []byte{0x3A, 0x21, 0x0A, 0x1F, 0x12, 0x10}
	blob = append(blob, "a@s.whatsapp.net"...)
	blob = append(blob, 0x1A, 0x04, 0xF0, 0x9F, 0x91, 0x8D, 0x20, 0xAB, 0xB9, 0xCC, 0xCA, 0xDF, 0x31)
	blob = append(blob, 0x3A, 0x08, 0x12, 0x06, 0x12, 0x04, 0xF0, 0x9F, 0x98, 0x82)
	got := parseReactions(blob)
	want := []rawReaction{{JID: "a@s.whatsapp.net", Emoji: "👍", Milli: 1709284990123}, {Own: true, Emoji: "😂"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseReactions = %+v, want %+v", got, want)
	}
	for _, bad := range [][]byte{{0x3A, 0x50, 0x01}, {0xFF}, {0x00, 0x01}, {0x0B}, {0x3A}} {
		if r := parseReactions(bad); len(r) != 0 {
			t.Errorf("parseReactions(%x) = %v from a broken blob", bad, r)
		}
	}
	q := parseQuote([]byte{0x2A, 0x02, 'i', 'd', 0x32, 0x03, 'a', '@', 'b'})
	if q.Stanza != "id" || q.JID != "a@b" || q.Text != "" {
		t.Errorf("parseQuote = %+v", q)
	}
	// 5 "id", 19 {9 {7 "clip"}}: a quoted video's caption, from the owner
	q = parseQuote([]byte{0x2A, 0x02, 'i', 'd', 0x9A, 0x01, 0x08, 0x4A, 0x06, 0x3A, 0x04, 'c', 'l', 'i', 'p'})
	if q.Stanza != "id" || q.JID != "" || q.Text != "clip" {
		t.Errorf("parseQuote with a quoted video = %+v", q)
	}
	c := parseCall([]byte{0xBA, 0x05, 0x08, 0x0A, 0x06, 0x08, 0x01, 0x10, 0x00, 0x18, 0x7D})
	if !c.Complete || !c.Video || c.Outcome != 0 || c.Seconds != 125 {
		t.Errorf("parseCall = %+v", c)
	}
	if c := parseCall([]byte{0x2A, 0x01, 'x'}); c.Complete {
		t.Errorf("parseCall of a reply's metadata = %+v", c)
	}
	// 8 {2 "Q?", 3 {1 "A"}, 3 {1 "B"}}, after a reaction field
	poll := []byte{0x3A, 0x00, 0x42, 0x0E, 0x12, 0x02, 'Q', '?', 0x1A, 0x03, 0x0A, 0x01, 'A', 0x1A, 0x03, 0x0A, 0x01, 'B'}
	p := parsePoll(poll)
	if p.Question != "Q?" || len(p.Options) != 2 || p.Options[0].Text != "A" || p.Options[1].Text != "B" {
		t.Errorf("parsePoll = %+v", p)
	}
	if p := parsePoll([]byte{0x42, 0x05, 0x12}); p.Question != "" || len(p.Options) != 0 {
		t.Errorf("parsePoll of a broken blob = %+v", p)
	}
}

func TestContacts(t *testing.T) {
	card1 := "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96zt=C3=BCrk;Ay=C5=9Fe;;;\r\nTEL;CELL:+90 555 000 0000\r\nEND:VCARD"
	card2 := "BEGIN:VCARD\nVERSION:3.0\nFN:Bo\\, the Builder\nTEL:1\nTEL:2\nEND:VCARD"
	got := parseContacts("Two contacts"+nameSeparator+"Ayşe"+nameSeparator+"Bo", card1+vcardSeparator+card2)
	want := []model.Contact{
		{Name: "Ayşe", Phones: []string{"+90 555 000 0000"}, VCard: card1},
		{Name: "Bo", Phones: []string{"1", "2"}, VCard: card2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseContacts = %+v\nwant %+v", got, want)
	}
	if c := parseVCard(card1); c.Name != "Ayşe Öztürk" {
		t.Errorf("name from a quoted-printable N = %q", c.Name)
	}
	if c := parseVCard(card2); c.Name != "Bo, the Builder" {
		t.Errorf("name from FN = %q", c.Name)
	}
	if got := parseContacts("Just a name", ""); len(got) != 1 || got[0].Name != "Just a name" {
		t.Errorf("a name without a card = %+v", got)
	}
	if got := parseContacts("", ""); got != nil {
		t.Errorf("no card = %+v", got)
	}
}

// FuzzVCard: the vCard reader never panics, keeps every card, and returns
// valid text for valid text.
func FuzzVCard(f *testing.F) {
	f.Add("Carla", "BEGIN:VCARD\nFN:Carla\nTEL;waid=1:+1\nEND:VCARD")
	f.Add("A"+nameSeparator+"B", "N:;A;;;"+vcardSeparator+"item1.TEL:2\n 3")
	f.Add("", "TEL;ENCODING=QUOTED-PRINTABLE:=3D=\nEND")
	f.Fuzz(func(t *testing.T, names, cards string) {
		got := parseContacts(names, cards)
		if strings.TrimSpace(cards) != "" && len(got) != min(strings.Count(cards, vcardSeparator)+1, maxCards) {
			t.Fatalf("%d contacts from %d cards", len(got), strings.Count(cards, vcardSeparator)+1)
		}
		for _, c := range got {
			if utf8.ValidString(names) && utf8.ValidString(cards) && !utf8.ValidString(c.Name) && !strings.Contains(strings.ToUpper(cards), "QUOTED-PRINTABLE") {
				t.Fatalf("invalid UTF-8 name %q from valid input", c.Name)
			}
		}
	})
}

// FuzzProto: the protobuf readers never panic and only return what the
// blob holds.
func FuzzProto(f *testing.F) {
	f.Add([]byte{0x3A, 0x08, 0x12, 0x06, 0x12, 0x04, 0xF0, 0x9F, 0x98, 0x82})
	f.Add([]byte{0x2A, 0x02, 'i', 'd', 0x32, 0x03, 'a', '@', 'b'})
	f.Add([]byte{0xBA, 0x05, 0x08, 0x0A, 0x06, 0x08, 0x01, 0x10, 0x00, 0x18, 0x7D})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range parseReactions(b) {
			if r.Emoji == "" || !utf8.ValidString(r.Emoji) || len(r.Emoji) > len(b) {
				t.Fatalf("reaction %+v from %x", r, b)
			}
		}
		q := parseQuote(b)
		if len(q.Stanza)+len(q.JID)+len(q.Text) > len(b) {
			t.Fatalf("quote %+v longer than its blob", q)
		}
		parseCall(b)
		if p := parsePoll(b); len(p.Question) > len(b) || len(p.Options) > len(b) {
			t.Fatalf("poll %+v from %x", p, b)
		}
	})
}

func TestOwnAccount(t *testing.T) {
	bin, err := os.ReadFile("../../testdata/whatsapp-ios/Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist")
	if err != nil {
		t.Fatal(err)
	}
	const xmlPlist = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
	<key>Nested</key><dict><key>OwnJabberID</key><string>999@s.whatsapp.net</string></dict>
	<key>LastOwnJabberID</key><string>15551234567</string>
	<key>FullUserName</key><string>Zoë &amp; co</string>
</dict></plist>`
	for _, tc := range []struct {
		name      string
		data      []byte
		jid, user string
	}{
		{"binary", bin, "447700900789@s.whatsapp.net", "Ben Sample"},
		{"xml, last JID, no server", []byte(xmlPlist), "15551234567@s.whatsapp.net", "Zoë & co"},
		{"truncated", bin[:len(bin)-10], "", ""},
		{"empty", nil, "", ""},
		{"not a JID", []byte(`<plist><dict><key>OwnJabberID</key><string>x@lid</string></dict></plist>`), "", ""},
	} {
		jid, user := ownAccount(tc.data)
		if jid != tc.jid || user != tc.user {
			t.Errorf("%s: ownAccount = %q, %q; want %q, %q", tc.name, jid, user, tc.jid, tc.user)
		}
	}
}

// FuzzPlist: the property-list reader never panics and returns only keys
// it was asked for.
func FuzzPlist(f *testing.F) {
	bin, err := os.ReadFile("../../testdata/whatsapp-ios/Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bin)
	f.Add([]byte(`<plist><dict><key>OwnJabberID</key><string>1@s.whatsapp.net</string></dict></plist>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for k := range binaryPlistStrings(b) {
			if !accountKeys[k] {
				t.Fatalf("key %q", k)
			}
		}
		for k := range xmlPlistStrings(b) {
			if !accountKeys[k] {
				t.Fatalf("key %q", k)
			}
		}
		if jid, _ := ownAccount(b); jid != "" && !isPhoneJID(jid) {
			t.Fatalf("own JID %q", jid)
		}
	})
}
