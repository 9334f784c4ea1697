package test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// transient is a failure a GET may be retried after.
type transient struct {
	name      string
	responder httpmock.Responder
}

func transientFailures() []transient {
	return []transient{
		{"500", respond(500, `{"detail":"Internal server error"}`)},
		{"502 HTML", respond(502, badGatewayHTML, "Content-Type", "text/html")},
		{"503", respond(503, `{"detail":"Service unavailable"}`)},
		{"504 HTML", respond(504, "<html><body>Gateway Timeout</body></html>", "Content-Type", "text/html")},
		{"429", respond(429, `{"detail":"Too many requests"}`)},
		{"connection reset", fail(errors.New("read tcp 127.0.0.1:50000->127.0.0.1:443: read: connection reset by peer"))},
		{"unexpected EOF", fail(io.ErrUnexpectedEOF)},
	}
}

func reads() []operation {
	var out []operation
	for _, op := range operations() {
		if op.method == http.MethodGet {
			out = append(out, op)
		}
	}
	return out
}

func TestGETIsRetriedOnTransientFailures(t *testing.T) {
	for _, op := range reads() {
		for _, tf := range transientFailures() {
			t.Run(op.name+"/"+tf.name, func(t *testing.T) {
				m := newMockAPI(t)
				m.on(op.method, op.path, sequence(tf.responder, tf.responder, op.successResponder()))
				got, err := op.call(t.Context(), m.api)
				require.NoError(t, err)
				op.check(t, got)
				assert.Equal(t, 3, m.calls())
				for _, r := range m.rec.requests() {
					testQuery(t, r, op.query)
					testHeader(t, r, "Authorization", "Bearer "+testToken)
				}
			})
		}
	}
}

// A write that may have reached the server is never repeated: no user is
// created twice.
func TestWritesAreNotRetriedAfterAServerError(t *testing.T) {
	failures := []struct {
		status int
		body   string
		hdr    []string
	}{
		{500, `{"detail":"Internal server error"}`, nil},
		{502, badGatewayHTML, []string{"Content-Type", "text/html"}},
		{503, `{"detail":"Service unavailable"}`, nil},
		{504, "", nil},
		{429, `{"detail":"Too many requests"}`, nil},
		{503, `{"detail":"Service unavailable"}`, []string{"Retry-After", "soon"}}, // unparseable
	}
	for _, op := range writes() {
		for _, f := range failures {
			t.Run(fmt.Sprintf("%s/%d%v", op.name, f.status, f.hdr), func(t *testing.T) {
				m := newMockAPI(t)
				m.on(op.method, op.path, sequence(respond(f.status, f.body, f.hdr...), op.successResponder()))
				_, err := op.call(t.Context(), m.api)
				var apiErr *arthur.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, f.status, apiErr.StatusCode)
				assert.Equal(t, 1, m.calls(), "exactly one request")
			})
		}
	}
}

// A transport error that does not show the request was never written (a
// RoundTripper that reports nothing of its connections) may have reached
// the server: a write is not repeated after it.
func TestWritesAreNotRetriedAfterAnOpaqueTransportError(t *testing.T) {
	for _, op := range writes() {
		t.Run(op.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(op.method, op.path, sequence(fail(io.ErrUnexpectedEOF), op.successResponder()))
			_, err := op.call(t.Context(), m.api)
			require.Error(t, err)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.Equal(t, 1, m.calls(), "exactly one request")
			assertNoToken(t, err)
		})
	}
}

func TestAnyMethodIsRetriedOn429And503WithRetryAfter(t *testing.T) {
	pastDate := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	for _, op := range operations() {
		for _, status := range []int{429, 503} {
			for _, ra := range []string{"0", pastDate} {
				t.Run(fmt.Sprintf("%s/%d/Retry-After %s", op.name, status, ra), func(t *testing.T) {
					m := newMockAPI(t)
					m.on(op.method, op.path, sequence(
						respond(status, `{"detail":"slow down"}`, "Retry-After", ra), op.successResponder()))
					got, err := op.call(t.Context(), m.api)
					require.NoError(t, err)
					if op.check != nil {
						op.check(t, got)
					}
					assert.Equal(t, 2, m.calls())
				})
			}
		}
	}
}

func TestRetryAfterSecondsIsWaited(t *testing.T) {
	m := newMockAPI(t)
	m.on("POST", "/api/v1/organization/service_accounts", sequence(
		respond(429, `{"detail":"Too many requests"}`, "Retry-After", "1"),
		respond(200, saDoc().with("credentials", doc{"client_id": saClientID, "client_secret": saClientSecret}).json())))
	start := time.Now()
	_, err := m.api.PostOrganizationServiceAccount(t.Context(), arthur.PostServiceAccount{Name: "ci-bot"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 950*time.Millisecond)
	assert.Equal(t, 2, m.calls())
}

func TestRetryAfterHTTPDateIsWaited(t *testing.T) {
	m := newMockAPI(t)
	// HTTP dates have whole seconds: 2 s ahead is at least 1 s ahead.
	date := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
	m.on("DELETE", "/api/v1/users/"+adaID, sequence(
		respond(503, `{"detail":"maintenance"}`, "Retry-After", date), respond(204, "")))
	start := time.Now()
	require.NoError(t, m.api.DeleteUser(t.Context(), adaID))
	assert.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond)
	assert.Equal(t, 2, m.calls())
}

