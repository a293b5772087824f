package markdown

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

// GitHub shows a Markdown file of up to 512 KB and only the start of a
// larger one. A chat file that has grown past partSize bytes therefore
// continues in a new part at the next day, or at the next message once it
// has passed partMax; the parts link to each other.
var partSize, partMax = 400_000, 480_000

// noDay is the day before a file's first message: it never equals a day.
const noDay = "-"

// chatEntry is what the index keeps of a chat.
type chatEntry struct {
	title, kind string
	files       []string // its parts, in order
	messages    int
	first, last model.Timestamp
}

// fileName returns a safe file name for a chat titled title, unique
// without regard to case. Slashes in the title become underscores, so
// that the whole title, not its last part, names the file.
func (w *Writer) fileName(title string) string {
	stem := exporters.SafeName(strings.NewReplacer("/", "_", `\`, "_").Replace(title))
	for i := 1; ; i++ {
		name := stem + ".md"
		if i > 1 {
			name = stem + "-" + strconv.Itoa(i) + ".md"
		}
		if !w.taken[strings.ToLower(name)] {
			w.taken[strings.ToLower(name)] = true
			return name
		}
	}
}

// openFile creates the file name in the output and makes it the one
// being written.
func (w *Writer) openFile(name string) error {
	f, err := os.OpenFile(filepath.Join(w.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.f, w.w, w.size = f, bufio.NewWriterSize(f, 64<<10), 0
	return nil
}

// closeFile flushes and closes the file being written.
func (w *Writer) closeFile() error {
	err := w.w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f, w.w = nil, nil
	return err
}

// nextPart ends the open chat's file with a link to a new part, and
// starts that part with the chat's header and a link back.
func (w *Writer) nextPart() error {
	e := &w.chats[len(w.chats)-1]
	prev, n := e.files[len(e.files)-1], len(e.files)+1
	name := w.fileName(e.title + " (part " + strconv.Itoa(n) + ")")
	fmt.Fprintf(w.w, "---\n\nContinued in [part %d](%s).\n", n, linkPath(name))
	if err := w.closeFile(); err != nil {
		return err
	}
	if err := w.openFile(name); err != nil {
		return err
	}
	e.files = append(e.files, name)
	w.day = noDay
	return w.write(w.appendHeader(w.b[:0], true, n, prev))
}

// endChat finishes the open chat's file.
func (w *Writer) endChat() error {
	if w.chat == nil {
		return nil
	}
	if !w.header {
		w.writeHeader(nil)
		w.w.WriteString("*No messages.*\n")
	}
	w.chat = nil
	return w.closeFile()
}

// index returns the README that lists the chats.
func (w *Writer) index() []byte {
	b := []byte("# Chats\n\n")
	if len(w.chats) == 0 {
		return append(b, "*No chats.*\n"...)
	}
	b = append(b, "Written by chatferry: one file per chat (a long chat in parts), media files in the "+MediaFolder+" folder.\n\n"...)
	clock := w.d.Clock
	for _, e := range w.chats {
		b = append(b, "- ["...)
		b = appendLine(b, e.title, false, false)
		b = append(b, "]("+linkPath(e.files[0])+") — "+e.kind+", "...)
		b = strconv.AppendInt(b, int64(e.messages), 10)
		if e.messages == 1 {
			b = append(b, " message"...)
		} else {
			b = append(b, " messages"...)
		}
		if !e.first.IsZero() {
			b = append(b, ", "+clock.Date(e.first)...)
			if last := clock.Date(e.last); last != clock.Date(e.first) {
				b = append(b, " to "+last...)
			}
		}
		if len(e.files) > 1 {
			b = append(b, ", in parts"...)
			for i, f := range e.files {
				b = fmt.Appendf(b, " [%d](%s)", i+1, linkPath(f))
			}
		}
		b = append(b, '\n')
	}
	return b
}
