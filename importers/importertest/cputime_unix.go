//go:build unix

package importertest

import (
	"syscall"
	"time"
)

// CPUTime is the processor time this process has used, user and system,
// all threads and the garbage collector included. Benchmarks report work
// per CPU-second with it: on a busy machine it measures the work better
// than the wall clock.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MaxRSS is the most memory this process has held, C memory included.
func MaxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss << 10
}
