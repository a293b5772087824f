// Package canonicaljson reads chatferry's canonical JSON (format "json"),
// as written by the json exporter or by any script that follows
// docs/schema/chatferry-1.json.
//
// The document is streamed with a token decoder: one message is decoded at
// a time, so memory does not grow with the chat. A chat's "messages" array
// is best written last; when "participants" come after it, the reader skips
// the array, reads the rest of the chat, and then reads the array a second
// time. Errors name the file and line. Attachment paths resolve relative to
// the folder of the JSON file.
package canonicaljson

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/internal/jsonpos"
	"github.com/chatferry/chatferry/model"
)

func init() {
	importers.Register(importers.Format{
		Name:    "json",
		Summary: "chatferry's canonical JSON, as written by --to json",
		Detect:  detect,
		Open:    Open,
	})
}

var marker = []byte(`"chatferry"`)

func detect(p *importers.Probe) int {
	if p.Kind == importers.File {
		head := bytes.TrimLeft(p.Head, " \t\r\n\ufeff")
		if bytes.HasPrefix(head, []byte("{")) && bytes.Contains(head, marker) {
			return 90
		}
		return 0
	}
	if len(documents(p.Entries, p.HeadOf)) > 0 {
		return 60
	}
	return 0
}

// documents returns the .json files among names whose head names the
// format, sorted.
func documents(names []string, head func(string) []byte) []string {
	var docs []string
	for _, n := range names {
		if strings.EqualFold(path.Ext(n), ".json") && bytes.Contains(head(n), marker) {
			docs = append(docs, n)
		}
	}
	return docs
}

// Open starts reading src, which is a JSON document or a zip or folder of
// them.
func Open(ctx context.Context, src *importers.Source, opts importers.Options) (importers.Reader, error) {
	r := &reader{ctx: ctx, src: src, opts: opts}
	if src.Kind == importers.File {
		r.docs = []string{src.Name}
	} else {
		names, err := src.Files()
		if err != nil {
			return nil, err
		}
		p, err := src.Probe()
		if err != nil {
			return nil, err
		}
		r.docs = documents(names, p.HeadOf)
		if len(r.docs) == 0 {
			return nil, &importers.NotRecognisedError{Path: src.Path, Reason: "no chatferry JSON document inside"}
		}
	}
	return r, nil
}

const (
	stNextDoc = iota
	stChats
	stMessages
	stDone
)

// stream is one pass over a document: the file, its line tracker and the
// decoder on top.
type stream struct {
	f   fs.File
	lt  *jsonpos.Tracker
	dec *json.Decoder
}

func (r *reader) openStream(skip int64) (*stream, error) {
	f, err := r.src.Open(r.name)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	line := 1
	if skip > 0 {
		// Reposition after a key: count the lines we pass, then step
		// over the ':' so the decoder starts at a value.
		for i := int64(0); i < skip; i++ {
			c, err := br.ReadByte()
			if err != nil {
				f.Close()
				return nil, err
			}
			if c == '\n' {
				line++
			}
		}
		for {
			c, err := br.ReadByte()
			if err != nil {
				f.Close()
				return nil, err
			}
			if c == '\n' {
				line++
			}
			if c == ':' {
				break
			}
		}
	}
	lt := jsonpos.NewTracker(br, line)
	dec := json.NewDecoder(lt)
	dec.DisallowUnknownFields()
	return &stream{f: f, lt: lt, dec: dec}, nil
}

func (s *stream) close() {
	if s != nil && s.f != nil {
		s.f.Close()
		s.f = nil
	}
}

type reader struct {
	ctx  context.Context
	src  *importers.Source
	opts importers.Options
	docs []string

	name  string // document being read
	media fs.FS
	doc   *stream // the document
	msgs  *stream // where messages come from: doc, or a second pass
	state int
	chat  *model.Chat
	n     int
	err   error
}

func (r *reader) Progress() (done, total int64) { return r.src.BytesRead(), r.src.Size() }

func (r *reader) Close() error {
	if r.msgs != r.doc {
		r.msgs.close()
	}
	r.doc.close()
	r.state = stDone
	return nil
}

// fail records a final error; later calls to Next return it again.
func (r *reader) fail(err error) (model.Item, error) {
	var pe *importers.ParseError
	if errors.As(err, &pe) {
		pe.Fatal = true
	}
	r.err = err
	r.Close()
	return nil, err
}

// errAt returns a *importers.ParseError at the line of offset off of s.
func (r *reader) errAt(s *stream, off int64, format string, args ...any) error {
	return &importers.ParseError{
		Pos: model.Pos{File: r.src.Display(r.name), Line: s.lt.LineAt(off)},
		Err: fmt.Errorf(format, args...),
	}
}

