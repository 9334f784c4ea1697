// Package fake tests arthurtest, the fake Arthur server, from the outside:
// through the SDK, whose every request and response is checked against
// api/openapi.json, and through raw HTTP for what the SDK cannot send.
package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var (
	uuid4RE     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	timestampRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)
)

const unknownID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"

// clientOption changes the Configuration newClient builds.
type clientOption func(*arthur.Configuration)

// noRetry turns the SDK's retries off, so that one call is one request.
func noRetry(cfg *arthur.Configuration) { cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1} }

// fastRetry keeps retry tests fast.
func fastRetry(cfg *arthur.Configuration) {
	cfg.Retry = arthur.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
}

// newClient returns an SDK client for srv's admin whose every request and
// response is validated against the contract.
func newClient(t *testing.T, srv *arthurtest.Server, opts ...clientOption) *arthur.APIClient {
	t.Helper()
	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL
	cfg.AccessToken = srv.Token
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, nil), Timeout: 30 * time.Second}
	for _, o := range opts {
		o(cfg)
	}
	return arthur.NewAPIClient(cfg)
}

// response is a raw HTTP answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// send makes a raw request with net/http: for what the SDK refuses to
// send, or the contract forbids. token "" sends no Authorization header.
func send(t *testing.T, method, url, token, contentType, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// api sends a raw JSON request as the admin.
func api(t *testing.T, srv *arthurtest.Server, method, path, body string) response {
	t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	return send(t, method, srv.URL+path, srv.Token, ct, body)
}

// valErr is one item of a FastAPI 422 body.
type valErr struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx"`
}

// validationErrors checks that r is a FastAPI 422 and returns its errors.
func validationErrors(t *testing.T, r response) []valErr {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "body: %s", r.Body)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var body struct {
		Detail []valErr `json:"detail"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&body), "body: %s", r.Body)
	require.NotEmpty(t, body.Detail)
	for _, e := range body.Detail {
		require.NotEmpty(t, e.Type)
		require.NotNil(t, e.Loc)
		require.NotEmpty(t, e.Msg)
	}
	return body.Detail
}

// detail checks a FastAPI {"detail": "..."} answer and returns the detail.
func detail(t *testing.T, r response, status int) string {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var body struct {
		Detail string `json:"detail"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &body), "body: %s", r.Body)
	require.NotEmpty(t, body.Detail)
	return body.Detail
}

// loc builds an expected loc; ints become float64, as JSON decodes them.
func loc(items ...any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		if n, ok := it.(int); ok {
			out[i] = float64(n)
			continue
		}
		out[i] = it
	}
	return out
}

// state is what a bad request must leave unchanged.
type state struct {
	Users   []arthur.User
	Invites []arthurtest.Invite
}

func snapshot(srv *arthurtest.Server) state {
	return state{Users: srv.Users(), Invites: srv.Invites()}
}

// unchanged asserts that srv holds what it held at before.
func unchanged(t *testing.T, srv *arthurtest.Server, before state) {
	t.Helper()
	assert.Equal(t, before, snapshot(srv), "a refused request changed the server's state")
}

// recordingTB is a testing.TB that keeps what is reported through Errorf
// and Fatalf instead of failing the test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func (r *recordingTB) reported() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}
