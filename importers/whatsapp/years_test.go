package whatsapp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// readDated is read for a transcript last changed at mod.
func readDated(t *testing.T, text string, mod time.Time, opts importers.Options) (*model.Chat, []*model.Message) {
	t.Helper()
	p := writeTemp(t, "chat.txt", text)
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
	chat, msgs, err := readFile(t, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return chat, msgs
}

func times(msgs []*model.Message) string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.Time.String())
	}
	return strings.Join(s, " ")
}

func warning(c *model.Chat, code string) *model.Warning {
	for i := range c.Warnings {
		if c.Warnings[i].Code == code {
			return &c.Warnings[i]
		}
	}
	return nil
}

// Years left out are counted from the order of the messages.
func TestYearsInferred(t *testing.T) {
	mod := time.Date(2014, 4, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, text string
		opts       importers.Options
		want       string
		from       string // in the warning
		line       int    // of the warning
	}{
		{"no year anywhere: counted back from the file's year",
			"18 Nov 12:14 - Ann: a\n2 Dec 10:00 - Ben: b\n3 Jan 09:00 - Ann: c\n18 Mar 12:14 - Shaggy changed the subject to \"x\"\n",
			importers.Options{},
			"2013-11-18T12:14:00 2013-12-02T10:00:00 2014-01-03T09:00:00 2014-03-18T12:14:00",
			"2014 for the last message, the year the file was last changed", 1},
		{"--year names the first message's year",
			"18 Nov 12:14 - Ann: a\n3 Jan 09:00 - Ann: c\n",
			importers.Options{Values: importers.Values{"year": "2012"}},
			"2012-11-18T12:14:00 2013-01-03T09:00:00",
			"2012, the year --year gives", 1},
		{"a year written later sets the years before it",
			"19:23, 28 Dec - Ann: a\n10:00, 2 Jan 2014 - Ben: b\n11:00, 5 Jan - Ann: c\n",
			importers.Options{},
			"2013-12-28T19:23:00 2014-01-02T10:00:00 2014-01-05T11:00:00",
			"the year in the header on line 2", 1},
		{"years written and left out",
			"19:23, 28 Aug 2013 - Tanay Gahlot: a\n19:24, 30 Dec 2013 - Ann: b\n08:00, 2 Jan - Ann: c\n09:00, 3 Mar - Ann: d\n",
			importers.Options{},
			"2013-08-28T19:23:00 2013-12-30T19:24:00 2014-01-02T08:00:00 2014-03-03T09:00:00",
			"the year in the header on line 1", 3},
		{"a step back of days is not a new year",
			"Mar 5, 8:11 PM - Aravind Cm: a\nMar 3, 9:00 AM - Ann: b\nApr 1, 9:00 AM - Ann: c\n",
			importers.Options{},
			"2014-03-05T20:11:00 2014-03-03T09:00:00 2014-04-01T09:00:00",
			"the year the file was last changed", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, msgs := readDated(t, tc.text, mod, tc.opts)
			if got := times(msgs); got != tc.want {
				t.Errorf("times %s\n want %s", got, tc.want)
			}
			w := warning(c, "year-inferred")
			if w == nil || !strings.Contains(w.Text, tc.from) || w.Pos.Line != tc.line {
				t.Errorf("warning %+v", w)
			}
		})
	}
	t.Run("every year written: no warning", func(t *testing.T) {
		c, msgs := readDated(t, "19:23, 28 Aug 2013 - Ann: a\n19:24, 2 Jan 2014 - Ben: b\n", mod, importers.Options{})
		if got := times(msgs); got != "2013-08-28T19:23:00 2014-01-02T19:24:00" || warning(c, "year-inferred") != nil {
			t.Errorf("times %s, warnings %v", got, c.Warnings)
		}
		if c.Meta["date_order"] != "dmy" || c.Meta["date_order_basis"] != "month names" {
			t.Errorf("meta %v", c.Meta)
		}
	})
	t.Run("a bad --year", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "chat.txt")
		os.WriteFile(p, []byte("18 Nov 12:14 - Ann: a\n"), 0o644)
		src, _ := importers.OpenSource(p, importers.DefaultLimits)
		defer src.Close()
		_, err := Open(context.Background(), src, importers.Options{Values: importers.Values{"year": "14"}})
		if err == nil || !strings.Contains(err.Error(), "--year") {
			t.Errorf("error %v", err)
		}
	})
}

// The year in the middle, and the separators of old exports.
func TestOtherOldLayouts(t *testing.T) {
	mod := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("year in the middle", func(t *testing.T) {
		c, msgs := readDated(t, "[06/2018/13, 21:25:15] a: m\n[06/2018/14, 08:00:00] b: n\n", mod, importers.Options{})
		if got := times(msgs); got != "2018-06-13T21:25:15 2018-06-14T08:00:00" || c.Meta["date_order"] != "myd" {
			t.Errorf("times %s, meta %v", got, c.Meta)
		}
		c, msgs = readDated(t, "[13/2018/06, 21:25:15] a: m\n", mod, importers.Options{})
		if got := times(msgs); got != "2018-06-13T21:25:15" || c.Meta["date_order"] != "dym" {
			t.Errorf("times %s, meta %v", got, c.Meta)
		}
	})
	t.Run("dash between date and time, semicolon after", func(t *testing.T) {
		c, msgs := readDated(t, "12.07.2017 - 22:35:22; Johannes Gruber: Test\n13.07.2017 - 09:00:00; Ann: hi; there\n", mod, importers.Options{})
		if len(msgs) != 2 || msgs[0].Time.String() != "2017-07-12T22:35:22" || describe(c, msgs[1]) != "text Ann: hi; there" {
			t.Errorf("messages %v", msgs)
		}
	})
}
