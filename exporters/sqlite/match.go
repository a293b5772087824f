package sqlite

import (
	"errors"
	"slices"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// matchWindow is how many first messages of a chat without a title match
// are held to find the archive's chat they belong to.
const matchWindow = 32

// minMatches is how many of those messages an archived chat must already
// have to be taken for the same chat.
const minMatches = 3

// resolve decides the row of a chat that no archived chat matches by kind
// and title: a group renamed between two exports, a contact renamed on
// the phone, a renamed file. It is the archived chat of the same kind
// that has most of the chat's first messages (by message key), at least
// minMatches and at least half of those that are not system events, when
// exactly one chat has that many; otherwise a new chat. Then the held
// messages are written.
func (w *Writer) resolve(cs *chatState) error {
	cs.pending = false
	best, err := w.matchHeld(cs)
	if err != nil {
		return err
	}
	if best.id != 0 {
		if err := checkChatDir(best.dir); err != nil {
			return err
		}
		cs.id, cs.dir = best.id, best.dir
		w.opts.Report.Notef("sqlite: the chat %q is the archive's chat %q (%d of its first messages are there)",
			cs.title, best.title, best.matches)
	} else if err := w.insertChat(cs); err != nil {
		return err
	}
	if err := w.setupChat(cs); err != nil {
		return err
	}
	held := cs.held
	cs.held = nil
	cs.replaying = true
	defer func() { cs.replaying = false }()
	for _, m := range held {
		if err := w.WriteMessage(m); err != nil {
			return err
		}
		for _, a := range m.Attachments {
			w.media.dropHeld(a.Path)
		}
	}
	return nil
}

// hold keeps a copy of m, and of its files, until its chat is decided:
// by then its input may be closed.
func (w *Writer) hold(cs *chatState, m *model.Message) error {
	c := cloneMessage(m)
	for i := range c.Attachments {
		a := &c.Attachments[i]
		if a.Path == "" || cs.c.Media == nil {
			continue
		}
		held, err := w.media.hold(cs.c.Media, a.Path)
		if errors.Is(err, exporters.ErrNoMedia) {
			w.media.missing(err)
		} else if err != nil {
			return messageError(m, err)
		}
		a.Path = held
	}
	cs.held = append(cs.held, c)
	if len(cs.held) < matchWindow {
		return nil
	}
	return w.resolve(cs)
}

type candidate struct {
	id      int64
	dir     string
	title   string
	matches int
}

// matchHeld returns the archived chat the held messages belong to, or a
// candidate with id 0.
func (w *Writer) matchHeld(cs *chatState) (candidate, error) {
	keys := newKeyMaker()
	var probe [][]byte
	for _, m := range cs.held {
		name := string(m.Sender)
		if p, ok := cs.parts[m.Sender]; ok {
			name = p.name
		}
		key, _ := keys.next(keys.base(m, name), nil)
		if m.Kind != model.KindSystem {
			probe = append(probe, key)
		}
	}
	need := max(minMatches, (len(probe)+1)/2)
	if len(probe) < need {
		return candidate{}, nil
	}
	var cands []candidate
	rows, err := w.st.chatsOfKind.query(string(cs.c.Kind))
	if err != nil {
		return candidate{}, err
	}
	dest := make([]driverValue, 3)
	for rows.Next(dest) == nil {
		cands = append(cands, candidate{id: dest[0].(int64), dir: asString(dest[1]), title: asString(dest[2])})
	}
	rows.Close()
	var best candidate
	tie := false
	for _, c := range cands {
		for _, key := range probe {
			_, ok, err := w.st.findMsg.row(c.id, key)
			if err != nil {
				return candidate{}, err
			}
			if ok {
				c.matches++
			}
		}
		switch {
		case c.matches < need:
		case c.matches > best.matches:
			best, tie = c, false
		case c.matches == best.matches:
			tie = true
		}
	}
	if tie {
		w.opts.Report.Notef("sqlite: the first messages of the chat %q are in several archived chats; it is kept as a chat of its own", cs.title)
		return candidate{}, nil
	}
	return best, nil
}

// cloneMessage copies m deeply enough that the importer may reuse what m
// points to.
func cloneMessage(m *model.Message) *model.Message {
	c := *m
	c.Attachments = slices.Clone(m.Attachments)
	c.Reactions = slices.Clone(m.Reactions)
	if m.Quote != nil {
		q := *m.Quote
		c.Quote = &q
	}
	if m.Poll != nil {
		p := *m.Poll
		p.Options = slices.Clone(p.Options)
		for i := range p.Options {
			p.Options[i].Voters = slices.Clone(p.Options[i].Voters)
		}
		c.Poll = &p
	}
	if m.Location != nil {
		l := *m.Location
		c.Location = &l
	}
	c.Contacts = slices.Clone(m.Contacts)
	for i := range c.Contacts {
		c.Contacts[i].Phones = slices.Clone(c.Contacts[i].Phones)
	}
	if m.Call != nil {
		k := *m.Call
		c.Call = &k
	}
	if m.Event != nil {
		e := *m.Event
		e.Targets = slices.Clone(e.Targets)
		c.Event = &e
	}
	return &c
}
