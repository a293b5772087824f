package backup

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protowire"
)

// EncodeMetadata returns a snapshot's metadata file: Metadata{version 1,
// backupId{iv, AES-256-CTR(metadata key, iv || 0000, backup id)}}.
func EncodeMetadata(k *Keys) []byte {
	var iv [12]byte
	rand.Read(iv[:])
	enc := ctr(k.MetadataKey[:], iv[:], k.BackupID[:])
	var id []byte
	id = protowire.AppendTag(id, 1, protowire.BytesType)
	id = protowire.AppendBytes(id, iv[:])
	id = protowire.AppendTag(id, 2, protowire.BytesType)
	id = protowire.AppendBytes(id, enc)
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, 1)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	return protowire.AppendBytes(b, id)
}

func ctr(key, iv12, data []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // keys are 32 bytes by construction
	}
	iv := append(append([]byte(nil), iv12...), 0, 0, 0, 0)
	out := make([]byte, len(data))
	cipher.NewCTR(block, iv).XORKeyStream(out, data)
	return out
}

// DecodeMetadata reads a metadata file and returns the backup id it holds,
// decrypted with the metadata key derived from backupKey. A wrong key gives
// a wrong id, which the main file's HMAC then rejects.
func DecodeMetadata(data []byte, backupKey [32]byte) ([16]byte, error) {
	var version uint64
	var iv, enc []byte
	err := EachField(data, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case num == 1 && typ == protowire.VarintType:
			version = v
		case num == 2 && typ == protowire.BytesType:
			return EachField(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
				if typ == protowire.BytesType && num == 1 {
					iv = b
				} else if typ == protowire.BytesType && num == 2 {
					enc = b
				}
				return nil
			})
		}
		return nil
	})
	var id [16]byte
	if err != nil {
		return id, fmt.Errorf("metadata: %w", err)
	}
	if version != 1 {
		return id, fmt.Errorf("metadata: version %d, want 1", version)
	}
	if len(iv) != 12 || len(enc) != 16 {
		return id, errors.New("metadata: no encrypted backup id")
	}
	k := NewKeys(backupKey, id)
	copy(id[:], ctr(k.MetadataKey[:], iv, enc))
	return id, nil
}

// EachField calls fn for every field of the protobuf message b: v holds a
// varint or fixed value, data the bytes of a length-delimited one.
func EachField(b []byte, fn func(num protowire.Number, typ protowire.Type, v uint64, data []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		var v uint64
		var data []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var x uint32
			x, n = protowire.ConsumeFixed32(b)
			v = uint64(x)
		case protowire.Fixed64Type:
			v, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			data, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if err := fn(num, typ, v, data); err != nil {
			return err
		}
	}
	return nil
}

// AppendFilesEntry appends one entry of a snapshot's files list: a
// varint-delimited FilesFrame{mediaName}.
func AppendFilesEntry(b []byte, mediaName string) []byte {
	var f []byte
	f = protowire.AppendTag(f, 1, protowire.BytesType)
	f = protowire.AppendString(f, mediaName)
	return protowire.AppendBytes(b, f)
}

// ReadFilesList calls fn with the raw bytes of every entry (without its
// length prefix) and the media name it holds.
func ReadFilesList(r io.Reader, fn func(entry []byte, mediaName string) error) error {
	fr := NewFrameReader(r)
	for {
		e, err := fr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("files list: %w", err)
		}
		var name string
		if err := EachField(e, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
			if num == 1 && typ == protowire.BytesType {
				name = string(b)
			}
			return nil
		}); err != nil {
			return fmt.Errorf("files list: %w", err)
		}
		if err := fn(e, name); err != nil {
			return err
		}
	}
}
