package main

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chatferry/chatferry/importers/importertest"
)

const module = "github.com/chatferry/chatferry"

// formatDirs lists the format folders under importers/ or exporters/:
// every folder with Go code except the all package, the kits and
// internal libraries.
func formatDirs(t *testing.T, root, side string) []string {
	entries, err := os.ReadDir(filepath.Join(root, side))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() || n == "all" || n == "internal" || strings.HasSuffix(n, "test") {
			continue
		}
		goFiles, _ := filepath.Glob(filepath.Join(root, side, n, "*.go"))
		for _, f := range goFiles {
			if !strings.HasSuffix(f, "_test.go") {
				dirs = append(dirs, n)
				break
			}
		}
	}
	return dirs
}

// Every format folder is registered in its side's all package.
func TestEveryFormatIsInAll(t *testing.T) {
	root := importertest.ModuleRoot(t)
	for _, side := range []string{"importers", "exporters"} {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, side, "all", "all.go"), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		imported := map[string]bool{}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			imported[p] = true
		}
		dirs := formatDirs(t, root, side)
		if len(dirs) == 0 {
			t.Fatalf("no format folders found under %s", side)
		}
		for _, d := range dirs {
			if p := module + "/" + side + "/" + d; !imported[p] {
				t.Errorf("%s/all/all.go does not import %s: add `_ %q`", side, p, p)
			}
		}
	}
}

// Dependencies point one way: the model needs only the standard library,
// and no format depends on another format.
func TestDependenciesPointOneWay(t *testing.T) {
	root := importertest.ModuleRoot(t)
	goTool := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	deps := func(pkg string) []string {
		cmd := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	if d := deps("./model"); len(d) != 1 {
		t.Errorf("model depends on more than the standard library: %v", d)
	}
	for _, side := range []string{"importers", "exporters"} {
		for _, dir := range formatDirs(t, root, side) {
			self := module + "/" + side + "/" + dir
			for _, d := range deps("./" + side + "/" + dir) {
				if !strings.HasPrefix(d, module+"/") {
					continue // third-party
				}
				rest := strings.TrimPrefix(d, module+"/")
				switch {
				case d == self, strings.HasPrefix(d, self+"/"),
					rest == "model", rest == "importers", rest == "exporters",
					strings.HasPrefix(rest, side+"/internal/"):
				default:
					t.Errorf("%s depends on %s: formats may use only model, their contract package and %s/internal", self, d, side)
				}
			}
		}
	}
}
