package test

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// flakyTransport answers some requests itself with 503 and Retry-After: 0,
// as an overloaded gateway in front of the API would, before they reach
// the server; the others go on to next. It sits under the contract
// validator, so every request is still validated (a 503 is a status the
// contract does not declare, so the answer is not).
type flakyTransport struct {
	next http.RoundTripper
	// fail reports whether the n-th request (from 1) gets the 503.
	fail     func(n int64, req *http.Request) bool
	n        atomic.Int64
	injected atomic.Int64
}

func (f *flakyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if f.fail(f.n.Add(1), req) {
		f.injected.Add(1)
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return response(req, http.StatusServiceUnavailable, `{"detail":"Service Unavailable"}`, "Retry-After", "0"), nil
	}
	return f.next.RoundTrip(req)
}

// everyNth fails requests n, 2n, 3n, ...
func everyNth(n int64) func(int64, *http.Request) bool {
	return func(i int64, _ *http.Request) bool { return i%n == 0 }
}

// firstOf fails the first request to each path in paths, once.
func firstOf(paths ...string) func(int64, *http.Request) bool {
	var mu sync.Mutex
	seen := make(map[string]bool)
	want := make(map[string]bool)
	for _, p := range paths {
		want[p] = true
	}
	return func(_ int64, req *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if !want[req.URL.Path] || seen[req.URL.Path] {
			return false
		}
		seen[req.URL.Path] = true
		return true
	}
}

func withLogger(l *slog.Logger) option {
	return func(c *arthur.Configuration) { c.Logger = l }
}

// allowedLogKeys are all the attributes the SDK logs: the call, the
// attempt and its outcome; nothing of headers, query strings or bodies.
var allowedLogKeys = map[string]bool{
	"operation": true, "method": true, "path": true, "attempt": true, "attempts": true, "status": true,
	"duration": true, "request_id": true, "wait": true, "retry_after": true, "error": true,
}

func assertOnlyAllowedKeys(t *testing.T, logs *logRecorder) {
	t.Helper()
	for _, rec := range logs.all() {
		for k := range rec.Attrs {
			assert.True(t, allowedLogKeys[k], "unexpected log attribute %q in %s", k, rec.Text)
		}
	}
}

func attrInt(t *testing.T, rec loggedRecord, key string) int64 {
	t.Helper()
	v, ok := rec.Attrs[key]
	require.True(t, ok, "no %s in %s", key, rec.Text)
	require.Equal(t, slog.KindInt64, v.Kind(), "%s in %s", key, rec.Text)
	return v.Int64()
}

func attrDuration(t *testing.T, rec loggedRecord, key string) time.Duration {
	t.Helper()
	v, ok := rec.Attrs[key]
	require.True(t, ok, "no %s in %s", key, rec.Text)
	require.Equal(t, slog.KindDuration, v.Kind(), "%s in %s", key, rec.Text)
	return v.Duration()
}

func attrString(t *testing.T, rec loggedRecord, key string) string {
	t.Helper()
	v, ok := rec.Attrs[key]
	require.True(t, ok, "no %s in %s", key, rec.Text)
	return v.String()
}

// Each attempt is a debug record with the operation, method, path, status,
// duration, attempt number and request ID; each retry a warn record.
func TestLogEachAttemptAtDebugAndRetriesAtWarn(t *testing.T) {
	srv := arthurtest.NewServer(t)
	logger, logs := newLogRecorder(t, srv.Token)
	client := arthurtestClient(t, srv, withLogger(logger))
	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 2, 500, 0))

	_, err := client.UsersV1API.GetUsersMe(guard(t))
	require.NoError(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	attempts := logs.withMessage("arthur: request")
	require.Len(t, attempts, 3)
	for i, rec := range attempts {
		assert.Equal(t, slog.LevelDebug, rec.Level)
		assert.Equal(t, "GetUsersMe", attrString(t, rec, "operation"))
		assert.Equal(t, "GET", attrString(t, rec, "method"))
		assert.Equal(t, "/api/v1/users/me", attrString(t, rec, "path"))
		assert.Equal(t, int64(i+1), attrInt(t, rec, "attempt"))
		assert.Equal(t, []int64{500, 500, 200}[i], attrInt(t, rec, "status"))
		assert.Positive(t, attrDuration(t, rec, "duration"))
		assert.NotEmpty(t, reqs[i].RequestID)
		assert.Equal(t, reqs[i].RequestID, attrString(t, rec, "request_id"))
	}
	retries := logs.withMessage("arthur: retrying")
	require.Len(t, retries, 2)
	for i, rec := range retries {
		assert.Equal(t, slog.LevelWarn, rec.Level)
		assert.Equal(t, "GetUsersMe", attrString(t, rec, "operation"))
		assert.Equal(t, int64(i+1), attrInt(t, rec, "attempt"))
		assert.GreaterOrEqual(t, attrDuration(t, rec, "wait"), time.Duration(0))
		assert.Contains(t, attrString(t, rec, "error"), "500")
	}
	assert.Empty(t, logs.withMessage("arthur: giving up"))
	assertOnlyAllowedKeys(t, logs)
}

