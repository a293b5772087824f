package telegramjson_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/markup"
	_ "github.com/chatferry/chatferry/exporters/telegramjson"
	_ "github.com/chatferry/chatferry/importers/telegramjson" // reads the output back
	"github.com/chatferry/chatferry/model"
)

func TestKit(t *testing.T) {
	exportertest.Run(t, "telegram-json",
		exportertest.Case{ReadBack: "telegram-json", Normalize: normalizer()},
		exportertest.Case{Name: "direct", Input: "../whatsapp/testdata/direct.json"},
		exportertest.Case{Name: "edge", Input: "../whatsapp/testdata/edge.json"},
		exportertest.Case{Name: "hostile", Input: "../telegramimport/testdata/hostile.json"},
	)
}

// keptEvents are the event types Telegram has an action for; the others
// become custom actions, read back as "other".
var keptEvents = []model.EventType{model.EventGroupCreated, model.EventMemberAdded, model.EventMemberRemoved,
	model.EventMemberLeft, model.EventMemberJoined, model.EventSubjectChanged, model.EventIconChanged}

// normalizer removes from the model what Telegram's export does not keep,
// or keeps under other names: ids (Telegram numbers messages, names
// people by user id), positions, participant lists (Telegram has none),
// time zones (compared as instants, to the second), quotes, poll voters,
// the video flag of calls, the deleted and view-once kinds (kept as text),
// media paths and photo MIME types, the names of files left out, event
// types Telegram has no action for, and the marks of WhatsApp's
// formatting (Telegram keeps the styles as entities, read back as text).
func normalizer() func(model.Item) {
	names := map[model.ParticipantID]string{}
	markedUp := false
	ids := map[model.MessageID]model.MessageID{}
	n := 0
	berlin, _ := time.LoadLocation("Europe/Berlin") // the kit's export zone
	ts := func(t model.Timestamp) model.Timestamp {
		if t.IsZero() {
			return t
		}
		return model.Zoned(t.In(berlin).UTC(), model.PrecisionSecond)
	}
	return func(it model.Item) {
		switch v := it.(type) {
		case *model.Chat:
			clear(names)
			clear(ids)
			n = 0
			for _, p := range v.Participants {
				names[p.ID] = p.Name
			}
			markedUp = markup.Applies(v.Format)
			*v = model.Chat{Title: v.Title, Kind: v.Kind}
		case *model.Message:
			n++
			ids[v.ID] = model.MessageID(strconv.Itoa(n))
			v.ID, v.ReplyTo = ids[v.ID], ids[v.ReplyTo]
			v.Sender = model.ParticipantID(names[v.Sender])
			v.Time, v.EditedAt = ts(v.Time), ts(v.EditedAt)
			v.Source, v.Quote = model.Pos{}, nil
			if markedUp && v.Kind != model.KindSystem && v.Kind != model.KindCall {
				v.Text = markup.Strip(v.Text)
			}
			if v.Kind == model.KindDeleted || v.Kind == model.KindViewOnce {
				v.Kind = model.KindText
			}
			for i := range v.Reactions {
				r := &v.Reactions[i]
				r.Sender, r.Time = model.ParticipantID(names[r.Sender]), ts(r.Time)
			}
			for i := range v.Attachments {
				a := &v.Attachments[i]
				a.Path = ""
				if a.Missing {
					a.Missing, a.Omitted = false, true
				}
				if a.Kind == model.MediaImage {
					a.MIME = ""
					if a.Omitted {
						a.Name = ""
					}
				}
			}
			for i := range v.Contacts {
				v.Contacts[i].VCard = ""
			}
			if v.Poll != nil {
				v.Poll.Multiple = false
				for i := range v.Poll.Options {
					v.Poll.Options[i].Voters = nil
				}
			}
			if v.Location != nil {
				v.Location.URL = ""
			}
			if v.Call != nil {
				v.Call.Video = false
			}
			if e := v.Event; e != nil {
				if !slices.Contains(keptEvents, e.Type) {
					e.Type = model.EventOther
				}
				e.Actor = model.ParticipantID(names[e.Actor])
				for i, t := range e.Targets {
					e.Targets[i] = model.ParticipantID(names[t])
				}
			}
		}
	}
}

// A place shared by name and link only is written with its name and
// address and without location_information, which would put it at 0, 0.
func TestPlaceWithoutCoordinates(t *testing.T) {
	f, _ := exporters.Lookup("telegram-json")
	at := model.Floating(2022, 3, 27, 21, 46, 0, 0, model.PrecisionMinute)
	items := []model.Item{
		&model.Chat{ID: "c", Title: "Ann", Kind: model.Direct, Participants: []model.Participant{{ID: "a", Name: "Ann"}}},
		&model.Message{ID: "m1", Sender: "a", Time: at, Kind: model.KindLocation, Text: "Çalış Plajı",
			Location: &model.Location{Name: "Çalış Plajı", Address: "Fethiye, Muğla", URL: "https://foursquare.com/v/4d"}},
		&model.Message{ID: "m2", Sender: "a", Time: at, Kind: model.KindLocation, Text: "pin",
			Location: &model.Location{Latitude: 36.6, Longitude: 29.1, Name: "Pin"}},
	}
	out, _ := exportertest.Write(t, f, items, exporters.Options{TZ: time.UTC})
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Messages []map[string]any `json:"messages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Messages) != 2 {
		t.Fatalf("%d messages", len(doc.Messages))
	}
	if _, ok := doc.Messages[0]["location_information"]; ok || doc.Messages[0]["place_name"] != "Çalış Plajı" {
		t.Errorf("a place without coordinates: %v", doc.Messages[0])
	}
	if _, ok := doc.Messages[1]["location_information"]; !ok {
		t.Errorf("a place with coordinates lost them: %v", doc.Messages[1])
	}
}
