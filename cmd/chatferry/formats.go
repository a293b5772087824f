package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

func newFormatsCommand(s streams) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "formats [--json]",
		Short: "List the input and output formats with their options",
		Long: `Formats lists every input format (for --from) and output format (for --to),
with a one-line summary and the format's own options, which convert accepts as
flags. For outputs it also says what each can hold: full, partly, or not at all
(or whole where it can, else partly; a conversion counts each case).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runFormats(s.Out, asJSON) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	return c
}

type formatInfo struct {
	Name    string            `json:"name"`
	Summary string            `json:"summary"`
	Options []optionInfo      `json:"options"`
	Output  string            `json:"output,omitempty"`
	Stream  bool              `json:"stream,omitempty"`
	Merges  bool              `json:"merges,omitempty"`
	Support map[string]string `json:"support,omitempty"`
}

type optionInfo struct {
	Name    string `json:"name"`
	Help    string `json:"help"`
	Default string `json:"default,omitempty"`
	Bool    bool   `json:"bool,omitempty"`
}

func options(list []importers.Option) []optionInfo {
	out := []optionInfo{}
	for _, o := range list {
		out = append(out, optionInfo{Name: o.Name, Help: o.Help, Default: o.Default, Bool: o.Bool})
	}
	return out
}

func layoutName(l exporters.Layout) string {
	switch l {
	case exporters.FileLayout:
		return "file"
	case exporters.FolderLayout:
		return "folder"
	case exporters.InPlaceLayout:
		return "updated in place"
	}
	return ""
}

func runFormats(w io.Writer, asJSON bool) error {
	var ins, outs []formatInfo
	for _, f := range importers.Formats() {
		ins = append(ins, formatInfo{Name: f.Name, Summary: f.Summary, Options: options(f.Options)})
	}
	for _, f := range exporters.Formats() {
		fi := formatInfo{Name: f.Name, Summary: f.Summary, Options: options(f.Options),
			Output: layoutName(f.Layout), Stream: f.Stream, Merges: f.Merges, Support: map[string]string{}}
		for _, feat := range model.Features {
			fi.Support[string(feat)] = f.SupportOf(feat).String()
		}
		outs = append(outs, fi)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string][]formatInfo{"inputs": ins, "outputs": outs})
	}
	fmt.Fprintln(w, "Input formats (--from; detected when left out):")
	for _, f := range ins {
		printFormat(w, f)
	}
	fmt.Fprintln(w, "\nOutput formats (--to):")
	for _, f := range outs {
		printFormat(w, f)
		var kinds []string
		if f.Stream {
			kinds = append(kinds, "can write to stdout")
		}
		if f.Merges {
			kinds = append(kinds, "merges all inputs into one output")
		}
		fmt.Fprintf(w, "      output: %s", f.Output)
		if len(kinds) > 0 {
			fmt.Fprintf(w, "; %s", strings.Join(kinds, "; "))
		}
		fmt.Fprintln(w)
		var partly, varies, not []string
		for _, feat := range model.Features {
			switch f.Support[string(feat)] {
			case "partial":
				partly = append(partly, string(feat))
			case "varies":
				varies = append(varies, string(feat))
			case "dropped":
				not = append(not, string(feat))
			}
		}
		if len(varies) > 0 {
			fmt.Fprintf(w, "      keeps whole where it can, else partly: %s\n", strings.Join(varies, ", "))
		}
		if len(partly) > 0 {
			fmt.Fprintf(w, "      keeps partly: %s\n", strings.Join(partly, ", "))
		}
		if len(not) > 0 {
			fmt.Fprintf(w, "      drops: %s\n", strings.Join(not, ", "))
		}
	}
	return nil
}

func printFormat(w io.Writer, f formatInfo) {
	fmt.Fprintf(w, "  %-18s %s\n", f.Name, f.Summary)
	for _, o := range f.Options {
		flag := "--" + o.Name
		if !o.Bool {
			flag += " VALUE"
		}
		def := ""
		if o.Default != "" {
			def = fmt.Sprintf(" (default %s)", o.Default)
		}
		fmt.Fprintf(w, "      %-22s %s%s\n", flag, o.Help, def)
	}
}
