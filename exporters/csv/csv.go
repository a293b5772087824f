// Package csv writes chat histories as CSV (format "csv"): RFC 4180, one
// header row, then one row per message of every chat, for spreadsheets and
// data tools.
//
// The columns are listed in Columns and documented in docs/csv.md. Records
// end with CRLF; a cell with the delimiter, a quote or a line break is
// quoted, and keeps its line breaks as they are (as Excel writes them), so
// that a reader gets each text back exactly. A cell that a spreadsheet would
// run as a formula (one that starts with = + - @, a tab or a carriage
// return) gets an apostrophe in front, and so does a cell that starts with
// an apostrophe, so that removing the first apostrophe of any cell that
// starts with one gives back the text exactly. With the excel option the
// file starts with a UTF-8 byte order mark, which Excel needs to read
// UTF-8.
//
// Floating times are shown as written and never with an offset; zoned
// times are converted to the export's zone (Options.TZ), named in the
// time_zone column; time_iso keeps each time exactly as the source
// recorded it. The writer streams one row at a time.
package csv

import (
	"bufio"
	"errors"
	"fmt"

	"io"
	"strings"
	"unicode/utf8"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/internal/transcript"
	"github.com/chatferry/chatferry/model"
)

// Columns is the header row.
var Columns = []string{
	"time", "chat", "sender", "kind", "text", "attachments", "reply_to",
	"message_id", "chat_id", "time_zone", "time_iso", "sender_phone",
	"quote", "reactions", "edited", "forwarded", "details", "event", "position",
}

// The option names.
const (
	OptionExcel     = "excel"
	OptionDelimiter = "delimiter"
)

// Excel's limits, reported when the excel option is set.
const (
	excelCellRunes = 32767
	excelRows      = 1048576
)

func init() {
	exporters.Register(exporters.Format{
		Name:    "csv",
		Summary: "one row per message (RFC 4180) for spreadsheets and data tools",
		Layout:  exporters.FileLayout,
		Stream:  true,
		Ext:     ".csv",
		Support: support,
		Options: []exporters.Option{
			{Name: OptionExcel, Bool: true,
				Help: "start the CSV with a UTF-8 byte order mark so that Excel reads its letters right"},
			{Name: OptionDelimiter, Default: ",",
				Help: `CSV field separator: "," or ";" (what Excel expects where the decimal mark is a comma) or "tab"`},
		},
		New: func(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
			delim, err := parseDelimiter(opts.Values.Get(OptionDelimiter))
			if err != nil {
				return nil, err
			}
			w, err := t.CreateFile()
			if err != nil {
				return nil, err
			}
			return NewWriter(w, opts, Config{Excel: opts.Values.Bool(OptionExcel), Delimiter: delim}), nil
		},
	})
}

func parseDelimiter(s string) (byte, error) {
	switch s {
	case "", ",":
		return ',', nil
	case ";":
		return ';', nil
	case "tab", "\t":
		return '\t', nil
	}
	return 0, exporters.OptionErrorf(`--delimiter %q: want ",", ";" or "tab"`, s)
}

// support: every feature has its column or is described in words in the
// details column. Media files are named, not copied.
var support = transcript.Support(exporters.Partial)

// Config holds the CSV settings.
type Config struct {
	// Excel starts the output with a UTF-8 byte order mark and reports
	// cells and row counts beyond Excel's limits.
	Excel bool
	// Delimiter separates fields: ',', ';' or '\t'; 0 means ','.
	Delimiter byte
}

// Writer writes CSV rows to an io.Writer.
type Writer struct {
	bw     *bufio.Writer
	b      []byte // scratch for a record
	opts   exporters.Options
	cfg    Config
	d      transcript.Describer
	chat   *model.Chat
	rows   int // rows of the open chat
	total  int
	long   int // cells longer than Excel shows
	row    []string
	detail []string
}

var _ exporters.Writer = (*Writer)(nil)

// NewWriter returns a Writer that writes to w, starting with the header
// row.
func NewWriter(w io.Writer, opts exporters.Options, cfg Config) *Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	if cfg.Excel {
		bw.WriteString("\uFEFF")
	}
	if cfg.Delimiter == 0 {
		cfg.Delimiter = ','
	}
	bw.Write(appendRecord(nil, Columns, cfg.Delimiter))
	return &Writer{
		bw: bw, opts: opts, cfg: cfg,
		d:   transcript.Describer{Clock: transcript.Clock{TZ: opts.TZ}, Report: opts.Report},
		row: make([]string, len(Columns)),
	}
}

// WriteChat opens a chat; its messages become rows.
func (w *Writer) WriteChat(c *model.Chat) error {
	w.endChat()
	w.chat, w.rows = c, 0
	w.d.StartChat(c)
	return nil
}

func (w *Writer) endChat() {
	if w.chat != nil && w.rows == 0 && w.opts.Report != nil {
		w.opts.Report.Notef("the chat %q has no messages, so the CSV has no row for it", transcript.Title(w.chat))
	}
}

