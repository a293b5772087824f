package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/chatferry/chatferry/model"
)

// shapeSample is how much of a transcript the header shape is inferred
// from: the most common header layout among its first lines.
const (
	shapeSampleLines = 20000
	shapeSampleBytes = 2 << 20
	maxShapes        = 64
)

// minBackSteps is how many more steps back in time one date order must
// cause than the other before chronology outweighs the date layout: a
// transcript is not always in time order, so one step decides nothing.
const minBackSteps = 3

// maxAuthors bounds the distinct senders of one chat (a WhatsApp group
// holds at most 1,024 members; renamed contacts add a few more).
const maxAuthors = 50000

// author is what the first pass learns about one sender's name.
type author struct {
	name       string
	plain      int // ordinary messages
	youDeleted int // "You deleted this message": the exporting user
	id         model.ParticipantID
}

// analysis is what the first pass over a transcript learns; the second
// pass reads the messages with it.
type analysis struct {
	shape    shape
	hasShape bool
	enc      encoding
	order    dateOrder
	basis    string // how the order was decided

	lines    int // lines in the file
	records  int // header lines
	preamble int // lines before the first header

	authors map[string]*author // by clean name
	byOrder []*author          // in order of first appearance
	me      *author

	group        bool
	subject      string // the last group subject the events name
	noticeAuthor string // the name iOS puts before the end-to-end notice

	dates    dateStats
	years    yearStats
	cutLine  int  // a last line that was cut off, 0 if none
	cutDrop  bool // the cut-off line is a partial header and is left out
	notUTF8  int  // lines that are not valid UTF-8
	firstBad int  // the first of them
	loneCR   int  // lines with a carriage return inside
	firstCR  int  // the first of them
	warnings []model.Warning
	display  string
	scratch  []byte

	found authorCache // names as written, and the senders they name
}

// dateStats collects what decides the date order.
type dateStats struct {
	max       [3]int
	over12    [3]int         // headers whose first / second / third field exceeds 12
	firstOver [3]int         // the first line where it does
	unpadded  bool           // a one-digit day or month field
	back      [numOrders]int // backward steps in time, per dateOrder
	invalid   [numOrders]int // dates that do not exist, per dateOrder
	firstBad  [numOrders]int
	changes   [3]int // how often each field changed
	have      bool
	prev      [numOrders]int64 // the previous header's instant, per dateOrder (-1 if invalid)
	prevF     [3]int
	prevW     [3]int8
	day       [numOrders]int64 // the previous header's day, per dateOrder (-1 if invalid)
	oddHours  int              // 12-hour times outside 1–12
	firstOdd  int
}

// sniffShape returns the most common header shape in the first lines of
// the transcript.
func sniffShape(lr *lineReader) (shape, bool, error) {
	counts := map[shape]int{}
	var order []shape
	var h header
	read := 0
	for n := 0; n < shapeSampleLines && read < shapeSampleBytes; n++ {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return shape{}, false, err
		}
		read += len(line) + 1
		if scanHeader(line, &h) != isHeader {
			continue
		}
		if _, ok := counts[h.shape]; !ok {
			if len(counts) == maxShapes {
				continue
			}
			order = append(order, h.shape)
		}
		counts[h.shape]++
	}
	best, top := shape{}, 0
	for _, s := range order {
		if counts[s] > top {
			best, top = s, counts[s]
		}
	}
	return best, top > 0, nil
}

// analyze is the first pass: it reads every line once and learns the
// date order, the senders, the chat's kind and where the file is cut.
func analyze(ctx context.Context, t *transcript, opts *options) (*analysis, error) {
	a := &analysis{authors: map[string]*author{}, display: t.display}
	lr, f, err := t.open()
	if err != nil {
		return nil, err
	}
	a.enc = t.enc
	a.shape, a.hasShape, err = sniffShape(lr)
	f.Close()
	if err != nil {
		return nil, t.fail(lr.errLine(), err)
	}
	if !a.hasShape {
		return a, nil
	}
	lr, f, err = t.open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var h header
	var scratch []byte
	var last []byte
	lastScan := notHeader
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, t.fail(lr.errLine(), err)
		}
		if lr.line&0xFFF == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if bytes.IndexByte(line, '\r') >= 0 {
			if a.loneCR++; a.loneCR == 1 {
				a.firstCR = lr.line
			}
		}
		if !utf8.Valid(line) && !(lr.cut && validUpToCut(line)) {
			if a.notUTF8++; a.notUTF8 == 1 {
				a.firstBad = lr.line
			}
		}
		st := scanHeader(line, &h)
		if lr.cut {
			last, lastScan = append(last[:0], line...), st
		}
		if st != isHeader || h.shape != a.shape {
			if a.records == 0 {
				a.preamble++
			}
			continue
		}
		a.records++
		if h.named != 0 {
			a.dates.addHour(&h, lr.line)
			a.years.add(&h, lr.line)
		} else {
			a.dates.add(&h, lr.line)
		}
		scratch = a.firstLine(line[h.body:], scratch)
		if len(a.authors) > maxAuthors {
			return nil, t.fail(lr.line, fmt.Errorf("more than %d different senders: this does not look like one chat", maxAuthors))
		}
	}
	a.lines = lr.line
	if lr.cut {
		switch {
		case lastScan == partHeader:
			a.cutLine, a.cutDrop = a.lines, true
			if a.records > 0 && a.preamble == a.lines {
				a.preamble--
			}
		case incompleteRune(last):
			a.cutLine = a.lines
		}
	}
	if a.shape.named != 0 {
		a.years.decide(a, opts.year, t.modTime())
	}
	if err := a.decide(opts); err != nil {
		return nil, t.fail(0, err)
	}
	return a, nil
}

