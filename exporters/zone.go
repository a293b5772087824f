package exporters

import (
	"os"
	"strings"
	"time"
)

// LocalZoneName returns the IANA name of the computer's time zone, the
// one time.Local holds: named by the TZ variable (UTC when it is empty or
// names no zone), else by the link /etc/localtime; "" when nothing names
// it.
func LocalZoneName() string {
	file := "/etc/localtime"
	if tz, ok := os.LookupEnv("TZ"); ok {
		tz = strings.TrimPrefix(tz, ":")
		switch {
		case tz == "":
			return "UTC"
		case !strings.HasPrefix(tz, "/"):
			if _, err := time.LoadLocation(tz); err != nil {
				return "UTC"
			}
			return tz
		}
		file = tz
	}
	if target, err := os.Readlink(file); err == nil {
		file = target
	}
	if i := strings.LastIndex(file, "zoneinfo/"); i >= 0 {
		return file[i+len("zoneinfo/"):]
	}
	return ""
}

// ZoneName names loc for people: its IANA name; for time.Local, whose
// names the computer it stands for ("this computer's time zone"), after
// the zone's name when it can be found: "Europe/Berlin (whose)".
func ZoneName(loc *time.Location, whose string) string {
	if loc != nil && loc != time.Local {
		return loc.String()
	}
	if name := LocalZoneName(); name != "" {
		return name + " (" + whose + ")"
	}
	return whose
}
