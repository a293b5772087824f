// Package importers is the contract between chatferry and its input formats,
// and the registry that holds them.
//
// Each format lives in its own package under importers/ and registers a
// Format from its init function; the package importers/all imports every
// one of them. A Format has a cheap Detect, which scores a small Probe (the
// input's name, its first KiB and the names inside a zip or folder), and an
// Open, which returns a Reader that yields the model one item at a time: a
// *model.Chat, then that chat's messages, then the next chat. Readers must
// not hold the whole history in memory, must check their context at least
// before every chat and every few thousand messages, and must not panic on
// any input.
//
// Inputs are opened read-only through Source, which makes a file, a folder
// and a zip look the same and bounds what a zip may unpack to.
package importers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// Reader yields an import one item at a time. Next returns a *model.Chat
// before the messages of that chat, and io.EOF after the last item. An
// error of type *ParseError describes one bad record: the caller may call
// Next again to go on after it. Any other error is final. Close releases
// the reader; it may be called at any time, also before io.EOF.
type Reader interface {
	Next() (model.Item, error)
	Close() error
}

// Progresser is implemented by readers that can tell how far they are, in
// bytes of work done and expected. The CLI uses it for its progress bar.
type Progresser interface {
	Progress() (done, total int64)
}

// Option documents a format-specific setting. The CLI offers each as a
// flag of the same name; formats read the value from Options.Values.
type Option struct {
	Name    string // flag name without dashes, e.g. "date-order"
	Help    string // one line
	Default string // shown in help; "" for none
	Bool    bool   // a flag without a value
}

// OptionError is a format option given a value the format cannot use (a
// mistake on the command line, which the CLI answers with its usage exit
// code), or given without the option it needs.
type OptionError struct{ Err error }

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// OptionErrorf returns an *OptionError with the message of fmt.Errorf.
func OptionErrorf(format string, args ...any) error {
	return &OptionError{fmt.Errorf(format, args...)}
}

// NoChatError is the error of a --chat value that names none of an
// input's chats: an *OptionError that lists the first twenty of them.
func NoChatError(want string, titles []string) error {
	var b strings.Builder
	for i, t := range titles {
		if i == 20 {
			fmt.Fprintf(&b, " and %d more (chatferry inspect lists them all)", len(titles)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(t))
	}
	if len(titles) == 0 {
		return OptionErrorf("--chat %q matches no chat: the input holds none", want)
	}
	return OptionErrorf("--chat %q matches no chat; give a chat's name or phone number; the chats are: %s", want, b.String())
}

// Values holds format option values by option name.
type Values map[string]string

// Get returns the value of the named option, or "".
func (v Values) Get(name string) string { return v[name] }

// Bool reports whether the named boolean option is set.
func (v Values) Bool(name string) bool {
	b, _ := strconv.ParseBool(v[name])
	return b
}

// Options are the settings of one import.
type Options struct {
	// Me names the person who made the export, when the user says so.
	Me string
	// TZ is the zone to read floating times in where a format needs
	// instants. It is never nil when the CLI calls a format.
	TZ *time.Location
	// Values holds the format's own options (see Format.Options).
	Values Values
}

// Format describes one input format.
type Format struct {
	// Name is what users type after --from: lower case, no spaces.
	Name string
	// Summary is one line for `chatferry formats`.
	Summary string
	// Options lists the format's own settings.
	Options []Option
	// Detect scores how likely it is that p is in this format: 0 means
	// no, 100 means certain. It must be cheap and must not read beyond
	// what the probe offers.
	Detect func(p *Probe) int
	// Open starts an import of src.
	Open func(ctx context.Context, src *Source, opts Options) (Reader, error)
}

// registry holds the registered input formats.
var registry = NewRegistry("importers", func(f *Format) string { return f.Name })

// Register makes a format available by name. It panics if the name is
// empty, taken, or the format lacks Detect or Open: those are programming
// mistakes.
func Register(f Format) {
	if f.Name == "" || f.Detect == nil || f.Open == nil {
		panic("importers: Register of incomplete format " + strconv.Quote(f.Name))
	}
	registry.Add(f)
}

// Formats returns the registered formats sorted by name.
func Formats() []*Format { return registry.All() }

// Names returns the registered format names, sorted.
func Names() []string { return registry.Names() }

// UnknownFormatError is returned by Lookup for a name nobody registered.
type UnknownFormatError struct {
	Name  string
	Known []string
}

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("unknown input format %q (forgotten import?); known: %s",
		e.Name, strings.Join(e.Known, ", "))
}

// Lookup returns the format registered under name.
func Lookup(name string) (*Format, error) {
	if f := registry.Get(name); f != nil {
		return f, nil
	}
	return nil, &UnknownFormatError{Name: name, Known: Names()}
}

// Detect returns the format that scores highest on src. No positive score,
// or a tie at the top, is a *NotRecognisedError that suggests --from.
func Detect(src *Source) (*Format, error) {
	p, err := src.Probe()
	if err != nil {
		return nil, err
	}
	var best []*Format
	top := 0
	for _, f := range Formats() {
		s := f.Detect(p)
		switch {
		case s <= 0 || s < top:
		case s > top:
			best, top = []*Format{f}, s
		default:
			best = append(best, f)
		}
	}
	switch len(best) {
	case 1:
		return best[0], nil
	case 0:
		reason := "it is none of the input formats (" + strings.Join(Names(), ", ") +
			"); `chatferry formats` says what each reads, and --from FORMAT says why this file is not that one"
		if n := zipsInside(p); n > 0 {
			// A folder of exports, as a user gathers them: each zip is an
			// input of its own.
			reason = fmt.Sprintf("a folder is read as one export, and this one holds %d zip files instead; "+
				"give the zips themselves as inputs (%s)", n, filepath.Join(src.Path, "*.zip"))
		}
		return nil, &NotRecognisedError{Path: src.Path, Reason: reason}
	}
	var names []string
	for _, f := range best {
		names = append(names, f.Name)
	}
	return nil, &NotRecognisedError{Path: src.Path,
		Reason: "it could be " + strings.Join(names, " or ") + "; choose one with --from"}
}

// zipsInside counts the zip files at the top of a folder's probe.
func zipsInside(p *Probe) int {
	if p.Kind != Folder {
		return 0
	}
	n := 0
	for _, e := range p.Entries {
		if !strings.Contains(e, "/") && strings.EqualFold(path.Ext(e), ".zip") {
			n++
		}
	}
	return n
}

// ReadAll drains r, calling fn for every item; it stops at the first error
// from r or fn and always closes r. Recoverable *ParseErrors are returned
// like any other error: callers that want to go on use Next themselves.
func ReadAll(r Reader, fn func(model.Item) error) (err error) {
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
}
