package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"time"

	"github.com/chatferry/chatferry/model"
)

// chatReader is the second pass over one transcript.
type chatReader struct {
	ctx      context.Context
	t        *transcript
	a        *analysis
	chat     *model.Chat
	f        fs.File
	lr       *lineReader
	media    media
	titleKey string
	me       model.ParticipantID
	prec     model.Precision

	started     bool   // the first header has been looked for
	head        []byte // the pending header line
	headNo      int
	hdr         header
	haveHead    bool
	eof         bool
	rest        []byte // continuation lines of the record being read
	scratch     []byte
	scratchName []byte
	found       authorCache     // names as written, and the senders they name
	block       []model.Message // messages not yet handed out
	years       yearTracker     // for dates without a year
	yearBase    int             // the year of the first header
	n           int             // messages yielded, for context checks
	day         model.Timestamp // the start of the day of the last message
	dayY        int
	dayM, dayD  int
	lines       int // lines of the file in the message last returned
}

// startChat runs the first pass and opens the second.
func startChat(ctx context.Context, t *transcript, opts *options, id string) (*chatReader, error) {
	a, err := analyze(ctx, t, opts)
	if err != nil {
		return nil, err
	}
	c := &chatReader{ctx: ctx, t: t, a: a, yearBase: a.years.base}
	c.media = media{fsys: t.src.FS, dir: path.Dir(t.name)}
	c.chat = c.buildChat(id)
	if !a.hasShape {
		c.eof, c.started = true, true
		if a.lines > 0 {
			// Only when read with --from: no header anywhere.
			return nil, notRecognised(t.display)
		}
		return c, nil
	}
	c.lr, c.f, err = t.open()
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (c *chatReader) close() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

// buildChat assembles the chat from the first pass.
func (c *chatReader) buildChat(id string) *model.Chat {
	a := c.a
	chat := &model.Chat{
		ID:       model.ChatID(id),
		Format:   Name,
		Source:   c.t.display,
		Meta:     map[string]string{},
		Warnings: a.warnings,
		Media:    c.t.src.FS,
	}
	c.prec = model.PrecisionMinute
	if a.shape.seconds {
		c.prec = model.PrecisionSecond
	}
	chat.TimePrecision = c.prec
	for _, au := range a.byOrder {
		if au.plain == 0 {
			continue
		}
		au.id = model.ParticipantID("p" + strconv.Itoa(len(chat.Participants)+1))
		chat.Participants = append(chat.Participants, model.Participant{
			ID: au.id, Name: au.name, Phone: phoneNumber(au.name), Me: au == a.me,
		})
		if au == a.me {
			c.me = au.id
		}
	}
	chat.Kind = model.Direct
	if a.group || len(chat.Participants) > 2 {
		chat.Kind = model.Group
	}
	chat.Title = c.t.title
	if !c.t.titled {
		switch {
		case a.noticeAuthor != "":
			chat.Title = a.noticeAuthor
		case a.subject != "" && chat.Kind == model.Group:
			chat.Title = a.subject
		case chat.Kind == model.Direct && c.me != "" && len(chat.Participants) == 2:
			for _, p := range chat.Participants {
				if !p.Me {
					chat.Title = p.Name
				}
			}
		}
	}
	c.titleKey = string(cleanName(nil, []byte(chat.Title)))
	if a.hasShape {
		chat.Meta["date_order"] = a.order.String()
		chat.Meta["date_order_basis"] = a.basis
		chat.Meta["platform"] = "android"
		if a.shape.bracket {
			chat.Meta["platform"] = "ios"
		} else if a.shape.end != '-' {
			chat.Meta["platform"] = "unknown"
		}
	}
	if a.enc != utf8Plain {
		chat.Meta["encoding"] = a.enc.String()
	}
	return chat
}

// line reads the next line of the second pass, leaving out a cut-off
// partial header.
func (c *chatReader) line() ([]byte, error) {
	b, err := c.lr.next()
	if err == nil && c.a.cutDrop && c.lr.line == c.a.cutLine {
		return nil, io.EOF
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, c.t.fail(c.lr.errLine(), err)
	}
	return b, err
}

// isHead reports whether b starts a message.
func (c *chatReader) isHead(b []byte) bool {
	return scanHeader(b, &c.hdr) == isHeader && c.hdr.shape == c.a.shape
}

// nextMessage reads one record and returns it as a message.
func (c *chatReader) nextMessage() (*model.Message, error) {
	if c.n++; c.n&0xFFF == 0 {
		if err := c.ctx.Err(); err != nil {
			return nil, err
		}
	}
	if !c.started {
		c.started = true
		if m, err := c.preamble(); m != nil || err != nil {
			return m, err
		}
	}
	if !c.haveHead {
		return nil, io.EOF
	}
	hdr, headNo := c.hdr, c.headNo
	first := append(c.scratch[:0], c.head[hdr.body:]...)
	c.scratch = first
	c.haveHead = false
	rest, hasRest, err := c.body(c.rest[:0], len(first))
	c.rest = rest
	if err != nil {
		return nil, err
	}
	if !c.haveHead {
		c.hdr = header{}
	}
	c.lines = 1
	if hasRest {
		c.lines = 2 + bytes.Count(c.rest, []byte("\n"))
	}
	return c.build(headNo, &hdr, first, c.rest, hasRest), nil
}

// body appends to dst the lines up to the next header (which it keeps as
// the pending head) or the end, joined with "\n", and reports whether there
// was any. used is what the record already holds, for the size limit.
func (c *chatReader) body(dst []byte, used int) ([]byte, bool, error) {
	some := false
	for !c.eof {
		b, err := c.line()
		if errors.Is(err, io.EOF) {
			c.eof = true
			break
		}
		if err != nil {
			return nil, false, err
		}
		if c.isHead(b) {
			c.head, c.headNo, c.haveHead = append(c.head[:0], b...), c.lr.line, true
			break
		}
		b = c.unescape(b)
		if some {
			dst = append(dst, '\n')
		}
		some = true
		dst = append(dst, b...)
		if len(dst)+used > MaxRecord {
			return nil, false, c.t.fail(c.lr.line, fmt.Errorf("a message is longer than %d bytes; this does not look like a WhatsApp transcript", MaxRecord))
		}
	}
	return dst, some, nil
}

// escapeMark is what chatferry's whatsapp exporter writes before a body
// line that would otherwise read as a header (U+200B ZERO WIDTH SPACE).
const escapeMark = "\u200b"

// unescape undoes the exporter's escape: it removes one escapeMark from
// the start of a continuation line that, after its leading marks, is a
// header of the transcript's layout (the exporter adds one mark to such
// lines, also to those that already start with marks). Other lines, with
// the mark or without, are kept as they are.
func (c *chatReader) unescape(b []byte) []byte {
	if len(b) < len(escapeMark)+6 || string(b[:len(escapeMark)]) != escapeMark {
		return b
	}
	rest := b[len(escapeMark):]
	for len(rest) >= len(escapeMark) && string(rest[:len(escapeMark)]) == escapeMark {
		rest = rest[len(escapeMark):]
	}
	var h header
	if scanHeader(rest, &h) == isHeader && h.shape == c.a.shape {
		return b[len(escapeMark):]
	}
	return b
}

// preamble reads up to the first header. Lines before it become one
// system note.
func (c *chatReader) preamble() (*model.Message, error) {
	text, some, err := c.body(nil, 0)
	if err != nil || !some {
		return nil, err
	}
	c.lines = 1 + bytes.Count(text, []byte("\n"))
	return &model.Message{ID: "m1", Kind: model.KindSystem, Text: string(text),
		Event: &model.Event{Type: model.EventOther}, Source: c.pos(1)}, nil
}

func (c *chatReader) pos(line int) model.Pos { return model.Pos{File: c.t.display, Line: line} }

// timestamp returns the time of a header, or the zero Timestamp when its
// date does not exist. The start of the day is remembered: runs of
// messages share a date.
func (c *chatReader) timestamp(h *header) model.Timestamp {
	if h.named != 0 {
		c.yearOf(h)
	}
	y, m, d, ok := h.date(c.a.order)
	if !ok {
		return model.Timestamp{}
	}
	if c.day.IsZero() || y != c.dayY || m != c.dayM || d != c.dayD {
		c.dayY, c.dayM, c.dayD = y, m, d
		c.day = model.Floating(y, time.Month(m), d, 0, 0, 0, 0, c.prec)
	}
	hour, _ := h.hour24()
	if c.prec == model.PrecisionMinute && h.sec != 0 {
		return model.Floating(y, time.Month(m), d, hour, h.min, h.sec, 0, c.prec)
	}
	return c.day.Add(time.Duration(hour*3600+h.min*60+h.sec) * time.Second)
}
