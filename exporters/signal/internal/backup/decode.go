package backup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/encoding/protowire"
)

// Decoded is what a snapshot holds of the frames chatferry writes, for
// tests and for inspecting a backup. Frames of other kinds are counted.
type Decoded struct {
	AccountName string
	Recipients  map[uint64]*DecodedRecipient
	Chats       map[uint64]uint64 // chat id → recipient id
	ChatOrder   []uint64
	Items       []*DecodedItem
	Files       []string // the snapshot's files list
	Other       int      // frames of kinds not decoded here
}

// DecodedRecipient is a recipient: Self, a contact, a group or another kind.
type DecodedRecipient struct {
	ID    uint64
	Kind  string // "self", "contact", "group", "release-notes", "distribution-list", …
	E164  uint64
	Name  string // a contact's system given name, a group's title
	Group []byte // a group's master key
}

// DecodedItem is one ChatItem.
type DecodedItem struct {
	Chat, Author, DateSent uint64
	Outgoing               bool
	SendTo                 []uint64
	Kind                   string // "standard", "deleted", "view-once", or the field number of another
	Text                   string
	Styles                 []DecodedRange  // the text's body ranges
	Contact                *DecodedContact // a ContactMessage's card
	Poll                   *DecodedPoll
	Call                   *DecodedCall // an update that is a one-to-one call
	Attachments            []*DecodedAttachment
	Quote                  *DecodedQuote
	Reactions              []DecodedReaction
	Raw                    []byte // the frame
}

// DecodedAttachment is an attachment stored in the local files store.
type DecodedAttachment struct {
	ContentType, FileName string
	Flag                  uint64
	Width, Height         uint64
	Size                  int64
	Key                   []byte
	LocalKey              [LocalKeyLen]byte
	PlaintextHash         [32]byte
}

// DecodedQuote is a reply's quote.
type DecodedQuote struct {
	Target, Author uint64
	Text           string
	Type           uint64 // 1 normal, 4 poll
}

// DecodedContact is the card of a ContactMessage: its given name and its
// numbers with their types.
type DecodedContact struct {
	GivenName string
	Numbers   []string // value/type
}

// DecodedCall is an IndividualCall.
type DecodedCall struct {
	Type, Direction, State, Started uint64
	Read                            bool
}

// DecodedPoll is a Poll: its question, whether several answers may be
// chosen, and each option with the recipient ids of its voters.
type DecodedPoll struct {
	Question string
	Multiple bool
	Options  []DecodedPollOption
}

// DecodedPollOption is one answer of a poll.
type DecodedPollOption struct {
	Text   string
	Voters []uint64
}

// DecodedRange is a style over part of a text, in UTF-16 units.
type DecodedRange struct {
	Start, Length, Style uint64
}

// DecodedReaction is a reaction.
type DecodedReaction struct {
	Emoji        string
	Author, Sent uint64
}

// Decode reads every frame of the snapshot. It keeps the whole backup in
// memory: it is for tests and small backups.
func (s *Snapshot) Decode() (*Decoded, error) {
	fr, closeFn, err := s.Frames()
	if err != nil {
		return nil, err
	}
	defer closeFn()
	d := &Decoded{Recipients: map[uint64]*DecodedRecipient{}, Chats: map[uint64]uint64{}}
	if _, err := fr.Next(); err != nil {
		return nil, err
	}
	for i := 1; ; i++ {
		f, err := fr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := d.frame(f); err != nil {
			return nil, fmt.Errorf("frame %d: %w", i, err)
		}
	}
	lf, err := os.Open(filepath.Join(s.Dir, "files"))
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	err = ReadFilesList(lf, func(_ []byte, name string) error {
		d.Files = append(d.Files, name)
		return nil
	})
	return d, err
}

type field struct {
	num  protowire.Number
	typ  protowire.Type
	v    uint64
	data []byte
}

func fieldsOf(b []byte) ([]field, error) {
	var out []field
	err := EachField(b, func(num protowire.Number, typ protowire.Type, v uint64, data []byte) error {
		out = append(out, field{num, typ, v, data})
		return nil
	})
	return out, err
}

