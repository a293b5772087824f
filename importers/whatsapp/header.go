package whatsapp

import "strings"

// shape is the layout of a message header without its numbers: what a
// transcript's headers have in common. A line starts a message only if its
// header has the transcript's shape, so a pasted timestamp of another
// layout stays part of the message it was pasted into.
type shape struct {
	bracket   bool // iOS: "[...] "
	timeFirst bool // "[14:56:01, 3/18/22]"
	dateSep   byte // '/', '.' or '-'
	dateSpace bool // a space after each date separator ("13. 6. 2018.")
	dateDot   bool // a dot after the last date field
	yearPos   int8 // the field holding a four-digit or era year; -1 when none does
	era       byte // 'B' for a Buddhist-era year ("2565 BE"), 'R', 'H', 'S', 'T' for a Japanese era
	dateTime  byte // between date and time: ',' comma, 'a' Arabic comma, ' ' space, 'k' "klo", 'f' "à", 'h' " - "
	named     byte // a month name: 'd' "18 Mar", 'm' "Mar 5" (then f holds day, month, year; the year may be missing)
	timeSep   byte // ':' or '.'
	seconds   bool
	clock12   bool
	halfSpace int8 // the space before am/pm: 0 none, else its length (1 plain, 2 no-break, 3 narrow no-break)
	minuteDot bool // "13:34. - "
	end       byte // what ends the header: ']' (iOS), '-' (" - ", Android), ':' (old exports), ';' (old exports), ' ' (Hungarian)
}

// header is one parsed header line.
type header struct {
	shape
	f    [3]int  // the date fields in the order written
	w    [3]int8 // their digit counts
	hour int     // as written
	min  int
	sec  int
	half int8 // halfNone, halfAM, halfPM or halfNight
	body int  // offset of the text after the header
}

const (
	halfNone int8 = iota
	halfAM
	halfPM
	halfNight // "at night": evening hours are p.m., the small hours a.m.
)

type scan int

const (
	notHeader scan = iota
	isHeader
	partHeader // the line ends inside a header that had a whole date
)

// invisible returns the length of a format character at b[i:] that
// WhatsApp puts around headers and names (LRM, RLM, the bidi embeddings,
// overrides and isolates, and the byte order mark), or 0.
func invisible(b []byte, i int) int {
	if i+2 >= len(b) {
		return 0
	}
	switch b[i] {
	case 0xE2:
		c := b[i+2]
		if b[i+1] == 0x80 && (c == 0x8E || c == 0x8F || (c >= 0xAA && c <= 0xAE)) {
			return 3
		}
		if b[i+1] == 0x81 && c >= 0xA6 && c <= 0xA9 {
			return 3
		}
	case 0xEF:
		if b[i+1] == 0xBB && b[i+2] == 0xBF {
			return 3
		}
	}
	return 0
}

func skipInvisible(b []byte, i int) int {
	// 0xE2 and 0xEF, the lead bytes of the marks, and a few others pass
	// this cheap test; skipMarks looks closer.
	if i < len(b) && b[i]|0x0D == 0xEF {
		return skipMarks(b, i)
	}
	return i
}

// skipMarks is skipInvisible's loop, kept out of line so that the common
// case (no mark) inlines.
//
//go:noinline
func skipMarks(b []byte, i int) int {
	for {
		n := invisible(b, i)
		if n == 0 {
			return i
		}
		i += n
	}
}

// space returns the length of a space at b[i:]: a plain space, a
// no-break space, a narrow no-break space or a thin space; or 0.
func space(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	switch b[i] {
	case ' ':
		return 1
	case 0xC2:
		if i+1 < len(b) && b[i+1] == 0xA0 {
			return 2
		}
	case 0xE2:
		if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xAF || b[i+2] == 0x89) {
			return 3
		}
	}
	return 0
}

