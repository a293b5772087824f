// Package signalcheck runs Signal's own validator (the Node package
// @signalapp/libsignal-client, pinned in exporters/signal/testdata/validator)
// on Signal backups that tests write. One Node process checks a whole batch.
//
// Without Node or the package's node_modules the tests that call it skip
// on a developer's machine and fail in CI (importertest.Missing).
package signalcheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
)

// Job is one check. Kind "local" validates a SignalBackups folder (or one
// snapshot) with its recovery key, including its attachment files; "plain"
// validates unencrypted frames in File; "same" checks that the snapshot in
// Dir compares equal to the unencrypted frames in File.
type Job struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Dir  string `json:"dir,omitempty"`
	Key  string `json:"key,omitempty"`
	File string `json:"file,omitempty"`
}

// Result is what the validator said of one job.
type Result struct {
	ID          string   `json:"id"`
	OK          bool     `json:"ok"`
	Errors      []string `json:"errors"`
	Unknown     []string `json:"unknown"`
	Attachments int      `json:"attachments"`
}

// Dir is the folder of the Node check, found from this file's own place
// so that tests that change their working folder can use it.
func Dir(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("signalcheck: cannot tell where its source is")
	}
	return filepath.Join(filepath.Dir(file), "..", "testdata", "validator")
}

// Run checks every job and returns the results by id.
func Run(t testing.TB, jobs []Job) map[string]Result {
	t.Helper()
	node := importertest.Tool(t, "node")
	dir := Dir(t)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@signalapp", "libsignal-client")); err != nil {
		importertest.Missing(t, "Signal's validator is not installed (run npm ci in %s)", dir)
	}
	data, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(t.TempDir(), "jobs.json")
	if err := os.WriteFile(list, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "check.mjs"), list)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v\n%s", err, stderr.Bytes())
	}
	res := map[string]Result{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("node check.mjs printed %q: %v", sc.Text(), err)
		}
		res[r.ID] = r
	}
	for _, j := range jobs {
		if _, ok := res[j.ID]; !ok {
			t.Fatalf("the validator gave no result for %s", j.ID)
		}
	}
	return res
}
