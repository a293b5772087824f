package whatsappandroid

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
)

const testRootKey = "6730a595a1484d0c39c101dc0ac82ec5e401bb6f0e1b8ee2dc104a6b3687f017"

func decryptFile(t *testing.T, path string, key backupKey) ([]byte, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	head := make([]byte, headerMax)
	n, _ := io.ReadFull(f, head)
	var out bytes.Buffer
	err = decryptBackup(context.Background(), f, fi.Size(), head[:n], key, &out, 1<<30)
	return out.Bytes(), err
}

func mustKey(t *testing.T, arg string) backupKey {
	t.Helper()
	k, err := parseKey(arg)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The four encrypted samples decrypt to exactly the plain msgstore.db.
func TestCorpusBackupsDecryptToTheDatabase(t *testing.T) {
	dir := importertest.Corpus(t, "sqlite/wa-crypt-tools")
	want, err := os.ReadFile(filepath.Join(dir, "msgstore.db"))
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "key")
	e2eFile := filepath.Join(dir, "encrypted_backup.key")
	for _, tc := range []struct {
		file, key string
		version   int
	}{
		{"msgstore.db.crypt12", keyFile, 12},
		{"msgstore.db.crypt14", keyFile, 14},
		{"msgstore-noexpiry.db.crypt14", keyFile, 14},
		{"msgstore.db.crypt15", e2eFile, 15},
		{"msgstore.db.crypt15", testRootKey, 15},
	} {
		t.Run(tc.file+"/"+filepath.Base(tc.key)[:3], func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			head, _ := os.ReadFile(path)
			h, err := parseHeader(head[:min(len(head), headerMax)])
			if err != nil {
				t.Fatal(err)
			}
			if h.Version != tc.version {
				t.Errorf("header says crypt%d, want crypt%d", h.Version, tc.version)
			}
			got, err := decryptFile(t, path, mustKey(t, tc.key))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decrypted %d bytes (sha256 %x), want msgstore.db's %d", len(got), sha256.Sum256(got), len(want))
			}
		})
	}
}

// A backup split over several files has no MD5 trailer: its last 16 bytes
// are the tag.
func TestCorpusBackupWithoutChecksum(t *testing.T) {
	dir := importertest.Corpus(t, "sqlite/wa-crypt-tools")
	want, _ := os.ReadFile(filepath.Join(dir, "msgstore.db"))
	b, err := os.ReadFile(filepath.Join(dir, "msgstore.db.crypt15"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "msgstore.db.crypt15")
	os.WriteFile(p, b[:len(b)-16], 0o600)
	got, err := decryptFile(t, p, mustKey(t, testRootKey))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("plaintext differs")
	}
	_, err = decryptFile(t, p, mustKey(t, "00"+testRootKey[2:]))
	if !errors.Is(err, ErrWrongKey) {
		t.Errorf("wrong key on a backup without checksum: %v", err)
	}
	t.Log(err)
}

func TestCrypt15KeyDerivation(t *testing.T) {
	root, _ := hex.DecodeString(testRootKey)
	got := hex.EncodeToString(crypt15Key(root))
	if want := "17ec312152f6f84fd13a3ec6b9c9279aac60bb84405f0685d1fae27293757bc7"; got != want {
		t.Errorf("derived key %s, want %s", got, want)
	}
}

