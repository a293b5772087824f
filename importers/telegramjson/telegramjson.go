// Package telegramjson reads Telegram Desktop's JSON export (format
// "telegram-json"): result.json alone, or the export folder or a zip of it
// with the media files. Both forms are read: a single chat ({name, type,
// id, messages}) and the full account (chats.list and left_chats.list).
//
// The document is streamed twice with a token decoder, one message at a
// time, and never loaded whole: the first pass learns each chat's
// participants (Telegram lists none; they are the senders, actors and
// reactors of its messages) and what its warnings must say, the second
// yields the chats and their messages. Memory depends on the number of
// chats and people, not on the number of messages.
//
// Mapping: a participant's id is Telegram's from_id ("user123"); the
// exporting user (personal_information) is marked as me. Message ids are
// Telegram's. Times come from date_unixtime, shown in the offset of the
// export's "date" (older exports without it give floating times). Replies
// link to earlier messages of the same chat; reactions keep the recent
// reactors Telegram lists; service messages become system events (a
// phone call becomes a call from its actor) with Telegram's text, or an
// English description when it has none. Media paths are resolved next to
// result.json; a path that leaves the export's folder is never opened.
package telegramjson

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

func init() {
	importers.Register(importers.Format{
		Name:    "telegram-json",
		Summary: "Telegram Desktop's JSON export (result.json, its folder or a zip of it)",
		Detect:  detect,
		Open:    Open,
	})
}

// Chat types of Telegram's exports, as seen in a document's head.
var chatTypes = []string{"personal_chat", "bot_chat", "saved_messages", "replies", "private_group",
	"private_supergroup", "public_supergroup", "private_channel", "public_channel"}

// The marks of an export in the first KiB, wherever its writer put spaces
// and line breaks (Telegram Desktop indents; tools that rewrite the file
// often do not).
var (
	accountMark  = regexp.MustCompile(`"personal_information"\s*:|"chats"\s*:\s*\{`)
	chatTypeMark = regexp.MustCompile(`"type"\s*:\s*"(?:` + strings.Join(chatTypes, "|") + `)"`)
	messagesMark = regexp.MustCompile(`"messages"\s*:`)
)

// looksLikeExport scores the first KiB of a JSON document.
func looksLikeExport(head []byte) int {
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if !bytes.HasPrefix(head, []byte("{")) || bytes.Contains(head, []byte(`"chatferry"`)) {
		return 0
	}
	if accountMark.Match(head) || (chatTypeMark.Match(head) && messagesMark.Match(head)) {
		return 90
	}
	return 0
}

func detect(p *importers.Probe) int {
	if p.Kind == importers.File {
		return looksLikeExport(p.Head)
	}
	if doc := document(p.Entries); doc != "" {
		return looksLikeExport(p.HeadOf(doc)) * 9 / 10
	}
	return 0
}

// document picks result.json among the files of a folder or zip: the one
// nearest the top.
func document(names []string) string {
	best := ""
	for _, n := range names {
		if path.Base(n) != "result.json" {
			continue
		}
		if best == "" || strings.Count(n, "/") < strings.Count(best, "/") {
			best = n
		}
	}
	return best
}

// Open starts reading src.
func Open(ctx context.Context, src *importers.Source, opts importers.Options) (importers.Reader, error) {
	r := &reader{ctx: ctx, src: src, opts: opts, chatIDs: map[string]bool{}}
	if src.Kind == importers.File {
		r.name = src.Name
	} else {
		names, err := src.Files()
		if err != nil {
			return nil, err
		}
		r.name = document(names)
		if r.name == "" {
			return nil, &importers.NotRecognisedError{Path: src.Path, Reason: "no result.json of a Telegram export inside"}
		}
	}
	r.media = src.FS
	if dir := path.Dir(r.name); dir != "." {
		sub, err := fs.Sub(src.FS, dir)
		if err != nil {
			return nil, err
		}
		r.media = sub
	}
	return r, nil
}

type reader struct {
	ctx  context.Context
	src  *importers.Source
	opts importers.Options
	name string // result.json inside the source
	// media resolves the JSON's media paths: the folder of result.json.
	media fs.FS

	scanned    bool
	recognised bool // the first pass found a chat or the account's data
	chats      []*chatInfo
	me         model.ParticipantID
	mePhone    string
	chatIDs    map[string]bool

	w       *walker
	cur     int // index of the chat being read in the second pass
	err     error
	closed  bool
	counted int
}

// Progress counts both passes over the document.
func (r *reader) Progress() (done, total int64) { return r.src.BytesRead(), 2 * r.src.Size() }

