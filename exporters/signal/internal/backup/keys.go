// Package backup reads and writes the container of Signal's backups v2 as
// they appear in an on-device backup folder: the recovery key and the keys
// derived from it, the encrypted, gzipped stream of varint-delimited frames
// in a snapshot's main file, the metadata file with the encrypted backup id,
// the files list, and the encrypted attachment store.
//
// Everything streams: frames are written and read one at a time, and
// attachments are encrypted and decrypted through fixed buffers. Readers
// authenticate (HMAC-SHA256) before they decrypt, so a wrong key or a
// changed byte is an error, never garbage.
package backup

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
)

// RecoveryKeyLen is the length of a recovery key (Signal's "account entropy
// pool"): 64 characters from [0-9a-z].
const RecoveryKeyLen = 64

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// HKDF info strings from Signal's key schedule.
const (
	infoBackupKey   = "20240801_SIGNAL_BACKUP_KEY"
	infoBackupID    = "20241024_SIGNAL_BACKUP_ID:"
	infoMessageKey  = "20241007_SIGNAL_BACKUP_ENCRYPT_MESSAGE_BACKUP:"
	infoMetadataKey = "20241011_SIGNAL_LOCAL_BACKUP_METADATA_KEY"
)

// ErrRecoveryKey is matched by the error for a malformed recovery key.
var ErrRecoveryKey = errors.New("not a Signal recovery key")

// GenerateRecoveryKey returns a new random recovery key in its canonical
// form (64 lower-case characters).
func GenerateRecoveryKey() string {
	var b strings.Builder
	var buf [64]byte
	for b.Len() < RecoveryKeyLen {
		rand.Read(buf[:])
		for _, c := range buf {
			// 252 = 7*36: reject the tail so every character is equally likely.
			if c < 252 && b.Len() < RecoveryKeyLen {
				b.WriteByte(alphabet[c%36])
			}
		}
	}
	return b.String()
}

// ParseRecoveryKey accepts a recovery key as Signal displays it (upper
// case, in groups, with '#' for 'o' and '=' for '0') or in canonical form,
// ignores spaces and dashes, and returns the canonical form.
func ParseRecoveryKey(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '-':
			continue
		case r == '#':
			r = 'o'
		case r == '=':
			r = '0'
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		if !strings.ContainsRune(alphabet, r) {
			return "", fmt.Errorf("%w: %q is not a letter or digit", ErrRecoveryKey, r)
		}
		b.WriteRune(r)
	}
	if b.Len() != RecoveryKeyLen {
		return "", fmt.Errorf("%w: it has %d letters and digits, want %d", ErrRecoveryKey, b.Len(), RecoveryKeyLen)
	}
	return b.String(), nil
}

// DisplayRecoveryKey formats a canonical recovery key the way Signal shows
// it: upper case, 'O' as '#', '0' as '=', in groups of four.
func DisplayRecoveryKey(key string) string {
	up := strings.NewReplacer("O", "#", "0", "=").Replace(strings.ToUpper(key))
	var groups []string
	for i := 0; i < len(up); i += 4 {
		groups = append(groups, up[i:min(i+4, len(up))])
	}
	return strings.Join(groups, " ")
}

// Keys are what a snapshot is encrypted with.
type Keys struct {
	BackupKey   [32]byte
	BackupID    [16]byte
	HMACKey     [32]byte // main: HMAC-SHA256 over IV and ciphertext
	AESKey      [32]byte // main: AES-256-CBC
	MetadataKey [32]byte // metadata: AES-256-CTR of the backup id
}

func derive(secret []byte, info string, n int) []byte {
	k, err := hkdf.Key(sha256.New, secret, nil, info, n)
	if err != nil {
		panic(err) // only for lengths HKDF cannot give; ours are fixed
	}
	return k
}

// DeriveBackupKey derives the backup key from a canonical recovery key.
func DeriveBackupKey(recoveryKey string) [32]byte {
	return [32]byte(derive([]byte(recoveryKey), infoBackupKey, 32))
}

// DeriveBackupID derives the backup id of an account (its ACI, 16 bytes).
func DeriveBackupID(backupKey [32]byte, aci [16]byte) [16]byte {
	return [16]byte(derive(backupKey[:], infoBackupID+string(aci[:]), 16))
}

// NewKeys derives every key of a snapshot from the backup key and id.
func NewKeys(backupKey [32]byte, backupID [16]byte) *Keys {
	k := &Keys{BackupKey: backupKey, BackupID: backupID}
	mk := derive(backupKey[:], infoMessageKey+string(backupID[:]), 64)
	k.HMACKey = [32]byte(mk[:32])
	k.AESKey = [32]byte(mk[32:])
	k.MetadataKey = [32]byte(derive(backupKey[:], infoMetadataKey, 32))
	return k
}
