package whatsapp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// read imports a transcript given as text and returns its chat and
// messages, or the error.
func read(t *testing.T, name, text string, opts importers.Options) (*model.Chat, []*model.Message, error) {
	t.Helper()
	return readFile(t, writeTemp(t, name, text), opts)
}

// writeTemp writes text to a file of that name in a temporary folder.
func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readFile imports the transcript at p and returns its chat and messages,
// each message checked against the model's rules, or the error.
func readFile(t *testing.T, p string, opts importers.Options) (*model.Chat, []*model.Message, error) {
	t.Helper()
	src, err := importers.OpenSource(p, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	opts.TZ = time.UTC
	r, err := Open(context.Background(), src, opts)
	if err != nil {
		return nil, nil, err
	}
	var chat *model.Chat
	var msgs []*model.Message
	err = importers.ReadAll(r, func(it model.Item) error {
		switch v := it.(type) {
		case *model.Chat:
			chat = v
		case *model.Message:
			if err := v.Check(chat); err != nil {
				t.Error(err)
			}
			msgs = append(msgs, v)
		}
		return nil
	})
	return chat, msgs, err
}

// describe prints a message as "kind sender: text".
func describe(c *model.Chat, m *model.Message) string {
	who := "-"
	if p := c.Participant(m.Sender); p != nil {
		who = p.Name
	}
	return string(m.Kind) + " " + who + ": " + m.Text
}

func TestRecordRules(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"a system line with a colon in the subject", "" +
			"01/03/2024, 09:00 - Ann: hi\n" +
			"01/03/2024, 09:01 - Ann changed the subject from \"A\" to \"Trip: 2024\"\n",
			[]string{"text Ann: hi", "system -: Ann changed the subject from \"A\" to \"Trip: 2024\""}},
		{"a known sender without a space after the colon", "" +
			"01/03/2024, 09:00 - John Doe: hi\n" +
			"01/03/2024, 09:01 - John Doe:.\n",
			[]string{"text John Doe: hi", "text John Doe: ."}},
		{"an empty body", "" +
			"01/03/2024, 09:00 - Carol: hi\n" +
			"01/03/2024, 09:01 - Carol:\n",
			[]string{"text Carol: hi", "text Carol: "}},
		{"a marked body from someone who writes: a message", "" +
			"[01/03/2024, 09:00:00] Bob: hi\n" +
			"[01/03/2024, 09:01:00] Bob: \u200eHow about locations?\n",
			[]string{"text Bob: hi", "text Bob: How about locations?"}},
		{"a marked notice that repeats its actor: an event", "" +
			"[01/03/2024, 09:00:00] Ann: hi\n" +
			"[01/03/2024, 09:01:00] Ann: \u200eAnn changed the group name to \u201cTrip: 2024\u201d\n",
			[]string{"text Ann: hi", "system -: Ann changed the group name to \u201cTrip: 2024\u201d"}},
		{"a marked line from a name that never writes: an event", "" +
			"[01/03/2024, 09:00:00] Ann: hi\n" +
			"[01/03/2024, 09:01:00] Team 7: \u200eSomething WhatsApp wrote in a language chatferry does not know\n",
			[]string{"text Ann: hi", "system -: Something WhatsApp wrote in a language chatferry does not know"}},
		{"the end-to-end notice after a name", "" +
			"15.04.2016, 15:04 - Pokemon Chat: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n" +
			"15.04.2016, 15:05 - Ash: hi\n",
			[]string{"system -: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.", "text Ash: hi"}},
		{"invisible marks around a number: one participant", "" +
			"[1/23/22, 11:37:52] \u202a+44\u00a07700\u00a0900123\u202c: one\n" +
			"[1/23/22, 11:38:00] \u202a+44 7700 900123: two\n",
			[]string{"text +44 7700 900123: one", "text +44 7700 900123: two"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, msgs, err := read(t, "chat.txt", tc.text, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range msgs {
				got = append(got, describe(c, m))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestDateOrderProblems(t *testing.T) {
	t.Run("an option the dates contradict", func(t *testing.T) {
		_, _, err := read(t, "chat.txt", "25/03/2024, 09:00 - Ann: a\n26/03/2024, 09:00 - Ann: b\n",
			importers.Options{Values: importers.Values{"date-order": "mdy"}})
		if err == nil || !strings.Contains(err.Error(), "--date-order mdy does not fit") || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("an unknown option value", func(t *testing.T) {
		_, _, err := read(t, "chat.txt", "25/03/2024, 09:00 - Ann: a\n", importers.Options{Values: importers.Values{"date-order": "ydm"}})
		if err == nil || !strings.Contains(err.Error(), "want dmy, mdy or ymd") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("dates that contradict each other", func(t *testing.T) {
		c, msgs, err := read(t, "chat.txt", "25/03/2024, 09:00 - Ann: a\n03/26/2024, 09:00 - Ann: b\n01/02/2024, 09:00 - Ann: c\n", importers.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Warnings) == 0 || c.Warnings[0].Code != "date-order-conflict" {
			t.Errorf("warnings %v", c.Warnings)
		}
		if !msgs[1].Time.IsZero() || msgs[0].Time.IsZero() {
			t.Errorf("times %s, %s", msgs[0].Time, msgs[1].Time)
		}
	})
	t.Run("a date that does not exist", func(t *testing.T) {
		c, msgs, err := read(t, "chat.txt", "25/03/2024, 09:00 - Ann: a\n30/02/2024, 09:00 - Ann: b\n", importers.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Warnings) != 1 || c.Warnings[0].Code != "invalid-date" || c.Warnings[0].Pos.Line != 2 || !msgs[1].Time.IsZero() {
			t.Errorf("warnings %v, time %s", c.Warnings, msgs[1].Time)
		}
	})
	t.Run("chronology decides", func(t *testing.T) {
		// Month first, the clock runs forward; day first, it would jump
		// back every few messages.
		var b strings.Builder
		for d := 1; d <= 12; d++ {
			for _, m := range []int{1, 2} {
				b.WriteString(strings.NewReplacer("M", string(rune('0'+m)), "DD", twoDigits(d)).Replace("0M/DD/2024, 09:00 - Ann: x\n"))
			}
		}
		c, _, err := read(t, "chat.txt", b.String(), importers.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Meta["date_order"] != "dmy" || c.Meta["date_order_basis"] != "chronology" {
			t.Errorf("meta %v", c.Meta)
		}
	})
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestMe(t *testing.T) {
	text := "13/03/2024, 09:00 - Ann: a\n13/03/2024, 09:01 - Ben: You deleted this message\n13/03/2024, 09:02 - You added Carla\n"
	c, msgs, err := read(t, "chat.txt", text, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if me := c.Me(); me == nil || me.Name != "Ben" || msgs[2].Event.Actor != me.ID {
		t.Errorf("me %v, actor %q", me, msgs[2].Event.Actor)
	}
	c, _, _ = read(t, "chat.txt", text, importers.Options{Me: "ann"})
	if me := c.Me(); me == nil || me.Name != "Ann" {
		t.Errorf("--me ann: me %v", me)
	}
	c, _, _ = read(t, "chat.txt", text, importers.Options{Me: "Zed"})
	if c.Me() != nil || len(c.Warnings) != 1 || c.Warnings[0].Code != "me-not-found" {
		t.Errorf("--me Zed: me %v, warnings %v", c.Me(), c.Warnings)
	}
	// Two senders differ only in case: --me in a third spelling picks
	// neither, and says so; the exact spelling picks its own.
	twins := "13/03/2024, 09:00 - ann: a\n13/03/2024, 09:01 - Ann: b\n"
	for i := 0; i < 5; i++ { // the choice must not depend on map order
		c, _, _ = read(t, "chat.txt", twins, importers.Options{Me: "ANN"})
		if c.Me() != nil || len(c.Warnings) != 1 || c.Warnings[0].Code != "me-ambiguous" {
			t.Fatalf("--me ANN with ann and Ann: me %v, warnings %v", c.Me(), c.Warnings)
		}
	}
	c, _, _ = read(t, "chat.txt", twins, importers.Options{Me: "Ann"})
	if me := c.Me(); me == nil || me.Name != "Ann" {
		t.Errorf("--me Ann with ann and Ann: me %v", me)
	}
}

func TestTitles(t *testing.T) {
	for name, want := range map[string]string{
		"WhatsApp Chat with Ann Example.txt":   "Ann Example",
		"WhatsApp-Chat mit Ann.txt":            "Ann",
		"Чат WhatsApp с контактом Ann.txt":     "Ann",
		"WhatsApp Chat - Trip 2024 ✈️.zip":     "Trip 2024 ✈️",
		"export.txt":                           "export",
		"folder/WhatsApp Chat with Ben.txt":    "Ben",
		"Chat WhatsApp s uživatelem Dana.txt":  "Dana",
		"Discussion WhatsApp avec Ann Ex.txt":  "Ann Ex",
		"Conversa do WhatsApp com Ann Ex.txt":  "Ann Ex",
		"Chat de WhatsApp con Ann Example.txt": "Ann Example",
	} {
		if got, _ := titleFromName(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// The exporter's escape is undone only where it was needed: before a line
// that reads as a header of the transcript's own layout.
func TestUnescape(t *testing.T) {
	text := "01/03/2024, 09:00 - Ann: pasted:\n" +
		"\u200b01/03/2024, 09:20 - same layout: the mark goes\n" +
		"\u200b\u200b01/03/2024, 09:20 - a mark of its own: one goes\n" +
		"\u200b[01/03/2024, 09:20:00] another layout: the mark stays\n" +
		"\u200b7.1.1, 7.1.2\n" +
		"\u200bplain text\n"
	_, msgs, err := read(t, "chat.txt", text, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "pasted:\n" +
		"01/03/2024, 09:20 - same layout: the mark goes\n" +
		"\u200b01/03/2024, 09:20 - a mark of its own: one goes\n" +
		"\u200b[01/03/2024, 09:20:00] another layout: the mark stays\n" +
		"\u200b7.1.1, 7.1.2\n" +
		"\u200bplain text"
	if len(msgs) != 1 || msgs[0].Text != want {
		for _, m := range msgs {
			t.Errorf("message %q", m.Text)
		}
	}
}

// A line longer than MaxLine stops the import with an error that names the
// file and that line, wherever the line is: the first line (seen while the
// header shape is learned), a later line, a last line without an end, and
// a line after the lines the header shape is learned from.
func TestLineTooLong(t *testing.T) {
	head := "05/01/2024, 19:02 - Dana: hi\n"
	long := strings.Repeat("x", MaxLine+1)
	for _, tc := range []struct {
		name, text string
		line       int
	}{
		{"first", head[:len(head)-1] + long + "\n" + head, 1},
		{"fourth", head + head + head + long + "\n" + head, 4},
		{"last, cut", head + head + long, 3},
		{"just over", head + strings.Repeat("y", MaxLine+1) + "\n", 2},
		{"after the sample", strings.Repeat(head, shapeSampleLines) + long + "\n", shapeSampleLines + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := read(t, "WhatsApp Chat with Dana.txt", tc.text, importers.Options{})
			var pe *importers.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, errLineTooLong) {
				t.Fatalf("error %v, want a parse error for a line too long", err)
			}
			if pe.Pos.Line != tc.line || !pe.Fatal || !strings.HasSuffix(pe.Pos.File, "WhatsApp Chat with Dana.txt") {
				t.Errorf("at %s:%d (fatal %v), want line %d", pe.Pos.File, pe.Pos.Line, pe.Fatal, tc.line)
			}
		})
	}
	// A line of exactly MaxLine bytes is still read.
	_, msgs, err := read(t, "WhatsApp Chat with Dana.txt", head+head[:len(head)-1]+strings.Repeat("z", MaxLine-len(head)+1)+"\n", importers.Options{})
	if err != nil || len(msgs) != 2 {
		t.Errorf("a line of MaxLine bytes: %d messages, %v", len(msgs), err)
	}
}
