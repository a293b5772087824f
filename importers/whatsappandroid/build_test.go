package whatsappandroid

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// buildDB runs an SQL script into a new SQLite database at dbPath.
func buildDB(dbPath string, scripts ...string) error {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range scripts {
		b, err := os.ReadFile(s)
		if err != nil {
			return err
		}
		if _, err := db.Exec(string(b)); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

func mustBuildDB(t testing.TB, dbPath string, scripts ...string) string {
	t.Helper()
	if err := buildDB(dbPath, scripts...); err != nil {
		t.Fatal(err)
	}
	return dbPath
}

// testKey is the root key of the crypt15 backups the tests make.
const testKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// writeCrypt15 encrypts a database the way WhatsApp writes an end-to-end
// backup: header length, feature flag, BackupPrefix{1: key type 1, 3:
// {1: IV}, 4: {1: app version}}, then AES-GCM(zlib(db)), tag and MD5.
func writeCrypt15(dbPath, out string) error {
	plain, err := os.ReadFile(dbPath)
	if err != nil {
		return err
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(plain)
	zw.Close()
	root, _ := hex.DecodeString(testKey)
	block, _ := aes.NewCipher(crypt15Key(root))
	aead, _ := cipher.NewGCMWithNonceSize(block, 16)
	iv := bytes.Repeat([]byte{0x5a}, 16)
	info := append([]byte{0x0a, 9}, "2.24.1.99"...)
	proto := append([]byte{0x08, 0x01, 0x1a, 18, 0x0a, 16}, iv...)
	proto = append(append(proto, 0x22, byte(len(info))), info...)
	file := append([]byte{byte(len(proto)), 0x01}, proto...)
	file = aead.Seal(file, iv, z.Bytes(), nil)
	sum := md5.Sum(file)
	file = append(file, sum[:]...)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, file, 0o644)
}

// copyTree copies the files under src into dst.
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
