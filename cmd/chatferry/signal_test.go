package main

import (
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/exporters/signal/signalcheck"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
)

var recoveryKeyRE = regexp.MustCompile(`(?m)^\s+((?:[0-9A-Z#=]{4} ){15}[0-9A-Z#=]{4})\s*$`)

// whatsappInputs lists the WhatsApp samples of the project and the
// corpus's export zips with media.
func whatsappInputs(t *testing.T) []string {
	root := importertest.ModuleRoot(t)
	var inputs []string
	filepath.WalkDir(filepath.Join(root, "testdata", "whatsapp"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".zip")) {
			inputs = append(inputs, p)
		}
		return nil
	})
	corpus := importertest.Corpus(t, "whatsapp")
	filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".zip") {
			inputs = append(inputs, p)
		}
		return nil
	})
	return inputs
}

// Every WhatsApp sample, converted to a Signal backup, passes Signal's own
// validator with its media.
func TestSignalFromWhatsApp(t *testing.T) {
	if _, err := importers.Lookup("whatsapp"); err != nil {
		t.Skip("the WhatsApp importer is not registered yet")
	}
	inputs := whatsappInputs(t)
	var jobs []signalcheck.Job
	for i, in := range inputs {
		dir := t.TempDir()
		code, _, stderr := runCLI(t, dir, "convert", in, "--to", "signal", "--tz", "Europe/Berlin",
			"--me", "Chatferry Tester", "--unmatched", "as-text", "-o", "SignalBackups")
		if code == 3 {
			t.Logf("%s is not a chat the importer reads: %s", in, strings.TrimSpace(stderr))
			continue
		}
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", in, code, stderr)
			continue
		}
		m := recoveryKeyRE.FindStringSubmatch(stderr)
		if m == nil {
			t.Errorf("%s: no recovery key printed:\n%s", in, stderr)
			continue
		}
		jobs = append(jobs, signalcheck.Job{ID: filepath.Base(in) + "#" + string(rune('a'+i%26)), Kind: "local",
			Dir: filepath.Join(dir, "SignalBackups"), Key: m[1]})
	}
	if len(jobs) == 0 {
		t.Fatal("no WhatsApp sample converted")
	}
	for id, r := range signalcheck.Run(t, jobs) {
		if !r.OK {
			t.Errorf("%s: the validator rejects the backup: %v %v", id, r.Errors, r.Unknown)
		}
	}
}

// Fresh and merge from the command line: the recovery key is printed
// once, and a merge writes a second snapshot beside the first.
func TestSignalCommandLine(t *testing.T) {
	root := importertest.ModuleRoot(t)
	sample := filepath.Join(root, "testdata", "json", "sample.json")
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, dir, "convert", sample, "--to", "signal", "--me", "Ben Sample", "--unmatched", "as-text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := recoveryKeyRE.FindStringSubmatch(stderr)
	if m == nil || stdout != "" {
		t.Fatalf("want the key on stderr only; stdout %q, stderr:\n%s", stdout, stderr)
	}
	code, _, stderr = runCLI(t, dir, "convert", sample, "--to", "signal", "--me", "Ben Sample", "--unmatched", "as-text",
		"--signal-backup", "SignalBackups", "--recovery-key", m[1])
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	if recoveryKeyRE.MatchString(stderr) {
		t.Error("a merge printed a new recovery key")
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "SignalBackups", "signal-backup-*"))
	if len(snaps) != 2 {
		t.Errorf("snapshots %v, want two", snaps)
	}
	res := signalcheck.Run(t, []signalcheck.Job{{ID: "merged", Kind: "local", Dir: filepath.Join(dir, "SignalBackups"), Key: m[1]}})
	if r := res["merged"]; !r.OK {
		t.Errorf("the validator rejects the merged backup: %v %v", r.Errors, r.Unknown)
	}
}
