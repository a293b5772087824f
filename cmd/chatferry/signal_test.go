package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/exporters/signal/signalcheck"
	"github.com/chatferry/chatferry/importers"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/importers/whatsappios/iosfixture"
)

var recoveryKeyRE = regexp.MustCompile(`(?m)^\s+((?:[0-9A-Z#=]{4} ){15}[0-9A-Z#=]{4})\s*$`)

// whatsappInputs lists the WhatsApp samples of the project and the
// corpus's transcripts and export zips, in every locale it has.
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
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".zip") || strings.HasSuffix(p, ".txt")) {
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
		jobs = append(jobs, signalcheck.Job{ID: strconv.Itoa(i) + " " + filepath.Base(in), Kind: "local",
			Dir: filepath.Join(dir, "SignalBackups"), Key: m[1]})
	}
	if len(jobs) == 0 {
		t.Fatal("no WhatsApp sample converted")
	}
	res := signalcheck.Run(t, jobs)
	for id, r := range res {
		if !r.OK {
			t.Errorf("%s: the validator rejects the backup: %v %v", id, r.Errors, r.Unknown)
		}
	}
	if len(res) != len(jobs) {
		t.Errorf("the validator answered for %d of %d backups", len(res), len(jobs))
	}
	t.Logf("%d backups validated", len(res))
}

// Every database input, ours and the corpus's, converted to a Signal
// backup, passes Signal's own validator: databases carry what exports do
// not (quotes, reactions, polls, edits), each with its own limits there.
func TestSignalFromDatabases(t *testing.T) {
	root := importertest.ModuleRoot(t)
	dir := t.TempDir()
	build := func(name string, scripts ...string) string {
		p := filepath.Join(dir, "db", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		for _, s := range scripts {
			b, err := os.ReadFile(s)
			if err != nil {
				t.Fatal(err)
			}
			importertest.ExecSQL(t, p, string(b))
		}
		return p
	}
	android := filepath.Join(root, "importers", "whatsappandroid", "testdata")
	type input struct {
		name string
		args []string
	}
	inputs := []input{
		{"modern", []string{build("modern/msgstore.db", filepath.Join(android, "modern.sql")),
			"--contacts-db", build("modern/wa.db", filepath.Join(android, "wa.sql")), "--media", filepath.Join(android, "Media")}},
		{"legacy", []string{build("legacy/msgstore.db", filepath.Join(android, "legacy.sql")), "--media", filepath.Join(android, "Media")}},
	}
	ios, err := iosfixture.Build(filepath.Join(root, "testdata", "whatsapp-ios"), filepath.Join(dir, "ios"))
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, input{"ios", []string{ios.Backup}})
	validate := func(t *testing.T, inputs []input) {
		var jobs []signalcheck.Job
		for _, in := range inputs {
			out := "SignalBackups-" + strings.ReplaceAll(in.name, " ", "-")
			args := append(append([]string{"convert"}, in.args...), "--to", "signal", "--tz", "Europe/Berlin",
				"--unmatched", "as-text", "-o", out)
			code, _, stderr := runCLI(t, dir, args...)
			if code != 0 {
				t.Errorf("%s: exit %d\n%s", in.name, code, stderr)
				continue
			}
			m := recoveryKeyRE.FindStringSubmatch(stderr)
			if m == nil {
				t.Errorf("%s: no recovery key printed:\n%s", in.name, stderr)
				continue
			}
			jobs = append(jobs, signalcheck.Job{ID: in.name, Kind: "local", Dir: filepath.Join(dir, out), Key: m[1]})
		}
		for id, r := range signalcheck.Run(t, jobs) {
			if !r.OK {
				t.Errorf("%s: the validator rejects the backup: %v %v", id, r.Errors, r.Unknown)
			} else {
				t.Logf("%s: valid, %d attachments checked", id, r.Attachments)
			}
		}
	}
	validate(t, inputs)
	t.Run("corpus", func(t *testing.T) {
		corpus := filepath.Join(filepath.Dir(root), "shared", "corpus", "sqlite") // runCLI left the module's folder
		if _, err := os.Stat(corpus); err != nil {
			importertest.Missing(t, "the shared corpus is not at %s", corpus)
		}
		viewer := filepath.Join(corpus, "whatsapp-viewer")
		inputs := []input{{"whatsapp-viewer", []string{build("viewer/msgstore.db",
			filepath.Join(viewer, "msgstore.db.schema.sql"), filepath.Join(viewer, "test-database.sql"))}}}
		for _, v := range []string{"2023-10", "2026-01", "2026-05"} {
			d := filepath.Join(corpus, "chat-history-manager", "whatsapp-android_"+v)
			inputs = append(inputs, input{"chat-history-manager " + v, []string{build(v+"/msgstore.db", filepath.Join(d, "msgstore.sql")),
				"--contacts-db", build(v+"/wa.db", filepath.Join(d, "wa.sql"))}})
		}
		validate(t, inputs)
	})
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
