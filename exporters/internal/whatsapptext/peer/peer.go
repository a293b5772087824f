// Package peer runs the npm whatsapp-chat-parser, the most used reader of
// WhatsApp text exports, on a transcript, for the tests of the formats
// that write one. The parser is pinned in testdata/peers and installed
// there with `npm ci` (CI does this); tests skip without it on a
// developer's machine and fail without it in CI.
package peer

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers/importertest"
)

// Message is one message as the parser reads it.
type Message struct {
	Date       time.Time // the wall-clock time of the header, in UTC
	Author     *string   // nil for a system message
	Message    string
	Attachment *string // the file name it found, if any
}

// Parse returns the parser's reading of the transcript at path, with the
// day-first date order given (the order chatferry writes).
func Parse(t testing.TB, path string) []Message {
	t.Helper()
	node := importertest.Tool(t, "node")
	root := importertest.ModuleRoot(t)
	peers := filepath.Join(root, "testdata", "peers")
	if _, err := os.Stat(filepath.Join(peers, "node_modules", "whatsapp-chat-parser")); err != nil {
		importertest.Missing(t, "whatsapp-chat-parser is not installed (run npm ci in %s)", peers)
	}
	script := filepath.Join(root, "exporters", "internal", "whatsapptext", "peer", "parse.mjs")
	cmd := exec.Command(node, script, peers, path, "daysFirst")
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("whatsapp-chat-parser: %v\n%s", err, stderr.Bytes())
	}
	var raw []struct {
		Date       *time.Time
		Author     *string
		Message    string
		Attachment *string
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatalf("whatsapp-chat-parser output: %v", err)
	}
	msgs := make([]Message, len(raw))
	for i, r := range raw {
		msgs[i] = Message{Author: r.Author, Message: r.Message, Attachment: r.Attachment}
		if r.Date != nil {
			msgs[i].Date = r.Date.UTC()
		}
	}
	return msgs
}
