package whatsapp

// scanPlainHeader reads the headers most exports consist of, made of ASCII
// digits and punctuation with single plain spaces:
//
//	23/03/2022, 13:31 -
//	[3/18/22, 14:56:01]
//	1/4/23, 7:02 PM -   (with a plain or a narrow no-break space)
//	2022-03-23 13:31:
//
// It reports false for anything else (marks, other digits, wide spaces,
// dotted dates with spaces, era years, time-first layouts, cut-off lines,
// and lines that are not headers), which scanAnyHeader then reads. When it
// reports true, h is exactly what scanAnyHeader gives: a test compares the
// two on every line of the corpus and under the fuzzer.
func scanPlainHeader(b []byte, h *header) bool {
	*h = header{}
	h.yearPos = -1
	i := 0
	if b[0] == '[' {
		h.bracket = true
		i = 1
	}
	// The date: three fields of one, two or four digits.
	for k := 0; k < 3; k++ {
		v, d, j := plainNumber(b, i)
		switch {
		case d == 4 && k != 1 && h.yearPos < 0:
			h.yearPos = int8(k)
		case d == 1 || d == 2:
		default:
			return false
		}
		h.f[k], h.w[k] = v, int8(d)
		i = j
		if k == 2 {
			break
		}
		if i+1 >= len(b) || plainDigit(b[i+1]) < 0 {
			return false
		}
		switch c := b[i]; {
		case k == 0 && (c == '/' || c == '.' || c == '-'):
			h.dateSep = c
		case k == 1 && c == h.dateSep:
		default:
			return false
		}
		i++
	}
	// Between date and time: ", " or " ".
	switch {
	case i+2 < len(b) && b[i] == ',' && b[i+1] == ' ' && plainDigit(b[i+2]) >= 0:
		h.dateTime = ','
		i += 2
	case i+1 < len(b) && b[i] == ' ' && plainDigit(b[i+1]) >= 0:
		h.dateTime = ' '
		i++
	default:
		return false
	}
	// The time: H:MM or HH:MM, with :SS, separated by ':' or '.'.
	hh, d, j := plainNumber(b, i)
	if d == 0 || d > 2 || j+3 > len(b) {
		return false
	}
	sep := b[j]
	if sep != ':' && sep != '.' {
		return false
	}
	mm, d, k := plainNumber(b, j+1)
	if d != 2 || hh > 23 || mm > 59 || k+1 >= len(b) {
		return false
	}
	h.timeSep, h.hour, h.min = sep, hh, mm
	if b[k] == sep && plainDigit(b[k+1]) >= 0 {
		ss, d, k2 := plainNumber(b, k+1)
		if d != 2 || ss > 59 || k2 >= len(b) {
			return false
		}
		h.seconds, h.sec, k = true, ss, k2
	}
	// "AM" or "PM" after one space: a plain one, or the narrow no-break
	// space current Android and iOS write.
	sp := 0
	switch {
	case b[k] == ' ':
		sp = 1
	case b[k] == 0xE2 && k+2 < len(b) && b[k+1] == 0x80 && b[k+2] == 0xAF:
		sp = 3
	}
	if sp > 0 && k+sp+2 < len(b) && b[k+sp+1]|0x20 == 'm' {
		switch b[k+sp] | 0x20 {
		case 'a':
			h.half = halfAM
		case 'p':
			h.half = halfPM
		default:
			return false
		}
		if c := b[k+sp+2]; c != ' ' && c != ']' {
			return false
		}
		h.clock12, h.halfSpace = true, int8(sp)
		k += sp + 2
	} else if sp == 3 {
		return false
	}
	// The end: "] " (iOS), " - " (Android) or ": " (old exports).
	switch {
	case h.bracket:
		if b[k] != ']' {
			return false
		}
		h.end = ']'
		k++
		if k < len(b) {
			switch b[k] {
			case ' ':
				k++
			case 0xC2, 0xE2:
				return false // perhaps a wide space
			}
		}
	case b[k] == ' ' && k+2 < len(b) && b[k+1] == '-' && b[k+2] == ' ':
		h.end = '-'
		k += 3
	case b[k] == ' ' && k+2 == len(b) && b[k+1] == '-':
		h.end = '-'
		k += 2
	case b[k] == ':' && (k+1 == len(b) || b[k+1] == ' '):
		h.end = ':'
		k++
		if k < len(b) {
			k++
		}
	default:
		return false
	}
	h.body = k
	return true
}

// plainDigit returns the value of an ASCII digit, or -1.
func plainDigit(c byte) int {
	if c-'0' <= 9 {
		return int(c - '0')
	}
	return -1
}

// plainNumber reads up to five ASCII digits at b[i:]; a number followed by
// a byte that may start another kind of digit counts as five digits, which
// no layout has, so that the caller leaves it to scanAnyHeader.
func plainNumber(b []byte, i int) (v, digits, next int) {
	for digits < 5 && i < len(b) && b[i]-'0' <= 9 {
		v = v*10 + int(b[i]-'0')
		digits++
		i++
	}
	if i < len(b) && (b[i] == 0xD9 || b[i] == 0xDB) {
		digits = 5
	}
	return v, digits, i
}
