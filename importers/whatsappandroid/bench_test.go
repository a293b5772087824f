//go:build unix

package whatsappandroid

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
)

// generateDB writes a database of n generated messages over 20 chats (10
// direct, 10 groups) on top of testdata/modern.sql: text, every 25th a
// picture, every 10th a reply, every 7th with a reaction, every 500th an
// edit. It has the indexes WhatsApp's own database has.
func generateDB(path string, n int) error {
	if err := buildDB(path, "testdata/modern.sql"); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		return err
	}
	defer db.Close()
	script := fmt.Sprintf(`
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 59)
INSERT INTO jid (_id, user, server, raw_string)
SELECT 1000 + i, CAST(4915200000000 + i AS TEXT), 's.whatsapp.net', CAST(4915200000000 + i AS TEXT) || '@s.whatsapp.net' FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9)
INSERT INTO jid (_id, user, server, raw_string)
SELECT 2000 + i, CAST(120363100000000000 + i AS TEXT), 'g.us', CAST(120363100000000000 + i AS TEXT) || '@g.us' FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9)
INSERT INTO chat (_id, jid_row_id, subject) SELECT 100 + i, 1000 + i, NULL FROM k;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9)
INSERT INTO chat (_id, jid_row_id, subject) SELECT 110 + i, 2000 + i, 'Group ' || i FROM k;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, status, timestamp, message_type, text_data, sort_id)
SELECT 10000 + i, 100 + (i / %d), i %% 3 = 0, 'K' || i,
	CASE WHEN i %% 3 = 0 THEN 0 WHEN (i / %d) < 10 THEN 0 ELSE 1010 + (i %% 50) END,
	0, 1600000000000 + i * 1000, CASE WHEN i %% 25 = 0 THEN 1 ELSE 0 END,
	'Generated message number ' || i || ', long enough to look like a real one.', 10000 + i
FROM n;
INSERT INTO message_media (message_row_id, chat_row_id, file_path, file_size, mime_type, width, height)
SELECT _id, chat_row_id, 'Media/WhatsApp Images/IMG-' || _id || '.jpg', 100000, 'image/jpeg', 1600, 1200
FROM message WHERE _id >= 10000 AND message_type = 1;
INSERT INTO message_quoted (message_row_id, chat_row_id, parent_message_chat_row_id, from_me, sender_jid_row_id, key_id, text_data)
SELECT m._id, m.chat_row_id, m.chat_row_id, p.from_me, p.sender_jid_row_id, p.key_id, p.text_data
FROM message m JOIN message p ON p._id = m._id - 1 AND p.chat_row_id = m.chat_row_id
WHERE m._id >= 10001 AND m._id %% 10 = 0;
INSERT INTO message_add_on (_id, chat_row_id, from_me, key_id, sender_jid_row_id, parent_message_row_id, timestamp, message_add_on_type)
SELECT _id, chat_row_id, 1, 'R' || _id, 0, _id, timestamp + 5000, 56 FROM message WHERE _id >= 10000 AND _id %% 7 = 0;
INSERT INTO message_add_on_reaction (message_add_on_row_id, reaction, sender_timestamp)
SELECT _id, '👍', timestamp FROM message_add_on WHERE _id >= 10000;
INSERT INTO message_edit_info (message_row_id, original_key_id, edited_timestamp, sender_timestamp)
SELECT _id, key_id, timestamp + 60000, timestamp + 60000 FROM message WHERE _id >= 10000 AND _id %% 500 = 0;
COMMIT;`, n-1, max(n/20, 1), max(n/20, 1))
	_, err = db.Exec(script)
	return err
}

