package html

import (
	"time"

	"github.com/chatferry/chatferry/model"
)

// timeView is how a page shows one time: Short in the bubble, Title on
// hover (Full and how to read it), Attr for the datetime attribute, Day for
// the day separator.
type timeView struct {
	Short, Full, Title, Attr string
	Day, DayKey              string
}

// showTime formats ts for a page. A floating time is shown as the export
// wrote it, with no zone; a zoned one in tz.
func showTime(ts model.Timestamp, tz *time.Location) timeView {
	if ts.IsZero() {
		return timeView{Title: "time unknown"}
	}
	var t time.Time
	var v timeView
	if ts.IsFloating() {
		t = ts.Wall()
		v.Attr = ts.String()
		v.Full = t.Format(longLayout(ts))
		v.Title = v.Full + " (as the export wrote it, no time zone)"
	} else {
		t = ts.In(tz)
		v.Attr = model.Zoned(t, ts.Precision()).String()
		v.Full = t.Format(longLayout(ts) + " MST")
		v.Title = t.Format(longLayout(ts) + " MST (-07:00)")
		if tz.String() != "Local" {
			v.Title += ", " + tz.String()
		}
	}
	v.Short = t.Format("15:04")
	v.Day = t.Format("Monday, 2 January 2006")
	v.DayKey = t.Format("2006-01-02")
	return v
}

func longLayout(ts model.Timestamp) string {
	switch ts.Precision() {
	case model.PrecisionMinute:
		return "Mon 2 Jan 2006 15:04"
	case model.PrecisionMillisecond:
		return "Mon 2 Jan 2006 15:04:05.000"
	}
	return "Mon 2 Jan 2006 15:04:05"
}

// dayLabel is the short date the index shows for a chat's first and last
// message.
func dayLabel(ts model.Timestamp, tz *time.Location) string {
	if ts.IsZero() {
		return ""
	}
	if ts.IsFloating() {
		return ts.Wall().Format("2 Jan 2006")
	}
	return ts.In(tz).Format("2 Jan 2006")
}

// zoneName names tz for a reader: its IANA name, or for the machine's own
// zone, which has none, a phrase that says so.
func zoneName(tz *time.Location) string {
	if name := tz.String(); name != "Local" {
		return name
	}
	return "the time zone of the computer that wrote the archive"
}
