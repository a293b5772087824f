package exporters_test

import (
	"testing"
	"time"
	_ "time/tzdata" // zones load on a machine without a zone database

	"github.com/chatferry/chatferry/exporters"
)

func TestLocalZoneName(t *testing.T) {
	for _, tc := range []struct{ tz, want string }{
		{"", "UTC"},
		{"Europe/Berlin", "Europe/Berlin"},
		{":Asia/Tokyo", "Asia/Tokyo"},
		{"Nowhere/Land", "UTC"}, // Go reads a zone it cannot load as UTC
		{"/usr/share/zoneinfo/America/New_York", "America/New_York"},
		{"/nonexistent/file", ""},
	} {
		t.Run(tc.tz, func(t *testing.T) {
			t.Setenv("TZ", tc.tz)
			if got := exporters.LocalZoneName(); got != tc.want {
				t.Errorf("TZ=%q: %q, want %q", tc.tz, got, tc.want)
			}
		})
	}
}

func TestZoneName(t *testing.T) {
	t.Setenv("TZ", "Europe/Berlin")
	if got, want := exporters.ZoneName(time.Local, "this computer's time zone"), "Europe/Berlin (this computer's time zone)"; got != want {
		t.Errorf("local: %q, want %q", got, want)
	}
	t.Setenv("TZ", "/nonexistent/file")
	if got, want := exporters.ZoneName(time.Local, "this computer's time zone"), "this computer's time zone"; got != want {
		t.Errorf("unnamed local: %q, want %q", got, want)
	}
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	if got := exporters.ZoneName(kolkata, "this computer's time zone"); got != "Asia/Kolkata" {
		t.Errorf("named zone: %q", got)
	}
}
