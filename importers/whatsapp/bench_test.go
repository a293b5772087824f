package whatsapp

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	exportjson "github.com/chatferry/chatferry/exporters/canonicaljson"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// generated writes (once per process) a generated export of about size
// bytes into a temporary folder and returns its path and statistics.
// WHATSAPP_GEN_DIR keeps the files in a folder of your choice, for
// running other parsers on the same input.
func generated(tb testing.TB, size int64, clock12 bool) (string, genStats) {
	tb.Helper()
	key := fmt.Sprintf("%d-%v", size, clock12)
	genMu.Lock()
	defer genMu.Unlock()
	if g, ok := genFiles[key]; ok {
		return g.path, g.st
	}
	dir := os.Getenv("WHATSAPP_GEN_DIR")
	if dir == "" {
		if genTemp == "" {
			var err error
			if genTemp, err = os.MkdirTemp("", "chatferry-whatsapp-gen-"); err != nil {
				tb.Fatal(err)
			}
		}
		dir = genTemp
	}
	layout := "24h"
	if clock12 {
		layout = "12h"
	}
	p := filepath.Join(dir, fmt.Sprintf("WhatsApp Chat with Generated %s %dMB.txt", layout, size>>20))
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := generate(f, 1, size, clock12)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
	genFiles[key] = genFile{p, st}
	return p, st
}

type genFile struct {
	path string
	st   genStats
}

var (
	genMu    sync.Mutex
	genFiles = map[string]genFile{}
	genTemp  string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if genTemp != "" {
		os.RemoveAll(genTemp)
	}
	os.Exit(code)
}

// importToJSON imports path and writes the canonical JSON to w; it
// returns the number of messages.
func importToJSON(tb testing.TB, path string, w io.Writer) int {
	src, err := importers.OpenSource(path, importers.DefaultLimits)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	r, err := Open(context.Background(), src, importers.Options{TZ: time.UTC})
	if err != nil {
		tb.Fatal(err)
	}
	jw := exportjson.NewWriter(w)
	n := 0
	err = importers.ReadAll(r, func(it model.Item) error {
		switch v := it.(type) {
		case *model.Chat:
			return jw.WriteChat(v)
		case *model.Message:
			n++
			return jw.WriteMessage(v)
		}
		return nil
	})
	if err == nil {
		err = jw.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkImportToJSON reads a generated 50 MB export into the canonical
// JSON. It reports MB/s and the peak heap (sampled) in MiB; run with
// -benchsize=500 for the 500 MB file.
func BenchmarkImportToJSON(b *testing.B) {
	for _, clock12 := range []bool{false, true} {
		name := "24h"
		if clock12 {
			name = "12h"
		}
		b.Run(fmt.Sprintf("%s-%dMB", name, *benchSize), func(b *testing.B) {
			path, st := generated(b, int64(*benchSize)<<20, clock12)
			b.SetBytes(st.bytes)
			runtime.GC()
			peak := sampleHeap()
			cpu0 := importertest.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if n := importToJSON(b, path, io.Discard); n != st.records {
					b.Fatalf("%d messages, generated %d", n, st.records)
				}
			}
			b.StopTimer()
			cpu := importertest.CPUTime() - cpu0
			b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(st.bytes)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
			b.ReportMetric(float64(st.records)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// sampleHeap samples the live heap every 50 ms until the returned
// function is called, which returns the largest sample.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var top uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				mu.Lock()
				top = max(top, ms.HeapInuse+ms.StackInuse)
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return top
	}
}

var benchSize = flag.Int("benchsize", 50, "size in MB of the generated export BenchmarkImportToJSON reads")

// BenchmarkImport reads the generated export without writing anything: the
// importer's own cost.
func BenchmarkImport(b *testing.B) {
	path, st := generated(b, int64(*benchSize)<<20, false)
	b.SetBytes(st.bytes)
	cpu0 := importertest.CPUTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := importers.OpenSource(path, importers.DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		r, err := Open(context.Background(), src, importers.Options{TZ: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		if err := importers.ReadAll(r, func(model.Item) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		src.Close()
		if n != st.records+1 {
			b.Fatalf("%d items, want %d", n, st.records+1)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(st.bytes)*float64(b.N)/(importertest.CPUTime()-cpu0).Seconds()/1e6, "MB/cpu-s")
}

// BenchmarkFloor measures what no reader of the generated export into the
// canonical JSON can avoid, with nothing parsed: "lines" reads every line;
// "lines-to-json" also writes each line as the text of one message (one
// message value reused, its id and time fixed) with the canonical JSON
// writer. It bounds from above what BenchmarkImportToJSON can reach here.
func BenchmarkFloor(b *testing.B) {
	path, st := generated(b, int64(*benchSize)<<20, false)
	for _, write := range []bool{false, true} {
		name := "lines"
		if write {
			name = "lines-to-json"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(st.bytes)
			for i := 0; i < b.N; i++ {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				br := bufio.NewReaderSize(f, 64<<10)
				jw := exportjson.NewWriter(io.Discard)
				chat := &model.Chat{ID: "c1", Title: "Generated", Kind: model.Group, Format: Name, TimePrecision: model.PrecisionMinute}
				if write {
					if err := jw.WriteChat(chat); err != nil {
						b.Fatal(err)
					}
				}
				m := &model.Message{ID: "m1", Kind: model.KindText, Time: model.Floating(2024, 3, 1, 9, 16, 0, 0, model.PrecisionMinute)}
				lines := 0
				for {
					line, err := br.ReadSlice('\n')
					if len(line) > 0 {
						lines++
						if write {
							m.Text = string(line[:len(line)-1])
							if err := jw.WriteMessage(m); err != nil {
								b.Fatal(err)
							}
						}
					}
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				if write {
					if err := jw.Close(); err != nil {
						b.Fatal(err)
					}
				}
				f.Close()
				if lines < st.records {
					b.Fatalf("%d lines, fewer than the %d messages", lines, st.records)
				}
			}
		})
	}
}
