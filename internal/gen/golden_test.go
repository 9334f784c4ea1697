package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/*/want")

// TestGolden generates each fixture of testdata/<feature>/ (an openapi.json
// and an overrides.json) and compares the Go files with those of
// testdata/<feature>/want/. The docs pages are left to their own tests.
//
//	go test ./internal/gen -run Golden -update   # rewrites the want files
func TestGolden(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join("testdata", "*", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) == 0 {
		t.Fatal("no fixtures under testdata")
	}
	for _, spec := range specs {
		dir := filepath.Dir(spec)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := generateFixture(t, dir)
			want := filepath.Join(dir, "want")
			if *update {
				writeGolden(t, want, got)
				return
			}
			compareGolden(t, want, got)
		})
	}
}

// generateFixture returns the Go files the generator writes for the
// fixture in dir, by path from the root, with / written as _ so that
// they lie flat in want/.
func generateFixture(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	spec, err := os.ReadFile(filepath.Join(dir, "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := os.ReadFile(filepath.Join(dir, "overrides.json"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(spec, ov)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	out := map[string][]byte{}
	for name, data := range files {
		if strings.HasSuffix(name, ".go") {
			out[strings.ReplaceAll(name, "/", "_")] = data
		}
	}
	return out
}

func writeGolden(t *testing.T, want string, got map[string][]byte) {
	t.Helper()
	if err := os.RemoveAll(want); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(want, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range got {
		if err := os.WriteFile(filepath.Join(want, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func compareGolden(t *testing.T, want string, got map[string][]byte) {
	t.Helper()
	entries, err := os.ReadDir(want)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/gen -run Golden -update)", err)
	}
	onDisk := map[string]bool{}
	for _, e := range entries {
		onDisk[e.Name()] = true
		if _, ok := got[e.Name()]; !ok {
			t.Errorf("%s: in want/, but the generator no longer writes it", e.Name())
		}
	}
	names := make([]string, 0, len(got))
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !onDisk[name] {
			t.Errorf("%s: written by the generator, not in want/", name)
			continue
		}
		old, err := os.ReadFile(filepath.Join(want, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(old, got[name]) {
			t.Errorf("%s differs from want/ (-want +got):\n%s", name, diff(old, got[name]))
		}
	}
}
