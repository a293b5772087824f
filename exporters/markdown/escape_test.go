package markdown

import (
	"bytes"
	"html"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/chatferry/chatferry/importers/importertest"
)

// gfm renders Markdown as GitHub does: CommonMark with tables,
// strikethrough, task lists and bare links, and raw HTML left out.
var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

func render(t testing.TB, md []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := gfm.Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// renderer turns Markdown into HTML.
type renderer struct {
	name   string
	render func(testing.TB, []byte) string
}

// renderers returns goldmark, and cmark-gfm, the renderer GitHub itself
// is built on, with GitHub's extensions. cmark-gfm is a peer program:
// without it the test skips on a laptop and fails in CI.
func renderers(t testing.TB) []renderer {
	cmark := importertest.Tool(t, "cmark-gfm")
	return []renderer{{"goldmark", render}, {"cmark-gfm", func(t testing.TB, md []byte) string {
		t.Helper()
		cmd := exec.Command(cmark, "--extension", "table", "--extension", "strikethrough",
			"--extension", "autolink", "--extension", "tagfilter", "--extension", "tasklist")
		cmd.Stdin = bytes.NewReader(md)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("cmark-gfm: %v", err)
		}
		return string(out)
	}}}
}

func TestEscapeRules(t *testing.T) {
	for _, c := range []struct {
		in        string
		lineStart bool
		heading   bool
		want      string
	}{
		{"plain text, 7:30. ok!", true, false, "plain text, 7:30. ok!"},
		{"*bold* _it_ ~del~ `code`", false, false, `\*bold\* \_it\_ \~del\~ \` + "`code\\`"},
		{"<b>&amp; & x", false, false, `\<b>\&amp; & x`},
		{"[link](javascript:x) ![i](x)", false, false, `\[link\](javascript:x) !\[i\](x)`},
		{"a | b $x$ \\", false, false, `a \| b \$x\$ \\`},
		{"# not a heading", true, false, `\# not a heading`},
		{"# mid-line #", false, false, "# mid-line #"},
		{"title #1 #", false, true, `title \#1 \#`},
		{"- item", true, false, `\- item`},
		{"  + item", true, false, `  \+ item`},
		{"> quote", true, false, `\> quote`},
		{"===", true, false, `\===`},
		{":-", true, false, `\:-`},
		{" : --|", true, false, ` \: --\|`},
		{":) smile", true, false, ":) smile"},
		{"12. twelve", true, false, `12\. twelve`},
		{"3) three", true, false, `3\) three`},
		{"2024 was good", true, false, "2024 was good"},
		{"- not at start", false, false, "- not at start"},
	} {
		if got := string(appendEscaped(nil, c.in, c.lineStart, c.heading)); got != c.want {
			t.Errorf("appendEscaped(%q, %v, %v) = %q, want %q", c.in, c.lineStart, c.heading, got, c.want)
		}
	}
}

func TestLinkPath(t *testing.T) {
	for in, want := range map[string]string{
		"media/IMG-1.jpg":           "media/IMG-1.jpg",
		"media/Carla Example.vcf":   "media/Carla%20Example.vcf",
		"media/a (1).pdf":           "media/a%20%281%29.pdf",
		"Trip: 2024 ✈.md":           "Trip%3A%202024%20%E2%9C%88.md",
		"media/<x>&y=[z]#frag?q%20": "media/%3Cx%3E%26y%3D%5Bz%5D%23frag%3Fq%2520",
	} {
		if got := linkPath(in); got != want {
			t.Errorf("linkPath(%q) = %q, want %q", in, got, want)
		}
	}
}

var (
	paragraphRe = regexp.MustCompile(`(?s)^<p><strong>09:16 Ann:</strong> ?(.*)</p>\n$`)
	breakRe     = regexp.MustCompile(`<br ?/?>\n`)
	linkRe      = regexp.MustCompile(`<a href="([^"<>]*)">([^<]*)</a>`)
)

// checkShownAsWritten renders text the way WriteMessage does and checks
// that a GFM renderer shows exactly the text, with nothing turned into
// markup but line breaks and bare links.
func checkShownAsWritten(t *testing.T, r renderer, text string) {
	t.Helper()
	md := appendParagraph(nil, textLines([]byte("**09:16 Ann:**"), strings.Split(text, "\n")))
	got := r.render(t, md)
	m := paragraphRe.FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("%s: text %q\nMarkdown %q\nrenders as more than one paragraph:\n%s", r.name, text, md, got)
	}
	// A link shows its address as written (checked with the whole text
	// below) and its target holds no backslash the text lacks: that is
	// an escape GitHub took into the address, which breaks the link.
	body := linkRe.ReplaceAllStringFunc(m[1], func(a string) string {
		l := linkRe.FindStringSubmatch(a)
		href, text := html.UnescapeString(l[1]), html.UnescapeString(l[2])
		if strings.Contains(href, "%5C") && !strings.Contains(text, "\\") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			t.Errorf("%s: text %q: a link to %q shows %q", r.name, text, href, text)
		}
		return l[2]
	})
	body = breakRe.ReplaceAllString(body, "\n")
	if strings.ContainsAny(body, "<>") {
		t.Fatalf("%s: text %q\nMarkdown %q\nrenders with markup:\n%s", r.name, text, md, got)
	}
	if shown, want := trimLines(html.UnescapeString(body)), trimLines(text); shown != want {
		t.Fatalf("%s: text %q\nMarkdown %q\nshows as %q, want %q", r.name, text, md, shown, want)
	}
}

