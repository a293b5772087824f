package html_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/html"
	"github.com/chatferry/chatferry/model"
)

// longChat returns a group chat and a function that makes its i-th
// message: text with a link, a reply to the message before, a reaction.
func longChat() (*model.Chat, func(i int) *model.Message) {
	c := &model.Chat{ID: "c", Title: "Long", Kind: model.Group, Participants: []model.Participant{
		{ID: "a", Name: "Ann"}, {ID: "b", Name: "Ben", Me: true}, {ID: "c", Name: "Carla"}}}
	start := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC)
	senders := []model.ParticipantID{"a", "b", "c"}
	return c, func(i int) *model.Message {
		m := &model.Message{ID: model.MessageID("m" + strconv.Itoa(i)), Kind: model.KindText,
			Time:   model.Zoned(start.Add(time.Duration(i)*time.Minute), model.PrecisionMillisecond),
			Sender: senders[i%3],
			Text:   "Message number " + strconv.Itoa(i) + " about the holiday, see https://example.org/p/" + strconv.Itoa(i),
		}
		if i%5 == 1 {
			m.ReplyTo = model.MessageID("m" + strconv.Itoa(i-1))
			m.Reactions = []model.Reaction{{Emoji: "👍", Sender: "a"}}
		}
		return m
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// The writer's memory does not grow with the chat: after 10,000 and after
// 100,000 messages the heap is about the same size.
func TestMemoryDoesNotGrowWithChat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 messages")
	}
	dir := t.TempDir()
	w := html.New(dir, html.DefaultPageSize, exporters.Options{TZ: time.UTC})
	c, message := longChat()
	if err := w.WriteChat(c); err != nil {
		t.Fatal(err)
	}
	var atFirst uint64
	for i := 0; i < 100_000; i++ {
		if err := w.WriteMessage(message(i)); err != nil {
			t.Fatal(err)
		}
		if i == 10_000 {
			atFirst = heapInUse()
		}
	}
	atLast := heapInUse()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("heap in use after 10,000 messages: %d kB; after 100,000: %d kB", atFirst>>10, atLast>>10)
	if atLast > atFirst+2<<20 {
		t.Errorf("the heap grew from %d kB to %d kB between 10,000 and 100,000 messages", atFirst>>10, atLast>>10)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "chat-001-long", "page-*.html"))
	if len(pages) != 100 {
		t.Errorf("100,000 messages by 1,000 make %d pages, want 100", len(pages))
	}
	searches, _ := filepath.Glob(filepath.Join(dir, "chat-001-long", "search*.html"))
	if len(searches) != 100_000/html.DefaultSearchSize {
		t.Errorf("100,000 messages make %d search pages, want %d", len(searches), 100_000/html.DefaultSearchSize)
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(index) > 64<<10 {
		t.Errorf("the index of one chat of 100 pages takes %d bytes", len(index))
	}
}

func BenchmarkWriteMessage(b *testing.B) {
	w := html.New(b.TempDir(), html.DefaultPageSize, exporters.Options{TZ: time.UTC})
	c, message := longChat()
	if err := w.WriteChat(c); err != nil {
		b.Fatal(err)
	}
	msgs := make([]*model.Message, 1000)
	for i := range msgs {
		msgs[i] = message(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.WriteMessage(msgs[i%len(msgs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// A failed write is returned, and every call after it returns it too.
func TestWriteErrorSticks(t *testing.T) {
	dir := t.TempDir()
	w := html.New(filepath.Join(dir, "gone"), 10, exporters.Options{TZ: time.UTC})
	c, message := longChat()
	err := w.WriteChat(c)
	if err == nil {
		t.Fatal("writing into a folder that does not exist succeeded")
	}
	if err2 := w.WriteMessage(message(0)); err2 != err {
		t.Errorf("the next write gave %v, want %v", err2, err)
	}
	if err3 := w.Close(); err3 != err {
		t.Errorf("Close gave %v, want %v", err3, err)
	}
	if err := html.New(dir, 10, exporters.Options{}).WriteMessage(message(0)); err == nil {
		t.Error("a message before any chat was accepted")
	}
}

// A message without a time shows that its time is unknown, with no empty
// datetime attribute and no day separator.
func TestUnknownTime(t *testing.T) {
	dir := t.TempDir()
	w := html.New(dir, 10, exporters.Options{TZ: time.UTC})
	c, _ := longChat()
	m := &model.Message{ID: "x", Sender: "a", Kind: model.KindText, Text: "when?"}
	if err := w.WriteChat(c); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessage(m); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"page-0001.html", "search.html"} {
		page, err := os.ReadFile(filepath.Join(dir, "chat-001-long", name))
		if err != nil {
			t.Fatal(err)
		}
		s := string(page)
		if !strings.Contains(s, `<span class="when">time unknown</span>`) || strings.Contains(s, `datetime=""`) ||
			strings.Contains(s, `class="day"`) {
			t.Errorf("%s shows a message without a time as:\n%s", name, s[strings.Index(s, "when?")-300:])
		}
	}
}

// An archive names its inputs, in the index and in warnings, without the
// folders of the machine that wrote it.
func TestNoLocalFolders(t *testing.T) {
	dir := t.TempDir()
	w := html.New(dir, 10, exporters.Options{TZ: time.UTC})
	c, message := longChat()
	c.Source = "/home/ann/exports/WhatsApp Chat with Ben.txt"
	c.Warnings = []model.Warning{{Pos: model.Pos{File: c.Source, Line: 3}, Text: "the date order is a guess"}}
	if err := w.WriteChat(c); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessage(message(0)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "chat-001-long/page-0001.html"} {
		page, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(page), "/home/ann") || !strings.Contains(string(page), "WhatsApp Chat with Ben.txt") {
			t.Errorf("%s does not name the input by its file name alone", name)
		}
	}
}
