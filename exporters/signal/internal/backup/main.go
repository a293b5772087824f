package backup

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxFrame bounds the size of one frame a reader accepts.
const MaxFrame = 64 << 20

// MainWriter writes a snapshot's main file: the varint-delimited frames,
// gzipped, padded with zeros to Signal's size bucket, and sealed with
// AES-256-CBC and HMAC-SHA256 under the message backup keys.
type MainWriter struct {
	s   *sealer
	cw  countWriter
	gz  *gzip.Writer
	hdr [binary.MaxVarintLen64]byte
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// NewMainWriter starts a main file on w. The first frame written must be
// the BackupInfo.
func NewMainWriter(w io.Writer, k *Keys) (*MainWriter, error) {
	s, err := newSealer(w, k.AESKey[:], k.HMACKey[:])
	if err != nil {
		return nil, err
	}
	m := &MainWriter{s: s}
	m.cw.w = s
	m.gz = gzip.NewWriter(&m.cw)
	return m, nil
}

// WriteFrame writes one frame (without its length prefix).
func (m *MainWriter) WriteFrame(frame []byte) error {
	n := binary.PutUvarint(m.hdr[:], uint64(len(frame)))
	if _, err := m.gz.Write(m.hdr[:n]); err != nil {
		return err
	}
	_, err := m.gz.Write(frame)
	return err
}

// Close finishes the gzip stream, pads it and seals the file.
func (m *MainWriter) Close() error {
	if err := m.gz.Close(); err != nil {
		return err
	}
	if err := zeros(m.s, PaddedSize(m.cw.n)-m.cw.n); err != nil {
		return err
	}
	return m.s.Close()
}

// FrameReader reads varint-delimited frames. The first one of a backup is
// the BackupInfo.
type FrameReader struct {
	r   *bufio.Reader
	n   int
	err error
}

// NewFrameReader reads frames from r, which holds them unencrypted and
// not compressed (as Signal's test cases do).
func NewFrameReader(r io.Reader) *FrameReader {
	return &FrameReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// OpenMain authenticates the main file r (size bytes long) with k, then
// returns a reader of its frames. A wrong key or a changed byte gives an
// error matching ErrAuth.
func OpenMain(r io.ReaderAt, size int64, k *Keys) (*FrameReader, error) {
	if err := checkMAC(r, size, k.HMACKey[:]); err != nil {
		return nil, err
	}
	o, err := newOpener(r, size, k.AESKey[:])
	if err != nil {
		return nil, err
	}
	gz, err := gzip.NewReader(bufio.NewReaderSize(o, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("main: %w", err)
	}
	gz.Multistream(false) // zero padding follows the gzip member
	return NewFrameReader(gz), nil
}

// Next returns the next frame, or io.EOF after the last. The slice is the
// caller's to keep.
func (f *FrameReader) Next() ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	n, err := binary.ReadUvarint(f.r)
	if errors.Is(err, io.EOF) {
		f.err = io.EOF
		return nil, io.EOF
	}
	if err == nil && n > MaxFrame {
		err = fmt.Errorf("frame %d is %d bytes long, more than %d", f.n, n, MaxFrame)
	}
	if err != nil {
		f.err = fmt.Errorf("frame %d: %w", f.n, unexpected(err))
		return nil, f.err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(f.r, b); err != nil {
		f.err = fmt.Errorf("frame %d: %w", f.n, unexpected(err))
		return nil, f.err
	}
	f.n++
	return b, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
