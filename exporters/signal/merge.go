package signal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/signal/internal/backup"
)

// existing is what merge mode knows of the backup it adds to.
type existing struct {
	snap            *backup.Snapshot
	name            string            // the snapshot's folder name
	byE164          map[uint64]uint64 // contacts by phone number
	byName          map[string]uint64 // contacts by name; 0 when two share it
	chatByRecipient map[uint64]uint64
	insertAt        int // new recipients and chats go before this frame
	frames          int
}

// openExisting opens the newest snapshot of dir with the recovery key and
// reads what merging needs from it.
func (w *writer) openExisting(t *exporters.Target, dir, key string) error {
	if key == "" {
		return exporters.OptionErrorf("--signal-backup needs --recovery-key (the 64 characters Signal showed when you turned on on-device backups)")
	}
	rk, err := backup.ParseRecoveryKey(key)
	if err != nil {
		return exporters.OptionErrorf("--recovery-key: %w", err)
	}
	root, name, err := backup.FindRoot(dir)
	if err != nil {
		return fmt.Errorf("--signal-backup: %w", err)
	}
	if err := w.checkOutput(t.Path, root); err != nil {
		return err
	}
	snap, err := backup.OpenSnapshot(root, name, rk)
	if errors.Is(err, backup.ErrAuth) {
		return fmt.Errorf("the recovery key does not open %s (check it, or the backup is damaged); nothing was written", filepath.Join(root, name))
	}
	if err != nil {
		return err
	}
	e := &existing{snap: snap, name: name, byE164: map[uint64]uint64{}, byName: map[string]uint64{},
		chatByRecipient: map[uint64]uint64{}}
	if err := w.scan(e); err != nil {
		return fmt.Errorf("%s: %w", snap.Dir, err)
	}
	if w.selfID == 0 {
		return fmt.Errorf("%s has no Self recipient; it is not a complete Signal backup", snap.Dir)
	}
	w.root, w.existing, w.keys = root, e, snap.Keys
	return nil
}

// checkOutput: the new snapshot goes beside the old one. -o may name that
// folder (or the folder holding it), or be left at its default.
func (w *writer) checkOutput(out, root string) error {
	if out == "" || out == "SignalBackups" {
		return nil
	}
	r, err := os.Stat(root)
	if err != nil {
		return err
	}
	for _, cand := range []string{out, filepath.Join(out, "SignalBackups")} {
		if fi, err := os.Stat(cand); err == nil && os.SameFile(fi, r) {
			return nil
		}
	}
	return fmt.Errorf("-o %s: in merge mode the new snapshot is written beside the old one in %s; leave -o out or name that folder", out, root)
}

// scan reads the existing frames once: ids in use, contacts, chats, and
// where new recipients and chats can go.
func (w *writer) scan(e *existing) error {
	fr, closeFn, err := e.snap.Frames()
	if err != nil {
		return err
	}
	defer closeFn()
	if _, err := fr.Next(); err != nil { // BackupInfo
		return err
	}
	var maxRecipient, maxChat uint64
	for i := 0; ; i++ {
		f, err := fr.Next()
		if errors.Is(err, io.EOF) {
			e.frames = i
			break
		}
		if err != nil {
			return err
		}
		kind, body := frameKind(f)
		switch kind {
		case frameRecipient:
			r, err := parseRecipient(body)
			if err != nil {
				return fmt.Errorf("frame %d: %w", i+1, err)
			}
			maxRecipient = max(maxRecipient, r.id)
			switch {
			case r.self:
				w.selfID = r.id
			case r.contact:
				if r.e164 != 0 {
					if _, dup := e.byE164[r.e164]; !dup {
						e.byE164[r.e164] = r.id
					}
				}
				for _, n := range r.names {
					if prev, dup := e.byName[n]; dup && prev != r.id {
						e.byName[n] = 0
					} else {
						e.byName[n] = r.id
					}
				}
			}
			e.insertAt = i + 1
		case frameChat:
			var id, rid uint64
			backup.EachField(body, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) error {
				if typ == protowire.VarintType && num == 1 {
					id = v
				} else if typ == protowire.VarintType && num == 2 {
					rid = v
				}
				return nil
			})
			maxChat = max(maxChat, id)
			if _, dup := e.chatByRecipient[rid]; !dup {
				e.chatByRecipient[rid] = id
			}
			e.insertAt = i + 1
		}
	}
	for n, id := range e.byName {
		if id == 0 {
			delete(e.byName, n)
		}
	}
	w.nextRecipient, w.nextChat = maxRecipient+1, maxChat+1
	return nil
}

