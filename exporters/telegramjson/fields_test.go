package telegramjson_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/importers/importertest"
)

// inputs are the exports the field tests write.
var inputs = []string{"", "../whatsapp/testdata/direct.json", "../whatsapp/testdata/edge.json", "../telegramimport/testdata/hostile.json"}

func export(t *testing.T, input string) string {
	t.Helper()
	if input == "" {
		input = exportertest.Sample(t)
	}
	f, err := exporters.Lookup("telegram-json")
	if err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	items := exportertest.Input(t, input, "json")
	out, _ := exportertest.Write(t, f, items, exporters.Options{TZ: berlin})
	return out
}

type doc map[string]any

func load(t *testing.T, path string) doc {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d doc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

// chatsOf returns the chat objects of either form.
func chatsOf(d doc) []map[string]any {
	if _, ok := d["messages"]; ok {
		return []map[string]any{d}
	}
	var out []map[string]any
	for _, k := range []string{"chats", "left_chats"} {
		if c, ok := d[k].(map[string]any); ok {
			for _, x := range c["list"].([]any) {
				out = append(out, x.(map[string]any))
			}
		}
	}
	return out
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	case []any:
		return "array"
	}
	return "object"
}

// shapes collects "type.key: kind" for every message key of a document.
func shapes(d doc, into map[string]bool) {
	for _, c := range chatsOf(d) {
		for k, v := range c {
			if k != "messages" {
				into["chat."+k+": "+kind(v)] = true
			}
		}
		for _, m := range c["messages"].([]any) {
			msg := m.(map[string]any)
			for k, v := range msg {
				into[msg["type"].(string)+"."+k+": "+kind(v)] = true
			}
		}
	}
}

// writerOnly lists keys Telegram Desktop's writer (export_output_json.cpp)
// emits that none of the 17 corpus samples happens to hold.
var writerOnly = map[string]string{
	"message.reactions: array":                "reactions, written since Telegram Desktop 5.5.5",
	"service.information_text: string":        "custom service actions (ActionCustomAction)",
	"message.contact_vcard_file_size: number": "written with contact_vcard by current versions",
	"message.place_name: string":              "venues",
	"message.address: string":                 "venues",
	"message.photo_file_size: number":         "written with every photo by current versions (the corpus shows it on service photos)",
	"message.forwarded_from: null":            "a forward whose origin has no name",
}

// Every key the exporter writes, with the kind of its value, is one the
// corpus samples of real Telegram Desktop exports show (or one the writer
// is known to emit).
func TestFieldsMatchCorpus(t *testing.T) {
	dir := importertest.Corpus(t, "telegram-json/chat-history-manager")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	real := map[string]bool{}
	for _, f := range files {
		shapes(load(t, f), real)
	}
	if len(real) < 50 {
		t.Fatalf("only %d key shapes in the corpus", len(real))
	}
	for _, in := range inputs {
		ours := map[string]bool{}
		shapes(load(t, filepath.Join(export(t, in), "result.json")), ours)
		var bad []string
		for k := range ours {
			if !real[k] && writerOnly[k] == "" {
				bad = append(bad, k)
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s: keys no Telegram export shows:\n%s", in, strings.Join(bad, "\n"))
		}
	}
}

// The keys signalbackup-tools reads (importtelegramjson.cc, tgimportmessages.cc)
// are all there: chat id, name and type; message id, type, date_unixtime,
// from, from_id, text_entities; media paths that exist beside result.json;
// replies that name a message of the chat; reactions with recent senders.
func TestSignalbackupToolsFields(t *testing.T) {
	for _, in := range inputs {
		out := export(t, in)
		d := load(t, filepath.Join(out, "result.json"))
		if _, single := d["messages"]; !single {
			pi, ok := d["personal_information"].(map[string]any)
			if !ok || pi["user_id"] == nil {
				t.Errorf("%s: the account form has no personal_information.user_id", in)
			}
		}
		for _, c := range chatsOf(d) {
			typ, _ := c["type"].(string)
			if typ != "personal_chat" && typ != "private_group" && typ != "saved_messages" {
				t.Errorf("%s: chat type %q is not one signalbackup-tools imports", in, typ)
			}
			if _, ok := c["id"].(float64); !ok {
				t.Errorf("%s: chat without a numeric id", in)
			}
			if _, ok := c["name"].(string); !ok && typ != "saved_messages" {
				t.Errorf("%s: chat without a name", in)
			}
			ids := map[float64]bool{}
			for _, m := range c["messages"].([]any) {
				msg := m.(map[string]any)
				ids[msg["id"].(float64)] = true
				if msg["type"] != "message" {
					continue
				}
				for _, k := range []string{"id", "date_unixtime", "from", "from_id", "text_entities"} {
					if _, ok := msg[k]; !ok {
						t.Errorf("%s: message %v has no %s", in, msg["id"], k)
					}
				}
				if u, _ := msg["date_unixtime"].(string); len(u) < 9 {
					t.Errorf("%s: message %v: date_unixtime %q", in, msg["id"], u)
				}
				if f, _ := msg["from_id"].(string); !strings.HasPrefix(f, "user") {
					t.Errorf("%s: message %v: from_id %q", in, msg["id"], f)
				}
				for _, k := range []string{"photo", "file", "contact_vcard"} {
					p, ok := msg[k].(string)
					if !ok || strings.HasPrefix(p, "(") {
						continue
					}
					if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
						t.Errorf("%s: message %v: %s %q is not beside result.json", in, msg["id"], k, p)
					}
				}
				if r, ok := msg["reply_to_message_id"].(float64); ok && !ids[r] {
					t.Errorf("%s: message %v replies to %v, which comes nowhere before it", in, msg["id"], r)
				}
				if rs, ok := msg["reactions"].([]any); ok {
					for _, r := range rs {
						for _, rc := range r.(map[string]any)["recent"].([]any) {
							if f, _ := rc.(map[string]any)["from_id"].(string); !strings.HasPrefix(f, "user") {
								t.Errorf("%s: message %v: reaction without from_id", in, msg["id"])
							}
						}
					}
				}
			}
		}
	}
}
