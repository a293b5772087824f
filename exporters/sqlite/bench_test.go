package sqlite

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// benchChat is a group chat of five people whose messages look like a
// text export's: minute times, 1 to 16 words from a vocabulary of 4,000,
// every 50th a reply and every 20th (or every reactEvery-th) with a
// reaction. Messages come from a
// pool of 4,096 made before the benchmark's clock starts and differ in id
// and time, so that it times the writer rather than the making of text.
type benchChat struct {
	chat *model.Chat
	pool []model.Message
}

func newBenchChat() *benchChat { return newBenchChatReacting(20) }

func newBenchChatReacting(reactEvery int) *benchChat {
	c := &model.Chat{ID: "c", Title: "Benchmark", Kind: model.Group, Format: "test", Source: "bench.txt",
		TimePrecision: model.PrecisionMinute}
	for i := range 5 {
		c.Participants = append(c.Participants, model.Participant{
			ID: model.ParticipantID(fmt.Sprint("p", i)), Name: fmt.Sprint("Person ", i), Me: i == 0})
	}
	stems := strings.Fields("holiday beach train station hello thanks tomorrow tonight dinner ok yes no maybe " +
		"picture photo video call later soon weekend monday friday coffee work home school party birthday " +
		"love great nice cool sure please sorry what when where who why how")
	var words []string
	for i := 0; len(words) < 4000; i++ {
		words = append(words, stems[i%len(stems)]+strings.Repeat("s", i/len(stems)%3)+fmt.Sprint(i/len(stems)/3))
	}
	copy(words, stems)
	bc := &benchChat{chat: c, pool: make([]model.Message, 1<<12)}
	rng := rand.New(rand.NewPCG(1, 2))
	var text []byte
	for i := range bc.pool {
		text = text[:0]
		for j := range 1 + rng.IntN(16) {
			if j > 0 {
				text = append(text, ' ')
			}
			// Zipf-like: common words far more often.
			text = append(text, words[int(float64(len(words))*rng.Float64()*rng.Float64()*rng.Float64())]...)
		}
		m := &bc.pool[i]
		*m = model.Message{Sender: c.Participants[rng.IntN(5)].ID, Kind: model.KindText, Text: string(text),
			Source: model.Pos{File: "bench.txt"}}
		if i%reactEvery == reactEvery-1 {
			m.Reactions = []model.Reaction{{Emoji: "👍", Sender: c.Participants[rng.IntN(5)].ID}}
		}
	}
	return bc
}

// write writes the chat with messages first to first+n-1.
func (bc *benchChat) write(w exporters.Writer, first, n int) error {
	if err := w.WriteChat(bc.chat); err != nil {
		return err
	}
	t0 := model.Floating(2020, 1, 1, 8, 0, 0, 0, model.PrecisionMinute)
	var m model.Message
	for i := first; i < first+n; i++ {
		m = bc.pool[i%len(bc.pool)]
		m.ID = model.MessageID(strconv.Itoa(i))
		m.Time = t0.Add(time.Duration(i) * time.Minute)
		m.Source.Line = i + 1
		if i%50 == 49 {
			m.ReplyTo = model.MessageID(strconv.Itoa(i - 1 - i%40))
		}
		if err := w.WriteMessage(&m); err != nil {
			return err
		}
	}
	return nil
}

// benchWrite times one run that writes b.N messages into an archive
// that already holds before messages (none: a new archive). With again,
// those are the messages the archive holds: nothing is new.
func benchWrite(b *testing.B, before int, again bool) {
	benchWriteChat(b, newBenchChat(), before, again)
}

func benchWriteChat(b *testing.B, bc *benchChat, before int, again bool) {
	out := filepath.Join(b.TempDir(), "bench.db")
	if again {
		before = b.N
	}
	if before > 0 {
		w, err := Open(out, exporters.Options{TZ: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		if err := bc.write(w, 0, before); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	first := before
	if again {
		first = 0
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := importertest.CPUTime()
	w, err := Open(out, exporters.Options{TZ: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	if err := bc.write(w, first, b.N); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(b.N)/(importertest.CPUTime()-cpu0).Seconds(), "msgs/cpu-s")
}

// BenchmarkWrite writes a new archive of b.N messages, from opening to
// the commit, full-text index included. Run it on one core:
//
//	go test -tags sqlite_fts5 -run '^$' -bench . -cpu 1 -benchtime 1000000x ./exporters/sqlite
func BenchmarkWrite(b *testing.B) { requireFTS5B(b); benchWrite(b, 0, false) }

// BenchmarkWriteReactions writes a new archive of b.N messages that all
// have a reaction, so that each is added by a statement of its own.
func BenchmarkWriteReactions(b *testing.B) {
	requireFTS5B(b)
	benchWriteChat(b, newBenchChatReacting(1), 0, false)
}

// BenchmarkUpdate adds b.N new messages to an archive of 100,000.
func BenchmarkUpdate(b *testing.B) { requireFTS5B(b); benchWrite(b, 100_000, false) }

// BenchmarkRerun converts b.N messages the archive already holds.
func BenchmarkRerun(b *testing.B) { requireFTS5B(b); benchWrite(b, 0, true) }

func requireFTS5B(b *testing.B) {
	w, err := Open(filepath.Join(b.TempDir(), "probe.db"), exporters.Options{})
	if err == ErrNoFTS5 {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	w.Abort()
}
