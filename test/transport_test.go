package test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// ---------------------------------------------------------------------------
// Contexts.

func TestAlreadyCancelledContext(t *testing.T) {
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(op.method, op.path, op.successResponder())
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			got, err := op.call(ctx, m.api)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, 0, m.calls(), "a dead context sends nothing")
			assertNoToken(t, err)
		})
	}
}

func TestAlreadyCancelledContextOnLoopback(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, adaDoc().json())
	}))
	t.Cleanup(srv.Close)
	client, _ := loopbackClient(t, srv.URL)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := client.UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int64(0), hits.Load())
}

// slowServer answers nothing until the client gives up (or 10 s pass).
func slowServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDeadlineExpiresWhileTheServerIsSlow(t *testing.T) {
	srv := slowServer(t)
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			client, counter := loopbackClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := op.call(ctx, client.UsersV1API)
			require.Error(t, err)
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 1, counter.count(), "no retry once the context is done")
			assert.Contains(t, err.Error(), op.path)
			assertNoToken(t, err)
		})
	}
}

// The headers arrive, then the body stalls: the deadline still ends the call.
func TestDeadlineExpiresWhileTheBodyIsSlow(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		full := adaDoc().json()
		_, _ = io.WriteString(w, full[:20])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
			_, _ = io.WriteString(w, full[20:])
		}
	}))
	t.Cleanup(srv.Close)
	client, counter := loopbackClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := client.UsersV1API.GetUsersMe(ctx)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, counter.count())
}

func TestCancelDuringRetryWaitReturnsPromptly(t *testing.T) {
	cases := []struct {
		name   string
		policy arthur.RetryPolicy
		answer httpmock.Responder
	}{
		{"waiting for Retry-After", arthur.RetryPolicy{},
			respond(503, `{"detail":"maintenance"}`, "Retry-After", "30")},
		{"waiting for backoff", arthur.RetryPolicy{InitialBackoff: 30 * time.Second, MaxBackoff: 30 * time.Second},
			respond(500, `{"detail":"Internal server error"}`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t, withRetry(tc.policy))
			m.on("GET", "/api/v1/users/me", tc.answer)
			ctx, cancel := context.WithCancel(t.Context())
			timer := time.AfterFunc(50*time.Millisecond, cancel)
			defer timer.Stop()
			start := time.Now()
			_, err := m.api.GetUsersMe(ctx)
			elapsed := time.Since(start)
			require.Error(t, err)
			assert.Less(t, elapsed, time.Second)
			assert.ErrorIs(t, err, context.Canceled)
			assert.ErrorIs(t, err, arthur.ErrServer, "the answer that was being retried is kept")
			var apiErr *arthur.APIError
			assert.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 1, m.calls())
		})
	}
}

// ---------------------------------------------------------------------------
// Connection resets on a real loopback server.

