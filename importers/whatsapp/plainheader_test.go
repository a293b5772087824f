package whatsapp

import (
	"bufio"
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
)

// checkPlain fails when scanPlainHeader accepts a line that scanAnyHeader
// reads differently.
func checkPlain(t *testing.T, line []byte) bool {
	t.Helper()
	var fast, full header
	if len(line) == 0 || !scanPlainHeader(line, &fast) {
		return false
	}
	if st := scanAnyHeader(line, &full); st != isHeader || fast != full {
		t.Fatalf("%q: the plain scanner gives %+v, the full one %v %+v", line, fast, st, full)
	}
	return true
}

func TestPlainHeader(t *testing.T) {
	for _, tc := range []struct {
		line  string
		plain bool
	}{
		{"23/03/2022, 13:31 - Ann: hi", true},
		{"[3/18/22, 14:56:01] Ann: hi", true},
		{"[3/18/22, 2:56:01 PM] Ann: hi", true},
		{"1/4/23, 7:02 PM - Ann: hi", true},
		{"2022-03-23 13:31: Ann: hi", true},
		{"23.03.22 13:31 - Ann", true},
		{"23/03/2022, 13:31 -", true},
		{"[3/18/22, 14:56:01]", true},
		{"1/4/23, 7:02\u202fPM - Ann: hi", true}, // narrow no-break space
		{"[13/11/2025, 12:25:55\u202fPM] Ann: hi", true},
		{"1/4/23, 7:02\u00a0PM - Ann: hi", false}, // no-break space
		{"1/4/23, 7:02\u202f- Ann: hi", false},
		{"\u200e[3/18/22, 14:56:01] Ann: hi", false}, // mark
		{"[14:56:01, 3/18/22] Ann: hi", false},       // time first
		{"13. 6. 2018. 21:25:15 Ann: hi", false},     // spaced date
		{"13.6.2018 klo 21.25.15 - Ann: hi", false},
		{"[3/18/2565 BE, 14:56:01] Ann", false},
		{"[3/18/R4, 14:56:01] Ann", false},
		{"03/01/2021, 9:15 in the morning - Ann", false},
		{"23/03/2022, 13:31.", false},
		{"23/03/2022, 13:31", false},
		{"23/03/2022, 24:31 - Ann", false},
		{"7.1.1, 7.1.2", false},
		{"23/03/2022, 13:31 -Ann", false},
		{"23/03/2022,  13:31 - Ann", false},
		{"[3/18/22, 14:56:01]\u00a0Ann", false},
	} {
		if got := checkPlain(t, []byte(tc.line)); got != tc.plain {
			t.Errorf("%q: plain %v, want %v", tc.line, got, tc.plain)
		}
	}
}

// Every line of the project's samples and of the corpus that the plain
// scanner reads, it reads as the full scanner does.
func TestPlainHeaderSamples(t *testing.T) { checkPlainFiles(t, "testdata", 10) }

func TestPlainHeaderCorpus(t *testing.T) {
	checkPlainFiles(t, importertest.Corpus(t, "whatsapp"), 1000)
}

func checkPlainFiles(t *testing.T, root string, least int) {
	plain := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".txt") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, MaxLine)
		for sc.Scan() {
			if checkPlain(t, bytes.TrimRight(sc.Bytes(), "\r")) {
				plain++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d plain headers in %s", plain, root)
	if plain < least {
		t.Errorf("only %d plain headers in %s: the fast path is not used", plain, root)
	}
}

func FuzzPlainHeader(f *testing.F) {
	for _, s := range []string{"23/03/2022, 13:31 - a: b", "[3/18/22, 14:56:01] a: b", "1/4/23, 7:02 PM - a",
		"2022-03-23 13:31: a", "[3/18/22, 2:56:01 pm]", "23.03.22 13:31 -"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkPlain(t, b) })
}

// Lines put together from the pieces of headers, many of them almost
// plain: wherever the plain scanner answers, it answers as the full one.
func TestPlainHeaderPieces(t *testing.T) {
	pieces := []string{"[", "]", "1", "12", "2022", "123", "0", "9", "59", "60", "23", "24", "/", ".", "-", ":",
		",", " ", " ", " - ", "\u00a0", "\u202f", "\u200e", "AM", "pm", "a.m.", "am", "PM ", "Ann: hi", "",
		"klo ", "BE", "R4", "\u0661", "in the morning", "at night", "m", "a", "p"}
	r := rand.New(rand.NewPCG(7, 11))
	plain := 0
	for n := 0; n < 300000; n++ {
		var sb strings.Builder
		if r.IntN(2) == 0 {
			sb.WriteString("[")
		}
		// Mostly the usual order, sometimes anything.
		for _, p := range []string{"12", "/", "3", "/", "2022", ", ", "9", ":", "41", ":", "05", " ", "PM", " - ", "Ann: hi"} {
			switch k := r.IntN(10); {
			case k == 0:
				sb.WriteString(pieces[r.IntN(len(pieces))])
			case k == 1:
			default:
				sb.WriteString(p)
			}
		}
		if checkPlain(t, []byte(sb.String())) {
			plain++
		}
	}
	if plain < 1000 {
		t.Errorf("only %d of the lines were plain headers", plain)
	}
}
