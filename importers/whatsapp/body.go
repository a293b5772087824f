package whatsapp

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chatferry/chatferry/model"
)

// suffixIndex finds which of many phrases a text ends with, by looking up
// the text's last four bytes first. A Bloom filter of the phrases' last
// four bytes turns almost every other text away before the map is asked.
type suffixIndex struct {
	last4 bloom32
	byEnd map[string][]suffixEntry
}

type suffixEntry struct {
	phrase string
	kind   model.MediaKind
}

func (x *suffixIndex) add(phrase string, kind model.MediaKind) {
	if x.byEnd == nil {
		x.byEnd = map[string][]suffixEntry{}
	}
	k := phrase[len(phrase)-4:]
	x.byEnd[k] = append(x.byEnd[k], suffixEntry{phrase, kind})
	x.last4.add(last4(phrase))
}

// candidates returns the phrases that end with the last four bytes of s.
func (x *suffixIndex) candidates(s string) []suffixEntry {
	if len(s) < 4 || !x.last4.has(last4(s)) {
		return nil
	}
	return x.byEnd[s[len(s)-4:]]
}

// last4 returns the last four bytes of s (at least four long) as a number.
func last4[T string | []byte](s T) uint32 {
	n := len(s)
	return uint32(s[n-4])<<24 | uint32(s[n-3])<<16 | uint32(s[n-2])<<8 | uint32(s[n-1])
}

// bloom32 is a Bloom filter of 32-bit keys with two hashes over 65,536 bits.
type bloom32 [1024]uint64

func (f *bloom32) add(k uint32) {
	a, b := uint16((k*0x9E3779B1)>>16), uint16((k*0x85EBCA6B)>>16)
	f[a>>6] |= 1 << (a & 63)
	f[b>>6] |= 1 << (b & 63)
}

func (f *bloom32) has(k uint32) bool {
	a, b := uint16((k*0x9E3779B1)>>16), uint16((k*0x85EBCA6B)>>16)
	return f[a>>6]&(1<<(a&63)) != 0 && f[b>>6]&(1<<(b&63)) != 0
}

func (x *suffixIndex) match(s string) (suffixEntry, bool) {
	for _, e := range x.candidates(s) {
		if strings.HasSuffix(s, e.phrase) {
			return e, true
		}
	}
	return suffixEntry{}, false
}

// bitmap16 is a set of byte pairs.
type bitmap16 [1024]uint64

func (m *bitmap16) set(a, b byte) {
	k := uint16(a)<<8 | uint16(b)
	m[k>>6] |= 1 << (k & 63)
}

func (m *bitmap16) has(a, b byte) bool {
	k := uint16(a)<<8 | uint16(b)
	return m[k>>6]&(1<<(k&63)) != 0
}

// phraseSet holds exact phrases; a set of their lengths turns most texts
// away before the map is asked.
type phraseSet struct {
	lens    [4]uint64 // lengths below 256
	phrases map[string]bool
}

// hasFold is has for the lower-case form of s.
func (p *phraseSet) hasFold(s string) bool {
	if !p.mayHave(len(s)) && isASCII(s) {
		return false // lower-casing ASCII keeps the length
	}
	return p.phrases[strings.ToLower(s)]
}

func (p *phraseSet) has(s string) bool { return p.mayHave(len(s)) && p.phrases[s] }

// mayHave reports whether a phrase of the set is n bytes long.
func (p *phraseSet) mayHave(n int) bool { return n < 256 && p.lens[n>>6]&(1<<(n&63)) != 0 }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var (
	omittedIndex = func() *suffixIndex {
		x := &suffixIndex{}
		for kind, list := range omittedPhrases {
			for _, p := range list {
				for _, v := range variants(p) {
					x.add(v, kind)
				}
			}
		}
		return x
	}()
	mediaOmittedSet  = setOf(mediaOmitted)
	fileAttachedSet  = setOf(lowerAll(fileAttached))
	deletedSet       = setOf(deletedPhrases)
	youDeletedSet    = setOf(youDeleted)
	liveLocationSet  = setOf(liveLocation)
	videoNoteOmitted = "<Video note omitted>"
)

func setOf(list []string) *phraseSet {
	p := &phraseSet{phrases: make(map[string]bool, len(list))}
	for _, s := range list {
		for _, v := range variants(s) {
			if len(v) >= 256 {
				panic("phrase too long: " + v)
			}
			p.phrases[v] = true
			p.lens[len(v)>>6] |= 1 << (len(v) & 63)
		}
	}
	return p
}

