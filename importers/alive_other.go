//go:build !unix

package importers

// processAlive cannot tell on this system, so it says yes: a leftover is
// then kept rather than risk removing the work of a running process.
func processAlive(int) bool { return true }
