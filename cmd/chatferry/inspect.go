package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

type inspectOptions struct {
	readFlags
	inputs []string
	asJSON bool
}

func newInspectCommand(s streams) *cobra.Command {
	var o inspectOptions
	c := &cobra.Command{
		Use:   "inspect INPUT... [--json]",
		Short: "Show what an input holds: format, chats, people, counts, times, media, warnings",
		Long: `Inspect reads INPUT the way convert would and prints, per chat: the title and
kind, the participants, how many messages and system events it has, the first
and last time, how many attachments were found, are missing or were omitted by
the export, and warnings (for instance a guessed date order). Nothing is written.
With several inputs, each is shown in turn (--json: an array of them).

` + exitCodesHelp,
		Example: `  chatferry inspect "WhatsApp Chat with Ann.zip"
  chatferry inspect msgstore.db --from whatsapp-android --json
  chatferry inspect exports/*.zip`,
		Args: needInputs,
		RunE: func(c *cobra.Command, args []string) error {
			o.inputs = args
			return runInspect(c.Context(), o, s)
		},
	}
	c.Flags().BoolVar(&o.asJSON, "json", false, "print JSON instead of text")
	o.register(c.Flags(), false)
	return c
}

// chatSummary is what inspect reports about one chat.
type chatSummary struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Kind         string   `json:"kind"`
	Participants []string `json:"participants"`
	Me           string   `json:"me,omitempty"`
	Messages     int      `json:"messages"`
	Events       int      `json:"events"`
	First        string   `json:"first,omitempty"`
	Last         string   `json:"last,omitempty"`
	Attachments  struct {
		Found   int `json:"found"`
		Missing int `json:"missing"`
		Omitted int `json:"omitted"`
	} `json:"attachments"`
	Meta     map[string]string `json:"meta,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`

	first, last model.Timestamp
}

type inspectReport struct {
	Input    string         `json:"input"`
	Format   string         `json:"format"`
	Kind     string         `json:"kind"`
	Skipped  []string       `json:"skipped,omitempty"`
	Chats    []*chatSummary `json:"chats"`
	Problems []string       `json:"problems,omitempty"`
}

func runInspect(ctx context.Context, o inspectOptions, s streams) error {
	several := len(o.inputs) > 1
	reports := []*inspectReport{} // --json with several inputs: one array, printed at the end
	printed := false
	_, err := forEach(ctx, s, len(o.inputs), func(i int) error {
		rep, err := inspectOne(ctx, o, o.inputs[i])
		if rep == nil {
			return err
		}
		switch {
		case o.asJSON && several:
			reports = append(reports, rep)
		case o.asJSON:
			if err := printJSON(s.Out, rep); err != nil {
				return err
			}
		default:
			if printed {
				fmt.Fprintln(s.Out)
			}
			printInspect(s.Out, rep)
			printed = true
		}
		return err
	}, func(failed, total int) string {
		return fmt.Sprintf("%d of %d inputs not read completely (each said why above)", failed, total)
	})
	if o.asJSON && several && ctx.Err() == nil {
		if perr := printJSON(s.Out, reports); perr != nil {
			return perr
		}
	}
	return err
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// inspectOne reads one input and returns what it holds, with an error
// when some records could not be read; the report is nil when the input
// could not be read at all.
func inspectOne(ctx context.Context, o inspectOptions, input string) (*inspectReport, error) {
	in, err := o.open(ctx, input)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	rep := &inspectReport{Input: input, Format: in.format.Name, Kind: in.src.Kind.String(),
		Skipped: in.src.Skipped, Chats: []*chatSummary{}}
	var cur *chatSummary
	err = in.each(func(it model.Item) {
		switch v := it.(type) {
		case *model.Chat:
			cur = summarizeChat(v)
			rep.Chats = append(rep.Chats, cur)
		case *model.Message:
			cur.add(v)
		}
	}, func(err error) { rep.Problems = append(rep.Problems, err.Error()) })
	if err != nil {
		return nil, err
	}
	if len(rep.Problems) > 0 {
		return rep, &importers.ParseError{Err: fmt.Errorf("%s has %d invalid records (run 'chatferry validate %s' for the list)",
			input, len(rep.Problems), input)}
	}
	return rep, nil
}

func summarizeChat(c *model.Chat) *chatSummary {
	cs := &chatSummary{ID: string(c.ID), Title: c.Title, Kind: string(c.Kind), Meta: c.Meta, Participants: []string{}}
	for _, p := range c.Participants {
		cs.Participants = append(cs.Participants, p.Name)
		if p.Me {
			cs.Me = p.Name
		}
	}
	for _, w := range c.Warnings {
		cs.Warnings = append(cs.Warnings, w.String())
	}
	return cs
}

func (cs *chatSummary) add(m *model.Message) {
	if m.Kind == model.KindSystem {
		cs.Events++
	} else {
		cs.Messages++
	}
	for _, a := range m.Attachments {
		switch {
		case a.Omitted:
			cs.Attachments.Omitted++
		case a.Missing || a.Path == "":
			cs.Attachments.Missing++
		default:
			cs.Attachments.Found++
		}
	}
	if t := m.Time; !t.IsZero() {
		if cs.first.IsZero() || t.Before(cs.first) {
			cs.first, cs.First = t, t.String()
		}
		if cs.last.IsZero() || cs.last.Before(t) {
			cs.last, cs.Last = t, t.String()
		}
	}
}

func printInspect(w io.Writer, r *inspectReport) {
	fmt.Fprintf(w, "input:  %s (%s)\nformat: %s\nchats:  %d\n", r.Input, r.Kind, r.Format, len(r.Chats))
	for _, sk := range r.Skipped {
		fmt.Fprintf(w, "skipped zip entry %s\n", sk)
	}
	for i, c := range r.Chats {
		fmt.Fprintf(w, "\nchat %d: %s (%s)\n", i+1, c.Title, c.Kind)
		names := strings.Join(c.Participants, ", ")
		fmt.Fprintf(w, "  participants: %d: %s\n", len(c.Participants), names)
		if c.Me != "" {
			fmt.Fprintf(w, "  you:          %s\n", c.Me)
		}
		fmt.Fprintf(w, "  messages:     %d\n  events:       %d\n", c.Messages, c.Events)
		if c.First != "" {
			fmt.Fprintf(w, "  first:        %s\n  last:         %s\n", c.First, c.Last)
		}
		a := c.Attachments
		fmt.Fprintf(w, "  attachments:  %d found, %d missing, %d omitted by the export\n", a.Found, a.Missing, a.Omitted)
		for _, wn := range c.Warnings {
			fmt.Fprintf(w, "  warning:      %s\n", wn)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
}