// Giving up is a warn record with the number of attempts and the last error.
func TestLogGivingUpAtWarn(t *testing.T) {
	srv := arthurtest.NewServer(t)
	logger, logs := newLogRecorder(t, srv.Token)
	client := arthurtestClient(t, srv, withLogger(logger))
	require.NoError(t, srv.FailNext(arthurtest.OpGetOrganizationUsers, 4, 503, 0))

	_, err := client.UsersV1API.GetOrganizationUsers(guard(t), nil)
	require.ErrorIs(t, err, arthur.ErrServer)
	logs.checkErr(err)

	assert.Len(t, logs.withMessage("arthur: request"), 4)
	assert.Len(t, logs.withMessage("arthur: retrying"), 3)
	gaveUp := logs.withMessage("arthur: giving up")
	require.Len(t, gaveUp, 1)
	assert.Equal(t, slog.LevelWarn, gaveUp[0].Level)
	assert.Equal(t, int64(4), attrInt(t, gaveUp[0], "attempts"))
	assert.Contains(t, attrString(t, gaveUp[0], "error"), "503")
	assert.Equal(t, "GetOrganizationUsers", attrString(t, gaveUp[0], "operation"))

	// A Retry-After beyond MaxRetryAfter is not waited: a warn record says so.
	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 503, 2*time.Minute))
	_, err = client.UsersV1API.GetUsersMe(guard(t))
	require.ErrorIs(t, err, arthur.ErrServer)
	notWaited := logs.withMessage("arthur: not retrying: Retry-After exceeds RetryPolicy.MaxRetryAfter")
	require.Len(t, notWaited, 1)
	assert.Equal(t, slog.LevelWarn, notWaited[0].Level)
	assert.Equal(t, 2*time.Minute, attrDuration(t, notWaited[0], "retry_after"))
	assertOnlyAllowedKeys(t, logs)
}

// A logger at warn level gets the retries and nothing of a call that went
// well.
func TestLogLevels(t *testing.T) {
	srv := arthurtest.NewServer(t)
	var mu sync.Mutex
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	client := arthurtestClient(t, srv, withLogger(logger))

	_, err := client.UsersV1API.GetUsersMe(guard(t))
	require.NoError(t, err)
	mu.Lock()
	assert.Empty(t, buf.String(), "a call that went well logs nothing above debug")
	mu.Unlock()

	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 502, 0))
	_, err = client.UsersV1API.GetUsersMe(guard(t))
	require.NoError(t, err)
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.Equal(t, 1, strings.Count(out, "\n"), out)
	assert.Contains(t, out, "level=WARN")
	assert.Contains(t, out, "arthur: retrying")
	assert.NotContains(t, out, "level=DEBUG")
}

// Records hold no header, query string or body: not the token, not a
// DefaultHeader, not the User-Agent suffix, not the search, not a field of
// a request or response body, whatever happened to the call.
func TestLogsHoldNoHeadersQueriesOrBodies(t *testing.T) {
	const (
		headerNeedle = "hdr-needle-5d1c"
		uaNeedle     = "ua-needle-8e2f"
		queryNeedle  = "query-needle-7a3b"
		bodyNeedle   = "Body-Needle-4f9e"
		emailNeedle  = "email-needle-2c6d@example.com"
		password     = "pw-needle-9b8a"
		badToken     = "bad-token-needle-3e7f"
	)
	srv := arthurtest.NewServer(t)
	logger, logs := newLogRecorder(t, srv.Token, headerNeedle, uaNeedle, queryNeedle, bodyNeedle, emailNeedle,
		password, badToken)
	flaky := &flakyTransport{next: freshTransport(t), fail: firstOf("/api/v1/organization/users")}
	cfg := srv.Configuration()
	cfg.Retry = fastRetry
	cfg.Logger = logger
	cfg.UserAgent = uaNeedle
	cfg.DefaultHeader["X-Tenant"] = headerNeedle
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, flaky)}
	api := arthur.NewAPIClient(cfg).UsersV1API
	ctx := guard(t)

	// A write retried after a 503 with Retry-After: 0, whose request and
	// response bodies carry the needles.
	u, err := api.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: bodyNeedle, Email: emailNeedle, Password: password})
	require.NoError(t, err)
	assert.Equal(t, int64(1), flaky.injected.Load())

	// A read retried after a 503 and a 500, with the needle in its query.
	require.NoError(t, srv.FailNext(arthurtest.OpGetOrganizationUsers, 1, 500, 0))
	page, err := api.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Search: queryNeedle})
	require.NoError(t, err)
	assert.Empty(t, page.Records)

	// A 401.
	_, err = api.GetUsersMe(arthur.WithAccessToken(ctx, badToken))
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	logs.checkErr(err)

	// A 422 with FastAPI's body.
	require.NoError(t, srv.FailNext(arthurtest.OpPatchUser, 1, 422, 0))
	_, err = api.PatchUser(ctx, u.ID, arthur.PatchUser{LastName: arthur.Value(bodyNeedle)})
	var invalid *arthur.HTTPValidationError
	require.ErrorAs(t, err, &invalid)
	logs.checkErr(err)

	// A connection that fails, for a call with the needle in its query.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadHost := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	dead, _ := loopbackClient(t, deadHost, withLogger(logger), func(c *arthur.Configuration) {
		c.AccessToken = srv.Token
	})
	_, err = dead.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Search: queryNeedle})
	require.Error(t, err)
	logs.checkErr(err)

	out := logs.text()
	assert.Contains(t, out, "arthur: retrying")
	assert.Contains(t, out, "arthur: request failed")
	assert.Contains(t, out, "arthur: giving up")
	assert.Contains(t, out, "status=401")
	assert.Contains(t, out, "status=422")
	for _, never := range []string{"Authorization", "Bearer", "X-Tenant", "search=", "?"} {
		assert.NotContains(t, out, never)
	}
	assertOnlyAllowedKeys(t, logs)
}
