package test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// example is a whole program of the docs followed by the output it prints:
// a ```go block, a line "Output:", and a ```text block.
type example struct {
	snippet
	output string
}

// examplesWithOutput returns the programs of README.md and docs/*.md that
// show their output.
func examplesWithOutput(t *testing.T, root string) []example {
	t.Helper()
	var out []example
	for _, name := range docFiles(t, root) {
		data, err := os.ReadFile(filepath.Join(root, name))
		require.NoError(t, err)
		var (
			lines []string
			sc    = bufio.NewScanner(bytes.NewReader(data))
		)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		require.NoError(t, sc.Err())
		for i := 0; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) != "```go" {
				continue
			}
			start := i + 1
			end := start
			for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
				end++
			}
			j := end + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j >= len(lines) || strings.TrimSpace(lines[j]) != "Output:" {
				i = end
				continue
			}
			for j++; j < len(lines) && strings.TrimSpace(lines[j]) == ""; j++ {
			}
			if j >= len(lines) || strings.TrimSpace(lines[j]) != "```text" {
				i = end
				continue
			}
			k := j + 1
			for k < len(lines) && strings.TrimSpace(lines[k]) != "```" {
				k++
			}
			src := strings.Join(lines[start:end], "\n") + "\n"
			if kind, _ := classify(src); kind == kindFile {
				out = append(out, example{snippet{file: name, line: start + 1, src: src}, strings.Join(lines[j+1:k], "\n")})
			}
			i = k
		}
	}
	return out
}

// TestDocExamplesPrintTheirOutput runs every program of the docs that shows
// its output and compares what it prints with what the page says.
func TestDocExamplesPrintTheirOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the docs' programs")
	}
	root := repoRoot(t)
	examples := examplesWithOutput(t, root)
	require.NotEmpty(t, examples)
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)

	// One binary runs them all: each program's main becomes Main of a
	// package of its own, and a dispatcher calls the one its argument names.
	mod := snippetModule(t, root, "examples")
	var imports, cases strings.Builder
	for i, ex := range examples {
		pkg := fmt.Sprintf("ex%03d", i)
		_, err := parser.ParseFile(token.NewFileSet(), "", ex.src, parser.SkipObjectResolution)
		require.NoError(t, err, ex.String())
		src := renamePackage(t, ex.src, pkg)
		src = strings.Replace(src, "\nfunc main() {", "\nfunc Main() {", 1)
		lineDirective := fmt.Sprintf("//line %s:%d\n", filepath.Join(root, ex.file), ex.line)
		writeSnippetPackage(t, mod, pkg, lineDirective+src)
		fmt.Fprintf(&imports, "\t%q\n", "examples/"+pkg)
		fmt.Fprintf(&cases, "\tcase %q:\n\t\t%s.Main()\n", pkg, pkg)
	}
	main := "package main\n\nimport (\n\t\"os\"\n\n" + imports.String() + ")\n\nfunc main() {\n\tswitch os.Args[1] {\n" +
		cases.String() + "\t}\n}\n"
	require.NoError(t, os.MkdirAll(filepath.Join(mod, "cmd"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(mod, "cmd", "main.go"), []byte(main), 0o600))
	bin := filepath.Join(mod, "examples")
	build := exec.Command(goBin, "build", "-o", bin, "./cmd")
	build.Dir = mod
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	for i, ex := range examples {
		t.Run(ex.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, fmt.Sprintf("ex%03d", i))
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
			got, err := cmd.Output()
			require.NoError(t, err, "%s", got)
			assert.Equal(t, strings.TrimRight(ex.output, "\n"), strings.TrimRight(string(got), "\n"),
				"%s prints other than its Output block", ex)
		})
	}
	t.Logf("%d programs of the docs print what their pages say", len(examples))
}
