package whatsapp

import (
	"io"
	"testing"
)

func TestGeneratedExportCount(t *testing.T) {
	for _, clock12 := range []bool{false, true} {
		path, st := generated(t, 4<<20, clock12)
		if st.pasted < 100 {
			t.Fatalf("the generator pasted only %d timestamps", st.pasted)
		}
		if n := importToJSON(t, path, io.Discard); n != st.records {
			t.Errorf("12-hour %v: %d messages, generated %d", clock12, n, st.records)
		}
	}
}
