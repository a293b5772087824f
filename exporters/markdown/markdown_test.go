package markdown_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/internal/plaintest"
	"github.com/chatferry/chatferry/exporters/markdown"
	_ "github.com/chatferry/chatferry/importers/all" // the corpus test reads every input format
	"github.com/chatferry/chatferry/model"
)

var awkward = filepath.Join("..", "..", "testdata", "json", "awkward.json")

func TestKit(t *testing.T) {
	exportertest.Run(t, "markdown",
		exportertest.Case{},
		exportertest.Case{Name: "awkward", Input: awkward},
	)
}

func TestInputs(t *testing.T) { plaintest.RunInputs(t, "markdown") }

func BenchmarkWrite(b *testing.B) { plaintest.Bench(b, "markdown") }

var (
	tagRe  = regexp.MustCompile(`<(/?)([a-z0-9]+)[^>]*>`)
	linkRe = regexp.MustCompile(`<(?:a href|img src)="([^"]*)"`)
)

// Rendered as GitHub renders it, the archive has only the markup chatferry
// wrote, and every relative link and image leads to a file of the archive.
func TestRendered(t *testing.T) {
	for name, render := range markdown.Renderers(t) {
		t.Run(name, func(t *testing.T) { checkRendered(t, render) })
	}
}

func checkRendered(t *testing.T, render func(testing.TB, []byte) string) {
	f, _ := exporters.Lookup("markdown")
	allowed := map[string]bool{"h1": true, "h2": true, "p": true, "ul": true, "li": true,
		"strong": true, "em": true, "br": true, "a": true, "img": true}
	for _, in := range []string{exportertest.Sample(t), awkward} {
		items := exportertest.Input(t, in, "json")
		out, _ := exportertest.Write(t, f, items, exporters.Options{})
		files, _ := filepath.Glob(filepath.Join(out, "*.md"))
		if len(files) < 2 {
			t.Fatalf("%s: %d Markdown files", in, len(files))
		}
		links := 0
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			page := render(t, src)
			if strings.Contains(page, "raw HTML omitted") || strings.Contains(page, "<script") {
				t.Errorf("%s: raw HTML in the page", file)
			}
			for _, m := range tagRe.FindAllStringSubmatch(page, -1) {
				if !allowed[m[2]] {
					t.Errorf("%s: unexpected <%s> in the rendered page", filepath.Base(file), m[2])
				}
			}
			for _, m := range linkRe.FindAllStringSubmatch(page, -1) {
				href := m[1]
				if strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://") {
					continue // a web address in a message, shown as a link
				}
				rel, err := url.PathUnescape(href)
				if err != nil {
					t.Errorf("%s: link %q: %v", filepath.Base(file), href, err)
					continue
				}
				if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel))); err != nil {
					t.Errorf("%s: link %q leads nowhere: %v", filepath.Base(file), href, err)
				}
				links++
			}
		}
		// Every chat in the index and every attachment file is linked.
		want := 0
		for _, it := range items {
			switch v := it.(type) {
			case *model.Chat:
				want++
			case *model.Message:
				for _, a := range v.Attachments {
					if a.Path != "" {
						want++
					}
				}
			}
		}
		if links < want {
			t.Errorf("%s: %d working links, want at least %d", in, links, want)
		}
	}
}

// A file the input names but does not hold is listed without a link and
// reported as dropped, and the export goes on.
func TestMissingMedia(t *testing.T) {
	f, _ := exporters.Lookup("markdown")
	c := &model.Chat{ID: "c", Title: "T", Kind: model.Direct, Media: fstest.MapFS{},
		Participants: []model.Participant{{ID: "p", Name: "P"}}}
	m := &model.Message{ID: "m", Sender: "p", Kind: model.KindMedia,
		Attachments: []model.Attachment{{Name: "gone.jpg", Kind: model.MediaImage, Path: "media/gone.jpg"}}}
	out, rep := exportertest.Write(t, f, []model.Item{c, m}, exporters.Options{})
	data, err := os.ReadFile(filepath.Join(out, "T.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "*attachment:* gone.jpg (image)") {
		t.Errorf("the missing file is not listed as text:\n%s", data)
	}
	if l := rep.Losses(); len(l) != 1 || l[0].Feature != model.FeatureMediaFiles || l[0].Support != exporters.Dropped {
		t.Errorf("losses %v", l)
	}
	if notes := rep.Notes(); len(notes) != 1 || !strings.Contains(notes[0], "media/gone.jpg") {
		t.Errorf("notes %q", notes)
	}
}

// A chat too large for GitHub to show in one file is split into parts at
// day boundaries, or mid-day when a day alone is too large; the parts link
// to each other and the index links to each.
func TestParts(t *testing.T) {
	defer markdown.SetPartLimits(6000, 12000)()
	f, _ := exporters.Lookup("markdown")
	c, msgs := plaintest.Chat(400)
	// Message 200 on starts one long day, which has to be split too.
	for _, m := range msgs[200:] {
		m.Time = msgs[200].Time
	}
	items := []model.Item{c}
	for _, m := range msgs {
		items = append(items, m)
	}
	out, _ := exportertest.Write(t, f, items, exporters.Options{})
	files, _ := filepath.Glob(filepath.Join(out, "Bench _group_*.md"))
	if len(files) < 5 {
		t.Fatalf("%d parts: %v", len(files), files)
	}
	index, _ := os.ReadFile(filepath.Join(out, "README.md"))
	paragraphs := 0
	for i := 1; i <= len(files); i++ {
		name := "Bench _group_.md"
		if i > 1 {
			name = fmt.Sprintf("Bench _group_ (part %d).md", i)
		}
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if len(data) > 12000+2000 {
			t.Errorf("%s: %d bytes", name, len(data))
		}
		if i > 1 && !strings.Contains(text, fmt.Sprintf("(part %d)\n\nContinued from [part %d](", i, i-1)) {
			t.Errorf("%s does not link back", name)
		}
		if i < len(files) && !strings.Contains(text, fmt.Sprintf("Continued in [part %d](Bench%%20_group_%%20%%28part%%20%d%%29.md)", i+1, i+1)) {
			t.Errorf("%s does not link on", name)
		}
		if !strings.Contains(text, "\n## ") || !strings.Contains(text, "- **Times:** as written") {
			t.Errorf("%s lacks a day heading or the times fact", name)
		}
		if !strings.Contains(string(index), fmt.Sprintf(" [%d](%s)", i, strings.ReplaceAll(url.PathEscape(name), "+", "%2B"))) {
			t.Errorf("the index does not link %s", name)
		}
		paragraphs += strings.Count(text, "\n**")
	}
	if paragraphs != len(msgs) {
		t.Errorf("%d message paragraphs in the parts, want %d", paragraphs, len(msgs))
	}
}

func TestFileNames(t *testing.T) {
	f, _ := exporters.Lookup("markdown")
	var items []model.Item
	for i, title := range []string{"Work/Family", "work\\family", "..", "README", "Café: plans?"} {
		items = append(items, &model.Chat{ID: model.ChatID(fmt.Sprint(i)), Title: title, Kind: model.Group})
	}
	out, _ := exportertest.Write(t, f, items, exporters.Options{})
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := ".chatferry Café_ plans_.md README-2.md README.md Work_Family.md file.md work_family-2.md"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("files %q, want %q", got, want)
	}
}
