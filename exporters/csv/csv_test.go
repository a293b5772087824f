package csv_test

import (
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/csv"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/plaintest"
	_ "github.com/chatferry/chatferry/importers/all" // the corpus test reads every input format
	"github.com/chatferry/chatferry/model"
)

var awkward = filepath.Join("..", "..", "testdata", "json", "awkward.json")

func TestKit(t *testing.T) {
	exportertest.Run(t, "csv",
		exportertest.Case{},
		exportertest.Case{Name: "awkward", Input: awkward},
		exportertest.Case{Name: "excel", Options: exporters.Options{
			Values: exporters.Values{csv.OptionExcel: "true", csv.OptionDelimiter: ";"}}},
	)
}

func TestInputs(t *testing.T) { plaintest.RunInputs(t, "csv") }

func BenchmarkWrite(b *testing.B) { plaintest.Bench(b, "csv") }

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"plain":               "plain",
		"=SUM(A1)":            "'=SUM(A1)",
		"+447700900123":       "'+447700900123",
		"-5 degrees":          "'-5 degrees",
		"@SUM(1)":             "'@SUM(1)",
		"\tTab":               "'\tTab",
		"\rCR":                "'\rCR",
		"'quoted":             "''quoted",
		"a=b":                 "a=b",
		" =not a formula":     " =not a formula",
		"one\r\ntwo\rthree\n": "one\r\ntwo\rthree\n",
		"bad \xff byte":       "bad \uFFFD byte",
	} {
		if got := csv.Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

// readBack exports input as CSV and reads it with encoding/csv.
func readBack(t *testing.T, input string, opts exporters.Options) ([][]string, []model.Item, []byte) {
	t.Helper()
	f, _ := exporters.Lookup("csv")
	items := exportertest.Input(t, input, "json")
	out, _ := exportertest.Write(t, f, items, opts)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r := stdcsv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	if opts.Values.Get(csv.OptionDelimiter) == ";" {
		r.Comma = ';'
	}
	rows, err := r.ReadAll() // also checks that every row has as many fields as the header
	if err != nil {
		t.Fatal(err)
	}
	return rows, items, data
}

// original undoes the formula neutralisation of a cell.
func original(cell string) string {
	if strings.HasPrefix(cell, "'") {
		return cell[1:]
	}
	return cell
}

// Read back with encoding/csv, each row gives the message it was written
// from: the text (with its line breaks), the ids, the exact time, and no
// cell a spreadsheet would run as a formula.
func TestReadBack(t *testing.T) {
	for _, in := range []string{exportertest.Sample(t), awkward} {
		rows, items, _ := readBack(t, in, exporters.Options{})
		if strings.Join(rows[0], ",") != strings.Join(csv.Columns, ",") {
			t.Fatalf("header %q", rows[0])
		}
		col := map[string]int{}
		for i, c := range csv.Columns {
			col[c] = i
		}
		var chat *model.Chat
		i := 1
		for _, it := range items {
			m, ok := it.(*model.Message)
			if !ok {
				chat = it.(*model.Chat)
				continue
			}
			if i >= len(rows) {
				t.Fatalf("%s: %d rows for more messages", in, len(rows)-1)
			}
			row := rows[i]
			i++
			for j, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s: message %s: cell %s starts with %q", in, m.ID, csv.Columns[j], cell[0])
				}
			}
			text := strings.ReplaceAll(m.Text, "\r\n", "\n") // as encoding/csv reads it
			if got := original(row[col["text"]]); got != text {
				t.Errorf("%s: message %s: text %q, want %q", in, m.ID, got, text)
			}
			for name, want := range map[string]string{
				"message_id": string(m.ID), "chat_id": string(chat.ID), "reply_to": string(m.ReplyTo),
				"time_iso": m.Time.String(), "kind": string(m.Kind), "position": m.Source.String(),
			} {
				if got := original(row[col[name]]); got != want {
					t.Errorf("%s: message %s: %s %q, want %q", in, m.ID, name, got, want)
				}
			}
			if m.Time.IsFloating() && (row[col["time_zone"]] != "" || strings.ContainsAny(row[col["time"]], "Z+")) {
				t.Errorf("%s: message %s: floating time shown as %q in zone %q", in, m.ID, row[col["time"]], row[col["time_zone"]])
			}
		}
		if i != len(rows) {
			t.Errorf("%s: %d rows, want %d", in, len(rows)-1, i-1)
		}
	}
}

