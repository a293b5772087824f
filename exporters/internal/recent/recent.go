// Package recent gives exporters a bounded memory of a chat's latest
// messages, so that a reply can name the message it answers without the
// chat's history in memory: however long the chat, memory stays flat.
package recent

// Window maps keys to values for the last Limit keys put, forgetting the
// oldest first. A key put again takes the new value and keeps its place.
// The zero Window with Limit set is ready to use; with Limit 0 it
// remembers nothing.
type Window[K comparable, V any] struct {
	// Limit is how many keys the window remembers.
	Limit int

	keys []K // in the order they were first put, a ring once full
	vals map[K]V
	next int // the slot of the oldest key, once the ring is full
}

// Put remembers v under k, forgetting the oldest key when the window is
// full.
func (w *Window[K, V]) Put(k K, v V) {
	if w.Limit <= 0 {
		return
	}
	if w.vals == nil {
		w.vals = make(map[K]V)
	}
	if _, ok := w.vals[k]; !ok {
		if len(w.keys) < w.Limit {
			w.keys = append(w.keys, k)
		} else {
			delete(w.vals, w.keys[w.next])
			w.keys[w.next] = k
			w.next = (w.next + 1) % w.Limit
		}
	}
	w.vals[k] = v
}

// Get returns the value remembered under k.
func (w *Window[K, V]) Get(k K) (V, bool) {
	v, ok := w.vals[k]
	return v, ok
}

// Len returns how many keys the window remembers.
func (w *Window[K, V]) Len() int { return len(w.vals) }

// Reset forgets every key, keeping the memory for reuse.
func (w *Window[K, V]) Reset() {
	clear(w.vals)
	w.keys, w.next = w.keys[:0], 0
}
