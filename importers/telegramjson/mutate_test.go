package telegramjson_test

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
)

// Damaged exports (bytes changed, cut, removed) never make the reader
// panic or loop: it ends within as many items as the input has bytes.
// A deterministic complement to FuzzImport.
func TestDamagedInputs(t *testing.T) {
	f, _ := importers.Lookup("telegram-json")
	var seeds [][]byte
	for _, p := range []string{"testdata/single/result.json", "testdata/account.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	rng := rand.New(rand.NewSource(1))
	dir := t.TempDir()
	for i := range 400 {
		d := append([]byte(nil), seeds[i%len(seeds)]...)
		for range 1 + rng.Intn(4) {
			k := rng.Intn(len(d))
			switch rng.Intn(3) {
			case 0:
				d[k] = "{}[],:\"0a\\\n"[rng.Intn(11)]
			case 1:
				d = d[:k]
			case 2:
				d = append(d[:k], d[min(len(d), k+rng.Intn(40)):]...)
			}
			if len(d) == 0 {
				d = []byte("{")
			}
		}
		p := filepath.Join(dir, "result.json")
		if err := os.WriteFile(p, d, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := importers.OpenSource(p, importers.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for ; n <= len(d); n++ {
			_, err := r.Next()
			if err != nil && !importers.Recoverable(err) {
				break
			}
		}
		if n > len(d) {
			t.Errorf("input %d: more items than bytes", i)
		}
		r.Close()
		src.Close()
	}
}
