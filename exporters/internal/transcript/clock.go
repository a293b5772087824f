// Package transcript holds what chatferry's plain archive formats (csv,
// markdown, text) share: how a message time is shown to people, and how a
// participant, an attachment, a reply, a poll, a location, a contact card,
// a call and reactions are described as a line of text.
//
// Times follow one rule everywhere: a floating time (a wall-clock reading
// without a zone, as in WhatsApp's text export) is shown exactly as written
// and never with "Z" or an offset; a zoned time is converted to the zone the
// user chose (Options.TZ). The formats say in a header which of the two
// their times are.
//
// Nothing here keeps more than a bounded amount of state: Describer
// remembers a fixed number of recent messages so that a reply can show what
// it answers.
package transcript

import (
	"strconv"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// Clock shows message times for people. The zero Clock shows zoned times
// in UTC.
type Clock struct {
	// TZ is the zone zoned times are converted to.
	TZ *time.Location
}

func (c Clock) loc() *time.Location {
	if c.TZ == nil {
		return time.UTC
	}
	return c.TZ
}

// Wall returns the reading to show for ts: the reading as written for a
// floating time (in a time.Time whose zone must not be printed), the
// instant in TZ for a zoned one.
func (c Clock) Wall(ts model.Timestamp) time.Time {
	if ts.IsFloating() {
		return ts.Wall()
	}
	return ts.In(c.loc())
}

// Date formats the day of ts as "2024-03-01"; "" for an unknown time.
func (c Clock) Date(ts model.Timestamp) string {
	if ts.IsZero() {
		return ""
	}
	return c.Wall(ts).Format("2006-01-02")
}

// Time formats the time of day of ts: "09:15" when the source recorded
// minutes, "09:15:30" when it recorded seconds or milliseconds; "" for an
// unknown time.
func (c Clock) Time(ts model.Timestamp) string {
	if ts.IsZero() {
		return ""
	}
	if ts.Precision() == model.PrecisionMinute {
		return c.Wall(ts).Format("15:04")
	}
	return c.Wall(ts).Format("15:04:05")
}

// DateTime formats ts as "2024-03-01 09:15" (with seconds when the source
// recorded them); "" for an unknown time.
func (c Clock) DateTime(ts model.Timestamp) string {
	if ts.IsZero() {
		return ""
	}
	return c.Date(ts) + " " + c.Time(ts)
}

// Exact formats ts like DateTime but keeps milliseconds when the source
// recorded them: "2024-02-20 18:00:05.250".
func (c Clock) Exact(ts model.Timestamp) string {
	if ts.IsZero() {
		return ""
	}
	if ts.Precision() == model.PrecisionMillisecond {
		return c.Wall(ts).Format("2006-01-02 15:04:05.000")
	}
	return c.DateTime(ts)
}

// Near formats ts for a line about another moment ref (a reaction to a
// message, an edit): only the time of day when both fall on the same day,
// the date and time otherwise.
func (c Clock) Near(ts, ref model.Timestamp) string {
	if !ref.IsZero() && c.Date(ts) == c.Date(ref) {
		return c.Time(ts)
	}
	return c.DateTime(ts)
}

// Day formats the day of ts as a heading: "Friday, 1 March 2024".
func (c Clock) Day(ts model.Timestamp) string {
	if ts.IsZero() {
		return "Unknown date"
	}
	return c.Wall(ts).Format("Monday, 2 January 2006")
}

func appendTwo(b []byte, v int) []byte {
	if v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// ZoneName names TZ for people: its IANA name, or for time.Local the name
// of the zone of the computer that wrote the file, said to be that.
func (c Clock) ZoneName() string {
	return exporters.ZoneName(c.loc(), "the time zone of the computer that wrote this file")
}

// ZoneID names TZ for data: its IANA name, or "local" for time.Local.
func (c Clock) ZoneID() string {
	name := c.loc().String()
	if name == "Local" || name == "" {
		return "local"
	}
	return name
}

// Convention says in words how the times of kind floating are shown; it
// ends without a full stop.
func (c Clock) Convention(floating bool) string {
	if floating {
		return "as written in the source, which records no time zone"
	}
	return "converted to " + c.ZoneName()
}

// Mark returns a note to put beside a time, or "": the kind of a time that
// differs from the chat's convention (floating or not), and the UTC offset
// of a zoned time whose reading in TZ happened twice (the hour a
// daylight-saving change repeats), since the reading alone would not say
// which of the two it was.
func (c Clock) Mark(ts model.Timestamp, floating bool) string {
	if ts.IsZero() {
		return ""
	}
	var mark string
	if ts.IsFloating() != floating {
		mark = "no time zone"
		if !ts.IsFloating() {
			mark = c.ZoneName()
		}
	}
	if ts.IsFloating() {
		return mark
	}
	if t := c.Wall(ts); repeated(t) {
		_, off := t.Zone()
		if mark != "" {
			mark += ", "
		}
		mark += "UTC" + formatOffset(off)
	}
	return mark
}

// repeated reports whether the wall-clock reading of t names another
// instant too, in t's location.
func repeated(t time.Time) bool {
	_, off := t.Zone()
	for _, d := range [...]time.Duration{-3 * time.Hour, 3 * time.Hour} {
		_, other := t.Add(d).Zone()
		if other == off {
			continue
		}
		u := t.Add(time.Duration(off-other) * time.Second)
		if u.Hour() == t.Hour() && u.Minute() == t.Minute() && u.Second() == t.Second() && u.Day() == t.Day() {
			return true
		}
	}
	return false
}

// formatOffset formats an offset in seconds as "+02:00".
func formatOffset(off int) string {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b := appendTwo([]byte{sign}, off/3600)
	b = append(b, ':')
	return string(appendTwo(b, off%3600/60))
}

// FormatDuration formats d as "0:45", "12:34" or "1:02:03".
func FormatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	h, m, sec := s/3600, s%3600/60, s%60
	var b []byte
	if h > 0 {
		b = strconv.AppendInt(b, h, 10)
		b = append(b, ':')
		b = appendTwo(b, int(m))
	} else {
		b = strconv.AppendInt(b, m, 10)
	}
	b = append(b, ':')
	return string(appendTwo(b, int(sec)))
}
