package backup

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
)

// ErrAuth is matched by the error for data whose HMAC does not match: a
// wrong key, or a changed or truncated file.
var ErrAuth = errors.New("HMAC does not match")

// PaddedSize is the size Signal pads n bytes to before encryption, so that
// sizes fall into buckets: max(541, floor(1.05^ceil(log_1.05(n)))).
func PaddedSize(n int64) int64 {
	if n <= 0 {
		return 541
	}
	p := int64(math.Floor(math.Pow(1.05, math.Ceil(math.Log(float64(n))/math.Log(1.05)))))
	return max(541, p, n)
}

// sealer encrypts a stream with AES-256-CBC and PKCS#7 and writes
// IV || ciphertext || HMAC-SHA256(IV || ciphertext).
type sealer struct {
	w       *bufio.Writer
	mode    cipher.BlockMode
	mac     hash.Hash
	pending []byte // less than one block of plaintext
	blocks  []byte // scratch for encrypting
	n       int64  // plaintext bytes written
	err     error
}

func newSealer(w io.Writer, aesKey, macKey []byte) (*sealer, error) {
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	var iv [16]byte
	rand.Read(iv[:])
	s := &sealer{w: bufio.NewWriterSize(w, 64<<10), mode: cipher.NewCBCEncrypter(block, iv[:]),
		mac: hmac.New(sha256.New, macKey), blocks: make([]byte, 0, 64<<10)}
	s.out(iv[:])
	return s, s.err
}

func (s *sealer) out(b []byte) {
	if s.err != nil {
		return
	}
	s.mac.Write(b)
	_, s.err = s.w.Write(b)
}

// Write encrypts every whole block of p and keeps the rest.
func (s *sealer) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	total := len(p)
	s.n += int64(total)
	for len(p) > 0 {
		if len(s.pending) > 0 || len(p) < aes.BlockSize {
			k := min(aes.BlockSize-len(s.pending), len(p))
			s.pending = append(s.pending, p[:k]...)
			p = p[k:]
			if len(s.pending) == aes.BlockSize {
				s.mode.CryptBlocks(s.pending, s.pending)
				s.out(s.pending)
				s.pending = s.pending[:0]
			}
			continue
		}
		k := min(len(p)/aes.BlockSize*aes.BlockSize, cap(s.blocks))
		b := s.blocks[:k]
		s.mode.CryptBlocks(b, p[:k])
		s.out(b)
		p = p[k:]
	}
	return total, s.err
}

// Close adds the PKCS#7 padding, the MAC, and flushes.
func (s *sealer) Close() error {
	pad := aes.BlockSize - len(s.pending)
	last := append(s.pending, bytes.Repeat([]byte{byte(pad)}, pad)...)
	s.mode.CryptBlocks(last, last)
	s.out(last)
	if s.err != nil {
		return s.err
	}
	if _, err := s.w.Write(s.mac.Sum(nil)); err != nil {
		return err
	}
	return s.w.Flush()
}

// zeros writes n zero bytes to w.
func zeros(w io.Writer, n int64) error {
	var z [4096]byte
	for n > 0 {
		k := min(n, int64(len(z)))
		if _, err := w.Write(z[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// checkMAC reads r (size bytes: data then a 32-byte HMAC-SHA256 of the
// data) and reports ErrAuth when the MAC does not match.
func checkMAC(r io.ReaderAt, size int64, macKey []byte) error {
	if size < 16+aes.BlockSize+sha256.Size {
		return fmt.Errorf("%w: only %d bytes", ErrAuth, size)
	}
	m := hmac.New(sha256.New, macKey)
	if _, err := io.Copy(m, io.NewSectionReader(r, 0, size-sha256.Size)); err != nil {
		return err
	}
	var want [sha256.Size]byte
	if _, err := r.ReadAt(want[:], size-sha256.Size); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if !hmac.Equal(m.Sum(nil), want[:]) {
		return ErrAuth
	}
	if (size-16-sha256.Size)%aes.BlockSize != 0 {
		return fmt.Errorf("ciphertext is not a whole number of blocks")
	}
	return nil
}

// opener decrypts IV || ciphertext (the MAC already checked and cut off)
// and strips the PKCS#7 padding.
type opener struct {
	r    io.Reader
	mode cipher.BlockMode
	buf  []byte // decrypted, not yet returned
	held []byte // the last decrypted block, held back until EOF
	raw  []byte
	eof  bool
}

func newOpener(r io.ReaderAt, size int64, aesKey []byte) (*opener, error) {
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	var iv [16]byte
	if _, err := r.ReadAt(iv[:], 0); err != nil {
		return nil, err
	}
	body := io.NewSectionReader(r, 16, size-16-sha256.Size)
	return &opener{r: bufio.NewReaderSize(body, 64<<10), mode: cipher.NewCBCDecrypter(block, iv[:]),
		raw: make([]byte, 32<<10)}, nil
}

func (o *opener) Read(p []byte) (int, error) {
	for len(o.buf) == 0 {
		if o.eof {
			return 0, io.EOF
		}
		n, err := io.ReadFull(o.r, o.raw)
		if n%aes.BlockSize != 0 {
			return 0, errors.New("ciphertext is not a whole number of blocks")
		}
		chunk := o.raw[:n]
		o.mode.CryptBlocks(chunk, chunk)
		out := append(o.held[:0:0], o.held...)
		if n > 0 {
			out = append(out, chunk[:n-aes.BlockSize]...)
			o.held = append(o.held[:0], chunk[n-aes.BlockSize:]...)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			o.eof = true
			pad := 0
			if len(o.held) == aes.BlockSize {
				pad = int(o.held[aes.BlockSize-1])
			}
			if pad < 1 || pad > aes.BlockSize || !bytes.Equal(o.held[aes.BlockSize-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
				return 0, errors.New("bad PKCS#7 padding")
			}
			out = append(out, o.held[:aes.BlockSize-pad]...)
		} else if err != nil {
			return 0, err
		}
		o.buf = out
	}
	n := copy(p, o.buf)
	o.buf = o.buf[n:]
	return n, nil
}
