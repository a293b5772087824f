package exporters_test

import (
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

type nopWriter struct{}

func (nopWriter) WriteChat(*model.Chat) error       { return nil }
func (nopWriter) WriteMessage(*model.Message) error { return nil }
func (nopWriter) Close() error                      { return nil }
func (nopWriter) Abort()                            {}

func TestCountingReportsLossesAndZones(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	f := &exporters.Format{Name: "x", Instants: true, Support: map[model.Feature]exporters.Support{
		model.FeatureText: exporters.Full, model.FeaturePolls: exporters.Partial}}
	rep := &exporters.Report{}
	w := exporters.Counting(nopWriter{}, f, rep, berlin)
	w.WriteChat(&model.Chat{ID: "c"})
	msgs := []*model.Message{
		{ID: "1", Kind: model.KindPoll, Time: model.Floating(2024, 3, 31, 2, 30, 0, 0, model.PrecisionMinute)},
		{ID: "2", Kind: model.KindText, Reactions: []model.Reaction{{}, {}, {}}, Time: model.Floating(2024, 3, 31, 4, 0, 0, 0, model.PrecisionMinute)},
		{ID: "3", Kind: model.KindText, Time: model.FromUnixMilli(0)},
	}
	for _, m := range msgs {
		if err := w.WriteMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	rep.Notef("kept %d", 1)
	rep.Notef("kept %d", 1)
	chats, n := rep.Counts()
	floating, ambiguous := rep.Zones()
	if chats != 1 || n != 3 || floating != 2 || ambiguous != 1 {
		t.Errorf("counts %d %d, zones %d %d", chats, n, floating, ambiguous)
	}
	got := rep.Losses()
	want := []exporters.Loss{{model.FeatureReactions, exporters.Dropped, 3}, {model.FeaturePolls, exporters.Partial, 1}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("losses %v, want %v", got, want)
	}
	if len(rep.Notes()) != 1 {
		t.Errorf("notes %v", rep.Notes())
	}
}

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 replies were"}, {1, "1 reply was"}, {2, "2 replies were"}, {1000, "1000 replies were"}} {
		if got := exporters.Count(tc.n, "reply was", "replies were"); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	// Every feature has a name for one use, and losses use it.
	for _, f := range model.Features {
		if f != model.FeatureText && f.Singular() == string(f) {
			t.Errorf("feature %q has no singular", f)
		}
	}
	if s := (exporters.Loss{Feature: model.FeatureReplies, Support: exporters.Partial, Count: 1}).String(); s != "kept partly 1 reply" {
		t.Errorf("Loss.String() = %q", s)
	}
}

// A writer may be given no report: recording into a nil one does nothing.
func TestNilReport(t *testing.T) {
	var r *exporters.Report
	r.Drop(model.FeatureReplies, 1)
	r.Degrade(model.FeatureText, 2)
	r.Notef("nothing %d", 1)
}
