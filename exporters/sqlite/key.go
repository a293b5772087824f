package sqlite

import (
	"encoding/binary"
	"hash"
	"hash/fnv"

	"github.com/chatferry/chatferry/model"
)

// keySize is the length of a message key.
const keySize = 20

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
	h       hash.Hash64
	buf     []byte
	ordinal map[[16]byte]uint32
	newest  int64 // the latest minute seen
	pruned  int64 // newest when the counts were last pruned
}

func newKeyMaker() *keyMaker {
	return &keyMaker{h: fnv.New64a(), ordinal: map[[16]byte]uint32{}}
}

// reset starts a new chat.
func (k *keyMaker) reset() {
	clear(k.ordinal)
	k.newest, k.pruned = 0, 0
}

// base returns the first 16 bytes of the key of m, sent by sender.
func (k *keyMaker) base(m *model.Message, sender string) [16]byte {
	var out [16]byte
	minute, kind := int64(0), "unknown"
	if !m.Time.IsZero() {
		// A floating time's Wall holds the reading in UTC fields, so
		// its Unix minute numbers the reading; a zoned one's the instant.
		kind = "zoned"
		if m.Time.IsFloating() {
			kind = "floating"
		}
		minute = floorDiv(m.Time.Wall().Unix(), 60)
	}
	binary.BigEndian.PutUint64(out[:8], uint64(minute)^(1<<63))
	b := append(k.buf[:0], "chatferry-key-1"...)
	b = appendField(b, kind)
	b = appendField(b, sender)
	b = appendField(b, m.Text)
	b = binary.AppendUvarint(b, uint64(len(m.Attachments)))
	for i := range m.Attachments {
		b = appendField(b, m.Attachments[i].Name)
	}
	k.buf = b
	k.h.Reset()
	k.h.Write(b)
	binary.BigEndian.PutUint64(out[8:], k.h.Sum64())
	return out
}

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Counts are kept for a week of messages: the counts of minutes more than
// ordinalHorizon older than the newest message seen are forgotten once
// more than pruneAt are kept, and past maxOrdinals even younger ones are,
// so memory stays bounded and the map small enough to stay in the cache.
var (
	ordinalHorizon = int64(7 * 24 * 60) // minutes
	pruneAt        = 1 << 13
	maxOrdinals    = 1 << 18
)

// next returns the key of the next message of the chat with the given
// base: the ordinal counts messages with the same base so far. Exports
// are in time order but for small steps back, so a forgotten count
// matters only for a message equal to one in the same minute more than a
// week before the newest message seen. Such a message is still kept (see
// bump); only when its chat is converted again may that one message be
// taken for the one it equals.
func (k *keyMaker) next(base [16]byte, dst []byte) []byte {
	minute := int64(binary.BigEndian.Uint64(base[:8]) ^ (1 << 63))
	if minute > k.newest {
		k.newest = minute
	}
	if len(k.ordinal) >= pruneAt && k.newest-k.pruned > ordinalHorizon/8 {
		k.prune(k.newest - ordinalHorizon)
		k.pruned = k.newest
		if len(k.ordinal) >= maxOrdinals {
			k.prune(k.newest)
		}
	}
	n := k.ordinal[base] + 1
	k.ordinal[base] = n
	return withOrdinal(dst, base, n)
}

// prune forgets the counts of minutes before oldest.
func (k *keyMaker) prune(oldest int64) {
	for b := range k.ordinal {
		if int64(binary.BigEndian.Uint64(b[:8])^(1<<63)) < oldest {
			delete(k.ordinal, b)
		}
	}
}

// bump gives key, in place, the next ordinal, and counts it.
func (k *keyMaker) bump(base [16]byte, key []byte) {
	n := binary.BigEndian.Uint32(key[16:]) + 1
	if n > k.ordinal[base] {
		k.ordinal[base] = n
	}
	binary.BigEndian.PutUint32(key[16:], n)
}

func withOrdinal(dst []byte, base [16]byte, n uint32) []byte {
	dst = append(dst[:0], base[:]...)
	return binary.BigEndian.AppendUint32(dst, n)
}
