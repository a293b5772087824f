package whatsappios

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/chatferry/chatferry/model"
)

// WhatsApp keeps some facts in protobuf blobs without a published schema.
// chatferry reads only the few fields whose meaning is known (see
// docs/whatsapp-ios.md) with this small walker, and ignores the rest. A blob
// that is not well-formed protobuf yields nothing; it never fails an import.

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// pbField is one field of a protobuf message: its number, wire type, and
// its value (Varint for varints and fixed sizes, Bytes for length-delimited
// fields).
type pbField struct {
	Num    uint64
	Wire   int
	Varint uint64
	Bytes  []byte
}

// walkProto calls fn for each top-level field of b, in order, until fn
// returns false. It reports whether b was well-formed up to where it
// stopped.
func walkProto(b []byte, fn func(pbField) bool) bool {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return false
		}
		b = b[n:]
		f := pbField{Num: key >> 3, Wire: int(key & 7)}
		if f.Num == 0 {
			return false
		}
		switch f.Wire {
		case wireVarint:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return false
			}
			f.Varint, b = v, b[n:]
		case wireFixed64:
			if len(b) < 8 {
				return false
			}
			f.Varint, b = binary.LittleEndian.Uint64(b), b[8:]
		case wireFixed32:
			if len(b) < 4 {
				return false
			}
			f.Varint, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		case wireBytes:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return false
			}
			f.Bytes, b = b[n:n+int(l)], b[n+int(l):]
		default: // groups (3, 4) are not used by WhatsApp; 6, 7 do not exist
			return false
		}
		if !fn(f) {
			return true
		}
	}
	return true
}

// protoText returns the first length-delimited field num of b as text, or
// "" when there is none or it is not UTF-8.
func protoText(b []byte, num uint64) string {
	var s string
	walkProto(b, func(f pbField) bool {
		if f.Num == num && f.Wire == wireBytes {
			if utf8.Valid(f.Bytes) {
				s = string(f.Bytes)
			}
			return false
		}
		return true
	})
	return s
}

// protoMessage returns the first length-delimited field num of b, or nil.
func protoMessage(b []byte, num uint64) []byte {
	var m []byte
	walkProto(b, func(f pbField) bool {
		if f.Num == num && f.Wire == wireBytes {
			m = f.Bytes
			return false
		}
		return true
	})
	return m
}

// protoVarint returns the first varint field num of b.
func protoVarint(b []byte, num uint64) (uint64, bool) {
	var v uint64
	found := false
	walkProto(b, func(f pbField) bool {
		if f.Num == num && f.Wire == wireVarint {
			v, found = f.Varint, true
			return false
		}
		return true
	})
	return v, found
}

// quoteRef is what a reply's media item metadata says about the message it
// answers: field 5 is the quoted message's stanza id, field 6 the JID of
// its sender (absent when the owner wrote it), field 19 a copy of the
// quoted message as WhatsApp sends it, whose text Text is.
type quoteRef struct {
	Stanza string
	JID    string
	Text   string
}

func parseQuote(meta []byte) quoteRef {
	if len(meta) == 0 {
		return quoteRef{}
	}
	q := quoteRef{Stanza: protoText(meta, 5), JID: protoText(meta, 6)}
	if q.Stanza != "" {
		q.Text = quotedText(protoMessage(meta, 19))
	}
	return q
}

// quotedText is the text of a WhatsApp message: its conversation text
// (field 1), or the text of an extended text (6.1), or the caption of an
// image (3.3), a video (9.7) or a document (7.8).
func quotedText(msg []byte) string {
	if msg == nil {
		return ""
	}
	if t := protoText(msg, 1); t != "" {
		return t
	}
	for _, f := range [][2]uint64{{6, 1}, {3, 3}, {9, 7}, {7, 8}} {
		if t := protoText(protoMessage(msg, f[0]), f[1]); t != "" {
			return t
		}
	}
	return ""
}

