package signal

import (
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// pb builds one protobuf message. Field numbers are those of Signal's
// Backup.proto; only what chatferry writes is here.
type pb []byte

func (b pb) uint(num protowire.Number, v uint64) pb {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func (b pb) boolean(num protowire.Number, v bool) pb {
	if !v {
		return b
	}
	return b.uint(num, 1)
}

func (b pb) bytes(num protowire.Number, v []byte) pb {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func (b pb) str(num protowire.Number, s string) pb {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, strings.ToValidUTF8(s, "\uFFFD"))
}

func (b pb) msg(num protowire.Number, m pb) pb { return b.bytes(num, m) }

// Frame fields.
const (
	frameAccount   = 1
	frameRecipient = 2
	frameChat      = 3
	frameChatItem  = 4
)

// Enum values of Backup.proto that chatferry writes.
const (
	phoneSharingNobody     = 2
	mediaQualityStandard   = 1
	themeSystem            = 1
	callDataNever          = 1
	autoDownloadWifi       = 2
	autoDownloadAlways     = 3
	accessMember           = 2
	accessUnsatisfiable    = 4
	privacyAll             = 3
	attachmentVoice        = 1
	attachmentBorderless   = 2
	attachmentGIF          = 3
	quoteNormal            = 1
	quotePoll              = 4
	distributionMyStoryLen = 16
)

func encodeBackupInfo(nowMs uint64, mediaRootKey []byte) pb {
	return pb(nil).uint(1, 1).uint(2, nowMs).bytes(3, mediaRootKey).
		str(4, "chatferry").str(5, "chatferry")
}

// encodeAccount is AccountData with Signal's default settings: the ones a
// new Android installation has.
func encodeAccount(profileKey []byte, givenName, familyName string) pb {
	auto := pb(nil).uint(1, autoDownloadAlways).uint(2, autoDownloadAlways).
		uint(3, autoDownloadWifi).uint(4, autoDownloadWifi)
	settings := pb(nil).
		boolean(1, true). // readReceipts
		boolean(3, true). // typingIndicators
		boolean(4, true). // linkPreviews
		boolean(9, true). // displayBadgesOnProfile
		uint(17, phoneSharingNobody).
		uint(23, mediaQualityStandard).
		msg(24, auto).
		uint(28, themeSystem).
		uint(29, callDataNever)
	acc := pb(nil).bytes(1, profileKey).str(4, givenName)
	if familyName != "" {
		acc = acc.str(5, familyName)
	}
	acc = acc.msg(9, settings)
	return pb(nil).msg(frameAccount, acc)
}

func encodeRecipient(id uint64, dest protowire.Number, body pb) pb {
	return pb(nil).msg(frameRecipient, pb(nil).uint(1, id).msg(dest, body))
}

func encodeSelf(id uint64) pb         { return encodeRecipient(id, 5, nil) }
func encodeReleaseNotes(id uint64) pb { return encodeRecipient(id, 6, nil) }

// encodeMyStory is the "My Story" distribution list every account has.
func encodeMyStory(id uint64) pb {
	list := pb(nil).boolean(2, true).uint(3, privacyAll)
	item := pb(nil).bytes(1, make([]byte, distributionMyStoryLen)).msg(3, list)
	return encodeRecipient(id, 4, item)
}

// encodeContact is a contact known by phone number only, with the name
// the user's address book or the chat export gives.
func encodeContact(id, e164 uint64, name string) pb {
	c := pb(nil).uint(4, e164).msg(7, nil) // registered {}
	if name != "" {
		c = c.str(18, name) // systemGivenName
	}
	return encodeRecipient(id, 2, c)
}

// encodeGroup is a group with a new master key, the chat's title and no
// members: the group exists on no server, so it is an archive.
func encodeGroup(id uint64, masterKey []byte, title string) pb {
	access := pb(nil).uint(1, accessMember).uint(2, accessMember).uint(3, accessUnsatisfiable)
	snap := pb(nil).msg(2, pb(nil).str(1, title)).msg(5, access)
	g := pb(nil).bytes(1, masterKey).boolean(2, true).msg(5, snap)
	return encodeRecipient(id, 3, g)
}

func encodeChat(id, recipientID uint64) pb {
	return pb(nil).msg(frameChat, pb(nil).uint(1, id).uint(2, recipientID).uint(10, 1))
}

// body says what a chat item holds.
type body int

const (
	bodyStandard body = iota
	bodyDeleted
	bodyViewOnce
	bodyContact // a shared contact card: ContactMessage
	bodyPoll    // Poll
	bodyCall    // a one-to-one call: ChatUpdateMessage.individualCall
)

// item is one ChatItem before it is encoded.
type item struct {
	chatID, authorID uint64
	dateSent         uint64
	outgoing         bool
	to               []uint64 // recipients of an outgoing message
	body             body
	text             string
	styles           []bodyRange // of text
	native           pb          // a contact, poll or call item's own fields, reactions not included
	attachments      []pb        // encoded MessageAttachment
	firstFile        *quotedFile
	quote            *quote
	reactions        []reaction
}

type quote struct {
	target   uint64 // the quoted message's dateSent; 0 when unknown
	authorID uint64
	text     string
	file     *quotedFile
	poll     bool // the quoted message is a poll
}

type reaction struct {
	emoji    string
	authorID uint64
	sent     uint64
}

func (it *item) encode() pb {
	ci := pb(nil).uint(1, it.chatID).uint(2, it.authorID).uint(3, it.dateSent)
	if it.body == bodyCall {
		// A chat update has no direction; the call says its own.
		call := append(pb(nil), it.native...).uint(5, it.dateSent).boolean(6, true) // started, read
		return pb(nil).msg(frameChatItem, ci.msg(10, nil).msg(15, pb(nil).msg(7, call)))
	}
	if it.outgoing {
		out := pb(nil)
		for _, r := range it.to {
			st := pb(nil).uint(1, r).uint(2, it.dateSent).msg(5, nil) // delivered {}
			out = out.msg(1, st)
		}
		out = out.uint(2, it.dateSent)
		ci = ci.msg(9, out)
	} else {
		ci = ci.msg(8, pb(nil).uint(1, it.dateSent).boolean(3, true)) // dateReceived, read
	}
	switch it.body {
	case bodyDeleted:
		ci = ci.msg(14, nil)
	case bodyViewOnce: // reactions are field 2 of ViewOnceMessage
		ci = ci.msg(18, it.appendReactions(nil, 2))
	case bodyContact: // ContactMessage: the card is field 1, reactions 2
		ci = ci.msg(12, it.appendReactions(pb(nil).msg(1, it.native), 2))
	case bodyPoll: // reactions are field 5 of Poll
		ci = ci.msg(20, it.appendReactions(append(pb(nil), it.native...), 5))
	default:
		sm := pb(nil)
		if q := it.quote; q != nil {
			qm := pb(nil)
			if q.target != 0 {
				qm = qm.uint(1, q.target)
			}
			qm = qm.uint(2, q.authorID)
			if q.text != "" {
				qm = qm.msg(3, pb(nil).str(1, q.text))
			}
			if q.file != nil {
				qm = qm.msg(4, pb(nil).str(1, q.file.contentType).str(2, q.file.fileName))
			}
			typ := uint64(quoteNormal)
			if q.poll {
				typ = quotePoll
			}
			qm = qm.uint(5, typ)
			sm = sm.msg(1, qm)
		}
		if it.text != "" {
			t := pb(nil).str(1, it.text)
			for _, r := range it.styles {
				br := pb(nil)
				if r.start > 0 {
					br = br.uint(1, r.start) // proto3: a zero is left out
				}
				t = t.msg(2, br.uint(2, r.length).uint(4, r.style))
			}
			sm = sm.msg(2, t)
		}
		for _, a := range it.attachments {
			sm = sm.msg(3, a)
		}
		ci = ci.msg(11, it.appendReactions(sm, 6))
	}
	return pb(nil).msg(frameChatItem, ci)
}

// appendReactions appends the item's reactions to b as field num: each
// kind of message numbers them its own way.
func (it *item) appendReactions(b pb, num protowire.Number) pb {
	for i, r := range it.reactions {
		b = b.msg(num, pb(nil).str(1, r.emoji).uint(2, r.authorID).uint(3, r.sent).uint(4, uint64(i+1)))
	}
	return b
}

// encodeAttachment is a MessageAttachment whose file is in the local
// backup's files store.
func encodeAttachment(a *storedFile, flag uint64) pb {
	loc := pb(nil).bytes(1, a.key[:]).uint(3, uint64(a.size)).bytes(9, a.localKey[:]).bytes(10, a.hash[:])
	fp := pb(nil)
	if a.contentType != "" {
		fp = fp.str(4, a.contentType)
	}
	if a.fileName != "" {
		fp = fp.str(7, a.fileName)
	}
	if a.width > 0 && a.height > 0 {
		fp = fp.uint(8, uint64(a.width)).uint(9, uint64(a.height))
	}
	fp = fp.msg(13, loc)
	m := pb(nil).msg(1, fp)
	if flag != 0 {
		m = m.uint(2, flag)
	}
	return m.boolean(3, true).bytes(4, a.clientUUID[:])
}

// quotable is what a quote of this item shows: its text, its first file,
// and whether it is a poll.
func (it *item) quotable() (string, *quotedFile, bool) {
	switch it.body {
	case bodyContact, bodyPoll:
		return it.text, nil, it.body == bodyPoll // the card's words, the poll's question
	case bodyStandard:
		return it.text, it.firstFile, false
	}
	return "", nil, false
}
