package canonicaljson_test

import (
	"io"
	"testing"

	"github.com/chatferry/chatferry/exporters/canonicaljson"
	"github.com/chatferry/chatferry/model"
)

// BenchmarkWriteMessage measures the writer alone, in bytes of JSON out.
func BenchmarkWriteMessage(b *testing.B) {
	m := &model.Message{ID: "m123456", Sender: "p2", Kind: model.KindText,
		Time:   model.Floating(2024, 3, 1, 9, 16, 0, 0, model.PrecisionMinute),
		Text:   "Hi Ben! Are we still on for the holiday? 🌴 Leaving Friday at 7:30, \"see you\".",
		Source: model.Pos{File: "WhatsApp Chat with Ann Example.txt", Line: 123456}}
	w := canonicaljson.NewWriter(io.Discard)
	w.WriteChat(&model.Chat{ID: "c1", Kind: model.Direct})
	b.SetBytes(int64(len(canonicaljson.AppendMessage(nil, m)) + 6))
	for b.Loop() {
		if err := w.WriteMessage(m); err != nil {
			b.Fatal(err)
		}
	}
}
