package test

// The Go blocks of README.md and docs/*.md are code users copy: these tests
// keep every one of them gofmt-clean and compiling against the library as
// it is. A block fenced as ```go is one of four kinds:
//
//   - A file: it has a package clause. It is built as it stands, as a
//     package of its own (under another name: a main package would be
//     linked as well).
//   - Signatures: nothing but function declarations without a body, such
//     as `func (s *UsersV1APIService) GetUsersMe(ctx context.Context)
//     (*User, error)`. Each must be the exact type of the package-level
//     function or method of package arthur it names.
//   - Declarations: types, functions, variables and constants. They are
//     built as a package of their own.
//   - Statements: anything else. They are the body of a function that
//     returns error and whose parameters are the names a fragment may use
//     without declaring them (see fragmentParams): ctx, client, cfg, id and
//     body. Each variable the block declares at its top level is then used
//     with `_ =`, so a block may stop where the reader's code would go on.
//
// A block that is not a file gets its imports from the package names it
// uses (see snippetImports). Every other language is fenced as what it is:
// ```sh, ```text, ```json. A failure names the Markdown file and the line
// of the code in it: the generated sources carry //line directives.

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fragmentParams are the names a block of statements may use undeclared.
const fragmentParams = `ctx context.Context, // the call's context
	client *arthur.APIClient, // a client, made from cfg
	cfg *arthur.Configuration, // its Configuration
	id string, // a user's ID
	body arthur.PostEndUser, // the body of PostOrganizationUser
`

// snippetImports are the packages a block that is not a file may use, by
// the name it uses them by.
var snippetImports = map[string]string{
	"arthur":     "github.com/arthur-sdk/arthur-go",
	"arthurtest": "github.com/arthur-sdk/arthur-go/arthurtest",
	"bytes":      "bytes",
	"context":    "context",
	"errors":     "errors",
	"fmt":        "fmt",
	"http":       "net/http",
	"httptest":   "net/http/httptest",
	"io":         "io",
	"iter":       "iter",
	"json":       "encoding/json",
	"log":        "log",
	"oauth2":     "golang.org/x/oauth2",
	"os":         "os",
	"slog":       "log/slog",
	"strings":    "strings",
	"sync":       "sync",
	"testing":    "testing",
	"time":       "time",
}

// snippet is one ```go block of a Markdown file.
type snippet struct {
	file string // path of the Markdown file, as the failures name it
	line int    // line of the block's first line of code
	src  string
}

func (s snippet) String() string { return fmt.Sprintf("%s:%d", s.file, s.line) }

// docFiles are README.md and docs/*.md, relative to the repository root.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	files := []string{"README.md"}
	for _, d := range docs {
		rel, err := filepath.Rel(root, d)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

// extractSnippets returns the ```go blocks of the Markdown file root/name.
func extractSnippets(t *testing.T, root, name string) []snippet {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	require.NoError(t, err)
	var (
		out     []snippet
		cur     *snippet
		inFence bool
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case !inFence && strings.HasPrefix(line, "```"):
			inFence = true
			if strings.TrimSpace(strings.TrimPrefix(line, "```")) == "go" {
				cur = &snippet{file: name, line: n + 1}
			}
		case inFence && strings.TrimSpace(line) == "```":
			inFence = false
			if cur != nil {
				out = append(out, *cur)
				cur = nil
			}
		case cur != nil:
			cur.src += line + "\n"
		}
	}
	require.NoError(t, sc.Err())
	require.False(t, inFence, "%s: a code block is not closed", name)
	return out
}

// allSnippets returns every ```go block of README.md and docs/*.md.
func allSnippets(t *testing.T, root string) []snippet {
	t.Helper()
	var all []snippet
	for _, f := range docFiles(t, root) {
		all = append(all, extractSnippets(t, root, f)...)
	}
	return all
}

// repoRoot is the library's directory, the parent of the test module.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	return root
}

func TestDocSnippetsAreGofmtClean(t *testing.T) {
	snips := allSnippets(t, repoRoot(t))
	require.NotEmpty(t, snips)
	for _, p := range gofmtProblems(snips) {
		t.Error(p)
	}
}

func TestDocSnippetsCompile(t *testing.T) {
	root := repoRoot(t)
	snips := allSnippets(t, root)
	require.NotEmpty(t, snips)
	// The programs that show their output are built, into one binary,
	// and run by TestDocExamplesPrintTheirOutput: a package each here
	// would only build them again, one by one.
	shown := map[string]bool{}
	for _, ex := range examplesWithOutput(t, root) {
		shown[fmt.Sprintf("%s:%d", ex.file, ex.line)] = true
	}
	rest := snips[:0:0]
	for _, s := range snips {
		if !shown[fmt.Sprintf("%s:%d", s.file, s.line)] {
			rest = append(rest, s)
		}
	}
	require.Less(t, len(rest), len(snips), "no program with its output was found")
	if out, ok := buildSnippets(t, root, rest); !ok {
		t.Errorf("a Go block of the docs does not compile:\n%s", out)
	}
}

