package whatsapptext

import (
	"bytes"
	"testing"
	"time"

	"github.com/chatferry/chatferry/model"
)

func TestNeedsEscape(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"01/03/2024, 09:20 - Ann: pasted", true},
		{"1/3/24, 9:20 PM - Ann: pasted", true},
		{"7.1.1, 7.1.2 fixed", true},
		{"[3/18/22, 14:56:01] Elon: hi", true},
		{"\u200e[3/18/22, 14:56:01] Elon: hi", true},
		{"\ufeff29.01.18, 12:24 - Bob: x", true},
		{"2019-04-29 10:30:00 was the old timestamp", true},
		{"13.6.2018 klo 21.25.15 - Mika: x", true},
		{"Leaving Friday at 7:30.", false},
		{"2024 was a good year", false},
		{"version 7.1.1", false},
		{"1/2/3", false},
		{"", false},
	} {
		if got := NeedsEscape(tc.line); got != tc.want {
			t.Errorf("NeedsEscape(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestAppendBody(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"01/03/2024, 09:20 - x", "01/03/2024, 09:20 - x"}, // the first line follows the header
		{"a\n01/03/2024, 09:20 - x", "a\n\u200b01/03/2024, 09:20 - x"},
		{"a\r01/03/2024, 09:20 - x", "a\r\u200b01/03/2024, 09:20 - x"},
		{"a\n\nb\n", "a\n\nb\n"},
		{"\n7.1.1, 7.1.2", "\n\u200b7.1.1, 7.1.2"},
		{"a\n\u200b01/03/2024, 09:20 - x", "a\n\u200b\u200b01/03/2024, 09:20 - x"}, // a mark of its own stays
		{"a\n\u200bhello", "a\n\u200bhello"},
	} {
		got, _ := appendBody(nil, tc.body)
		if string(got) != tc.want {
			t.Errorf("appendBody(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 3, 1, 9, 5, 59, 0, time.UTC), "01/03/2024, 09:05 - "},
		{time.Date(999, 12, 31, 23, 59, 0, 0, time.UTC), "31/12/0999, 23:59 - "},
		{time.Time{}, "01/01/1970, 00:00 - "},
	} {
		if got := string(appendHeader(nil, tc.t)); got != tc.want {
			t.Errorf("appendHeader(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

type noFiles struct{}

func (noFiles) Attachment(*model.Chat, *model.Message, *model.Attachment) (string, error) {
	return "", nil
}
func (noFiles) Contact(*model.Chat, *model.Message, *model.Contact) (string, error) { return "", nil }

// Zoned times are shown in the writer's zone, floating ones as they are.
func TestTimes(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, ny, noFiles{})
	w.GuardSystemColons = true
	w.StartChat(&model.Chat{ID: "c", Participants: []model.Participant{{ID: "p", Name: "Ann\nExample"}}})
	for _, m := range []*model.Message{
		{ID: "1", Sender: "p", Kind: model.KindText, Text: "zoned",
			Time: model.Zoned(time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC), model.PrecisionSecond)},
		{ID: "2", Sender: "p", Kind: model.KindText, Text: "floating",
			Time: model.Floating(2024, 7, 1, 12, 0, 0, 0, model.PrecisionMinute)},
		{ID: "3", Kind: model.KindSystem, Text: `Ann changed the subject to "a: b"`, Event: &model.Event{Type: model.EventSubjectChanged},
			Time: model.Floating(2024, 7, 1, 12, 1, 0, 0, model.PrecisionMinute)},
	} {
		if err := w.WriteMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	want := "01/07/2024, 08:00 - Ann Example: zoned\n01/07/2024, 12:00 - Ann Example: floating\n" +
		"01/07/2024, 12:01 - Ann changed the subject to \"a:\u200b b\"\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}
