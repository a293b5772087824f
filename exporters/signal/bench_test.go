package signal

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// benchItems is n text messages in 10 chats with 3 people each, at
// minute resolution (so many times collide), like a WhatsApp export.
func benchItems(n int) []model.Item {
	var items []model.Item
	per := n / 10
	for c := range 10 {
		chat := &model.Chat{ID: model.ChatID(fmt.Sprint("c", c)), Title: fmt.Sprint("Chat ", c), Kind: model.Group,
			Participants: []model.Participant{{ID: "me", Name: "Ben Sample", Me: true},
				{ID: "a", Name: "Ann", Phone: fmt.Sprintf("+4477009%05d", c)},
				{ID: "b", Name: "Bob", Phone: fmt.Sprintf("+4477008%05d", c)}}}
		items = append(items, chat)
		start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range per {
			sender := []model.ParticipantID{"me", "a", "b"}[i%3]
			t := start.Add(time.Duration(i/4) * time.Minute)
			items = append(items, &model.Message{ID: model.MessageID(fmt.Sprint(i)), Sender: sender, Kind: model.KindText,
				Text:   "A message of ordinary length, about as long as most chat messages are.",
				Time:   model.Floating(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, model.PrecisionMinute),
				Source: model.Pos{File: "x", Line: i + 1}})
		}
	}
	return items
}

// BenchmarkWrite100k writes 100,000 messages to a backup: encoding, the
// time sort, gzip and encryption.
func BenchmarkWrite100k(b *testing.B) {
	items := benchItems(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(b.TempDir(), "SignalBackups")
		if _, _, err := export(b, dest, items, exporters.Values{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
