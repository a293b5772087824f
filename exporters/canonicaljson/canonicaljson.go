// Package canonicaljson writes chatferry's canonical JSON (format "json"):
// one document holding every chat of an input, streamed message by message.
//
// The layout is documented in docs/json-format.md and by the JSON Schema
// docs/schema/chatferry-1.json. Output is deterministic: fields are written
// in a fixed order, each message on one line, so reading a document with the
// json importer and writing it again gives the same bytes.
package canonicaljson

import (
	"bufio"
	"errors"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/jsontext"
	"github.com/chatferry/chatferry/model"
)

// Version is the value of the document's "chatferry" field.
const Version = 1

func init() {
	exporters.Register(exporters.Format{
		Name:    "json",
		Summary: "chatferry's canonical JSON: every field of the model, one document, for scripts",
		Layout:  exporters.FileLayout,
		Stream:  true,
		Ext:     ".json",
		Support: support,
		New: func(t *exporters.Target, _ exporters.Options) (exporters.Writer, error) {
			w, err := t.CreateFile()
			if err != nil {
				return nil, err
			}
			return NewWriter(w), nil
		},
	})
}

// support: everything, but media files are referenced, not copied.
var support = func() map[model.Feature]exporters.Support {
	m := map[model.Feature]exporters.Support{}
	for _, f := range model.Features {
		m[f] = exporters.Full
	}
	m[model.FeatureMediaFiles] = exporters.Partial
	return m
}()

// Writer writes the canonical JSON to an io.Writer.
type Writer struct {
	w       *bufio.Writer
	b       []byte // scratch for one line
	chats   int
	msgs    int // messages in the current chat
	started bool
	chat    *model.Chat
	files   fileCache
}

// fileCache keeps the escaped form of the file name the last message came
// from: every message of an import names the same file.
type fileCache struct {
	name    string
	escaped []byte // jsontext.AppendString(nil, name)
}

var _ exporters.Writer = (*Writer)(nil)

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10)}
}

func (w *Writer) start() {
	if !w.started {
		w.started = true
		w.w.WriteString("{\n \"chatferry\": " + strconv.Itoa(Version) + ",\n \"chats\": [")
	}
}

// endChat closes the open chat object, if any.
func (w *Writer) endChat() {
	if w.chat == nil {
		return
	}
	if w.msgs > 0 {
		w.w.WriteString("\n   ]\n  }")
	} else {
		w.w.WriteString("]\n  }")
	}
	w.chat = nil
}

// WriteChat opens a chat.
func (w *Writer) WriteChat(c *model.Chat) error {
	w.start()
	w.endChat()
	b := w.b[:0]
	if w.chats > 0 {
		b = append(b, ',')
	}
	w.chats++
	b = append(b, "\n  {\n   \"id\": "...)
	b = jsontext.AppendString(b, string(c.ID))
	for _, f := range [...][2]string{{"title", c.Title}, {"kind", string(c.Kind)},
		{"format", c.Format}, {"source", c.Source}} {
		if f[1] != "" || f[0] == "title" || f[0] == "kind" {
			b = append(b, ",\n   \""+f[0]+"\": "...)
			b = jsontext.AppendString(b, f[1])
		}
	}
	if c.TimePrecision != model.PrecisionSecond {
		b = append(b, ",\n   \"time_precision\": "...)
		b = jsontext.AppendString(b, c.TimePrecision.String())
	}
	if len(c.Meta) > 0 {
		keys := make([]string, 0, len(c.Meta))
		for k := range c.Meta {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, ",\n   \"meta\": {"...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = jsontext.AppendString(b, k)
			b = append(b, ": "...)
			b = jsontext.AppendString(b, c.Meta[k])
		}
		b = append(b, '}')
	}
	if len(c.Warnings) > 0 {
		b = append(b, ",\n   \"warnings\": ["...)
		for i, wn := range c.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n    {\"code\": "...)
			b = jsontext.AppendString(b, wn.Code)
			b = append(b, ", \"text\": "...)
			b = jsontext.AppendString(b, wn.Text)
			if !wn.Pos.IsZero() {
				b = append(b, ", \"source\": "...)
				b = jsontext.AppendString(b, wn.Pos.String())
			}
			b = append(b, '}')
		}
		b = append(b, "\n   ]"...)
	}
	b = append(b, ",\n   \"participants\": ["...)
	for i, p := range c.Participants {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\"id\": "...)
		b = jsontext.AppendString(b, string(p.ID))
		b = append(b, ", \"name\": "...)
		b = jsontext.AppendString(b, p.Name)
		if p.Phone != "" {
			b = append(b, ", \"phone\": "...)
			b = jsontext.AppendString(b, p.Phone)
		}
		if p.Me {
			b = append(b, ", \"me\": true"...)
		}
		b = append(b, '}')
	}
	if len(c.Participants) > 0 {
		b = append(b, "\n   "...)
	}
	b = append(b, "],\n   \"messages\": ["...)
	w.b = b
	w.chat, w.msgs = c, 0
	_, err := w.w.Write(b)
	return err
}

