package html

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

func TestLinkify(t *testing.T) {
	tests := []struct {
		in   string
		want []segment
	}{
		{"no links", []segment{{Text: "no links"}}},
		{"see https://example.org/a?b=1&c=2.", []segment{{Text: "see "}, {Text: "https://example.org/a?b=1&c=2", URL: "https://example.org/a?b=1&c=2"}, {Text: "."}}},
		{"(http://example.org/x_(y))", []segment{{Text: "("}, {Text: "http://example.org/x_(y)", URL: "http://example.org/x_(y)"}, {Text: ")"}}},
		{"HTTPS://EXAMPLE.ORG, ok", []segment{{Text: "HTTPS://EXAMPLE.ORG", URL: "HTTPS://EXAMPLE.ORG"}, {Text: ", ok"}}},
		{"<https://example.org/<script>>", []segment{{Text: "<"}, {Text: "https://example.org/", URL: "https://example.org/"}, {Text: "<script>>"}}},
		{"javascript:alert(1) javascript://%0aalert(1)", []segment{{Text: "javascript:alert(1) javascript://%0aalert(1)"}}},
		{"data:text/html,<b>x</b> ftp://example.org", []segment{{Text: "data:text/html,<b>x</b> ftp://example.org"}}},
		{"xhttps://example.org", []segment{{Text: "xhttps://example.org"}}},
		{"https:// nothing", []segment{{Text: "https:// nothing"}}},
		{"http://", []segment{{Text: "http://"}}},
		{"a http://x.org\nb https://y.org", []segment{{Text: "a "}, {Text: "http://x.org", URL: "http://x.org"},
			{Text: "\nb "}, {Text: "https://y.org", URL: "https://y.org"}}},
	}
	for _, tt := range tests {
		got := linkify(tt.in)
		if !equalSegments(got, tt.want) {
			t.Errorf("linkify(%q)\n got  %+v\n want %+v", tt.in, got, tt.want)
		}
	}
}

func TestRichText(t *testing.T) {
	for _, tt := range []struct {
		in       string
		markedUp bool
		want     []segment
	}{
		{"*bold* and _it_", true, []segment{{Text: "bold", Bold: true}, {Text: " and "}, {Text: "it", Italic: true}}},
		{"*bold* and _it_", false, []segment{{Text: "*bold* and _it_"}}},
		{"*see https://x.org/a_b_c*", true, []segment{{Text: "see ", Bold: true}, {Text: "https://x.org/a_b_c", URL: "https://x.org/a_b_c", Bold: true}}},
		{"~gone~ `x` ```y```", true, []segment{{Text: "gone", Strike: true}, {Text: " "}, {Text: "x", Code: true}, {Text: " "}, {Text: "y", Mono: true}}},
		{"2*3*4 snake_case", true, []segment{{Text: "2*3*4 snake_case"}}},
	} {
		if got := richText(tt.in, tt.markedUp); !equalSegments(got, tt.want) {
			t.Errorf("richText(%q, %v)\n got  %+v\n want %+v", tt.in, tt.markedUp, got, tt.want)
		}
	}
}

func TestShownText(t *testing.T) {
	for _, tt := range []struct {
		in       string
		markedUp bool
		want     string
	}{
		{"*bold* _it_ 2*3*4", true, "bold it 2*3*4"},
		{"*bold* _it_", false, "*bold* _it_"},
	} {
		if got := shownText(tt.in, tt.markedUp); got != tt.want {
			t.Errorf("shownText(%q, %v) = %q, want %q", tt.in, tt.markedUp, got, tt.want)
		}
	}
}

func equalSegments(a, b []segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzLinkify: the segments give back the text, and every link is an
// http or https address with a host.
func FuzzLinkify(f *testing.F) {
	for _, s := range []string{"see https://example.org/a?b=1.", "javascript:alert(1)", "(http://x.org/(a)))",
		"<script>alert(1)</script> https://a.b/<img>", "HTTP://é.example/ü", "http://[::1]:80/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		for _, sg := range linkify(s) {
			b.WriteString(sg.Text)
			if sg.URL == "" {
				continue
			}
			if sg.URL != sg.Text {
				t.Fatalf("link %q shows as %q", sg.URL, sg.Text)
			}
			u, err := url.Parse(sg.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("%q became the link %q", s, sg.URL)
			}
		}
		if b.String() != s {
			t.Fatalf("linkify(%q) loses text: %q", s, b.String())
		}
	})
}