// frameKind returns which field of Frame f holds, and its bytes.
func frameKind(f []byte) (protowire.Number, []byte) {
	num, typ, n := protowire.ConsumeTag(f)
	if n < 0 || typ != protowire.BytesType {
		return 0, nil
	}
	b, m := protowire.ConsumeBytes(f[n:])
	if m < 0 {
		return 0, nil
	}
	return num, b
}

type recipientInfo struct {
	id            uint64
	self, contact bool
	e164          uint64
	names         []string
}

func parseRecipient(b []byte) (*recipientInfo, error) {
	r := &recipientInfo{}
	err := backup.EachField(b, func(num protowire.Number, typ protowire.Type, v uint64, data []byte) error {
		switch {
		case num == 1 && typ == protowire.VarintType:
			r.id = v
		case num == 5 && typ == protowire.BytesType:
			r.self = true
		case num == 2 && typ == protowire.BytesType:
			r.contact = true
			return parseContact(data, r)
		}
		return nil
	})
	return r, err
}

// parseContact reads a contact's number and the names a user may know
// them by: the address book's, the profile's, and the nickname.
func parseContact(b []byte, r *recipientInfo) error {
	var sys, prof, nick [2]string
	err := backup.EachField(b, func(num protowire.Number, typ protowire.Type, v uint64, data []byte) error {
		switch {
		case num == 4 && typ == protowire.VarintType:
			r.e164 = v
		case num == 18 && typ == protowire.BytesType:
			sys[0] = string(data)
		case num == 19 && typ == protowire.BytesType:
			sys[1] = string(data)
		case num == 11 && typ == protowire.BytesType:
			prof[0] = string(data)
		case num == 12 && typ == protowire.BytesType:
			prof[1] = string(data)
		case num == 16 && typ == protowire.BytesType:
			return backup.EachField(data, func(num protowire.Number, typ protowire.Type, _ uint64, d []byte) error {
				if typ == protowire.BytesType && (num == 1 || num == 2) {
					nick[num-1] = string(d)
				}
				return nil
			})
		}
		return nil
	})
	for _, n := range [][2]string{sys, nick, prof} {
		if full := normName(strings.Join(n[:], " ")); full != "" {
			r.names = append(r.names, full)
		}
	}
	return err
}

// chatItemBody returns the ChatItem inside a Frame.
func chatItemBody(f []byte) ([]byte, bool) {
	kind, body := frameKind(f)
	return body, kind == frameChatItem
}

// fieldLen is the length of the first field of b, tag included, or -1.
func fieldLen(b []byte) int {
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		return -1
	}
	m := protowire.ConsumeFieldValue(num, typ, b[n:])
	if m < 0 {
		return -1
	}
	return n + m
}

// chatItemKey reads chatId, authorId and dateSent of a ChatItem frame.
func chatItemKey(f []byte) (chat, author, date uint64, ok bool) {
	body, ok := chatItemBody(f)
	if !ok {
		return 0, 0, 0, false
	}
	backup.EachField(body, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) error {
		if typ != protowire.VarintType {
			return nil
		}
		switch num {
		case 1:
			chat = v
		case 2:
			author = v
		case 3:
			date = v
		}
		return nil
	})
	return chat, author, date, true
}
