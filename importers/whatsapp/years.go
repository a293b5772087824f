package whatsapp

import (
	"fmt"
	"io/fs"
	"time"

	"github.com/chatferry/chatferry/model"
)

// Exports of 2013–14 wrote dates with month names and left the year out
// of the dates of the current year ("18 Mar 12:14 - ", "Mar 5, 8:11 PM - ",
// next to "19:23, 28 Aug 2013 - "). The years left out are inferred from
// the order of the messages: a date more than two months before the one of
// the message above starts a new year. A header with a year sets the year
// from there on; before the first one, years are counted back from it, and
// in a file without any, back from the year of the last message, which is
// taken to be the year the file was last changed (or --year names the year
// of the first message). Either way the chat carries a "year-inferred"
// warning.

// yearTracker counts the years that start between headers.
type yearTracker struct {
	have bool
	prev int // day of the year of the previous header
	rel  int // years started since the first header
}

// newYearGap is how far back a date must go to start a new year.
const newYearGap = 61

// step moves to the next header and returns the years started since the
// first one.
func (t *yearTracker) step(h *header) int {
	at := dayOfYear(h.f[1], h.f[0])
	if t.have && at < t.prev-newYearGap {
		t.rel++
	}
	t.prev, t.have = at, true
	return t.rel
}

// dayOfYear numbers month and day through a leap year.
func dayOfYear(month, day int) int {
	if month < 1 || month > 12 {
		return day
	}
	return [...]int{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335}[month-1] + day
}

// yearStats is what the first pass learns about years left out.
type yearStats struct {
	track     yearTracker
	missing   int // headers without a year
	firstMiss int // the line of the first
	explicit  int // the line of the first header with a year, 0 if none
	base      int // the year of the first header, once decided
	from      string
}

// add learns from one header with a month name.
func (y *yearStats) add(h *header, line int) {
	rel := y.track.step(h)
	if h.w[2] != 0 {
		if y.explicit == 0 {
			y.explicit, y.base = line, h.f[2]-rel
		}
		return
	}
	if y.missing == 0 {
		y.firstMiss = line
	}
	y.missing++
}

// decide settles the year of the first header and warns when years were
// inferred. modTime is when the transcript was last changed (zero when
// unknown).
func (y *yearStats) decide(a *analysis, first int, modTime time.Time) {
	switch {
	case first > 0:
		y.base = first
		y.from = fmt.Sprintf("%d, the year --year gives the first message", first)
	case y.explicit > 0:
		y.from = fmt.Sprintf("the year in the header on line %d", y.explicit)
	case !modTime.IsZero():
		y.base = modTime.Year() - y.track.rel
		y.from = fmt.Sprintf("%d for the last message, the year the file was last changed", modTime.Year())
	default:
		now := time.Now().Year()
		y.base = now - y.track.rel
		y.from = fmt.Sprintf("%d for the last message, the current year (the file has no date of its own)", now)
	}
	if y.missing == 0 {
		return
	}
	a.warn(model.Pos{File: a.display, Line: y.firstMiss}, "year-inferred", fmt.Sprintf(
		"%d message header(s) have no year (the first is here), as exports of 2013–14 left it out for the current year; chatferry infers it from the order of the messages, counting a new year wherever a date goes back by more than two months, from %s. If the years are wrong, run again with --year (the year of the first message)",
		y.missing, y.from))
}

// modTime returns when the transcript was last changed, or the zero time.
func (t *transcript) modTime() time.Time {
	info, err := fs.Stat(t.src.FS, t.name)
	if err != nil {
		return time.Time{}
	}
	return info.ModTime()
}

// yearOf fills in the year a header with a month name leaves out, in the
// second pass: base is the year of the first header, kept up to date by
// headers that have a year.
func (c *chatReader) yearOf(h *header) {
	rel := c.years.step(h)
	if h.w[2] != 0 {
		c.yearBase = h.f[2] - rel
		return
	}
	h.f[2], h.w[2] = c.yearBase+rel, 4
}
