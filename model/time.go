package model

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Precision says how much of a Timestamp the source actually recorded.
type Precision uint8

// The precisions a source can record. A WhatsApp Android text export knows
// minutes, an iOS one seconds, the databases milliseconds.
const (
	PrecisionSecond Precision = iota // the zero value: seconds are meaningful
	PrecisionMinute
	PrecisionMillisecond
)

// String returns the name used in the canonical JSON ("minute", "second",
// "millisecond").
func (p Precision) String() string {
	switch p {
	case PrecisionMinute:
		return "minute"
	case PrecisionMillisecond:
		return "millisecond"
	default:
		return "second"
	}
}

// ParsePrecision is the inverse of Precision.String.
func ParsePrecision(s string) (Precision, error) {
	switch s {
	case "minute":
		return PrecisionMinute, nil
	case "second":
		return PrecisionSecond, nil
	case "millisecond":
		return PrecisionMillisecond, nil
	}
	return 0, fmt.Errorf("unknown time precision %q (want minute, second or millisecond)", s)
}

// Timestamp is a point in a chat's history. A floating timestamp is a
// wall-clock reading without a zone: it becomes an instant only when a zone
// is chosen (see In). A zoned timestamp is an instant that also remembers the
// offset it was recorded in. The zero Timestamp means "unknown".
type Timestamp struct {
	// wall holds the instant for zoned timestamps; for floating ones its
	// UTC fields hold the wall-clock reading.
	wall     time.Time
	floating bool
	prec     Precision
}

// Floating returns a floating timestamp for the given wall-clock reading.
// The nanosecond part is truncated to the precision.
func Floating(year int, month time.Month, day, hour, min, sec, nsec int, p Precision) Timestamp {
	t := time.Date(year, month, day, hour, min, sec, nsec, time.UTC)
	return Timestamp{wall: truncate(t, p), floating: true, prec: p}
}

// Zoned returns a zoned timestamp for the instant t, kept in t's location.
func Zoned(t time.Time, p Precision) Timestamp {
	return Timestamp{wall: truncate(t, p), prec: p}
}

// FromUnixMilli returns a zoned UTC timestamp with millisecond precision.
func FromUnixMilli(ms int64) Timestamp {
	return Timestamp{wall: time.UnixMilli(ms).UTC(), prec: PrecisionMillisecond}
}

func truncate(t time.Time, p Precision) time.Time {
	switch p {
	case PrecisionMinute:
		return t.Truncate(time.Minute)
	case PrecisionSecond:
		return t.Truncate(time.Second)
	default:
		return t.Truncate(time.Millisecond)
	}
}

// IsZero reports whether the timestamp is unknown.
func (ts Timestamp) IsZero() bool { return ts.wall.IsZero() }

// IsFloating reports whether the timestamp has no zone.
func (ts Timestamp) IsFloating() bool { return ts.floating }

// Precision returns what the source recorded.
func (ts Timestamp) Precision() Precision { return ts.prec }

// WithPrecision returns ts with the precision p, truncating if p is coarser.
func (ts Timestamp) WithPrecision(p Precision) Timestamp {
	ts.prec = p
	ts.wall = truncate(ts.wall, p)
	return ts
}

// Wall returns the wall-clock reading: for a floating timestamp a time in
// UTC whose fields are the reading, for a zoned one the instant in its own
// zone. Use it to print a time as the source showed it.
func (ts Timestamp) Wall() time.Time { return ts.wall }

// In returns the instant ts denotes, shown in loc. A floating timestamp is
// read as a wall-clock time in loc; a zoned one is converted to loc.
func (ts Timestamp) In(loc *time.Location) time.Time {
	t, _ := ts.Resolve(loc)
	return t
}

// Resolve is In that also reports whether the wall clock reading of a
// floating timestamp does not name exactly one instant in loc (it falls in a
// daylight-saving gap or overlap). Go's time.Date rule then picks one; the
// caller should count and report such times.
func (ts Timestamp) Resolve(loc *time.Location) (t time.Time, ambiguous bool) {
	if !ts.floating {
		return ts.wall.In(loc), false
	}
	w := ts.wall
	t = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	if t.Hour() != w.Hour() || t.Minute() != w.Minute() {
		return t, true // gap: this reading never happened in loc
	}
	_, off := t.Zone()
	for _, d := range []time.Duration{-time.Hour, time.Hour} {
		o := t.Add(d)
		if _, off2 := o.Zone(); off2 != off && o.Hour() == w.Hour() && o.Minute() == w.Minute() {
			return t, true // overlap: the reading happened twice
		}
	}
	return t, false
}