// WriteMessage writes the message's row.
func (w *Writer) WriteMessage(m *model.Message) error {
	c := w.chat
	if c == nil {
		return errors.New("csv: message written before its chat")
	}
	clock := w.d.Clock
	var phone string
	if p := c.Participant(m.Sender); p != nil {
		phone = p.Phone
	}
	r := w.row
	r[0] = clock.Exact(m.Time)
	r[1] = transcript.Title(c)
	r[2] = transcript.Name(c, m.Sender)
	r[3] = string(m.Kind)
	r[4] = m.Text
	r[5] = w.attachments(m)
	r[6] = string(m.ReplyTo)
	r[7] = string(m.ID)
	r[8] = string(c.ID)
	r[9] = ""
	if !m.Time.IsZero() && !m.Time.IsFloating() {
		r[9] = clock.ZoneID()
	}
	r[10] = m.Time.String()
	r[11] = phone
	r[12] = ""
	if m.Quote != nil {
		r[12] = transcript.Quote(c, m.Quote)
	}
	r[13] = transcript.Reactions(c, m, clock)
	r[14] = edited(m, clock)
	r[15] = yes(m.Forwarded)
	r[16] = w.details(m)
	r[17] = ""
	if m.Event != nil {
		r[17] = string(m.Event.Type)
	}
	r[18] = m.Source.String()
	for i, cell := range r {
		r[i] = Cell(cell)
		if w.cfg.Excel && len(r[i]) > excelCellRunes && utf8.RuneCountInString(r[i]) > excelCellRunes {
			w.long++
		}
	}
	w.rows++
	w.total++
	w.b = appendRecord(w.b[:0], r, w.cfg.Delimiter)
	_, err := w.bw.Write(w.b)
	return err
}

// appendRecord appends one RFC 4180 record to b: the fields separated by
// delim and the record ended by CRLF. A field that holds the delimiter, a
// quote or a line break is quoted, with its quotes doubled; its line
// breaks are kept as they are, as spreadsheets write them.
func appendRecord(b []byte, fields []string, delim byte) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, delim)
		}
		if !strings.ContainsAny(f, string(delim)+"\"\r\n") {
			b = append(b, f...)
			continue
		}
		b = append(b, '"')
		for {
			j := strings.IndexByte(f, '"')
			if j < 0 {
				break
			}
			b = append(b, f[:j+1]...)
			b = append(b, '"')
			f = f[j+1:]
		}
		b = append(b, f...)
		b = append(b, '"')
	}
	return append(b, '\r', '\n')
}

func (w *Writer) attachments(m *model.Message) string {
	if len(m.Attachments) == 0 {
		return ""
	}
	list := w.detail[:0]
	for i := range m.Attachments {
		list = append(list, transcript.Attachment(&m.Attachments[i]))
	}
	w.detail = list
	return strings.Join(list, "\n")
}

// details describes, one per line, the message's poll, location, contact
// cards and call.
func (w *Writer) details(m *model.Message) string {
	list := w.detail[:0]
	if p := m.Poll; p != nil {
		list = append(list, "poll: "+transcript.PollQuestion(p))
		for i := range p.Options {
			list = append(list, "option: "+transcript.PollOption(w.chat, &p.Options[i]))
		}
	}
	if m.Location != nil {
		list = append(list, "location: "+transcript.Location(m.Location))
	}
	for i := range m.Contacts {
		list = append(list, "contact: "+transcript.Contact(&m.Contacts[i]))
	}
	w.d.ReportContacts(m)
	if m.Call != nil {
		list = append(list, "call: "+transcript.Call(m.Call))
	}
	w.detail = list
	return strings.Join(list, "\n")
}

func edited(m *model.Message, clock transcript.Clock) string {
	switch {
	case !m.Edited:
		return ""
	case m.EditedAt.IsZero():
		return "yes"
	}
	return clock.Exact(m.EditedAt)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// Cell prepares a value for a CSV cell: invalid UTF-8 becomes U+FFFD, and
// a value that starts with = + - @, a tab, a carriage return or an
// apostrophe gets an apostrophe in front, so that no spreadsheet runs it
// as a formula and the original stays recoverable.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		s = "'" + s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// Close writes what is buffered.
func (w *Writer) Close() error {
	w.endChat()
	w.chat = nil
	if w.cfg.Excel && w.opts.Report != nil {
		if w.long > 0 {
			w.opts.Report.Notef("%s", exporters.Count(w.long,
				fmt.Sprintf("of the CSV's cells is longer than the %d characters Excel shows; open it with another tool to see it whole", excelCellRunes),
				fmt.Sprintf("of the CSV's cells are longer than the %d characters Excel shows; open it with another tool to see them whole", excelCellRunes)))
		}
		if w.total+1 > excelRows {
			w.opts.Report.Notef("the CSV has %d rows, more than the %d Excel opens", w.total+1, excelRows)
		}
	}
	return w.bw.Flush()
}

// Abort drops buffered output; the Target discards the rest.
func (w *Writer) Abort() { w.bw.Reset(io.Discard) }
