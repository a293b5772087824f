package sqlite

import (
	"encoding/binary"

	"github.com/chatferry/chatferry/model"
)

// A message key identifies a message within its chat across runs, so
// that converting a newer export of a chat adds only what is new. It is
// made of what every export of the same message shows alike:
//
//	bytes 0–7    the minute of the message time, big-endian, sign bit
//	             flipped so keys sort by time (a floating time counts by
//	             its wall clock as written, a zoned one by its instant)
//	bytes 8–15   FNV-1a (64 bits, big-endian) over: "chatferry-key-1",
//	             whether the time is floating, zoned or unknown, the
//	             sender's name, the text, the number of attachments and
//	             their names, each string preceded by its length as a
//	             uvarint
//	bytes 16–19  the ordinal, big-endian: 1 for the first message of a
//	             chat with these fields, 2 for the second, and so on
//
// Times count by the minute because exports of one chat differ in
// precision (an Android text export has minutes, an iOS one seconds).
// The ordinal keeps two equal messages in the same minute ("ok", "ok")
// apart; the time prefix keeps the unique index growing at its end.
type keyMaker struct {
	// The ordinals so far, by the day of their minute (see next).
	days      map[int64]*dayCounts
	total     int   // counts kept
	newestDay int64 // the latest day seen
	day       int64 // the day of cur
	cur       *dayCounts
	forgot    bool  // the counts of some day were forgotten
	forgotTo  int64 // the latest day whose counts were forgotten
}

// dayCounts are the ordinals of one day's keys.
type dayCounts struct {
	n map[[16]byte]uint32
	// whole: no counts of the day were forgotten before these were
	// started, so they count every message of the day so far.
	whole bool
}

func newKeyMaker() *keyMaker {
	return &keyMaker{days: map[int64]*dayCounts{}}
}

// reset starts a new chat.
func (k *keyMaker) reset() {
	clear(k.days)
	k.total, k.newestDay, k.cur = 0, 0, nil
	k.forgot, k.forgotTo = false, 0
}

// base returns the first 16 bytes of the key of m, sent by sender.
func (k *keyMaker) base(m *model.Message, sender string) [16]byte {
	var out [16]byte
	minute, h := int64(0), keyUnknown
	if !m.Time.IsZero() {
		// A floating time's Wall holds the reading in UTC fields, so
		// its Unix minute numbers the reading; a zoned one's the instant.
		h = keyZoned
		if m.Time.IsFloating() {
			h = keyFloating
		}
		minute = floorDiv(m.Time.Wall().Unix(), 60)
	}
	binary.BigEndian.PutUint64(out[:8], uint64(minute)^(1<<63))
	h = fnvField(h, sender)
	h = fnvField(h, m.Text)
	h = fnvUvarint(h, uint64(len(m.Attachments)))
	for i := range m.Attachments {
		h = fnvField(h, m.Attachments[i].Name)
	}
	binary.BigEndian.PutUint64(out[8:], h)
	return out
}

// The FNV-1a state of a key after "chatferry-key-1" and the kind of its
// time, for each kind.
var (
	keyPrefix   = fnvString(fnvOffset, "chatferry-key-1")
	keyUnknown  = fnvField(keyPrefix, "unknown")
	keyZoned    = fnvField(keyPrefix, "zoned")
	keyFloating = fnvField(keyPrefix, "floating")
)

// FNV-1a, 64 bits, as hash/fnv's New64a computes it, over the bytes
// written to it one after another.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func fnvUvarint(h, v uint64) uint64 {
	for v >= 0x80 {
		h = (h ^ (v&0x7f | 0x80)) * fnvPrime
		v >>= 7
	}
	return (h ^ v) * fnvPrime
}

// fnvField hashes s preceded by its length as a uvarint.
func fnvField(h uint64, s string) uint64 {
	return fnvString(fnvUvarint(h, uint64(len(s))), s)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Counts are kept by day, for the keepDays days before the newest
// message seen, and for fewer when more than maxOrdinals would be kept:
// memory stays bounded, and forgetting a day costs nothing.
const (
	keepDays    = 7
	maxOrdinals = 1 << 18
)

// next returns the key of the next message of the chat with the given
// base: the ordinal counts messages with the same base so far. Exports
// are in time order but for small steps back, so a forgotten count
// matters only for a message equal to one in the same minute more than a
// week before the newest message seen. Such a message is still kept (see
// bump); only when its chat is converted again may that one message be
// taken for the one it equals. fresh reports that no earlier message of
// the chat has the key: the counts of its day were never forgotten.
func (k *keyMaker) next(base [16]byte, dst []byte) (key []byte, fresh bool) {
	c := k.counts(base)
	n := c.n[base] + 1
	c.n[base] = n
	if n == 1 {
		k.total++
	}
	return withOrdinal(dst, base, n), c.whole
}

// counts returns the counts of the day of base.
func (k *keyMaker) counts(base [16]byte) *dayCounts {
	day := floorDiv(int64(binary.BigEndian.Uint64(base[:8])^(1<<63)), 24*60)
	if k.cur != nil && day == k.day {
		return k.cur
	}
	c := k.days[day]
	if c == nil {
		c = &dayCounts{n: map[[16]byte]uint32{}, whole: !k.forgot || day > k.forgotTo}
		k.days[day] = c
		if day > k.newestDay || len(k.days) == 1 {
			k.newestDay = day
		}
		k.prune(day)
	}
	k.cur, k.day = c, day
	return c
}

// prune forgets the days before the last keepDays, and then the oldest
// ones while more than maxOrdinals counts are kept; never the day in use.
func (k *keyMaker) prune(inUse int64) {
	for d := range k.days {
		if d < k.newestDay-keepDays && d != inUse {
			k.forget(d)
		}
	}
	for k.total > maxOrdinals && len(k.days) > 1 {
		oldest := k.newestDay
		for d := range k.days {
			if d != inUse {
				oldest = min(oldest, d)
			}
		}
		k.forget(oldest)
	}
	k.cur = nil
}

func (k *keyMaker) forget(day int64) {
	k.total -= len(k.days[day].n)
	delete(k.days, day)
	if !k.forgot || day > k.forgotTo {
		k.forgot, k.forgotTo = true, day
	}
}

// bump gives key, in place, the next ordinal, and counts it.
func (k *keyMaker) bump(base [16]byte, key []byte) {
	n := binary.BigEndian.Uint32(key[16:]) + 1
	c := k.counts(base)
	if n > c.n[base] {
		c.n[base] = n
	}
	binary.BigEndian.PutUint32(key[16:], n)
}

func withOrdinal(dst []byte, base [16]byte, n uint32) []byte {
	dst = append(dst[:0], base[:]...)
	return binary.BigEndian.AppendUint32(dst, n)
}
