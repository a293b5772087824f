package backup

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// LocalKeyLen is the length of an attachment's local key: AES-256 key then
// HMAC-SHA256 key.
const LocalKeyLen = 64

// ErrTooLarge is matched by the error for an attachment above the limit.
var ErrTooLarge = errors.New("attachment too large")

// NewLocalKey returns a random local key.
func NewLocalKey() [LocalKeyLen]byte {
	var k [LocalKeyLen]byte
	rand.Read(k[:])
	return k
}

// MediaName is the file name of an attachment in the files store:
// hex(SHA-256(plaintextHash || localKey)).
func MediaName(plaintextHash [32]byte, localKey [LocalKeyLen]byte) string {
	h := sha256.New()
	h.Write(plaintextHash[:])
	h.Write(localKey[:])
	return hex.EncodeToString(h.Sum(nil))
}

// MediaPath is where the attachment named mediaName lives under a
// SignalBackups folder.
func MediaPath(root, mediaName string) string {
	return filepath.Join(root, "files", mediaName[:2], mediaName)
}

// EncryptAttachment reads src to its end and writes to dst
// IV || AES-256-CBC(localKey[:32], plaintext || zeros to PaddedSize, PKCS#7)
// || HMAC-SHA256(localKey[32:], IV || ciphertext). It returns the plaintext
// size and SHA-256. More than limit bytes give ErrTooLarge.
func EncryptAttachment(dst io.Writer, src io.Reader, localKey [LocalKeyLen]byte, limit int64) (size int64, hash [32]byte, err error) {
	s, err := newSealer(dst, localKey[:32], localKey[32:])
	if err != nil {
		return 0, hash, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(s, h), io.LimitReader(src, limit+1))
	if err != nil {
		return 0, hash, err
	}
	if n > limit {
		return 0, hash, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	if err := zeros(s, PaddedSize(n)-n); err != nil {
		return 0, hash, err
	}
	if err := s.Close(); err != nil {
		return 0, hash, err
	}
	return n, [32]byte(h.Sum(nil)), nil
}

// DecryptAttachment authenticates and decrypts the attachment file at path
// and writes its first size bytes to dst. It checks that they hash to
// plaintextHash.
func DecryptAttachment(dst io.Writer, path string, localKey [LocalKeyLen]byte, size int64, plaintextHash [32]byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := checkMAC(f, fi.Size(), localKey[32:]); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	o, err := newOpener(f, fi.Size(), localKey[:32])
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(dst, h), io.LimitReader(o, size))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if n != size {
		return fmt.Errorf("%s: %d bytes, want %d", path, n, size)
	}
	if !hmac.Equal(h.Sum(nil), plaintextHash[:]) {
		return fmt.Errorf("%s: plaintext hash does not match", path)
	}
	return nil
}
