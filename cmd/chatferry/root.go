package main

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
)

// The exit codes, documented in the root help and the README.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the work failed: a missing file, an existing output, a write error
	exitUsage   = 2 // the command line is wrong: unknown flag, command or format
	exitInput   = 3 // an input is not recognised or not valid
)

const exitCodesHelp = `Exit codes:
  0  success
  1  failure (missing file, existing output without --force, write error, interrupt)
  2  usage error (unknown command, flag or format, or a value an option cannot take)
  3  an input is not recognised, not valid, damaged, locked by a password or over a safety limit`

// usageError marks a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode decides the exit code for an error.
func exitCode(err error) int {
	var ue usageError
	var ui *importers.UnknownFormatError
	var ue2 *exporters.UnknownFormatError
	var pe *importers.ParseError
	var oe *importers.OptionError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.As(err, &ui), errors.As(err, &ue2), errors.As(err, &oe):
		return exitUsage
	case errors.Is(err, importers.ErrNotRecognised), errors.Is(err, importers.ErrDamaged),
		errors.Is(err, importers.ErrEncrypted), errors.Is(err, importers.ErrLimit), errors.As(err, &pe):
		return exitInput
	case errors.Is(err, fs.ErrNotExist):
		return exitFailure
	}
	return exitFailure
}

func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && v == "(devel)" {
				v = "(devel) " + s.Value[:12]
			}
		}
	}
	return v
}

func newRootCommand(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "chatferry",
		Short: "Move chat histories out of WhatsApp, into Signal, Telegram and archives",
		Long: `chatferry reads chat histories — WhatsApp's "Export chat" text and zip files
in every locale, Android and iOS WhatsApp databases, Telegram and chatferry JSON —
into one neutral model, and writes them as a Signal backup, Telegram imports,
an offline HTML archive, SQLite with full-text search, CSV, Markdown, text or
chatferry's canonical JSON. It never opens a network connection.

` + exitCodesHelp,
		Example: `  chatferry convert "WhatsApp Chat with Ann.zip" --to html -o archive
  chatferry convert "WhatsApp Chat with Ann.zip" --to signal --me "Your Name" --contacts contacts.vcf
  chatferry inspect "WhatsApp Chat with Ann.txt"
  chatferry formats`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(
		newConvertCommand(s),
		newInspectCommand(s),
		newFormatsCommand(s),
		newValidateCommand(s),
	)
	// Unknown commands and wrong argument counts are usage errors too.
	for _, c := range append(root.Commands(), root) {
		if c.Args != nil {
			args := c.Args
			c.Args = func(c *cobra.Command, a []string) error {
				if err := args(c, a); err != nil {
					return usageError{err}
				}
				return nil
			}
		}
	}
	root.Args = func(c *cobra.Command, a []string) error {
		if len(a) > 0 {
			return usagef("unknown command %q (see 'chatferry --help')", a[0])
		}
		return nil
	}
	root.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	return root
}

// unknownFormat is the usage error for a format name nobody registered,
// with the names the user likely meant: those that contain it (from three
// letters on), else those at most two edits away.
func unknownFormat(kind, name string, known []string) error {
	lower := strings.ToLower(name)
	var near []string
	for _, k := range known {
		if len(lower) >= 3 && strings.Contains(k, lower) {
			near = append(near, k)
		}
	}
	if len(near) == 0 {
		for _, k := range known {
			if editDistance(lower, k) <= 2 {
				near = append(near, k)
			}
		}
	}
	hint := ""
	if len(near) > 0 {
		hint = "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return usagef("unknown %s format %q%s (known: %s)", kind, name, hint, strings.Join(known, ", "))
}

// editDistance is the number of one-letter insertions, deletions and
// changes that turn a into b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// needInputs is the argument rule of the commands that read inputs: at
// least one, and when there is none the command's usage line.
func needInputs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no input given: chatferry %s (see '%s --help')", c.Use, c.CommandPath())
	}
	return nil
}