// WriteMessage writes one message of the open chat on one line.
func (w *Writer) WriteMessage(m *model.Message) error {
	if w.chat == nil {
		return errors.New("json: message written before its chat")
	}
	b := w.b[:0]
	if w.msgs > 0 {
		b = append(b, ',')
	}
	w.msgs++
	b = append(b, "\n    "...)
	b = appendMessage(b, m, &w.files)
	w.b = b
	_, err := w.w.Write(b)
	return err
}

// Close ends the document and flushes it.
func (w *Writer) Close() error {
	w.start()
	w.endChat()
	if w.chats > 0 {
		w.w.WriteString("\n ]\n}\n")
	} else {
		w.w.WriteString("]\n}\n")
	}
	return w.w.Flush()
}

// Abort drops buffered output; the Target discards the rest.
func (w *Writer) Abort() { w.w.Reset(io.Discard) }

// AppendMessage appends the one-line JSON object for m to b.
func AppendMessage(b []byte, m *model.Message) []byte { return appendMessage(b, m, nil) }

func appendMessage(b []byte, m *model.Message, files *fileCache) []byte {
	b = append(b, "{\"id\": "...)
	b = jsontext.AppendString(b, string(m.ID))
	if !m.Time.IsZero() {
		b = append(b, ", \"time\": \""...)
		b = m.Time.AppendFormat(b)
		b = append(b, '"')
	}
	b = appendField(b, "sender", string(m.Sender))
	b = append(b, ", \"kind\": "...)
	b = jsontext.AppendString(b, string(m.Kind))
	b = append(b, ", \"text\": "...)
	b = jsontext.AppendString(b, m.Text)
	if len(m.Attachments) > 0 {
		b = append(b, ", \"attachments\": ["...)
		for i := range m.Attachments {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendAttachment(b, &m.Attachments[i])
		}
		b = append(b, ']')
	}
	b = appendField(b, "reply_to", string(m.ReplyTo))
	if q := m.Quote; q != nil {
		b = append(b, ", \"quote\": {"...)
		if q.Sender != "" {
			b = append(b, "\"sender\": "...)
			b = jsontext.AppendString(b, string(q.Sender))
			b = append(b, ", "...)
		}
		b = append(b, "\"text\": "...)
		b = jsontext.AppendString(b, q.Text)
		b = append(b, '}')
	}
	if len(m.Reactions) > 0 {
		b = append(b, ", \"reactions\": ["...)
		for i, r := range m.Reactions {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "{\"emoji\": "...)
			b = jsontext.AppendString(b, r.Emoji)
			b = append(b, ", \"sender\": "...)
			b = jsontext.AppendString(b, string(r.Sender))
			b = appendTime(b, "time", r.Time)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if m.Edited {
		b = append(b, ", \"edited\": true"...)
		b = appendTime(b, "edited_time", m.EditedAt)
	}
	if m.Kind == model.KindDeleted {
		b = append(b, ", \"deleted\": true"...)
	}
	if m.Forwarded {
		b = append(b, ", \"forwarded\": true"...)
	}
	if p := m.Poll; p != nil {
		b = append(b, ", \"poll\": {\"question\": "...)
		b = jsontext.AppendString(b, p.Question)
		if p.Multiple {
			b = append(b, ", \"multiple\": true"...)
		}
		b = append(b, ", \"options\": ["...)
		for i, o := range p.Options {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "{\"text\": "...)
			b = jsontext.AppendString(b, o.Text)
			b = append(b, ", \"votes\": "...)
			b = strconv.AppendInt(b, int64(o.Votes), 10)
			if len(o.Voters) > 0 {
				b = append(b, ", \"voters\": ["...)
				for j, v := range o.Voters {
					if j > 0 {
						b = append(b, ", "...)
					}
					b = jsontext.AppendString(b, string(v))
				}
				b = append(b, ']')
			}
			b = append(b, '}')
		}
		b = append(b, "]}"...)
	}
	if l := m.Location; l != nil {
		b = append(b, ", \"location\": {\"latitude\": "...)
		b = strconv.AppendFloat(b, l.Latitude, 'f', -1, 64)
		b = append(b, ", \"longitude\": "...)
		b = strconv.AppendFloat(b, l.Longitude, 'f', -1, 64)
		b = appendField(b, "name", l.Name)
		b = appendField(b, "address", l.Address)
		b = appendField(b, "url", l.URL)
		if l.Live {
			b = append(b, ", \"live\": true"...)
		}
		b = append(b, '}')
	}
	if len(m.Contacts) > 0 {
		b = append(b, ", \"contacts\": ["...)
		for i, c := range m.Contacts {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, "{\"name\": "...)
			b = jsontext.AppendString(b, c.Name)
			b = append(b, ", \"phones\": ["...)
			for j, p := range c.Phones {
				if j > 0 {
					b = append(b, ", "...)
				}
				b = jsontext.AppendString(b, p)
			}
			b = append(b, ']')
			b = appendField(b, "vcard", c.VCard)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if c := m.Call; c != nil {
		b = append(b, ", \"call\": {\"video\": "...)
		b = strconv.AppendBool(b, c.Video)
		b = append(b, ", \"missed\": "...)
		b = strconv.AppendBool(b, c.Missed)
		b = appendDuration(b, c.Duration)
		b = append(b, '}')
	}
	if e := m.Event; e != nil {
		b = append(b, ", \"event\": {\"type\": "...)
		b = jsontext.AppendString(b, string(e.Type))
		b = appendField(b, "actor", string(e.Actor))
		if len(e.Targets) > 0 {
			b = append(b, ", \"targets\": ["...)
			for i, t := range e.Targets {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = jsontext.AppendString(b, string(t))
			}
			b = append(b, ']')
		}
		b = appendField(b, "subject", e.Subject)
		b = append(b, '}')
	}
	if !m.Source.IsZero() {
		b = append(b, ", \"source\": "...)
		b = files.appendPos(b, m.Source)
	}
	return append(b, '}')
}

func appendAttachment(b []byte, a *model.Attachment) []byte {
	b = append(b, "{\"name\": "...)
	b = jsontext.AppendString(b, a.Name)
	b = appendField(b, "kind", string(a.Kind))
	b = appendField(b, "mime", a.MIME)
	if a.Size > 0 {
		b = append(b, ", \"size\": "...)
		b = strconv.AppendInt(b, a.Size, 10)
	}
	b = appendField(b, "path", a.Path)
	if a.Omitted {
		b = append(b, ", \"omitted\": true"...)
	}
	if a.Missing {
		b = append(b, ", \"missing\": true"...)
	}
	if a.Width > 0 || a.Height > 0 {
		b = append(b, ", \"width\": "...)
		b = strconv.AppendInt(b, int64(a.Width), 10)
		b = append(b, ", \"height\": "...)
		b = strconv.AppendInt(b, int64(a.Height), 10)
	}
	b = appendDuration(b, a.Duration)
	return append(b, '}')
}

func appendDuration(b []byte, d time.Duration) []byte {
	if d <= 0 {
		return b
	}
	b = append(b, ", \"duration_ms\": "...)
	return strconv.AppendInt(b, d.Milliseconds(), 10)
}

// appendField appends `, "name": "value"` unless value is empty.
func appendField(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ", \""...)
	b = append(b, name...)
	b = append(b, "\": "...)
	return jsontext.AppendString(b, value)
}

func appendTime(b []byte, name string, t model.Timestamp) []byte {
	if t.IsZero() {
		return b
	}
	b = append(b, ", \""...)
	b = append(b, name...)
	b = append(b, "\": \""...)
	b = t.AppendFormat(b)
	return append(b, '"')
}

// appendPos appends p.String() as a JSON string without allocating. The
// cache may be nil.
func (c *fileCache) appendPos(b []byte, p model.Pos) []byte {
	if c == nil {
		b = jsontext.AppendString(b, p.File)
	} else {
		if c.escaped == nil || c.name != p.File {
			c.name, c.escaped = p.File, jsontext.AppendString(c.escaped[:0], p.File)
		}
		b = append(b, c.escaped...)
	}
	if p.Line == 0 {
		return b
	}
	b = append(b[:len(b)-1], ':')
	b = strconv.AppendInt(b, int64(p.Line), 10)
	return append(b, '"')
}
