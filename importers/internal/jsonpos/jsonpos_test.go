package jsonpos

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// The line of every value of an array, read one byte at a time, is the
// line it starts on, past the separators and white space before it.
func TestLineAt(t *testing.T) {
	doc := "\n[\n  1,\n\n  {\"a\":\n \"b\"},\r\n\t\"c\"\n  ,  [2]\n]"
	want := []int{3, 5, 7, 8}
	lt := NewTracker(iotest.OneByteReader(strings.NewReader(doc)), 1)
	dec := json.NewDecoder(lt)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		t.Fatalf("Token = %v, %v", tok, err)
	}
	for i := 0; dec.More(); i++ {
		off := dec.InputOffset()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if got := lt.LineAt(off); got != want[i] {
			t.Errorf("value %d (%v): line %d, want %d", i, v, got, want[i])
		}
	}
	if got := lt.LineAt(dec.InputOffset()); got != 9 {
		t.Errorf("at the end: line %d, want 9", got)
	}
	if len(lt.buf) > 1 {
		t.Errorf("the tracker keeps %q, which it was told to forget", lt.buf)
	}
	if lt.Err() != nil {
		t.Errorf("Err = %v on a clean read", lt.Err())
	}
}

func TestErr(t *testing.T) {
	boom := errors.New("boom")
	lt := NewTracker(io.MultiReader(strings.NewReader("[1,"), iotest.ErrReader(boom)), 1)
	var v any
	if err := json.NewDecoder(lt).Decode(&v); !errors.Is(err, boom) {
		t.Fatalf("Decode = %v", err)
	}
	if !errors.Is(lt.Err(), boom) {
		t.Errorf("Err = %v, want the reader's error", lt.Err())
	}
	lt = NewTracker(strings.NewReader("[1,"), 1)
	if err := json.NewDecoder(lt).Decode(&v); err == nil || lt.Err() != nil {
		t.Errorf("truncated JSON: Decode = %v, Err = %v (want a syntax error, no read error)", err, lt.Err())
	}
}

// A Tracker holds at most MaxSpan bytes: reading on without asking for an
// offset fails with ErrTooLong, while asking now and then keeps it going.
func TestMaxSpan(t *testing.T) {
	defer func(n int) { MaxSpan = n }(MaxSpan)
	MaxSpan = 1 << 10
	doc := "[" + strings.Repeat(`"abcdefghijklmnopqrstuvwxyz",`, 1000) + `"z"]`

	dec := json.NewDecoder(NewTracker(strings.NewReader(doc), 1))
	var v []string
	if err := dec.Decode(&v); !errors.Is(err, ErrTooLong) {
		t.Errorf("one value of %d bytes: %v, want ErrTooLong", len(doc), err)
	}

	lt := NewTracker(strings.NewReader(doc), 1)
	dec = json.NewDecoder(lt)
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("token %d: %v", n, err)
		}
		if _, ok := tok.(string); ok {
			n++
		}
		lt.LineAt(dec.InputOffset())
	}
	if n != 1001 || lt.Err() != nil {
		t.Errorf("read %d strings (Err %v), want 1001", n, lt.Err())
	}
}
