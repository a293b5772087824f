package telegramjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/chatferry/chatferry/importers/internal/jsonpos"
)

// event is what the walker found next.
type event int

const (
	evPersonal event = iota + 1 // personal_information was decoded into walker.personal
	evChat                      // a chat object starts (or, in the single-chat form, the document)
	evChatHead                  // a chat's name, type or id was read into walker.head
	evMessage                   // a message was decoded into walker.msg
	evChatEnd                   // the chat object ended
	evEnd                       // the document ended
)

type frameKind int

const (
	frTop frameKind = iota
	frChats
	frList
	frChat
	frMessages
)

// chatHead is what a chat object says about itself.
type chatHead struct {
	Name *string
	Type string
	ID   json.Number
}

// personal is the account form's personal_information.
type personal struct {
	UserID      json.Number `json:"user_id"`
	FirstName   string      `json:"first_name"`
	LastName    string      `json:"last_name"`
	PhoneNumber string      `json:"phone_number"`
}

// walker pulls the parts chatferry reads out of a Telegram export, one at
// a time, with a token decoder: messages are decoded one by one, and
// everything else it does not need is skipped token by token.
type walker struct {
	f      fs.File
	lt     *jsonpos.Tracker
	dec    *json.Decoder
	stack  []frameKind
	single bool // the document is one chat

	personal personal
	head     chatHead
	msg      tgMessage
	msgLine  int
	msgErr   error // a message that did not decode; the walker went on
	started  bool
}

func newWalker(f fs.File) *walker {
	lt := jsonpos.NewTracker(bufio.NewReaderSize(f, 64<<10), 1)
	dec := json.NewDecoder(lt)
	dec.UseNumber()
	return &walker{f: f, lt: lt, dec: dec}
}

func (w *walker) close() error { return w.f.Close() }

// line returns the line the decoder has reached.
func (w *walker) line() int { return w.lt.LineAt(w.dec.InputOffset()) }

// errSyntax marks errors in the document's structure.
var errSyntax = errors.New("not a Telegram export")

func (w *walker) delim(want json.Delim, what string) error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("%w: %s is %v, want %q", errSyntax, what, describe(tok), string(want))
	}
	return nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(v))
	case string:
		return "a string"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// key reads an object key, or reports the object's end.
func (w *walker) key() (string, bool, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return "", false, err
	}
	if d, ok := tok.(json.Delim); ok && d == '}' {
		return "", true, nil
	}
	k, ok := tok.(string)
	if !ok {
		return "", false, fmt.Errorf("%w: unexpected %v", errSyntax, describe(tok))
	}
	return k, false, nil
}

// skip skips one value token by token, so that a large value never has to
// fit in memory: now and then it lets the line tracker forget what was
// read.
func (w *walker) skip() error {
	depth := 0
	for n := 1; ; n++ {
		if n%256 == 0 {
			w.line()
		}
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

func (w *walker) push(k frameKind) { w.stack = append(w.stack, k) }
func (w *walker) pop()             { w.stack = w.stack[:len(w.stack)-1] }

// next returns the next event. Errors from the decoder are final; a
// message that does not decode is reported with evMessage and msgErr.
func (w *walker) next() (event, error) {
	if !w.started {
		w.started = true
		if err := w.delim('{', "the document"); err != nil {
			return 0, err
		}
		w.push(frTop)
	}
	for {
		if len(w.stack) == 0 {
			if _, err := w.dec.Token(); err != io.EOF {
				if err == nil {
					err = fmt.Errorf("%w: data after the end of the document", errSyntax)
				}
				return 0, err
			}
			return evEnd, nil
		}
		switch w.stack[len(w.stack)-1] {
		case frTop, frChat:
			ev, err := w.objectKey()
			if ev != 0 || err != nil {
				return ev, err
			}
		case frChats:
			k, end, err := w.key()
			switch {
			case err != nil:
				return 0, err
			case end:
				w.pop()
			case k == "list":
				if err := w.delim('[', `"list"`); err != nil {
					return 0, err
				}
				w.push(frList)
			default:
				if err := w.skip(); err != nil {
					return 0, err
				}
			}
		case frList:
			if !w.dec.More() {
				w.dec.Token()
				w.pop()
				continue
			}
			if err := w.delim('{', "a chat"); err != nil {
				return 0, err
			}
			w.push(frChat)
			w.head = chatHead{}
			return evChat, nil
		case frMessages:
			if !w.dec.More() {
				w.dec.Token()
				w.pop()
				continue
			}
			off := w.dec.InputOffset()
			w.msg = tgMessage{}
			w.msgErr = w.dec.Decode(&w.msg)
			w.msgLine = w.lt.LineAt(off) // now that the message's bytes were read
			var se *json.SyntaxError
			if errors.As(w.msgErr, &se) || errors.Is(w.msgErr, io.ErrUnexpectedEOF) || w.lt.Err() != nil {
				return 0, w.msgErr
			}
			return evMessage, nil
		}
	}
}

// objectKey handles one key of the top object or a chat object.
func (w *walker) objectKey() (event, error) {
	top := w.stack[len(w.stack)-1] == frTop
	k, end, err := w.key()
	if err != nil {
		return 0, err
	}
	if end {
		w.pop()
		if !top || w.single {
			return evChatEnd, nil
		}
		return 0, nil
	}
	switch {
	case k == "messages":
		if top && !w.single {
			w.single = true
			if err := w.delim('[', `"messages"`); err != nil {
				return 0, err
			}
			w.push(frMessages)
			return evChat, nil
		}
		if err := w.delim('[', `"messages"`); err != nil {
			return 0, err
		}
		w.push(frMessages)
	case k == "name" || k == "type" || k == "id":
		var v json.RawMessage
		if err := w.dec.Decode(&v); err != nil {
			return 0, err
		}
		if err := w.setHead(k, v); err != nil {
			return 0, err
		}
		return evChatHead, nil
	case top && k == "personal_information":
		if err := w.dec.Decode(&w.personal); err != nil {
			return 0, fmt.Errorf("personal_information: %w", err)
		}
		return evPersonal, nil
	case top && (k == "chats" || k == "left_chats"):
		if err := w.delim('{', `"`+k+`"`); err != nil {
			return 0, err
		}
		w.push(frChats)
	default:
		if err := w.skip(); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

func (w *walker) setHead(k string, v json.RawMessage) error {
	var err error
	switch k {
	case "name":
		var s *string
		err = json.Unmarshal(v, &s)
		w.head.Name = s
	case "type":
		err = json.Unmarshal(v, &w.head.Type)
	case "id":
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var n any
		err = dec.Decode(&n)
		switch x := n.(type) {
		case json.Number:
			w.head.ID = x
		case string:
			w.head.ID = json.Number(x)
		}
	}
	if err != nil {
		return fmt.Errorf("chat %s: %w", k, err)
	}
	return nil
}