// TestSnippetCheckNamesTheBlock holds the checks above to what they are
// for: a block that breaks fails them, and the failure says where it is.
func TestSnippetCheckNamesTheBlock(t *testing.T) {
	dir := t.TempDir()
	md := strings.Join([]string{
		"# Broken", // 1
		"",
		"```go",
		"fmt.Println(correlationKey{})", // 4: statements, an undefined name
		"```",
		"",
		"```go",
		"x := arthur.Value( \"a\" )", // 8: statements, not gofmt-clean
		"```",
		"",
		"```go",
		"func (s *UsersV1APIService) GetUsersMe(ctx context.Context) (*User, bool)", // 12: a wrong signature
		"```",
		"",
		"```go",
		"package main", // 16
		"",
		"import arthur \"github.com/arthur-sdk/arthur-go\"",
		"",
		"func main() {",
		"\tarthur.NewAPIClient(\"http://localhost\")", // 21: a file, a wrong type
		"}",
		"```",
		"",
		"```sh",
		"go run . # not Go: not checked",
		"```",
	}, "\n") + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.md"), []byte(md), 0o600))
	snips := extractSnippets(t, dir, "broken.md")
	require.Len(t, snips, 4)

	problems := gofmtProblems(snips)
	require.Len(t, problems, 1)
	require.Contains(t, problems[0], "broken.md:8: not gofmt-clean")

	out, ok := buildSnippets(t, repoRoot(t), snips)
	require.False(t, ok, "broken blocks compiled:\n%s", out)
	for _, want := range []string{"broken.md:4", "undefined: correlationKey", "broken.md:12", "broken.md:21"} {
		require.Contains(t, out, want)
	}
	require.NotContains(t, out, "broken.md:8", "the block that compiles is blamed")
}

// gofmtProblems says which blocks gofmt would change, and how.
func gofmtProblems(snips []snippet) []string {
	var problems []string
	for _, s := range snips {
		formatted, err := format.Source([]byte(s.src))
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: does not parse as Go: %v", s, err))
		case string(formatted) != s.src:
			problems = append(problems, fmt.Sprintf("%s: not gofmt-clean; gofmt makes it:\n%s", s, formatted))
		}
	}
	return problems
}

// buildSnippets writes the blocks into a temporary module that requires
// the library at root and builds them all with one go build. It returns
// the build's output, with root's path cut off, and whether it succeeded.
func buildSnippets(t *testing.T, root string, snips []snippet) (string, bool) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err, "the snippet check runs the go command")

	mod := snippetModule(t, root, "snippets")

	var fragments, signatures []string
	for i, s := range snips {
		lineDirective := fmt.Sprintf("//line %s:%d\n", filepath.Join(root, s.file), s.line)
		switch kind, decls := classify(s.src); kind {
		case kindFile:
			pkg := fmt.Sprintf("file%03d", i)
			writeSnippetPackage(t, mod, pkg, lineDirective+renamePackage(t, s.src, pkg))
		case kindDecls:
			src := "package snippet\n\n" + lineDirective + s.src
			writeSnippetPackage(t, mod, fmt.Sprintf("decls%03d", i), withImports(t, src))
		case kindSignatures:
			for _, fd := range decls {
				signatures = append(signatures, signatureCheck(s, fd, root))
			}
		case kindStatements:
			fragments = append(fragments, fragmentFunc(t, i, s, lineDirective))
		}
	}
	if len(fragments) > 0 {
		src := "package fragments\n\nimport (\n\t\"context\"\n\n\tarthur \"github.com/arthur-sdk/arthur-go\"\n)\n\n" +
			"var _ context.Context\nvar _ arthur.Secret\n\n" + strings.Join(fragments, "\n")
		writeSnippetPackage(t, mod, "fragments", withImports(t, src))
	}
	if len(signatures) > 0 {
		src := "package signatures\n\nimport . \"github.com/arthur-sdk/arthur-go\"\n\nvar _ *APIClient\n\n" +
			strings.Join(signatures, "\n")
		writeSnippetPackage(t, mod, "signatures", withImports(t, src))
	}

	cmd := exec.Command(goBin, "build", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	return strings.ReplaceAll(string(out), root+string(filepath.Separator), ""), err == nil
}

