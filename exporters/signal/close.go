package signal

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
)

// UnmatchedError lists the senders who have no phone number.
type UnmatchedError struct {
	Senders []string // "Name (N messages in "Chat")"
}

func (e *UnmatchedError) Error() string {
	return fmt.Sprintf("%d %s no phone number, and Signal needs one for everyone who wrote:\n  %s\n"+
		"Give their numbers with --contacts FILE (a vCard file or CSV rows of name,phone), "+
		"or pass --unmatched as-text to keep their messages as text; if one of them is you, pass --me NAME. Nothing was written.",
		len(e.Senders), map[bool]string{true: "sender has", false: "senders have"}[len(e.Senders) == 1],
		strings.Join(e.Senders, "\n  "))
}

// Close writes the snapshot and puts it in place.
func (w *writer) Close() error {
	if w.done {
		return errors.New("signal: Close called twice")
	}
	w.done = true
	err := w.finish()
	if err != nil {
		w.cleanup(true)
		return err
	}
	w.cleanup(false)
	return nil
}

func (w *writer) finish() error {
	if len(w.unmatched) > 0 {
		var list []string
		for _, u := range w.unmatched {
			chats := make([]string, len(u.chats))
			for i, c := range u.chats {
				chats[i] = strconv.Quote(c)
			}
			list = append(list, fmt.Sprintf("%s (%s in %s)", u.name, exporters.Count(u.messages, "message", "messages"), strings.Join(chats, ", ")))
		}
		sort.Strings(list)
		return &UnmatchedError{Senders: list}
	}
	if w.existing == nil && w.myName == "" {
		w.myName = normName(w.opts.Me)
		if w.myName == "" {
			return errors.New("a new Signal backup needs your name for your profile: pass --me NAME (as the chats show it)")
		}
	}
	if err := w.writeMain(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(w.snapDir, "metadata"), backup.EncodeMetadata(w.keys), 0o644); err != nil {
		return err
	}
	if w.existing != nil {
		if err := w.copyFilesList(); err != nil {
			return err
		}
	}
	if err := w.filesList.Close(); err != nil {
		return err
	}
	w.filesList = nil
	if err := w.commit(); err != nil {
		return err
	}
	w.report()
	if w.recoveryKey != "" && w.opts.Console != nil {
		fmt.Fprintf(w.opts.Console, "\nYour Signal recovery key (Signal asks for it when you restore; keep it safe, it is shown only once):\n\n    %s\n\n",
			backup.DisplayRecoveryKey(w.recoveryKey))
	}
	return nil
}

// RecoveryKey returns the recovery key of a new backup after Close.
func (w *writer) RecoveryKey() string { return w.recoveryKey }

func (w *writer) report() {
	var reasons [][2]string
	for r := range w.skipped {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool { return reasons[i][1] < reasons[j][1] })
	for _, r := range reasons {
		w.opts.Report.Notef("%s", exporters.Count(w.skipped[r], r[0], r[1]))
	}
	w.opts.Report.Notef("new snapshot %s", filepath.Join(w.root, w.snapName))
}

