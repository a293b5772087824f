package main

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"

	"github.com/spf13/cobra"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

type validateOptions struct {
	readFlags
	inputs []string
}

func newValidateCommand(s streams) *cobra.Command {
	var o validateOptions
	c := &cobra.Command{
		Use:   "validate INPUT...",
		Short: "Check inputs and list every problem as file:line: message",
		Long: `Validate reads each INPUT completely and prints every problem it finds, one per
line as file:line: message, followed by the warnings of its chats. It exits 0
when every input is valid (warnings alone do not fail) and 3 when one is not.

` + exitCodesHelp,
		Example: `  chatferry validate export.json
  chatferry validate _chat.txt --from whatsapp --date-order dmy
  chatferry validate exports/*.zip`,
		Args: needInputs,
		RunE: func(c *cobra.Command, args []string) error {
			o.inputs = args
			return runValidate(c.Context(), o, s)
		},
	}
	o.register(c.Flags(), false)
	return c
}

func runValidate(ctx context.Context, o validateOptions, s streams) error {
	_, err := forEach(ctx, s, len(o.inputs), func(i int) error {
		return validateOne(ctx, o, s, o.inputs[i])
	}, func(failed, total int) string {
		return fmt.Sprintf("%d of %d inputs not valid (each said why above)", failed, total)
	})
	return err
}

// validateOne checks one input.
func validateOne(ctx context.Context, o validateOptions, s streams, input string) error {
	in, err := o.open(ctx, input)
	if err != nil {
		return err
	}
	defer in.Close()
	problems := 0
	report := func(pos model.Pos, format string, args ...any) {
		problems++
		msg := fmt.Sprintf(format, args...)
		if pos.IsZero() {
			fmt.Fprintf(s.Out, "%s: %s\n", input, msg)
			return
		}
		fmt.Fprintf(s.Out, "%s: %s\n", pos, msg)
	}
	// The chat's message ids are remembered by a 64-bit hash, eight bytes
	// each, so that a long chat is checked in little memory; a reply is
	// kept for the end of its chat only when its message has not come yet.
	seed := maphash.MakeSeed()
	hash := func(id model.MessageID) uint64 { return maphash.String(seed, string(id)) }
	type reply struct {
		id, to model.MessageID
		pos    model.Pos
	}
	var chat *model.Chat
	var ids map[uint64]struct{}
	var later []reply
	var warnings []string
	endChat := func() {
		for _, r := range later {
			if _, ok := ids[hash(r.to)]; !ok {
				report(r.pos, "message %s replies to %s, which is not in the chat", r.id, r.to)
			}
		}
	}
	err = in.each(func(it model.Item) {
		switch v := it.(type) {
		case *model.Chat:
			if chat != nil {
				endChat()
			}
			chat, ids, later = v, map[uint64]struct{}{}, nil
			if err := v.Check(); err != nil {
				report(model.Pos{}, "%v", err)
			}
			for _, w := range v.Warnings {
				warnings = append(warnings, w.String())
			}
		case *model.Message:
			if err := v.Check(chat); err != nil {
				report(v.Source, "%v", err)
			}
			h := hash(v.ID)
			if _, ok := ids[h]; ok {
				report(v.Source, "message id %s appears twice in chat %s", v.ID, chat.ID)
			}
			ids[h] = struct{}{}
			if v.ReplyTo != "" {
				if _, ok := ids[hash(v.ReplyTo)]; !ok {
					later = append(later, reply{v.ID, v.ReplyTo, v.Source})
				}
			}
		}
	}, func(err error) {
		problems++
		fmt.Fprintln(s.Out, err)
	})
	var pe *importers.ParseError
	if errors.As(err, &pe) { // a fatal problem is still a problem of the input
		problems++
		fmt.Fprintln(s.Out, err)
	} else if err != nil {
		return err
	}
	if chat != nil {
		endChat()
	}
	for _, w := range warnings {
		fmt.Fprintf(s.Out, "warning: %s\n", w)
	}
	if problems > 0 {
		return &importers.ParseError{Err: fmt.Errorf("%s: %s found", input, exporters.Count(problems, "problem", "problems"))}
	}
	fmt.Fprintf(s.Err, "chatferry: %s is valid (%s)\n", input, in.format.Name)
	return nil
}
