package whatsapp

import (
	"fmt"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// decide settles the date order, the exporting user and the warnings.
func (a *analysis) decide(opts *options) error {
	if err := a.decideOrder(opts.order); err != nil {
		return err
	}
	d := &a.dates
	pos := func(line int) model.Pos { return model.Pos{File: a.display, Line: line} }
	if n := d.invalid[a.order]; n > 0 {
		a.warn(pos(d.firstBad[a.order]), "invalid-date",
			fmt.Sprintf("%d message header(s) name a date that does not exist when read as %s (the first is here); their time is left empty", n, orderWords(a.order)))
	}
	if d.oddHours > 0 {
		a.warn(pos(d.firstOdd), "odd-12-hour-time",
			fmt.Sprintf("%d header(s) have a 12-hour time outside 1–12 (the first is here); the hour was taken as written", d.oddHours))
	}
	if a.preamble > 0 && a.records > 0 {
		a.warn(pos(1), "text-before-first-message",
			fmt.Sprintf("%d line(s) come before the first message header; they are kept as one system note without a time", a.preamble))
	}
	if a.notUTF8 > 0 {
		a.warn(pos(a.firstBad), "not-utf8",
			fmt.Sprintf("%d line(s) are not valid UTF-8 (the first is here): the file was probably saved in another encoding, "+
				"such as Windows-1252; their text is kept, but the letters that are not UTF-8 become � in the outputs", a.notUTF8))
	}
	if a.loneCR > 0 {
		a.warn(pos(a.firstCR), "lone-cr",
			fmt.Sprintf("%d line(s) hold a carriage return (CR) that ends no line (the first is here); it is kept in the message. "+
				"If the file's lines end in CR alone, as old Mac software wrote them, chatferry read them as one: "+
				"convert the file's line endings to LF first", a.loneCR))
	}
	if a.cutLine > 0 {
		text := "the file ends in the middle of this line: it was cut off; everything before it is kept"
		if a.cutDrop {
			text = "the file ends in the middle of a message header on this line: it was cut off and the partial header is left out; everything before it is kept"
		}
		a.warn(pos(a.cutLine), "cut-off", text)
	}
	return a.decideMe(opts.me)
}

func (a *analysis) warn(p model.Pos, code, text string) {
	a.warnings = append(a.warnings, model.Warning{Pos: p, Code: code, Text: text})
}

var ordinals = [...]string{"first", "second", "third"}

func orderWords(o dateOrder) string {
	switch o {
	case orderDMY:
		return "day/month/year"
	case orderMDY:
		return "month/day/year"
	case orderYMD:
		return "year/month/day"
	case orderMYD:
		return "month/year/day"
	case orderDYM:
		return "day/year/month"
	}
	return "?"
}

// decideOrder picks the date order: from the user's option; from a field
// above 12 (or a year-first layout); else by which order keeps the
// messages in time order, then by which field changes more often (the
// day), then by the usual layout — the last three with a warning.
func (a *analysis) decideOrder(opt dateOrder) error {
	d := &a.dates
	if a.shape.named != 0 {
		// A month name tells the order.
		a.order, a.basis = orderDMY, "month names"
		if a.shape.named == 'm' {
			a.order = orderMDY
		}
		return nil
	}
	// The two orders to choose from, day first and month first, and the
	// fields that hold day and month in the first of them.
	dayFirst, monthFirst, fd, fm := orderDMY, orderMDY, 0, 1
	var cands []dateOrder
	switch {
	case a.shape.yearPos == 0 || d.max[0] > 31:
		cands = []dateOrder{orderYMD}
	case a.shape.yearPos == 1:
		dayFirst, monthFirst, fd, fm = orderDYM, orderMYD, 0, 2
		cands = []dateOrder{dayFirst, monthFirst}
	default:
		cands = []dateOrder{dayFirst, monthFirst}
	}
	if opt != orderUnknown {
		a.order, a.basis = opt, "option"
		if n := d.invalid[opt]; n > 0 && n*2 > a.records {
			return fmt.Errorf("--date-order %s does not fit this file: %d of %d dates do not exist when read as %s (the first at line %d)",
				opt, n, a.records, orderWords(opt), d.firstBad[opt])
		}
		return nil
	}
	if len(cands) == 1 || a.records == 0 {
		a.order, a.basis = cands[0], "layout"
		if a.shape.yearPos == 0 || d.max[0] > 31 {
			a.basis = "values"
		}
		return nil
	}
	switch {
	case d.over12[fd] > 0 && d.over12[fm] == 0:
		a.order, a.basis = dayFirst, "values"
		return nil
	case d.over12[fm] > 0 && d.over12[fd] == 0:
		a.order, a.basis = monthFirst, "values"
		return nil
	case d.over12[fd] > 0 && d.over12[fm] > 0:
		a.order, a.basis = dayFirst, "values"
		if d.invalid[monthFirst] < d.invalid[dayFirst] {
			a.order = monthFirst
		}
		a.warn(model.Pos{File: a.display}, "date-order-conflict", fmt.Sprintf(
			"the dates contradict each other: line %d has a %s field above 12, line %d a %s one; chatferry reads them as %s, which fits more of them. If that is wrong, run again with --date-order",
			d.firstOver[fd], ordinals[fd], d.firstOver[fm], ordinals[fm], orderWords(a.order)))
		return nil
	}
	var why string
	diff := d.back[dayFirst] - d.back[monthFirst]
	us := a.shape.dateSep == '/' && d.unpadded && a.shape.yearPos < 0
	padded4 := !d.unpadded && a.shape.yearPos == 2
	switch {
	case diff >= minBackSteps || diff <= -minBackSteps:
		a.order, a.basis = monthFirst, "chronology"
		if diff < 0 {
			a.order = dayFirst
		}
		why = "that keeps the messages in time order best"
	case us || padded4:
		a.order, a.basis = orderDMY, "layout"
		why = "zero-padded dates with four-digit years are written day first"
		if us {
			a.order = orderMDY
			why = "dates with one-digit fields and two-digit years are the United States layout"
		}
	case diff != 0:
		a.order, a.basis = monthFirst, "chronology"
		if diff < 0 {
			a.order = dayFirst
		}
		why = "that keeps the messages in time order best"
	case d.changes[fd] != d.changes[fm]:
		a.order, a.basis = dayFirst, "chronology"
		if d.changes[fm] > d.changes[fd] {
			a.order = monthFirst
		}
		why = "the day changes more often than the month"
	default:
		a.order, a.basis = dayFirst, "layout"
		why = "most exports write the day first"
	}
	other := monthFirst
	if a.order == monthFirst {
		other = dayFirst
	}
	a.warn(model.Pos{File: a.display}, "date-order-guessed", fmt.Sprintf(
		"no day in this file is above 12, so the date order is a guess: chatferry reads the dates as %s because %s. If that is wrong, run again with --date-order %s",
		orderWords(a.order), why, other))
	return nil
}

// decideMe finds the exporting user: named by --me, or revealed by "You
// deleted this message".
func (a *analysis) decideMe(me string) error {
	if me != "" {
		key := string(cleanName(nil, []byte(me)))
		au := a.authors[key]
		if au == nil {
			// Only letter case differs: take the one sender that fits
			// (several fit: none, rather than one picked by chance).
			var fits []*author
			for _, v := range a.byOrder {
				if strings.EqualFold(v.name, key) {
					fits = append(fits, v)
				}
			}
			if len(fits) > 1 {
				a.warn(model.Pos{File: a.display}, "me-ambiguous",
					fmt.Sprintf("--me %q fits several senders (%s, %s) but for letter case; give the name as the chat writes it", me, fits[0].name, fits[1].name))
				return nil
			}
			if len(fits) == 1 {
				au = fits[0]
			}
		}
		if au == nil || au.plain == 0 {
			a.warn(model.Pos{File: a.display}, "me-not-found", fmt.Sprintf("--me %q names nobody who sent a message in this chat", me))
			return nil
		}
		a.me = au
		return nil
	}
	var found []*author
	for _, au := range a.byOrder {
		if au.youDeleted > 0 && au.plain > 0 {
			found = append(found, au)
		}
	}
	switch len(found) {
	case 1:
		a.me = found[0]
	case 0:
	default:
		a.warn(model.Pos{File: a.display}, "me-ambiguous",
			fmt.Sprintf("several senders deleted messages as \"you\" (%s, %s); name the exporting user with --me", found[0].name, found[1].name))
	}
	return nil
}
