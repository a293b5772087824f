package model

import (
	"testing"
	"time"
)

func TestTimestampFormatAndParse(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ts   Timestamp
		want string
	}{
		{Floating(2022, 3, 23, 13, 31, 0, 0, PrecisionMinute), "2022-03-23T13:31:00"},
		{Floating(2022, 3, 23, 13, 31, 59, 0, PrecisionMinute), "2022-03-23T13:31:00"},
		{Floating(1999, 12, 31, 23, 59, 58, 0, PrecisionSecond), "1999-12-31T23:59:58"},
		{Floating(2024, 2, 29, 0, 0, 1, 123456789, PrecisionMillisecond), "2024-02-29T00:00:01.123"},
		{Zoned(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), PrecisionSecond), "2024-01-02T03:04:05Z"},
		{Zoned(time.Date(2024, 7, 2, 3, 4, 5, 0, berlin), PrecisionSecond), "2024-07-02T03:04:05+02:00"},
		{Zoned(time.Date(2024, 7, 2, 3, 4, 5, 0, time.FixedZone("", -(3*3600+30*60))), PrecisionMillisecond), "2024-07-02T03:04:05.000-03:30"},
		{FromUnixMilli(1700000000123), "2023-11-14T22:13:20.123Z"},
		{Timestamp{}, ""},
	} {
		if got := tc.ts.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
		back, err := ParseTimestamp(tc.want)
		if err != nil {
			t.Fatalf("ParseTimestamp(%q): %v", tc.want, err)
		}
		if back.String() != tc.want {
			t.Errorf("round trip of %q gives %q", tc.want, back.String())
		}
		if back.IsFloating() != tc.ts.IsFloating() && !tc.ts.IsZero() {
			t.Errorf("%q: floating = %v after parsing", tc.want, back.IsFloating())
		}
	}
}

func TestParseTimestampRejects(t *testing.T) {
	for _, s := range []string{"2022-03-23", "2022-03-23 13:31:00", "2022-13-01T00:00:00", "2022-02-30T10:00:00",
		"2022-03-23T24:00:00", "2022-03-23T13:31:00.12", "2022-03-23T13:31:00+0100", "2022-03-23T13:31:00Zjunk",
		"abcd-ef-ghTij:kl:mn", "2022-03-23T13:31:00+25:00"} {
		if _, err := ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q) accepted", s)
		}
	}
}

// A floating time is read in the zone the user gives; readings that a
// daylight-saving change skips or repeats are flagged.
func TestResolve(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, tc := range []struct {
		ts        Timestamp
		want      string
		ambiguous bool
	}{
		{Floating(2024, 1, 15, 12, 0, 0, 0, PrecisionMinute), "2024-01-15T11:00:00Z", false},
		{Floating(2024, 7, 15, 12, 0, 0, 0, PrecisionMinute), "2024-07-15T10:00:00Z", false},
		{Floating(2024, 3, 31, 2, 30, 0, 0, PrecisionMinute), "", true},  // skipped hour
		{Floating(2024, 10, 27, 2, 30, 0, 0, PrecisionMinute), "", true}, // repeated hour
		{Zoned(time.Date(2024, 3, 31, 2, 30, 0, 0, time.UTC), PrecisionSecond), "2024-03-31T02:30:00Z", false},
	} {
		got, amb := tc.ts.Resolve(berlin)
		if amb != tc.ambiguous {
			t.Errorf("%s: ambiguous = %v, want %v", tc.ts, amb, tc.ambiguous)
		}
		if tc.want != "" && got.UTC().Format(time.RFC3339) != tc.want {
			t.Errorf("%s in Berlin = %s, want %s", tc.ts, got.UTC().Format(time.RFC3339), tc.want)
		}
	}
}

// BenchmarkAppendFormat measures the formatting every exporter does for
// every message.
func BenchmarkAppendFormat(b *testing.B) {
	ts := Floating(2022, 3, 23, 13, 31, 0, 0, PrecisionMinute)
	var buf []byte
	for b.Loop() {
		buf = ts.AppendFormat(buf[:0])
	}
}