// digit returns the value and length of a decimal digit at b[i:]: ASCII,
// Arabic-Indic (U+0660…) or Extended Arabic-Indic (U+06F0…).
func digit(b []byte, i int) (int, int) {
	if i >= len(b) {
		return 0, 0
	}
	c := b[i]
	if c >= '0' && c <= '9' {
		return int(c - '0'), 1
	}
	if i+1 < len(b) {
		d := b[i+1]
		if c == 0xD9 && d >= 0xA0 && d <= 0xA9 {
			return int(d - 0xA0), 2
		}
		if c == 0xDB && d >= 0xB0 && d <= 0xB9 {
			return int(d - 0xB0), 2
		}
	}
	return 0, 0
}

// number reads up to five digits.
func number(b []byte, i int) (v, digits, next int) {
	for digits < 5 && i < len(b) && b[i]-'0' <= 9 {
		v = v*10 + int(b[i]-'0')
		digits++
		i++
	}
	if i < len(b) && (b[i] == 0xD9 || b[i] == 0xDB) {
		return moreDigits(b, i, v, digits)
	}
	return v, digits, i
}

// moreDigits goes on reading a number whose next digit may be an
// Arabic-Indic one.
func moreDigits(b []byte, i, v, digits int) (int, int, int) {
	for digits < 5 {
		d, n := digit(b, i)
		if n == 0 {
			break
		}
		v = v*10 + d
		digits++
		i += n
	}
	return v, digits, i
}

func isDigitAt(b []byte, i int) bool {
	if i < len(b) && b[i]-'0' <= 9 {
		return true
	}
	_, n := digit(b, i)
	return n > 0
}

// mayStartHeader reports whether a line's first byte can open a header: a
// digit (ASCII, or the lead byte of an Arabic-Indic one), "[", or the lead
// byte of an invisible mark. Most continuation lines fail this at once.
func mayStartHeader(c byte) bool {
	return c-'0' <= 9 || c == '[' || c == 0xD9 || c == 0xDB || c == 0xE2 || c == 0xEF || monthStarts[c]
}

// scanHeader parses the header at the start of line b into h.
func scanHeader(b []byte, h *header) scan {
	if len(b) == 0 || !mayStartHeader(b[0]) {
		return notHeader
	}
	if scanPlainHeader(b, h) {
		return isHeader
	}
	return scanAnyHeader(b, h)
}

// scanAnyHeader is scanHeader for every layout.
func scanAnyHeader(b []byte, h *header) scan {
	*h = header{}
	i := skipInvisible(b, 0)
	if i < len(b) && b[i] == '[' {
		h.bracket = true
		i = skipInvisible(b, i+1)
	}
	if i < len(b) && monthStarts[b[i]] && !h.bracket {
		return scanNamedFirst(b, i, h)
	}
	_, d, j := number(b, i)
	if d == 0 || d > 4 {
		return notHeader
	}
	if d <= 2 && j < len(b) && b[j] == ':' {
		return scanTimeFirst(b, i, h)
	}
	if d <= 2 && !h.bracket && j+1 < len(b) && b[j] == ' ' && monthStarts[b[j+1]] {
		return scanNamedFirst(b, i, h)
	}
	i, ok := scanDate(b, i, h)
	if !ok {
		return notHeader
	}
	return scanAfterDate(b, i, h)
}

// scanAfterDate reads what follows a header's date: the time and the end.
func scanAfterDate(b []byte, i int, h *header) scan {
	// Between date and time.
	i = skipInvisible(b, i)
	h.dateTime = ' '
	if i < len(b) && b[i] == ',' {
		h.dateTime = ','
		i++
	} else if i+1 < len(b) && b[i] == 0xD8 && b[i+1] == 0x8C { // Arabic comma
		h.dateTime = 'a'
		i += 2
	}
	sp := space(b, i)
	if sp == 0 {
		return endOrNot(b, i)
	}
	for sp > 0 {
		i += sp
		sp = space(b, i)
	}
	if h.dateTime == ' ' && i+1 < len(b) && b[i] == '-' && b[i+1] == ' ' && h.named == 0 {
		// "12.07.2017 - 22:35:22; Name: text"
		h.dateTime, i = 'h', i+2
	}
	if h.dateTime == ' ' {
		if hasWord(b, i, "klo") {
			h.dateTime, i = 'k', i+4
		} else if hasWord(b, i, "à") {
			h.dateTime, i = 'f', i+3
		}
	}
	i = skipInvisible(b, i)
	i, st := scanTime(b, i, h)
	if st != isHeader {
		return st
	}
	if h.bracket {
		return scanBracket(b, i, h)
	}
	return scanEnd(b, skipInvisible(b, i), h)
}

