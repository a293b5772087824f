package importers_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/importers"
)

func TestRegistry(t *testing.T) {
	type format struct{ name string }
	r := importers.NewRegistry("testers", func(f *format) string { return f.name })
	if r.Names() != nil || len(r.All()) != 0 || r.Get("b") != nil {
		t.Errorf("an empty registry lists %v", r.Names())
	}
	for _, n := range []string{"c", "a", "b"} {
		r.Add(format{name: n})
	}
	if got := r.Names(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("Names = %v, want sorted", got)
	}
	if f := r.Get("b"); f == nil || f.name != "b" {
		t.Errorf("Get(b) = %v", f)
	}
	if f := r.Get("d"); f != nil {
		t.Errorf("Get(d) = %v, want nil", f)
	}
	defer func() {
		if p := recover(); p != "testers: Register called twice for format a" {
			t.Errorf("adding a name twice: panic %v", p)
		}
	}()
	r.Add(format{name: "a"})
}

// A --chat that names no chat is an option error that lists the chats,
// the first twenty of a long list.
func TestNoChatError(t *testing.T) {
	var oe *importers.OptionError
	err := importers.NoChatError("Nobody", []string{"Ann", `Say "hi"`})
	if !errors.As(err, &oe) || !strings.HasSuffix(err.Error(), `the chats are: "Ann", "Say \"hi\""`) {
		t.Errorf("two chats: %v", err)
	}
	if err := importers.NoChatError("Nobody", nil); !strings.HasSuffix(err.Error(), "the input holds none") {
		t.Errorf("no chats: %v", err)
	}
	var many []string
	for i := range 25 {
		many = append(many, fmt.Sprint("chat ", i))
	}
	err = importers.NoChatError("Nobody", many)
	if !strings.Contains(err.Error(), `"chat 19" and 5 more`) || strings.Contains(err.Error(), `"chat 20"`) {
		t.Errorf("25 chats: %v", err)
	}
}
