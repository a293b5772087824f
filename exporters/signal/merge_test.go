package signal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
	"github.com/chatferry/chatferry/exporters/signal/signalcheck"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

func msTime(ms uint64) string {
	return time.UnixMilli(int64(ms)).UTC().Format("2006-01-02T15:04:05.000Z")
}

// split returns the sample's first chat (with Ann) and second (the group).
func split(t testing.TB) (ann, group []model.Item) {
	items := sampleItems(t)
	for i, it := range items {
		if c, ok := it.(*model.Chat); ok && c.ID == "c2" {
			return items[:i], items[i:]
		}
	}
	t.Fatal("the sample has no chat c2")
	return nil, nil
}

// mergeFixture makes a backup of the chat with Ann, then merges into it
// the group and a second chat with Ann (from another export). It returns
// the SignalBackups folder and the key.
func mergeFixture(t testing.TB, dir string) (string, string) {
	os.MkdirAll(dir, 0o755)
	root := filepath.Join(dir, "SignalBackups")
	ann, group := split(t)
	key := mustExport(t, root, ann, asText)
	more := append([]model.Item{}, group...)
	more = append(more, &model.Chat{ID: "c3", Title: "Ann", Kind: model.Direct, Participants: []model.Participant{
		{ID: "a", Name: "Ann", Phone: "+44 7700 900123"}, {ID: "b", Name: "Ben Sample", Me: true}}},
		&model.Message{ID: "x1", Sender: "a", Kind: model.KindText, Text: "Back on Signal!",
			Time: model.Floating(2024, 3, 2, 8, 0, 0, 0, model.PrecisionMinute), Source: model.Pos{File: "y", Line: 1}})
	time.Sleep(1100 * time.Millisecond) // a new snapshot name
	if _, _, err := export(t, root, more, exporters.Values{optBackup: root, optKey: key, optUnmatched: "as-text"}); err != nil {
		t.Fatal(err)
	}
	return root, key
}

func TestMerge(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "SignalBackups")
	ann, group := split(t)
	key := mustExport(t, root, ann, asText)
	oldSnap, old := open(t, root, key)
	oldListing := listing(t, oldSnap.Dir)

	if _, _, err := export(t, "SignalBackups", group, exporters.Values{optBackup: dir, optKey: backup.DisplayRecoveryKey(key), optUnmatched: "as-text"}); err != nil {
		t.Fatal(err)
	}
	if got := listing(t, oldSnap.Dir); got != oldListing {
		t.Error("merging changed the old snapshot")
	}
	snaps, _ := backup.Snapshots(root)
	if len(snaps) != 2 {
		t.Fatalf("snapshots %v, want the old and a new one", snaps)
	}
	newSnap, merged := open(t, root, key)
	if newSnap.Dir == oldSnap.Dir {
		t.Fatal("the newest snapshot is the old one")
	}
	// Every old item is there, byte for byte and in its order.
	j := 0
	for _, it := range merged.Items {
		if j < len(old.Items) && bytes.Equal(it.Raw, old.Items[j].Raw) {
			j++
		}
	}
	if j != len(old.Items) {
		t.Errorf("only %d of %d old items are kept as they were", j, len(old.Items))
	}
	for id, r := range old.Recipients {
		if m := merged.Recipients[id]; m == nil || m.Kind != r.Kind || m.E164 != r.E164 {
			t.Errorf("recipient %d changed: %+v → %+v", id, r, m)
		}
	}
	// Ann is a contact already: the group does not add her again.
	contacts := 0
	for _, r := range merged.Recipients {
		if r.E164 == 447700900123 {
			contacts++
		}
	}
	if contacts != 1 {
		t.Errorf("Ann is %d contacts", contacts)
	}
	if len(merged.Items) <= len(old.Items) {
		t.Error("nothing was added")
	}
	// Items are in time order, and the old files are still listed.
	for i := 1; i < len(merged.Items); i++ {
		if merged.Items[i].DateSent < merged.Items[i-1].DateSent {
			t.Errorf("item %d is dated before item %d", i, i-1)
		}
	}
	listed := map[string]bool{}
	for _, f := range merged.Files {
		listed[f] = true
	}
	for _, f := range old.Files {
		if !listed[f] {
			t.Errorf("%s is no longer listed", f)
		}
	}
	// Merging the same chat again adds nothing: it is already there.
	time.Sleep(1100 * time.Millisecond)
	_, rep, err := export(t, root, ann, exporters.Values{optBackup: root, optKey: key, optUnmatched: "as-text"})
	if err != nil {
		t.Fatal(err)
	}
	_, again := open(t, root, key)
	if len(again.Items) != len(merged.Items) {
		t.Errorf("merging the same chat again gives %d items, had %d; notes: %q", len(again.Items), len(merged.Items), rep.Notes())
	}
	if !strings.Contains(strings.Join(rep.Notes(), "\n"), "already in the Signal backup") {
		t.Errorf("the report does not say the messages were there already: %q", rep.Notes())
	}
}