func TestExcel(t *testing.T) {
	opts := exporters.Options{Values: exporters.Values{csv.OptionExcel: "true", csv.OptionDelimiter: ";"}}
	rows, _, data := readBack(t, exportertest.Sample(t), opts)
	if !bytes.HasPrefix(data, []byte("\uFEFFtime;chat;")) {
		t.Errorf("the Excel CSV starts with %q", data[:20])
	}
	if !bytes.HasSuffix(data, []byte("msgstore.db:110\r\n")) || !bytes.Contains(data, []byte(";position\r\n2024-03-01 09:15;")) {
		t.Error("records do not end with CRLF")
	}
	if !bytes.Contains(data, []byte("\"Yes!\nLeaving Friday at 7:30.\n\n01/03/2024")) {
		t.Error("line breaks inside a cell are not kept as they are")
	}
	if len(rows) != 26 {
		t.Errorf("%d rows", len(rows))
	}
	// Without the option there is no byte order mark.
	_, _, data = readBack(t, exportertest.Sample(t), exporters.Options{})
	if !bytes.HasPrefix(data, []byte("time,chat,")) {
		t.Errorf("the CSV starts with %q", data[:20])
	}
}

func TestDelimiterOption(t *testing.T) {
	f, _ := exporters.Lookup("csv")
	tg, err := exporters.NewTarget(filepath.Join(t.TempDir(), "x.csv"), f.Layout, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Abort()
	_, err = f.New(tg, exporters.Options{Values: exporters.Values{csv.OptionDelimiter: "|"}})
	var oe *exporters.OptionError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), `--delimiter "|": want`) {
		t.Errorf("a bad delimiter gave %v, want an option error", err)
	}
}

// Cells longer than Excel shows are reported when the CSV is for Excel.
func TestExcelLimits(t *testing.T) {
	rep := &exporters.Report{}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf, exporters.Options{Report: rep}, csv.Config{Excel: true})
	c := &model.Chat{ID: "c", Kind: model.Direct, Participants: []model.Participant{{ID: "p", Name: "P"}}}
	w.WriteChat(c)
	w.WriteMessage(&model.Message{ID: "m", Sender: "p", Kind: model.KindText, Text: strings.Repeat("é", 40000)})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if notes := rep.Notes(); len(notes) != 1 || !strings.Contains(notes[0], "1 of the CSV's cells is longer than the 32767 characters") {
		t.Errorf("notes %q", notes)
	}
}

// Any text and any name survive a trip through the CSV and encoding/csv,
// and no cell can start a formula.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"plain", "=1+1", "+1", "-", "@x", "\tx", "\rx", "'x", "a\r\nb\rc\nd", "\"q\",;\n", "\xff"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, name string) {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf, exporters.Options{}, csv.Config{Delimiter: ';'})
		c := &model.Chat{ID: "c", Title: name, Kind: model.Direct, Participants: []model.Participant{{ID: "p", Name: name}}}
		w.WriteChat(c)
		w.WriteMessage(&model.Message{ID: "m", Sender: "p", Kind: model.KindText, Text: text})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r := stdcsv.NewReader(&buf)
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("reading back: %v\n%q", err, buf.String())
		}
		if len(rows) != 2 {
			t.Fatalf("%d rows", len(rows))
		}
		norm := func(s string) string {
			return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n")
		}
		for col, want := range map[string]string{"text": text, "chat": name, "sender": name} {
			got := rows[1][slices.Index(csv.Columns, col)]
			if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
				t.Errorf("%s cell starts a formula: %q", col, got)
			}
			if original(got) != norm(want) && !(want == "" && col != "text") {
				t.Errorf("%s: got %q, want %q", col, original(got), norm(want))
			}
		}
	})
}