// firstLine learns from the first line of a record: its sender, whether
// the exporting user wrote it, and what a system line says about the chat.
func (a *analysis) firstLine(body, scratch []byte) []byte {
	class, name, text := split(body, a)
	if class == classSystem {
		a.learnEvent(body)
		return scratch
	}
	au := a.author(name)
	key := ""
	if au != nil {
		key = au.name
	} else {
		clean := name
		if !isClean(name) {
			scratch = cleanName(scratch[:0], name)
			clean = scratch
		}
		key = string(clean)
	}
	if au == nil {
		if class == classNotice {
			a.learnNotice(key, text)
			return scratch
		}
		au = &author{name: key}
		a.authors[key] = au
		a.byOrder = append(a.byOrder, au)
	}
	switch class {
	case classNotice:
		a.learnNotice(key, text)
	case classUser:
		au.plain++
		if t, _ := openingMarks(text); mayBeDeleted(t) && deleted(string(t)) == 2 {
			au.youDeleted++
		}
	}
	return scratch
}

// known reports whether name has an entry among the senders.
func (a *analysis) known(name []byte) bool { return a.author(name) != nil }

// author returns the entry of a sender's name, or nil.
func (a *analysis) author(name []byte) *author {
	if au := a.found.get(name); au != nil {
		return au
	}
	var au *author
	if isClean(name) {
		au = a.authors[string(name)]
	} else {
		a.scratch = cleanName(a.scratch[:0], name)
		au = a.authors[string(a.scratch)]
	}
	if au != nil {
		a.found.put(name, au)
	}
	return au
}

// authorCache remembers the senders that names, as written, were found
// to be: a chat has few senders, and looking a name up here is cheaper
// than cleaning it and asking the map. Senders are never forgotten, so a
// name found once stays right.
type authorCache [256]struct {
	name []byte
	au   *author
}

func authorSlot(name []byte) int {
	n := len(name)
	if n == 0 {
		return 0
	}
	return int(byte(n) ^ name[0]*7 ^ name[n/2]*13 ^ name[n-1]*31)
}

func (c *authorCache) get(name []byte) *author {
	if e := &c[authorSlot(name)]; e.au != nil && string(e.name) == string(name) {
		return e.au
	}
	return nil
}

func (c *authorCache) put(name []byte, au *author) {
	e := &c[authorSlot(name)]
	e.name, e.au = append(e.name[:0], name...), au
}

// learnNotice notes the name iOS puts before the end-to-end notice, which
// is the chat's name.
func (a *analysis) learnNotice(name string, text []byte) {
	t, _ := openingMarks(text)
	if a.noticeAuthor == "" && classifyEvent(string(t)).typ == model.EventEncryption {
		a.noticeAuthor = name
	}
}

func (a *analysis) learnEvent(body []byte) {
	ev := classifyEvent(cleanText(body))
	if ev.group {
		a.group = true
	}
	if ev.subject != "" {
		a.subject = ev.subject
	}
}

// cleanText returns a system line without its invisible marks, for
// matching.
func cleanText(b []byte) string {
	return string(appendVisible(make([]byte, 0, len(b)), b))
}

// noticeIsSystem decides rule 5 of split for a name: its marked notices
// are system events when the name is the chat's or never sends an
// ordinary message.
func (a *analysis) noticeIsSystem(key string, au *author, titleKey string) bool {
	return au == nil || au.plain == 0 || key == titleKey
}

// addHour learns from the time of one header.
func (d *dateStats) addHour(h *header, line int) int {
	hour, odd := h.hour24()
	if odd {
		if d.oddHours == 0 {
			d.firstOdd = line
		}
		d.oddHours++
	}
	return hour
}

// add learns from one header with a numeric date.
func (d *dateStats) add(h *header, line int) {
	for i := 0; i < 3; i++ {
		d.max[i] = max(d.max[i], h.f[i])
		if h.f[i] > 12 {
			if d.over12[i] == 0 {
				d.firstOver[i] = line
			}
			d.over12[i]++
		}
		if h.w[i] == 1 && int8(i) != h.yearPos {
			d.unpadded = true
		}
	}
	hour := d.addHour(h, line)
	secs := int64(hour*3600 + h.min*60 + h.sec)
	if !d.have || h.f != d.prevF || h.w != d.prevW {
		// Runs of messages share a date: work the days out when it changes.
		for o := orderDMY; o < numOrders; o++ {
			d.day[o] = -1
			if y, m, day, ok := h.date(o); ok {
				d.day[o] = int64((y*13+m)*32 + day)
			}
		}
	}
	for o := orderDMY; o < numOrders; o++ {
		if d.day[o] < 0 {
			if d.invalid[o] == 0 {
				d.firstBad[o] = line
			}
			d.invalid[o]++
			d.prev[o] = -1
			continue
		}
		at := d.day[o]*86400 + secs
		if d.have && d.prev[o] >= 0 && at < d.prev[o] {
			d.back[o]++
		}
		d.prev[o] = at
	}
	if d.have {
		for i := 0; i < 3; i++ {
			if h.f[i] != d.prevF[i] {
				d.changes[i]++
			}
		}
	}
	d.prevF, d.prevW = h.f, h.w
	d.have = true
}
