package canonicaljson_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chatferry/chatferry/exporters"
	_ "github.com/chatferry/chatferry/exporters/canonicaljson"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

func TestKit(t *testing.T) {
	exportertest.Run(t, "json", exportertest.Case{ReadBack: "json"})
}

// Every export validates against the published JSON Schema.
func TestSchema(t *testing.T) {
	root := importertest.ModuleRoot(t)
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join(root, "docs", "schema", "chatferry-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := exporters.Lookup("json")
	items := exportertest.Input(t, exportertest.Sample(t), "json")
	out, _ := exportertest.Write(t, f, items, exporters.Options{})
	for _, doc := range []string{out, exportertest.Sample(t)} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s does not validate: %v", doc, err)
		}
	}
	// And the schema is not a check that cannot fail.
	bad := []string{
		`{"chatferry": 1, "chats": [{"id": "c", "title": "", "kind": "channel", "participants": [], "messages": []}]}`,
		`{"chatferry": 1, "chats": [{"id": "c", "title": "", "kind": "direct", "participants": [], "messages": [{"id": "m", "kind": "text"}]}]}`,
		`{"chatferry": 1, "chats": [{"id": "c", "title": "", "kind": "direct", "participants": [], "messages": [{"id": "m", "kind": "text", "text": "", "time": "2024-01-01 10:00"}]}]}`,
	}
	for _, b := range bad {
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(b)))
		if sch.Validate(v) == nil {
			t.Errorf("schema accepts %s", b)
		}
	}
}

// Strings are escaped exactly where JSON requires it, and stay readable.
func TestStringEscaping(t *testing.T) {
	m := &model.Message{ID: "m", Kind: model.KindText, Sender: "p",
		Text: "<b>&\"\\\n\t\x01\u2028é🌴\xff"}
	line := string(appendMessage(m))
	want := `{"id": "m", "sender": "p", "kind": "text", "text": "<b>&\"\\\n\t\u0001\u2028é🌴\ufffd"}`
	if line != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
	var back struct{ Text string }
	if err := json.Unmarshal([]byte(line), &back); err != nil {
		t.Fatal(err)
	}
	if back.Text != "<b>&\"\\\n\t\x01\u2028é🌴\uFFFD" {
		t.Errorf("decoded %q", back.Text)
	}
}
