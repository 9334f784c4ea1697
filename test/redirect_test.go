package test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// sink is a server of another origin that must receive nothing: it
// records what reaches it and answers 200.
type sink struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newSink(t *testing.T, answer string) *sink {
	s := &sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, r.Method+" "+r.URL.Path+" "+string(b))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// requireRedirectError checks that err is a *RedirectError for op's
// request, redirected with status to location.
func requireRedirectError(t *testing.T, err error, op, method, path string, status int, location string) *arthur.RedirectError {
	t.Helper()
	var re *arthur.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, op, re.Operation)
	assert.Equal(t, method, re.Method)
	assert.Equal(t, path, re.Path)
	assert.Equal(t, status, re.StatusCode)
	assert.Equal(t, location, re.Location)
	assert.NotEmpty(t, re.Reason)
	msg := err.Error()
	for _, want := range []string{op, method, path, strconv.Itoa(status), location, re.Reason} {
		assert.Contains(t, msg, want)
	}
	var apiErr *arthur.APIError
	assert.False(t, errors.As(err, &apiErr), "a redirect not followed is not an answer of the API")
	return re
}

// net/http follows a 301, 302 or 303 answer to a write with a GET: the
// write is not done, and the GET's answer would pass for its result.
func TestWriteRedirectedAsAGETIsARedirectError(t *testing.T) {
	for _, op := range operations() {
		if op.method == http.MethodGet {
			continue
		}
		for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
			t.Run(op.name+"/"+strconv.Itoa(status), func(t *testing.T) {
				var writes, gets atomic.Int64
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodGet {
						gets.Add(1)
						w.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(w, adaDoc().json())
						return
					}
					writes.Add(1)
					w.Header().Set("Location", "/api/v1/users/me?session=s3cr3t-in-the-query")
					w.WriteHeader(status)
				}))
				t.Cleanup(srv.Close)
				client, counter := loopbackClient(t, srv.URL)

				got, err := op.call(t.Context(), client.UsersV1API)
				assert.Nil(t, got)
				re := requireRedirectError(t, err, op.name, op.method, op.path, status, srv.URL+"/api/v1/users/me")
				assert.Contains(t, re.Reason, "GET")
				assert.NotContains(t, err.Error(), "s3cr3t")
				assertNoToken(t, err)
				assert.Equal(t, int64(1), writes.Load(), "not retried")
				assert.Equal(t, int64(0), gets.Load(), "the GET is not sent")
				assert.Equal(t, 1, counter.count())
			})
		}
	}
}

// A 307 or 308 keeps the method and the body: on the request's own origin
// it is followed, token and body included.
func TestWriteRedirectedOnItsOriginWith307Or308IsFollowed(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var mu sync.Mutex
			var bodies, auths []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				auths = append(auths, r.Header.Get("Authorization"))
				n := len(bodies)
				mu.Unlock()
				if n == 1 {
					http.Redirect(w, r, "/api/v1/organization/users", status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, adaDoc().json())
			}))
			t.Cleanup(srv.Close)
			client, _ := loopbackClient(t, srv.URL)
			u, err := client.UsersV1API.PostOrganizationUser(t.Context(),
				arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com", Password: "pw-Xq81"})
			require.NoError(t, err)
			assertUser(t, wantAda(), *u)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, bodies, 2)
			assert.Equal(t, bodies[0], bodies[1])
			assert.Contains(t, bodies[1], "pw-Xq81")
			assert.Equal(t, []string{"Bearer " + testToken, "Bearer " + testToken}, auths)
		})
	}
}

// A 307 or 308 to another origin would carry the body there, a new user's
// password included: it is not followed.
func TestRequestBodyIsNotSentToAnotherOrigin(t *testing.T) {
	targets := map[string]func(other *httptest.Server) string{
		"same IP, other port": func(o *httptest.Server) string { return o.URL },
		"other host name": func(o *httptest.Server) string {
			return "http://localhost:" + o.URL[strings.LastIndex(o.URL, ":")+1:]
		},
	}
	for name, target := range targets {
		for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			t.Run(name+"/"+strconv.Itoa(status), func(t *testing.T) {
				other := newSink(t, adaDoc().json())
				location := target(other.srv) + "/api/v1/organization/users"
				var posts atomic.Int64
				api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					posts.Add(1)
					http.Redirect(w, r, location+"?token=s3cr3t", status)
				}))
				t.Cleanup(api.Close)
				tr := freshTransport(t)
				cfg := arthur.NewConfiguration()
				cfg.Host = api.URL
				cfg.AccessToken = testToken
				cfg.Retry = fastRetry
				cfg.HTTPClient = &http.Client{Transport: &hostRouter{
					apiHost: strings.TrimPrefix(api.URL, "http://"),
					api:     oas.NewTransport(t, tr),
					other:   &foreignHostTransport{t: t, c: oas.MustLoad(t), next: tr},
				}}
				_, err := arthur.NewAPIClient(cfg).UsersV1API.PostOrganizationUser(t.Context(),
					arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com", Password: "pw-Xq81"})
				re := requireRedirectError(t, err, "PostOrganizationUser", "POST", "/api/v1/organization/users", status, location)
				assert.Contains(t, re.Reason, "another origin")
				assert.NotContains(t, err.Error(), "s3cr3t")
				assert.NotContains(t, err.Error(), "pw-Xq81")
				assert.Empty(t, other.received(), "the other origin gets nothing")
				assert.Equal(t, int64(1), posts.Load(), "not retried")
			})
		}
	}
}