// A wrong key fails with ErrWrongKey and says why; a damaged file with
// ErrDamaged.
func TestCorpusWrongKeyAndDamage(t *testing.T) {
	dir := importertest.Corpus(t, "sqlite/wa-crypt-tools")
	other := "00" + testRootKey[2:]
	for _, tc := range []struct {
		name, file, key string
		want            error
	}{
		{"crypt15 other root key", "msgstore.db.crypt15", other, ErrWrongKey},
		{"crypt15 with crypt14 key file", "msgstore.db.crypt15", filepath.Join(dir, "key"), ErrWrongKey},
		{"crypt14 with root key", "msgstore.db.crypt14", testRootKey, ErrWrongKey},
		{"crypt12 with root key", "msgstore.db.crypt12", testRootKey, ErrWrongKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decryptFile(t, filepath.Join(dir, tc.file), mustKey(t, tc.key))
			if !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			t.Log(err)
		})
	}

	// A crypt14 key file whose server salt matches but whose AES key is
	// wrong: the tag check says so.
	keyBytes, _ := os.ReadFile(filepath.Join(dir, "key"))
	bad := append([]byte(nil), keyBytes...)
	bad[len(bad)-1] ^= 1
	badKey := filepath.Join(t.TempDir(), "key")
	os.WriteFile(badKey, bad, 0o600)
	if _, err := decryptFile(t, filepath.Join(dir, "msgstore.db.crypt14"), mustKey(t, badKey)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("crypt14 with a wrong AES key: %v, want ErrWrongKey", err)
	}

	for _, tc := range []struct {
		name   string
		mangle func([]byte) []byte
		want   error
	}{
		{"flipped byte", func(b []byte) []byte { b[len(b)/2] ^= 1; return b }, ErrDamaged},
		{"truncated", func(b []byte) []byte { return b[:len(b)-1000] }, ErrDamaged},
		{"cut to header", func(b []byte) []byte { return b[:200] }, ErrDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := os.ReadFile(filepath.Join(dir, "msgstore.db.crypt15"))
			p := filepath.Join(t.TempDir(), "msgstore.db.crypt15")
			os.WriteFile(p, tc.mangle(b), 0o600)
			_, err := decryptFile(t, p, mustKey(t, testRootKey))
			if !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			t.Log(err)
		})
	}
}

func TestParseKey(t *testing.T) {
	dir := t.TempDir()
	hexFile := filepath.Join(dir, "key.txt")
	os.WriteFile(hexFile, []byte(testRootKey+"\n"), 0o600)
	notKey := filepath.Join(dir, "notes.txt")
	os.WriteFile(notKey, []byte("not a key at all"), 0o600)
	// A value that cannot be a key is the user's mistake on the command
	// line (an option error, exit 2); a key file that is not there is a
	// missing file, as a missing input is.
	for _, tc := range []struct {
		name, arg string
		root      bool
		err       bool
		option    bool
	}{
		{"hex", testRootKey, true, false, false},
		{"hex with spaces", testRootKey[:32] + " " + testRootKey[32:], true, false, false},
		{"hex file", hexFile, true, false, false},
		{"short hex", testRootKey[:62], false, true, true},
		{"odd hex", testRootKey[:63], false, true, true},
		{"not a key file", notKey, false, true, true},
		{"missing file", filepath.Join(dir, "nope"), false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := parseKey(tc.arg)
			if (err != nil) != tc.err {
				t.Fatalf("error %v, want error %v", err, tc.err)
			}
			var oe *importers.OptionError
			if errors.As(err, &oe) != tc.option {
				t.Errorf("error %v: option error %v, want %v", err, !tc.option, tc.option)
			}
			if tc.root && len(k.Root) != 32 {
				t.Errorf("no root key")
			}
		})
	}
	if _, err := keyFromBytes(make([]byte, 100)); err == nil {
		t.Error("a 100-byte key was accepted")
	}
	if _, err := keyFromBytes(append(append([]byte(nil), javaByteArray...), 1, 2, 3)); err == nil {
		t.Error("a cut-short Java key was accepted")
	}
}

func FuzzParseHeader(f *testing.F) {
	f.Add([]byte{0, 1, 2})
	f.Add(append([]byte{0x0a, 0x01, 0x1a, 0x12, 0x0a, 0x10}, make([]byte, 16)...))
	if dir := filepath.Join("..", "..", "..", "shared", "corpus", "sqlite", "wa-crypt-tools"); true {
		for _, name := range []string{"msgstore.db.crypt12", "msgstore.db.crypt14", "msgstore-noexpiry.db.crypt14", "msgstore.db.crypt15"} {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				f.Add(b[:headerMax])
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeader(b)
		if err != nil {
			return
		}
		if len(h.IV) != 16 || h.Offset > len(b) || h.Offset <= 0 {
			t.Fatalf("accepted header with IV %d bytes, offset %d of %d", len(h.IV), h.Offset, len(b))
		}
	})
}