// resetServer closes the connection without an answer for the first
// `resets` requests, then answers with body.
func resetServer(t *testing.T, resets int64, status int, body string) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if hits.Add(1) <= resets {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		if body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestGETIsRetriedAfterAConnectionReset(t *testing.T) {
	for _, op := range reads() {
		t.Run(op.name, func(t *testing.T) {
			srv, hits := resetServer(t, 2, op.status, op.response)
			client, _ := loopbackClient(t, srv.URL)
			got, err := op.call(t.Context(), client.UsersV1API)
			require.NoError(t, err)
			op.check(t, got)
			assert.Equal(t, int64(3), hits.Load())
		})
	}
}

// The server got the request and dropped the connection: it may have acted
// on it, so a write is not sent again.
func TestWriteIsNotRetriedAfterAConnectionReset(t *testing.T) {
	for _, op := range writes() {
		t.Run(op.name, func(t *testing.T) {
			srv, hits := resetServer(t, 1, op.status, op.response)
			client, _ := loopbackClient(t, srv.URL)
			_, err := op.call(t.Context(), client.UsersV1API)
			require.Error(t, err)
			assert.Equal(t, int64(1), hits.Load(), "the server saw the request once")
			var apiErr *arthur.APIError
			assert.False(t, errors.As(err, &apiErr))
			assert.Contains(t, err.Error(), op.method+" "+op.path)
			assertNoToken(t, err)
		})
	}
}

// ---------------------------------------------------------------------------
// Tokens.

func TestWithAccessTokenOverridesTheConfiguration(t *testing.T) {
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(op.method, op.path, op.successResponder())
			_, err := op.call(arthur.WithAccessToken(t.Context(), "per-call-token"), m.api)
			require.NoError(t, err)
			testHeader(t, m.rec.last(t), "Authorization", "Bearer per-call-token")
		})
	}
	t.Run("empty token keeps the configuration's", func(t *testing.T) {
		m := newMockAPI(t)
		m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
		_, err := m.api.GetUsersMe(arthur.WithAccessToken(t.Context(), ""))
		require.NoError(t, err)
		testHeader(t, m.rec.last(t), "Authorization", "Bearer "+testToken)
	})
	t.Run("wins over TokenSource", func(t *testing.T) {
		m := newMockAPI(t, func(c *arthur.Configuration) {
			c.AccessToken = ""
			c.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "from-source"})
		})
		m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
		_, err := m.api.GetUsersMe(arthur.WithAccessToken(t.Context(), "per-call-token"))
		require.NoError(t, err)
		testHeader(t, m.rec.last(t), "Authorization", "Bearer per-call-token")
	})
}

// countingTokenSource hands out numbered tokens.
type countingTokenSource struct{ n atomic.Int64 }

func (s *countingTokenSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: fmt.Sprintf("source-token-%d", s.n.Add(1)), TokenType: "Bearer"}, nil
}

func TestTokenSource(t *testing.T) {
	t.Run("used when AccessToken is empty", func(t *testing.T) {
		for _, op := range operations() {
			t.Run(op.name, func(t *testing.T) {
				m := newMockAPI(t, func(c *arthur.Configuration) {
					c.AccessToken = ""
					c.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "static-source-token"})
				})
				m.on(op.method, op.path, op.successResponder())
				_, err := op.call(t.Context(), m.api)
				require.NoError(t, err)
				testHeader(t, m.rec.last(t), "Authorization", "Bearer static-source-token")
			})
		}
	})
	t.Run("wins over AccessToken", func(t *testing.T) {
		m := newMockAPI(t, func(c *arthur.Configuration) {
			c.AccessToken = "configured-token"
			c.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "static-source-token"})
		})
		m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
		_, err := m.api.GetUsersMe(t.Context())
		require.NoError(t, err)
		testHeader(t, m.rec.last(t), "Authorization", "Bearer static-source-token")
	})
	t.Run("asked on every attempt", func(t *testing.T) {
		src := &countingTokenSource{}
		m := newMockAPI(t, func(c *arthur.Configuration) {
			c.AccessToken = ""
			c.TokenSource = src
		})
		m.on("GET", "/api/v1/users/me", sequence(respond(500, `{"detail":"boom"}`), respond(200, adaDoc().json())))
		_, err := m.api.GetUsersMe(t.Context())
		require.NoError(t, err)
		reqs := m.rec.requests()
		require.Len(t, reqs, 2)
		testHeader(t, reqs[0], "Authorization", "Bearer source-token-1")
		testHeader(t, reqs[1], "Authorization", "Bearer source-token-2")
	})
	t.Run("its failure sends nothing", func(t *testing.T) {
		boom := errors.New("identity provider unreachable")
		m := newMockAPI(t, func(c *arthur.Configuration) {
			c.AccessToken = ""
			c.TokenSource = oauth2.TokenSource(failingTokenSource{boom})
		})
		m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
		_, err := m.api.GetUsersMe(t.Context())
		require.ErrorIs(t, err, boom)
		assert.Contains(t, err.Error(), "GetUsersMe")
		assert.Equal(t, 0, m.calls())
	})
}