// scanBracket reads the "] " that ends an iOS header.
func scanBracket(b []byte, i int, h *header) scan {
	i = skipInvisible(b, i)
	if i >= len(b) {
		return partHeader
	}
	if b[i] != ']' {
		return notHeader
	}
	h.end = ']'
	i++
	if sp := space(b, i); sp > 0 {
		i += sp
	}
	h.body = i
	return isHeader
}

// hasWord reports whether b[i:] starts with w followed by a space.
func hasWord(b []byte, i int, w string) bool {
	return len(b) > i+len(w) && string(b[i:i+len(w)]) == w && b[i+len(w)] == ' '
}

// endOrNot is the result for a line that stopped matching at i after a
// whole date: a header cut off when the line ends there.
func endOrNot(b []byte, i int) scan {
	if i >= len(b) {
		return partHeader
	}
	return notHeader
}

// scanDate reads three date fields with their separators.
func scanDate(b []byte, i int, h *header) (int, bool) {
	h.yearPos = -1
	for k := 0; k < 3; k++ {
		if k == 2 && i+1 < len(b) && strings.IndexByte("RHST", b[i]) >= 0 && isDigitAt(b, i+1) {
			h.era = b[i]
			h.yearPos = 2
			i++
		}
		v, d, j := number(b, i)
		if d == 0 || d == 3 || d > 4 || (h.era != 0 && k == 2 && d > 2) {
			return i, false
		}
		h.f[k], h.w[k] = v, int8(d)
		i = j
		if d == 4 {
			// The year in the middle is an iOS layout ("[06/2018/13, …]").
			if h.yearPos >= 0 || k == 1 && !h.bracket {
				return i, false
			}
			h.yearPos = int8(k)
		}
		if k == 2 {
			break
		}
		i = skipInvisible(b, i)
		if i >= len(b) {
			return i, false
		}
		c := b[i]
		if c != '/' && c != '.' && c != '-' {
			return i, false
		}
		if k == 0 {
			h.dateSep = c
		} else if c != h.dateSep {
			return i, false
		}
		i++
		if sp := space(b, i); sp > 0 {
			if k == 1 && !h.dateSpace {
				return i, false
			}
			h.dateSpace = true
			i += sp
		} else if h.dateSpace {
			return i, false
		}
		i = skipInvisible(b, i)
	}
	if h.yearPos == 2 && h.era == 0 && hasSuffix(b, i, " BE") {
		h.era = 'B'
		i += 3
	}
	if h.dateSpace && h.dateSep == '.' && i < len(b) && b[i] == '.' {
		h.dateDot = true
		i++
	}
	return i, true
}

func hasSuffix(b []byte, i int, s string) bool {
	return len(b) >= i+len(s) && string(b[i:i+len(s)]) == s
}

