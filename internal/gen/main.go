// Command arthur-gen writes the SDK's models, services, docs and
// operation table from api/openapi.json and api/overrides.json, and for
// the root package's tests a registry of the models and a list of the
// hand-written runtime's types, which it reads from their sources.
//
//	go run ./internal/gen            # writes them into the repository
//	go run ./internal/gen -check     # fails, with a diff, where they differ
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := flag.String("root", ".", "the repository: api/ is read from it, the files are written into it")
	check := flag.Bool("check", false, "write nothing; fail when the files differ from what the generator writes")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "arthur-gen:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	spec, err := os.ReadFile(filepath.Join(root, "api", "openapi.json"))
	if err != nil {
		return err
	}
	ov, err := os.ReadFile(filepath.Join(root, "api", "overrides.json"))
	if err != nil {
		return err
	}
	files, err := generate(spec, ov)
	if err != nil {
		return err
	}
	// The runtime's types come from the hand-written sources, not the spec.
	if files[runtimeFile], err = emitRuntimeTypes(root); err != nil {
		return fmt.Errorf("%s: %w", runtimeFile, err)
	}
	stale, err := generatedFiles(root)
	if err != nil {
		return err
	}
	if check {
		return compare(root, files, stale)
	}
	for _, name := range stale {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(root, name)); err != nil {
				return err
			}
		}
	}
	for name, data := range files {
		path := filepath.Join(root, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// generate returns every file the generator writes, by path from the root.
func generate(spec, overrides []byte) (map[string][]byte, error) {
	a, err := load(spec, overrides)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	add := func(name string, data []byte, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if _, dup := files[name]; dup {
			return fmt.Errorf("%s: written twice: two names of the spec give the same Go name", name)
		}
		files[name] = data
		return nil
	}
	for _, m := range a.models {
		data, err := a.emitModel(m)
		if err := add(m.file, data, err); err != nil {
			return nil, err
		}
		if err := add("docs/"+m.goName+".md", a.modelDoc(m), nil); err != nil {
			return nil, err
		}
	}
	for _, s := range a.services {
		data, err := a.emitService(s)
		if err := add(s.file, data, err); err != nil {
			return nil, err
		}
		if err := add(s.docsFile, a.serviceDoc(s), nil); err != nil {
			return nil, err
		}
		for _, x := range s.ops {
			if len(x.query) > 0 {
				if err := add("docs/"+paramsName(x)+".md", a.paramsDoc(x), nil); err != nil {
					return nil, err
				}
			}
		}
	}
	data, err := a.emitClient()
	if err := add("api_client.go", data, err); err != nil {
		return nil, err
	}
	data, err = a.emitOperations()
	if err := add("internal/optable/optable.go", data, err); err != nil {
		return nil, err
	}
	data, err = a.emitOpConstants()
	if err := add("arthurtest/ops.go", data, err); err != nil {
		return nil, err
	}
	data, err = a.emitRegistry()
	if err := add(registryFile, data, err); err != nil {
		return nil, err
	}
	data, err = a.emitCLI()
	if err := add(cliFile, data, err); err != nil {
		return nil, err
	}
	return files, nil
}

// generatedFiles lists the files under root that carry the generator's
// header (Go) or mark (Markdown).
func generatedFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == "test" || rel == "examples" || rel == "bench" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(data, []byte(header)) || bytes.HasPrefix(data, []byte(mdHeader)) {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// compare reports the files that differ from what the generator writes,
// with a diff of each.
func compare(root string, files map[string][]byte, onDisk []string) error {
	var problems []string
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		old, err := os.ReadFile(filepath.Join(root, name))
		switch {
		case err != nil:
			problems = append(problems, name+": missing")
		case !bytes.Equal(old, files[name]):
			problems = append(problems, name+": differs\n"+diff(old, files[name]))
		}
	}
	for _, name := range onDisk {
		if _, ok := files[name]; !ok {
			problems = append(problems, name+": generated once, no longer made by the generator")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the generated files are not what the generator writes (run make generate):\n%s",
			strings.Join(problems, "\n"))
	}
	return nil
}

// diff is a unified diff of a and b, by diff(1) where there is one.
func diff(a, b []byte) string {
	dir, err := os.MkdirTemp("", "arthur-gen")
	if err != nil {
		return ""
	}
	defer os.RemoveAll(dir)
	pa, pb := filepath.Join(dir, "committed"), filepath.Join(dir, "generated")
	if os.WriteFile(pa, a, 0o644) != nil || os.WriteFile(pb, b, 0o644) != nil {
		return ""
	}
	out, _ := exec.Command("diff", "-u", pa, pb).CombinedOutput()
	return string(out)
}