// Messages for a contact the backup has go into the existing chat.
func TestMergeIntoExistingChat(t *testing.T) {
	root, key := mergeFixture(t, t.TempDir())
	_, d := open(t, root, key)
	var chatOf = map[string]uint64{}
	for _, it := range d.Items {
		chatOf[it.Text] = it.Chat
	}
	if chatOf["Back on Signal!"] == 0 || chatOf["Back on Signal!"] != chatOf["Hi Ben! Are we still on for the holiday? 🌴"] {
		t.Errorf("the second chat with Ann went to chat %d, the first is %d", chatOf["Back on Signal!"], chatOf["Hi Ben! Are we still on for the holiday? 🌴"])
	}
}

// A wrong recovery key: a clear error, and nothing written.
func TestMergeWrongKey(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "SignalBackups")
	ann, group := split(t)
	mustExport(t, root, ann, asText)
	before := listing(t, dir)
	_, _, err := export(t, root, group, exporters.Values{optBackup: root, optKey: backup.GenerateRecoveryKey(), optUnmatched: "as-text"})
	if err == nil || !strings.Contains(err.Error(), "recovery key does not open") {
		t.Fatalf("got %v", err)
	}
	if listing(t, dir) != before {
		t.Error("a failed merge changed the folder")
	}
	_, _, err = export(t, root, group, exporters.Values{optBackup: root, optKey: "not a key"})
	if !errors.Is(err, backup.ErrRecoveryKey) {
		t.Errorf("a malformed key: %v", err)
	}
}