// generateLegacyDB writes n generated messages in the legacy layout over
// 20 chats (10 direct, 10 groups) on top of testdata/legacy.sql: text,
// every 25th a picture, every 10th a reply.
func generateLegacyDB(path string, n int) error {
	if err := buildDB(path, "testdata/legacy.sql"); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		return err
	}
	defer db.Close()
	per := max(n/20, 1)
	script := fmt.Sprintf(`
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < %[1]d)
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_mime_type,
	media_size, media_name, remote_resource, quoted_row_id)
SELECT 1000 + i,
	CASE WHEN i / %[2]d < 10 THEN CAST(4915200000000 + i / %[2]d AS TEXT) || '@s.whatsapp.net'
		ELSE CAST(4915200000000 + i / %[2]d AS TEXT) || '-1600000000@g.us' END,
	i %% 3 = 0, 'K' || i, 0,
	'Generated message number ' || i || ', long enough to look like a real one.', 1600000000000 + i * 1000,
	CASE WHEN i %% 25 = 0 THEN '1' ELSE '0' END, CASE WHEN i %% 25 = 0 THEN 'image/jpeg' END, 100000,
	CASE WHEN i %% 25 = 0 THEN 'IMG-' || i || '.jpg' END,
	CASE WHEN i / %[2]d >= 10 AND i %% 3 <> 0 THEN CAST(4915300000000 + i %% 50 AS TEXT) || '@s.whatsapp.net' END,
	CASE WHEN i %% 10 = 0 AND i > 0 THEN 1000 + i END
FROM k;
INSERT INTO messages_quotes (_id, key_remote_jid, key_from_me, key_id, data, remote_resource)
SELECT m._id, m.key_remote_jid, p.key_from_me, p.key_id, p.data, p.remote_resource
FROM messages m JOIN messages p ON p._id = m._id - 1
WHERE m._id >= 1010 AND m.quoted_row_id IS NOT NULL;
COMMIT;`, n-1, per)
	_, err = db.Exec(script)
	return err
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchDB returns a generated database of n messages, made once per run.
func benchDB(b *testing.B, n int, gen func(string, int) error, name string) string {
	benchOnce.Do(func() { benchDir = filepath.Join(fixtures, "bench") })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	p := filepath.Join(benchDir, fmt.Sprintf("%s-%d.db", name, n))
	if _, err := readHead(p); err != nil {
		start := time.Now()
		if err := gen(p, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d messages in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return p
}

// BenchmarkImport reads generated databases of 100,000 and 1,000,000
// messages and reports messages per second and the largest live heap
// seen, sampled every 10,000 messages after a collection: a flat figure
// across the two sizes shows that memory does not grow with the chat.
func BenchmarkImport(b *testing.B) {
	for _, tc := range []struct {
		name string
		n    int
		gen  func(string, int) error
	}{
		{"modern", 100_000, generateDB}, {"modern", 1_000_000, generateDB},
		{"legacy", 1_000_000, generateLegacyDB},
	} {
		b.Run(fmt.Sprint(tc.name, "-", tc.n), func(b *testing.B) {
			p := benchDB(b, tc.n, tc.gen, tc.name)
			f, _ := importers.Lookup(Name)
			var peak uint64
			var msgs int
			var cpu time.Duration // CPU time of the timed parts: the machine may be shared
			b.ResetTimer()
			start := importertest.CPUTime()
			for b.Loop() {
				src := importertest.OpenSource(b, p)
				r, err := f.Open(context.Background(), src, importers.Options{TZ: time.UTC})
				if err != nil {
					b.Fatal(err)
				}
				msgs = 0
				for {
					_, err := r.Next()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					msgs++
					if msgs%10_000 == 0 {
						b.StopTimer()
						cpu += importertest.CPUTime() - start
						runtime.GC()
						var ms runtime.MemStats
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
						start = importertest.CPUTime()
						b.StartTimer()
					}
				}
				r.Close()
				src.Close()
			}
			cpu += importertest.CPUTime() - start
			b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64(msgs)*float64(b.N)/cpu.Seconds(), "msgs/cpu-s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(0, "ns/op")
		})
	}
}
