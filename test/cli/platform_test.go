package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
	"github.com/arthur-sdk/arthur-go/internal/optable"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
	"github.com/arthur-sdk/arthur-go/test/internal/synth"
)

// runArthur runs the arthur command line args with inv's environment.
func (inv invocation) runArthur(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := arthurcli.MainPlatform(context.Background(), args, inv.cliEnv(t, &stdout, &stderr))
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if inv.srv != nil {
		assert.NotContains(t, r.stdout+r.stderr, inv.srv.Token, "the token is never printed")
	}
	return r
}

// cannedServer answers every operation of the contract with its first
// success status and a value of its schema that synth makes (variant 0),
// and counts the requests.
type cannedServer struct {
	*httptest.Server
	requests atomic.Int64
	last     atomic.Value // the last request's "METHOD path?query"
}

func newCannedServer(t *testing.T) *cannedServer {
	t.Helper()
	contract := oas.MustLoad(t)
	siblings := siblingsOf(t, contract.Doc)
	cs := &cannedServer{}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		cs.last.Store(r.Method + " " + r.URL.RequestURI())
		body, _ := io.ReadAll(r.Body)
		if len(body) == 0 {
			body = nil
		}
		in, err := contract.ValidateRequest(r, body)
		if in == nil || in.Route == nil {
			http.Error(w, fmt.Sprint(err), http.StatusNotFound)
			return
		}
		status, resp := successOf(in.Route.Operation)
		mt := resp.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			w.WriteHeader(status)
			return
		}
		data, err := json.Marshal(synth.Value(mt.Schema, 0, synth.WithSiblings(siblings)))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(data)
	}))
	t.Cleanup(cs.Close)
	return cs
}

// successOf is the first success status of o and its response.
func successOf(o *openapi3.Operation) (int, *openapi3.Response) {
	var codes []int
	for c := range o.Responses.Map() {
		if n, err := strconv.Atoi(c); err == nil && n >= 200 && n < 300 {
			codes = append(codes, n)
		}
	}
	sort.Ints(codes)
	return codes[0], o.Responses.Status(codes[0]).Value
}

// siblingsOf reads the unions that a sibling property tells apart from
// api/overrides.json, so that synth names the branch it makes.
func siblingsOf(t *testing.T, doc *openapi3.T) map[*openapi3.Schema][]synth.Sibling {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "api", "overrides.json"))
	require.NoError(t, err)
	siblings, err := synth.SiblingsOf(doc, data)
	require.NoError(t, err)
	return siblings
}

// commandLine is the arthur command line that calls op with a value of
// each path parameter (in path order; a string one is a UUID of its own),
// the values synth makes for its required query parameters and its body,
// and the path the request must go to.
func commandLine(t *testing.T, op optable.Operation, words []string) ([]string, string) {
	t.Helper()
	o := oas.MustLoad(t).Doc.Paths.Find(op.Path).GetOperation(op.HTTP)
	require.NotNil(t, o, op.ID)
	args := append([]string{}, words...)
	var path []*openapi3.Parameter
	for _, p := range o.Parameters {
		if p.Value.In == "path" {
			path = append(path, p.Value)
		}
	}
	sort.SliceStable(path, func(i, j int) bool {
		return strings.Index(op.Path, "{"+path[i].Name+"}") < strings.Index(op.Path, "{"+path[j].Name+"}")
	})
	want := op.Path
	for i, p := range path {
		v := fmt.Sprint(synth.Value(p.Schema, 0, synth.ForRequest()))
		if p.Schema.Value.Type.Is("string") && p.Schema.Value.Enum == nil {
			v = fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
		}
		args = append(args, v)
		want = strings.Replace(want, "{"+p.Name+"}", v, 1)
	}
	for _, p := range o.Parameters {
		q := p.Value
		if q.In != "query" || !q.Required {
			continue
		}
		flag := "--" + strings.ReplaceAll(q.Name, "_", "-")
		switch v := synth.Value(q.Schema, 0, synth.ForRequest()).(type) {
		case []any:
			for _, e := range v {
				args = append(args, flag, fmt.Sprint(e))
			}
		case bool:
			args = append(args, flag+"="+strconv.FormatBool(v))
		case float64:
			args = append(args, flag, strconv.FormatFloat(v, 'f', -1, 64))
		default:
			args = append(args, flag, fmt.Sprint(v))
		}
	}
	if o.RequestBody != nil {
		s := o.RequestBody.Value.Content.Get("application/json").Schema
		body, err := json.Marshal(synth.Value(s, 0, synth.ForRequest(), synth.WithSiblings(siblingsOf(t, oas.MustLoad(t).Doc))))
		require.NoError(t, err)
		args = append(args, "--body", string(body))
	}
	return args, want
}

