package transcript

import (
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestClock(t *testing.T) {
	berlin := Clock{TZ: zone(t, "Europe/Berlin")}
	tokyo := Clock{TZ: zone(t, "Asia/Tokyo")}
	floating := model.Floating(2024, 3, 31, 2, 30, 15, 0, model.PrecisionSecond) // in Berlin's gap
	minute := model.Floating(2024, 3, 1, 9, 15, 0, 0, model.PrecisionMinute)
	zoned := model.Zoned(time.Date(2024, 2, 20, 17, 0, 5, 250e6, time.UTC), model.PrecisionMillisecond)
	for _, c := range []struct {
		name, got, want string
	}{
		{"floating in Berlin", berlin.DateTime(floating), "2024-03-31 02:30:15"},
		{"floating in Tokyo", tokyo.DateTime(floating), "2024-03-31 02:30:15"},
		{"minutes", berlin.DateTime(minute), "2024-03-01 09:15"},
		{"zoned in Berlin", berlin.DateTime(zoned), "2024-02-20 18:00:05"},
		{"zoned in Tokyo", tokyo.DateTime(zoned), "2024-02-21 02:00:05"},
		{"exact milliseconds", berlin.Exact(zoned), "2024-02-20 18:00:05.250"},
		{"exact seconds", berlin.Exact(floating), "2024-03-31 02:30:15"},
		{"day", tokyo.Day(zoned), "Wednesday, 21 February 2024"},
		{"unknown", berlin.DateTime(model.Timestamp{}), ""},
		{"unknown day", berlin.Day(model.Timestamp{}), "Unknown date"},
		{"near, same day", berlin.Near(minute.Add(time.Hour), minute), "10:15"},
		{"near, next day", berlin.Near(minute.Add(24*time.Hour), minute), "2024-03-02 09:15"},
		{"zone", berlin.ZoneID(), "Europe/Berlin"},
		{"local zone", Clock{TZ: time.Local}.ZoneID(), "local"},
		{"convention floating", berlin.Convention(true), "as written in the source, which records no time zone"},
		{"convention zoned", berlin.Convention(false), "converted to Europe/Berlin"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestMark(t *testing.T) {
	berlin := Clock{TZ: zone(t, "Europe/Berlin")}
	at := func(h, m int) model.Timestamp {
		return model.Zoned(time.Date(2024, 10, 27, h, m, 0, 0, time.UTC), model.PrecisionSecond)
	}
	for _, c := range []struct {
		name     string
		ts       model.Timestamp
		floating bool
		want     string
	}{
		{"zoned in a zoned chat", at(12, 0), false, ""},
		{"floating in a floating chat", model.Floating(2024, 10, 27, 2, 30, 0, 0, 0), true, ""},
		{"floating in a zoned chat", model.Floating(2024, 10, 27, 2, 30, 0, 0, 0), false, "no time zone"},
		{"zoned in a floating chat", at(12, 0), true, "Europe/Berlin"},
		{"first 02:30 of the night clocks go back", at(0, 30), false, "UTC+02:00"},
		{"second 02:30 of that night", at(1, 30), false, "UTC+01:00"},
		{"both", at(1, 30), true, "Europe/Berlin, UTC+01:00"},
		{"03:30, after the change", at(2, 30), false, ""},
		{"01:59, before it", at(23, 59).Add(-24 * time.Hour), false, ""},
		{"the spring gap is no repeat", model.Zoned(time.Date(2024, 3, 31, 1, 30, 0, 0, time.UTC), 0), false, ""},
		{"unknown", model.Timestamp{}, false, ""},
	} {
		if got := berlin.Mark(c.ts, c.floating); got != c.want {
			t.Errorf("%s (%s): got %q, want %q", c.name, c.ts, got, c.want)
		}
	}
}

func TestDescriptions(t *testing.T) {
	c := &model.Chat{ID: "c", Kind: model.Group, Participants: []model.Participant{
		{ID: "p1", Name: "Ann", Phone: "+4411"},
		{ID: "p2", Phone: "+4422", Me: true},
		{ID: "p3", Name: "Cy"},
	}}
	for _, d := range []struct{ got, want string }{
		{Participants(c, ""), "Ann (+4411), +4422 (me), Cy"},
		{Participants(c, "Cy"), "Ann (+4411), +4422 (me), Cy (me)"},
		{Name(c, "p2"), "+4422"},
		{Name(c, "zz"), "zz"},
		{Title(c), "Chat c"},
		{Attachment(&model.Attachment{Name: "a.jpg", Kind: model.MediaImage, MIME: "image/jpeg",
			Size: 1234, Width: 640, Height: 480}), "a.jpg (image, image/jpeg, 1234 bytes, 640×480)"},
		{Attachment(&model.Attachment{Omitted: true}), "media (omitted from the export)"},
		{Attachment(&model.Attachment{Name: "v.opus", Kind: model.MediaVoice, Duration: 65 * time.Second, Missing: true}),
			"v.opus (voice, 1:05, missing from the export)"},
		{Attachment(&model.Attachment{Name: "x"}), "x"},
		{PollQuestion(&model.Poll{Question: "Q?", Multiple: true}), "Q? (several answers)"},
		{PollOption(c, &model.PollOption{Text: "Yes", Votes: 3, Voters: []model.ParticipantID{"p1", "p3"}}), "Yes: 3 votes (Ann, Cy)"},
		{PollOption(c, &model.PollOption{Text: "No", Votes: 1}), "No: 1 vote"},
		{Location(&model.Location{Latitude: 51.50214569326172, Longitude: -0.127, Name: "N", Live: true}),
			"51.50214569326172, -0.127 · N · live location"},
		// A place shared by name and link only has no coordinates to show.
		{Location(&model.Location{Name: "Çalış Plajı", Address: "Fethiye", URL: "https://foursquare.com/v/4d"}),
			"Çalış Plajı · Fethiye · https://foursquare.com/v/4d"},
		{Contact(&model.Contact{Name: "Eve", Phones: []string{"+1", "+2"}}), "Eve · +1 · +2"},
		{Call(&model.Call{Video: true, Missed: true}), "missed video call"},
		{Call(&model.Call{Duration: 3*time.Hour + 3*time.Minute + 3*time.Second}), "voice call, 3:03:03"},
		{FormatDuration(9 * time.Second), "0:09"},
		{OneLine("a\r\nb\rc\nd"), "a ↵ b ↵ c ↵ d"},
		{Visible("ok\t\n"), "ok\t\n"},
		{Visible("\x1b[2J\x07\x7f\u009b\xff"), "␛[2J␇␡<U+009B>\uFFFD"},
	} {
		if d.got != d.want {
			t.Errorf("got %q, want %q", d.got, d.want)
		}
	}
}

func TestFlagsAndReactions(t *testing.T) {
	clock := Clock{TZ: time.UTC}
	c := &model.Chat{ID: "c", Participants: []model.Participant{{ID: "p1", Name: "Ann"}}}
	day := model.Floating(2024, 3, 1, 9, 0, 0, 0, model.PrecisionMinute)
	m := &model.Message{Kind: model.KindDeleted, Time: day, Forwarded: true, Edited: true,
		EditedAt:  day.Add(30 * time.Minute),
		Reactions: []model.Reaction{{Emoji: "👍", Sender: "p1"}, {Emoji: "❤️", Sender: "p1", Time: day.Add(25 * time.Hour)}}}
	if got := strings.Join(Flags(m, clock), ", "); got != "deleted, forwarded, edited 09:30" {
		t.Errorf("flags %q", got)
	}
	if got := Reactions(c, m, clock); got != "👍 Ann, ❤️ Ann (2024-03-02 10:00)" {
		t.Errorf("reactions %q", got)
	}
}

func TestReplies(t *testing.T) {
	rep := &exporters.Report{}
	d := Describer{Clock: Clock{TZ: time.UTC}, Report: rep}
	c := &model.Chat{ID: "c", Participants: []model.Participant{{ID: "p1", Name: "Ann"}, {ID: "p2", Name: "Ben"}}}
	d.StartChat(c)
	at := model.Floating(2024, 3, 1, 9, 0, 0, 0, model.PrecisionMinute)
	first := &model.Message{ID: "m1", Time: at, Sender: "p1", Kind: model.KindText, Text: "Hello\nthere"}
	d.Details(first)
	d.Details(&model.Message{ID: "s1", Time: at, Kind: model.KindSystem, Text: "Ann joined",
		Event: &model.Event{Type: model.EventMemberJoined}})
	for _, tc := range []struct {
		m    *model.Message
		want string
	}{
		{&model.Message{ReplyTo: "m1", Time: at}, "Ann (09:00): Hello ↵ there"},
		{&model.Message{ReplyTo: "m1", Time: at.Add(48 * time.Hour), Quote: &model.Quote{Sender: "p1", Text: "Hello"}}, "Ann (2024-03-01 09:00): Hello"},
		{&model.Message{Quote: &model.Quote{Sender: "p2", Text: "quoted"}}, "Ben: quoted"},
		{&model.Message{Quote: &model.Quote{Text: "who said it?"}}, "who said it?"},
		{&model.Message{ReplyTo: "s1", Time: at}, "(09:00): Ann joined"},
		{&model.Message{ReplyTo: "gone"}, "a message not shown here (id gone)"},
		{&model.Message{}, ""},
	} {
		if got := d.Reply(tc.m); got != tc.want {
			t.Errorf("reply %+v: got %q, want %q", tc.m, got, tc.want)
		}
	}
	if l := rep.Losses(); len(l) != 1 || l[0].Feature != model.FeatureReplies || l[0].Count != 1 {
		t.Errorf("losses %v, want one reply kept partly", l)
	}
	// A new chat forgets the last one's messages.
	d.StartChat(c)
	if got := d.Reply(&model.Message{ReplyTo: "m1"}); got != "a message not shown here (id m1)" {
		t.Errorf("after StartChat: %q", got)
	}
}

func TestSnippet(t *testing.T) {
	long := &model.Message{Text: strings.Repeat("é", 150)}
	if got := Snippet(long); got != strings.Repeat("é", 100)+"…" {
		t.Errorf("long snippet %q", got)
	}
	poll := &model.Message{Kind: model.KindPoll, Poll: &model.Poll{Question: "Q?"}}
	if got := Snippet(poll); got != "Q?" {
		t.Errorf("poll snippet %q", got)
	}
	if got := Snippet(&model.Message{Kind: model.KindCall}); got != "call" {
		t.Errorf("empty snippet %q", got)
	}
}

func TestContactsReported(t *testing.T) {
	rep := &exporters.Report{}
	d := Describer{Report: rep}
	d.StartChat(&model.Chat{ID: "c"})
	d.Details(&model.Message{ID: "m", Contacts: []model.Contact{{Name: "Eve"}}})
	d.Details(&model.Message{ID: "n", Contacts: []model.Contact{{Name: "Eve", VCard: "BEGIN:VCARD"}, {VCard: "x"}}})
	if l := rep.Losses(); len(l) != 1 || l[0].Feature != model.FeatureContacts || l[0].Count != 1 {
		t.Errorf("losses %v, want one message's contact cards kept partly", l)
	}
}
