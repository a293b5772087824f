package exporters_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/chatferry/chatferry/exporters"
	_ "github.com/chatferry/chatferry/exporters/all" // every output format
	"github.com/chatferry/chatferry/model"
)

// A program writes chats in any known format: look the format up, make a
// Target (here standard output; a path is written under a temporary name
// and renamed by Commit), and give the writer each chat and then its
// messages. Counting makes the Report of what the format kept only partly
// or dropped.
func Example() {
	f, err := exporters.Lookup("whatsapp")
	if err != nil {
		log.Fatal(err)
	}
	target, err := exporters.NewTarget("-", f.Layout, false, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	report := &exporters.Report{}
	opts := exporters.Options{TZ: time.UTC, Report: report}
	w, err := f.New(target, opts)
	if err != nil {
		log.Fatal(err)
	}
	w = exporters.Counting(w, f, report, opts.TZ)

	chat := &model.Chat{ID: "c1", Kind: model.Direct, Title: "Ann",
		Participants: []model.Participant{{ID: "p1", Name: "Ann"}, {ID: "p2", Name: "Ben", Me: true}}}
	at := func(min int) model.Timestamp { return model.Floating(2024, 3, 1, 9, min, 0, 0, model.PrecisionMinute) }
	messages := []*model.Message{
		{ID: "m1", Time: at(15), Sender: "p1", Kind: model.KindText, Text: "Are we still on?"},
		{ID: "m2", Time: at(16), Sender: "p2", Kind: model.KindText, Text: "Yes, 7:30 at the station"},
	}
	err = w.WriteChat(chat)
	for _, m := range messages {
		if err == nil {
			err = w.WriteMessage(m)
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		w.Abort()
		target.Abort() // nothing is left behind
		log.Fatal(err)
	}
	if err := target.Commit(); err != nil {
		log.Fatal(err)
	}
	chats, msgs := report.Counts()
	fmt.Println(chats, "chat,", msgs, "messages")
	// Output:
	// 01/03/2024, 09:15 - Ann: Are we still on?
	// 01/03/2024, 09:16 - Ben: Yes, 7:30 at the station
	// 1 chat, 2 messages
}
