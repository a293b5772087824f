package signal

import (
	"errors"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/exporters"
)

func TestParseE164(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
	}{
		{"+49 151 2345678", 491512345678},
		{"0049-151-2345678", 491512345678},
		{"(+44) 7700 900123", 447700900123},
		{"\u202a+44\u00a07700\u00a0900123\u202c", 447700900123},
		{"tel:+1-555-000-1234", 15550001234},
		{"0151 2345678", 0}, // no country code
		{"+0 123 4567", 0},
		{"+12", 0},
		{"+49 151 2345678 ext", 0},
		{"", 0},
	} {
		got, err := parseE164(c.in)
		if got != c.want || (c.want == 0) != (err != nil) {
			t.Errorf("parseE164(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestAddressBook(t *testing.T) {
	vcf := "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;\r\n" +
		"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BC=\r\nller\r\n" +
		"TEL;HOME:+49 30 1234567\r\nTEL;CELL:+49 151 2345678\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\nVERSION:3.0\nN:Example;Ann;;;\nitem1.TEL;type=CELL:+44 7700\n 900123\nEND:VCARD\n" +
		"BEGIN:VCARD\nVERSION:4.0\nFN:Local Only\nTEL:0151 999\nEND:VCARD\n" +
		"BEGIN:VCARD\nVERSION:3.0\nFN:Twice\nTEL:+1 555 000 0001\nEND:VCARD\n" +
		"BEGIN:VCARD\nVERSION:3.0\nFN:Twice\nTEL:+1 555 000 0002\nEND:VCARD\n"
	a, err := readAddressBook(strings.NewReader(vcf), "contacts.vcf")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]uint64{"Jörg Müller": 491512345678, "Ann Example": 447700900123,
		" Ann  Example ": 447700900123, "Local Only": 0, "Twice": 0, "twice": 0, "Nobody": 0,
		"ann example":                  447700900123, // case does not decide when only one name fits
		"\u200eAnn Example\u200f":      447700900123, // direction marks, as exports put around names
		"\u2068Ann\u00a0Example\u2069": 447700900123, // isolates and a no-break space
		"Jo\u0308rg Mu\u0308ller":      491512345678, // decomposed accents (a Mac's file names, some phones)
	} {
		if got := a.lookup(name); got != want {
			t.Errorf("lookup(%q) = %d, want %d", name, got, want)
		}
	}
	problems := strings.Join(a.problems, "\n")
	for _, w := range []string{"contacts.vcf:15: Local Only", "no country code", "Twice appears twice"} {
		if !strings.Contains(problems, w) {
			t.Errorf("problems lack %q:\n%s", w, problems)
		}
	}
	a, err = readAddressBook(strings.NewReader("name,phone\nMum \u2764\ufe0f,+44 7700 900001\nann,+44 7700 900002\nAnn,+44 7700 900003\n"), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]uint64{"Mum \u2764": 447700900001, "MUM \u2764\ufe0f": 447700900001,
		"Ann": 447700900003, "ann": 447700900002, "ANN": 0} {
		if got := a.lookup(name); got != want {
			t.Errorf("lookup(%q) = %d, want %d", name, got, want)
		}
	}
	csv := "name,phone\nAnn Example,+44 7700 900123\n\"Smith, Bob\",0044 7700 900456\nbad line\n"
	a, err = readAddressBook(strings.NewReader(csv), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	if a.lookup("Smith, Bob") != 447700900456 || a.lookup("Ann Example") != 447700900123 || a.lookup("name") != 0 {
		t.Errorf("CSV: %v", a.numbers)
	}
	if !strings.Contains(strings.Join(a.problems, "\n"), "c.csv:4: want name,phone") {
		t.Errorf("CSV problems: %q", a.problems)
	}
	var oe *exporters.OptionError
	if _, err := readAddressBook(strings.NewReader("just text\n"), "x.txt"); !errors.As(err, &oe) {
		t.Errorf("a file with no contacts: %v, want an option error", err)
	}
}

func FuzzAddressBook(f *testing.F) {
	f.Add([]byte("BEGIN:VCARD\nFN:Ann\nTEL;CELL:+44 7700 900123\nEND:VCARD\n"))
	f.Add([]byte("name,phone\nAnn,+44 7700 900123\n"))
	f.Add([]byte("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=C3=\n=BC\nEND:VCARD"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := readAddressBook(strings.NewReader(string(data)), "f")
		if err != nil {
			return
		}
		for name, n := range a.numbers {
			if n != 0 && name != normName(name) {
				t.Errorf("name %q is not normalised", name)
			}
		}
	})
}
