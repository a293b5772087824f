package whatsappios_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/whatsappios/iosfixture"
)

// benchDatabase generates (once per size, in the temporary folder) a
// database of n messages in 200 chats. CHATFERRY_BENCH_MESSAGES sets n
// (default: the 1,000,000), CHATFERRY_BENCH_CHATS the chats.
func benchDatabase(b *testing.B, index bool) (string, int) {
	b.Helper()
	n := 1_000_000
	if v := os.Getenv("CHATFERRY_BENCH_MESSAGES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	chats := 200
	if v := os.Getenv("CHATFERRY_BENCH_CHATS"); v != "" {
		var err error
		if chats, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	p := filepath.Join(os.TempDir(), fmt.Sprintf("chatferry-ios-bench-v2-%d-%d-%t.sqlite", n, chats, index))
	if _, err := os.Stat(p); err != nil {
		start := time.Now()
		if err := iosfixture.Generate("../../testdata/whatsapp-ios", p+".tmp", chats, n, index); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d messages in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return p, n
}

func BenchmarkImport(b *testing.B) {
	for _, index := range []bool{true, false} {
		b.Run(fmt.Sprintf("stanza-index=%t", index), func(b *testing.B) {
			p, n := benchDatabase(b, index)
			f, err := importers.Lookup("whatsapp-ios")
			if err != nil {
				b.Fatal(err)
			}
			var peak uint64
			cpu0 := importertest.CPUTime()
			b.ResetTimer()
			for range b.N {
				src, err := importers.OpenSource(p, importers.DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
				if err != nil {
					b.Fatal(err)
				}
				msgs := 0
				for {
					_, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					msgs++
					if msgs%100_000 == 0 {
						var ms runtime.MemStats
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				r.Close()
				src.Close()
				if msgs < n {
					b.Fatalf("%d items, want at least %d messages", msgs, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			// The machine may be shared: the rate per second of this
			// process's CPU time does not depend on the others.
			b.ReportMetric(float64(n)*float64(b.N)/(importertest.CPUTime()-cpu0).Seconds(), "msgs/cpu-s")
			b.ReportMetric(float64(importertest.MaxRSS())/(1<<20), "max-rss-MiB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