type failingTokenSource struct{ err error }

func (s failingTokenSource) Token() (*oauth2.Token, error) { return nil, s.err }

// The token never appears in an error, whatever failed.
func TestTokenNeverInErrors(t *testing.T) {
	failures := map[string]func(m *mockAPI){
		"401": func(m *mockAPI) {
			m.on("GET", "/api/v1/users/me", respond(401, `{"detail":"Not authenticated"}`, "WWW-Authenticate", `Bearer error="invalid_token"`))
		},
		"transport error": func(m *mockAPI) {
			m.on("GET", "/api/v1/users/me", fail(errors.New("dial tcp: lookup api.arthur.test: no such host")))
		},
	}
	for name, setup := range failures {
		t.Run(name, func(t *testing.T) {
			m := newMockAPI(t)
			setup(m)
			_, err := m.api.GetUsersMe(t.Context())
			require.Error(t, err)
			assertNoToken(t, err)
		})
	}
	t.Run("decode error", func(t *testing.T) {
		m := newMockAPIRequestOnly(t)
		m.on("GET", "/api/v1/users/me", respond(200, `{"broken":`))
		_, err := m.api.GetUsersMe(t.Context())
		require.Error(t, err)
		assertNoToken(t, err)
	})
}

// redirectPair is an API server that redirects GET /api/v1/users/me to a
// second server at target, which records the Authorization it gets.
type redirectPair struct {
	client   *arthur.APIClient
	authSeen chan string
}

func newRedirectPair(t *testing.T, targetHost func(other *httptest.Server) string) *redirectPair {
	p := &redirectPair{authSeen: make(chan string, 4)}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.authSeen <- r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, adaDoc().json())
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+targetHost(other)+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(api.Close)

	tr := freshTransport(t)
	apiHost := strings.TrimPrefix(api.URL, "http://")
	cfg := arthur.NewConfiguration()
	cfg.Host = api.URL
	cfg.AccessToken = testToken
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: &hostRouter{
		apiHost: apiHost,
		api:     oas.NewTransport(t, tr),
		other:   &foreignHostTransport{t: t, c: oas.MustLoad(t), next: tr},
	}}
	p.client = arthur.NewAPIClient(cfg)
	return p
}

func TestRedirectToAnotherHostDropsTheToken(t *testing.T) {
	targets := map[string]func(*httptest.Server) string{
		"same IP, other port": func(o *httptest.Server) string { return strings.TrimPrefix(o.URL, "http://") },
		"other host name":     func(o *httptest.Server) string { return "localhost:" + o.URL[strings.LastIndex(o.URL, ":")+1:] },
	}
	for name, target := range targets {
		t.Run(name, func(t *testing.T) {
			p := newRedirectPair(t, target)
			u, err := p.client.UsersV1API.GetUsersMe(t.Context())
			require.NoError(t, err)
			assertUser(t, wantAda(), *u)
			require.Len(t, p.authSeen, 1)
			assert.Empty(t, <-p.authSeen, "the other host must not get the token")
		})
	}
}

func TestRedirectOnTheSameHostKeepsTheToken(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Query().Get("page") == "" {
			http.Redirect(w, r, "/api/v1/organization/users?page=2", http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, listDoc(2, 20, 2, 21, adaDoc()).json())
	}))
	t.Cleanup(srv.Close)
	client, _ := loopbackClient(t, srv.URL)
	got, err := client.UsersV1API.GetOrganizationUsers(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, got.Records, 1)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"Bearer " + testToken, "Bearer " + testToken}, auths)
}

// ---------------------------------------------------------------------------
// Logs, concurrency and configuration.

func TestLogsHoldNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newMockAPI(t, func(c *arthur.Configuration) { c.Logger = logger })
	m.on("POST", "/api/v1/organization/users", sequence(
		respond(503, `{"detail":"busy"}`, "Retry-After", "0"), respond(200, adaDoc().json())))
	m.on("GET", "/api/v1/organization/users", sequence(
		respond(500, `{"detail":"boom"}`), respond(200, listDoc(1, 20, 1, 1, adaDoc()).json())))

	_, err := m.api.PostOrganizationUser(t.Context(), arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com",
		Password: "pw-in-the-body"})
	require.NoError(t, err)
	_, err = m.api.GetOrganizationUsers(t.Context(), &arthur.GetOrganizationUsersParams{Search: "query-in-the-url"})
	require.NoError(t, err)

	mu.Lock()
	out := buf.String()
	mu.Unlock()
	assert.Contains(t, out, "retrying")
	assert.Contains(t, out, "PostOrganizationUser")
	for _, secret := range []string{testToken, "pw-in-the-body", "query-in-the-url", "Authorization"} {
		assert.NotContains(t, out, secret)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestConcurrentCallsKeepTheirTokens(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/users/me", func(req *http.Request) (*http.Response, error) {
		return response(req, 200, adaDoc().with("first_name", strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")).json()), nil
	})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := fmt.Sprintf("caller-%d", i)
			u, err := m.api.GetUsersMe(arthur.WithAccessToken(t.Context(), token))
			if err != nil {
				errs <- err
				return
			}
			if u.FirstName != token {
				errs <- fmt.Errorf("caller %s got %s's answer", token, u.FirstName)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 16, m.calls())
}

func TestConfigurationIsCopied(t *testing.T) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", testHost+"/api/v1/users/me", respond(200, adaDoc().json()))
	rec := &recorder{next: mock}
	cfg := arthur.NewConfiguration()
	cfg.Host = testHost
	cfg.AccessToken = testToken
	cfg.DefaultHeader["X-Tenant"] = "acme"
	userClient := &http.Client{Transport: oas.NewTransport(t, rec)}
	cfg.HTTPClient = userClient
	client := arthur.NewAPIClient(cfg)

	cfg.AccessToken = "changed-later"
	cfg.DefaultHeader["X-Tenant"] = "changed-later"
	cfg.Host = "http://elsewhere.test"

	_, err := client.UsersV1API.GetUsersMe(t.Context())
	require.NoError(t, err)
	r := rec.last(t)
	testHeader(t, r, "Authorization", "Bearer "+testToken)
	testHeader(t, r, "X-Tenant", "acme")
	assert.Equal(t, "api.arthur.test", r.URL.Host)
	assert.Nil(t, userClient.CheckRedirect, "the caller's http.Client is not changed")

	got := client.GetConfig()
	assert.Equal(t, testToken, got.AccessToken)
	got.DefaultHeader["X-Tenant"] = "mutated"
	assert.Equal(t, "acme", client.GetConfig().DefaultHeader["X-Tenant"])
}

func TestUnusableHostFailsEveryCall(t *testing.T) {
	for _, host := range []string{"ftp://api.arthur.test", "api.arthur.test", "http://", "https://user:pw@api.arthur.test", "http://api.arthur.test/?x=1"} {
		t.Run(host, func(t *testing.T) {
			m := newMockAPI(t, func(c *arthur.Configuration) { c.Host = host })
			m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
			_, err := m.api.GetUsersMe(t.Context())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Host")
			assert.NotContains(t, err.Error(), "pw@")
			assert.Equal(t, 0, m.calls())
		})
	}
}

func TestHostWithTrailingSlash(t *testing.T) {
	m := newMockAPI(t, func(c *arthur.Configuration) { c.Host = testHost + "/" })
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
	_, err := m.api.GetUsersMe(t.Context())
	require.NoError(t, err)
	testPath(t, m.rec.last(t), "/api/v1/users/me")
}

func TestConfigurationPrintsNoToken(t *testing.T) {
	cfg := arthur.NewConfiguration()
	cfg.AccessToken = testToken
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, cfg), testToken, verb)
		assert.NotContains(t, fmt.Sprintf(verb, *cfg), testToken, verb)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", *cfg)
	assert.NotContains(t, buf.String(), testToken)
}