// wrap turns a decoder error into a positioned error.
func (r *reader) wrap(s *stream, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return r.errAt(s, 1<<62, "unexpected end of file: the document is cut off")
	case errors.As(err, &syn):
		return r.errAt(s, syn.Offset, "%v", syn)
	case errors.As(err, &typ):
		return r.errAt(s, typ.Offset, "%v", typ)
	case errors.Is(err, jsonpos.ErrTooLong):
		return r.errAt(s, s.dec.InputOffset(), "%w", err)
	}
	var pe *importers.ParseError
	if errors.As(err, &pe) {
		return err
	}
	return &importers.ParseError{Pos: model.Pos{File: r.src.Display(r.name)}, Err: err}
}

func (r *reader) Next() (model.Item, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		switch r.state {
		case stDone:
			return nil, io.EOF
		case stNextDoc:
			if err := r.ctx.Err(); err != nil {
				return r.fail(err)
			}
			if len(r.docs) == 0 {
				r.state = stDone
				return nil, io.EOF
			}
			r.name, r.docs = r.docs[0], r.docs[1:]
			if err := r.startDoc(); err != nil {
				return r.fail(err)
			}
			r.state = stChats
		case stChats:
			if err := r.ctx.Err(); err != nil {
				return r.fail(err)
			}
			if !r.doc.dec.More() {
				if err := r.endDoc(); err != nil {
					return r.fail(err)
				}
				r.state = stNextDoc
				continue
			}
			c, err := r.readChat()
			if err != nil {
				return r.fail(err)
			}
			r.chat, r.state = c, stMessages
			return c, nil
		case stMessages:
			if r.msgs.dec.More() {
				return r.readMessage()
			}
			if err := r.endMessages(); err != nil {
				return r.fail(err)
			}
			r.state = stChats
		}
	}
}

// startDoc opens the document and reads up to the first chat.
func (r *reader) startDoc() error {
	s, err := r.openStream(0)
	if err != nil {
		return err
	}
	r.doc = s
	r.media = r.src.FS
	if dir := path.Dir(r.name); dir != "." {
		if r.media, err = fs.Sub(r.src.FS, dir); err != nil {
			return err
		}
	}
	if err := r.expectDelim(s, '{', "a JSON object"); err != nil {
		if pe := (*importers.ParseError)(nil); errors.As(err, &pe) {
			return &importers.NotRecognisedError{Path: r.src.Display(r.name), Reason: "not a chatferry JSON document: " + pe.Err.Error()}
		}
		return err
	}
	version := false
	for s.dec.More() {
		key, off, err := r.key(s)
		if err != nil {
			return err
		}
		switch key {
		case "chatferry":
			var v json.Number
			if err := s.dec.Decode(&v); err != nil {
				return r.wrap(s, err)
			}
			if v.String() != "1" {
				return r.errAt(s, off, "document version %s is newer than this chatferry understands (1); update chatferry", v)
			}
			version = true
		case "chats":
			if !version {
				return r.errAt(s, off, `"chatferry": 1 must come before "chats"`)
			}
			return r.expectDelim(s, '[', `an array after "chats"`)
		default:
			return r.errAt(s, off, "unknown field %q in the document", key)
		}
	}
	return r.errAt(s, s.dec.InputOffset(), `no "chats" array in the document`)
}

// endDoc reads past the end of the chats array and the document.
func (r *reader) endDoc() error {
	s := r.doc
	if _, err := s.dec.Token(); err != nil { // ']'
		return r.wrap(s, err)
	}
	if s.dec.More() {
		key, off, err := r.key(s)
		if err != nil {
			return err
		}
		return r.errAt(s, off, "unknown field %q after \"chats\"", key)
	}
	if _, err := s.dec.Token(); err != nil { // '}'
		return r.wrap(s, err)
	}
	if _, err := s.dec.Token(); err != io.EOF {
		return r.errAt(s, s.dec.InputOffset(), "unexpected data after the document")
	}
	s.close()
	return nil
}

