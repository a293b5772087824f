package markdown

// SetPartLimits changes the size at which chat files are split, until
// the returned function restores it.
func SetPartLimits(size, max int) (restore func()) {
	oldSize, oldMax := partSize, partMax
	partSize, partMax = size, max
	return func() { partSize, partMax = oldSize, oldMax }
}
