package signal

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"os"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/chatferry/chatferry/exporters"
)

// parseE164 reads a phone number in international form ("+49 151 2345678",
// "0049-151-2345678", "(+44) 7700 900123") and returns its digits as the
// number Signal stores. Numbers without a country code are refused: their
// country cannot be known, and a guess could name someone else.
func parseE164(s string) (uint64, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "tel:")
	var digits strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && digits.Len() == 0 && !plus:
			plus = true
		case r == '(' && i == 0, r == ')', r == '-', r == '.', r == '/', unicode.IsSpace(r),
			unicode.Is(unicode.Bidi_Control, r), r == '\u200e', r == '\u200f', r == '(':
		default:
			return 0, fmt.Errorf("%q is not a phone number", s)
		}
	}
	d := digits.String()
	if !plus && strings.HasPrefix(d, "00") {
		plus, d = true, d[2:]
	}
	if !plus {
		return 0, fmt.Errorf("%q has no country code (write it as +<country code> <number>)", s)
	}
	if len(d) < 7 || len(d) > 15 || d[0] == '0' {
		return 0, fmt.Errorf("%q is not an international phone number", s)
	}
	return strconv.ParseUint(d, 10, 64)
}

// normName is the form names are compared in: spaces trimmed and runs of
// white space (including no-break spaces) made one space.
// normName is how names are compared: in Unicode's composed form, without
// invisible format characters (direction marks, isolates around names)
// and emoji variation selectors, spaces collapsed. A name typed on one
// phone and exported by another then still matches.
func normName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || r == '\uFE0E' || r == '\uFE0F' {
			return -1
		}
		return r
	}, norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// addressBook maps names to phone numbers, from a --contacts file.
type addressBook struct {
	numbers   map[string]uint64 // by normName; 0 when the name is ambiguous
	folded    map[string]uint64 // by lower-case normName; 0 when ambiguous
	problems  []string          // lines that could not be used, for the report
	ambiguous map[string]bool
}

func (a *addressBook) add(name string, phones []vcardPhone, where string) {
	name = normName(name)
	if name == "" || len(phones) == 0 {
		return
	}
	var num uint64
	for _, p := range phones {
		n, err := parseE164(p.value)
		if err != nil {
			a.problems = append(a.problems, fmt.Sprintf("%s: %s: %v", where, name, err))
			continue
		}
		if num == 0 || p.mobile {
			num = n
			if p.mobile {
				break
			}
		}
	}
	if num == 0 {
		return
	}
	if prev, ok := a.numbers[name]; ok && prev != num {
		a.numbers[name] = 0
		a.folded[strings.ToLower(name)] = 0
		a.ambiguous[name] = true
		a.problems = append(a.problems, fmt.Sprintf("%s: %s appears twice with different numbers; neither is used", where, name))
		return
	}
	if a.ambiguous[name] {
		return
	}
	a.numbers[name] = num
	low := strings.ToLower(name)
	if prev, ok := a.folded[low]; ok && prev != num {
		num = 0 // "ann" and "Ann" with different numbers: only exact names decide
	}
	a.folded[low] = num
}

// lookup returns the number for a name, or 0.
func (a *addressBook) lookup(name string) uint64 {
	if a == nil {
		return 0
	}
	name = normName(name)
	if n, ok := a.numbers[name]; ok {
		return n
	}
	return a.folded[strings.ToLower(name)]
}

// maxContactsFile bounds the size of a contacts file.
const maxContactsFile = 64 << 20

// loadAddressBook reads a vCard file (as phones export their address
// book) or a CSV file of name,phone rows.
func loadAddressBook(path string) (*addressBook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--contacts: %w", err)
	}
	defer f.Close()
	return readAddressBook(io.LimitReader(f, maxContactsFile), path)
}

func readAddressBook(r io.Reader, name string) (*addressBook, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	a := &addressBook{numbers: map[string]uint64{}, folded: map[string]uint64{}, ambiguous: map[string]bool{}}
	if bytes.HasPrefix(bytes.ToUpper(bytes.TrimSpace(data)), []byte("BEGIN:VCARD")) {
		err = readVCards(data, name, a.add)
	} else {
		err = readCSV(data, name, a)
	}
	// A file that gives no usable contacts is a mistake on the command
	// line, as a bad option value is.
	if err != nil {
		return nil, &exporters.OptionError{Err: err}
	}
	if len(a.numbers) == 0 {
		return nil, exporters.OptionErrorf("%s: no name with an international phone number found (want a vCard file or CSV rows of name,phone)", name)
	}
	return a, nil
}

