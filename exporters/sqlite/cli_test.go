package sqlite_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// cli runs the stock sqlite3 program on the archive and returns what it
// prints.
func cli(t *testing.T, tool, db, query string) string {
	t.Helper()
	out, err := exec.Command(tool, "-batch", "-bail", db, query).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3 %q: %v\n%s", query, err, out)
	}
	return string(out)
}

// The archive works in the stock sqlite3 program: full-text search, the
// documented queries, and the triggers that keep the index in step with
// rows added or removed by hand.
func TestSQLiteCLI(t *testing.T) {
	requireFTS5(t)
	tool := importertest.Tool(t, "sqlite3")
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	export(t, out, sampleItems(t), exporters.Options{TZ: berlin(t), Me: "Ben Sample"})
	c := chat("Köln")
	export(t, out, []model.Item{c,
		msg("1", model.Floating(2024, 6, 1, 20, 0, 0, 0, model.PrecisionMinute), "a", "Wir fahren nach Köln, ins Café"),
		msg("2", model.Floating(2024, 6, 1, 20, 1, 0, 0, model.PrecisionMinute), "b", "Holidays!")},
		exporters.Options{TZ: berlin(t)})

	for _, c := range []struct{ query, want string }{
		{`PRAGMA application_id; PRAGMA user_version;`, "1128682073\n1\n"},
		{`PRAGMA integrity_check;`, "ok\n"},
		{`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1); SELECT 'fts ok';`, "fts ok\n"},
		{`SELECT m.time, p.name, m.text FROM messages_fts f JOIN messages m ON m.id = f.rowid
			LEFT JOIN participants p ON p.id = m.sender_id WHERE messages_fts MATCH 'holiday' ORDER BY m.instant;`,
			"2024-03-01T09:16:00|Ann Example|Hi Ben! Are we still on for the holiday? 🌴\n"},
		// Diacritics are folded, prefixes match.
		{`SELECT text FROM messages_fts WHERE messages_fts MATCH 'koln AND cafe';`, "Wir fahren nach Köln, ins Café\n"},
		{`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'holiday*';`, "2\n"},
		{`SELECT highlight(messages_fts, 0, '[', ']') FROM messages_fts WHERE messages_fts MATCH 'hostel' ORDER BY rank;`,
			"[Hostel] is fine\n"},
		// The timeline view, in time order across chats.
		{`SELECT chat, sender, text FROM timeline WHERE text LIKE 'H%' ORDER BY instant;`,
			"Trip 2024 ✈️|Carla Example|Hello all 👋 *bold* _italic_ ~strike~\n" +
				"Trip 2024 ✈️|Carla Example|Hostel is fine\n" +
				"Ann Example|Ann Example|Hi Ben! Are we still on for the holiday? 🌴\n" +
				"Köln|Ben|Holidays!\n"},
		// Replies, reactions, attachments and polls by join.
		{`SELECT r.quote_text, t.text FROM replies r JOIN messages t ON t.id = r.reply_to ORDER BY r.message_id;`,
			"The beach|The beach\n|Where do we stay?\n"},
		{`SELECT x.emoji, p.name FROM reactions x JOIN participants p ON p.id = x.sender_id ORDER BY x.id;`,
			"❤️|Ann Example\n👍|Ann Example\n😂|Ben Sample\n"},
		{`SELECT o.text, o.votes, group_concat(p.name, '+') FROM poll_options o LEFT JOIN poll_votes v USING (message_id, position)
			LEFT JOIN participants p ON p.id = v.participant_id GROUP BY o.message_id, o.position ORDER BY o.position;`,
			"Hostel|2|Ann Example+Carla Example\nHotel|1|Ben Sample\n"},
		{`SELECT path FROM attachments WHERE path IS NOT NULL ORDER BY id;`,
			"out-media/Ann Example/IMG-20240301-WA0001.png\nout-media/Ann Example/Carla Example.vcf\n"},
		{`SELECT title, (SELECT count(*) FROM messages m WHERE m.chat_id = c.id) FROM chats c ORDER BY id;`,
			"Ann Example|15\nTrip 2024 ✈️|10\nKöln|2\n"},
		{`SELECT id, tz, chats, messages FROM runs;`, "1|Europe/Berlin|2|25\n2|Europe/Berlin|1|2\n"},
	} {
		if got := cli(t, tool, out, c.query); got != c.want {
			t.Errorf("%s\ngot:\n%s\nwant:\n%s", c.query, got, c.want)
		}
	}

	// Rows added, changed and removed by hand stay searchable correctly.
	cli(t, tool, out, `INSERT INTO messages(chat_id, key, kind, text, edited, forwarded, import_id, source)
		VALUES (1, x'00', 'text', 'added by hand: zeppelin', 0, 0, 1, 'hand');`)
	if got := cli(t, tool, out, `SELECT text FROM messages_fts WHERE messages_fts MATCH 'zeppelin';`); got != "added by hand: zeppelin\n" {
		t.Errorf("a row added by hand is not found: %q", got)
	}
	cli(t, tool, out, `UPDATE messages SET text = 'changed: airship' WHERE source = 'hand';`)
	cli(t, tool, out, `DELETE FROM messages WHERE text LIKE 'Hi Ben%';`)
	for q, want := range map[string]string{
		`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'zeppelin';`:                       "0\n",
		`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'airship';`:                        "1\n",
		`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'holiday';`:                        "0\n",
		`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1); SELECT 'fts ok';`: "fts ok\n",
	} {
		if got := cli(t, tool, out, q); got != want {
			t.Errorf("%s: got %q, want %q", q, got, want)
		}
	}

	// An archive changed by hand is still updated by the next run.
	export(t, out, sampleItems(t), exporters.Options{TZ: berlin(t)})
	if got := cli(t, tool, out, `SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'holiday';`); got != "1\n" {
		t.Errorf("the message removed by hand is not back: %q", got)
	}
	if got := cli(t, tool, out, `PRAGMA integrity_check; INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1);`); strings.TrimSpace(got) != "ok" {
		t.Errorf("after the update: %s", got)
	}
}

