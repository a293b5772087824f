package telegramjson_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	_ "github.com/chatferry/chatferry/exporters/telegramjson" // writes the exports read back
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// Every corpus export, and the project's own, read, written again with
// the telegram-json exporter and read back, gives the same chats,
// messages, senders, times, texts, replies, media, polls, locations,
// contacts and service events.
func TestRoundTrip(t *testing.T) {
	inputs := []string{"testdata/single", "testdata/account.json"}
	if dir := corpusDir(t); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		inputs = append(inputs, files...)
	}
	f, err := exporters.Lookup("telegram-json")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			tz := time.FixedZone("", 3*3600+1800)
			first := importertest.Items(t, "telegram-json", in, importers.Options{TZ: tz})
			out, _ := exportertest.Write(t, f, first, exporters.Options{TZ: tz})
			back := importertest.Items(t, "telegram-json", out, importers.Options{TZ: tz})
			want, got := render(t, first, tz), render(t, back, tz)
			if !bytes.Equal(want, got) {
				wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
				for i := range max(len(wl), len(gl)) {
					if i >= len(wl) || i >= len(gl) || wl[i] != gl[i] {
						t.Fatalf("line %d differs:\nfirst: %.500s\nback:  %.500s", i+1, at(wl, i), at(gl, i))
					}
				}
			}
			if n := bytes.Count(want, []byte(`"kind"`)); n < 2 {
				t.Errorf("only %d items compared", n)
			}
		})
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end)"
}

func corpusDir(t *testing.T) string {
	return importertest.Corpus(t, "telegram-json/chat-history-manager")
}

// render normalizes away what a Telegram export renames or cannot keep:
// ids (the exporter numbers messages and people anew; people are compared
// by name), positions and warnings, time zones (instants are compared),
// media paths and missing files (written as "not included"), names of
// left-out photos, and event types without a Telegram action.
func render(t *testing.T, items []model.Item, tz *time.Location) []byte {
	names := map[model.ParticipantID]string{}
	ids := map[model.MessageID]model.MessageID{}
	n := 0
	ts := func(x model.Timestamp) model.Timestamp {
		if x.IsZero() {
			return x
		}
		return model.Zoned(x.In(tz).UTC(), model.PrecisionSecond)
	}
	kept := []model.EventType{model.EventGroupCreated, model.EventMemberAdded, model.EventMemberRemoved,
		model.EventMemberLeft, model.EventMemberJoined, model.EventSubjectChanged, model.EventIconChanged}
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			clear(names)
			clear(ids)
			n = 0
			for _, p := range v.Participants {
				names[p.ID] = p.Name
			}
			*v = model.Chat{ID: "c", Title: v.Title, Kind: v.Kind}
		case *model.Message:
			n++
			ids[v.ID] = model.MessageID(strconv.Itoa(n))
			v.ID, v.ReplyTo = ids[v.ID], ids[v.ReplyTo]
			v.Sender = model.ParticipantID(names[v.Sender])
			v.Time, v.EditedAt = ts(v.Time), ts(v.EditedAt)
			if v.Event != nil && v.Event.Type == model.EventOther && strings.HasPrefix(v.Text, "This message could not be exported") {
				v.Time = model.Timestamp{} // Telegram writes such messages without a date
			}
			v.Source = model.Pos{}
			for i := range v.Reactions {
				r := &v.Reactions[i]
				r.Sender, r.Time = model.ParticipantID(names[r.Sender]), ts(r.Time)
			}
			for i := range v.Attachments {
				a := &v.Attachments[i]
				if a.Missing || a.Path == "" {
					a.Missing, a.Omitted, a.Path, a.Size = false, true, "", 0
				}
				if a.Omitted && a.Kind == model.MediaImage {
					a.Name = ""
				}
				if a.Omitted && a.Kind == model.MediaContact {
					a.Name = ""
				}
				a.Path = path(a.Path)
			}
			if e := v.Event; e != nil {
				if !slices.Contains(kept, e.Type) {
					e.Type = model.EventOther
				}
				e.Actor = model.ParticipantID(names[e.Actor])
				for i, x := range e.Targets {
					e.Targets[i] = model.ParticipantID(names[x])
				}
			}
		}
	}
	return importertest.Render(t, items)
}

// path keeps only a media file's name: the exporter files it in
// Telegram's folders.
func path(p string) string {
	if p == "" {
		return ""
	}
	return filepath.Base(p)
}
