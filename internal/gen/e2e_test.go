package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests build what the generator writes with the Go
// toolchain, in a copy of the library: they take seconds, and -short skips
// them.

// repoRoot is the repository, two levels up from internal/gen.
const repoRoot = "../.."

// TestEndToEnd changes the spec as the API would (a new field, a new enum
// value, a new operation), regenerates a copy of the library from it, and
// runs a program's tests against the result: no Go file is edited by hand.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a copy of the library; skipped with -short")
	}
	tmp := t.TempDir()
	copyLibrary(t, tmp)

	specPath := filepath.Join(tmp, "api", "openapi.json")
	spec := readFile(t, specPath)
	// The new field is on User and, as FastAPI writes subclasses, on the
	// schemas that extend it: those the overrides give User as a base.
	withField := []string{"User"}
	var ov overrides
	if err := json.Unmarshal(readFile(t, filepath.Join(tmp, "api", "overrides.json")), &ov); err != nil {
		t.Fatal(err)
	}
	for name, m := range ov.Models {
		if m.Base == "User" {
			withField = append(withField, name)
		}
	}
	for _, name := range withField {
		spec = editJSON(t, spec, []string{"components", "schemas", name, "properties"}, func(props []byte) []byte {
			return setKey(t, props, "last_login_at", `{
				"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
				"title": "Last Login At",
				"description": "When the user last signed in, if ever."
			}`)
		})
	}
	spec = editJSON(t, spec, []string{"components", "schemas", "UserType"}, func(ut []byte) []byte {
		var enum []string
		if err := json.Unmarshal(getKey(t, ut, "enum"), &enum); err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(append(enum, "agent"))
		return setKey(t, ut, "enum", string(data))
	})
	spec = editJSON(t, spec, []string{"paths", "/api/v1/users/{user_id}"}, func(item []byte) []byte {
		return setKey(t, item, "get", `{
			"tags": ["Users V1"],
			"summary": "Get User",
			"description": "Returns one user of the organization.",
			"operationId": "get_user",
			"parameters": [{"name": "user_id", "in": "path", "required": true,
				"schema": {"type": "string", "format": "uuid4", "title": "User Id"}}],
			"responses": {
				"200": {"description": "Successful Response",
					"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
				"404": {"description": "Not Found",
					"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotFoundError"}}}}
			},
			"security": [{"OAuth2AuthorizationCode": []}]
		}`)
	})
	if err := os.WriteFile(specPath, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	// A file the generator wrote once, for a schema the spec has dropped.
	stale := filepath.Join(tmp, "model_dropped.go")
	if err := os.WriteFile(stale, []byte(header+"package arthur\n\ntype Dropped struct{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	if err := run(tmp, false); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("generated in %v", time.Since(start).Round(time.Millisecond))
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("model_dropped.go: still there after run (%v); the generator removes the files it no longer writes", err)
	}
	if err := run(tmp, true); err != nil {
		t.Errorf("run -check right after run: %v", err)
	}

	const program = `package arthur_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

const userJSON = ` + "`" + `{"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
	"organization_id": "9f2c1b1e-7a7e-4e0a-9d8f-1c2b3a4d5e6f", "id": "5b6c7d8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
	"first_name": "Ada", "last_name": null, "user_type": "agent", "organization_name": "Analytical Engines",
	"last_login_at": "2026-11-30T08:00:00Z"}` + "`" + `

func TestRegenerated(t *testing.T) {
	var u arthur.User
	if err := json.Unmarshal([]byte(userJSON), &u); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	if u.LastLoginAt == nil || !u.LastLoginAt.Equal(want) {
		t.Fatalf("LastLoginAt = %v, want %v", u.LastLoginAt, want)
	}
	if u.UserType != arthur.UserTypeAgent || !arthur.UserTypeAgent.IsValid() {
		t.Fatalf("UserType = %q, valid %t", u.UserType, u.UserType.IsValid())
	}
	out, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), ` + "`" + `"last_login_at":"2026-11-30T08:00:00Z"` + "`" + `) {
		t.Fatalf("re-encoded without last_login_at: %s", out)
	}
	fmt.Printf("decoded: LastLoginAt=%s UserType=%s\n", u.LastLoginAt.Format(time.RFC3339), u.UserType)

	var getUser func(*arthur.UsersV1APIService, context.Context, string) (*arthur.User, error) = (*arthur.UsersV1APIService).GetUser
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/api/v1/users/5b6c7d8e-1a2b-4c3d-8e9f-0a1b2c3d4e5f" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(userJSON))
	}))
	defer srv.Close()
	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL
	cfg.AccessToken = "token"
	client := arthur.NewAPIClient(cfg)
	got, err := getUser(client.UsersV1API, context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("GetUser: %s %s\n", got.FirstName, got.UserType)
}
`
	if err := os.WriteFile(filepath.Join(tmp, "regenerated_test.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	out := goCmd(t, tmp, "test", "-count=1", "-v", "-run", "^TestRegenerated$", ".")
	for _, want := range []string{
		"decoded: LastLoginAt=2026-11-30T08:00:00Z UserType=agent",
		"GetUser: Ada agent",
		"--- PASS: TestRegenerated",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}
}

// TestFixturesBuild builds and vets each fixture's generated files, each
// in a copy of the library where they replace the files of the same name,
// so that what the golden files hold is Go that compiles against the
// runtime; and runs the tests a fixture has of its own, its *_test.go
// beside openapi.json, against them.
func TestFixturesBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a copy of the library per fixture; skipped with -short")
	}
	specs, err := filepath.Glob(filepath.Join("testdata", "*", "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		copyFile(t, filepath.Join(repoRoot, name), filepath.Join(tmp, name))
	}
	var tested []string
	for _, spec := range specs {
		feature := filepath.Base(filepath.Dir(spec))
		dir := filepath.Join(tmp, feature)
		copyRuntime(t, dir)
		tests, err := filepath.Glob(filepath.Join(filepath.Dir(spec), "*_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range tests {
			copyFile(t, src, filepath.Join(dir, filepath.Base(src)))
		}
		if len(tests) > 0 {
			tested = append(tested, "./"+feature)
		}
		for name, data := range generateFixture(t, filepath.Dir(spec)) {
			if name == "internal_cli_ops_gen.go" {
				// The command table builds on internal/cli and the whole SDK,
				// which a fixture's copy does not hold; the repository's own
				// table builds with them (go build ./..., test/cli).
				continue
			}
			path := filepath.Join(dir, name)
			switch name {
			case "internal_optable_optable.go":
				path = filepath.Join(dir, "optable", "optable.go")
			case "arthurtest_ops.go":
				path = filepath.Join(dir, "arthurtest", "ops.go")
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	goCmd(t, tmp, "vet", "./...")
	if len(tested) > 0 {
		goCmd(t, tmp, append([]string{"test"}, tested...)...)
	}
}

// copyLibrary copies what the library is made of into dir: the root
// package's sources without its tests, go.mod, go.sum and api/.
func copyLibrary(t *testing.T, dir string) {
	t.Helper()
	copyRootSources(t, dir)
	for _, name := range []string{"go.mod", "go.sum"} {
		copyFile(t, filepath.Join(repoRoot, name), filepath.Join(dir, name))
	}
	entries, err := os.ReadDir(filepath.Join(repoRoot, "api"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			copyFile(t, filepath.Join(repoRoot, "api", e.Name()), filepath.Join(dir, "api", e.Name()))
		}
	}
}

// runtimeModels are the generated files the hand-written runtime needs
// (errors.go gives the spec's error models their Error methods), which a
// fixture's output may not hold.
var runtimeModels = []string{
	"model_bad_request_error.go", "model_not_found_error.go", "model_conflict_error.go",
	"model_internal_server_error.go", "model_http_validation_error.go", "model_validation_error.go",
}

// copyRuntime copies the root package's hand-written sources and the
// runtimeModels into dir: the library a fixture's output builds on, with
// nothing generated from api/openapi.json that could clash with it.
func copyRuntime(t *testing.T, dir string) {
	t.Helper()
	copySources(t, dir, func(name string, data []byte) bool {
		return !bytes.HasPrefix(data, []byte("// Code generated ")) || slices.Contains(runtimeModels, name)
	})
}

// copyRootSources copies the root package's .go files, tests left out.
func copyRootSources(t *testing.T, dir string) {
	t.Helper()
	copySources(t, dir, func(string, []byte) bool { return true })
}

// copySources copies into dir the root package's .go files, tests left
// out, that keep takes.
func copySources(t *testing.T, dir string, keep func(name string, data []byte) bool) {
	t.Helper()
	sources, err := filepath.Glob(filepath.Join(repoRoot, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range sources {
		name := filepath.Base(src)
		if strings.HasSuffix(name, "_test.go") || !keep(name, readFile(t, src)) {
			continue
		}
		copyFile(t, src, filepath.Join(dir, name))
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data := readFile(t, src)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// goCmd runs the go command in dir, fails the test when it fails, and
// returns its output.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("go %s: %v", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// editJSON replaces the value at path in the JSON object doc by what edit
// makes of it, keeping the order of every object's keys.
func editJSON(t *testing.T, doc []byte, path []string, edit func([]byte) []byte) []byte {
	t.Helper()
	if len(path) == 0 {
		return edit(doc)
	}
	inner := getKey(t, doc, path[0])
	if inner == nil {
		t.Fatalf("editJSON: no key %q", path[0])
	}
	return setKey(t, doc, path[0], string(editJSON(t, inner, path[1:], edit)))
}

// getKey returns the value of key in the JSON object obj, nil for none.
func getKey(t *testing.T, obj []byte, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		t.Fatal(err)
	}
	return m[key]
}

// setKey sets key of the JSON object obj to the JSON value, in place when
// it is there and last when it is new.
func setKey(t *testing.T, obj []byte, key, value string) []byte {
	t.Helper()
	keys, err := objectKeys(obj)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m[key]; !ok {
		keys = append(keys, key)
	}
	m[key] = json.RawMessage(value)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kq, _ := json.Marshal(k)
		b.Write(kq)
		b.WriteByte(':')
		b.Write(m[k])
	}
	b.WriteByte('}')
	if !json.Valid(b.Bytes()) {
		t.Fatalf("setKey %q: the result is not JSON:\n%s", key, b.Bytes())
	}
	return b.Bytes()
}
