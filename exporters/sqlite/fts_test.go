package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/exporters"
)

// A run raises FTS5's hashsize while it indexes its messages; the
// archive's own FTS5 settings are as they were when it commits, and the
// index is whole.
func TestFTSSettingsKept(t *testing.T) {
	requireFTS5(t)
	opts := exporters.Options{TZ: berlin(t), Me: "Ben Sample"}
	out := filepath.Join(t.TempDir(), "out.db")
	export(t, out, older(sampleItems(t), 5), opts)
	config := func() string {
		db := openDB(t, out)
		rows, err := db.Query("SELECT k, v FROM messages_fts_config ORDER BY k")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var s string
		for rows.Next() {
			var k string
			var v any
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			s += k + "=" + formatCell(v) + " "
		}
		return s
	}
	if got := config(); got != "version=4 " {
		t.Errorf("a new archive's FTS5 settings: %q, want only the version", got)
	}

	// Someone tuned the index of their archive: an update keeps it.
	db := openRW(t, out, "rw")
	if _, err := db.Exec("INSERT INTO messages_fts(messages_fts, rank) VALUES ('hashsize', 4096)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	export(t, out, sampleItems(t), opts)
	if got := config(); got != "hashsize=4096 version=4 " {
		t.Errorf("after an update the FTS5 settings are %q, want the archive's own", got)
	}
	db = openRW(t, out, "rw")
	if _, err := db.Exec("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Errorf("the full-text index does not match the messages: %v", err)
	}
	found := count(t, db, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'holiday OR hostel'")
	want := count(t, db, "SELECT count(*) FROM messages WHERE text LIKE '%holiday%' OR text LIKE '%hostel%'")
	if found != want || want == 0 {
		t.Errorf("%d messages found, want %d", found, want)
	}
}