func (d *Decoded) frame(f []byte) error {
	top, err := fieldsOf(f)
	if err != nil || len(top) != 1 {
		return fmt.Errorf("not a frame: %v", err)
	}
	body, err := fieldsOf(top[0].data)
	if err != nil {
		return err
	}
	switch top[0].num {
	case 1:
		for _, x := range body {
			if x.num == 4 {
				d.AccountName = string(x.data)
			}
		}
	case 2:
		return d.recipient(body)
	case 3:
		var id, rid uint64
		for _, x := range body {
			switch x.num {
			case 1:
				id = x.v
			case 2:
				rid = x.v
			}
		}
		d.Chats[id] = rid
		d.ChatOrder = append(d.ChatOrder, id)
	case 4:
		it, err := decodeItem(body)
		if err != nil {
			return err
		}
		it.Raw = f
		d.Items = append(d.Items, it)
	default:
		d.Other++
	}
	return nil
}

func (d *Decoded) recipient(body []field) error {
	r := &DecodedRecipient{}
	for _, x := range body {
		switch x.num {
		case 1:
			r.ID = x.v
		case 2:
			r.Kind = "contact"
			c, err := fieldsOf(x.data)
			if err != nil {
				return err
			}
			for _, y := range c {
				switch y.num {
				case 4:
					r.E164 = y.v
				case 18:
					r.Name = string(y.data)
				}
			}
		case 3:
			r.Kind = "group"
			g, err := fieldsOf(x.data)
			if err != nil {
				return err
			}
			for _, y := range g {
				switch y.num {
				case 1:
					r.Group = y.data
				case 5:
					snap, _ := fieldsOf(y.data)
					for _, z := range snap {
						if z.num == 2 {
							t, _ := fieldsOf(z.data)
							for _, u := range t {
								if u.num == 1 {
									r.Name = string(u.data)
								}
							}
						}
					}
				}
			}
		case 4:
			r.Kind = "distribution-list"
		case 5:
			r.Kind = "self"
		case 6:
			r.Kind = "release-notes"
		case 7:
			r.Kind = "call-link"
		}
	}
	d.Recipients[r.ID] = r
	return nil
}

func decodeItem(body []field) (*DecodedItem, error) {
	it := &DecodedItem{}
	for _, x := range body {
		switch x.num {
		case 1:
			it.Chat = x.v
		case 2:
			it.Author = x.v
		case 3:
			it.DateSent = x.v
		case 9:
			it.Outgoing = true
			out, _ := fieldsOf(x.data)
			for _, y := range out {
				if y.num == 1 {
					st, _ := fieldsOf(y.data)
					for _, z := range st {
						if z.num == 1 {
							it.SendTo = append(it.SendTo, z.v)
						}
					}
				}
			}
		case 11:
			it.Kind = "standard"
			if err := it.standard(x.data); err != nil {
				return nil, err
			}
		case 12:
			it.Kind = "contact"
			it.Contact = decodeContact(first(x.data, 1).data)
			it.Reactions = reactionsIn(x.data, 2)
		case 15:
			it.Kind = "update"
			if c := first(x.data, 7); c.data != nil {
				it.Kind = "call"
				it.Call = &DecodedCall{Type: first(c.data, 2).v, Direction: first(c.data, 3).v,
					State: first(c.data, 4).v, Started: first(c.data, 5).v, Read: first(c.data, 6).v != 0}
			}
		case 20:
			it.Kind = "poll"
			it.Poll = decodePoll(x.data)
			it.Reactions = reactionsIn(x.data, 5)
		case 14:
			it.Kind = "deleted"
		case 18:
			it.Kind = "view-once"
			v, _ := fieldsOf(x.data)
			for _, y := range v {
				if y.num == 2 {
					it.Reactions = append(it.Reactions, decodeReaction(y.data))
				}
			}
		case 8, 4, 5, 6, 7, 10, 21:
		default:
			it.Kind = fmt.Sprintf("field %d", x.num)
		}
	}
	return it, nil
}

