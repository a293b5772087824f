package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/chatferry/chatferry/importers/importertest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"chatferry": func() { main() },
	})
}

// TestScripts runs the txtar scripts in testdata/script: whole command
// lines with their expected output. $ROOT is the module root.
func TestScripts(t *testing.T) {
	root := importertest.ModuleRoot(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       importertest.Update(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("ROOT", root)
			env.Setenv("TZ", "UTC")
			return nil
		},
	})
}

// runCLI runs the command line in memory.
func runCLI(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if dir != "" {
		t.Chdir(dir)
	}
	code = run(context.Background(), args, streams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// Every command and every exit code, in memory.
func TestExitCodes(t *testing.T) {
	root := importertest.ModuleRoot(t)
	sample := filepath.Join(root, "testdata", "json", "sample.json")
	bad := filepath.Join(root, "importers", "canonicaljson", "testdata", "bad-records.json")
	notChat := filepath.Join(root, "importers", "canonicaljson", "testdata", "not-json.txt")
	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		stdout    string // substring of stdout
		stderr    string // substring of stderr
		noStdout  bool
		setupFile string // create this file in the work folder first
	}{
		{name: "help", args: []string{"--help"}, code: 0, stdout: "Exit codes:"},
		{name: "version", args: []string{"--version"}, code: 0, stdout: "chatferry version"},
		{name: "no args", args: nil, code: 0, stdout: "Available Commands"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`},
		{name: "unknown flag", args: []string{"convert", sample, "--to", "json", "--bogus"}, code: 2, stderr: "unknown flag: --bogus"},
		{name: "missing --to", args: []string{"convert", sample}, code: 2, stderr: "known formats: "},
		{name: "unknown --to", args: []string{"convert", sample, "--to", "fax"}, code: 2, stderr: `unknown output format "fax"`},
		{name: "mistyped --to", args: []string{"convert", sample, "--to", "htm"}, code: 2, stderr: `unknown output format "htm"; did you mean html? (known: csv, html,`},
		{name: "part of a --to", args: []string{"convert", sample, "--to", "telegram"}, code: 2, stderr: `did you mean telegram-import or telegram-json?`},
		{name: "part of a --from", args: []string{"inspect", sample, "--from", "android"}, code: 2, stderr: `unknown input format "android"; did you mean whatsapp-android?`},
		{name: "unknown --from", args: []string{"convert", sample, "--from", "fax", "--to", "json"}, code: 2, stderr: "known: "},
		{name: "no input", args: []string{"convert", "--to", "json"}, code: 2, stderr: "no input given: chatferry convert INPUT... --to FORMAT [-o PATH] (see 'chatferry convert --help')"},
		{name: "bad tz", args: []string{"convert", sample, "--to", "json", "--tz", "Nowhere/Land"}, code: 2, stderr: "unknown time zone"},
		{name: "bad option value", args: []string{"convert", sample, "--to", "csv", "--delimiter", "|", "-o", "out.csv"}, code: 2, stderr: `--delimiter "|": want`},
		{name: "bad input option value", args: []string{"convert", sample, "--from", "whatsapp", "--date-order", "xyz", "--to", "json", "-o", "out.json"}, code: 2, stderr: `--date-order "xyz": want`},
		{name: "option without its partner", args: []string{"convert", sample, "--to", "signal", "--recovery-key", "x", "-o", "sig"}, code: 2, stderr: "--recovery-key is for merging"},
		{name: "missing file", args: []string{"convert", "nope.txt", "--to", "json", "-o", "-"}, code: 1, stderr: "nope.txt: no such file or folder", noStdout: true},
		{name: "not recognised", args: []string{"convert", notChat, "--to", "json", "-o", "-"}, code: 3, stderr: "--from", noStdout: true},
		{name: "invalid input", args: []string{"convert", bad, "--to", "json", "-o", "out.json"}, code: 3, stderr: "bad-records.json:4:"},
		{name: "convert to stdout", args: []string{"convert", sample, "--to", "json", "-o", "-"}, code: 0, stdout: `"chatferry": 1`, stderr: "2 chats, 25 messages"},
		{name: "quiet", args: []string{"convert", sample, "--to", "json", "-o", "-", "-q"}, code: 0, stdout: `"chatferry": 1`},
		{name: "exists", args: []string{"convert", sample, "--to", "json", "-o", "taken.json"}, code: 1, stderr: "taken.json already exists; use --force", setupFile: "taken.json"},
		{name: "force", args: []string{"convert", sample, "--to", "json", "-o", "taken.json", "--force"}, code: 0, setupFile: "taken.json"},
		{name: "inspect", args: []string{"inspect", sample}, code: 0, stdout: "chat 2: Trip 2024 ✈️ (group)"},
		{name: "inspect json", args: []string{"inspect", sample, "--json"}, code: 0, stdout: `"messages": 14`},
		{name: "inspect invalid", args: []string{"inspect", bad}, code: 3, stdout: "problem: ", stderr: "4 invalid records"},
		{name: "formats", args: []string{"formats"}, code: 0, stdout: "Output formats (--to):"},
		{name: "formats json", args: []string{"formats", "--json"}, code: 0, stdout: `"outputs"`},
		{name: "validate ok", args: []string{"validate", sample}, code: 0, stderr: "is valid"},
		{name: "validate bad", args: []string{"validate", bad}, code: 3, stdout: "bad-records.json:6: unknown field \"colour\"", stderr: "4 problems found"},
		{name: "validate wrong args", args: []string{"validate"}, code: 2, stderr: "no input given: chatferry validate INPUT..."},
		{name: "completion", args: []string{"completion", "bash"}, code: 0, stdout: "bash completion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.setupFile != "" {
				if err := os.WriteFile(filepath.Join(dir, tc.setupFile), []byte("precious"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, stderr := runCLI(t, dir, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", tc.stdout, stdout)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.stderr, stderr)
			}
			if tc.noStdout && stdout != "" {
				t.Errorf("stdout should be empty, got %q", stdout)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
				t.Errorf("a stack trace leaked: %s", stderr)
			}
			if tc.setupFile != "" && code != 0 {
				if b, _ := os.ReadFile(filepath.Join(dir, tc.setupFile)); string(b) != "precious" {
					t.Error("an existing output was replaced without --force")
				}
			}
			if code != 0 {
				left, _ := os.ReadDir(dir)
				for _, e := range left {
					if e.Name() != tc.setupFile {
						t.Errorf("a failed run left %s behind", e.Name())
					}
				}
			}
		})
	}
}

// Inputs refused as the input's fault exit 3, like an input that is not
// valid, and write nothing: a damaged one (a zip cut short) and one over
// a safety limit (a zip whose entries claim to unpack to more than 64 GiB,
// a zip bomb's shape).
func TestInputRefused(t *testing.T) {
	zipData, err := os.ReadFile(filepath.Join(importertest.ModuleRoot(t), "testdata", "whatsapp", "WhatsApp Chat with Ann Example.zip"))
	if err != nil {
		t.Fatal(err)
	}
	bomb := importertest.RawZip(t, &zip.FileHeader{Name: "WhatsApp Chat with Bomb.txt", Method: zip.Store,
		CompressedSize64: 1, UncompressedSize64: 65 << 30}, []byte("x"))
	encrypted := importertest.RawZip(t, &zip.FileHeader{Name: "WhatsApp Chat with Ann.txt", Method: zip.Deflate, Flags: 0x1,
		CompressedSize64: 16, UncompressedSize64: 40}, bytes.Repeat([]byte{0xa5}, 16))
	// The transcript of the sample with bytes flipped in the middle of its
	// compressed data.
	damaged := bytes.Clone(zipData)
	zr, err := zip.NewReader(bytes.NewReader(damaged), int64(len(damaged)))
	if err != nil {
		t.Fatal(err)
	}
	off, err := zr.File[0].DataOffset()
	if err != nil || !strings.HasSuffix(zr.File[0].Name, ".txt") || zr.File[0].CompressedSize64 < 400 {
		t.Fatalf("the sample's first entry is %q (%d bytes), %v", zr.File[0].Name, zr.File[0].CompressedSize64, err)
	}
	for i := off + 300; i < off+320; i++ {
		damaged[i] ^= 0x5a
	}
	for _, c := range []struct {
		name string
		data []byte
		says string
	}{
		{"cut.zip", zipData[:100], "cut.zip: damaged zip archive"},
		{"bomb.zip", bomb, "unpacks to more than the limit"},
		{"encrypted.zip", encrypted, `encrypted.zip: the zip is encrypted with a password (entry "WhatsApp Chat with Ann.txt")`},
		{"damaged.zip", damaged, "damaged zip entry: flate: corrupt input"},
	} {
		dir := t.TempDir()
		in := filepath.Join(dir, c.name)
		if err := os.WriteFile(in, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, dir, "convert", in, "--to", "json", "-o", "out.json")
		if code != 3 || !strings.Contains(stderr, c.says) {
			t.Errorf("%s: exit %d, stderr %q; want 3 saying %q", c.name, code, stderr, c.says)
		}
		if _, err := os.Stat(filepath.Join(dir, "out.json")); err == nil {
			t.Errorf("%s left an output", c.name)
		}
	}
}

// With several inputs, one that cannot be read does not stop the others:
// its error is said, the others are written, and the exit code is the
// failure's.
func TestSeveralInputsGoOnPastAFailure(t *testing.T) {
	root := importertest.ModuleRoot(t)
	sample := filepath.Join(root, "testdata", "json", "sample.json")
	trip := filepath.Join(root, "testdata", "whatsapp", "WhatsApp Chat with Trip 2024.txt")
	dir := t.TempDir()
	bad := filepath.Join(dir, "table.csv")
	if err := os.WriteFile(bad, []byte("name,x\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	code, _, stderr := runCLI(t, dir, "convert", sample, bad, trip, "--to", "text", "-o", "out")
	if code != 3 {
		t.Errorf("exit %d, want 3", code)
	}
	for _, want := range []string{"table.csv: not recognised", "1 of 3 inputs not converted", "the 2 other outputs were written"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	for _, name := range []string{"sample.transcript.txt", "WhatsApp Chat with Trip 2024.transcript.txt"} {
		if _, err := os.Stat(filepath.Join(dir, "out", name)); err != nil {
			t.Errorf("%s was not written: %v", name, err)
		}
	}
	// Run again: every output exists now and nothing is replaced.
	code, _, stderr = runCLI(t, dir, "convert", sample, bad, trip, "--to", "text", "-o", "out")
	if code != 3 || !strings.Contains(stderr, "none of the 3 inputs was converted") ||
		strings.Count(stderr, "already exists; use --force") != 2 {
		t.Errorf("second run: exit %d, stderr:\n%s", code, stderr)
	}
	// A usage error stops the run at once instead of repeating for
	// every input.
	code, _, stderr = runCLI(t, dir, "convert", sample, trip, "--to", "csv", "--delimiter", "|", "-o", "out", "--force")
	if code != 2 || strings.Count(stderr, `--delimiter "|"`) != 1 {
		t.Errorf("usage error: exit %d, stderr:\n%s", code, stderr)
	}
}

// cancelAfter is a standard error that cancels the run when it has been
// told that an output was written.
type cancelAfter struct {
	bytes.Buffer
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(" → ")) {
		c.cancel()
	}
	return c.Buffer.Write(p)
}

// An interrupt between outputs keeps those already complete, says so,
// and writes nothing of the rest.
func TestInterruptKeepsFinishedOutputs(t *testing.T) {
	root := importertest.ModuleRoot(t)
	sample := filepath.Join(root, "testdata", "json", "sample.json")
	trip := filepath.Join(root, "testdata", "whatsapp", "WhatsApp Chat with Trip 2024.txt")
	dir := t.TempDir()
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errw := &cancelAfter{cancel: cancel}
	code := run(ctx, []string{"convert", sample, trip, "--to", "text", "-o", "."},
		streams{In: strings.NewReader(""), Out: io.Discard, Err: errw})
	if code != 1 || !strings.Contains(errw.String(), "interrupted; kept the 1 output finished before, wrote nothing else") {
		t.Errorf("exit %d, stderr:\n%s", code, errw.String())
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "sample.transcript.txt" {
		t.Errorf("the folder holds %v, want only sample.transcript.txt", names)
	}
}