// trimLines drops what renderers drop: spaces and tabs around each line,
// and empty lines at the end.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Trim(l, " \t")
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

var hostile = []string{
	"<script>alert(1)</script> <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">click</a>",
	"*bold* **strong** _it_ __it__ ~del~ ~~del~~ `code` ``co`de``",
	"# heading\n## h2\n- item\n* item\n+ item\n1. one\n2) two\n> quote\n---\n***\n___\n===",
	"line\n===\nline\n---",
	"```\ncode\n```\n~~~\ncode\n~~~",
	"| a | b |\n|---|---|\n| 1 | 2 |",
	"a | b\n--|--",
	"\n:-",
	"a\n:--:",
	"[x](javascript:alert(1)) ![i](https://example.com/x.png) [ref]\n[ref]: https://example.com",
	"&amp; &lt;b&gt; &#60;script&#62; &copy &#x41;",
	"<https://example.com> <mailto:a@b.c> https://example.com/a_b_c www.example.com a@b.co",
	"https://example.com/a_b_c?x=1&y=*z*~\\q, (see https://en.wikipedia.org/wiki/Foo_(bar)) HTTPS://X.Y/_a_. ftp://f/~x~",
	"www.ex_ample.com/~u and later https://x.com/~c~ xhttps://not/a_link *https://x.com/*b**",
	"mailto:a_b@c.com xmpp:a@b.c/r a_b@c.com",
	"$x^2$ $$y$$ \\$ \\\\ \\",
	"- [ ] task\n- [x] done",
	"footnote[^1]\n[^1]: note",
	"<!-- comment --> <?php ?> <![CDATA[x]]> <div>\nblock\n</div>",
	"trailing backslash \\\nnext",
	"a\n\nb\n\n\nc\n",
	"    indented\n\tcode",
	"snake_case_name and 2*3*4 = 24",
	"1986. A great year\n1986) also",
	"\u00a0# nbsp\n\u3000- ideographic space",
	"Hello all 👋 *bold* _italic_ ~strike~ مرحبا، כיצד",
}

func TestShownAsWritten(t *testing.T) {
	for _, r := range renderers(t) {
		for _, s := range hostile {
			checkShownAsWritten(t, r, s)
		}
	}
}

func FuzzShownAsWritten(f *testing.F) {
	fuzzShown(f, renderer{"goldmark", render})
}

// FuzzShownOnGitHub runs the same check through cmark-gfm, GitHub's own
// renderer (a peer program, slower to call).
func FuzzShownOnGitHub(f *testing.F) {
	fuzzShown(f, renderers(f)[1])
}

func fuzzShown(f *testing.F, r renderer) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ReplaceAll(s, "\r", "")
		if strings.ContainsRune(s, 0) || strings.ContainsRune(s, '\uFFFD') || !isPrintable(s) {
			t.Skip("the writer shows control characters and invalid text visibly before escaping")
		}
		checkShownAsWritten(t, r, s)
	})
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 {
			return false
		}
	}
	return strings.ToValidUTF8(s, "") == s
}
