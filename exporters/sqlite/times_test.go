package sqlite

import (
	"testing"
	"time"

	"github.com/chatferry/chatferry/model"
)

// appendTimes writes what model.Timestamp.String and Timestamp.In give.
func TestAppendTimes(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, ts := range []model.Timestamp{
		model.Floating(2024, 3, 1, 9, 15, 0, 0, model.PrecisionMinute),
		model.Floating(2024, 3, 31, 2, 30, 0, 0, model.PrecisionMinute),  // a gap in Berlin
		model.Floating(2024, 10, 27, 2, 30, 5, 0, model.PrecisionSecond), // an overlap
		model.Floating(1999, 12, 31, 23, 59, 59, 999e6, model.PrecisionMillisecond),
		model.Zoned(time.Date(2024, 2, 20, 18, 0, 5, 250e6, time.FixedZone("", 3600)), model.PrecisionMillisecond),
		model.Zoned(time.Date(2024, 2, 20, 18, 0, 5, 0, time.FixedZone("", -(3*3600+30*60))), model.PrecisionSecond),
		model.FromUnixMilli(1700000000123),
		model.Zoned(time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC), model.PrecisionSecond),
		model.Floating(2, 1, 1, 0, 0, 0, 0, model.PrecisionMinute),
	} {
		written, instant := appendTimes(nil, nil, ts, berlin)
		if string(written) != ts.String() {
			t.Errorf("written %s, want %s", written, ts.String())
		}
		if want := ts.In(berlin).UTC().Format(instantLayout); string(instant) != want {
			t.Errorf("%s: instant %s, want %s", ts, instant, want)
		}
	}
}

func BenchmarkAppendTimes(b *testing.B) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		ts   model.Timestamp
		loc  *time.Location
	}{
		{"floating-utc", model.Floating(2024, 3, 1, 9, 15, 0, 0, model.PrecisionMinute), time.UTC},
		{"floating-berlin", model.Floating(2024, 3, 1, 9, 15, 0, 0, model.PrecisionMinute), berlin},
		{"zoned-ms", model.FromUnixMilli(1700000000123), berlin},
	} {
		b.Run(c.name, func(b *testing.B) {
			var written, instant []byte
			for b.Loop() {
				written, instant = appendTimes(written[:0], instant[:0], c.ts, c.loc)
			}
		})
	}
}