// callInfo is what a call message's metadata says (field 87, then 1):
// 1 video, 2 outcome (0 connected; 1 not answered; 4 missed; 5 failed),
// 3 duration in seconds.
type callInfo struct {
	Video    bool
	Outcome  uint64
	Seconds  uint64
	Complete bool // the metadata held the call record
}

func parseCall(meta []byte) callInfo {
	rec := protoMessage(protoMessage(meta, 87), 1)
	if rec == nil {
		return callInfo{}
	}
	var c callInfo
	video, _ := protoVarint(rec, 1)
	c.Video = video != 0
	c.Outcome, _ = protoVarint(rec, 2)
	c.Seconds, _ = protoVarint(rec, 3)
	c.Complete = true
	return c
}

// rawReaction is one reaction from a message's receipt info. JID is empty
// for the owner's own reaction.
type rawReaction struct {
	JID   string
	Own   bool
	Emoji string
	Milli int64 // time in Unix milliseconds, 0 when unknown
}

// parseReactions reads the reactions of a ZWAMESSAGEINFO.ZRECEIPTINFO blob:
// field 7 holds them, 7.1 = {1 id, 2 JID, 3 emoji, 4 time} for each other
// person's reaction and 7.2 = {1 id, 2 emoji, 3 time} for the owner's. The
// receipts in the other fields are not read. A reaction with no emoji (a
// withdrawn one) is left out.
func parseReactions(blob []byte) []rawReaction {
	var out []rawReaction
	walkProto(blob, func(f pbField) bool {
		if f.Num != 7 || f.Wire != wireBytes {
			return true
		}
		walkProto(f.Bytes, func(g pbField) bool {
			if g.Wire != wireBytes || (g.Num != 1 && g.Num != 2) {
				return true
			}
			var r rawReaction
			var ms uint64
			if g.Num == 1 {
				r.JID = protoText(g.Bytes, 2)
				r.Emoji = protoText(g.Bytes, 3)
				ms, _ = protoVarint(g.Bytes, 4)
			} else {
				r.Own = true
				r.Emoji = protoText(g.Bytes, 2)
				ms, _ = protoVarint(g.Bytes, 3)
			}
			r.Milli = reactionMilli(ms)
			if r.Emoji != "" && (r.Own || r.JID != "") {
				out = append(out, r)
			}
			return true
		})
		return true
	})
	return out
}

// reactionMilli reads a reaction time, which WhatsApp writes in
// milliseconds; a value too small to be milliseconds after 2001 is taken as
// seconds, and nonsense as unknown.
func reactionMilli(v uint64) int64 {
	const (
		msIn2001 = 978307200000
		msIn2200 = 7258118400000
	)
	switch {
	case v >= msIn2001 && v < msIn2200:
		return int64(v)
	case v >= msIn2001/1000 && v < msIn2200/1000:
		return int64(v) * 1000
	}
	return 0
}

// parsePoll reads a poll's question and options from its message's receipt
// info: field 8 holds 2 the question and 3 {1 text} for each option. The
// votes are not there; each option says 0.
func parsePoll(blob []byte) *model.Poll {
	p := &model.Poll{}
	walkProto(blob, func(f pbField) bool {
		if f.Num != 8 || f.Wire != wireBytes {
			return true
		}
		walkProto(f.Bytes, func(g pbField) bool {
			switch {
			case g.Num == 2 && g.Wire == wireBytes && utf8.Valid(g.Bytes) && p.Question == "":
				p.Question = string(g.Bytes)
			case g.Num == 3 && g.Wire == wireBytes:
				walkProto(g.Bytes, func(h pbField) bool {
					if h.Num == 1 && h.Wire == wireBytes && utf8.Valid(h.Bytes) && len(p.Options) < maxPollOptions {
						p.Options = append(p.Options, model.PollOption{Text: string(h.Bytes)})
					}
					return true
				})
			}
			return true
		})
		return false
	})
	return p
}

// maxPollOptions bounds what one poll may yield (WhatsApp allows 12).
const maxPollOptions = 100
