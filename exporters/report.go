package exporters

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/chatferry/chatferry/model"
)

// Report collects what an export wrote, kept only partly, and dropped.
// Its methods are safe for concurrent use.
type Report struct {
	mu        sync.Mutex
	chats     int
	messages  int
	floating  int // floating times turned into instants
	ambiguous int // of those, readings a daylight-saving change skips or repeats
	partial   map[model.Feature]int
	dropped   map[model.Feature]int
	notes     []string
	noteSeen  map[string]bool
}

// Loss is one line of a report: how many uses of a feature a conversion
// kept only partly or dropped.
type Loss struct {
	Feature model.Feature
	Support Support // Partial or Dropped
	Count   int
}

func (l Loss) String() string {
	how := "dropped"
	if l.Support == Partial {
		how = "kept partly"
	}
	return how + " " + Count(l.Count, l.Feature.Singular(), string(l.Feature))
}

// Drop records that n uses of f were left out. Like every method that
// records, it does nothing on a nil Report (a writer used without one).
func (r *Report) Drop(f model.Feature, n int) {
	if r != nil {
		r.add(&r.dropped, f, n)
	}
}

// Degrade records that n uses of f were kept in a weaker form.
func (r *Report) Degrade(f model.Feature, n int) {
	if r != nil {
		r.add(&r.partial, f, n)
	}
}

func (r *Report) add(m *map[model.Feature]int, f model.Feature, n int) {
	if n == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if *m == nil {
		*m = map[model.Feature]int{}
	}
	(*m)[f] += n
}

// Count returns n with the words that follow it in the number n takes:
// Count(1, "reply was", "replies were") is "1 reply was", and
// Count(3, …) "3 replies were".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Notef records a sentence for the user; repeated notes are kept once,
// and at most 100 are kept.
func (r *Report) Notef(format string, args ...any) {
	if r == nil {
		return
	}
	s := fmt.Sprintf(format, args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.noteSeen[s] || len(r.notes) >= 100 {
		return
	}
	if r.noteSeen == nil {
		r.noteSeen = map[string]bool{}
	}
	r.noteSeen[s] = true
	r.notes = append(r.notes, s)
}

// Notes returns the recorded notes in the order they were made.
func (r *Report) Notes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.notes...)
}

// Counts returns how many chats and messages were written.
func (r *Report) Counts() (chats, messages int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.chats, r.messages
}

// Losses returns the partial and dropped features in model.Features order,
// partial before dropped for the same feature.
func (r *Report) Losses() []Loss {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Loss
	for _, f := range model.Features {
		if n := r.partial[f]; n > 0 {
			out = append(out, Loss{f, Partial, n})
		}
		if n := r.dropped[f]; n > 0 {
			out = append(out, Loss{f, Dropped, n})
		}
	}
	return out
}

// Zones returns how many floating times were read in a zone to make
// instants, and how many of them a daylight-saving change made ambiguous.
func (r *Report) Zones() (floating, ambiguous int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.floating, r.ambiguous
}

// Counting wraps w so that every chat and message written is counted in
// r, and every use of a feature that f supports only partly or not at all
// is recorded as a loss. For formats that store instants it also counts
// the floating message times read in loc, and those that fall in a
// daylight-saving gap or overlap there.
func Counting(w Writer, f *Format, r *Report, loc *time.Location) Writer {
	return &countingWriter{Writer: w, f: f, r: r, loc: loc}
}

type countingWriter struct {
	Writer
	f       *Format
	r       *Report
	loc     *time.Location
	scratch []model.Feature
}

func (c *countingWriter) WriteChat(ch *model.Chat) error {
	if err := c.Writer.WriteChat(ch); err != nil {
		return err
	}
	c.r.mu.Lock()
	c.r.chats++
	c.r.mu.Unlock()
	return nil
}

func (c *countingWriter) WriteMessage(m *model.Message) error {
	if err := c.Writer.WriteMessage(m); err != nil {
		return err
	}
	ambiguous := false
	floating := c.f.Instants && m.Time.IsFloating() && c.loc != nil
	if floating {
		_, ambiguous = m.Time.Resolve(c.loc)
	}
	c.r.mu.Lock()
	c.r.messages++
	if floating {
		c.r.floating++
		if ambiguous {
			c.r.ambiguous++
		}
	}
	c.r.mu.Unlock()
	c.scratch = m.AppendFeatures(c.scratch[:0])
	for _, feat := range c.scratch {
		switch c.f.SupportOf(feat) {
		case Partial:
			c.r.Degrade(feat, 1)
		case Dropped:
			c.r.Drop(feat, 1)
		}
	}
	return nil
}
