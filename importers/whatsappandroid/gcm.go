package whatsappandroid

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// gcmStream decrypts AES-GCM one piece at a time. Go's cipher.AEAD wants
// the whole ciphertext in memory before it says anything; a phone backup
// can be gigabytes, so chatferry runs the two halves of GCM itself: the
// CTR keystream (counter starting at inc32(J0)) and GHASH over the
// ciphertext, checked against the tag at the end. WhatsApp's backups use
// a 16-byte IV and no additional data.
type gcmStream struct {
	block  cipher.Block
	h      ghashKey
	j0     [16]byte
	ctr    [16]byte // next counter block to start a CTR stream at
	stream cipher.Stream
	left   uint64 // bytes the current CTR stream may still produce before the 32-bit counter wraps

	acc     [16]byte // GHASH accumulator
	partial [16]byte // ciphertext of an unfinished GHASH block
	npart   int
	n       uint64 // ciphertext bytes so far
}

func newGCMStream(key, iv []byte) (*gcmStream, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) == 0 {
		return nil, errors.New("empty GCM nonce")
	}
	g := &gcmStream{block: block}
	var hb [16]byte
	block.Encrypt(hb[:], hb[:])
	g.h = newGHASHKey(hb)

	// J0 = GHASH(IV || 0-padding || [0]64 || [len(IV) in bits]64), the
	// rule for nonces that are not 12 bytes long.
	var y [16]byte
	for off := 0; off < len(iv); off += 16 {
		var blk [16]byte
		copy(blk[:], iv[off:])
		g.h.update(&y, &blk)
	}
	var lens [16]byte
	binary.BigEndian.PutUint64(lens[8:], uint64(len(iv))*8)
	g.h.update(&y, &lens)
	g.j0 = y
	g.ctr = y
	inc32(&g.ctr)
	g.restart()
	return g, nil
}

func inc32(b *[16]byte) {
	binary.BigEndian.PutUint32(b[12:], binary.BigEndian.Uint32(b[12:])+1)
}

// restart starts a CTR stream at g.ctr that is good until the low 32 bits
// of the counter wrap (GCM increments only those; cipher.NewCTR would
// carry into the upper 96).
func (g *gcmStream) restart() {
	g.stream = cipher.NewCTR(g.block, g.ctr[:])
	g.left = (1<<32 - uint64(binary.BigEndian.Uint32(g.ctr[12:]))) * 16
}

// decrypt decrypts src into dst (which may be the same slice) and feeds the
// ciphertext to GHASH.
func (g *gcmStream) decrypt(dst, src []byte) {
	g.hashCiphertext(src)
	for len(src) > 0 {
		n := len(src)
		if uint64(n) > g.left {
			n = int(g.left)
		}
		g.stream.XORKeyStream(dst[:n], src[:n])
		g.left -= uint64(n)
		dst, src = dst[n:], src[n:]
		if g.left == 0 {
			binary.BigEndian.PutUint32(g.ctr[12:], 0)
			g.restart()
		}
	}
}

func (g *gcmStream) hashCiphertext(c []byte) {
	g.n += uint64(len(c))
	if g.npart > 0 {
		k := copy(g.partial[g.npart:], c)
		g.npart += k
		c = c[k:]
		if g.npart < 16 {
			return
		}
		g.h.update(&g.acc, &g.partial)
		g.npart = 0
	}
	for len(c) >= 16 {
		g.h.update(&g.acc, (*[16]byte)(c[:16]))
		c = c[16:]
	}
	if len(c) > 0 {
		g.npart = copy(g.partial[:], c)
	}
}

// verify reports whether tag authenticates everything decrypted so far.
func (g *gcmStream) verify(tag []byte) bool {
	acc := g.acc
	if g.npart > 0 {
		var blk [16]byte
		copy(blk[:], g.partial[:g.npart])
		g.h.update(&acc, &blk)
	}
	var lens [16]byte // no additional data: len(A) = 0
	binary.BigEndian.PutUint64(lens[8:], g.n*8)
	g.h.update(&acc, &lens)
	var ek [16]byte
	g.block.Encrypt(ek[:], g.j0[:])
	subtle.XORBytes(ek[:], ek[:], acc[:])
	return len(tag) == 16 && subtle.ConstantTimeCompare(ek[:], tag) == 1
}

// ghashKey multiplies by H in GF(2^128) with GCM's bit order, four bits
// at a time (Shoup's method): tab[n] = n·H for every 4-bit n, where the
// nibble's high bit is the lowest power of x.
type ghashKey struct {
	hi, lo [16]uint64
}

// last4 reduces the four bits shifted out of a 128-bit value by x^4
// modulo GCM's polynomial.
var last4 = [16]uint64{
	0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0,
	0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0,
}

func newGHASHKey(h [16]byte) ghashKey {
	var k ghashKey
	vh, vl := binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint64(h[8:])
	k.hi[8], k.lo[8] = vh, vl
	for i := 4; i > 0; i >>= 1 {
		// multiply by x: shift towards the low end, reduce on carry-out
		carry := vl & 1
		vl = vh<<63 | vl>>1
		vh >>= 1
		if carry != 0 {
			vh ^= 0xe1 << 56
		}
		k.hi[i], k.lo[i] = vh, vl
	}
	for i := 2; i <= 8; i <<= 1 {
		for j := 1; j < i; j++ {
			k.hi[i+j] = k.hi[i] ^ k.hi[j]
			k.lo[i+j] = k.lo[i] ^ k.lo[j]
		}
	}
	return k
}

// update sets y = (y XOR blk)·H.
func (k *ghashKey) update(y *[16]byte, blk *[16]byte) {
	var x [16]byte
	subtle.XORBytes(x[:], y[:], blk[:])
	n := x[15] & 0xf
	zh, zl := k.hi[n], k.lo[n]
	for i := 15; i >= 0; i-- {
		lo, hi := x[i]&0xf, x[i]>>4
		if i != 15 {
			rem := zl & 0xf
			zl = zh<<60 | zl>>4
			zh = zh>>4 ^ last4[rem]<<48
			zh ^= k.hi[lo]
			zl ^= k.lo[lo]
		}
		rem := zl & 0xf
		zl = zh<<60 | zl>>4
		zh = zh>>4 ^ last4[rem]<<48
		zh ^= k.hi[hi]
		zl ^= k.lo[hi]
	}
	binary.BigEndian.PutUint64(y[:8], zh)
	binary.BigEndian.PutUint64(y[8:], zl)
}
