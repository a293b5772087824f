package telegramjson_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// writeExport writes an account export of about size bytes: chats of
// 100,000 messages each with replies, reactions, media and service
// messages, in Telegram Desktop's layout.
func writeExport(tb testing.TB, path string, size int64) int {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "{\n \"about\": \"generated\",\n \"personal_information\": {\n  \"user_id\": 1,\n  \"first_name\": \"Me\",\n  \"last_name\": \"\",\n  \"phone_number\": \"+44 7700 900000\"\n },\n \"chats\": {\n  \"about\": \"\",\n  \"list\": [")
	var written int64
	msgs := 0
	start := int64(1700000000)
	for chat := 0; written < size; chat++ {
		if chat > 0 {
			w.WriteString(",")
		}
		n, _ := fmt.Fprintf(w, "\n   {\n    \"name\": \"Chat %d\",\n    \"type\": \"private_group\",\n    \"id\": %d,\n    \"messages\": [", chat, 1000+chat)
		written += int64(n)
		for i := 1; i <= 100000 && written < size; i++ {
			if i > 1 {
				w.WriteString(",")
			}
			u := 1 + i%7
			var n int
			switch {
			case i%50 == 0:
				n, _ = fmt.Fprintf(w, "\n     {\n      \"id\": %d,\n      \"type\": \"service\",\n      \"date\": \"2023-11-14T22:13:20\",\n      \"date_unixtime\": \"%d\",\n      \"actor\": \"User %d\",\n      \"actor_id\": \"user%d\",\n      \"action\": \"invite_members\",\n      \"members\": [\n       \"User 3\"\n      ],\n      \"text\": \"\",\n      \"text_entities\": []\n     }", i, start+int64(i), u, u)
			case i%10 == 0:
				n, _ = fmt.Fprintf(w, "\n     {\n      \"id\": %d,\n      \"type\": \"message\",\n      \"date\": \"2023-11-14T22:13:20\",\n      \"date_unixtime\": \"%d\",\n      \"from\": \"User %d\",\n      \"from_id\": \"user%d\",\n      \"reply_to_message_id\": %d,\n      \"photo\": \"photos/photo_%d@14-11-2023_22-13-20.jpg\",\n      \"photo_file_size\": 123456,\n      \"width\": 1280,\n      \"height\": 960,\n      \"text\": \"a caption\",\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": \"a caption\"\n       }\n      ],\n      \"reactions\": [\n       {\n        \"type\": \"emoji\",\n        \"count\": 1,\n        \"emoji\": \"👍\",\n        \"recent\": [\n         {\n          \"from\": \"User 2\",\n          \"from_id\": \"user2\",\n          \"date\": \"2023-11-14T22:14:00\"\n         }\n        ]\n       }\n      ]\n     }", i, start+int64(i), u, u, i-3, i)
			default:
				n, _ = fmt.Fprintf(w, "\n     {\n      \"id\": %d,\n      \"type\": \"message\",\n      \"date\": \"2023-11-14T22:13:20\",\n      \"date_unixtime\": \"%d\",\n      \"from\": \"User %d\",\n      \"from_id\": \"user%d\",\n      \"text\": [\n       \"Message number %d with \",\n       {\n        \"type\": \"bold\",\n        \"text\": \"some bold text\"\n       },\n       \" and more words to make it a typical chat line\"\n      ],\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": \"Message number %d with \"\n       },\n       {\n        \"type\": \"bold\",\n        \"text\": \"some bold text\"\n       },\n       {\n        \"type\": \"plain\",\n        \"text\": \" and more words to make it a typical chat line\"\n       }\n      ]\n     }", i, start+int64(i), u, u, i, i)
			}
			written += int64(n)
			msgs++
		}
		w.WriteString("\n    ]\n   }")
	}
	w.WriteString("\n  ]\n }\n}")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return msgs
}

// BenchmarkImport reads generated exports of 20 MB and 200 MB and reports
// throughput and the peak heap in use while reading: the peak must not
// grow with the file (run with -bench Import -benchtime 1x).
func BenchmarkImport(b *testing.B) {
	f, err := importers.Lookup("telegram-json")
	if err != nil {
		b.Fatal(err)
	}
	for _, mb := range []int64{20, 200} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "result.json")
			msgs := writeExport(b, path, mb<<20)
			fi, _ := os.Stat(path)
			b.SetBytes(fi.Size())
			runtime.GC()
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				var ms runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
				}
			}()
			b.ResetTimer()
			for range b.N {
				src, err := importers.OpenSource(path, importers.DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
				if err != nil {
					b.Fatal(err)
				}
				got := 0
				err = importers.ReadAll(r, func(it model.Item) error {
					if _, ok := it.(*model.Message); ok {
						got++
					}
					return nil
				})
				src.Close()
				if err != nil {
					b.Fatal(err)
				}
				if got != msgs {
					b.Fatalf("read %d messages, wrote %d", got, msgs)
				}
			}
			b.StopTimer()
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(msgs), "messages")
		})
	}
}
