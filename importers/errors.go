package importers

import (
	"errors"
	"fmt"

	"github.com/chatferry/chatferry/model"
)

// ParseError is a problem at a place in the input. Readers return it from
// Next for a bad record and go on after it, unless Fatal is set: then the
// input cannot be read further and Next keeps returning the error.
type ParseError struct {
	Pos    model.Pos
	Column int // 1-based, 0 when unknown
	Err    error
	Fatal  bool
}

func (e *ParseError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Pos, e.Column, e.Err)
	}
	if e.Pos.IsZero() {
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %v", e.Pos, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Errorf returns a *ParseError at pos.
func Errorf(pos model.Pos, format string, args ...any) error {
	return &ParseError{Pos: pos, Err: fmt.Errorf(format, args...)}
}

// Recoverable reports whether a reader can go on after err: it is a
// *ParseError that is not Fatal.
func Recoverable(err error) bool {
	var pe *ParseError
	return errors.As(err, &pe) && !pe.Fatal
}

// ErrNotRecognised is what every *NotRecognisedError matches with
// errors.Is: the input is not in the format that was asked for, or in none
// that chatferry knows.
var ErrNotRecognised = errors.New("input not recognised")

// NotRecognisedError says that an input is not in a format chatferry can
// read, and what was expected instead.
type NotRecognisedError struct {
	Path   string
	Reason string
}

func (e *NotRecognisedError) Error() string {
	return fmt.Sprintf("%s: not recognised: %s", e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrNotRecognised) true.
func (e *NotRecognisedError) Is(target error) bool { return target == ErrNotRecognised }

// ErrDamaged is matched by errors about an input of a known kind that is
// damaged: a zip that cannot be read, an encrypted backup whose checksum
// fails. Like a not recognised input, it is the input's fault, not the
// work's.
var ErrDamaged = errors.New("damaged")

// ErrEncrypted is matched by errors about an input whose content is
// encrypted in a way chatferry does not read, such as a zip protected by
// a password.
var ErrEncrypted = errors.New("encrypted")

// ErrLimit is matched by errors that stop an input for exceeding a bound
// of Limits.
var ErrLimit = errors.New("input exceeds a safety limit")