// scanTime reads "H:MM[:SS][.] [am/pm]" and returns the offset after it.
func scanTime(b []byte, i int, h *header) (int, scan) {
	hh, d, j := number(b, i)
	if d == 0 || d > 2 {
		return i, endOrNot(b, i)
	}
	if j >= len(b) {
		return j, partHeader
	}
	sep := b[j]
	if sep != ':' && sep != '.' {
		return j, notHeader
	}
	mm, d, k := number(b, j+1)
	if d != 2 {
		return k, endOrNot(b, k)
	}
	h.timeSep = sep
	if k+1 == len(b) && b[k] == sep {
		return k, partHeader
	}
	if k+1 < len(b) && b[k] == sep && isDigitAt(b, k+1) {
		ss, d, k2 := number(b, k+1)
		if d != 2 || ss > 59 {
			return k2, notHeader
		}
		h.seconds, h.sec, k = true, ss, k2
	}
	if hh > 23 || mm > 59 {
		return k, notHeader
	}
	h.hour, h.min = hh, mm
	if k < len(b) && b[k] == '.' && (k+1 == len(b) || space(b, k+1) > 0) {
		h.minuteDot = true
		k++
	}
	sp := space(b, k)
	if half, n := ampm(b, k+sp); n > 0 {
		h.clock12, h.half, h.halfSpace = true, half, int8(sp)
		k += sp + n
	}
	return k, isHeader
}

// dayPeriods are the English words some locales write instead of am/pm.
var dayPeriods = []struct {
	word string
	half int8
}{
	{"in the morning", halfAM},
	{"in the afternoon", halfPM},
	{"in the evening", halfPM},
	{"at night", halfNight},
}

// ampm reads an am/pm marker at b[i:]: "AM", "am", "a.m.", "a. m." (any
// case, any space kind), Arabic "ص"/"م", or an English day period.
func ampm(b []byte, i int) (int8, int) {
	if i >= len(b) {
		return halfNone, 0
	}
	switch b[i] | 0x20 {
	case 'a', 'p', 'i', 0xD9 | 0x20, 0xD8 | 0x20:
	default:
		return halfNone, 0
	}
	switch c := b[i] | 0x20; c {
	case 'a', 'p':
		if n := latinAMPM(b, i); n > 0 {
			if c == 'a' {
				return halfAM, n
			}
			return halfPM, n
		}
	}
	if i+1 < len(b) {
		switch {
		case b[i] == 0xD9 && b[i+1] == 0x85: // م
			return halfPM, 2
		case b[i] == 0xD8 && b[i+1] == 0xB5: // ص
			return halfAM, 2
		}
	}
	for _, p := range dayPeriods {
		if hasSuffix(b, i, p.word) {
			return p.half, len(p.word)
		}
	}
	return halfNone, 0
}

// latinAMPM returns the length of "am"-like marker at b[i:], or 0.
func latinAMPM(b []byte, i int) int {
	j := i + 1
	if j < len(b) && b[j] == '.' {
		j++
	}
	if sp := space(b, j); sp > 0 && j+sp < len(b) && b[j+sp]|0x20 == 'm' {
		j += sp
	}
	if j >= len(b) || b[j]|0x20 != 'm' {
		return 0
	}
	j++
	if j < len(b) && b[j] == '.' {
		j++
	}
	if j < len(b) && b[j] != ']' && b[j] != ',' && b[j] != ':' && space(b, j) == 0 {
		return 0
	}
	return j - i
}

// scanEnd reads what ends an Android or old-style header.
func scanEnd(b []byte, i int, h *header) scan {
	if i >= len(b) {
		return partHeader
	}
	if b[i] == ':' || b[i] == ';' {
		if i+1 < len(b) && space(b, i+1) == 0 {
			return notHeader
		}
		h.end = b[i]
		h.body = i + 1 + space(b, i+1)
		return isHeader
	}
	sp := space(b, i)
	if sp == 0 {
		return notHeader
	}
	i += sp
	if i >= len(b) {
		return partHeader
	}
	if b[i] != '-' {
		// Hungarian and Croatian exports ("13. 6. 2018. 21:25:15 a: m")
		// end the header with the space alone.
		if h.dateDot && h.seconds {
			h.end, h.body = ' ', i
			return isHeader
		}
		return notHeader
	}
	i++
	if i < len(b) {
		sp = space(b, i)
		if sp == 0 {
			return notHeader
		}
		i += sp
	}
	h.end = '-'
	h.body = i
	return isHeader
}