// TestArthurEveryOperation runs the command of every operation against a
// server with canned answers: each request reaches its operation, within
// the contract, and each answer prints as JSON. The shortest answer of
// each group is a golden file.
func TestArthurEveryOperation(t *testing.T) {
	cs := newCannedServer(t)
	inv := invocation{env: map[string]string{arthur.EnvHost: cs.URL, arthur.EnvAccessToken: "canned-token"}}
	commands := arthurcli.PlatformCommands()
	require.Len(t, commands, len(optable.Operations), "a command per operation")
	shortest := map[string]string{} // by group: a golden file's content
	for _, op := range optable.Operations {
		words := commands[op.ID]
		require.NotEmpty(t, words, "no command for %s", op.ID)
		args, path := commandLine(t, op, words)
		before := cs.requests.Load()
		r := inv.runArthur(t, args...)
		if !assert.Equal(t, arthurcli.ExitOK, r.code, "%s: arthur %s\nstderr: %s", op.ID, strings.Join(args, " "), r.stderr) {
			continue
		}
		assert.Equal(t, before+1, cs.requests.Load(), "%s: one request", op.ID)
		last, _ := cs.last.Load().(string)
		got, _, _ := strings.Cut(last, "?")
		assert.Equal(t, op.HTTP+" "+path, got, "%s: the method, and the arguments in path order", op.ID)
		assert.Empty(t, r.stderr, op.ID)
		if op.Result == "" {
			assert.Empty(t, r.stdout, "%s answers nothing", op.ID)
			continue
		}
		assert.True(t, json.Valid([]byte(r.stdout)), "%s: not JSON: %s", op.ID, r.stdout)
		g := "$ arthur " + strings.Join(args, " ") + "\n" + r.stdout
		if old, ok := shortest[words[0]]; !ok || len(g) < len(old) {
			shortest[words[0]] = g
		}
	}
	groups := map[string]bool{}
	for _, words := range commands {
		groups[words[0]] = true
	}
	assert.Len(t, shortest, len(groups), "a golden file per group")
	for group, g := range shortest {
		golden(t, "arthur_"+group, g)
	}
}

// TestArthurSecrets prints the credentials of an answer as [REDACTED],
// unless --reveal is given.
func TestArthurSecrets(t *testing.T) {
	cs := newCannedServer(t)
	inv := invocation{env: map[string]string{arthur.EnvHost: cs.URL, arthur.EnvAccessToken: "canned-token"}}
	id := "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d"
	redacted := ok(t, inv.runArthur(t, "users", "post-creds", id, "-o", "raw"))
	assert.Contains(t, redacted, `"[REDACTED]"`)
	revealed := ok(t, inv.runArthur(t, "users", "post-creds", id, "-o", "raw", "--reveal"))
	assert.NotContains(t, revealed, "[REDACTED]")
	var a, b any
	require.NoError(t, json.Unmarshal([]byte(redacted), &a))
	require.NoError(t, json.Unmarshal([]byte(revealed), &b))
	assert.NotEqual(t, a, b)
	assert.Equal(t, strings.Count(redacted, `"[REDACTED]"`), strings.Count(redacted, `":"[REDACTED]"`),
		"only values are redacted, never keys")

	conn := ok(t, inv.runArthur(t, "connectors", "get-sensitive", id, "-o", "raw"))
	assert.Contains(t, conn, `"value":"[REDACTED]"`)
	assert.NotContains(t, conn, `"key":"[REDACTED]"`, "a connector field's key is no credential")
	assert.NotContains(t, ok(t, inv.runArthur(t, "users", "get-me")), "[REDACTED]", "an answer without credentials")
}

// TestArthurUsers calls Users V1 on arthurtest: the calling user, and
// every page of the organization's users with --all.
func TestArthurUsers(t *testing.T) {
	srv := newServer(t)
	inv := invocation{srv: srv}
	golden(t, "arthur_users_get_me", normalize(ok(t, inv.runArthur(t, "users", "get-me"))))

	all := ok(t, inv.runArthur(t, "users", "list-organization", "--all", "--page-size", "2", "--sort", "email"))
	var users []arthur.User
	require.NoError(t, json.Unmarshal([]byte(all), &users))
	assert.Len(t, users, 6, "the admin, the people and the service account: the server's default types")
	golden(t, "arthur_users_list_organization_all", normalize(all))

	raw := ok(t, inv.runArthur(t, "users", "list-organization", "--all", "--page-size", "2", "-o", "raw"))
	assert.Len(t, strings.Split(strings.TrimSpace(raw), "\n"), 6, "one user a line")

	golden(t, "arthur_users_get_me_table", normalize(ok(t, inv.runArthur(t, "users", "get-me", "-o", "table"))))
	golden(t, "arthur_users_list_organization_table",
		normalize(ok(t, inv.runArthur(t, "users", "list-organization", "--page-size", "3", "--sort", "email", "-o", "table"))))
	golden(t, "arthur_users_list_organization_all_table",
		normalize(ok(t, inv.runArthur(t, "users", "list-organization", "--all", "--page-size", "2", "--sort", "email", "-o", "table"))))

	r := inv.runArthur(t, "users", "delete", unknownID)
	apiError(t, r, "404 Not Found")
}