// plainSpaces returns s with no-break and narrow no-break spaces as plain
// spaces, for matching phrases that some languages write with them.
func plainSpaces(s string) string {
	if !strings.Contains(s, "\u00a0") && !strings.Contains(s, "\u202f") {
		return s
	}
	return wideSpaces.Replace(s)
}

var wideSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

func lowerAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}

// trimMarks removes spaces and direction marks around s.
func trimMarks[T string | []byte](s T) T {
	for {
		n := len(s)
		switch {
		case n > 0 && (s[0] == ' ' || s[0] == '\t'):
			s = s[1:]
		case n > 0 && (s[n-1] == ' ' || s[n-1] == '\t'):
			s = s[:n-1]
		case n >= 3 && isMark3(string(s[:3])):
			s = s[3:]
		case n >= 3 && isMark3(string(s[n-3:])):
			s = s[:n-3]
		case n >= 2 && string(s[:2]) == "\u00a0":
			s = s[2:]
		case n >= 2 && string(s[n-2:]) == "\u00a0":
			s = s[:n-2]
		default:
			return s
		}
	}
}

// isMark3 reports whether m is U+200E, U+200F or U+202F.
func isMark3(m string) bool { return m == "\u200e" || m == "\u200f" || m == "\u202f" }

// deletedIndex finds deletion notices by their last four bytes.
var deletedIndex = func() *suffixIndex {
	x := &suffixIndex{}
	for _, list := range [][]string{deletedPhrases, youDeleted} {
		for _, p := range list {
			for _, v := range variants(p) {
				x.add(v, "")
			}
		}
	}
	return x
}()

// mayBeDeleted is a cheap test that t could be a deletion notice: when
// it is false, deleted is 0.
func mayBeDeleted(t []byte) bool {
	if len(t) < 8 || len(t) > 160 {
		return false
	}
	return mayEndDeleted(trimDeleted(t))
}

// trimDeleted removes what may follow the phrase of a deletion notice.
func trimDeleted[T string | []byte](s T) T {
	s = trimMarks(s)
	if n := len(s); n > 0 && s[n-1] == '.' {
		s = s[:n-1]
	}
	if n := len(s); n >= 3 && string(s[n-3:]) == "。" {
		s = s[:n-3]
	}
	return s
}

// mayEndDeleted reports whether s, or s with plain spaces for wide ones,
// may end with a deletion phrase: some phrase ends with the last four
// bytes of s, or one of its last four characters is a wide space (the
// only way plain spaces change them).
func mayEndDeleted[T string | []byte](s T) bool {
	n := len(s)
	if n >= 4 && deletedIndex.last4.has(last4(s)) && len(deletedIndex.byEnd[string(s[n-4:])]) > 0 {
		return true
	}
	for i := max(0, n-16); i+1 < n; i++ {
		if s[i] == 0xC2 && s[i+1] == 0xA0 || s[i] == 0xE2 && i+2 < n && s[i+1] == 0x80 && s[i+2] == 0xAF {
			return true
		}
	}
	return false
}

// deleted returns 1 for "This message was deleted", 2 for "You deleted
// this message" (any language seen, with or without the final period),
// and 0 otherwise.
func deleted(s string) int {
	if len(s) < 8 || len(s) > 160 {
		return 0
	}
	s = trimDeleted(s)
	e, ok := deletedIndex.match(s)
	if !ok {
		if !mayEndDeleted(s) || !strings.Contains(s, "\u00a0") && !strings.Contains(s, "\u202f") {
			return 0
		}
		s = plainSpaces(s)
	} else if len(e.phrase) != len(s) {
		return 0
	}
	switch {
	case deletedSet.has(s):
		return 1
	case youDeletedSet.has(s):
		return 2
	}
	return 0
}

// omitted recognises a placeholder for media left out of the export:
// Android's "<Media omitted>" and iOS's "image omitted" (after an optional
// document name, which is returned as prefix).
func omitted(s string) (prefix string, kind model.MediaKind, ok bool) {
	s = strings.TrimRight(s, " ")
	if len(s) < 4 {
		return "", "", false
	}
	if s[0] == '<' && s[len(s)-1] == '>' && mediaOmittedSet.has(s) {
		if s == videoNoteOmitted {
			return "", model.MediaVideo, true
		}
		return "", model.MediaUnknown, true
	}
	e, ok := omittedIndex.match(s)
	if !ok {
		// A phrase with a no-break space inside still ends like itself.
		if len(omittedIndex.candidates(s)) == 0 || !hasWideSpace([]byte(s)) {
			return "", "", false
		}
		s = plainSpaces(s)
		if e, ok = omittedIndex.match(s); !ok {
			return "", "", false
		}
	}
	prefix = s[:len(s)-len(e.phrase)]
	if prefix != "" {
		r, _ := utf8.DecodeLastRuneInString(prefix)
		if r != ' ' && r != '\u200e' && r != '\u200f' && r != '\u00a0' {
			return "", "", false
		}
	}
	return trimMarks(prefix), e.kind, true
}

