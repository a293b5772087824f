package whatsapp

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// hasPrefixSpaced is HasPrefix of the text with plain spaces.
func TestHasPrefixSpaced(t *testing.T) {
	pieces := []string{"a", "b", " ", "\u00a0", "\u202f", "\u2009", "\xc2", "\xe2\x80", "é"}
	r := rand.New(rand.NewPCG(3, 5))
	gen := func() string {
		var sb strings.Builder
		for k := r.IntN(6); k > 0; k-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		return sb.String()
	}
	for n := 0; n < 100000; n++ {
		text, prefix := gen(), gen()
		want := bytes.HasPrefix([]byte(plainSpaces(text)), []byte(prefix))
		if got := hasPrefixSpaced([]byte(text), []byte(prefix)); got != want {
			t.Fatalf("%q starts with %q: %v, want %v", text, prefix, got, want)
		}
	}
}
