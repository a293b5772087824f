package signal

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
	"github.com/chatferry/chatferry/exporters/signal/signalcheck"
	"github.com/chatferry/chatferry/model"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// sampleItems is the project's rich sample.
func sampleItems(t testing.TB) []model.Item {
	return exportertest.Input(t, exportertest.Sample(t), "json")
}

// export writes items as a Signal backup at dest and returns the recovery
// key of a new backup and the report.
func export(t testing.TB, dest string, items []model.Item, values exporters.Values) (string, *exporters.Report, error) {
	t.Helper()
	rep := &exporters.Report{}
	var console bytes.Buffer
	opts := exporters.Options{Me: "Ben Sample", TZ: berlin, Values: values, Report: rep, Console: &console}
	tg, err := exporters.NewTarget(dest, exporters.InPlaceLayout, false, nil)
	if err != nil {
		return "", nil, err
	}
	w, err := New(tg, opts)
	if err != nil {
		return "", rep, err
	}
	if err := exportertest.WriteItems(w, items); err != nil {
		w.Abort()
		return "", rep, err
	}
	if err := w.Close(); err != nil {
		return "", rep, err
	}
	key := w.(*writer).RecoveryKey()
	if key != "" && !strings.Contains(console.String(), backup.DisplayRecoveryKey(key)) {
		t.Errorf("the console does not show the recovery key:\n%s", console.String())
	}
	return key, rep, nil
}

func mustExport(t testing.TB, dest string, items []model.Item, values exporters.Values) string {
	t.Helper()
	key, _, err := export(t, dest, items, values)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// open decodes the newest snapshot under root.
func open(t testing.TB, root, key string) (*backup.Snapshot, *backup.Decoded) {
	t.Helper()
	r, name, err := backup.FindRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	s, err := backup.OpenSnapshot(r, name, key)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Decode()
	if err != nil {
		t.Fatal(err)
	}
	return s, d
}

// render prints a decoded backup without its random parts (keys), with
// every attachment decrypted and named by the SHA-256 of its plaintext.
func render(t testing.TB, s *backup.Snapshot, d *backup.Decoded) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "account %q\n", d.AccountName)
	var ids []uint64
	for id := range d.Recipients {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	name := func(id uint64) string {
		r := d.Recipients[id]
		if r == nil {
			return fmt.Sprintf("?%d", id)
		}
		if r.Kind == "self" {
			return "me"
		}
		return fmt.Sprintf("%s#%d", r.Name, id)
	}
	for _, id := range ids {
		r := d.Recipients[id]
		fmt.Fprintf(&b, "recipient %d %s", id, r.Kind)
		if r.E164 != 0 {
			fmt.Fprintf(&b, " +%d", r.E164)
		}
		if r.Name != "" {
			fmt.Fprintf(&b, " %q", r.Name)
		}
		if r.Kind == "group" {
			fmt.Fprintf(&b, " (master key %d bytes)", len(r.Group))
		}
		b.WriteByte('\n')
	}
	for _, c := range d.ChatOrder {
		fmt.Fprintf(&b, "chat %d with %s\n", c, name(d.Chats[c]))
	}
	for _, it := range d.Items {
		dir := "in"
		if it.Outgoing {
			dir = "out to"
			for _, r := range it.SendTo {
				dir += " " + name(r)
			}
		}
		fmt.Fprintf(&b, "\n%s chat %d %s from %s (%s) %s", time.UnixMilli(int64(it.DateSent)).UTC().Format("2006-01-02T15:04:05.000Z"),
			it.Chat, it.Kind, name(it.Author), dir, fmt.Sprintf("%q", it.Text))
		if c := it.Call; c != nil {
			fmt.Fprintf(&b, "\n  call type %d direction %d state %d started %d read %v", c.Type, c.Direction, c.State, c.Started, c.Read)
		}
		if p := it.Poll; p != nil {
			fmt.Fprintf(&b, "\n  poll %q multiple %v", p.Question, p.Multiple)
			for _, o := range p.Options {
				var voters []string
				for _, v := range o.Voters {
					voters = append(voters, name(v))
				}
				fmt.Fprintf(&b, "\n    %q voted by %s", o.Text, strings.Join(voters, ", "))
			}
		}
		if c := it.Contact; c != nil {
			fmt.Fprintf(&b, "\n  card %q numbers %q", c.GivenName, c.Numbers)
		}
		for _, r := range it.Styles {
			fmt.Fprintf(&b, "\n  style %s %q", styleNames[r.Style], utf16Slice(it.Text, r.Start, r.Length))
		}
		if q := it.Quote; q != nil {
			kind := ""
			if q.Type == 4 {
				kind = " (poll)"
			}
			fmt.Fprintf(&b, "\n  quote%s of %s at %d: %q", kind, name(q.Author), q.Target, q.Text)
		}
		for _, a := range it.Attachments {
			var plain bytes.Buffer
			if err := backup.DecryptAttachment(&plain, backup.MediaPath(s.Root, backup.MediaName(a.PlaintextHash, a.LocalKey)), a.LocalKey, a.Size, a.PlaintextHash); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "\n  attachment %q %s flag %d %dx%d %d bytes sha256 %x", a.FileName, a.ContentType, a.Flag, a.Width, a.Height, plain.Len(), a.PlaintextHash)
		}
		for _, r := range it.Reactions {
			fmt.Fprintf(&b, "\n  reaction %s by %s at %d", r.Emoji, name(r.Author), r.Sent)
		}
	}
	fmt.Fprintf(&b, "\n\nfiles listed: %d, other frames: %d\n", len(d.Files), d.Other)
	return b.String()
}

// listing names every file under dir with its size, for checks that a
// folder was left alone.
func listing(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if de.IsDir() {
			fmt.Fprintf(&b, "%s/\n", rel)
			return nil
		}
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s %d %x\n", rel, len(data), data[:min(len(data), 8)])
		return nil
	})
	return b.String()
}

var snapshotRE = regexp.MustCompile(`signal-backup-\d{4}(-\d\d){5}`)

func isUnmatched(err error) bool {
	var u *UnmatchedError
	return errors.As(err, &u)
}

// styleNames names Signal's BodyRange styles.
var styleNames = map[uint64]string{1: "bold", 2: "italic", 3: "spoiler", 4: "strikethrough", 5: "monospace"}

// utf16Slice returns the part of s that a body range covers, or a note
// when the range does not fall on characters of s.
func utf16Slice(s string, start, length uint64) string {
	u := utf16.Encode([]rune(s))
	if start+length > uint64(len(u)) {
		return fmt.Sprintf("(range %d+%d beyond the text's %d units)", start, length, len(u))
	}
	return string(utf16.Decode(u[start : start+length]))
}

// openValid runs Signal's validator on the backup at root, fails the test
// when it refuses it, and returns the backup's frames.
func openValid(t *testing.T, root, key string) *backup.Decoded {
	t.Helper()
	if r := signalcheck.Run(t, []signalcheck.Job{{ID: t.Name(), Kind: "local", Dir: root, Key: key}})[t.Name()]; !r.OK {
		t.Errorf("the validator rejects the backup: %v %v", r.Errors, r.Unknown)
	}
	_, d := open(t, root, key)
	return d
}

// itemKinds lists the kinds of a backup's chat items, in order.
func itemKinds(d *backup.Decoded) string {
	var kinds []string
	for _, it := range d.Items {
		kinds = append(kinds, it.Kind)
	}
	return strings.Join(kinds, " ")
}
