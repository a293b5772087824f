package markdown

import "testing"

// SetPartLimits changes the size at which chat files are split, until
// the returned function restores it.
func SetPartLimits(size, max int) (restore func()) {
	oldSize, oldMax := partSize, partMax
	partSize, partMax = size, max
	return func() { partSize, partMax = oldSize, oldMax }
}

// Renderers returns the Markdown renderers the tests check against.
func Renderers(t testing.TB) map[string]func(testing.TB, []byte) string {
	m := map[string]func(testing.TB, []byte) string{}
	for _, r := range renderers(t) {
		m[r.name] = r.render
	}
	return m
}
