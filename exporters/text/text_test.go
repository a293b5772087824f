package text_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/plaintest"
	_ "github.com/chatferry/chatferry/exporters/text"
	_ "github.com/chatferry/chatferry/importers/all" // the corpus test reads every input format
	"github.com/chatferry/chatferry/model"
)

var awkward = filepath.Join("..", "..", "testdata", "json", "awkward.json")

func TestKit(t *testing.T) {
	exportertest.Run(t, "text",
		exportertest.Case{},
		exportertest.Case{Name: "awkward", Input: awkward},
	)
}

func TestInputs(t *testing.T) { plaintest.RunInputs(t, "text") }

func BenchmarkWrite(b *testing.B) { plaintest.Bench(b, "text") }

// write exports input as text and returns the transcript.
func write(t *testing.T, input string, opts exporters.Options) (string, []model.Item) {
	t.Helper()
	f, _ := exporters.Lookup("text")
	items := exportertest.Input(t, input, "json")
	out, _ := exportertest.Write(t, f, items, opts)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), items
}

// A line of a message's text never starts at the left margin, where only
// a message's first line starts, so pasted text cannot pass for a message.
func TestOnlyMessagesStartAtTheMargin(t *testing.T) {
	for _, in := range []string{exportertest.Sample(t), awkward} {
		out, items := write(t, in, exporters.Options{})
		stamps := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "[") {
				stamps++
			}
		}
		msgs := 0
		for _, it := range items {
			if _, ok := it.(*model.Message); ok {
				msgs++
			}
		}
		if stamps != msgs {
			t.Errorf("%s: %d lines start with '[', want one per message (%d)", in, stamps, msgs)
		}
	}
}

// Floating times read the same whatever the zone; zoned ones move with it.
func TestTimes(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Asia/Kolkata"} {
		loc := mustZone(t, zone)
		out, _ := write(t, exportertest.Sample(t), exporters.Options{TZ: loc})
		if !strings.Contains(out, "[2024-03-01 09:16] Ann Example: Hi Ben!") {
			t.Errorf("%s: the floating time of m2 is not shown as written", zone)
		}
		want := map[string]string{"UTC": "17:01:00", "America/New_York": "12:01:00", "Asia/Kolkata": "22:31:00"}[zone]
		if !strings.Contains(out, "[2024-02-20 "+want+"] Carla Example: Hello all") {
			t.Errorf("%s: the zoned time of g3 is not converted to %s", zone, want)
		}
		if !strings.Contains(out, "Times: converted to "+zone) {
			t.Errorf("%s: the group's header does not name the zone", zone)
		}
		if regexp.MustCompile(`\[[^\]]*(Z|[+-]\d\d:\d\d)\]`).MatchString(out) {
			t.Errorf("%s: a time is printed with an offset or Z", zone)
		}
	}
}

// Control characters a terminal acts on never reach the output.
func TestNoTerminalControls(t *testing.T) {
	out, _ := write(t, awkward, exporters.Options{})
	for _, c := range []byte{0x1b, 0x07, 0x7f, '\r'} {
		if i := strings.IndexByte(out, c); i >= 0 {
			t.Errorf("the transcript holds byte %#x: %q", c, out[max(0, i-20):i+1])
		}
	}
	if !strings.Contains(out, "escape ␛[31mred␛[0m bell ␇ delete ␡ csi <U+009B>2J end") {
		t.Error("control characters are not shown as visible stand-ins")
	}
}

func TestStdout(t *testing.T) {
	var buf bytes.Buffer
	f, _ := exporters.Lookup("text")
	tg, err := exporters.NewTarget("-", f.Layout, false, &buf)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.New(tg, exporters.Options{TZ: mustZone(t, "UTC")})
	if err != nil {
		t.Fatal(err)
	}
	c := &model.Chat{ID: "c", Title: "Solo", Kind: model.Direct}
	if err := w.WriteChat(c); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tg.Commit(); err != nil {
		t.Fatal(err)
	}
	if want := "Chat: Solo\nKind: direct chat\n\n(no messages)\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
