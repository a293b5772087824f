package whatsapp

import "strings"

// dateOrder says which date field is the day, the month and the year.
type dateOrder byte

const (
	orderUnknown dateOrder = iota
	orderDMY
	orderMDY
	orderYMD
	orderMYD // "[06/2018/13, …]": the year in the middle
	orderDYM
	numOrders
)

func (o dateOrder) String() string {
	switch o {
	case orderDMY:
		return "dmy"
	case orderMDY:
		return "mdy"
	case orderYMD:
		return "ymd"
	case orderMYD:
		return "myd"
	case orderDYM:
		return "dym"
	}
	return ""
}

func parseOrder(s string) (dateOrder, bool) {
	switch strings.ToLower(s) {
	case "dmy":
		return orderDMY, true
	case "mdy":
		return orderMDY, true
	case "ymd":
		return orderYMD, true
	case "myd":
		return orderMYD, true
	case "dym":
		return orderDYM, true
	}
	return orderUnknown, false
}

// date returns the calendar date h names when read in order o.
func (h *header) date(o dateOrder) (y, m, d int, ok bool) {
	if h.named != 0 {
		o = orderDMY // f holds day, month and year
		if h.w[2] == 0 {
			return 0, 0, 0, false // the year is left out: see yearTracker
		}
	}
	yi := 2
	switch o {
	case orderDMY:
		d, m, y = h.f[0], h.f[1], h.f[2]
	case orderMDY:
		m, d, y = h.f[0], h.f[1], h.f[2]
	case orderYMD:
		y, m, d, yi = h.f[0], h.f[1], h.f[2], 0
	case orderMYD:
		m, y, d, yi = h.f[0], h.f[1], h.f[2], 1
	case orderDYM:
		d, y, m, yi = h.f[0], h.f[1], h.f[2], 1
	default:
		return 0, 0, 0, false
	}
	switch h.era {
	case 'B':
		y -= 543
	case 'R':
		y += 2018
	case 'H':
		y += 1988
	case 'S':
		y += 1925
	case 'T':
		y += 1911
	default:
		if h.w[yi] <= 2 {
			y += 2000
		}
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// hour24 returns the hour on a 24-hour clock, and whether a 12-hour
// reading was outside 1–12 (then the hour is taken as written).
func (h *header) hour24() (int, bool) {
	hh := h.hour
	switch h.half {
	case halfNone:
		return hh, false
	case halfNight:
		if hh == 12 {
			return 0, false
		}
		if hh >= 6 && hh < 12 {
			return hh + 12, false
		}
		return hh, hh == 0 || hh > 12
	}
	if hh == 0 || hh > 12 {
		return hh, true
	}
	if h.half == halfAM {
		if hh == 12 {
			return 0, false
		}
		return hh, false
	}
	if hh == 12 {
		return 12, false
	}
	return hh + 12, false
}
