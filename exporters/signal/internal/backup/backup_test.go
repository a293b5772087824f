package backup

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The key schedule reproduces libsignal's published test vector
// (rust/account-keys/src/backup.rs, rust/message-backup/src/key.rs).
func TestKeyVector(t *testing.T) {
	const aep = "dtjs858asj6tv0jzsqrsmj0ubp335pisj98e9ssnss8myoc08drhtcktyawvx45l"
	aci := [16]byte(unhex(t, "659aa5f4a28dfcc11ea1b997537a3d95"))
	bk := DeriveBackupKey(aep)
	if got, want := hex.EncodeToString(bk[:]), "ea26a2ddb5dba5ef9e34e1b8dea1f5ae7f255306a6d2d883e542306eaa9fe985"; got != want {
		t.Errorf("backup key %s, want %s", got, want)
	}
	id := DeriveBackupID(bk, aci)
	if got, want := hex.EncodeToString(id[:]), "8a624fbc45379043f39f1391cddc5fe8"; got != want {
		t.Errorf("backup id %s, want %s", got, want)
	}
	k := NewKeys(bk, id)
	if got, want := hex.EncodeToString(k.HMACKey[:]), "f425e22a607c529717e1e1b29f9fe139f9d1c7e7d01e371c7753c544a3026649"; got != want {
		t.Errorf("hmac key %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(k.AESKey[:]), "e143f4ad5668d8bfed2f88562f0693f53bda2c0e55c9d71730f30e24695fd6df"; got != want {
		t.Errorf("aes key %s, want %s", got, want)
	}
}

func TestRecoveryKeyForms(t *testing.T) {
	const aep = "dtjs858asj6tv0jzsqrsmj0ubp335pisj98e9ssnss8myoc08drhtcktyawvx45l"
	shown := DisplayRecoveryKey(aep)
	if want := "DTJS 858A SJ6T V=JZ SQRS MJ=U BP33 5PIS J98E 9SSN SS8M Y#C= 8DRH TCKT YAWV X45L"; shown != want {
		t.Errorf("display %q, want %q", shown, want)
	}
	for _, in := range []string{aep, shown, strings.ToUpper(aep), " " + strings.ReplaceAll(shown, " ", "-") + "\n"} {
		got, err := ParseRecoveryKey(in)
		if err != nil || got != aep {
			t.Errorf("ParseRecoveryKey(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", aep[:63], aep + "a", aep[:63] + "!", aep[:62] + "é"} {
		if _, err := ParseRecoveryKey(bad); !errors.Is(err, ErrRecoveryKey) {
			t.Errorf("ParseRecoveryKey(%q) = %v, want ErrRecoveryKey", bad, err)
		}
	}
	seen := map[string]bool{}
	for range 20 {
		k := GenerateRecoveryKey()
		if p, err := ParseRecoveryKey(k); err != nil || p != k {
			t.Errorf("generated key %q does not parse: %v", k, err)
		}
		if seen[k] {
			t.Errorf("generated key %q twice", k)
		}
		seen[k] = true
	}
}

// The expected sizes were computed with the same formula in JavaScript.
func TestPaddedSize(t *testing.T) {
	for _, c := range []struct{ n, want int64 }{{0, 541}, {1, 541}, {541, 541}, {542, 568}, {1000, 1020}, {1 << 20, 1093831}} {
		if got := PaddedSize(c.n); got != c.want {
			t.Errorf("PaddedSize(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	for n := int64(0); n < 100000; n += 997 {
		if PaddedSize(n) < n {
			t.Fatalf("PaddedSize(%d) = %d < n", n, PaddedSize(n))
		}
	}
}

func testKeys() *Keys {
	bk := DeriveBackupKey(GenerateRecoveryKey())
	return NewKeys(bk, DeriveBackupID(bk, [16]byte{1, 2, 3}))
}

func writeMain(t testing.TB, k *Keys, frames [][]byte) []byte {
	var buf bytes.Buffer
	w, err := NewMainWriter(&buf, k)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readMain(data []byte, k *Keys) ([][]byte, error) {
	fr, err := OpenMain(bytes.NewReader(data), int64(len(data)), k)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for {
		f, err := fr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
}

func TestMainRoundTrip(t *testing.T) {
	k := testKeys()
	frames := [][]byte{[]byte("info"), {}, bytes.Repeat([]byte("x"), 100000), []byte("last")}
	for i := range 300 {
		frames = append(frames, bytes.Repeat([]byte{byte(i)}, i))
	}
	data := writeMain(t, k, frames)
	got, err := readMain(data, k)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(frames) {
		t.Fatalf("read %d frames, wrote %d", len(got), len(frames))
	}
	for i := range frames {
		if !bytes.Equal(got[i], frames[i]) {
			t.Errorf("frame %d differs", i)
		}
	}
	// Every single changed byte is caught, and so is a wrong key.
	for _, i := range []int{0, 15, 16, len(data) / 2, len(data) - 33, len(data) - 1} {
		bad := bytes.Clone(data)
		bad[i] ^= 1
		if _, err := readMain(bad, k); !errors.Is(err, ErrAuth) {
			t.Errorf("byte %d changed: %v, want ErrAuth", i, err)
		}
	}
	if _, err := readMain(data, testKeys()); !errors.Is(err, ErrAuth) {
		t.Errorf("wrong key: %v, want ErrAuth", err)
	}
	if _, err := readMain(data[:len(data)-16], k); !errors.Is(err, ErrAuth) {
		t.Errorf("truncated: %v, want ErrAuth", err)
	}
}

func TestMetadata(t *testing.T) {
	k := testKeys()
	m := EncodeMetadata(k)
	id, err := DecodeMetadata(m, k.BackupKey)
	if err != nil || id != k.BackupID {
		t.Fatalf("DecodeMetadata = %x, %v; want %x", id, err, k.BackupID)
	}
	if id, _ := DecodeMetadata(m, testKeys().BackupKey); id == k.BackupID {
		t.Error("another key decrypts the same backup id")
	}
	for _, bad := range [][]byte{nil, {0x08, 0x02}, m[:len(m)-3], {0xff}} {
		if _, err := DecodeMetadata(bad, k.BackupKey); err == nil {
			t.Errorf("DecodeMetadata(%x) accepted", bad)
		}
	}
}

func TestAttachment(t *testing.T) {
	dir := t.TempDir()
	key := NewLocalKey()
	plain := bytes.Repeat([]byte("photo "), 2000)
	path := filepath.Join(dir, "a")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	size, hash, err := EncryptAttachment(f, bytes.NewReader(plain), key, 1<<20)
	f.Close()
	if err != nil || size != int64(len(plain)) {
		t.Fatalf("EncryptAttachment = %d, %v", size, err)
	}
	fi, _ := os.Stat(path)
	if want := 16 + (PaddedSize(size)/16+1)*16 + 32; fi.Size() != want {
		t.Errorf("encrypted size %d, want %d", fi.Size(), want)
	}
	var out bytes.Buffer
	if err := DecryptAttachment(&out, path, key, size, hash); err != nil || !bytes.Equal(out.Bytes(), plain) {
		t.Fatalf("DecryptAttachment: %v", err)
	}
	data, _ := os.ReadFile(path)
	data[100] ^= 0x80
	os.WriteFile(path, data, 0o644)
	if err := DecryptAttachment(io.Discard, path, key, size, hash); !errors.Is(err, ErrAuth) {
		t.Errorf("changed byte: %v, want ErrAuth", err)
	}
	if _, _, err := EncryptAttachment(io.Discard, bytes.NewReader(plain), key, 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %v, want ErrTooLarge", err)
	}
	if MediaName(hash, key) == MediaName(hash, NewLocalKey()) {
		t.Error("media name does not depend on the key")
	}
}

func TestFilesList(t *testing.T) {
	var b []byte
	for _, n := range []string{"ab12", "cd34"} {
		b = AppendFilesEntry(b, n)
	}
	var got []string
	if err := ReadFilesList(bytes.NewReader(b), func(_ []byte, name string) error {
		got = append(got, name)
		return nil
	}); err != nil || strings.Join(got, ",") != "ab12,cd34" {
		t.Errorf("ReadFilesList = %v, %v", got, err)
	}
}

func FuzzOpenMain(f *testing.F) {
	k := NewKeys([32]byte{1}, [16]byte{2})
	f.Add(writeMain(f, k, [][]byte{[]byte("info"), []byte("frame")}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		readMain(data, k) // must not panic
		NewFrameReader(bytes.NewReader(data)).Next()
		DecodeMetadata(data, k.BackupKey)
	})
}
