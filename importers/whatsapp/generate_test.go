package whatsapp

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// genStats counts what generate wrote.
type genStats struct {
	records, system, media, multiline, pasted, deleted, edited, polls, locations, viewOnce, lines int
	bytes                                                                                         int64
}

var genAuthors = []string{"Ann Example", "Ben Sample", "+44 7700 900123", "Carla Example", "Dave 🚲",
	"Eve O'Neil", "Frank & Co", "Gül Yılmaz", "Håkon Øie", "Ivan Иванов", "+1 555 0142", "Jo (work)",
	"Kim Lee", "Lena-Marie", "Mo"}

var genWords = strings.Fields(`the a to and of we you I it is in that for on are with this be at have
not see can will just so but what all about my your they tonight tomorrow dinner train late ok yes no
maybe here there photo call later thanks 😂 👍 ❤️ 🎉 café naïve straße привет 你好 مرحبا :-)`)

// generate writes a seeded Android export (d/m/y, 24 hours) of at least
// size bytes: every kind of record, and continuation lines that look like
// timestamps of other layouts, which must not start messages. The order
// of the file follows the clock, with a few steps back.
func generate(w io.Writer, seed uint64, size int64, clock12 bool) (genStats, error) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	var st genStats
	t := time.Date(2019, 1, 2, 8, 0, 0, 0, time.UTC)
	word := func() string { return genWords[r.IntN(len(genWords))] }
	sentence := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = word()
		}
		return strings.Join(ws, " ")
	}
	line := func(s string) {
		bw.WriteString(s)
		bw.WriteByte('\n')
		st.bytes += int64(len(s) + 1)
		st.lines++
	}
	header := func() string {
		if clock12 {
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			half := "AM"
			if t.Hour() >= 12 {
				half = "PM"
			}
			return fmt.Sprintf("%d/%d/%02d, %d:%02d\u202f%s - ", int(t.Month()), t.Day(), t.Year()%100, h, t.Minute(), half)
		}
		return fmt.Sprintf("%02d/%02d/%d, %02d:%02d - ", t.Day(), int(t.Month()), t.Year(), t.Hour(), t.Minute())
	}
	pasted := []func() string{
		func() string { return t.AddDate(0, -1, 0).Format("2006-01-02 15:04:05") + " was the old timestamp" },
		func() string { return "7.1.1, 7.1.2" },
		func() string { return t.Format("[02/01/2006, 15:04:05]") + " Ann Example: quoted from iOS" },
		func() string { return t.Format("02/01/06, 15:04") + " - Ben Sample: pasted with a two-digit year" },
		func() string { return t.Format("02.01.2006, 15:04") + " - dotted date" },
		func() string { return t.Format("1/2/06, 3:04 PM") + " - Carla Example: a US header" },
	}
	for st.bytes < size {
		step := time.Duration(r.IntN(40)) * time.Minute
		if r.IntN(200) == 0 {
			step = -time.Duration(r.IntN(90)) * time.Minute // a step back
		}
		t = t.Add(step)
		author := genAuthors[r.IntN(len(genAuthors))]
		h := header()
		st.records++
		switch k := r.IntN(1000); {
		case k < 30:
			st.system++
			switch r.IntN(5) {
			case 0:
				line(h + author + " added " + genAuthors[r.IntN(len(genAuthors))])
			case 1:
				line(h + author + " left")
			case 2:
				line(h + author + ` changed the subject from "Trip" to "Trip: ` + word() + `"`)
			case 3:
				line(h + "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.")
			default:
				line(h + author + " changed this group's icon")
			}
		case k < 170:
			st.media++
			if r.IntN(2) == 0 {
				line(h + author + ": <Media omitted>")
			} else {
				line(fmt.Sprintf("%s%s: IMG-%s-WA%04d.jpg (file attached)", h, author, t.Format("20060102"), r.IntN(10000)))
			}
			if r.IntN(3) == 0 {
				line(sentence(1 + r.IntN(8)))
			}
		case k < 270:
			st.multiline++
			line(h + author + ": " + sentence(1+r.IntN(10)))
			for n := 1 + r.IntN(3); n > 0; n-- {
				if r.IntN(3) == 0 {
					st.pasted++
					line(pasted[r.IntN(len(pasted))]())
				} else if r.IntN(5) == 0 {
					line("")
				} else {
					line(sentence(1 + r.IntN(12)))
				}
			}
		case k < 290:
			st.deleted++
			line(h + author + ": This message was deleted")
		case k < 310:
			st.edited++
			line(h + author + ": " + sentence(2+r.IntN(6)) + " <This message was edited>")
		case k < 313:
			st.polls++
			line(h + author + ": POLL:")
			line(sentence(4) + "?")
			line(fmt.Sprintf("OPTION: %s (%d votes)", word(), r.IntN(5)))
			line(fmt.Sprintf("OPTION: %s (1 vote)", word()))
		case k < 318:
			st.locations++
			line(fmt.Sprintf("%slocation: https://maps.google.com/?q=%.6f,%.6f", h+author+": ", r.Float64()*180-90, r.Float64()*360-180))
		case k < 323:
			st.viewOnce++
			line(h + author + ": null")
		default:
			s := sentence(1 + r.IntN(25))
			if r.IntN(20) == 0 {
				s = "note: " + s
			}
			line(h + author + ": " + s)
		}
	}
	return st, bw.Flush()
}