// snippetModule makes a module named name in a temporary directory that
// requires the library at root, for the docs' code to build in.
func snippetModule(t *testing.T, root, name string) string {
	t.Helper()
	mod := t.TempDir()
	gomod := fmt.Sprintf("module %s\n\ngo 1.24\n\nrequire github.com/arthur-sdk/arthur-go v0.0.0\n\n"+
		"replace github.com/arthur-sdk/arthur-go => %s\n", name, root)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o600))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o600))
	return mod
}

type snippetKind int

const (
	kindFile snippetKind = iota
	kindSignatures
	kindDecls
	kindStatements
)

// classify tells what kind of block src is; for signatures it returns them.
func classify(src string) (snippetKind, []*ast.FuncDecl) {
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, "", src, parser.PackageClauseOnly); err == nil {
		return kindFile, nil
	}
	// A fresh FileSet: signatureCheck reads offsets from positions.
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return kindStatements, nil
	}
	var sigs []*ast.FuncDecl
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body != nil {
			return kindDecls, nil
		}
		sigs = append(sigs, fd)
	}
	return kindSignatures, sigs
}

// renamePackage gives the file src the package name name: a package main
// would be linked too, and linking forty programs takes longer than
// compiling them.
func renamePackage(t *testing.T, src, name string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	require.NoError(t, err)
	start, end := int(f.Name.Pos())-1, int(f.Name.End())-1
	return src[:start] + name + src[end:]
}

// signatureCheck is a declaration that compiles only if fd, a signature
// parsed from s.src after a one-line package clause, is the type of the
// function or method it names.
func signatureCheck(s snippet, fd *ast.FuncDecl, root string) string {
	src := "package p\n" + s.src
	text := func(n ast.Node) string { return src[n.Pos()-1 : n.End()-1] }
	// The offsets count from the package clause; line 1 of s.src is line 2.
	line := s.line + strings.Count(src[:fd.Pos()-1], "\n") - 1
	funcType := "func" + src[fd.Type.Params.Pos()-1:fd.Type.End()-1]
	target := fd.Name.Name
	if fd.Recv != nil && len(fd.Recv.List) == 1 {
		target = "(" + text(fd.Recv.List[0].Type) + ")(nil)." + fd.Name.Name
	}
	return fmt.Sprintf("//line %s:%d\nvar _ %s = %s\n", filepath.Join(root, s.file), line, funcType, target)
}

// fragmentFunc wraps a block of statements in a function; the block sits
// in a scope of its own, so it may declare again the parameters' names.
func fragmentFunc(t *testing.T, i int, s snippet, lineDirective string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+s.src+"\n}\n", parser.SkipObjectResolution)
	if err != nil {
		// Left for the build to report, at the block's own lines.
		return fmt.Sprintf("func snippet%03d() {\n%s%s}\n", i, lineDirective, s.src)
	}
	var declared []string
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, e := range st.Lhs {
					declared = append(declared, e.(*ast.Ident).Name)
				}
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, spec := range gd.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						declared = append(declared, n.Name)
					}
				}
			}
		}
	}
	declared = slices.DeleteFunc(declared, func(n string) bool { return n == "_" })
	use := ""
	if len(declared) > 0 {
		use = strings.Repeat("_, ", len(declared)-1) + "_ = " + strings.Join(declared, ", ") + "\n"
	}
	return fmt.Sprintf("func snippet%03d(\n\t%s) error {\n\t_, _, _, _, _ = ctx, client, cfg, id, body\n\t{\n%s%s%s\t}\n\treturn nil\n}\n",
		i, fragmentParams, lineDirective, s.src, use)
}

// withImports adds to src the imports of the package names it uses and
// does not declare.
func withImports(t *testing.T, src string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments)
	if err != nil {
		return src // the build reports it
	}
	have := map[string]bool{}
	for _, imp := range f.Imports {
		have[strings.Trim(imp.Path.Value, `"`)] = true
	}
	var paths []string
	for _, id := range f.Unresolved {
		if p, ok := snippetImports[id.Name]; ok && !have[p] {
			have[p] = true
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return src
	}
	slices.Sort(paths)
	var decl strings.Builder
	decl.WriteString("\nimport (\n")
	for _, p := range paths {
		name := ""
		if p == snippetImports["arthur"] {
			name = "arthur "
		}
		fmt.Fprintf(&decl, "\t%s%q\n", name, p)
	}
	decl.WriteString(")\n")
	end := strings.Index(src, "\n") // after the package clause
	return src[:end+1] + decl.String() + src[end+1:]
}

func writeSnippetPackage(t *testing.T, mod, dir, src string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(mod, dir), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(mod, dir, "snippet.go"), []byte(src), 0o600))
}
