package model

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	c := &Chat{ID: "c", Kind: Direct, Participants: []Participant{{ID: "a", Name: "A"}, {ID: "b", Name: "B", Me: true}}}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		m    Message
		want string // "" means valid
	}{
		{Message{ID: "1", Kind: KindText, Sender: "a"}, ""},
		{Message{ID: "2", Kind: KindSystem, Event: &Event{Type: EventOther}}, ""},
		{Message{Kind: KindText, Sender: "a"}, "no id"},
		{Message{ID: "3", Kind: "shout", Sender: "a"}, "unknown kind"},
		{Message{ID: "4", Kind: KindSystem, Sender: "a", Event: &Event{Type: EventOther}}, "system event has a sender"},
		{Message{ID: "5", Kind: KindSystem}, "no event"},
		{Message{ID: "6", Kind: KindText}, "has no sender"},
		{Message{ID: "7", Kind: KindText, Sender: "z"}, `sender "z" is not a participant`},
		{Message{ID: "8", Kind: KindText, Sender: "a", Reactions: []Reaction{{Emoji: "👍"}}}, "reaction"},
		{Message{ID: "9", Kind: KindSystem, Event: &Event{Type: EventMemberAdded, Targets: []ParticipantID{"q"}}}, "event target"},
		{Message{ID: "10", Kind: KindSystem, Event: &Event{Type: "party"}}, "unknown event type"},
	} {
		err := tc.m.Check(c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("message %s: %v", tc.m.ID, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("message %s: error %v, want %q", tc.m.ID, err, tc.want)
		}
	}
	bad := &Chat{ID: "c", Kind: Direct, Participants: []Participant{{ID: "a", Me: true}, {ID: "a"}}}
	if err := bad.Check(); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate participant: %v", err)
	}
	if err := (&Chat{ID: "c", Kind: "channel"}).Check(); err == nil {
		t.Error("unknown chat kind accepted")
	}
}

func TestAppendFeatures(t *testing.T) {
	m := &Message{Kind: KindPoll, Attachments: []Attachment{{Path: "x"}, {Omitted: true}},
		Reactions: []Reaction{{}, {}}, ReplyTo: "m1", Edited: true}
	got := map[Feature]int{}
	for _, f := range m.AppendFeatures(nil) {
		got[f]++
	}
	want := map[Feature]int{FeaturePolls: 1, FeatureAttachments: 2, FeatureMediaFiles: 1,
		FeatureReactions: 2, FeatureReplies: 1, FeatureEdits: 1}
	if len(got) != len(want) {
		t.Errorf("features %v, want %v", got, want)
	}
	for f, n := range want {
		if got[f] != n {
			t.Errorf("%s: %d, want %d", f, got[f], n)
		}
	}
}
