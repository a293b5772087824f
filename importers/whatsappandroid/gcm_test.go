package whatsappandroid

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"testing"
)

// The streaming GCM opens what Go's own GCM seals, fed in pieces of every
// size, and refuses a flipped bit.
func TestGCMStreamMatchesStandardLibrary(t *testing.T) {
	key := make([]byte, 32)
	iv := make([]byte, 16)
	rand.Read(key)
	rand.Read(iv)
	block, _ := aes.NewCipher(key)
	aead, err := cipher.NewGCMWithNonceSize(block, 16)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, 1, 15, 16, 17, 31, 32, 33, 1000, 65536 + 7} {
		plain := make([]byte, size)
		rand.Read(plain)
		sealed := aead.Seal(nil, iv, plain, nil)
		ct, tag := sealed[:size], sealed[size:]
		for _, piece := range []int{1, 7, 16, 4096} {
			g, err := newGCMStream(key, iv)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, 0, size)
			for off := 0; off < size; off += piece {
				end := min(off+piece, size)
				buf := append([]byte(nil), ct[off:end]...)
				g.decrypt(buf, buf)
				got = append(got, buf...)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("size %d, pieces of %d: plaintext differs", size, piece)
			}
			if !g.verify(tag) {
				t.Fatalf("size %d, pieces of %d: a good tag is refused", size, piece)
			}
			bad := append([]byte(nil), tag...)
			bad[3] ^= 0x40
			if g.verify(bad) {
				t.Fatalf("size %d: a bad tag is accepted", size)
			}
		}
	}
}

// GCM's counter wraps in its low 32 bits only; the CTR streams are
// restarted there.
func TestGCMCounterWrapsIn32Bits(t *testing.T) {
	key := make([]byte, 32)
	rand.Read(key)
	g, err := newGCMStream(key, make([]byte, 16))
	if err != nil {
		t.Fatal(err)
	}
	start := g.ctr
	binary.BigEndian.PutUint32(start[12:], 0xfffffffd)
	g.ctr = start
	g.restart()

	data := make([]byte, 16*6+5)
	got := append([]byte(nil), data...)
	g.decrypt(got[:20], got[:20])
	g.decrypt(got[20:], got[20:])

	block, _ := aes.NewCipher(key)
	want := make([]byte, len(data))
	ctr := start
	for off := 0; off < len(data); off += 16 {
		var ks [16]byte
		block.Encrypt(ks[:], ctr[:])
		for i := off; i < min(off+16, len(data)); i++ {
			want[i] = data[i] ^ ks[i-off]
		}
		inc32(&ctr)
	}
	if !bytes.Equal(got, want) {
		t.Error("the keystream after a 32-bit wrap differs from GCM's")
	}
}

func BenchmarkGCMStream(b *testing.B) {
	key := make([]byte, 32)
	g, _ := newGCMStream(key, make([]byte, 16))
	buf := make([]byte, 1<<20)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		g.decrypt(buf, buf)
	}
}
