// Command chatferry converts WhatsApp chat histories (and other chat
// exports) into formats other messengers and archives ingest.
//
// Each command lives in its own file: newXCommand builds the cobra
// command, runX does the work and is what the tests call. Exit codes are
// decided in one place, exitCode, and documented in the root help.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/chatferry/chatferry/exporters"
	_ "github.com/chatferry/chatferry/exporters/all"
	"github.com/chatferry/chatferry/importers"
	_ "github.com/chatferry/chatferry/importers/all"
)

// streams are the command's standard streams, injectable for tests.
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// ErrTTY reports whether Err is a terminal (progress bars go there).
	ErrTTY bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()
	code := run(ctx, os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, ErrTTY: isTerminal(os.Stderr)})
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit code. A panic is a
// bug in chatferry: it is reported in one line, never as a stack trace.
func run(ctx context.Context, args []string, s streams) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(s.Err, "chatferry: internal error: %v\nPlease report this, with the command you ran.\n", p)
			code = exitFailure
		}
	}()
	// Copies of inputs that a killed run left in the temporary folder go
	// first, once a run, however many inputs it reads.
	importers.RemoveStaleTemp()
	root := newRootCommand(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil {
		var ie *interruptedError
		if errors.As(err, &ie) && ie.kept > 0 {
			fmt.Fprintf(s.Err, "chatferry: interrupted; kept the %s finished before, wrote nothing else\n", exporters.Count(ie.kept, "output", "outputs"))
		} else {
			fmt.Fprintln(s.Err, "chatferry: interrupted; nothing was written")
		}
		return exitFailure
	}
	fmt.Fprintln(s.Err, "chatferry: "+err.Error())
	return exitCode(err)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
