package telegramjson

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/exporters/internal/recent"
	"github.com/chatferry/chatferry/model"
)

// nameIDBase starts the range of user and chat ids derived from names.
// It lies above every E.164 number (15 digits) and below 2^53, so the ids
// never collide with ids made from phone numbers and stay exact in
// JavaScript readers.
const nameIDBase = 9_000_000_000_000_000

// UserID returns the Telegram user id chatferry gives a participant: the
// digits of the phone number when the source knows it, otherwise a
// number derived from the name, so that the same person has the same id
// in every chat of an export (signalbackup-tools finds the exporting user
// that way).
func UserID(p *model.Participant) int64 {
	if d := digits(p.Phone); len(d) >= 5 && len(d) <= 15 {
		n, err := strconv.ParseInt(d, 10, 64)
		if err == nil && n > 0 {
			return n
		}
	}
	key := strings.ToLower(strings.Join(strings.Fields(p.Name), " "))
	if key == "" {
		key = "\x00" + string(p.ID)
	}
	return nameIDBase + int64(hash32(key))
}

// ChatID returns the id of a group chat, derived from its id and title.
func ChatID(c *model.Chat) int64 {
	return nameIDBase + int64(hash32("chat\x00"+string(c.ID)+"\x00"+c.Title+"\x00"+c.Source))
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// replyWindow bounds how many earlier messages of a chat a reply can
// point at: the writer remembers the ids it gave the last replyWindow
// messages (16 bytes each), so memory stays flat however long the chat.
const replyWindow = 1 << 20

// idMap remembers the Telegram ids given to the last replyWindow
// messages of a chat, by a hash of their ids.
type idMap struct {
	w recent.Window[uint64, int64]
}

func (m *idMap) reset() {
	m.w.Limit = replyWindow
	m.w.Reset()
}

func (m *idMap) put(id model.MessageID, tg int64) { m.w.Put(hash64(string(id)), tg) }

func (m *idMap) get(id model.MessageID) (int64, bool) { return m.w.Get(hash64(string(id))) }