func TestRetryAfterBeyondMaxRetryAfterIsNotWaited(t *testing.T) {
	cases := []struct {
		name          string
		maxRetryAfter time.Duration
		retryAfter    string
	}{
		{"default limit", 0, "120"},
		{"custom limit, seconds", time.Second, "3"},
		{"custom limit, date", time.Second, time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)},
		{"too large for int64", 0, "99999999999999999999999"},
		{"too large for a Duration", 0, "9223372036854775807"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := fastRetry
			p.MaxRetryAfter = tc.maxRetryAfter
			m := newMockAPI(t, withRetry(p))
			m.on("GET", "/api/v1/users/me", respond(503, `{"detail":"maintenance"}`, "Retry-After", tc.retryAfter))
			start := time.Now()
			_, err := m.api.GetUsersMe(t.Context())
			assert.Less(t, time.Since(start), 2*time.Second, "not the wait the server asked for")
			var apiErr *arthur.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 503, apiErr.StatusCode)
			assert.Equal(t, tc.retryAfter, apiErr.Header.Get("Retry-After"))
			assert.Equal(t, 1, m.calls())
		})
	}
}

func TestMaxAttempts(t *testing.T) {
	cases := []struct {
		maxAttempts, want int
	}{
		{1, 1},
		{2, 2},
		{3, 3},
		{0, 4}, // the default
	}
	for _, tc := range cases {
		t.Run("MaxAttempts "+strconv.Itoa(tc.maxAttempts), func(t *testing.T) {
			p := fastRetry
			p.MaxAttempts = tc.maxAttempts
			m := newMockAPI(t, withRetry(p))
			var n int
			m.on("GET", "/api/v1/users/me", func(req *http.Request) (*http.Response, error) {
				n++
				return response(req, 500, `{"detail":"attempt `+strconv.Itoa(n)+`"}`), nil
			})
			_, err := m.api.GetUsersMe(t.Context())
			assert.Equal(t, tc.want, m.calls())
			var apiErr *arthur.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "attempt "+strconv.Itoa(tc.want), apiErr.Detail, "the last answer is returned")
			assert.ErrorIs(t, err, arthur.ErrServer)
		})
	}
	t.Run("MaxAttempts 1 turns off Retry-After retries too", func(t *testing.T) {
		m := newMockAPI(t, noRetry())
		m.on("POST", "/api/v1/users/me/accept-invite", respond(429, `{"detail":"x"}`, "Retry-After", "0"))
		require.ErrorIs(t, m.api.AcceptMyInvites(t.Context()), arthur.ErrRateLimited)
		assert.Equal(t, 1, m.calls())
	})
}

func TestBackoffIsWaited(t *testing.T) {
	m := newMockAPI(t, withRetry(arthur.RetryPolicy{MaxAttempts: 3, InitialBackoff: 40 * time.Millisecond,
		MaxBackoff: 40 * time.Millisecond}))
	m.on("GET", "/api/v1/users/me", respond(500, `{"detail":"boom"}`))
	start := time.Now()
	_, err := m.api.GetUsersMe(t.Context())
	require.ErrorIs(t, err, arthur.ErrServer)
	// Two waits, each at least half the step (equal jitter).
	assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond)
	assert.Equal(t, 3, m.calls())
}

func TestRetryReplaysTheIdenticalRequest(t *testing.T) {
	for _, op := range writes() {
		if op.body == "" {
			continue
		}
		t.Run(op.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(op.method, op.path, sequence(
				respond(503, `{"detail":"busy"}`, "Retry-After", "0"),
				respond(429, `{"detail":"busy"}`, "Retry-After", "0"),
				op.successResponder()))
			_, err := op.call(t.Context(), m.api)
			require.NoError(t, err)
			reqs := m.rec.requests()
			require.Len(t, reqs, 3)
			for _, r := range reqs {
				testMethod(t, r, op.method)
				testPath(t, r, op.path)
				testBody(t, r, op.body)
				testHeader(t, r, "Content-Type", "application/json")
				testHeader(t, r, "Authorization", "Bearer "+testToken)
			}
		})
	}
}

// A connection that is refused never carried the request, so even a POST
// is retried. The listener is closed before the call, so every attempt is
// refused.
func TestRefusedConnectionIsRetriedForAnyMethod(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	host := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			client, counter := loopbackClient(t, host, withRetry(arthur.RetryPolicy{MaxAttempts: 3,
				InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			_, err := op.call(t.Context(), client.UsersV1API)
			require.Error(t, err)
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.Equal(t, 3, counter.count(), "every attempt is made")
			assert.Contains(t, err.Error(), op.method+" "+op.path)
			assertNoToken(t, err)
		})
	}
}
