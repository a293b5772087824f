package sqlite_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/exporters/sqlite"
	"github.com/chatferry/chatferry/model"
)

// The internal tests' helpers, shared through export_test.go.
var (
	requireFTS5 = sqlite.RequireFTS5
	listing     = sqlite.FolderState
)

func berlin(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// export writes items into the archive at path (creating or updating it)
// and returns the report.
func export(t testing.TB, path string, items []model.Item, opts exporters.Options) *exporters.Report {
	t.Helper()
	rep, err := tryExport(path, items, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func tryExport(path string, items []model.Item, opts exporters.Options) (*exporters.Report, error) {
	rep := &exporters.Report{}
	opts.Report = rep
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	f, err := exporters.Lookup("sqlite")
	if err != nil {
		return nil, err
	}
	tg, err := exporters.NewTarget(path, f.Layout, false, nil)
	if err != nil {
		return nil, err
	}
	w, err := f.New(tg, opts)
	if err != nil {
		return nil, err
	}
	w = exporters.Counting(w, f, rep, opts.TZ)
	if err := exportertest.WriteItems(w, items); err != nil {
		w.Abort()
		tg.Abort()
		return nil, err
	}
	if err := w.Close(); err != nil {
		tg.Abort()
		return nil, err
	}
	return rep, tg.Commit()
}

func sampleItems(t testing.TB) []model.Item {
	return exportertest.Input(t, exportertest.Sample(t), "json")
}

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dumpTables lists the tables a dump shows, in order, with the columns
// that order their rows.
var dumpTables = []struct{ name, order string }{
	{"archive", "key"},
	{"runs", "id"},
	{"chats", "id"},
	{"imports", "id"},
	{"chat_warnings", "id"},
	{"participants", "id"},
	{"messages", "id"},
	{"replies", "message_id"},
	{"reactions", "id"},
	{"attachments", "id"},
	{"media", "sha256"},
	{"events", "message_id"},
	{"event_targets", "message_id, position"},
	{"polls", "message_id"},
	{"poll_options", "message_id, position"},
	{"poll_votes", "message_id, position, participant_id"},
	{"locations", "message_id"},
	{"contacts", "message_id, position"},
	{"calls", "message_id"},
}

// dump renders every row of the archive at path as text, blobs as hex
// (media data as its size and SHA-256), the time a run started as
// "<started>", then the files of the media folder with their SHA-256.
func dump(t testing.TB, path string) string {
	t.Helper()
	db := openDB(t, path)
	var b strings.Builder
	for _, tb := range dumpTables {
		fmt.Fprintf(&b, "== %s\n", tb.name)
		eachRow(t, db, "SELECT * FROM "+tb.name+" ORDER BY "+tb.order, func(cols []string, vals []any) {
			var cells []string
			for i, v := range vals {
				cell := fmt.Sprintf("%s=%s", cols[i], formatCell(v))
				if tb.name == "runs" && cols[i] == "started" {
					cell = "started=<started>"
				}
				if tb.name == "media" && cols[i] == "data" {
					sum := sha256.Sum256(v.([]byte))
					cell = fmt.Sprintf("data=<%d bytes, sha256 %x>", len(v.([]byte)), sum)
				}
				cells = append(cells, cell)
			}
			b.WriteString(strings.Join(cells, " | ") + "\n")
		})
	}
	b.WriteString("== files\n")
	for _, f := range mediaFiles(t, filepath.Dir(path)) {
		b.WriteString(f + "\n")
	}
	return b.String()
}

// eachRow calls f with the column names and the values of every row the
// query returns.
func eachRow(t testing.TB, db *sql.DB, query string, f func(cols []string, vals []any)) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		f(cols, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func formatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return "x'" + hex.EncodeToString(x) + "'"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

// mediaFiles lists the files below dir other than databases, as
// "path sha256".
func mediaFiles(t testing.TB, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".db") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, fmt.Sprintf("%s %x", filepath.ToSlash(rel), sha256.Sum256(data)))
		return nil
	})
	sort.Strings(out)
	return out
}

func openRW(t testing.TB, path, mode string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode="+mode)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func fileSum(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

var _ = sqlite.SchemaVersion
