package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// pageFault stands between the CLI and the server: the request for one
// page of the users list gets a 404 (the organization gone midway), or,
// with hang, no answer until the request is cancelled. Every other request
// goes on to the server.
type pageFault struct {
	page string
	hang bool
	next http.RoundTripper
}

func (f pageFault) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path != "/api/v1/organization/users" || req.URL.Query().Get("page") != f.page {
		return f.next.RoundTrip(req)
	}
	if f.hang {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	return &http.Response{
		StatusCode: http.StatusNotFound,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"detail":"Organization not found"}`)),
		Request:    req,
	}, nil
}

// runWithFault runs the CLI against srv through f; the contract validator
// sees f's answers as the server's.
func runWithFault(t *testing.T, srv *arthurtest.Server, f pageFault, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := invocation{srv: srv}.cliEnv(t, &stdout, &stderr)
	f.next = http.DefaultTransport
	env.HTTPClient = &http.Client{Transport: oas.NewTransport(t, f)}
	code := arthurcli.Main(context.Background(), args, env)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// TestListAllFailingMidway: when a page fails, the JSON written so far is
// still one valid array, the exit code is 1, and stderr says how many
// users were written.
func TestListAllFailingMidway(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var all []arthur.User
	require.NoError(t, json.Unmarshal([]byte(ok(t, run(t, srv, "users", "list", "--all", "--page-size", "2", "-o", "json"))), &all))
	require.Len(t, all, 6, "three pages of two")

	for _, tc := range []struct {
		name      string
		page      string
		want      []arthur.User
		wantCount string
	}{
		{"third page of three", "3", all[:4], "4 users written before the failure"},
		{"first page", "1", []arthur.User{}, "0 users written before the failure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWithFault(t, srv, pageFault{page: tc.page}, "users", "list", "--all", "--page-size", "2", "-o", "json")
			assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
			var got []arthur.User
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), "stdout is not one JSON document:\n%s", r.stdout)
			assert.Equal(t, tc.want, got)
			assert.Contains(t, r.stderr, "arthur-users users list: GetOrganizationUsers failed: 404 Not Found: Organization not found")
			assert.Contains(t, r.stderr, tc.wantCount)
		})
	}

	r := runWithFault(t, srv, pageFault{page: "3"}, "users", "list", "--all", "--page-size", "2")
	assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
	assert.Equal(t, 1+4, strings.Count(r.stdout, "\n"), "the header and the four users of the two pages:\n%s", r.stdout)
	assert.Contains(t, r.stderr, "4 users written before the failure")
}

// TestTimeout: --timeout bounds the whole command, however long the server
// takes, and says that it stopped it.
func TestTimeout(t *testing.T) {
	t.Parallel()
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // answers nothing until the client gives up
	}))
	t.Cleanup(hung.Close)

	env := map[string]string{arthur.EnvHost: hung.URL, arthur.EnvAccessToken: "tok_3f9a"}
	start := time.Now()
	// The requests are validated; no answer comes to validate.
	r := invocation{env: env}.run(t, "me", "--timeout", "300ms")
	elapsed := time.Since(start)
	assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "arthur-users me: timed out after 300ms (--timeout)\n", r.stderr)
	// Without --timeout the SDK waits 60 s for the answer.
	assert.Less(t, elapsed, 5*time.Second)

	// A global flag: before the command too.
	r = invocation{env: env}.run(t, "--timeout=200ms", "users", "list")
	assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
	assert.Contains(t, r.stderr, "timed out after 200ms (--timeout)")
}

// TestTimeoutMidwayClosesTheJSON: a --timeout that stops users list --all
// leaves the JSON whole, like any other failure.
func TestTimeoutMidwayClosesTheJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := runWithFault(t, srv, pageFault{page: "3", hang: true}, "users", "list", "--all", "--page-size", "2", "-o", "json", "--timeout", "1s")
	assert.Equal(t, arthurcli.ExitError, r.code, r.stderr)
	var got []arthur.User
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), "stdout is not one JSON document:\n%s", r.stdout)
	assert.Len(t, got, 4)
	assert.Equal(t, "arthur-users users list: timed out after 1s (--timeout)\n  4 users written before the failure\n", r.stderr)
}

// TestHelpListsTheEnvironment: the help of every command that calls the
// API names every variable the tool reads, and --timeout.
func TestHelpListsTheEnvironment(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", "me", "users list", "users create", "service-accounts create", "login", "logout"} {
		r := invocation{}.run(t, append(strings.Fields(path), "--help")...)
		require.Equal(t, arthurcli.ExitOK, r.code, r.stderr)
		for _, v := range []string{arthur.EnvHost, arthur.EnvAccessToken, arthur.EnvClientID, arthur.EnvClientSecret,
			arthur.EnvAllowInsecureHTTP, "ARTHUR_CONFIG_DIR", "--timeout DURATION"} {
			assert.Contains(t, r.stdout, v, "help of %q", path)
		}
	}
}
