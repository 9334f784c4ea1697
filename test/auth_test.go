package test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

const (
	idpClientID     = "svc-robot"
	idpClientSecret = "svc-secret-Zq81!x"
	idpTokenPath    = "/realms/arthur/protocol/openid-connect/token"
)

// idp is a stand-in identity provider and Users API on one loopback
// server: the OIDC discovery document, a client-credentials token endpoint,
// and GET /api/v1/users/me, which accepts only the tokens it issued and has
// not revoked.
type idp struct {
	srv         *httptest.Server
	discoveries atomic.Int64
	tokens      atomic.Int64
	meCalls     atomic.Int64
	expiresIn   atomic.Int64 // seconds; 0 leaves expires_in out
	tokenDelay  atomic.Int64 // nanoseconds
	tokenStatus atomic.Int64 // when non-zero, the token endpoint answers this
	refuseAll   atomic.Bool  // the API refuses every token
	discovery   func(w http.ResponseWriter, base string)

	mu    sync.Mutex
	valid map[string]bool
}

func newIDP(t *testing.T) *idp {
	p := &idp{valid: map[string]bool{}}
	p.expiresIn.Store(300)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+arthur.DiscoveryPath, func(w http.ResponseWriter, r *http.Request) {
		p.discoveries.Add(1)
		if p.discovery != nil {
			p.discovery(w, p.srv.URL)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"issuer":%q,"token_endpoint":%q,"device_authorization_endpoint":%q}`,
			p.srv.URL+"/realms/arthur", p.srv.URL+idpTokenPath, p.srv.URL+"/realms/arthur/protocol/openid-connect/auth/device")
	})
	mux.HandleFunc("POST "+idpTokenPath, func(w http.ResponseWriter, r *http.Request) {
		n := p.tokens.Add(1)
		if d := time.Duration(p.tokenDelay.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if s := p.tokenStatus.Load(); s != 0 {
			w.WriteHeader(int(s))
			fmt.Fprint(w, `{"error":"temporarily_unavailable"}`)
			return
		}
		if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" ||
			r.PostForm.Get("client_id") != idpClientID || r.PostForm.Get("client_secret") != idpClientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}`)
			return
		}
		tok := fmt.Sprintf("cc-token-%d", n)
		p.mu.Lock()
		p.valid[tok] = true
		p.mu.Unlock()
		out := map[string]any{"access_token": tok, "token_type": "Bearer"}
		if e := p.expiresIn.Load(); e > 0 {
			out["expires_in"] = e
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("GET /api/v1/users/me", func(w http.ResponseWriter, r *http.Request) {
		p.meCalls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		p.mu.Lock()
		ok := p.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] && !p.refuseAll.Load()
		p.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"detail":"Not authenticated"}`)
			return
		}
		fmt.Fprint(w, saDoc().json())
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

// revokeAll makes every token issued so far invalid, as a server restart
// or a key rotation would.
func (p *idp) revokeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.valid)
}

func (p *idp) client(t *testing.T, edit ...func(*arthur.Configuration)) *arthur.APIClient {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := arthur.NewConfiguration()
	cfg.Host = p.srv.URL
	cfg.ClientID = idpClientID
	cfg.ClientSecret = idpClientSecret
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, tr).Outside(arthur.DiscoveryPath, idpTokenPath)}
	for _, e := range edit {
		e(cfg)
	}
	return arthur.NewAPIClient(cfg)
}

func TestClientCredentialsOneDiscoveryOneTokenForManyCalls(t *testing.T) {
	p := newIDP(t)
	c := p.client(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.UsersV1API.GetUsersMe(context.Background())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, p.discoveries.Load(), "discovery once per client, even under concurrent first calls")
	assert.EqualValues(t, 1, p.tokens.Load(), "one token serves every call until it is due")
	assert.EqualValues(t, 64, p.meCalls.Load())
}

func TestClientCredentialsTokenURLSkipsDiscovery(t *testing.T) {
	p := newIDP(t)
	c := p.client(t, func(cfg *arthur.Configuration) { cfg.TokenURL = p.srv.URL + idpTokenPath })
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 0, p.discoveries.Load())
	assert.EqualValues(t, 1, p.tokens.Load())
}

func TestClientCredentialsRenewsBeforeExpiry(t *testing.T) {
	p := newIDP(t)
	p.expiresIn.Store(4) // renewed halfway through its four-second life
	c := p.client(t)
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	_, err = c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, p.tokens.Load(), "a fresh token is reused")
	time.Sleep(2100 * time.Millisecond)
	_, err = c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 2, p.tokens.Load(), "a token due for renewal is replaced before use")
	assert.EqualValues(t, 1, p.discoveries.Load())
}

func TestClientCredentialsRenewsOnceAfter401(t *testing.T) {
	p := newIDP(t)
	c := p.client(t)
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	p.revokeAll()
	_, err = c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err, "a 401 renews the token and repeats the call")
	assert.EqualValues(t, 2, p.tokens.Load())
	assert.EqualValues(t, 3, p.meCalls.Load())
}

func TestClientCredentialsSecond401IsReturned(t *testing.T) {
	p := newIDP(t)
	p.refuseAll.Store(true)
	c := p.client(t)
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.EqualValues(t, 2, p.meCalls.Load(), "one renewal, one repeat, no more")
	assert.EqualValues(t, 2, p.tokens.Load())
}

func TestClientCredentialsWrongSecret(t *testing.T) {
	p := newIDP(t)
	c := p.client(t, func(cfg *arthur.Configuration) { cfg.ClientSecret = "wrong-secret-value" })
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.Error(t, err)
	var ae *arthur.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "token", ae.Step)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, "invalid_client", ae.Code)
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-secret-value")
	assert.NotContains(t, err.Error(), idpClientSecret)
	assert.EqualValues(t, 0, p.meCalls.Load(), "no API call without a token")
}

func TestClientCredentialsFailures(t *testing.T) {
	cases := []struct {
		name      string
		discovery func(w http.ResponseWriter, base string)
		status    int64
		step      string
	}{
		{"discovery 500", func(w http.ResponseWriter, _ string) { w.WriteHeader(500) }, 0, "discovery"},
		{"discovery not JSON", func(w http.ResponseWriter, _ string) { fmt.Fprint(w, "<html>login</html>") }, 0, "discovery"},
		{"discovery without token_endpoint", func(w http.ResponseWriter, _ string) { fmt.Fprint(w, `{"issuer":"x"}`) }, 0, "discovery"},
		{"token endpoint 503", nil, 503, "token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newIDP(t)
			p.discovery = tc.discovery
			p.tokenStatus.Store(tc.status)
			c := p.client(t)
			_, err := c.UsersV1API.GetUsersMe(context.Background())
			var ae *arthur.AuthError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.step, ae.Step)
			assert.Contains(t, err.Error(), tc.step)
			assert.NotContains(t, err.Error(), idpClientSecret)
			assert.EqualValues(t, 0, p.meCalls.Load())
		})
	}

	t.Run("discovery unreachable", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		url := dead.URL
		dead.Close()
		cfg := arthur.NewConfiguration()
		cfg.Host = url
		cfg.ClientID, cfg.ClientSecret = idpClientID, idpClientSecret
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		cfg.HTTPClient = &http.Client{Transport: tr}
		_, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(context.Background())
		var ae *arthur.AuthError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "discovery", ae.Step)
	})
}

func TestClientCredentialsHonoursContext(t *testing.T) {
	p := newIDP(t)
	p.tokenDelay.Store(int64(5 * time.Second))
	c := p.client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.UsersV1API.GetUsersMe(ctx)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), err)
	assert.Less(t, time.Since(start), 3*time.Second)
}

func TestClientCredentialsPrecedence(t *testing.T) {
	p := newIDP(t)
	p.mu.Lock()
	p.valid["static-token"] = true
	p.mu.Unlock()
	c := p.client(t, func(cfg *arthur.Configuration) { cfg.AccessToken = "static-token" })
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 0, p.tokens.Load(), "AccessToken wins over client credentials")

	c = p.client(t)
	_, err = c.UsersV1API.GetUsersMe(arthur.WithAccessToken(context.Background(), "static-token"))
	require.NoError(t, err)
	assert.EqualValues(t, 0, p.tokens.Load(), "a per-call token wins over client credentials")
}

func TestClientCredentialsHalfConfigured(t *testing.T) {
	cfg := arthur.NewConfiguration()
	cfg.ClientID = idpClientID
	rt := &countingTransport{}
	cfg.HTTPClient = &http.Client{Transport: rt}
	_, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ClientSecret")
	assert.Equal(t, 0, rt.count())
}

// seqSource hands out its tokens in order, then repeats the last.
type seqSource struct {
	mu     sync.Mutex
	tokens []string
	calls  int
}

func (s *seqSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := min(s.calls, len(s.tokens)-1)
	s.calls++
	return &oauth2.Token{AccessToken: s.tokens[i]}, nil
}

func TestTokenSourceRenewedOnceAfter401(t *testing.T) {
	p := newIDP(t)
	p.mu.Lock()
	p.valid["fresh"] = true
	p.mu.Unlock()
	src := &seqSource{tokens: []string{"expired", "fresh"}}
	c := p.client(t, func(cfg *arthur.Configuration) { cfg.TokenSource = src })
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, src.calls)
	assert.EqualValues(t, 2, p.meCalls.Load())
	assert.EqualValues(t, 0, p.tokens.Load(), "TokenSource wins over client credentials")

	// A source with nothing newer: the 401 is returned without a repeat.
	p.meCalls.Store(0)
	c = p.client(t, func(cfg *arthur.Configuration) {
		cfg.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "expired"})
	})
	_, err = c.UsersV1API.GetUsersMe(context.Background())
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
	assert.EqualValues(t, 1, p.meCalls.Load())
}

func TestAccessTokenIsNotRenewedAfter401(t *testing.T) {
	p := newIDP(t)
	c := p.client(t, func(cfg *arthur.Configuration) { cfg.AccessToken = "not-valid" })
	_, err := c.UsersV1API.GetUsersMe(context.Background())
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
	assert.EqualValues(t, 1, p.meCalls.Load(), "a fixed token cannot be renewed")
}

// TestClientCredentialsNothingSentOverPlainHTTPHost: a Host on plain http
// to a host that is not loopback would serve a discovery document anyone
// on the path can forge, naming where the client secret goes; and the API
// call would be refused anyway. Nothing is sent, with or without TokenURL.
// Over https, a discovered token endpoint on plain http is refused before
// the secret goes; one on https, on another host, is used.
func TestClientCredentialsNothingSentOverPlainHTTPHost(t *testing.T) {
	t.Parallel()
	newClient := func(t *testing.T, host, tokenEndpoint string, edit func(*arthur.Configuration)) (*arthur.APIClient, *recorder) {
		mock := httpmock.NewMockTransport()
		mock.RegisterResponder("GET", host+arthur.DiscoveryPath,
			respond(200, fmt.Sprintf(`{"issuer":"https://idp.example/realms/arthur","token_endpoint":%q}`, tokenEndpoint)))
		mock.RegisterResponder("POST", tokenEndpoint, respond(200, `{"access_token":"cc-token","token_type":"Bearer","expires_in":300}`))
		mock.RegisterResponder("GET", host+"/api/v1/users/me", respond(200, saDoc().json()))
		rec := &recorder{next: mock}
		cfg := arthur.NewConfiguration()
		cfg.Host = host
		cfg.ClientID, cfg.ClientSecret = idpClientID, idpClientSecret
		cfg.Retry = fastRetry
		cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, rec).Outside(arthur.DiscoveryPath, "/realms/arthur/token")}
		if edit != nil {
			edit(cfg)
		}
		return arthur.NewAPIClient(cfg), rec
	}
	for _, tc := range []struct {
		name     string
		tokenURL string
		step     string
	}{
		{"discovery", "", "discovery"},
		{"TokenURL on https", "https://idp.example/realms/arthur/token", "token"},
	} {
		t.Run("plain Host, "+tc.name, func(t *testing.T) {
			c, rec := newClient(t, "http://arthur.example", "http://arthur.example/realms/arthur/token",
				func(cfg *arthur.Configuration) { cfg.TokenURL = tc.tokenURL })
			_, err := c.UsersV1API.GetUsersMe(t.Context())
			require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
			var ae *arthur.AuthError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.step, ae.Step)
			assert.Contains(t, err.Error(), "plain http://")
			assert.Empty(t, rec.requests(), "nothing is sent")
		})
	}
	t.Run("plain Host, AllowInsecureHTTP", func(t *testing.T) {
		c, rec := newClient(t, "http://arthur.example", "http://arthur.example/realms/arthur/token",
			func(cfg *arthur.Configuration) { cfg.AllowInsecureHTTP = true })
		_, err := c.UsersV1API.GetUsersMe(t.Context())
		require.NoError(t, err)
		assert.Len(t, rec.requests(), 3, "discovery, token, the call")
	})
	t.Run("discovered token endpoint on plain http", func(t *testing.T) {
		c, rec := newClient(t, "https://arthur.example", "http://idp.example/realms/arthur/token", nil)
		_, err := c.UsersV1API.GetUsersMe(t.Context())
		require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
		var ae *arthur.AuthError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "token", ae.Step)
		reqs := rec.requests()
		require.Len(t, reqs, 1, "the discovery document alone")
		assert.Equal(t, arthur.DiscoveryPath, reqs[0].URL.Path)
	})
	t.Run("configured TokenURL on plain http", func(t *testing.T) {
		c, rec := newClient(t, "https://arthur.example", "http://idp.example/realms/arthur/token",
			func(cfg *arthur.Configuration) { cfg.TokenURL = "http://idp.example/realms/arthur/token" })
		_, err := c.UsersV1API.GetUsersMe(t.Context())
		require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
		assert.Empty(t, rec.requests())
	})
	t.Run("discovered token endpoint on https, another host", func(t *testing.T) {
		c, rec := newClient(t, "https://arthur.example", "https://idp.example/realms/arthur/token", nil)
		_, err := c.UsersV1API.GetUsersMe(t.Context())
		require.NoError(t, err)
		reqs := rec.requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, "idp.example", reqs[1].URL.Host)
	})
}

// blockingSource is a token source that blocks until the test ends or
// after, whichever comes first: a source of the user's that hangs.
type blockingSource struct {
	release chan struct{}
	after   time.Duration
}

func newBlockingSource(t *testing.T, after time.Duration) *blockingSource {
	s := &blockingSource{release: make(chan struct{}), after: after}
	t.Cleanup(func() { close(s.release) })
	return s
}

func (s *blockingSource) Token() (*oauth2.Token, error) {
	select {
	case <-s.release:
	case <-time.After(s.after):
	}
	return &oauth2.Token{AccessToken: "late-token"}, nil
}

// TestTokenSourceIsBoundedByTheCallsContext: a TokenSource has no context
// to take, yet the call's deadline bounds the wait for its token.
func TestTokenSourceIsBoundedByTheCallsContext(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t, func(cfg *arthur.Configuration) { cfg.TokenSource = newBlockingSource(t, 3*time.Second) })
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	begun := time.Now()
	_, err := m.api.GetUsersMe(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(begun), 2*time.Second, "returns at the deadline, not when the source does")
	assert.Zero(t, m.calls(), "nothing is sent")

	// A source that answers in time is used as before.
	m = newMockAPI(t, func(cfg *arthur.Configuration) { cfg.TokenSource = newBlockingSource(t, time.Millisecond) })
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
	_, err = m.api.GetUsersMe(t.Context())
	require.NoError(t, err)
	testHeader(t, m.rec.last(t), "Authorization", "Bearer late-token")
}

// nilSource returns neither a token nor an error.
type nilSource struct{}

func (nilSource) Token() (*oauth2.Token, error) { return nil, nil }

func TestTokenSourceWithoutATokenIsAnError(t *testing.T) {
	t.Parallel()
	m := newMockAPI(t, func(cfg *arthur.Configuration) { cfg.TokenSource = nilSource{} })
	_, err := m.api.GetUsersMe(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Configuration.TokenSource")
	assert.Zero(t, m.calls())
}
