package sqlite

import (
	"encoding/binary"
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/model"
)

func TestKeys(t *testing.T) {
	at := func(day, min int) model.Timestamp {
		return model.Floating(2024, 5, 1+day, 10, min, 0, 0, model.PrecisionMinute)
	}
	text := func(ts model.Timestamp, s string) *model.Message {
		return &model.Message{Time: ts, Sender: "x", Kind: model.KindText, Text: s}
	}
	k := newKeyMaker()
	key := func(m *model.Message, sender string) []byte {
		key, _ := k.next(k.base(m, sender), nil)
		return key
	}
	ordinal := func(key []byte) uint32 { return binary.BigEndian.Uint32(key[16:]) }

	a1 := key(text(at(0, 0), "ok"), "Ann")
	b1 := key(text(at(0, 0), "ok"), "Ben")
	a2 := key(text(at(0, 0), "ok"), "Ann")
	if ordinal(a1) != 1 || ordinal(b1) != 1 || ordinal(a2) != 2 || string(a1[:16]) != string(a2[:16]) {
		t.Errorf("ordinals %d %d %d, want 1 1 2 with one base", ordinal(a1), ordinal(b1), ordinal(a2))
	}
	// Seconds do not count, the minute does; so does the kind of time.
	sec := text(model.Floating(2024, 5, 1, 10, 0, 42, 0, model.PrecisionSecond), "ok")
	if got := k.base(sec, "Ann"); string(got[:]) != string(a1[:16]) {
		t.Error("a reading with seconds has another base than the same minute")
	}
	zoned := text(model.Zoned(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), model.PrecisionMinute), "ok")
	if got := k.base(zoned, "Ann"); string(got[:]) == string(a1[:16]) {
		t.Error("a zoned time has the base of the floating reading with the same numbers")
	}
	// Attachment names count; keys sort by time.
	withFile := text(at(0, 0), "ok")
	withFile.Attachments = []model.Attachment{{Name: "a.jpg"}}
	if got := k.base(withFile, "Ann"); string(got[:]) == string(a1[:16]) {
		t.Error("an attachment's name does not change the key")
	}
	if later := key(text(at(0, 1), "ok"), "Ann"); string(later) <= string(a2) {
		t.Error("a later minute does not sort after")
	}
	// A step back of a day is remembered; the counts of a month ago are not.
	for d := 1; d <= 30; d++ {
		key(text(at(d, 0), "news"), "Ann")
	}
	if len(k.days) > keepDays+2 {
		t.Errorf("%d days of counts kept, want at most %d", len(k.days), keepDays+2)
	}
	if got := ordinal(key(text(at(29, 0), "news"), "Ann")); got != 2 {
		t.Errorf("a step back of a day: ordinal %d, want 2", got)
	}
	if got := ordinal(key(text(at(0, 0), "ok"), "Ann")); got != 1 {
		t.Errorf("a month back: ordinal %d, want 1 (forgotten)", got)
	}
	// Keys of a day whose counts were forgotten may have been given
	// before; those of days after it may not.
	for _, c := range []struct {
		day   int
		fresh bool
	}{{29, true}, {0, false}, {5, false}, {22, false}, {31, true}, {30, true}} {
		if _, fresh := k.next(k.base(text(at(c.day, 9), "fresh?"), "Ann"), nil); fresh != c.fresh {
			t.Errorf("day %d: fresh %v, want %v", c.day, fresh, c.fresh)
		}
	}
	// bump moves on past a taken key and counts it.
	again := key(text(at(30, 5), "x"), "Ann")
	k.bump(k.base(text(at(30, 5), "x"), "Ann"), again)
	if ordinal(again) != 2 || ordinal(key(text(at(30, 5), "x"), "Ann")) != 3 {
		t.Error("bump does not count")
	}
}

// The key's hash is FNV-1a over the fields as the key's definition lists
// them, each string preceded by its length as a uvarint.
func TestKeyHash(t *testing.T) {
	field := func(b []byte, s string) []byte { return append(binary.AppendUvarint(b, uint64(len(s))), s...) }
	long := strings.Repeat("long text ", 40)
	for _, c := range []struct {
		m      *model.Message
		sender string
		kind   string
	}{
		{&model.Message{Text: "ok"}, "Ann", "unknown"},
		{&model.Message{Text: long, Time: model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)}, "Ann", "floating"},
		{&model.Message{Time: model.FromUnixMilli(1700000000123),
			Attachments: []model.Attachment{{Name: "a.jpg"}, {Name: long}, {}}}, "", "zoned"},
	} {
		b := append([]byte("chatferry-key-1"), field(nil, c.kind)...)
		b = field(b, c.sender)
		b = field(b, c.m.Text)
		b = binary.AppendUvarint(b, uint64(len(c.m.Attachments)))
		for _, a := range c.m.Attachments {
			b = field(b, a.Name)
		}
		h := fnv.New64a()
		h.Write(b)
		base := newKeyMaker().base(c.m, c.sender)
		if got := binary.BigEndian.Uint64(base[8:]); got != h.Sum64() {
			t.Errorf("%s message: hash %x, want %x", c.kind, got, h.Sum64())
		}
	}
}