// Every SQL example in docs/sqlite-schema.md and docs/sqlite.md runs in
// the sqlite3 program on the sample and finds something.
func TestDocumentedQueries(t *testing.T) {
	requireFTS5(t)
	tool := importertest.Tool(t, "sqlite3")
	out := filepath.Join(t.TempDir(), "archive.db")
	export(t, out, sampleItems(t), exporters.Options{TZ: berlin(t), Me: "Ben Sample"})
	n := 0
	for _, doc := range []string{"sqlite-schema.md", "sqlite.md"} {
		data, err := os.ReadFile(filepath.Join(importertest.ModuleRoot(t), "docs", doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range docQueries(string(data)) {
			n++
			if got := cli(t, tool, out, q); strings.TrimSpace(got) == "" {
				t.Errorf("%s: %s\nfinds nothing", doc, q)
			}
		}
	}
	if n < 6 {
		t.Errorf("only %d queries found in the documents", n)
	}
}

// docQueries returns the SQL of a Markdown document: its sql code blocks,
// and the quoted argument of sqlite3 in its sh blocks.
func docQueries(doc string) []string {
	var out []string
	for _, block := range strings.Split(doc, "```")[1:] {
		lang, body, _ := strings.Cut(block, "\n")
		switch lang {
		case "sql":
			out = append(out, body)
		case "sh":
			for _, part := range strings.Split(body, "sqlite3 ")[1:] {
				if _, rest, ok := strings.Cut(part, ` "`); ok {
					if q, _, ok := strings.Cut(rest, `"`); ok {
						out = append(out, q)
					}
				}
			}
		}
	}
	return out
}
