package importers

import (
	"sort"
	"sync"
)

// Registry holds the formats of one side of chatferry by name: importers
// keep their Formats in one, and so do exporters. It is safe for
// concurrent use; listings are sorted by name.
type Registry[F any] struct {
	side   string // "importers" or "exporters", for panics
	nameOf func(*F) string

	mu     sync.RWMutex
	byName map[string]*F
}

// NewRegistry returns an empty registry for the named side, whose formats
// are named by nameOf.
func NewRegistry[F any](side string, nameOf func(*F) string) *Registry[F] {
	return &Registry[F]{side: side, nameOf: nameOf, byName: map[string]*F{}}
}

// Add registers f under its name. A name that is taken panics: that is a
// programming mistake.
func (r *Registry[F]) Add(f F) {
	name := r.nameOf(&f)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byName[name]; dup {
		panic(r.side + ": Register called twice for format " + name)
	}
	r.byName[name] = &f
}

// All returns the registered formats sorted by name.
func (r *Registry[F]) All() []*F {
	r.mu.RLock()
	defer r.mu.RUnlock()
	list := make([]*F, 0, len(r.byName))
	for _, f := range r.byName {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool { return r.nameOf(list[i]) < r.nameOf(list[j]) })
	return list
}

// Names returns the registered names, sorted.
func (r *Registry[F]) Names() []string {
	var names []string
	for _, f := range r.All() {
		names = append(names, r.nameOf(f))
	}
	return names
}

// Get returns the format registered under name, or nil.
func (r *Registry[F]) Get(name string) *F {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byName[name]
}