// Before reports whether ts is earlier than u, comparing floating
// timestamps by their wall clock and zoned ones as instants. Mixed
// comparisons read the floating side as UTC.
func (ts Timestamp) Before(u Timestamp) bool { return ts.wall.Before(u.wall) }

// Add returns ts moved by d, keeping its kind and precision.
func (ts Timestamp) Add(d time.Duration) Timestamp {
	ts.wall = ts.wall.Add(d)
	return ts
}

// String formats ts as ISO 8601: "2022-03-23T13:31:00" for a floating
// timestamp, "2022-03-23T13:31:00+01:00" or "...Z" for a zoned one. A
// millisecond timestamp carries three fraction digits. The zero Timestamp
// formats as "".
func (ts Timestamp) String() string { return string(ts.AppendFormat(nil)) }

// AppendFormat appends the String form of ts to b.
func (ts Timestamp) AppendFormat(b []byte) []byte {
	if ts.IsZero() {
		return b
	}
	w := ts.wall
	// Date and Clock each work the calendar out once; Year, Month and Day
	// would do it three times.
	year, month, day := w.Date()
	hour, min, sec := w.Clock()
	if year >= 0 && year <= 9999 {
		b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10))
	} else {
		b = appendInt(b, year, 4)
	}
	b = append(b, '-', byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10),
		'T', byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+min/10), byte('0'+min%10),
		':', byte('0'+sec/10), byte('0'+sec%10))
	if ts.prec == PrecisionMillisecond {
		b = append(b, '.')
		b = appendInt(b, w.Nanosecond()/1e6, 3)
	}
	if ts.floating {
		return b
	}
	_, off := w.Zone()
	if off == 0 {
		return append(b, 'Z')
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b = append(b, sign)
	b = appendInt(b, off/3600, 2)
	b = append(b, ':')
	return appendInt(b, off%3600/60, 2)
}

func appendInt(b []byte, v, width int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var buf [20]byte
	i := len(buf)
	for v >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	i--
	buf[i] = byte('0' + v)
	return append(b, buf[i:]...)
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (ts Timestamp) MarshalText() ([]byte, error) { return ts.AppendFormat(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseTimestamp.
func (ts *Timestamp) UnmarshalText(b []byte) error {
	t, err := ParseTimestamp(string(b))
	if err != nil {
		return err
	}
	*ts = t
	return nil
}

var errTimestampSyntax = errors.New("want YYYY-MM-DDTHH:MM:SS[.mmm][Z|±HH:MM]")

// ParseTimestamp reads the String form. Without an offset the result is
// floating; with a fraction it has millisecond precision, otherwise second
// precision (the canonical JSON records coarser precisions separately).
func ParseTimestamp(s string) (Timestamp, error) {
	if s == "" {
		return Timestamp{}, nil
	}
	bad := func() (Timestamp, error) {
		return Timestamp{}, fmt.Errorf("invalid time %q: %w", s, errTimestampSyntax)
	}
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return bad()
	}
	var f [6]int
	for i, span := range [6][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}} {
		n, err := strconv.Atoi(s[span[0]:span[1]])
		if err != nil || n < 0 {
			return bad()
		}
		f[i] = n
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return bad()
	}
	rest := s[19:]
	prec, ns := PrecisionSecond, 0
	if len(rest) > 0 && rest[0] == '.' {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j != 4 {
			return bad()
		}
		ms, _ := strconv.Atoi(rest[1:4])
		prec, ns, rest = PrecisionMillisecond, ms*1e6, rest[4:]
	}
	loc, floating := time.UTC, true
	switch {
	case rest == "":
	case rest == "Z":
		floating = false
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, err1 := strconv.Atoi(rest[1:3])
		m, err2 := strconv.Atoi(rest[4:6])
		if err1 != nil || err2 != nil || h > 23 || m > 59 {
			return bad()
		}
		off := h*3600 + m*60
		if rest[0] == '-' {
			off = -off
		}
		loc, floating = time.FixedZone("", off), false
	default:
		return bad()
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], ns, loc)
	if t.Day() != f[2] {
		return bad() // 31 February and friends
	}
	return Timestamp{wall: t, floating: floating, prec: prec}, nil
}