func TestTelOf(t *testing.T) {
	for in, want := range map[string]string{
		"+44 7700 900456":      "+447700900456",
		"(030) 123-45":         "03012345",
		"javascript:alert(1)":  "1",
		"no digits":            "",
		"+":                    "",
		" 0049+30 ":            "004930",
		"tel:+1-555-0100;ext=": "+15550100",
	} {
		if got := telOf(in); got != want {
			t.Errorf("telOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugOf(t *testing.T) {
	for in, want := range map[string]string{
		"Ann Example":               "ann-example",
		"Trip 2024 ✈️":              "trip-2024",
		"مرحبا":                     "",
		"../../etc/passwd":          "etc-passwd",
		"  --A--  ":                 "a",
		strings.Repeat("abc ", 30):  "abc-abc-abc-abc-abc-abc-abc-abc-abc-abc-a",
		"<script>alert(1)</script>": "script-alert-1-script",
	} {
		if got := slugOf(in); got != want {
			t.Errorf("slugOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// Floating times are shown as written, never with a zone; zoned ones in
// the chosen zone.
func TestShowTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	floating := model.Floating(2024, 3, 31, 2, 30, 0, 0, model.PrecisionMinute) // a gap in Berlin
	v := showTime(floating, berlin)
	if v.Short != "02:30" || v.Attr != "2024-03-31T02:30:00" || v.DayKey != "2024-03-31" ||
		strings.Contains(v.Attr, "Z") || strings.Contains(v.Title, "CE") {
		t.Errorf("floating: %+v", v)
	}
	zoned := model.Zoned(time.Date(2024, 3, 31, 23, 30, 0, 0, time.UTC), model.PrecisionSecond)
	v = showTime(zoned, berlin)
	if v.Short != "01:30" || v.Attr != "2024-04-01T01:30:00+02:00" || v.DayKey != "2024-04-01" ||
		v.Title != "Mon 1 Apr 2024 01:30:00 CEST (+02:00), Europe/Berlin" {
		t.Errorf("zoned: %+v", v)
	}
	if v := showTime(zoned, time.Local); strings.Contains(v.Title, "Local") {
		t.Errorf("the machine's zone is named Local: %q", v.Title)
	}
	if note := timeNote(false, true, time.Local); note != "Times are shown in the time zone of the computer that wrote the archive." {
		t.Errorf("the note for the machine's zone: %q", note)
	}
	if v := showTime(model.Timestamp{}, berlin); v.Short != "" || v.Attr != "" {
		t.Errorf("unknown time: %+v", v)
	}
}

func TestWhoIsMe(t *testing.T) {
	c := &model.Chat{Participants: []model.Participant{
		{ID: "a", Name: "Ann", Phone: "+441"}, {ID: "b", Name: "Ben", Me: true}}}
	for me, want := range map[string]model.ParticipantID{"": "b", "Ann": "a", "+441": "a", "Nobody": "b"} {
		if got := whoIsMe(c, me); got != want {
			t.Errorf("whoIsMe(%q) = %q, want %q", me, got, want)
		}
	}
	if got := whoIsMe(&model.Chat{Participants: []model.Participant{{ID: "a", Name: "Ann"}}}, ""); got != "" {
		t.Errorf("whoIsMe with nobody marked = %q", got)
	}
}

func TestShowOf(t *testing.T) {
	tests := []struct {
		a    model.Attachment
		want string
	}{
		{model.Attachment{Name: "a.png", MIME: "image/png"}, "image"},
		{model.Attachment{Name: "a.heic", MIME: "image/heic", Kind: model.MediaImage}, "file"},
		{model.Attachment{Name: "PTT-1.opus", Kind: model.MediaVoice}, "audio"},
		{model.Attachment{Name: "a.ogg", MIME: "audio/ogg; codecs=opus"}, "audio"},
		{model.Attachment{Name: "VID.mp4"}, "video"},
		{model.Attachment{Name: "IMG.JPG"}, "image"},
		{model.Attachment{Name: "STK.webp", Kind: model.MediaSticker}, "image"},
		{model.Attachment{Name: "noext", Kind: model.MediaSticker}, "image"},
		{model.Attachment{Name: "doc.pdf", Kind: model.MediaDocument}, "file"},
		{model.Attachment{Name: "x.svg", MIME: "image/svg+xml"}, "image"},
		{model.Attachment{Name: "noext"}, "file"},
	}
	for _, tt := range tests {
		if got := showOf(&tt.a); got != tt.want {
			t.Errorf("showOf(%+v) = %s, want %s", tt.a, got, tt.want)
		}
	}
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{"/home/ann/WhatsApp Chat.zip": "WhatsApp Chat.zip",
		`C:\Users\ann\msgstore.db`: "msgstore.db", "plain.txt": "plain.txt", "dir/": "dir/", "": ""} {
		if got := baseName(in); got != want {
			t.Errorf("baseName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A place known by name and link only shows no position and no map-app
// link; one with coordinates shows both.
func TestLocationOf(t *testing.T) {
	venue := locationOf(&model.Location{Name: "Çalış Plajı", URL: "https://foursquare.com/v/4d"})
	if venue.Coords != "" || venue.Geo != "" || venue.Exact != "" || venue.Href != "https://foursquare.com/v/4d" {
		t.Errorf("a place without coordinates: %+v", venue)
	}
	if none := locationOf(&model.Location{Name: "Somewhere"}); none.Href != "" || none.Geo != "" {
		t.Errorf("a place without coordinates or link: %+v", none)
	}
	pin := locationOf(&model.Location{Latitude: 36.666958, Longitude: 29.113155})
	if pin.Coords != "36.666958, 29.113155" || pin.Geo != "geo:36.666958,29.113155" || !strings.Contains(pin.Href, "mlat=36.666958") {
		t.Errorf("a position: %+v", pin)
	}
}

// The size options take a positive number of messages; anything else is
// an option error, and a missing one is the default.
func TestSizeOption(t *testing.T) {
	for _, c := range []struct {
		value string
		want  int
		bad   bool
	}{{"", 7, false}, {"25", 25, false}, {"0", 7, true}, {"-3", 7, true}, {"many", 7, true}} {
		n, err := sizeOption(exporters.Options{Values: exporters.Values{"search-size": c.value}}, "search-size", 7)
		var oe *exporters.OptionError
		if n != c.want || errors.As(err, &oe) != c.bad || (err != nil) != c.bad {
			t.Errorf("search-size %q: %d, %v; want %d, error %v", c.value, n, err, c.want, c.bad)
		}
	}
}
