//go:build !unix

package importertest

import "time"

// CPUTime is not measured on this system: it returns 0.
func CPUTime() time.Duration { return 0 }

// MaxRSS is not measured on this system: it returns 0.
func MaxRSS() int64 { return 0 }