func readCSV(data []byte, name string, a *addressBook) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s:%d", name, line)
		if len(rec) < 2 {
			a.problems = append(a.problems, where+": want name,phone")
			continue
		}
		if row == 1 && strings.EqualFold(strings.TrimSpace(rec[1]), "phone") {
			continue // a header
		}
		a.add(rec[0], []vcardPhone{{value: rec[1]}}, where)
	}
}

type vcardPhone struct {
	value  string
	mobile bool
}

// readVCards calls add for every card with its formatted name and phones.
// It unfolds lines, decodes quoted-printable values (vCard 2.1, as Android
// exports them) and backslash escapes (3.0 and 4.0).
func readVCards(data []byte, file string, add func(name string, phones []vcardPhone, where string)) error {
	lines := unfoldVCard(data)
	var fn, n string
	var phones []vcardPhone
	start := 0
	in := false
	for _, l := range lines {
		key, params, value, ok := splitVCardLine(l.text)
		if !ok {
			continue
		}
		switch key {
		case "BEGIN":
			in, fn, n, phones, start = true, "", "", nil, l.num
		case "END":
			if in {
				name := fn
				if name == "" {
					name = nameFromN(n)
				}
				add(name, phones, fmt.Sprintf("%s:%d", file, start))
			}
			in = false
		case "FN":
			fn = vcardValue(params, value)
		case "N":
			n = vcardValue(params, value)
		case "TEL":
			p := strings.ToUpper(params)
			phones = append(phones, vcardPhone{value: vcardValue(params, value),
				mobile: strings.Contains(p, "CELL") || strings.Contains(p, "MOBILE")})
		}
	}
	return nil
}

type vline struct {
	num  int
	text string
}

func unfoldVCard(data []byte) []vline {
	var out []vline
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	num := 0
	for sc.Scan() {
		num++
		t := strings.TrimRight(sc.Text(), "\r")
		switch {
		case len(out) > 0 && (strings.HasPrefix(t, " ") || strings.HasPrefix(t, "\t")):
			out[len(out)-1].text += t[1:]
		case len(out) > 0 && strings.HasSuffix(out[len(out)-1].text, "=") &&
			strings.Contains(strings.ToUpper(out[len(out)-1].text), "QUOTED-PRINTABLE"):
			out[len(out)-1].text = strings.TrimSuffix(out[len(out)-1].text, "=") + t // soft line break
		default:
			out = append(out, vline{num, t})
		}
	}
	return out
}

// splitVCardLine splits "item1.TEL;TYPE=CELL:+49…" into TEL, TYPE=CELL and
// the value.
func splitVCardLine(l string) (key, params, value string, ok bool) {
	i := strings.IndexByte(l, ':')
	if i < 0 {
		return "", "", "", false
	}
	head, value := l[:i], l[i+1:]
	key, params, _ = strings.Cut(head, ";")
	if j := strings.LastIndexByte(key, '.'); j >= 0 {
		key = key[j+1:]
	}
	return strings.ToUpper(strings.TrimSpace(key)), params, value, true
}

func vcardValue(params, value string) string {
	if strings.Contains(strings.ToUpper(params), "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(value))); err == nil {
			value = string(b)
		}
	}
	r := strings.NewReplacer(`\,`, ",", `\;`, ";", `\:`, ":", `\n`, " ", `\N`, " ", `\\`, `\`)
	return strings.TrimSpace(r.Replace(value))
}

// nameFromN builds "Given Family" from N:Family;Given;Middle;Prefix;Suffix.
func nameFromN(n string) string {
	parts := strings.Split(n, ";")
	var out []string
	for _, i := range []int{3, 1, 2, 0, 4} {
		if i < len(parts) && strings.TrimSpace(parts[i]) != "" {
			out = append(out, strings.TrimSpace(parts[i]))
		}
	}
	return strings.Join(out, " ")
}
