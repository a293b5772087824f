package canonicaljson

import (
	"bufio"
	"bytes"
	"flag"
	"io"
	"os"
	"strconv"
	"testing"
	"unsafe"

	"github.com/chatferry/chatferry/exporters/internal/jsontext"
)

var floorInput = flag.String("floorinput", "", "a WhatsApp Android export (DD/MM/YYYY, HH:MM - ) for BenchmarkBareFloor")

// BenchmarkBareFloor bounds from above what any reader of a WhatsApp
// Android export into the canonical JSON can reach on this machine, with
// the barest pipeline: one fixed header layout (DD/MM/YYYY, HH:MM - ), no
// UTF-8 check, every message of kind text, no attachments, events, kinds
// or cleaning of names, nothing allocated per message; each message is
// written with its id, time, sender, text and source as the canonical
// JSON writes them. "one-pass" reads the file once; "two-pass" first
// scans it for headers, as a reader must to settle the date order from
// the whole file before it writes the first time. It needs an input:
//
//	WHATSAPP_GEN_DIR=/tmp/gen go test ./importers/whatsapp -run '^$' -bench Floor -benchtime 1x
//	go test ./exporters/canonicaljson -run '^$' -bench BareFloor -cpu 1 \
//	    -floorinput "/tmp/gen/WhatsApp Chat with Generated 24h 50MB.txt"
func BenchmarkBareFloor(b *testing.B) {
	if *floorInput == "" {
		b.Skip("no -floorinput given")
	}
	fi, err := os.Stat(*floorInput)
	if err != nil {
		b.Fatal(err)
	}
	for _, twoPass := range []bool{false, true} {
		name := "one-pass"
		if twoPass {
			name = "two-pass"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(fi.Size())
			for b.Loop() {
				headers := -1
				if twoPass {
					headers = bareScan(b, *floorInput)
				}
				n := bareWrite(b, *floorInput, io.Discard)
				if n == 0 || twoPass && n != headers {
					b.Fatalf("%d messages written, %d headers found", n, headers)
				}
			}
		})
	}
}

// bareHeader reports whether l starts with "DD/MM/YYYY, HH:MM - ", and
// returns where the sender's ": " is after it.
func bareHeader(l []byte) (colon int, ok bool) {
	if len(l) < 20 || l[2] != '/' || l[5] != '/' || l[10] != ',' || l[11] != ' ' || l[14] != ':' ||
		l[17] != ' ' || l[18] != '-' || l[19] != ' ' {
		return 0, false
	}
	for _, i := range [...]int{0, 1, 3, 4, 6, 7, 8, 9, 12, 13, 15, 16} {
		if l[i]-'0' > 9 {
			return 0, false
		}
	}
	colon = bytes.Index(l[20:], []byte(": "))
	return 20 + colon, colon >= 0
}

// bareScan counts the header lines: the first pass.
func bareScan(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	n := 0
	for {
		l, err := r.ReadSlice('\n')
		if _, ok := bareHeader(l); ok {
			n++
		}
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// bareWrite reads the messages and writes them as canonical JSON message
// lines; it returns how many it wrote.
func bareWrite(b *testing.B, path string, w io.Writer) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	bw := bufio.NewWriterSize(w, 1<<20)
	senders := map[string]int{}
	source := []byte(path)
	var text, sender, stamp, out []byte
	msgs, line, first := 0, 0, 0
	flush := func() {
		if first == 0 {
			return
		}
		msgs++
		id, ok := senders[string(sender)]
		if !ok {
			id = len(senders) + 1
			senders[string(sender)] = id
		}
		out = append(out[:0], `    {"id": "m`...)
		out = strconv.AppendInt(out, int64(msgs), 10)
		out = append(out, `", "time": "`...)
		out = append(out, stamp...)
		out = append(out, `", "sender": "p`...)
		out = strconv.AppendInt(out, int64(id), 10)
		out = append(out, `", "kind": "text", "text": `...)
		out = jsontext.AppendString(out, unsafe.String(unsafe.SliceData(text), len(text)))
		out = append(out, `, "source": "`...)
		out = append(out, source...)
		out = append(out, ':')
		out = strconv.AppendInt(out, int64(first), 10)
		out = append(out, "\"},\n"...)
		bw.Write(out)
	}
	for {
		l, err := r.ReadSlice('\n')
		if len(l) > 0 {
			line++
			l = bytes.TrimSuffix(l, []byte("\n"))
			if colon, ok := bareHeader(l); ok {
				flush()
				first = line
				stamp = append(stamp[:0], l[6:10]...)
				stamp = append(stamp, '-', l[3], l[4], '-', l[0], l[1], 'T', l[12], l[13], ':', l[15], l[16], ':', '0', '0')
				sender = append(sender[:0], l[20:colon]...)
				text = append(text[:0], l[colon+2:]...)
			} else {
				text = append(append(text, '\n'), l...)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	flush()
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	return msgs
}
