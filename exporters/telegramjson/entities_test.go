package telegramjson

import (
	"strings"
	"testing"

	"github.com/chatferry/chatferry/exporters/internal/markup"
)

// Telegram's entities do not nest: the outer style of a piece styled
// twice takes it, and each span that lost a style is counted.
func TestEntityParts(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   string
		nested int
	}{
		{"plain", "plain:plain", 0},
		{"*bold* and _it_", "bold:bold|plain: and |italic:it", 0},
		{"*a _b_ c*", "bold:a b c", 1},
		{"_*b*_ x", "bold:b|plain: x", 1}, // the same text: bold before italic
		{"*see `x`*", "bold:see x", 1},
		{"```a\nb``` `c` ~d~", "pre:a\nb|plain: |code:c|plain: |strikethrough:d", 0},
	} {
		parts, nested := entityParts(markup.Parse(tc.in))
		var got []string
		for _, p := range parts {
			got = append(got, p.typ+":"+p.text)
		}
		if strings.Join(got, "|") != tc.want || nested != tc.nested {
			t.Errorf("%q: %q, %d nested; want %q, %d", tc.in, strings.Join(got, "|"), nested, tc.want, tc.nested)
		}
	}
}
