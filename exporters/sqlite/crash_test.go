package sqlite

import (
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

const crashEnv = "CHATFERRY_SQLITE_CRASH_ARCHIVE"

// requireFTS5 skips (fails in CI) when the test binary was built without
// the sqlite_fts5 tag.
func requireFTS5(t testing.TB) {
	t.Helper()
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var on int
	if err := db.QueryRow("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&on); err != nil {
		t.Fatal(err)
	}
	if on == 0 {
		importertest.Missing(t, "SQLite's FTS5 is not compiled in: run the tests with -tags sqlite_fts5")
	}
}

// crashChat is a chat with a picture; its messages are numbered from
// first.
func writeCrashChat(w *Writer, first, n int) error {
	c := &model.Chat{ID: "c", Title: "Crash", Kind: model.Direct, Format: "test", Source: "crash.txt",
		Participants: []model.Participant{{ID: "a", Name: "Ann"}, {ID: "b", Name: "Ben"}},
		Media:        fstest.MapFS{"pic.jpg": {Data: []byte(fmt.Sprint("picture ", first))}}}
	if err := w.WriteChat(c); err != nil {
		return err
	}
	t0 := model.Floating(2024, 1, 1, 0, 0, 0, 0, model.PrecisionMinute)
	for i := first; i < first+n; i++ {
		m := &model.Message{ID: model.MessageID(fmt.Sprint(i)), Time: t0.Add(time.Duration(i) * time.Minute),
			Sender: "a", Kind: model.KindText, Text: fmt.Sprintf("message number %d with some words in it", i)}
		if i == first {
			m.Kind = model.KindMedia
			m.Attachments = []model.Attachment{{Name: fmt.Sprintf("pic-%d.jpg", first), Path: "pic.jpg"}}
		}
		if err := w.WriteMessage(m); err != nil {
			return err
		}
	}
	return nil
}

// folderState describes every file in dir with its SHA-256, and every
// folder, so that a test can tell whether a run changed anything.
func folderState(t testing.TB, dir string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out = append(out, rel+"/")
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %x", rel, sha256.Sum256(data)))
		return nil
	})
	return strings.Join(out, "\n")
}

// A run killed in the middle of its transaction, after SQLite wrote some
// of its pages into the archive, leaves a journal from which the next
// opener restores the archive byte for byte; the next run clears what the
// killed one left beside it.
func TestKilledRun(t *testing.T) {
	requireFTS5(t)
	if testing.Short() {
		t.Skip("starts a process")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.db")
	// run converts the same 1,000 messages into out.
	run := func() {
		t.Helper()
		w, err := Open(out, exporters.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := writeCrashChat(w, 0, 1000); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	run()
	before := folderState(t, dir)

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
	cmd.Env = append(os.Environ(), crashEnv+"="+out)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := out + ".ready"
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the helper did not get ready: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	os.Remove(ready)
	if fi, err := os.Stat(out + "-journal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the killed run left no hot journal (%v); the test did not interrupt a write", err)
	}
	if folderState(t, dir) == before {
		t.Fatal("the killed run wrote nothing the test could see; it did not interrupt a write")
	}

	// The next run rolls the journal back, adds nothing and removes the
	// killed run's staging folder and spill file.
	run()
	if after := folderState(t, dir); after != before {
		t.Errorf("after the killed run the folder holds:\n%s\nwant:\n%s", after, before)
	}
}

// TestCrashHelper is the process TestKilledRun kills: it adds many
// messages with a tiny page cache, so that SQLite writes pages into the
// archive before the commit, says it is ready and waits.
func TestCrashHelper(t *testing.T) {
	out := os.Getenv(crashEnv)
	if out == "" {
		t.Skip("the process TestKilledRun starts")
	}
	cacheKiB = 64
	w, err := Open(out, exporters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := writeCrashChat(w, 1000, 20000); err != nil {
		t.Fatal(err)
	}
	w.replies.w.Flush()
	if err := os.WriteFile(out+".ready", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute)
	t.Fatal("not killed")
}
