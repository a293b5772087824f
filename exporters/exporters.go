// Package exporters is the contract between chatferry and its output
// formats, and the registry that holds them.
//
// Each format lives in its own package under exporters/ and registers a
// Format from its init function; the package exporters/all imports every
// one of them. A format's Writer receives the model one item at a time (a
// chat, then its messages) and must not keep the history in memory. It
// writes through a Target, which puts the output under a temporary name
// next to the destination; the caller renames it into place only after
// Close succeeds, so a failed or interrupted run leaves nothing behind.
//
// Formats declare which model features they represent (Support). The
// caller counts, per feature, what a conversion kept only partly or
// dropped, and writers add what they drop for their own reasons to the
// Report.
package exporters

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// Writer writes one output. WriteChat opens a chat; the WriteMessage calls
// that follow belong to it. Close finishes the output; after it returns
// nil the caller commits the Target. Abort gives up: it releases
// everything, and the caller discards the Target.
type Writer interface {
	WriteChat(c *model.Chat) error
	WriteMessage(m *model.Message) error
	Close() error
	Abort()
}

// Layout says what an output is on disk.
type Layout int

// The layouts.
const (
	// FileLayout is one file; with Stream it can also go to stdout.
	FileLayout Layout = iota + 1
	// FolderLayout is a folder written as a whole.
	FolderLayout
	// InPlaceLayout is an output the format updates itself, atomically
	// (for instance one transaction of a database). The Target gives
	// only its path; an existing output is updated, not replaced.
	InPlaceLayout
)

// Support grades how well a format represents a feature.
type Support int

// The support levels. A feature a format does not list is Dropped.
const (
	Dropped Support = iota // left out of the output
	Partial                // kept in a weaker form, e.g. as text
	Full                   // kept as such

	// Varies: kept as such where the output can hold the message's use of
	// the feature whole, else in a weaker form. The format's writer
	// reports each use it keeps only partly (Report.Degrade); the counting
	// that New's caller does for Partial would count them all.
	Varies
)

func (s Support) String() string {
	switch s {
	case Full:
		return "full"
	case Partial:
		return "partial"
	case Varies:
		return "varies"
	}
	return "dropped"
}

// Option documents a format-specific setting; see importers.Option.
type Option = importers.Option

// Values holds format option values by option name.
type Values = importers.Values

// OptionError is an option value the format cannot use, or an option
// given without the one it needs: a mistake on the command line.
type OptionError = importers.OptionError

// OptionErrorf returns an *OptionError with the message of fmt.Errorf.
func OptionErrorf(format string, args ...any) error { return importers.OptionErrorf(format, args...) }

// Options are the settings of one export.
type Options struct {
	// Me names the person whose messages are their own ("outgoing").
	Me string
	// TZ is the zone floating times are read in where a format needs
	// instants. It is never nil when the CLI calls a format.
	TZ *time.Location
	// Values holds the format's own options (see Format.Options).
	Values Values
	// Report collects what the writer dropped for its own reasons. It is
	// never nil when the CLI calls a format.
	Report *Report
	// Console is where a writer prints what the user must read even with
	// --quiet, such as a generated recovery key (the CLI passes stderr;
	// stdout carries only the requested output). It may be nil in tests.
	Console io.Writer
}

// Format describes one output format.
type Format struct {
	// Name is what users type after --to.
	Name string
	// Summary is one line for `chatferry formats`.
	Summary string
	// Layout says what the output is.
	Layout Layout
	// Stream is set when the output can go to stdout (-o -).
	Stream bool
	// Merges is set when one output takes every input of a conversion;
	// otherwise each input gets its own output.
	Merges bool
	// Ext is appended to an input's base name to name its default output
	// (".json", ".db", "-html").
	Ext string
	// Instants is set when the format stores instants, so floating times
	// are read in Options.TZ; the caller then reports times that a
	// daylight-saving change makes ambiguous.
	Instants bool
	// DefaultOutput, when set, is the default output name whatever the
	// inputs are called (e.g. "SignalBackups").
	DefaultOutput string
	// Support grades the features the format can represent.
	Support map[model.Feature]Support
	// Options lists the format's own settings.
	Options []Option
	// New starts an output at t.
	New func(t *Target, opts Options) (Writer, error)
}

// SupportOf returns how the format represents f.
func (f *Format) SupportOf(feat model.Feature) Support { return f.Support[feat] }

// registry holds the registered output formats.
var registry = importers.NewRegistry("exporters", func(f *Format) string { return f.Name })

// Register makes a format available by name. It panics if the name is
// empty or taken, or the format lacks New or Layout.
func Register(f Format) {
	if f.Name == "" || f.New == nil || f.Layout == 0 {
		panic(fmt.Sprintf("exporters: Register of incomplete format %q", f.Name))
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
	return fmt.Sprintf("unknown output format %q (forgotten import?); known: %s",
		e.Name, strings.Join(e.Known, ", "))
}

// Lookup returns the format registered under name.
func Lookup(name string) (*Format, error) {
	if f := registry.Get(name); f != nil {
		return f, nil
	}
	return nil, &UnknownFormatError{Name: name, Known: Names()}
}
