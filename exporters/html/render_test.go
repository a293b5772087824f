package html

import (
	"bytes"
	"context"
	"html/template"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// renderSpec is testdata/render.tmpl: the markup of a message and of its
// search line as html/template writes it, which appendMessage and
// appendFound must reproduce byte for byte.
var renderSpec = template.Must(template.ParseFiles(filepath.Join("testdata", "render.tmpl")))

// sameAsSpec fails t when got is not what the named template of the
// specification writes for data.
func sameAsSpec(t testing.TB, name string, data any, got []byte) {
	t.Helper()
	var want bytes.Buffer
	if err := renderSpec.ExecuteTemplate(&want, name, data); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("%s differs from html/template's: %s\ngot:  %q\nwant: %q", name,
			importertest.FirstDiff(want.Bytes(), got), got, want.Bytes())
	}
}

// checkViews makes the view of every message of items as the archive
// does and compares its markup with the specification's. It returns how
// many messages it compared.
func checkViews(t *testing.T, items []model.Item) int {
	t.Helper()
	w := New(t.TempDir(), DefaultPageSize, exporters.Options{TZ: time.UTC})
	defer w.Abort()
	n := 0
	for _, it := range items {
		switch it := it.(type) {
		case *model.Chat:
			if err := w.WriteChat(it); err != nil {
				t.Fatal(err)
			}
		case *model.Message:
			v, err := w.cur.view(it)
			if err != nil {
				t.Fatal(err)
			}
			sameAsSpec(t, "message", v, appendMessage(nil, v))
			f := w.cur.found(v)
			sameAsSpec(t, "found", f, appendFound(nil, f))
			n++
		}
	}
	return n
}

// TestRenderAsTemplate compares the markup of every message of the
// project's samples and, where it is beside the module, the shared corpus.
func TestRenderAsTemplate(t *testing.T) {
	root := importertest.ModuleRoot(t)
	inputs := []string{filepath.Join(root, "testdata")}
	for _, dir := range []string{"whatsapp", "telegram-json"} {
		inputs = append(inputs, importertest.Corpus(t, dir))
	}
	compared := 0
	for _, dir := range inputs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			ext := strings.ToLower(filepath.Ext(p))
			if err != nil || d.IsDir() || ext != ".txt" && ext != ".zip" && ext != ".json" {
				return err
			}
			src := importertest.OpenSource(t, p)
			imp, err := importers.Detect(src)
			if err != nil {
				return nil // not a chat: the importers' tests say which
			}
			items, err := importertest.Collect(context.Background(), imp, src, importers.Options{TZ: time.UTC})
			if err != nil {
				return nil
			}
			t.Run(strings.TrimPrefix(p, filepath.Dir(dir)), func(t *testing.T) {
				compared += checkViews(t, items)
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if compared < 1000 {
		t.Errorf("only %d messages compared", compared)
	}
}

// FuzzRender compares the markup of views made of arbitrary text: hostile
// addresses, markup, NUL and invalid UTF-8 in every field.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"javascript:alert(1)\xffhttp://x.test/a b?c=d&e+f%zz%41'\"\xffJAVASCRIPT:x\xff<script>&amp;\x00",
		"\x07\xffmailto:a@b.test\xffHTTPS://X.TEST/%\xff/a:b\xffgeo:1,2?q=a+b\xfftel:+123\xff\xfe\xfd",
		"\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		"\x7f\xff📍 \u202eRLO\xff\u2028\xff%41%4\xff ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, fv := viewFrom(data)
		sameAsSpec(t, "message", v, appendMessage(nil, v))
		sameAsSpec(t, "found", fv, appendFound(nil, fv))
	})
}

// viewFrom makes a message view and a search line from fuzzed data: the
// first byte chooses which parts the message has, the rest, split at
// 0xFF, gives the text of every field in turn.
func viewFrom(data []byte) (*messageView, *foundView) {
	var flags byte
	if len(data) > 0 {
		flags, data = data[0], data[1:]
	}
	parts := strings.Split(string(data), "\xff")
	i := 0
	next := func() string {
		s := parts[i%len(parts)]
		i++
		return s
	}
	num := func() int { return len(next()) }
	on := func(bit uint) bool { return flags&(1<<bit) != 0 }
	tv := timeView{Short: next(), Full: next(), Title: next(), Attr: next(), Day: next(), DayKey: next()}
	v := &messageView{Anchor: next(), Time: tv, Kind: next(), System: on(0), Own: on(1),
		Sender: next(), Color: next(), ShowSender: on(2), Forwarded: on(3), Edited: next(),
		Deleted: on(4), ViewOnce: on(5), Muted: next()}
	if on(6) {
		v.Day = &v.Time
	}
	v.Text = []segment{{Text: next()}, {Text: next(), URL: next()}, {Text: next()}}
	if on(7) {
		v.Text = nil
	}
	v.Quote = &quoteView{Href: next(), Sender: next(), Color: next(), Text: next()}
	for _, show := range []string{"image", "video", "audio", "file", "absent", next()} {
		v.Attach = append(v.Attach, attachmentView{Show: show, Href: next(), Name: next(), Info: next(),
			Icon: next(), Note: next(), Width: num(), Height: num(), Sticker: num()%2 == 1})
	}
	v.Poll = &pollView{Question: next(), Multiple: num()%2 == 1, Options: []pollOptionView{
		{Text: next(), Votes: num(), Max: num(), Voters: next(), Label: next()},
		{Text: next(), Votes: num(), Max: num(), Voters: next(), Label: next()}}}
	v.Location = &locationView{Name: next(), Address: next(), Coords: next(), Exact: next(),
		Href: next(), Geo: template.URL(next()), Live: num()%2 == 1}
	v.Contacts = []contactView{{Name: next(), VCard: next(), Phones: []phoneView{
		{Number: next(), Href: template.URL(next())}, {Number: next()}}}}
	v.Call = &callView{Label: next(), Duration: next(), Icon: next(), Missed: num()%2 == 1}
	v.Reactions = []reactionView{{Emoji: next(), Count: num(), Who: next()}, {Emoji: next(), Count: 1}}
	fv := &foundView{Href: next(), When: next(), Sender: next(), Color: next(), Plain: next(),
		Time: tv, System: v.System}
	return v, fv
}
