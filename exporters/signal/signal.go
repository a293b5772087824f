// Package signal writes Signal's on-device backup (format "signal"): the
// SignalBackups folder that Signal for Android restores at registration
// ("Restore or transfer account" → "From a local backup") with the
// 64-character recovery key.
//
// In fresh mode the writer makes a new backup for a new Signal account and
// prints its recovery key once on Options.Console. In merge mode
// (--signal-backup DIR --recovery-key KEY) it reads the newest snapshot of
// an existing backup, keeps every frame of it byte for byte, adds the
// imported chats, and writes a new snapshot beside the old one, sharing its
// files store.
//
// Every sender needs a phone number: from the source, a --contacts file,
// or (in merge mode) an existing Signal contact with the same name. The
// writer never invents one; senders without one stop the export, unless
// --unmatched as-text keeps their messages as text.
//
// Memory does not grow with the history: messages are encoded as they
// arrive, sorted by time through temporary files, and media is encrypted
// straight into the output.
package signal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/model"
)

// Option names.
const (
	optBackup    = "signal-backup"
	optKey       = "recovery-key"
	optPhone     = "phone"
	optContacts  = "contacts"
	optUnmatched = "unmatched"
)

func init() {
	exporters.Register(exporters.Format{
		Name:          "signal",
		Summary:       "Signal's on-device backup folder (SignalBackups), restored by Signal for Android with its recovery key",
		Layout:        exporters.InPlaceLayout,
		Merges:        true,
		Instants:      true,
		DefaultOutput: "SignalBackups",
		Support:       support,
		Options: []exporters.Option{
			{Name: optBackup, Help: "merge into this existing SignalBackups folder (its newest snapshot); needs --recovery-key"},
			{Name: optKey, Help: "the 64-character recovery key of the --signal-backup folder"},
			{Name: optPhone, Help: "your own phone number (+E.164), to recognise your messages by number"},
			{Name: optContacts, Help: "vCard or CSV (name,phone) file giving the phone numbers of people the export names only"},
			{Name: optUnmatched, Help: `what to do with senders without a phone number: "stop" lists them and writes nothing, "as-text" keeps their messages as text`, Default: "stop"},
		},
		New: New,
	})
}

var support = map[model.Feature]exporters.Support{
	model.FeatureText:        exporters.Full,
	model.FeatureAttachments: exporters.Full,
	model.FeatureMediaFiles:  exporters.Full,
	model.FeatureStickers:    exporters.Partial, // a borderless image: no sticker pack
	model.FeatureReplies:     exporters.Full,
	model.FeatureReactions:   exporters.Full,
	model.FeatureDeletions:   exporters.Full,
	model.FeatureViewOnce:    exporters.Full,
	model.FeaturePolls:       exporters.Varies,  // Signal's poll when it can hold it whole, else text (counted)
	model.FeatureLocations:   exporters.Partial, // as text
	model.FeatureContacts:    exporters.Partial, // Signal's card (name, numbers) or text
	model.FeatureCalls:       exporters.Varies,  // Signal's call event in a one-to-one chat without a duration, else text (counted)
	// Dropped: system events (Signal's own need member ACIs), the
	// forwarded mark and the edited mark (Signal keeps edits as earlier
	// revisions, which no export has).
}

// spillLimit is how many bytes of encoded messages are kept in memory
// before they are sorted into a temporary file.
var spillLimit = 32 << 20

// New starts a Signal backup at t.Path, the SignalBackups folder.
func New(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
	if t.Stdout() {
		return nil, errors.New("a Signal backup is a folder; give -o DIR")
	}
	w := &writer{opts: opts, now: time.Now()}
	if w.opts.TZ == nil {
		w.opts.TZ = time.UTC
	}
	if w.opts.Report == nil {
		w.opts.Report = &exporters.Report{}
	}
	if err := w.configure(t); err != nil {
		return nil, err
	}
	if err := w.stage(); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

func (w *writer) configure(t *exporters.Target) error {
	v := w.opts.Values
	switch u := v.Get(optUnmatched); u {
	case "", "stop":
	case "as-text":
		w.asText = true
	default:
		return exporters.OptionErrorf("--unmatched %q: want stop or as-text", u)
	}
	if p := v.Get(optPhone); p != "" {
		n, err := parseE164(p)
		if err != nil {
			return exporters.OptionErrorf("--phone: %w", err)
		}
		w.myPhone = n
	}
	if f := v.Get(optContacts); f != "" {
		book, err := loadAddressBook(f)
		if err != nil {
			return err
		}
		w.book = book
		for _, p := range book.problems {
			w.opts.Report.Notef("contacts %s", p)
		}
	}
	if dir := v.Get(optBackup); dir != "" {
		return w.openExisting(t, dir, v.Get(optKey))
	}
	if v.Get(optKey) != "" {
		return exporters.OptionErrorf("--recovery-key is for merging: give --signal-backup DIR too (a new backup gets a new key)")
	}
	root, err := outputRoot(t.Path)
	if err != nil {
		return err
	}
	if snaps, _ := backup.Snapshots(root); len(snaps) > 0 {
		return fmt.Errorf("%s already holds a Signal backup; to add chats to it use --signal-backup %s --recovery-key KEY, or choose another -o", root, root)
	}
	w.root = root
	w.recoveryKey = backup.GenerateRecoveryKey()
	bk := backup.DeriveBackupKey(w.recoveryKey)
	aci := randomUUID() // the account's ACI is unknown before registration; restore reads the id from metadata
	w.keys = backup.NewKeys(bk, backup.DeriveBackupID(bk, aci))
	w.selfID, w.nextRecipient, w.nextChat = 1, 4, 1 // 2: release notes, 3: My Story
	return nil
}

// outputRoot decides the SignalBackups folder for -o path: the folder
// itself, or a SignalBackups folder inside an existing folder that holds
// other things.
func outputRoot(p string) (string, error) {
	fi, err := os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Dir(p)); err != nil {
			return "", fmt.Errorf("%s: the folder %s does not exist", p, filepath.Dir(p))
		}
		return p, nil
	}
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is a file; -o names the SignalBackups folder", p)
	}
	entries, _ := os.ReadDir(p)
	if len(entries) == 0 || filepath.Base(p) == "SignalBackups" || isBackupRoot(p) {
		return p, nil
	}
	return filepath.Join(p, "SignalBackups"), nil
}

