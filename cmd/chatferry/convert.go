package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

type convertOptions struct {
	readFlags
	inputs []string
	to     string
	output string
	force  bool
	quiet  bool
}

func newConvertCommand(s streams) *cobra.Command {
	var o convertOptions
	c := &cobra.Command{
		Use:   "convert INPUT... --to FORMAT [-o PATH]",
		Short: "Convert chat histories to another format",
		Long: `Convert reads each INPUT (a file, a folder or a zip; "-" is standard input),
detects its format unless --from names it, and writes it with --to.

Each input gets its own output, named after the input (an iPhone _chat.txt after
its folder), in the current folder or, when there are several inputs or the
output is a file, in the folder -o names; unless the output format merges every
input into one output (sqlite, html, signal). "-o -" writes to standard output
where the format is a single stream (json, csv, text, whatsapp). When one of
several inputs cannot be converted, chatferry says why and goes on with the
others; the exit code is that of the failure.

An output is written under a temporary name and renamed when complete: a failed
or interrupted output leaves nothing behind. An existing output is never replaced
without --force (the SQLite archive is updated in place instead, in one
transaction). --force replaces a file with a file, and a folder only with a
folder chatferry wrote (it holds a .chatferry file) or an empty one; an input,
or a folder that holds one, is never replaced.

After the conversion chatferry says on standard error what it wrote, and what
the output format could keep only partly or had to drop, by kind and count.

` + exitCodesHelp,
		Example: `  # A WhatsApp export to an offline HTML archive
  chatferry convert "WhatsApp Chat with Ann.zip" --to html -o ann-archive

  # WhatsApp exports to a backup Signal for Android restores with the recovery
  # key printed at the end (senders' numbers from your exported address book)
  chatferry convert exports/*.zip --to signal --me "Your Name" --contacts contacts.vcf -o SignalBackups

  # Many exports into one searchable SQLite archive (run again to add newer exports)
  chatferry convert exports/*.zip --to sqlite -o chats.db

  # Canonical JSON on standard output, times read in a given zone
  chatferry convert _chat.txt --to json --tz Europe/Berlin -o - | jq '.chats[0].title'`,
		Args: needInputs,
		RunE: func(c *cobra.Command, args []string) error {
			o.inputs = args
			return runConvert(c.Context(), o, s)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.to, "to", "", "output format (required); see 'chatferry formats'")
	fl.StringVarP(&o.output, "output", "o", "", `output path, or "-" for standard output (default: named after the input)`)
	fl.BoolVar(&o.force, "force", false, "replace an existing output")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	o.register(fl, true)
	return c
}

// job is one output and the inputs that go into it.
type job struct {
	output string
	inputs []string
}

func runConvert(ctx context.Context, o convertOptions, s streams) error {
	if o.to == "" {
		return usagef("convert needs --to FORMAT; known formats: %s", strings.Join(exporters.Names(), ", "))
	}
	exp, err := exporters.Lookup(o.to)
	if err != nil {
		return unknownFormat("output", o.to, exporters.Names())
	}
	if o.from != "" {
		if _, err := importers.Lookup(o.from); err != nil {
			return unknownFormat("input", o.from, importers.Names())
		}
	}
	iopts, err := o.importOptions()
	if err != nil {
		return err
	}
	jobs, err := planJobs(o, exp)
	if err != nil {
		return err
	}
	eopts := exporters.Options{Me: o.me, TZ: iopts.TZ, Values: iopts.Values, Console: s.Err}
	written, err := forEach(ctx, s, len(jobs), func(i int) error {
		return convertJob(ctx, o, s, exp, iopts, eopts, jobs[i])
	}, func(failed, total int) string {
		if failed == total {
			return fmt.Sprintf("none of the %d inputs was converted (each said why above)", total)
		}
		were := "other outputs were"
		if total-failed == 1 {
			were = "other output was"
		}
		return fmt.Sprintf("%d of %d inputs not converted (each said why above); the %d %s written",
			failed, total, total-failed, were)
	})
	if err != nil && ctx.Err() != nil && written > 0 {
		return &interruptedError{kept: written, err: err}
	}
	return err
}

// forEach does n pieces of work, one for each input (or output), and
// returns how many succeeded. With several, a piece that fails does not
// stop the others: its error is said at once and the run ends with a
// *batchError that summary words and whose failures decide the exit code.
// A usage error, which every piece would repeat, and an interrupt stop the
// run at once.
func forEach(ctx context.Context, s streams, n int, do func(i int) error, summary func(failed, total int) string) (int, error) {
	var failed []error
	for i := range n {
		err := do(i)
		switch {
		case err == nil:
			continue
		case n == 1 || ctx.Err() != nil || exitCode(err) == exitUsage:
			return i - len(failed), err
		}
		fmt.Fprintln(s.Err, "chatferry: "+err.Error())
		failed = append(failed, err)
	}
	if len(failed) > 0 {
		return n - len(failed), &batchError{msg: summary(len(failed), n), errs: failed}
	}
	return n, nil
}

// batchError ends a run of several inputs in which some failed; each
// failure was said when it happened.
type batchError struct {
	msg  string
	errs []error
}

func (e *batchError) Error() string { return e.msg }

// Unwrap gives the failures, which decide the exit code.
func (e *batchError) Unwrap() []error { return e.errs }

// interruptedError ends a conversion interrupted after kept outputs were
// complete: they stay, the one being written does not.
type interruptedError struct {
	kept int
	err  error
}

func (e *interruptedError) Error() string { return e.err.Error() }
func (e *interruptedError) Unwrap() error { return e.err }

// planJobs decides the outputs.
func planJobs(o convertOptions, exp *exporters.Format) ([]job, error) {
	if o.output == "-" {
		if !exp.Stream {
			return nil, usagef("the %s format cannot write to standard output; give -o PATH", exp.Name)
		}
		if len(o.inputs) > 1 && !exp.Merges {
			return nil, usagef("-o - takes one input for the %s format; give -o FOLDER for several", exp.Name)
		}
	}
	var jobs []job
	if exp.Merges {
		out := o.output
		if out == "" {
			out = defaultOutput(exp, o.inputs)
		}
		jobs = []job{{output: out, inputs: o.inputs}}
	} else {
		for _, in := range o.inputs {
			out := o.output
			switch {
			case out == "":
				out = defaultOutput(exp, []string{in})
			case len(o.inputs) > 1:
				if !isDir(out) {
					return nil, usagef("with several inputs, -o must name an existing folder (%s is not one)", out)
				}
				out = filepath.Join(out, defaultOutput(exp, []string{in}))
			case out != "-" && exp.Layout == exporters.FileLayout && isDir(out):
				// A file output into a folder goes inside it, as with
				// several inputs.
				out = filepath.Join(out, defaultOutput(exp, []string{in}))
			}
			jobs = append(jobs, job{output: out, inputs: []string{in}})
		}
	}
	if exp.Layout != exporters.InPlaceLayout {
		for _, j := range jobs {
			for _, in := range j.inputs {
				if replaces(j.output, in) {
					return nil, usagef("writing %s would replace the input %s; give -o another path", j.output, in)
				}
			}
		}
	}
	seen := map[string]string{}
	for _, j := range jobs {
		if prev, dup := seen[j.output]; dup {
			return nil, usagef("%s and %s would both be written to %s; convert them separately or use a merging format", prev, j.inputs[0], j.output)
		}
		seen[j.output] = j.inputs[0]
	}
	return jobs, nil
}

// replaces reports whether writing the output at out, which replaces
// whatever is there, would remove the input in: out is in itself (through
// any symbolic links), or a folder that holds it.
func replaces(out, in string) bool {
	if out == "-" || in == "-" {
		return false
	}
	oi, err := os.Stat(out)
	if err != nil {
		return false
	}
	if ii, err := os.Stat(in); err == nil && os.SameFile(oi, ii) {
		return true
	}
	if !oi.IsDir() {
		return false
	}
	ro, err1 := realPath(out)
	ri, err2 := realPath(in)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(ro, ri)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// isDir reports whether p is an existing folder (through links).
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// realPath is p made absolute with its symbolic links resolved.
func realPath(p string) (string, error) {
	p, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	return filepath.Abs(p)
}

// defaultOutput names an output after its input: "chat.zip" → "chat.json".
func defaultOutput(exp *exporters.Format, inputs []string) string {
	if exp.DefaultOutput != "" {
		return exp.DefaultOutput
	}
	if len(inputs) != 1 || inputs[0] == "-" {
		return "chatferry" + exp.Ext
	}
	base := filepath.Base(strings.TrimRight(inputs[0], `/\`))
	// An iPhone export's transcript is always _chat.txt: its output is
	// named after the folder it was unpacked into ("WhatsApp Chat - Ann"),
	// so that several of them can be converted side by side.
	if strings.EqualFold(base, "_chat.txt") {
		if abs, err := filepath.Abs(inputs[0]); err == nil {
			if dir := filepath.Base(filepath.Dir(abs)); dir != string(filepath.Separator) && dir != "." {
				return dir + exp.Ext
			}
		}
	}
	if ext := filepath.Ext(base); ext != "" && len(ext) <= 8 && !strings.ContainsAny(ext, " ") {
		base = strings.TrimSuffix(base, ext)
	}
	return base + exp.Ext
}

func convertJob(ctx context.Context, o convertOptions, s streams, exp *exporters.Format,
	iopts importers.Options, eopts exporters.Options, j job) (err error) {
	target, err := exporters.NewTarget(j.output, exp.Layout, o.force, s.Out)
	if err != nil {
		return err
	}
	for _, c := range target.Cleaned {
		if !o.quiet {
			fmt.Fprintf(s.Err, "chatferry: removed %s, left by an earlier run that was killed\n", c)
		}
	}
	rep := &exporters.Report{}
	eopts.Report = rep
	w, err := exp.New(target, eopts)
	if err != nil {
		target.Abort()
		return fmt.Errorf("%s: %w", j.output, err)
	}
	w = exporters.Counting(w, exp, rep, eopts.TZ)
	defer func() {
		if err != nil {
			w.Abort()
			target.Abort()
		}
	}()
	var warnings []string
	var from []string
	for _, path := range j.inputs {
		name, warns, err := copyInput(ctx, o, s, path, iopts, w)
		if err != nil {
			return err
		}
		from = append(from, fmt.Sprintf("%s (%s)", path, name))
		warnings = append(warnings, warns...)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("%s: %w", j.output, err)
	}
	if err := target.Commit(); err != nil {
		return err
	}
	if !o.quiet {
		printSummary(s.Err, strings.Join(from, ", "), j.output, exp.Name, rep, warnings, eopts.TZ)
	}
	return nil
}

// copyInput streams one input into w and returns the format it was read
// with and the warnings of its chats.
func copyInput(ctx context.Context, o convertOptions, s streams, path string,
	iopts importers.Options, w exporters.Writer) (string, []string, error) {
	in, err := openInput(ctx, path, o.from, iopts)
	if err != nil {
		return "", nil, err
	}
	defer in.Close()
	bar := newProgress(s, o.quiet, path, in.reader)
	defer bar.finish()
	var warnings []string
	for n := 0; ; n++ {
		it, err := in.reader.Next()
		if errors.Is(err, io.EOF) {
			return in.format.Name, warnings, nil
		}
		if err != nil {
			return "", nil, err
		}
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return "", nil, err
			}
			bar.update()
		}
		switch v := it.(type) {
		case *model.Chat:
			for _, wn := range v.Warnings {
				warnings = append(warnings, wn.String())
			}
			err = w.WriteChat(v)
		case *model.Message:
			err = w.WriteMessage(v)
		}
		if err != nil {
			return "", nil, err
		}
	}
}

func printSummary(out io.Writer, from, to, format string, rep *exporters.Report, warnings []string, loc *time.Location) {
	chats, msgs := rep.Counts()
	if to == "-" {
		to = "standard output"
	}
	fmt.Fprintf(out, "chatferry: %s → %s (%s): %s, %s\n", from, to, format,
		exporters.Count(chats, "chat", "chats"), exporters.Count(msgs, "message", "messages"))
	for _, w := range warnings {
		fmt.Fprintf(out, "  warning: %s\n", w)
	}
	if floating, ambiguous := rep.Zones(); floating > 0 {
		fmt.Fprintf(out, "  times without a zone were read as %s; --tz chooses another zone\n", exporters.ZoneName(loc, thisComputer))
		if ambiguous > 0 {
			fmt.Fprintf(out, "  warning: %s in a daylight-saving change in %s: that wall-clock time was skipped or repeated, so the instant may be off by an hour\n",
				exporters.Count(ambiguous, "message time falls", "message times fall"), exporters.ZoneName(loc, thisComputer))
		}
	}
	var kept, dropped []string
	for _, l := range rep.Losses() {
		item := exporters.Count(l.Count, l.Feature.Singular(), string(l.Feature))
		if l.Support == exporters.Partial {
			kept = append(kept, item)
		} else {
			dropped = append(dropped, item)
		}
	}
	if len(kept) > 0 {
		fmt.Fprintf(out, "  kept partly (%s cannot hold them fully): %s\n", format, strings.Join(kept, ", "))
	}
	if len(dropped) > 0 {
		fmt.Fprintf(out, "  dropped (%s cannot hold them): %s\n", format, strings.Join(dropped, ", "))
	}
	for _, n := range rep.Notes() {
		fmt.Fprintf(out, "  note: %s\n", n)
	}
}

// thisComputer is how the CLI's messages name the machine's own zone.
const thisComputer = "this computer's time zone"

// progress shows a bar on a terminal, when the reader can tell how far it
// is; otherwise it does nothing.
type progress struct {
	bar *progressbar.ProgressBar
	p   importers.Progresser
}

func newProgress(s streams, quiet bool, name string, r importers.Reader) *progress {
	p, ok := r.(importers.Progresser)
	if quiet || !s.ErrTTY || !ok {
		return &progress{}
	}
	_, total := p.Progress()
	if total <= 0 {
		return &progress{}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(s.Err),
		progressbar.OptionSetDescription(filepath.Base(name)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	return &progress{bar: bar, p: p}
}

func (p *progress) update() {
	if p.bar != nil {
		done, _ := p.p.Progress()
		p.bar.Set64(done)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
