package vcard

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		card, name string
		phones     []string
	}{
		{"BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nFN:John Doe\nitem1.TEL;waid=4917612345678:+49 176 12345678\nEND:VCARD", "John Doe", []string{"+49 176 12345678"}},
		{"BEGIN:VCARD\nN:Sample;Eve;;;\nTEL:+1\nTEL:+2\nEND:VCARD", "Eve Sample", []string{"+1", "+2"}},
		{"BEGIN:VCARD\r\nFN:Long\r\n  Name\r\nEND:VCARD", "Long Name", nil},
		{"BEGIN:VCARD\nFN:Comma\\, Inc.\nEND:VCARD", "Comma, Inc.", nil},
		// vCard 2.1 as Android writes it: quoted-printable UTF-8.
		{"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96zt=C3=BCrk;Ay=C5=9Fe;;;\r\nTEL;CELL:+90 555 000 0000\r\nEND:VCARD", "Ayşe Öztürk", []string{"+90 555 000 0000"}},
		// N in full: prefix, given, middle, family, suffix.
		{"BEGIN:VCARD\nN:Doe;John;Q.;Dr.;Jr.\nEND:VCARD", "Dr. John Q. Doe Jr.", nil},
		// The first FN counts; an empty one does not.
		{"BEGIN:VCARD\nFN: \nFN: First \nFN:Second\nEND:VCARD", "First", nil},
		// vCard 4.0 writes numbers as URIs; an empty one is no number.
		{"BEGIN:VCARD\nVERSION:4.0\nFN:Uri\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\nTEL:tel:\nEND:VCARD", "Uri", []string{"+1-555-0100"}},
		// Old Mac line ends, an escaped colon, a line without a name.
		{"BEGIN:VCARD\rFN:A\\: B\r:x\rEND:VCARD", "A: B", nil},
	} {
		c := Parse(tc.card)
		if c.Name != tc.name || !reflect.DeepEqual(c.Phones, tc.phones) || c.VCard != tc.card {
			t.Errorf("%q: name %q, phones %q; want %q, %q", tc.card, c.Name, c.Phones, tc.name, tc.phones)
		}
	}
}

// FuzzParse: the reader never panics, keeps the raw card, yields no empty
// phone number, and returns valid text for valid text that is not
// quoted-printable.
func FuzzParse(f *testing.F) {
	f.Add("BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nFN:John Doe\nitem1.TEL;waid=4917612345678:+49 176 12345678\nEND:VCARD")
	f.Add("BEGIN:VCARD\r\nFN:Folded\r\n  name\r\nTEL:1\r\nEND:VCARD")
	f.Add("TEL;ENCODING=QUOTED-PRINTABLE:=3D=\nEND")
	f.Fuzz(func(t *testing.T, card string) {
		c := Parse(card)
		if c.VCard != card {
			t.Fatal("the raw card is not kept")
		}
		for _, p := range c.Phones {
			if strings.TrimSpace(p) == "" {
				t.Fatal("an empty phone number")
			}
		}
		if utf8.ValidString(card) && !utf8.ValidString(c.Name) && !strings.Contains(strings.ToUpper(card), "QUOTED-PRINTABLE") {
			t.Fatalf("invalid UTF-8 name %q from valid input", c.Name)
		}
	})
}