// iosAttachment recognises "<attached: NAME>" in any language (also
// Turkish "<NAME eklendi>" and the old "NAME <‎attached>") at the end of
// the line, after an optional document name.
func iosAttachment(s string) (prefix, name string, ok bool) {
	s = strings.TrimRight(s, " ")
	if !strings.HasSuffix(s, ">") {
		return "", "", false
	}
	lt := strings.LastIndexByte(s, '<')
	if lt < 0 {
		return "", "", false
	}
	inner := trimMarks(s[lt+1 : len(s)-1])
	prefix = s[:lt]
	if c := strings.Index(inner, ": "); c > 0 {
		label := trimMarks(inner[:c])
		if len(label) > 40 || strings.ContainsAny(label, "<>:/.") {
			return "", "", false
		}
		name = trimMarks(inner[c+2:])
	} else if n, found := strings.CutSuffix(inner, " eklendi"); found {
		name = trimMarks(n)
	} else if inner == "attached" {
		name, prefix = trimMarks(prefix), ""
	} else {
		return "", "", false
	}
	if !looksLikeFile(name) {
		return "", "", false
	}
	return trimMarks(prefix), name, true
}

// androidAttachment recognises "NAME (file attached)" in the languages
// seen.
func androidAttachment(s string) (name, phrase string, ok bool) {
	name, phrase, ok = parenthesised(s)
	if !ok || !fileAttachedSet.hasFold(phrase) {
		return "", "", false
	}
	return name, phrase, true
}

// parenthesised splits "NAME (PHRASE)" where NAME looks like a file name.
func parenthesised(s string) (name, phrase string, ok bool) {
	s = strings.TrimRight(s, " ")
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	open := strings.LastIndex(s, " (")
	if open < 0 {
		return "", "", false
	}
	name = trimMarks(s[:open])
	phrase = s[open+2 : len(s)-1]
	if !looksLikeFile(name) || len(phrase) > 60 {
		return "", "", false
	}
	return name, phrase, true
}

// looksLikeFile reports whether name has a short extension and no path.
func looksLikeFile(name string) bool {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || len(name)-dot-1 < 1 || len(name)-dot-1 > 5 || len(name) > 255 {
		return false
	}
	for _, c := range name[dot+1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return !strings.ContainsAny(name, "/\\\n")
}

// call recognises a missed call record.
func call(s string) (model.Call, bool) {
	if len(s) < 10 || len(s) > 120 {
		return model.Call{}, false
	}
	s = trimMarks(s)
	if len(s) == 0 || !callStarts[s[0]] {
		return model.Call{}, false
	}
	s = plainSpaces(s)
	for _, c := range callPhrases {
		if strings.HasPrefix(s, c.text) {
			rest := s[len(c.text):]
			if rest == "" || rest[0] == '.' || rest[0] == ' ' {
				return model.Call{Video: c.video, Missed: true}, true
			}
		}
	}
	return model.Call{}, false
}

var callStarts = func() (set [256]bool) {
	for _, c := range callPhrases {
		set[c.text[0]] = true
	}
	return set
}()

// mapsLocation recognises "LABEL: https://maps.google.com/?q=LAT,LON" (the
// label is "location", "Location", "Standort" …) and iOS places
// "NAME (ADDRESS): https://foursquare.com/v/…".
func mapsLocation(s string) (model.Location, bool) {
	if len(s) > 400 || strings.IndexByte(s, ':') < 0 || !strings.Contains(s, "://") {
		return model.Location{}, false
	}
	s = trimMarks(s)
	c := strings.Index(s, ": https://")
	if c <= 0 || strings.ContainsAny(s[c+2:], " \n") {
		return model.Location{}, false
	}
	label, link := s[:c], s[c+2:]
	if strings.HasPrefix(link, "https://foursquare.com/") {
		loc := model.Location{URL: link, Name: label}
		if open := strings.LastIndex(label, " ("); open > 0 && strings.HasSuffix(label, ")") {
			loc.Name, loc.Address = label[:open], label[open+2:len(label)-1]
		}
		return loc, true
	}
	if utf8.RuneCountInString(label) > 20 || strings.Count(label, " ") > 1 {
		return model.Location{}, false
	}
	return coordinates(link)
}

// coordinates reads a Google Maps link with "q=LAT,LON".
func coordinates(link string) (model.Location, bool) {
	if !strings.HasPrefix(link, "https://maps.google.com/") {
		return model.Location{}, false
	}
	u, err := url.Parse(link)
	if err != nil {
		return model.Location{}, false
	}
	lat, lon, ok := strings.Cut(u.Query().Get("q"), ",")
	if !ok {
		return model.Location{}, false
	}
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return model.Location{}, false
	}
	return model.Location{Latitude: la, Longitude: lo, URL: link}, true
}