// https to http on the same host is another origin too.
func TestRequestBodyIsNotSentFromHTTPSToHTTP(t *testing.T) {
	m := newMockAPI(t)
	plain := strings.Replace(testHost, "https://", "http://", 1) + "/api/v1/organization/users"
	m.on("POST", "/api/v1/organization/users", respond(http.StatusPermanentRedirect, "", "Location", plain))
	m.mock.RegisterResponder("POST", plain, respond(200, adaDoc().json()))
	_, err := m.api.PostOrganizationUser(t.Context(),
		arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com", Password: "pw-Xq81"})
	requireRedirectError(t, err, "PostOrganizationUser", "POST", "/api/v1/organization/users", http.StatusPermanentRedirect, plain)
	assert.Equal(t, 1, m.calls(), "nothing is sent over http")
	assert.Len(t, m.rec.requests(), 1)
}

// The client's own token requests go through the same checks: a client
// secret never follows a redirect to another origin.
func TestClientSecretIsNotSentToAnotherOrigin(t *testing.T) {
	const tokenPath = "/oauth/token"
	other := newSink(t, `{"access_token":"stolen","token_type":"Bearer"}`)
	var tokenPosts, meCalls atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			tokenPosts.Add(1)
			http.Redirect(w, r, other.srv.URL+tokenPath, http.StatusTemporaryRedirect)
			return
		}
		meCalls.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(api.Close)
	tr := freshTransport(t)
	cfg := arthur.NewConfiguration()
	cfg.Host = api.URL
	cfg.ClientID, cfg.ClientSecret = idpClientID, idpClientSecret
	cfg.TokenURL = api.URL + tokenPath
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, tr).Outside(tokenPath)}

	_, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(t.Context())
	var re *arthur.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "POST", re.Method)
	assert.Equal(t, tokenPath, re.Path)
	assert.Equal(t, http.StatusTemporaryRedirect, re.StatusCode)
	assert.Equal(t, other.srv.URL+tokenPath, re.Location)
	assert.NotContains(t, err.Error(), idpClientSecret)
	assert.Empty(t, other.received(), "the client secret stays home")
	assert.Equal(t, int64(0), meCalls.Load(), "no call without a token")
}

// So do the device flow's requests, whose bodies carry a device code or a
// refresh token.
func TestDeviceLoginBodyIsNotSentToAnotherOrigin(t *testing.T) {
	const devicePath = "/idp/device"
	other := newSink(t, `{}`)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == arthur.DiscoveryPath {
			writeJSONAnswer(w, http.StatusOK, map[string]any{
				"issuer": srv.URL, "token_endpoint": srv.URL + "/idp/token", "device_authorization_endpoint": srv.URL + devicePath,
			})
			return
		}
		http.Redirect(w, r, other.srv.URL+devicePath, http.StatusPermanentRedirect)
	}))
	t.Cleanup(srv.Close)
	tr := freshTransport(t)
	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, tr).Outside(arthur.DiscoveryPath, devicePath)}

	_, err := arthur.StartDeviceLogin(t.Context(), cfg, "")
	var re *arthur.RedirectError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusPermanentRedirect, re.StatusCode)
	assert.Equal(t, other.srv.URL+devicePath, re.Location)
	assert.Empty(t, other.received())
}

// A GET that redirects in a loop is returned once the limit is reached,
// not retried as if the connection had failed.
func TestRedirectLoopIsReturnedAtOnce(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		http.Redirect(w, r, "/api/v1/users/me?hop="+strconv.FormatInt(n, 10), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	client, counter := loopbackClient(t, srv.URL)
	start := time.Now()
	_, err := client.UsersV1API.GetUsersMe(t.Context())
	re := requireRedirectError(t, err, "GetUsersMe", "GET", "/api/v1/users/me", http.StatusFound, srv.URL+"/api/v1/users/me")
	assert.Contains(t, re.Reason, "10 redirects")
	assert.NotContains(t, err.Error(), "hop=")
	assert.Equal(t, int64(10), hits.Load(), "one attempt of 10 requests")
	assert.Equal(t, 10, counter.count())
	assert.Less(t, time.Since(start), 2*time.Second)
}

// The caller's own CheckRedirect still decides, and its refusal is not
// retried either.
func TestCallersCheckRedirectRefusalIsNotRetried(t *testing.T) {
	errNoRedirects := errors.New("no redirects here")
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/api/v1/organization/users", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	client, _ := loopbackClient(t, srv.URL, func(c *arthur.Configuration) {
		c.HTTPClient.CheckRedirect = func(*http.Request, []*http.Request) error { return errNoRedirects }
	})
	_, err := client.UsersV1API.GetUsersMe(t.Context())
	requireRedirectError(t, err, "GetUsersMe", "GET", "/api/v1/users/me", http.StatusFound, srv.URL+"/api/v1/organization/users")
	assert.ErrorIs(t, err, errNoRedirects)
	assert.Equal(t, int64(1), hits.Load())
}

// A CheckRedirect that returns http.ErrUseLastResponse hands the 3xx to
// the pipeline, which reports it as the answer it is, never as success.
func TestRedirectAnswerKeptByTheCallersCheckRedirectIsAnAPIError(t *testing.T) {
	m := newMockAPI(t, func(c *arthur.Configuration) {
		c.HTTPClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	})
	m.on("GET", "/api/v1/users/me", respond(http.StatusFound, "", "Location", "/api/v1/organization/users"))
	_, err := m.api.GetUsersMe(t.Context())
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
	assert.Equal(t, "/api/v1/organization/users", apiErr.Header.Get("Location"))
	assert.Equal(t, 1, m.calls())
}
