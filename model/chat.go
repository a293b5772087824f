package model

import (
	"fmt"
	"io/fs"
	"strconv"
)

// ChatID identifies a chat within one import. It is opaque.
type ChatID string

// ParticipantID identifies a participant within one chat. It is opaque.
type ParticipantID string

// MessageID identifies a message within one chat. It is opaque.
type MessageID string

// ChatKind says whether a chat is between two people or a group.
type ChatKind string

// The chat kinds.
const (
	Direct ChatKind = "direct"
	Group  ChatKind = "group"
)

// Item is one element of an import stream: a *Chat or a *Message.
type Item interface{ item() }

func (*Chat) item()    {}
func (*Message) item() {}

// Pos is a position in an input: the file (relative to the input the user
// named, or the input itself) and a 1-based line. Line 0 means the whole
// file, or a source without lines (a database row uses Line for its row id).
type Pos struct {
	File string
	Line int
}

// String formats p as "file:line", or "file" when Line is 0.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// IsZero reports whether p is unknown.
func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// Warning is something a reader of the output should know about a chat,
// for instance that its date order was guessed.
type Warning struct {
	Pos  Pos    // where, when it is about one place
	Code string // a stable machine-readable key, e.g. "date-order-guessed"
	Text string // a sentence for people
}

// String formats the warning as "file:line: text" when it has a position.
func (w Warning) String() string {
	if w.Pos.IsZero() {
		return w.Text
	}
	return fmt.Sprintf("%s: %s", w.Pos, w.Text)
}

// Participant is a person (or business, or bot) in a chat.
type Participant struct {
	ID    ParticipantID
	Name  string // as the source shows it
	Phone string // E.164 ("+4915112345678") when the source reveals it
	Me    bool   // the person who made the export or owns the database
}

// Chat opens a chat in an import stream. Everything here is known before
// the chat's first message is read.
type Chat struct {
	ID           ChatID
	Title        string
	Kind         ChatKind
	Participants []Participant

	// Format is the importer that read the chat; Source the input path.
	Format string
	Source string

	// TimePrecision is the precision of the chat's message times.
	TimePrecision Precision

	// Meta holds facts about how the chat was read, as short key/value
	// pairs (e.g. "date_order": "dmy"). Keys are snake_case.
	Meta map[string]string

	// Warnings lists what a reader of the output should know.
	Warnings []Warning

	// Media resolves Attachment.Path; nil when the input carries no media
	// files. It is not part of any output.
	Media fs.FS
}

// Participant returns the participant with the given id, or nil.
func (c *Chat) Participant(id ParticipantID) *Participant {
	for i := range c.Participants {
		if c.Participants[i].ID == id {
			return &c.Participants[i]
		}
	}
	return nil
}

// Me returns the participant marked Me, or nil.
func (c *Chat) Me() *Participant {
	for i := range c.Participants {
		if c.Participants[i].Me {
			return &c.Participants[i]
		}
	}
	return nil
}
