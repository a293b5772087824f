package sqlite_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// Messages are added many to a statement. An update whose new messages
// lie between ones the archive has gives what a fresh conversion gives,
// replies to either kind included, with the new messages numbered in
// input order.
func TestUpdateBetweenKnownMessages(t *testing.T) {
	requireFTS5(t)
	at := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	items := func(keep func(i int) bool) []model.Item {
		out := []model.Item{chat("Mixed")}
		for i := range 200 {
			if !keep(i) {
				continue
			}
			m := msg(fmt.Sprint(i), at.Add(time.Duration(i)*time.Minute), []string{"a", "b"}[i%2], fmt.Sprint("message ", i))
			if i%7 == 0 && i%3 != 0 { // new in the update; it answers a new message or a known one
				m.ReplyTo = model.MessageID(fmt.Sprint(i - 1))
			}
			if i%5 == 0 { // known or new
				m.Reactions = []model.Reaction{{Emoji: "👍", Sender: "b"}}
			}
			out = append(out, m)
		}
		return out
	}
	all := func(int) bool { return true }
	fresh := filepath.Join(t.TempDir(), "out.db")
	export(t, fresh, items(all), exporters.Options{})

	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, items(func(i int) bool { return i%3 == 0 }), exporters.Options{})
	rep := export(t, out, items(all), exporters.Options{})
	if l, w := logical(t, out), logical(t, fresh); l != w {
		t.Errorf("updated archive differs from a fresh one:\n%s", importertest.FirstDiff([]byte(w), []byte(l)))
	}
	db := openDB(t, out)
	if n := count(t, db, "SELECT messages FROM imports WHERE id = 2"); n != 133 {
		t.Errorf("the update added %d messages, want 133", n)
	}
	if n := count(t, db, `SELECT count(*) FROM messages a JOIN messages b ON a.id < b.id AND a.instant > b.instant
		WHERE a.import_id = 2 AND b.import_id = 2`); n != 0 {
		t.Errorf("%d pairs of new messages are numbered out of input order", n)
	}
	if n := count(t, db, "SELECT count(*) FROM replies WHERE reply_to IS NULL"); n != 0 {
		t.Errorf("%d replies lost their message", n)
	}
	if n := count(t, db, "SELECT count(*) FROM reactions"); n != 40 {
		t.Errorf("%d reactions, want 40", n)
	}
	if !hasNote(rep, "67 messages were already in the archive") {
		t.Errorf("the report does not count the messages already there: %q", rep.Notes())
	}
}

// When the counts of a day were forgotten (see keyMaker.next), a message
// equal to an earlier one of the same input in the same minute is still
// added, in its place in the input; converting the input again changes
// nothing.
func TestForgottenCount(t *testing.T) {
	requireFTS5(t)
	day0 := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	items := []model.Item{chat("Clock"), msg("first", day0, "a", "ok")}
	var want []string
	want = append(want, "ok")
	for d := 1; d <= 40; d++ {
		items = append(items, msg(fmt.Sprint(d), day0.Add(time.Duration(d)*24*time.Hour), "b", fmt.Sprint("day ", d)))
		want = append(want, fmt.Sprint("day ", d))
	}
	items = append(items, msg("again", day0, "a", "ok"), msg("last", day0.Add(41*24*time.Hour), "b", "the end"))
	want = append(want, "ok", "the end")

	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, items, exporters.Options{})
	db := openDB(t, out)
	var got string
	if err := db.QueryRow("SELECT group_concat(text, '|') FROM (SELECT text FROM messages ORDER BY id)").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(want, "|"); got != w {
		t.Errorf("messages in id order:\n%s\nwant\n%s", got, w)
	}
	if n := count(t, db, "SELECT count(DISTINCT key) FROM messages WHERE text = 'ok'"); n != 2 {
		t.Errorf("%d keys for the two messages 'ok', want 2", n)
	}
	db.Close()
	sum := fileSum(t, out)
	export(t, out, items, exporters.Options{})
	if fileSum(t, out) != sum {
		t.Error("converting the same input again changed the archive")
	}
}

// Reactions are added many to a statement too: in the order they came,
// a repeated one once.
func TestManyReactions(t *testing.T) {
	requireFTS5(t)
	at := model.Floating(2024, 5, 1, 10, 0, 0, 0, model.PrecisionMinute)
	items := []model.Item{chat("Reactions")}
	var want []string
	for i := range 50 {
		m := msg(fmt.Sprint(i), at.Add(time.Duration(i)*time.Minute), "a", fmt.Sprint("message ", i))
		for j := range i % 3 * 20 { // 0, 20 or 40 reactions
			e := fmt.Sprintf("%d-%d", i, j)
			m.Reactions = append(m.Reactions, model.Reaction{Emoji: e, Sender: "b"})
			want = append(want, e)
		}
		if i%3 == 1 {
			m.Reactions = append(m.Reactions, m.Reactions[0]) // the same reaction twice
		}
		items = append(items, m)
	}
	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, items, exporters.Options{})
	db := openDB(t, out)
	var got string
	if err := db.QueryRow(`SELECT group_concat(r.emoji, ' ') FROM (SELECT emoji FROM reactions ORDER BY id) r`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(want, " "); got != w {
		t.Errorf("reactions in id order:\n%s\nwant\n%s", got, w)
	}
	if n := count(t, db, `SELECT count(*) FROM reactions r JOIN messages m ON m.id = r.message_id
		WHERE r.emoji NOT LIKE substr(m.text, 9) || '-%'`); n != 0 {
		t.Errorf("%d reactions belong to another message", n)
	}
}
