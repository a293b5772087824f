package peer

import (
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// ReadWithImporter reads a transcript (or a zip of one) with chatferry's
// own whatsapp importer and returns its messages in the shape Parse
// gives, so that Compare checks both readers alike. It skips the test
// while no importer named "whatsapp" is registered.
func ReadWithImporter(t testing.TB, path string) []Message {
	t.Helper()
	if _, err := importers.Lookup("whatsapp"); err != nil {
		t.Skip("the whatsapp importer is not registered yet")
	}
	items := importertest.Items(t, "whatsapp", path, importers.Options{TZ: time.UTC, Values: importers.Values{"date-order": "dmy"}})
	var chat *model.Chat
	var out []Message
	for _, it := range items {
		switch v := it.(type) {
		case *model.Chat:
			chat = v
		case *model.Message:
			w := v.Time.Wall()
			m := Message{Date: time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, time.UTC), Message: v.Text}
			if v.Edited {
				m.Message += " <This message was edited>"
			}
			if p := chat.Participant(v.Sender); p != nil {
				name := p.Name
				m.Author = &name
			}
			if len(v.Attachments) > 0 && v.Attachments[0].Name != "" {
				name := v.Attachments[0].Name
				m.Attachment = &name
			}
			out = append(out, m)
		}
	}
	return out
}