func (r *reader) expectDelim(s *stream, want json.Delim, what string) error {
	off := s.dec.InputOffset()
	tok, err := s.dec.Token()
	if err != nil {
		return r.wrap(s, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return r.errAt(s, off, "expected %s", what)
	}
	return nil
}

// key reads an object key and returns it with its offset.
func (r *reader) key(s *stream) (string, int64, error) {
	off := s.dec.InputOffset()
	tok, err := s.dec.Token()
	if err != nil {
		return "", off, r.wrap(s, err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", off, r.errAt(s, off, "expected an object key")
	}
	return k, off, nil
}

// skipValue reads past one value without keeping it.
func (r *reader) skipValue(s *stream) error {
	depth := 0
	for n := 1; ; n++ {
		tok, err := s.dec.Token()
		if err != nil {
			return r.wrap(s, err)
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
		if n%256 == 0 {
			s.lt.LineAt(s.dec.InputOffset()) // let the tracker forget
		}
	}
}

// readChat reads a chat object up to its messages and returns the chat.
func (r *reader) readChat() (*model.Chat, error) {
	s := r.doc
	start := s.dec.InputOffset()
	if err := r.expectDelim(s, '{', "a chat object"); err != nil {
		return nil, err
	}
	c := &model.Chat{Format: "json", Source: r.src.Display(r.name), Media: r.media}
	var sawParticipants, sawMessages bool
	deferred := int64(-1)
	for s.dec.More() {
		key, off, err := r.key(s)
		if err != nil {
			return nil, err
		}
		var dst any
		switch key {
		case "id":
			dst = &c.ID
		case "title":
			dst = &c.Title
		case "kind":
			dst = &c.Kind
		case "format":
			dst = &c.Format
		case "source":
			dst = &c.Source
		case "time_precision":
			var p string
			if err := s.dec.Decode(&p); err != nil {
				return nil, r.wrap(s, err)
			}
			if c.TimePrecision, err = model.ParsePrecision(p); err != nil {
				return nil, r.errAt(s, off, "%v", err)
			}
			continue
		case "meta":
			dst = &c.Meta
		case "warnings":
			var ws []wireWarning
			if err := s.dec.Decode(&ws); err != nil {
				return nil, r.wrap(s, err)
			}
			for _, w := range ws {
				wn := model.Warning{Code: w.Code, Text: w.Text}
				if w.Source != "" {
					wn.Pos = parsePos(w.Source)
				}
				c.Warnings = append(c.Warnings, wn)
			}
			continue
		case "participants":
			var ps []wireParticipant
			if err := s.dec.Decode(&ps); err != nil {
				return nil, r.wrap(s, err)
			}
			for _, p := range ps {
				c.Participants = append(c.Participants, model.Participant{
					ID: model.ParticipantID(p.ID), Name: p.Name, Phone: p.Phone, Me: p.Me})
			}
			sawParticipants = true
			continue
		case "messages":
			sawMessages = true
			if sawParticipants {
				if err := r.expectDelim(s, '[', `an array after "messages"`); err != nil {
					return nil, err
				}
				r.msgs = s
				return r.finishChat(c, start)
			}
			deferred = s.dec.InputOffset()
			if err := r.skipValue(s); err != nil {
				return nil, err
			}
			continue
		default:
			return nil, r.errAt(s, off, "unknown field %q in a chat", key)
		}
		if err := s.dec.Decode(dst); err != nil {
			return nil, r.wrap(s, err)
		}
	}
	if _, err := s.dec.Token(); err != nil { // '}'
		return nil, r.wrap(s, err)
	}
	if !sawMessages {
		return nil, r.errAt(s, start, `chat %q has no "messages" array`, c.ID)
	}
	ms, err := r.openStream(deferred)
	if err != nil {
		return nil, err
	}
	r.msgs = ms
	if err := r.expectDelim(ms, '[', `an array after "messages"`); err != nil {
		return nil, err
	}
	return r.finishChat(c, start)
}

func (r *reader) finishChat(c *model.Chat, start int64) (*model.Chat, error) {
	if r.opts.Me != "" {
		for i := range c.Participants {
			c.Participants[i].Me = c.Participants[i].Name == r.opts.Me
		}
	}
	if err := c.Check(); err != nil {
		return nil, r.errAt(r.doc, start, "%v", err)
	}
	return c, nil
}

func (r *reader) readMessage() (model.Item, error) {
	r.n++
	if r.n%1024 == 0 {
		if err := r.ctx.Err(); err != nil {
			return r.fail(err)
		}
	}
	s := r.msgs
	off := s.dec.InputOffset()
	var w wireMessage
	err := s.dec.Decode(&w)
	if err != nil && !valueError(err) {
		return r.fail(r.wrap(s, err))
	}
	line := s.lt.LineAt(off)
	pos := model.Pos{File: r.src.Display(r.name), Line: line}
	if err != nil {
		// The decoder consumed the whole value: report it and go on.
		return nil, &importers.ParseError{Pos: pos, Err: trimJSONPrefix(err)}
	}
	m, err := w.toModel(r.chat.TimePrecision)
	if err == nil {
		err = m.Check(r.chat)
	}
	if err != nil {
		return nil, &importers.ParseError{Pos: pos, Err: err}
	}
	if m.Source.IsZero() {
		m.Source = model.Pos{File: r.name, Line: line}
	}
	return m, nil
}

// valueError reports whether a Decode error is about the value's content
// (the decoder read past it and can go on) rather than the stream.
func valueError(err error) bool {
	var typ *json.UnmarshalTypeError
	return errors.As(err, &typ) || strings.HasPrefix(err.Error(), "json: unknown field")
}

func trimJSONPrefix(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// endMessages reads past the messages array and, for a chat read in one
// pass, the end of the chat object.
func (r *reader) endMessages() error {
	s := r.msgs
	if _, err := s.dec.Token(); err != nil { // ']'
		return r.wrap(s, err)
	}
	if s != r.doc {
		s.close()
		r.msgs = nil
		return nil
	}
	if s.dec.More() {
		key, off, err := r.key(s)
		if err != nil {
			return err
		}
		return r.errAt(s, off, "chat field %q comes after \"messages\"; put \"messages\" last", key)
	}
	if _, err := s.dec.Token(); err != nil { // '}'
		return r.wrap(s, err)
	}
	return nil
}