func isBackupRoot(p string) bool {
	if fi, err := os.Stat(filepath.Join(p, "files")); err == nil && fi.IsDir() {
		return true
	}
	snaps, _ := backup.Snapshots(p)
	return len(snaps) > 0
}

// stage creates the folders the snapshot is written in: a hidden folder
// next to a SignalBackups folder that does not exist yet (renamed to it at
// the end), or a "-tmp-PID" snapshot folder inside an existing one (its
// new media moved into files/ and the folder renamed at the end).
func (w *writer) stage() error {
	w.snapName = backup.SnapshotName(w.now)
	if w.existing != nil && w.snapName <= w.existing.name {
		t, err := time.Parse("2006-01-02-15-04-05", strings.TrimPrefix(w.existing.name, backup.SnapshotPrefix))
		if err != nil {
			return err
		}
		w.snapName = backup.SnapshotName(t.Add(time.Second))
	}
	if _, err := os.Stat(w.root); errors.Is(err, os.ErrNotExist) {
		// Named as exporters.Target names its temporary outputs, so that
		// the next run removes it if this one is killed.
		dir, err := os.MkdirTemp(filepath.Dir(w.root), fmt.Sprintf(".%s.chatferry-tmp-%d-*", filepath.Base(w.root), os.Getpid()))
		if err != nil {
			return err
		}
		w.newRoot = dir
		w.snapDir = filepath.Join(dir, w.snapName)
		w.mediaRoot = dir
	} else {
		for {
			if _, err := os.Stat(filepath.Join(w.root, w.snapName)); errors.Is(err, os.ErrNotExist) {
				break
			}
			t, _ := time.Parse("2006-01-02-15-04-05", strings.TrimPrefix(w.snapName, backup.SnapshotPrefix))
			w.snapName = backup.SnapshotName(t.Add(time.Second))
		}
		removeStaleStaging(w.root)
		w.snapDir = filepath.Join(w.root, fmt.Sprintf("%s%s%d", w.snapName, stagingMark, os.Getpid()))
		w.mediaRoot = filepath.Join(w.snapDir, ".new-media")
	}
	if err := os.MkdirAll(w.snapDir, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(w.mediaRoot, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(w.snapDir, "files"))
	if err != nil {
		return err
	}
	w.filesList = f
	sd, err := importers.TempDir("signalsort")
	if err != nil {
		return err
	}
	w.sorter = &spill{dir: sd, limit: spillLimit}
	return nil
}

func (w *writer) addFile(mediaName string) error {
	w.fileNames = backup.AppendFilesEntry(w.fileNames[:0], mediaName)
	_, err := w.filesList.Write(w.fileNames)
	return err
}

// stagingMark, followed by the writer's process id, ends the name of a
// snapshot being written into an existing SignalBackups folder.
const stagingMark = "-tmp-"

// removeStaleStaging removes from root the snapshot folders that runs
// killed while merging into it left behind: those whose process no longer
// runs. Signal does not take them for snapshots, but they hold a copy of
// chats.
func removeStaleStaging(root string) {
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		i := strings.LastIndex(e.Name(), stagingMark)
		if !e.IsDir() || i < 0 || !backup.IsSnapshotName(e.Name()[:i]) {
			continue
		}
		if !importers.DeadOwner(e.Name()[i+len(stagingMark):]) {
			continue
		}
		os.RemoveAll(filepath.Join(root, e.Name()))
	}
}
