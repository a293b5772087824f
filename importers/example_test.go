package importers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/chatferry/chatferry/importers"
	_ "github.com/chatferry/chatferry/importers/all" // every input format
	"github.com/chatferry/chatferry/model"
)

// A program reads an export of any known format: open it as a Source,
// let Detect find its format, and take its items one at a time — each
// chat first, then that chat's messages — so that memory does not grow
// with the chat.
func Example() {
	src, err := importers.OpenSource("../testdata/whatsapp/WhatsApp Chat with Trip 2024.txt", importers.DefaultLimits)
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	f, err := importers.Detect(src)
	if err != nil {
		log.Fatal(err) // errors.Is(err, importers.ErrNotRecognised): not a chat export
	}
	r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	names := map[model.ParticipantID]string{}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if importers.Recoverable(err) {
			fmt.Println("skipped:", err) // a bad record, with its file and line
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		switch v := it.(type) {
		case *model.Chat:
			fmt.Printf("%s chat %q (read as %s), %d people\n", v.Kind, v.Title, f.Name, len(v.Participants))
			for _, p := range v.Participants {
				names[p.ID] = p.Name
			}
		case *model.Message:
			if v.Kind == model.KindPoll {
				fmt.Printf("%s %s asks %q\n", v.Time, names[v.Sender], v.Poll.Question)
			}
		}
	}
	// Output:
	// group chat "Trip 2024" (read as whatsapp), 4 people
	// 2024-02-20T18:02:00 Ann Example asks "Where do we stay?"
}
