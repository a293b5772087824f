package whatsappandroid

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"

	"github.com/chatferry/chatferry/importers"
)

// The ways a backup can fail to decrypt. Errors from decryptBackup match
// one of them with errors.Is.
var (
	ErrWrongKey  = errors.New("the key does not open this backup")
	ErrDamaged   = fmt.Errorf("the backup file is %w", importers.ErrDamaged)
	ErrNeedKey   = &importers.OptionError{Err: errors.New("an encrypted backup needs --key")}
	errBadHeader = errors.New("not a WhatsApp crypt12, crypt14 or crypt15 backup")
)

var errIntactWrongKey = fmt.Errorf("%w: the file is intact, so it was made with another key", ErrWrongKey)

// header is what the unencrypted start of a backup says.
type header struct {
	Version    int    // 12, 14 or 15
	IV         []byte // the 16-byte GCM nonce
	ServerSalt []byte // crypt12 and crypt14: must match the key file's
	AppVersion string // "2.22.5.13", when the header names it
	Offset     int    // where the ciphertext starts
}

// headerMax is the most of a file parseHeader ever needs.
const headerMax = 2 + 255

// parseHeader reads the header of a crypt12, crypt14 or crypt15 backup
// from the start of the file.
//
// crypt12: 00 01 02, server salt [3:35], Google id salt [35:51], IV
// [51:67], ciphertext from 67. crypt14/15: one byte N (the length of a
// BackupPrefix protobuf), an optional 0x01 byte that announces a feature
// table, then the N-byte protobuf: field 1 key type, field 2 the crypt14
// cipher info {1 cipher version, 2 key version, 3 server salt, 4 Google
// id, 5 IV} or field 3 the crypt15 info {1 IV}, field 4 app info {1 app
// version, 3 jid suffix, ...}.
func parseHeader(b []byte) (header, error) {
	if len(b) >= 67 && b[0] == 0 && b[1] == 1 && b[2] == 2 {
		return header{Version: 12, ServerSalt: b[3:35], IV: b[51:67], Offset: 67}, nil
	}
	if len(b) < 2 || b[0] == 0 {
		return header{}, errBadHeader
	}
	n, off := int(b[0]), 1
	if b[1] == 1 { // a protobuf never starts with field 0, so 0x01 is the flag
		off = 2
	}
	if len(b) < off+n {
		return header{}, fmt.Errorf("%w: header of %d bytes is cut short", errBadHeader, n)
	}
	var h header
	h.Offset = off + n
	err := walkProto(b[off:off+n], func(field int, wire int, v []byte, _ uint64) error {
		switch {
		case field == 2 && wire == 2:
			h.Version = 14
			return walkProto(v, func(f, w int, v []byte, _ uint64) error {
				switch {
				case f == 3 && w == 2:
					h.ServerSalt = v
				case f == 5 && w == 2:
					h.IV = v
				}
				return nil
			})
		case field == 3 && wire == 2:
			h.Version = 15
			return walkProto(v, func(f, w int, v []byte, _ uint64) error {
				if f == 1 && w == 2 {
					h.IV = v
				}
				return nil
			})
		case field == 4 && wire == 2:
			return walkProto(v, func(f, w int, v []byte, _ uint64) error {
				if f == 1 && w == 2 {
					h.AppVersion = string(v)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return header{}, fmt.Errorf("%w: %v", errBadHeader, err)
	}
	if h.Version == 0 {
		return header{}, fmt.Errorf("%w: the header names no cipher", errBadHeader)
	}
	if len(h.IV) != 16 {
		return header{}, fmt.Errorf("%w: the IV is %d bytes, want 16", errBadHeader, len(h.IV))
	}
	if h.Version == 14 && len(h.ServerSalt) != 32 {
		return header{}, fmt.Errorf("%w: the server salt is %d bytes, want 32", errBadHeader, len(h.ServerSalt))
	}
	return h, nil
}

// walkProto calls fn for every field of a protobuf message: v holds the
// bytes of a length-delimited or fixed field, x the value of a varint.
func walkProto(b []byte, fn func(field, wire int, v []byte, x uint64) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad field key")
		}
		b = b[n:]
		field, wire := int(key>>3), int(key&7)
		if field == 0 {
			return errors.New("field number 0")
		}
		var v []byte
		var x uint64
		switch wire {
		case 0:
			x, n = binary.Uvarint(b)
			if n <= 0 {
				return errors.New("bad varint")
			}
			b = b[n:]
		case 1, 5:
			size := 8
			if wire == 5 {
				size = 4
			}
			if len(b) < size {
				return errors.New("fixed field cut short")
			}
			v, b = b[:size], b[size:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return errors.New("length-delimited field cut short")
			}
			v, b = b[n:n+int(l)], b[n+int(l):]
		default:
			return fmt.Errorf("unsupported wire type %d", wire)
		}
		if err := fn(field, wire, v, x); err != nil {
			return err
		}
	}
	return nil
}

// backupKey is what the user gave as --key.
type backupKey struct {
	// AES is the AES-256 key of a crypt12/crypt14 key file, Salt the
	// server salt that file carries.
	AES, Salt []byte
	// Root is the 32-byte root key of an end-to-end (crypt15) backup.
	Root []byte
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s + s) // doubled: an odd count is still hex digits
	return s != "" && err == nil
}

// parseKey reads --key: 64 hex digits, or the path of a key file (the
// 158-byte `key` of crypt12/14, the `encrypted_backup.key` of crypt15, or
// a text file with the 64 hex digits).
func parseKey(arg string) (backupKey, error) {
	if root, ok := hexKey(arg); ok {
		return backupKey{Root: root}, nil
	}
	f, err := os.Open(arg)
	if err != nil {
		if digits := strings.Join(strings.Fields(arg), ""); errors.Is(err, os.ErrNotExist) && isHex(digits) {
			return backupKey{}, importers.OptionErrorf("--key: %d hex digits given; an end-to-end backup key has 64 (and no file %q exists)", len(digits), arg)
		}
		return backupKey{}, fmt.Errorf("--key: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 4097))
	if err != nil {
		return backupKey{}, fmt.Errorf("--key: %w", err)
	}
	if len(data) > 4096 {
		return backupKey{}, importers.OptionErrorf("--key: %s is too large to be a WhatsApp key file", arg)
	}
	k, err := keyFromBytes(data)
	if err != nil {
		return backupKey{}, importers.OptionErrorf("--key: %s: %w", arg, err)
	}
	return k, nil
}

func hexKey(s string) ([]byte, bool) {
	s = strings.Join(strings.Fields(s), "")
	if len(s) != 64 {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

// javaByteArray is how Java's ObjectOutputStream writes a byte[]: stream
// magic and version, TC_ARRAY, TC_CLASSDESC, the class name "[B".
var javaByteArray = []byte{0xac, 0xed, 0x00, 0x05, 0x75, 0x72, 0x00, 0x02, '[', 'B'}

func keyFromBytes(data []byte) (backupKey, error) {
	payload := data
	if bytes.HasPrefix(data, javaByteArray) {
		// then serialVersionUID (8), flags (1), field count (2),
		// TC_ENDBLOCKDATA, TC_NULL, and the array length (4)
		const at = 10 + 8 + 1 + 2 + 2
		if len(data) < at+4 {
			return backupKey{}, errors.New("key file (Java-serialised) is cut short")
		}
		n := binary.BigEndian.Uint32(data[at:])
		payload = data[at+4:]
		if uint64(n) != uint64(len(payload)) {
			return backupKey{}, fmt.Errorf("key file (Java-serialised) says %d bytes but holds %d", n, len(payload))
		}
	} else if root, ok := hexKey(string(data)); ok {
		return backupKey{Root: root}, nil
	}
	switch len(payload) {
	case 131: // cipher version (2), key version (1), server salt (32), Google id salt (16), sha256(Google id) (32), IV (16), AES key (32)
		return backupKey{AES: payload[99:131], Salt: payload[3:35]}, nil
	case 32:
		return backupKey{Root: payload}, nil
	}
	return backupKey{}, fmt.Errorf("a key of %d bytes is not a WhatsApp key (want the 158-byte key file, encrypted_backup.key or 64 hex digits)", len(payload))
}

// crypt15Key derives the backup encryption key from an end-to-end root
// key: HMAC-SHA256(HMAC-SHA256(32 zero bytes, root), "backup encryption" 0x01).
func crypt15Key(root []byte) []byte {
	m := hmac.New(sha256.New, make([]byte, 32))
	m.Write(root)
	prk := m.Sum(nil)
	m = hmac.New(sha256.New, prk)
	m.Write([]byte("backup encryption"))
	m.Write([]byte{1})
	return m.Sum(nil)
}

// aesKey picks the AES key for a backup with header h.
func (k backupKey) aesKey(h header) ([]byte, error) {
	switch h.Version {
	case 15:
		if k.Root == nil {
			return nil, fmt.Errorf("%w: a crypt15 backup opens with the 64-digit end-to-end key or encrypted_backup.key, not a crypt14 key file", ErrWrongKey)
		}
		return crypt15Key(k.Root), nil
	default:
		if k.AES == nil {
			return nil, fmt.Errorf("%w: a crypt%d backup opens with the 158-byte key file from the phone (/data/data/com.whatsapp/files/key)", ErrWrongKey, h.Version)
		}
		if !bytes.Equal(k.Salt, h.ServerSalt) {
			return nil, fmt.Errorf("%w: the key file belongs to another phone or account (its server salt differs)", ErrWrongKey)
		}
		return k.AES, nil
	}
}

// cryptReader yields the plaintext of a backup's ciphertext, reading the
// file once. It knows the file's size, so it knows where the ciphertext
// ends: crypt12 ends with tag (16), MD5 (16) and a 4-byte jid suffix;
// crypt14/15 with tag (16) and MD5 (16), except that backups split over
// several files leave the MD5 out. Which of the two it is shows only at
// the end: if the MD5 of everything before the last 16 bytes is those
// bytes, they are the MD5; otherwise they are the tag. At the end it
// checks the tag and the checksum and returns ErrWrongKey or ErrDamaged
// instead of io.EOF.
type cryptReader struct {
	ctx     context.Context
	r       io.Reader
	gcm     *gcmStream
	sum     hash.Hash
	version int
	left    int64 // ciphertext bytes before the fixed tail
	tail    int   // length of the fixed tail
	done    bool  // the tail has been read and checked
	pending []byte
	first   []byte // the first two bytes of plaintext
	err     error
}

func newCryptReader(ctx context.Context, r io.Reader, size int64, h header, key []byte, head []byte) (*cryptReader, error) {
	g, err := newGCMStream(key, h.IV)
	if err != nil {
		return nil, err
	}
	c := &cryptReader{ctx: ctx, r: r, gcm: g, sum: md5.New(), version: h.Version, tail: 32}
	if h.Version == 12 {
		c.tail = 36
	}
	c.left = size - int64(h.Offset) - int64(c.tail)
	if c.left < 0 {
		return nil, fmt.Errorf("%w: it is shorter than its header and trailer", ErrDamaged)
	}
	c.sum.Write(head[:h.Offset])
	return c, nil
}

func (c *cryptReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		c.err = err
		return 0, err
	}
	if c.left == 0 && !c.done {
		c.done = true
		if err := c.finish(); err != nil {
			c.err = err
			return 0, err
		}
	}
	if c.done {
		if len(c.pending) > 0 {
			n := copy(p, c.pending)
			c.pending = c.pending[n:]
			return n, nil
		}
		c.err = io.EOF
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.sum.Write(p[:n])
	c.gcm.decrypt(p[:n], p[:n])
	if len(c.first) < 2 {
		c.first = append(c.first, p[:min(n, 2-len(c.first))]...)
	}
	c.left -= int64(n)
	if err == io.EOF && c.left > 0 {
		err = fmt.Errorf("%w: it ends %d bytes early", ErrDamaged, c.left+int64(c.tail))
	}
	if err != nil && err != io.EOF {
		c.err = err
		return n, err
	}
	return n, nil
}

// finish reads the fixed tail and checks the tag and the checksum.
func (c *cryptReader) finish() error {
	tail := make([]byte, c.tail)
	if _, err := io.ReadFull(c.r, tail); err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return fmt.Errorf("%w: it ends inside its trailer", ErrDamaged)
		}
		return err
	}
	var extra [1]byte
	if n, _ := io.ReadFull(c.r, extra[:]); n > 0 {
		return fmt.Errorf("%w: it is longer than its size said", ErrDamaged)
	}
	tag, rest := tail[:16], tail[16:32]
	c.sum.Write(tag)
	if c.version == 12 {
		if !bytes.Equal(c.sum.Sum(nil), rest) {
			return fmt.Errorf("%w: its MD5 checksum does not match", ErrDamaged)
		}
		if !c.gcm.verify(tag) {
			return errIntactWrongKey
		}
		return nil
	}
	if bytes.Equal(c.sum.Sum(nil), rest) {
		if !c.gcm.verify(tag) {
			return errIntactWrongKey
		}
		return nil
	}
	// No MD5: a multi-file backup, whose last 16 bytes are the tag and
	// whose ciphertext runs 16 bytes further.
	plain := append([]byte(nil), tag...)
	c.gcm.decrypt(plain, plain)
	if !c.gcm.verify(rest) {
		// Either a damaged file or a wrong key. Plaintext that starts
		// like a zlib stream means the key is right.
		if len(c.first) == 2 && c.first[0] == 0x78 && (uint(c.first[0])<<8|uint(c.first[1]))%31 == 0 {
			return fmt.Errorf("%w: its checksum does not match", ErrDamaged)
		}
		return ErrWrongKey
	}
	c.pending = plain
	return nil
}

// decryptBackup decrypts and inflates the backup read from r (size bytes)
// into w, writing at most maxOut bytes. The file is read once, from the
// start; the header must already be in head (the first bytes of r, which
// r must not yield again).
func decryptBackup(ctx context.Context, r io.Reader, size int64, head []byte, key backupKey, w io.Writer, maxOut int64) error {
	h, err := parseHeader(head)
	if err != nil {
		return err
	}
	aesKey, err := key.aesKey(h)
	if err != nil {
		return err
	}
	cr, err := newCryptReader(ctx, io.MultiReader(bytes.NewReader(head[h.Offset:]), r), size, h, aesKey, head)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(cr, 256<<10)
	err = inflate(br, w, maxOut)
	// Read to the end whatever the inflater left, so that the tag and
	// the checksum are checked: they say why inflating failed.
	if err == nil || !isStop(err) {
		if _, derr := io.Copy(io.Discard, br); derr != nil {
			return derr
		}
	}
	switch {
	case err == nil:
		return nil
	case isStop(err):
		return err
	default:
		return fmt.Errorf("%w: the decrypted data does not inflate: %v", ErrDamaged, err)
	}
}

// isStop reports whether err ends a decryption for a reason other than the
// data: cancellation, a size limit, or a failure to read or write.
func isStop(err error) bool {
	var pe *os.PathError
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, importers.ErrLimit) || errors.Is(err, ErrWrongKey) || errors.Is(err, ErrDamaged) ||
		errors.As(err, &pe)
}

func inflate(r io.Reader, w io.Writer, maxOut int64) error {
	zr, err := zlib.NewReader(r)
	if err != nil {
		return err
	}
	n, err := io.Copy(w, io.LimitReader(zr, maxOut+1))
	if err != nil {
		return err
	}
	if n > maxOut {
		return fmt.Errorf("the backup inflates to more than %s: %w", importers.FormatSize(maxOut), importers.ErrLimit)
	}
	return zr.Close()
}