// scanTimeFirst reads "[14:56:01, 3/18/22] " and "19:23, 28 Aug 2013 - ".
func scanTimeFirst(b []byte, i int, h *header) scan {
	h.timeFirst = true
	i, st := scanTime(b, i, h)
	if st != isHeader {
		return st
	}
	if i+1 >= len(b) {
		return partHeader
	}
	if b[i] != ',' || space(b, i+1) == 0 {
		return notHeader
	}
	h.dateTime = ','
	i = skipInvisible(b, i+1+space(b, i+1))
	if !h.bracket {
		i, st = scanNamedDate(b, i, h)
		if st != isHeader {
			return notHeader
		}
		return namedEnd(scanEnd(b, i, h))
	}
	i, ok := scanDate(b, i, h)
	if !ok {
		return endOrNot(b, i)
	}
	return scanBracket(b, i, h)
}

// scanNamedFirst reads a header that starts with a date with a month name
// ("Mar 5, 8:11 PM - ", "18 Mar 12:14 - ").
func scanNamedFirst(b []byte, i int, h *header) scan {
	i, st := scanNamedDate(b, i, h)
	if st != isHeader {
		return notHeader
	}
	return namedEnd(scanAfterDate(b, i, h))
}

// namedEnd is the result for a header with a month name: never a partial
// one, as a line like "Mar 5" at the end of a file is more likely text
// than a header cut off.
func namedEnd(st scan) scan {
	if st == partHeader {
		return notHeader
	}
	return st
}

// months are the month names of old exports ("28 Aug 2013", "Mar 5").
var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthStarts marks the first letters of the month names.
var monthStarts = func() (t [256]bool) {
	for _, m := range months {
		t[m[0]] = true
	}
	return t
}()

// monthAt returns the month (1–12) named at b[i:] and the offset after
// the name ("Sep" may be written "Sept"), or 0.
func monthAt(b []byte, i int) (int, int) {
	if i+3 > len(b) {
		return 0, i
	}
	for k, m := range months {
		if string(b[i:i+3]) == m {
			i += 3
			if k == 8 && i < len(b) && b[i] == 't' {
				i++
			}
			return k + 1, i
		}
	}
	return 0, i
}

// scanNamedDate reads a date with a month name: "28 Aug 2013", "18 Mar"
// (day first) or "Mar 5", "Mar 5, 2013" (month first). The year may be
// missing (old exports left it out for the current year): then w[2] is 0.
// h.f holds day, month and year in that order.
func scanNamedDate(b []byte, i int, h *header) (int, scan) {
	h.yearPos = -1
	if month, j := monthAt(b, i); month > 0 {
		// "Mar 5[, 2013]"
		if j >= len(b) || b[j] != ' ' {
			return j, notHeader
		}
		day, d, k := number(b, j+1)
		if d == 0 || d > 2 {
			return k, notHeader
		}
		h.named, h.f[0], h.w[0], h.f[1], h.w[1] = 'm', day, int8(d), month, 2
		// A year after ", " has four digits and no ':' or '.' after it.
		if k+2 < len(b) && b[k] == ',' && b[k+1] == ' ' {
			if y, d, n := number(b, k+2); d == 4 && (n >= len(b) || b[n] != ':' && b[n] != '.') {
				h.f[2], h.w[2], k = y, 4, n
			}
		}
		return k, isHeader
	}
	// "28 Aug[ 2013]"
	day, d, j := number(b, i)
	if d == 0 || d > 2 || j >= len(b) || b[j] != ' ' {
		return j, notHeader
	}
	month, k := monthAt(b, j+1)
	if month == 0 {
		return k, notHeader
	}
	h.named, h.f[0], h.w[0], h.f[1], h.w[1] = 'd', day, int8(d), month, 2
	if k+1 < len(b) && b[k] == ' ' {
		if y, d, n := number(b, k+1); d == 4 && (n >= len(b) || b[n] != ':' && b[n] != '.') {
			h.f[2], h.w[2], k = y, 4, n
		}
	}
	return k, isHeader
}