// pagedJobs answers get_jobs, an infinite list (the client reads pages
// until a short one), with total records in pages of the size asked, and
// fails page fail (0 for none) with a 500.
func pagedJobs(t *testing.T, total, fail int) *httptest.Server {
	t.Helper()
	contract := oas.MustLoad(t)
	job := synth.Value(contract.Doc.Components.Schemas["Job"], 0, synth.WithSiblings(siblingsOf(t, contract.Doc)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		if page == 0 {
			page = 1
		}
		if size == 0 {
			size = 20
		}
		if page == fail {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"detail":"the jobs are out to lunch"}`)
			return
		}
		var records []any
		for i := (page - 1) * size; i < page*size && i < total; i++ {
			var j map[string]any
			data, _ := json.Marshal(job)
			_ = json.Unmarshal(data, &j)
			j["id"] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
			records = append(records, j)
		}
		if records == nil {
			records = []any{}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"records": records,
			"pagination": map[string]any{"page": page, "page_size": size}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestArthurAllPages(t *testing.T) {
	const project = "3c9d5e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f"
	srv := pagedJobs(t, 5, 0)
	inv := invocation{env: map[string]string{arthur.EnvHost: srv.URL, arthur.EnvAccessToken: "canned-token"}}

	var jobs []arthur.Job
	require.NoError(t, json.Unmarshal([]byte(ok(t, inv.runArthur(t, "jobs", "list", project, "--all", "--page-size", "2"))), &jobs))
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	assert.Equal(t, []string{
		"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002",
		"00000000-0000-4000-8000-000000000003", "00000000-0000-4000-8000-000000000004",
		"00000000-0000-4000-8000-000000000005",
	}, ids, "every page, in order")

	var page arthur.InfiniteResourceListJob
	require.NoError(t, json.Unmarshal([]byte(ok(t, inv.runArthur(t, "jobs", "list", project, "--page-size", "2", "--page", "3"))), &page))
	assert.Len(t, page.Records, 1, "without --all, the page asked for")
	assert.Equal(t, 3, page.Pagination.Page)

	empty := pagedJobs(t, 0, 0)
	r := invocation{env: map[string]string{arthur.EnvHost: empty.URL, arthur.EnvAccessToken: "canned-token"}}.
		runArthur(t, "jobs", "list", project, "--all")
	assert.Equal(t, "[]\n", ok(t, r))

	failing := pagedJobs(t, 5, 2)
	r = invocation{env: map[string]string{arthur.EnvHost: failing.URL, arthur.EnvAccessToken: "canned-token"}}.
		runArthur(t, "jobs", "list", project, "--all", "--page-size", "2")
	assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
	var written []arthur.Job
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &written), "the array is closed: %s", r.stdout)
	assert.Len(t, written, 2)
	assert.Contains(t, r.stderr, "500 Internal Server Error: the jobs are out to lunch")
	assert.Contains(t, r.stderr, "2 records written before the failure")

	r = invocation{env: map[string]string{arthur.EnvHost: failing.URL, arthur.EnvAccessToken: "canned-token"}}.
		runArthur(t, "jobs", "list", project, "--all", "--page-size", "2", "-o", "table")
	assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3, "the header and the rows of the first page: %s", r.stdout)
	assert.True(t, strings.HasPrefix(lines[0], "ID "), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "00000000-0000-4000-8000-000000000001 "), lines[1])
	assert.Contains(t, r.stderr, "2 records written before the failure")
}

// TestArthurUsageErrors are mistakes on the command line: exit code 2,
// the command's usage on stderr, and no request.
func TestArthurUsageErrors(t *testing.T) {
	cs := newCannedServer(t)
	inv := invocation{env: map[string]string{arthur.EnvHost: cs.URL, arthur.EnvAccessToken: "canned-token"}}
	const id = "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d"
	bodyFile := filepath.Join(t.TempDir(), "job.json")
	require.NoError(t, os.WriteFile(bodyFile, []byte(`{"job_state": "shiny"}`), 0o600))
	for _, c := range []struct {
		name    string
		args    []string
		command string
		msg     string
	}{
		{"unknown group", []string{"nothing", "get"}, "", `unknown command "nothing"`},
		{"unknown command", []string{"datasets", "fly"}, "datasets", `unknown command "fly"`},
		{"missing argument", []string{"datasets", "get"}, "datasets get", "missing argument DATASET_ID"},
		{"extra argument", []string{"datasets", "get", id, id}, "datasets get", "unexpected argument"},
		{"bad enum", []string{"jobs", "list", id, "--order", "sideways"}, "jobs list", `invalid value "sideways" for flag --order: must be one of asc or desc`},
		{"bad number", []string{"jobs", "list", id, "--page-size", "many"}, "jobs list", `invalid value "many" for flag --page-size: must be a whole number`},
		{"bad time", []string{"jobs", "list", id, "--queued-after", "yesterday"}, "jobs list", "must be an RFC 3339 time"},
		{"missing required flag", []string{"jobs", "put-state", id, "--body", `{"job_state":"completed"}`}, "jobs put-state", "missing required flag --job-run-id"},
		{"missing body", []string{"jobs", "update", id}, "jobs update", "missing request body"},
		{"bad JSON body", []string{"jobs", "update", id, "--body", `{"job_state":`}, "jobs update", "the request body:"},
		{"body of the wrong type", []string{"jobs", "update", id, "--body", `[1, 2]`}, "jobs update", "the request body:"},
		{"body and body file", []string{"jobs", "update", id, "--body", "{}", "--body-file", bodyFile}, "jobs update", "cannot be used together"},
		{"missing body file", []string{"jobs", "update", id, "--body-file", filepath.Join(t.TempDir(), "none.json")}, "jobs update", "--body-file:"},
		{"bad output", []string{"datasets", "get", id, "-o", "yaml"}, "datasets get", `invalid value "yaml" for flag -o: must be json, raw or table`},
		{"no host", nil, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.args == nil {
				r := invocation{env: map[string]string{}}.runArthur(t, "datasets", "get", id)
				assert.Equal(t, arthurcli.ExitUsage, r.code)
				assert.Contains(t, r.stderr, "no API host")
				return
			}
			before := cs.requests.Load()
			r := inv.runArthur(t, c.args...)
			assert.Equal(t, arthurcli.ExitUsage, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, c.msg)
			assert.Contains(t, r.stderr, "Usage: "+strings.TrimSpace("arthur "+c.command)+" ")
			assert.Equal(t, before, cs.requests.Load(), "no request")
		})
	}
}

// TestArthurBodyFromStdin reads the body from stdin with --body-file -.
func TestArthurBodyFromStdin(t *testing.T) {
	cs := newCannedServer(t)
	inv := invocation{env: map[string]string{arthur.EnvHost: cs.URL, arthur.EnvAccessToken: "canned-token"},
		stdin: `{"max_attempts": 3}`}
	out := ok(t, inv.runArthur(t, "jobs", "update", "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", "--body-file", "-"))
	assert.True(t, json.Valid([]byte(out)))
	last, _ := cs.last.Load().(string)
	assert.Equal(t, "PATCH /api/v1/jobs/0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", last)
}

// TestArthurDemo runs against the embedded fake: the Users operations
// answer, the others fail as an API error.
func TestArthurDemo(t *testing.T) {
	inv := invocation{env: map[string]string{}}
	var me arthur.User
	require.NoError(t, json.Unmarshal([]byte(ok(t, inv.runArthur(t, "--demo", "users", "get-me"))), &me))
	assert.NotEmpty(t, me.ID)

	// The fake answers the platform's other operations too, from the spec.
	var ds arthur.Dataset
	require.NoError(t, json.Unmarshal([]byte(ok(t, inv.runArthur(t, "--demo", "datasets", "get",
		"0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d"))), &ds))
	assert.NotEmpty(t, ds.ID)
	assert.NotEmpty(t, ds.DatasetSchema.Columns)
}

func TestArthurHelp(t *testing.T) {
	inv := invocation{env: map[string]string{}}
	golden(t, "arthur_help_root", ok(t, inv.runArthur(t, "--help")))
	golden(t, "arthur_help_datasets", ok(t, inv.runArthur(t, "datasets", "--help")))
	golden(t, "arthur_help_jobs_list", ok(t, inv.runArthur(t, "help", "jobs", "list")))
	golden(t, "arthur_help_jobs_update", ok(t, inv.runArthur(t, "jobs", "update", "-h")))
}
