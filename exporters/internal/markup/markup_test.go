package markup

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	p := func(s string) Span { return Span{Text: s} }
	b := func(s string) Span { return Span{Text: s, Style: Bold} }
	for _, tc := range []struct {
		in   string
		want []Span
	}{
		{"", nil},
		{"plain text", []Span{p("plain text")}},
		{"*bold*", []Span{b("bold")}},
		{"this is *very* good", []Span{p("this is "), b("very"), p(" good")}},
		{"_italic_ and ~struck~", []Span{{"italic", Italic}, p(" and "), {"struck", Strike}}},
		{"*bold _and italic_ text*", []Span{b("bold "), {"and italic", Bold | Italic}, b(" text")}},
		{"*_both_*", []Span{{"both", Bold | Italic}}},
		{"(*in brackets*)", []Span{p("("), b("in brackets"), p(")")}},
		{"*wow*!", []Span{b("wow"), p("!")}},
		{"«*quoted*»", []Span{p("«"), b("quoted"), p("»")}},
		{"*жирный* текст", []Span{b("жирный"), p(" текст")}},
		{"`a := 1` is code", []Span{{"a := 1", Code}, p(" is code")}},
		{"```\nfunc main() {\n\t*x* = 1\n}\n```", []Span{{"\nfunc main() {\n\t*x* = 1\n}\n", Mono}}},
		{"say ```*raw*``` now", []Span{p("say "), {"*raw*", Mono}, p(" now")}},

		// Not formatting: each of these stays exactly as written.
		{"2*3*4 = 24", []Span{p("2*3*4 = 24")}},
		{"snake_case_name", []Span{p("snake_case_name")}},
		{"a * b * c", []Span{p("a * b * c")}},
		{"*not closed", []Span{p("*not closed")}},
		{"* bold *", []Span{p("* bold *")}},
		{"*bold *", []Span{p("*bold *")}},
		{"**", []Span{p("**")}},
		{"****", []Span{p("****")}},
		{"**double**", []Span{p("**double**")}},
		{"*two\nlines*", []Span{p("*two\nlines*")}},
		{"~", []Span{p("~")}},
		{"~/bin and ~/lib", []Span{p("~/bin and ~/lib")}},
		{"*a*b", []Span{p("*a*b")}},
		{"```   ```", []Span{p("```   ```")}},
		{"``````", []Span{p("``````")}},
		{"see https://example.org/_a_/b_c_ ok", []Span{p("see https://example.org/_a_/b_c_ ok")}},
		{"HTTPS://EXAMPLE.ORG/*x*", []Span{p("HTTPS://EXAMPLE.ORG/*x*")}},

		// An address inside a styled piece.
		{"*see https://example.org*", []Span{b("see https://example.org")}},
		// The first closing marker ends a piece, even one that looks
		// like the start of another; a style is not nested in itself.
		{"*a _b *c* d_ e*", []Span{b("a _b *c"), p(" d_ e*")}},
		{"_a *b* c_", []Span{{"a ", Italic}, {"b", Bold | Italic}, {" c", Italic}}},
		// The first closing marker ends the piece.
		{"*one* two *three*", []Span{b("one"), p(" two "), b("three")}},
		// A marker followed by a letter does not close; the next one does.
		{"_a_b c_", []Span{{"a_b c", Italic}}},
	} {
		got := Parse(tc.in)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		checkSpans(t, tc.in, got)
	}
}

func TestStrip(t *testing.T) {
	for in, want := range map[string]string{"": "", "plain": "plain", "*a* _b_ 2*3*4": "a b 2*3*4", "```x```": "x"} {
		if got := Strip(in); got != want {
			t.Errorf("Strip(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestApplies(t *testing.T) {
	for format, want := range map[string]bool{
		"whatsapp": true, "whatsapp-android": true, "whatsapp-ios": true,
		"telegram-json": false, "json": false, "": false,
	} {
		if Applies(format) != want {
			t.Errorf("Applies(%q) = %v", format, !want)
		}
	}
}

// checkSpans checks what holds for every text: the spans' texts are the
// text with some markers left out, no span is empty, neighbours differ
// in style, and only markers' own styles appear.
func checkSpans(t *testing.T, in string, spans []Span) {
	t.Helper()
	var joined strings.Builder
	for i, sp := range spans {
		if sp.Text == "" {
			t.Errorf("%q: span %d is empty", in, i)
		}
		if i > 0 && spans[i-1].Style == sp.Style {
			t.Errorf("%q: spans %d and %d have the same style", in, i-1, i)
		}
		if sp.Style&^(Bold|Italic|Strike|Mono|Code) != 0 {
			t.Errorf("%q: span %d has style %b", in, i, sp.Style)
		}
		joined.WriteString(sp.Text)
	}
	// joined must be in minus some marker bytes, in order.
	out := joined.String()
	j := 0
	for i := 0; i < len(in); i++ {
		if j < len(out) && in[i] == out[j] {
			j++
			continue
		}
		if markerStyle(in[i]) == 0 {
			t.Fatalf("%q: spans %q leave out %q, which is no marker", in, out, in[i])
		}
	}
	if j != len(out) {
		t.Fatalf("%q: spans %q are not the text with markers left out", in, out)
	}
	if len(in)-len(out) > 0 && len(spans) > 0 && allPlain(spans) {
		t.Errorf("%q: markers removed, but every span is plain", in)
	}
}

func allPlain(spans []Span) bool {
	for _, sp := range spans {
		if sp.Style != 0 {
			return false
		}
	}
	return true
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"*bold* _it_ ~st~ `c` ```m```", "*a _b *c* d_ e*", "https://x.org/*a*", "_a_b c_", "```\n*x*\n```", "«*q*»"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSpans(t, s, Parse(s))
	})
}

// Lone markers must not make a long message take quadratic time: the
// bytes searched for closing markers stay a small multiple of the text.
func TestParseLinear(t *testing.T) {
	n := 0
	scanned = &n
	defer func() { scanned = nil }()
	for _, unit := range []string{"*a ", "_a ", "`a ", "```a ", "*_~` ", "*a _b ~c `d ", "```a*b*_c_"} {
		for _, lines := range []string{"", "\n"} {
			long := strings.Repeat(unit+lines, 20_000)
			n = 0
			checkSpans(t, long, Parse(long))
			if n > 8*len(long) {
				t.Errorf("%q × 20,000: searched %d bytes of %d", unit+lines, n, len(long))
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	text := strings.Repeat("this is *very* good _indeed_, see https://example.org/a_b_c and `x` ", 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Parse(text)
	}
}