// foursquare recognises Android's three-line place: name, address, link.
func foursquare(text string) (model.Location, bool) {
	if !strings.Contains(text, "\nhttps://foursquare.com/") {
		return model.Location{}, false
	}
	lines := strings.Split(text, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "https://foursquare.com/") || strings.Contains(lines[2], " ") {
		return model.Location{}, false
	}
	return model.Location{Name: lines[0], Address: lines[1], URL: lines[2]}, true
}

// poll reads "POLL:\nQUESTION\nOPTION: TEXT (N votes)…".
func poll(text string) (*model.Poll, bool) {
	rest, ok := strings.CutPrefix(text, "POLL:\n")
	if !ok {
		return nil, false
	}
	lines := strings.Split(rest, "\n")
	p := &model.Poll{Question: lines[0]}
	for _, l := range lines[1:] {
		opt, ok := strings.CutPrefix(l, "OPTION: ")
		if !ok {
			return nil, false
		}
		o := model.PollOption{Text: opt}
		if open := strings.LastIndex(opt, " ("); open >= 0 && strings.HasSuffix(opt, ")") {
			count := opt[open+2 : len(opt)-1]
			if n, unit, ok := strings.Cut(count, " "); ok && (unit == "vote" || unit == "votes") {
				if v, err := strconv.Atoi(n); err == nil && v >= 0 {
					o.Text, o.Votes = opt[:open], v
				}
			}
		}
		p.Options = append(p.Options, o)
	}
	if len(p.Options) == 0 {
		return nil, false
	}
	return p, true
}

// edited strips the "<This message was edited>" that ends an edited
// message.
func edited(text string) (string, bool) {
	if !strings.HasSuffix(text, ">") {
		return text, false
	}
	for _, s := range editedSuffixes {
		if t, ok := strings.CutSuffix(text, s); ok {
			return strings.TrimRight(t, " "), true
		}
	}
	return text, false
}

// mediaKindOf infers an attachment's kind from WhatsApp's file names
// (IMG-…, PTT-…, 00000035-PHOTO-…) and, failing that, its MIME type.
func mediaKindOf(name, mime string) model.MediaKind {
	switch {
	case hasSuffixFold(name, ".VCF"):
		return model.MediaContact
	case hasPrefixFold(name, "STK-") || containsFold(name, "-STICKER-"):
		return model.MediaSticker
	case hasPrefixFold(name, "PTT-"):
		return model.MediaVoice
	case containsFold(name, "-GIF-"):
		return model.MediaGIF
	case hasPrefixFold(name, "IMG-") || containsFold(name, "-PHOTO-"):
		return model.MediaImage
	case hasPrefixFold(name, "VID-") || containsFold(name, "-VIDEO-"):
		return model.MediaVideo
	case hasPrefixFold(name, "AUD-") || containsFold(name, "-AUDIO-"):
		if hasSuffixFold(name, ".OPUS") {
			return model.MediaVoice
		}
		return model.MediaAudio
	}
	switch mime {
	case "text/vcard":
		return model.MediaContact
	case "":
		return model.MediaDocument // a file of no known type
	}
	return model.MediaKindOfMIME(mime)
}

// hasPrefixFold reports whether s starts with upper, an upper-case ASCII
// word, in any case. (strings.ToUpper would also map "ı" and "ſ" to
// ASCII letters; file names that spell IMG with them are not WhatsApp's.)
func hasPrefixFold(s, upper string) bool {
	return len(s) >= len(upper) && equalFoldASCII(s[:len(upper)], upper)
}

func hasSuffixFold(s, upper string) bool {
	return len(s) >= len(upper) && equalFoldASCII(s[len(s)-len(upper):], upper)
}

func containsFold(s, upper string) bool {
	for i := 0; i+len(upper) <= len(s); i++ {
		if s[i] == upper[0] || s[i] == upper[0]|0x20 {
			if equalFoldASCII(s[i:i+len(upper)], upper) {
				return true
			}
		}
	}
	return false
}

// equalFoldASCII compares s with upper, an upper-case ASCII string,
// folding only ASCII letters of s.
func equalFoldASCII(s, upper string) bool {
	for i := 0; i < len(upper); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}