func (r *reader) Close() error {
	r.closed = true
	if r.w != nil {
		err := r.w.close()
		r.w = nil
		return err
	}
	return nil
}

func errorAt(pos model.Pos, format string, args ...any) error {
	return importers.Errorf(pos, format, args...)
}

// fatal wraps a walker error with the position and makes it final.
func (r *reader) fatal(w *walker, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	line := 0
	if w != nil {
		line = w.line()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("unexpected end of file: %w", err)
	}
	if !r.recognised && (w == nil || w.lt.Err() == nil) {
		return &importers.NotRecognisedError{Path: r.src.Path,
			Reason: fmt.Sprintf("not a Telegram Desktop export (result.json): line %d: %v", line, err)}
	}
	return &importers.ParseError{Pos: model.Pos{File: r.name, Line: line}, Err: err, Fatal: true}
}

func (r *reader) open() (*walker, error) {
	f, err := r.src.Open(r.name)
	if err != nil {
		return nil, err
	}
	return newWalker(f), nil
}

// scanAll is the first pass.
func (r *reader) scanAll() error {
	w, err := r.open()
	if err != nil {
		return err
	}
	defer w.close()
	var cur *chatInfo
	for n := 0; ; n++ {
		if n%1000 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		ev, err := w.next()
		if err != nil {
			return r.fatal(w, err)
		}
		switch ev {
		case evPersonal:
			r.recognised = true
			if id := string(w.personal.UserID); id != "" {
				r.me = model.ParticipantID("user" + id)
				r.mePhone = phone(w.personal.PhoneNumber)
			}
		case evChat:
			r.recognised = true
			cur = newChatInfo()
			r.chats = append(r.chats, cur)
		case evMessage:
			if cur == nil {
				continue
			}
			if w.msgErr != nil {
				cur.lost.bad++
				continue
			}
			r.scan(cur, &w.msg)
		case evChatEnd:
			if cur != nil {
				cur.head = w.head
				cur.seen = idSet{}
			}
			cur = nil
		case evEnd:
			if len(r.chats) == 0 && !w.single {
				return &importers.NotRecognisedError{Path: r.src.Path,
					Reason: "a JSON document without Telegram chats (no \"messages\" and no \"chats\" list)"}
			}
			return nil
		}
	}
}

// phone turns Telegram's "+998 91 1234567" into E.164.
func phone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '+' && b.Len() == 0 || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if v := b.String(); strings.HasPrefix(v, "+") && len(v) > 4 {
		return v
	}
	return ""
}

// Next returns the next chat or message.
func (r *reader) Next() (model.Item, error) {
	if r.closed {
		return nil, errors.New("telegram-json: reader is closed")
	}
	if r.err != nil {
		return nil, r.err
	}
	if !r.scanned {
		r.scanned = true
		if err := r.scanAll(); err != nil {
			r.err = err
			return nil, err
		}
		w, err := r.open()
		if err != nil {
			r.err = err
			return nil, err
		}
		r.w, r.cur = w, -1
	}
	for {
		if r.counted++; r.counted%1000 == 0 {
			if err := r.ctx.Err(); err != nil {
				r.err = err
				return nil, err
			}
		}
		ev, err := r.w.next()
		if err != nil {
			r.err = r.fatal(r.w, err)
			return nil, r.err
		}
		switch ev {
		case evChat:
			if err := r.ctx.Err(); err != nil {
				r.err = err
				return nil, err
			}
			r.cur++
			if r.cur >= len(r.chats) {
				r.err = r.fatal(r.w, errors.New("the document changed while it was read"))
				return nil, r.err
			}
			return r.chat(r.chats[r.cur]), nil
		case evMessage:
			if r.cur < 0 {
				continue
			}
			c := r.chats[r.cur]
			if r.w.msgErr != nil {
				return nil, errorAt(model.Pos{File: r.name, Line: r.w.msgLine}, "message not read: %v", r.w.msgErr)
			}
			t := &r.w.msg
			t.ID = normID(t.ID)
			t.ReplyTo = normID(t.ReplyTo)
			if c.seen.has(t.ID) {
				t.ID += "#" + normIDLine(r.w.msgLine)
			}
			return r.convert(c, t, r.w.msgLine)
		case evEnd:
			r.err = io.EOF
			return nil, io.EOF
		}
	}
}

// normID writes an integer id in its canonical form ("007" is "7").
func normID(n jsonNumber) jsonNumber {
	if v, ok := parseID(n); ok {
		return jsonNumber(strconv.FormatInt(v, 10))
	}
	return n
}

func normIDLine(line int) jsonNumber { return jsonNumber("line" + strconv.Itoa(line)) }