// plainSnapshot encrypts the unencrypted frames of file into a new
// SignalBackups folder under dir and returns it and its key.
func plainSnapshot(t testing.TB, file, dir string) (string, string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	key := backup.GenerateRecoveryKey()
	bk := backup.DeriveBackupKey(key)
	k := backup.NewKeys(bk, backup.DeriveBackupID(bk, randomUUID()))
	root := filepath.Join(dir, "SignalBackups")
	snap := filepath.Join(root, "signal-backup-2020-01-01-00-00-00")
	if err := os.MkdirAll(snap, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(snap, "main"))
	if err != nil {
		t.Fatal(err)
	}
	mw, err := backup.NewMainWriter(f, k)
	if err != nil {
		t.Fatal(err)
	}
	fr := backup.NewFrameReader(bytes.NewReader(data))
	for {
		fb, err := fr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		mw.WriteFrame(fb)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.WriteFile(filepath.Join(snap, "metadata"), backup.EncodeMetadata(k), 0o644)
	os.WriteFile(filepath.Join(snap, "files"), nil, 0o644)
	return root, key
}

// plainOf decrypts the newest snapshot's main file to its frames.
func plainOf(t testing.TB, root, key string) []byte {
	r, name, err := backup.FindRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	s, err := backup.OpenSnapshot(r, name, key)
	if err != nil {
		t.Fatal(err)
	}
	fr, closeFn, err := s.Frames()
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	var out []byte
	for {
		f, err := fr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = fmt.Appendf(out, "%s", encodeDelimited(f))
	}
}

func encodeDelimited(f []byte) []byte {
	return append(pb(nil).bytes(0, f)[1:], nil...) // a length prefix without the tag
}

// importedChat is the one chat merged into each of Signal's test backups:
// a new contact, and a message from an existing one when the backup has a
// contact with a number.
func importedChat() []model.Item {
	return []model.Item{
		&model.Chat{ID: "n", Title: "Zoe Import", Kind: model.Direct, Participants: []model.Participant{
			{ID: "z", Name: "Zoe Import", Phone: "+15550001234"}, {ID: "me", Name: "Ben Sample", Me: true}}},
		&model.Message{ID: "1", Sender: "z", Kind: model.KindText, Text: "Hello from WhatsApp",
			Time: model.Floating(2024, 5, 1, 12, 0, 0, 0, model.PrecisionMinute), Source: model.Pos{File: "n", Line: 1}},
		&model.Message{ID: "2", Sender: "me", Kind: model.KindText, Text: "Hi Zoe", ReplyTo: "1",
			Time: model.Floating(2024, 5, 1, 12, 0, 0, 0, model.PrecisionMinute), Source: model.Pos{File: "n", Line: 2},
			Reactions: []model.Reaction{{Emoji: "👍", Sender: "z"}}},
	}
}

// Every one of Signal's 604 test backups goes through merge mode: with
// nothing added its frames come back byte for byte (and compare equal in
// Signal's ComparableBackup); with one imported chat it still validates.
func TestCorpus(t *testing.T) {
	dir := importertest.Corpus(t, "signal-backup-tests/test-cases")
	cases, _ := filepath.Glob(filepath.Join(dir, "*.binproto"))
	if len(cases) < 600 {
		t.Fatalf("found %d test cases, want 604", len(cases))
	}
	if testing.Short() {
		cases = cases[:40]
	}
	tmp := t.TempDir()
	var jobs []signalcheck.Job
	for i, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".binproto")
		base := filepath.Join(tmp, fmt.Sprint(i))
		root, key := plainSnapshot(t, c, filepath.Join(base, "same"))
		if _, _, err := export(t, root, nil, exporters.Values{optBackup: root, optKey: key}); err != nil {
			t.Errorf("%s: merging nothing: %v", name, err)
			continue
		}
		want, _ := os.ReadFile(c)
		if got := plainOf(t, root, key); !bytes.Equal(got, want) {
			t.Errorf("%s: with nothing added the frames differ (%d bytes, want %d)", name, len(got), len(want))
		}
		jobs = append(jobs, signalcheck.Job{ID: name + " same", Kind: "same", Dir: root, Key: key, File: c})

		root, key = plainSnapshot(t, c, filepath.Join(base, "add"))
		if _, _, err := export(t, root, importedChat(), exporters.Values{optBackup: root, optKey: key}); err != nil {
			t.Errorf("%s: merging a chat: %v", name, err)
			continue
		}
		jobs = append(jobs, signalcheck.Job{ID: name + " add", Kind: "local", Dir: root, Key: key})
	}
	res := signalcheck.Run(t, jobs)
	bad := 0
	for _, j := range jobs {
		if r := res[j.ID]; !r.OK {
			bad++
			if bad <= 10 {
				t.Errorf("%s: %v %v", j.ID, r.Errors, r.Unknown)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d checks failed", bad, len(jobs))
	}
}

// An aborted export leaves no trace: no new backup folder, no staging
// snapshot, no new attachment files in the shared store.
// What a run killed while writing left behind goes with the next run: a
// snapshot being merged into an existing folder, and a new folder not yet
// in place. What a running process is writing stays.
func TestKilledRunLeftovers(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "SignalBackups")
	ann, group := split(t)
	key := mustExport(t, root, ann, asText)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead, alive := cmd.Process.Pid, os.Getppid()
	staleSnap := filepath.Join(root, fmt.Sprintf("signal-backup-2020-01-01-00-00-00-tmp-%d", dead))
	liveSnap := filepath.Join(root, fmt.Sprintf("signal-backup-2020-01-01-00-00-01-tmp-%d", alive))
	staleRoot := filepath.Join(dir, fmt.Sprintf(".Other.chatferry-tmp-%d-123", dead))
	for _, d := range []string{staleSnap, liveSnap, staleRoot} {
		if err := os.MkdirAll(filepath.Join(d, "files"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1100 * time.Millisecond) // a new snapshot name
	if _, _, err := export(t, root, group, exporters.Values{optBackup: root, optKey: key, optUnmatched: "as-text"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := export(t, filepath.Join(dir, "Other"), group, exporters.Values{optUnmatched: "as-text"}); err != nil {
		t.Fatal(err)
	}
	for d, gone := range map[string]bool{staleSnap: true, staleRoot: true, liveSnap: false} {
		if _, err := os.Stat(d); (err != nil) != gone {
			t.Errorf("%s: removed %v, want %v", filepath.Base(d), err != nil, gone)
		}
	}
	if snaps, _ := backup.Snapshots(root); len(snaps) != 2 {
		t.Errorf("snapshots %v, want the first and the merged one", snaps)
	}

	// While a run writes, its folders carry its process id, for the next
	// run to tell whether it still runs.
	for _, c := range []struct {
		dest    string
		values  exporters.Values
		staging string
	}{
		{filepath.Join(dir, "Third"), exporters.Values{optUnmatched: "as-text"}, filepath.Join(dir, ".Third.chatferry-tmp-%d-*")},
		{root, exporters.Values{optBackup: root, optKey: key, optUnmatched: "as-text"}, filepath.Join(root, "signal-backup-*-tmp-%d")},
	} {
		tg, err := exporters.NewTarget(c.dest, exporters.InPlaceLayout, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		w, err := New(tg, exporters.Options{Me: "Ben Sample", TZ: berlin, Values: c.values, Report: &exporters.Report{}})
		if err != nil {
			t.Fatal(err)
		}
		if err := exportertest.WriteItems(w, group); err != nil {
			t.Fatal(err)
		}
		if m, _ := filepath.Glob(fmt.Sprintf(c.staging, os.Getpid())); len(m) != 1 {
			t.Errorf("while writing to %s: %v match %s", c.dest, m, c.staging)
		}
		w.Abort()
	}
}

func TestAbort(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "SignalBackups")
	ann, group := split(t)
	key := mustExport(t, root, ann, asText)
	before := listing(t, dir)
	for _, values := range []exporters.Values{
		{optBackup: root, optKey: key, optUnmatched: "as-text"}, // merge
		{optUnmatched: "as-text"},                               // fresh, into a new folder
	} {
		dest := root
		if values[optBackup] == "" {
			dest = filepath.Join(dir, "Other")
		}
		tg, err := exporters.NewTarget(dest, exporters.InPlaceLayout, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		w, err := New(tg, exporters.Options{Me: "Ben Sample", TZ: berlin, Values: values, Report: &exporters.Report{}})
		if err != nil {
			t.Fatal(err)
		}
		if err := exportertest.WriteItems(w, append(append([]model.Item{}, ann...), group...)); err != nil {
			t.Fatal(err)
		}
		w.Abort()
		tg.Abort()
		if got := listing(t, dir); got != before {
			t.Errorf("after Abort (%v) the folder changed:\n%s\nwas:\n%s", values, got, before)
		}
	}
}
