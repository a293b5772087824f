package recent

import "testing"

// The memory is bounded: the first remembered are the first forgotten,
// and a key put again keeps its place but takes the new value.
func TestWindowIsBounded(t *testing.T) {
	w := Window[string, int]{Limit: 3}
	for i, k := range []string{"a", "b", "c", "d", "b", "e"} {
		w.Put(k, i)
	}
	for k, want := range map[string]bool{"a": false, "b": false, "c": true, "d": true, "e": true} {
		if _, ok := w.Get(k); ok != want {
			t.Errorf("%s remembered: %v, want %v", k, ok, want)
		}
	}
	if w.Len() > 3 || len(w.keys) > 3 {
		t.Errorf("remembers %d keys in %d slots", w.Len(), len(w.keys))
	}
	w.Put("c", 9)
	if v, _ := w.Get("c"); v != 9 {
		t.Errorf("c = %d after putting it again, want 9", v)
	}
	w.Put("f", 6) // forgets c, the oldest
	if _, ok := w.Get("c"); ok {
		t.Error("c was put again but kept its place: it should be forgotten first")
	}
	w.Reset()
	if _, ok := w.Get("e"); ok || w.Len() != 0 {
		t.Errorf("after Reset: %d keys", w.Len())
	}
	w.Put("g", 7)
	if v, ok := w.Get("g"); !ok || v != 7 {
		t.Errorf("after Reset, g = %d, %v", v, ok)
	}
	var none Window[string, int]
	none.Put("a", 1)
	if _, ok := none.Get("a"); ok {
		t.Error("a window with Limit 0 remembered a key")
	}
}