func (w *writer) writeMain() error {
	f, err := os.Create(filepath.Join(w.snapDir, "main"))
	if err != nil {
		return err
	}
	mw, err := backup.NewMainWriter(f, w.keys)
	if err != nil {
		f.Close()
		return err
	}
	items, err := w.sorter.sorted()
	if err != nil {
		f.Close()
		return err
	}
	defer items.close()
	e := emitter{w: w, mw: mw, items: items, last: map[[2]uint64]lastItem{}}
	if w.existing != nil {
		err = e.merge()
	} else {
		err = e.fresh()
	}
	if err == nil {
		err = mw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// emitter writes the frames of the new snapshot in order.
type emitter struct {
	w     *writer
	mw    *backup.MainWriter
	items *merger
	head  *record // the next new item, read ahead
	// last item written per (chat, author), to keep their times unique
	last map[[2]uint64]lastItem
	// existing items at the time of the last one written, for duplicates
	existingAt  uint64
	existingKey map[[2]uint64]bool
}

type lastItem struct {
	dateSent uint64
	src      uint64
	sum      [32]byte
}

func (e *emitter) fresh() error {
	w := e.w
	mrk := make([]byte, 32)
	rand.Read(mrk)
	profileKey := make([]byte, 32)
	rand.Read(profileKey)
	frames := []pb{encodeBackupInfo(uint64(w.now.UnixMilli()), mrk), encodeAccount(profileKey, w.myName, ""),
		encodeSelf(w.selfID), encodeReleaseNotes(2), encodeMyStory(3)}
	frames = append(frames, w.recipients...)
	frames = append(frames, w.newChats...)
	for _, f := range frames {
		if err := e.mw.WriteFrame(f); err != nil {
			return err
		}
	}
	return e.newItemsBefore(^uint64(0))
}

// merge copies every existing frame as it is, puts the new recipients and
// chats after the existing ones, and merges the new chat items into the
// existing ones by time.
func (e *emitter) merge() error {
	w := e.w
	fr, closeFn, err := w.existing.snap.Frames()
	if err != nil {
		return err
	}
	defer closeFn()
	info, err := fr.Next()
	if err != nil {
		return err
	}
	if err := e.mw.WriteFrame(info); err != nil {
		return err
	}
	inserted := false
	insert := func() error {
		inserted = true
		for _, list := range [][]pb{w.recipients, w.newChats} {
			for _, f := range list {
				if err := e.mw.WriteFrame(f); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i := 0; ; i++ {
		if i == w.existing.insertAt {
			if err := insert(); err != nil {
				return err
			}
		}
		f, err := fr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if chat, author, date, ok := chatItemKey(f); ok && inserted {
			if err := e.newItemsBefore(date); err != nil {
				return err
			}
			if date != e.existingAt {
				e.existingAt, e.existingKey = date, map[[2]uint64]bool{}
			}
			e.existingKey[[2]uint64{chat, author}] = true
		}
		if err := e.mw.WriteFrame(f); err != nil {
			return err
		}
	}
	if !inserted {
		if err := insert(); err != nil {
			return err
		}
	}
	return e.newItemsBefore(^uint64(0))
}

// newItemsBefore writes the new items dated before limit.
func (e *emitter) newItemsBefore(limit uint64) error {
	for {
		if e.head == nil {
			r, ok, err := e.items.next()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			e.head = &r
		}
		if e.head.dateSent >= limit {
			return nil
		}
		r := e.head
		e.head = nil
		if err := e.write(r); err != nil {
			return err
		}
	}
}

// write writes one new item. An item whose chat, author and time an
// existing item has is already in the backup (an earlier import); one that
// another input wrote identically is a duplicate input. Others that meet
// an earlier item's time move one millisecond on.
func (e *emitter) write(r *record) error {
	key := [2]uint64{r.chatID, r.authorID}
	if r.dateSent == e.existingAt && e.existingKey[key] {
		e.w.note("message was already in the Signal backup (same chat, sender and time) and was not added again",
			"messages were already in the Signal backup (same chat, sender and time) and were not added again")
		return nil
	}
	sum := sha256.Sum256(r.frame)
	if l, ok := e.last[key]; ok && r.dateSent <= l.dateSent {
		if r.dateSent == l.dateSent && l.src != r.src && l.sum == sum {
			e.w.note("message appeared in two inputs and was written once", "messages appeared in two inputs and were written once")
			return nil
		}
		r.dateSent = l.dateSent + 1
		r.frame = withDateSent(r.frame, r.dateSent)
	}
	e.last[key] = lastItem{dateSent: r.dateSent, src: r.src, sum: sum}
	return e.mw.WriteFrame(r.frame)
}

// copyFilesList appends the old snapshot's files list: the new snapshot
// uses every attachment the old one did.
func (w *writer) copyFilesList() error {
	f, err := os.Open(filepath.Join(w.existing.snap.Dir, "files"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return backup.ReadFilesList(f, func(_ []byte, name string) error {
		return w.addFile(name)
	})
}

// commit moves the new media into the files store and the snapshot into
// place. A new SignalBackups folder is renamed into place as a whole.
func (w *writer) commit() error {
	if w.newRoot != "" {
		if err := os.WriteFile(filepath.Join(w.newRoot, ".nomedia"), nil, 0o644); err != nil {
			return err
		}
		if err := os.Rename(w.newRoot, w.root); err != nil {
			return err
		}
		w.newRoot = ""
		return nil
	}
	staged := filepath.Join(w.mediaRoot, "files")
	dirs, err := os.ReadDir(staged)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, d := range dirs {
		names, err := os.ReadDir(filepath.Join(staged, d.Name()))
		if err != nil {
			return err
		}
		dst := filepath.Join(w.root, "files", d.Name())
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		for _, n := range names {
			if err := os.Rename(filepath.Join(staged, d.Name(), n.Name()), filepath.Join(dst, n.Name())); err != nil {
				return err
			}
		}
	}
	if err := os.RemoveAll(w.mediaRoot); err != nil {
		return err
	}
	if err := os.Rename(w.snapDir, filepath.Join(w.root, w.snapName)); err != nil {
		return err
	}
	w.snapDir = ""
	return nil
}

// Abort removes everything written.
func (w *writer) Abort() {
	w.done = true
	w.cleanup(true)
}

func (w *writer) cleanup(failed bool) {
	if w.filesList != nil {
		w.filesList.Close()
		w.filesList = nil
	}
	if w.sorter != nil {
		os.RemoveAll(w.sorter.dir)
		w.sorter = nil
	}
	if failed {
		if w.newRoot != "" {
			os.RemoveAll(w.newRoot)
		} else if w.snapDir != "" {
			os.RemoveAll(w.snapDir)
		}
	}
}
