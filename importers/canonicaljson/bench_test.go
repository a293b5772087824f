package canonicaljson_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	exportjson "github.com/chatferry/chatferry/exporters/canonicaljson"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// writeLargeDocument writes a canonical JSON document with n messages.
func writeLargeDocument(tb testing.TB, n int) string {
	p := filepath.Join(tb.TempDir(), "large.json")
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	w := exportjson.NewWriter(bw)
	w.WriteChat(&model.Chat{ID: "c1", Title: "Big", Kind: model.Group, TimePrecision: model.PrecisionMinute,
		Participants: []model.Participant{{ID: "p1", Name: "Ann"}, {ID: "p2", Name: "Ben", Me: true}}})
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		t := start.Add(time.Duration(i) * time.Minute)
		m := &model.Message{ID: model.MessageID(fmt.Sprintf("m%d", i)), Sender: model.ParticipantID([]string{"p1", "p2"}[i%2]),
			Kind: model.KindText, Time: model.Floating(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, model.PrecisionMinute),
			Text: "A message of ordinary length, with an emoji 🌴 and \"quotes\".", Source: model.Pos{File: "chat.txt", Line: i + 1}}
		if i%10 == 0 {
			m.Reactions = []model.Reaction{{Emoji: "👍", Sender: "p1"}}
		}
		w.WriteMessage(m)
	}
	w.Close()
	bw.Flush()
	f.Close()
	return p
}

// BenchmarkImportExport reads a 100,000-message document and writes it
// again, reporting MB/s of input and the peak heap in use.
func BenchmarkImportExport(b *testing.B) {
	p := writeLargeDocument(b, 100_000)
	info, _ := os.Stat(p)
	f, _ := importers.Lookup("json")
	b.SetBytes(info.Size())
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		src, err := importers.OpenSource(p, importers.DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		w := exportjson.NewWriter(io.Discard)
		n := 0
		err = importers.ReadAll(r, func(it model.Item) error {
			n++
			if n%20000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			switch v := it.(type) {
			case *model.Chat:
				return w.WriteChat(v)
			case *model.Message:
				return w.WriteMessage(v)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		w.Close()
		src.Close()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