func (it *DecodedItem) standard(b []byte) error {
	sm, err := fieldsOf(b)
	if err != nil {
		return err
	}
	for _, x := range sm {
		switch x.num {
		case 1:
			q := &DecodedQuote{}
			qf, _ := fieldsOf(x.data)
			for _, y := range qf {
				switch y.num {
				case 1:
					q.Target = y.v
				case 2:
					q.Author = y.v
				case 3:
					q.Text = textBody(y.data)
				case 5:
					q.Type = y.v
				}
			}
			it.Quote = q
		case 2:
			it.Text = textBody(x.data)
			it.Styles = bodyRanges(x.data)
		case 3:
			a, err := decodeAttachment(x.data)
			if err != nil {
				return err
			}
			it.Attachments = append(it.Attachments, a)
		case 6:
			it.Reactions = append(it.Reactions, decodeReaction(x.data))
		}
	}
	return nil
}

func textBody(b []byte) string {
	f, _ := fieldsOf(b)
	for _, x := range f {
		if x.num == 1 {
			return string(x.data)
		}
	}
	return ""
}

// all returns the fields of message b numbered num, in order.
func all(b []byte, num protowire.Number) []field {
	f, _ := fieldsOf(b)
	var out []field
	for _, x := range f {
		if x.num == num {
			out = append(out, x)
		}
	}
	return out
}

// first returns the field of message b numbered num, or an empty field.
func first(b []byte, num protowire.Number) field {
	if f := all(b, num); len(f) > 0 {
		return f[0]
	}
	return field{}
}

// reactionsIn returns the reactions of message b, field num.
func reactionsIn(b []byte, num protowire.Number) []DecodedReaction {
	var out []DecodedReaction
	for _, r := range all(b, num) {
		out = append(out, decodeReaction(r.data))
	}
	return out
}

// decodeContact reads a ContactAttachment's given name and numbers.
func decodeContact(b []byte) *DecodedContact {
	c := &DecodedContact{GivenName: string(first(first(b, 1).data, 1).data)}
	for _, n := range all(b, 3) {
		c.Numbers = append(c.Numbers, fmt.Sprintf("%s/%d", first(n.data, 1).data, first(n.data, 2).v))
	}
	return c
}

// decodePoll reads a Poll's question, choice and options with their voters.
func decodePoll(b []byte) *DecodedPoll {
	p := &DecodedPoll{Question: string(first(b, 1).data), Multiple: first(b, 2).v != 0}
	for _, o := range all(b, 3) {
		opt := DecodedPollOption{Text: string(first(o.data, 1).data)}
		for _, vote := range all(o.data, 2) {
			opt.Voters = append(opt.Voters, first(vote.data, 1).v)
		}
		p.Options = append(p.Options, opt)
	}
	return p
}

// bodyRanges returns the styles of a Text message.
func bodyRanges(b []byte) []DecodedRange {
	var out []DecodedRange
	for _, r := range all(b, 2) {
		out = append(out, DecodedRange{Start: first(r.data, 1).v, Length: first(r.data, 2).v, Style: first(r.data, 4).v})
	}
	return out
}

func decodeReaction(b []byte) DecodedReaction {
	var r DecodedReaction
	f, _ := fieldsOf(b)
	for _, x := range f {
		switch x.num {
		case 1:
			r.Emoji = string(x.data)
		case 2:
			r.Author = x.v
		case 3:
			r.Sent = x.v
		}
	}
	return r
}

func decodeAttachment(b []byte) (*DecodedAttachment, error) {
	a := &DecodedAttachment{}
	ma, err := fieldsOf(b)
	if err != nil {
		return nil, err
	}
	for _, x := range ma {
		switch x.num {
		case 2:
			a.Flag = x.v
		case 1:
			fp, err := fieldsOf(x.data)
			if err != nil {
				return nil, err
			}
			for _, y := range fp {
				switch y.num {
				case 4:
					a.ContentType = string(y.data)
				case 7:
					a.FileName = string(y.data)
				case 8:
					a.Width = y.v
				case 9:
					a.Height = y.v
				case 13:
					li, _ := fieldsOf(y.data)
					for _, z := range li {
						switch z.num {
						case 1:
							a.Key = z.data
						case 3:
							a.Size = int64(z.v)
						case 9:
							copy(a.LocalKey[:], z.data)
						case 10:
							copy(a.PlaintextHash[:], z.data)
						}
					}
				}
			}
		}
	}
	return a, nil
}
