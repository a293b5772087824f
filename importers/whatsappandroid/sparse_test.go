package whatsappandroid

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
)

// sideTables are the side tables of the fixture that may be read on
// their own, each with a row in testdata/modern.sql.
var sideTables = []string{"message_media", "message_edit_info", "message_forwarded", "message_location",
	"message_revoked", "message_system", "message_system_block_contact", "message_poll"}

// withSparseLimits runs f with the limits for reading side tables on
// their own set to maxRows and ratio.
func withSparseLimits(t *testing.T, maxRows, ratio int64, f func()) {
	t.Helper()
	oldMax, oldRatio := sparseMaxRows, sparseRatio
	sparseMaxRows, sparseRatio = maxRows, ratio
	defer func() { sparseMaxRows, sparseRatio = oldMax, oldRatio }()
	f()
}

// The limits decide which side tables the message query joins.
func TestSparseTablesLeaveTheQuery(t *testing.T) {
	query := func() (string, int) {
		d, err := openDatabase(context.Background(), fixture("modern/msgstore.db"), true)
		if err != nil {
			t.Fatal(err)
		}
		defer d.close()
		s := &modern{d: d}
		defer s.closeSparse()
		var row modernRow
		q, _, reads, err := s.messageQuery(context.Background(), &row)
		if err != nil {
			t.Fatal(err)
		}
		return q, len(reads)
	}
	var joined, sparse string
	var reads int
	withSparseLimits(t, 0, 1, func() { joined, reads = query() })
	if reads != 0 {
		t.Errorf("%d side tables read on their own with a limit of 0 rows", reads)
	}
	withSparseLimits(t, 1<<40, 1, func() { sparse, reads = query() })
	if reads != len(sideTables) {
		t.Errorf("%d side tables read on their own without limits, want %d", reads, len(sideTables))
	}
	for _, table := range sideTables {
		join := "LEFT JOIN " + table + " "
		if !strings.Contains(joined, join) {
			t.Errorf("%s is not joined with a limit of 0 rows:\n%s", table, joined)
		}
		if strings.Contains(sparse, join) {
			t.Errorf("%s is joined without limits:\n%s", table, sparse)
		}
	}
	// The reply lookup names the message's chat: it is always joined.
	if !strings.Contains(sparse, "LEFT JOIN message_quoted ") {
		t.Errorf("message_quoted is not joined:\n%s", sparse)
	}
}

// A side table joined or read on its own gives the same messages, on the
// fixture, a generated database and the corpus's databases.
func TestSparseTablesReadAlike(t *testing.T) {
	t.Run("fixture", func(t *testing.T) {
		readAlike(t, fixture("modern/msgstore.db"), importers.Values{"contacts-db": fixture("modern/wa.db"), "media": "testdata/Media"})
	})
	t.Run("generated", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "generated.db")
		if err := generateDB(p, 5000); err != nil {
			t.Fatal(err)
		}
		readAlike(t, p, nil)
	})
	t.Run("chat-history-manager", func(t *testing.T) {
		root := importertest.Corpus(t, "sqlite/chat-history-manager")
		for _, v := range []string{"2023-10", "2026-01", "2026-05"} {
			t.Run(v, func(t *testing.T) {
				dir := filepath.Join(root, "whatsapp-android_"+v)
				readAlike(t, mustBuildDB(t, filepath.Join(t.TempDir(), "msgstore.db"), filepath.Join(dir, "msgstore.sql")), nil)
			})
		}
	})
}

func readAlike(t *testing.T, path string, vals importers.Values) {
	t.Helper()
	// Items are compared as JSON: an attachment's opener is a function,
	// which reflect.DeepEqual never finds equal.
	read := func() string {
		its := importertest.Items(t, Name, path, importers.Options{Values: vals})
		if len(its) < 2 {
			t.Fatalf("only %d items", len(its))
		}
		b, err := json.Marshal(its)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var joined, sparse string
	withSparseLimits(t, 0, 1, func() { joined = read() })
	withSparseLimits(t, 1<<40, 1, func() { sparse = read() })
	if sparse != joined {
		t.Errorf("side tables read on their own give other items than joined ones")
	}
	if read() != joined {
		t.Errorf("the default limits give other items than joined side tables")
	}
}
