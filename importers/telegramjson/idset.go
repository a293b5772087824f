package telegramjson

import (
	"encoding/json"
	"sort"
	"strconv"
)

// idSet holds the message ids seen so far in a chat, as sorted runs of
// consecutive ids: Telegram numbers a chat's messages one after another,
// so a chat of a million messages takes a handful of runs, not a million
// entries. Ids that are not integers are not kept.
// jsonNumber is how message ids arrive from the decoder.
type jsonNumber = json.Number

type idSet struct {
	runs []idRun // sorted, disjoint, not adjacent
}

type idRun struct{ lo, hi int64 }

func parseID(n json.Number) (int64, bool) {
	v, err := strconv.ParseInt(string(n), 10, 64)
	return v, err == nil
}

// maxRuns bounds the set; beyond it the oldest runs are forgotten and
// replies to them are not linked.
const maxRuns = 1 << 16

func (s *idSet) add(n json.Number) {
	v, ok := parseID(n)
	if !ok {
		return
	}
	i := sort.Search(len(s.runs), func(i int) bool { return s.runs[i].hi >= v-1 })
	switch {
	case i < len(s.runs) && s.runs[i].lo <= v+1: // touches run i
		if v < s.runs[i].lo {
			s.runs[i].lo = v
		}
		if v > s.runs[i].hi {
			s.runs[i].hi = v
			if i+1 < len(s.runs) && s.runs[i+1].lo <= v+1 { // merge with the next
				s.runs[i].hi = s.runs[i+1].hi
				s.runs = append(s.runs[:i+1], s.runs[i+2:]...)
			}
		}
	default:
		s.runs = append(s.runs, idRun{})
		copy(s.runs[i+1:], s.runs[i:])
		s.runs[i] = idRun{v, v}
		if len(s.runs) > maxRuns {
			s.runs = s.runs[1:]
		}
	}
}

func (s *idSet) has(n json.Number) bool {
	v, ok := parseID(n)
	if !ok {
		return false
	}
	i := sort.Search(len(s.runs), func(i int) bool { return s.runs[i].hi >= v })
	return i < len(s.runs) && s.runs[i].lo <= v
}
