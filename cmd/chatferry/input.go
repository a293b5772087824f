package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// readFlags are the flags of every command that reads inputs.
type readFlags struct {
	from    string
	tz      string
	me      string
	formats *formatFlags
}

func (r *readFlags) register(fl *pflag.FlagSet, withExporters bool) {
	fl.StringVar(&r.from, "from", "", "input format (default: detected); see 'chatferry formats'")
	fl.StringVar(&r.tz, "tz", "", "time zone (IANA name, e.g. Europe/Berlin) that zone-less times are in (default: this machine's zone)")
	fl.StringVar(&r.me, "me", "", "your name as it appears in the chat: marks your own messages")
	r.formats = addFormatFlags(fl, withExporters)
}

// location resolves --tz.
func (r *readFlags) location() (*time.Location, error) {
	if r.tz == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(r.tz)
	if err != nil {
		return nil, usagef("unknown time zone %q for --tz: use an IANA name such as Europe/Berlin or UTC", r.tz)
	}
	return loc, nil
}

func (r *readFlags) importOptions() (importers.Options, error) {
	loc, err := r.location()
	if err != nil {
		return importers.Options{}, err
	}
	return importers.Options{Me: r.me, TZ: loc, Values: r.formats.values()}, nil
}

// open opens path for reading with the flags' format and options.
func (r *readFlags) open(ctx context.Context, path string) (*input, error) {
	opts, err := r.importOptions()
	if err != nil {
		return nil, err
	}
	return openInput(ctx, path, r.from, opts)
}

// input is one opened input and its reader.
type input struct {
	src    *importers.Source
	format *importers.Format
	reader importers.Reader
}

func (in *input) Close() {
	if in.reader != nil {
		in.reader.Close()
	}
	in.src.Close()
}

// each reads the input to its end, calling item for every item and
// problem for every bad record the reader went on after. It returns the
// error after which reading cannot go on, or nil at the end.
func (in *input) each(item func(model.Item), problem func(error)) error {
	for {
		it, err := in.reader.Next()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case importers.Recoverable(err):
			problem(err)
		case err != nil:
			return err
		default:
			item(it)
		}
	}
}

// openInput opens path and starts reading it with the named format, or the
// detected one.
func openInput(ctx context.Context, path, from string, opts importers.Options) (*input, error) {
	var f *importers.Format
	if from != "" {
		var err error
		if f, err = importers.Lookup(from); err != nil {
			return nil, unknownFormat("input", from, importers.Names())
		}
	}
	src, err := importers.OpenSource(path, importers.DefaultLimits)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file or folder", path)
		}
		return nil, err
	}
	if f == nil {
		if f, err = importers.Detect(src); err != nil {
			src.Close()
			return nil, err
		}
	}
	r, err := f.Open(ctx, src, opts)
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("%s (read as %s): %w", path, f.Name, err)
	}
	return &input{src: src, format: f, reader: r}, nil
}

// formatFlags offers every format option as a flag.
type formatFlags struct {
	strs  map[string]*string
	bools map[string]*bool
}

// addFormatFlags registers the options of every importer (and, with
// withExporters, every exporter) on fl. An option several formats share
// is one flag. Options whose name a command flag already has are skipped.
func addFormatFlags(fl *pflag.FlagSet, withExporters bool) *formatFlags {
	ff := &formatFlags{strs: map[string]*string{}, bools: map[string]*bool{}}
	users := map[string][]string{}
	opts := map[string]importers.Option{}
	add := func(format string, list []importers.Option) {
		for _, o := range list {
			users[o.Name] = append(users[o.Name], format)
			if _, ok := opts[o.Name]; !ok {
				opts[o.Name] = o
			}
		}
	}
	for _, f := range importers.Formats() {
		add("from "+f.Name, f.Options)
	}
	if withExporters {
		for _, f := range exporters.Formats() {
			add("to "+f.Name, f.Options)
		}
	}
	names := make([]string, 0, len(opts))
	for n := range opts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if fl.Lookup(n) != nil {
			continue
		}
		o := opts[n]
		help := fmt.Sprintf("%s [%s]", o.Help, strings.Join(users[n], ", "))
		if o.Bool {
			ff.bools[n] = fl.Bool(n, o.Default == "true", help)
		} else {
			ff.strs[n] = fl.String(n, o.Default, help)
		}
	}
	return ff
}

func (ff *formatFlags) values() importers.Values {
	v := importers.Values{}
	for n, p := range ff.strs {
		if *p != "" {
			v[n] = *p
		}
	}
	for n, p := range ff.bools {
		if *p {
			v[n] = "true"
		}
	}
	return v
}
