package whatsappios

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"strings"
	"unicode/utf16"
)

// WhatsApp keeps the account's own JID and name in the preferences of its
// shared container, Library/Preferences/<group>.plist: OwnJabberID (or
// LastOwnJabberID after a log-out) and FullUserName. The file is a binary
// property list, or an XML one when a tool converted it. ownAccount reads
// those keys of its top-level dictionary and nothing else; a file it
// cannot read gives nothing.
func ownAccount(data []byte) (jid, name string) {
	var values map[string]string
	if bytes.HasPrefix(data, []byte("bplist00")) {
		values = binaryPlistStrings(data)
	} else {
		values = xmlPlistStrings(data)
	}
	jid = values["OwnJabberID"]
	if jid == "" {
		jid = values["LastOwnJabberID"]
	}
	if jid != "" && !strings.Contains(jid, "@") {
		jid += "@s.whatsapp.net"
	}
	if !isPhoneJID(jid) {
		jid = ""
	}
	return jid, cleanName(values["FullUserName"])
}

// accountKeys are the keys ownAccount wants.
var accountKeys = map[string]bool{"OwnJabberID": true, "LastOwnJabberID": true, "FullUserName": true}

// maxPlist bounds the preferences file chatferry reads.
const maxPlist = 4 << 20

// binaryPlistStrings returns the string values of accountKeys in the
// top-level dictionary of a binary property list ("bplist00").
func binaryPlistStrings(b []byte) map[string]string {
	out := map[string]string{}
	if len(b) < 40 || len(b) > maxPlist {
		return out
	}
	t := b[len(b)-32:]
	offSize, refSize := int(t[6]), int(t[7])
	n, top, table := binary.BigEndian.Uint64(t[8:]), binary.BigEndian.Uint64(t[16:]), binary.BigEndian.Uint64(t[24:])
	if offSize < 1 || offSize > 8 || refSize < 1 || refSize > 8 || n == 0 || n > uint64(len(b)) ||
		top >= n || table >= uint64(len(b)) || n*uint64(offSize) > uint64(len(b))-table {
		return out
	}
	offset := func(ref uint64) (int, bool) {
		if ref >= n {
			return 0, false
		}
		at := int(table) + int(ref)*offSize
		o := readBE(b[at : at+offSize])
		return int(o), o < uint64(len(b)-32)
	}
	// count reads a length: the low nibble, or the integer object after
	// the marker when the nibble is 0xF. It returns the length and where
	// the contents start.
	count := func(at int) (int, int, bool) {
		if c := int(b[at] & 0x0F); c != 0x0F {
			return c, at + 1, true
		}
		if at+1 >= len(b) || b[at+1]&0xF0 != 0x10 {
			return 0, 0, false
		}
		size := 1 << (b[at+1] & 0x0F)
		if size > 8 || at+2+size > len(b) {
			return 0, 0, false
		}
		c := readBE(b[at+2 : at+2+size])
		if c > uint64(len(b)) {
			return 0, 0, false
		}
		return int(c), at + 2 + size, true
	}
	str := func(ref uint64) (string, bool) {
		at, ok := offset(ref)
		if !ok {
			return "", false
		}
		l, start, ok := count(at)
		if !ok {
			return "", false
		}
		switch b[at] >> 4 {
		case 0x5: // ASCII
			if start+l > len(b) {
				return "", false
			}
			return string(b[start : start+l]), true
		case 0x6: // UTF-16BE
			if start+2*l > len(b) {
				return "", false
			}
			units := make([]uint16, l)
			for i := range units {
				units[i] = binary.BigEndian.Uint16(b[start+2*i:])
			}
			return string(utf16.Decode(units)), true
		}
		return "", false
	}
	at, ok := offset(top)
	if !ok || b[at]>>4 != 0xD {
		return out
	}
	entries, start, ok := count(at)
	if !ok || start+2*entries*refSize > len(b) {
		return out
	}
	for i := 0; i < entries; i++ {
		key, ok := str(readBE(b[start+i*refSize : start+(i+1)*refSize]))
		if !ok || !accountKeys[key] {
			continue
		}
		v := start + (entries+i)*refSize
		if value, ok := str(readBE(b[v : v+refSize])); ok {
			out[key] = value
		}
	}
	return out
}

func readBE(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// xmlPlistStrings returns the string values of accountKeys in an XML
// property list.
func xmlPlistStrings(b []byte) map[string]string {
	out := map[string]string{}
	if len(b) > maxPlist {
		return out
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	var key, elem string
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			elem = tk.Name.Local
		case xml.EndElement:
			depth--
			if tk.Name.Local != "key" {
				key = ""
			}
			elem = ""
		case xml.CharData:
			switch {
			case elem == "key" && depth == 3: // plist > dict > key
				key = string(tk)
			case elem == "string" && depth == 3 && accountKeys[key]:
				out[key] = string(tk)
			}
		}
	}
}
