package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

const (
	deviceIDPTokenPath  = "/idp/token"
	deviceIDPDevicePath = "/idp/device"
	deviceCode          = "dc-Rk29xQ7mWv"
)

// deviceIDP is a stand-in identity provider for the device flow, with the
// Users API's GET /api/v1/users/me, on one loopback server. Its token
// endpoint answers the polls of the device code as script says, one answer
// a poll, the last one repeated: "pending", "slow_down", "denied",
// "expired", "unavailable" (a 503) or "ok". It records every request.
type deviceIDP struct {
	t   *testing.T
	srv *httptest.Server

	// deviceAnswer is the device authorization answer; its device_code is
	// deviceCode. Tests change it before the flow starts.
	deviceAnswer map[string]any
	// discovery, when set, replaces the discovery document.
	discovery map[string]any

	mu        sync.Mutex
	expiresIn int // of the access tokens it issues, in seconds
	script    []string
	polls     []time.Time
	forms     []url.Values // of the device and token endpoints, in order
	issued    int
	valid     map[string]bool
	refreshOK map[string]bool
	// dex makes it behave as Dex does: a refresh token only for the
	// offline_access scope, and each refresh token good for one use, a
	// used one answered 400 invalid_request.
	dex bool
	// noOfflineAccess makes the device endpoint refuse the offline_access
	// scope with invalid_scope.
	noOfflineAccess bool
	// refreshDelay holds up each refresh answer, until the request ends.
	refreshDelay time.Duration
	// echo makes every refusal's error_description repeat what the request
	// sent: the device code, the refresh token.
	echo  bool
	scope string // asked for at the device endpoint
}

func newDeviceIDP(t *testing.T, script ...string) *deviceIDP {
	p := &deviceIDP{t: t, script: script, expiresIn: 300, valid: map[string]bool{}, refreshOK: map[string]bool{}}
	mux := http.NewServeMux()
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.deviceAnswer = map[string]any{
		"device_code":               deviceCode,
		"user_code":                 "WDJB-MJHT",
		"verification_uri":          p.srv.URL + "/idp/verify",
		"verification_uri_complete": p.srv.URL + "/idp/verify?user_code=WDJB-MJHT",
		"expires_in":                600,
		"interval":                  0.05, // the SDK takes fractions, which keeps the tests fast
	}
	mux.HandleFunc("GET "+arthur.DiscoveryPath, func(w http.ResponseWriter, r *http.Request) {
		doc := p.discovery
		if doc == nil {
			doc = map[string]any{
				"issuer":                        p.srv.URL + "/idp",
				"token_endpoint":                p.srv.URL + deviceIDPTokenPath,
				"device_authorization_endpoint": p.srv.URL + deviceIDPDevicePath,
			}
		}
		writeJSONAnswer(w, http.StatusOK, doc)
	})
	mux.HandleFunc("POST "+deviceIDPDevicePath, func(w http.ResponseWriter, r *http.Request) {
		form := p.form(r)
		if form.Get("client_id") != arthur.DefaultDeviceClientID {
			writeJSONAnswer(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "Invalid client or Invalid client credentials"})
			return
		}
		p.mu.Lock()
		refuse := p.noOfflineAccess && slices.Contains(strings.Fields(form.Get("scope")), "offline_access")
		if !refuse {
			p.scope = form.Get("scope")
		}
		p.mu.Unlock()
		if refuse {
			writeJSONAnswer(w, http.StatusBadRequest, map[string]any{"error": "invalid_scope", "error_description": "Invalid scopes: offline_access"})
			return
		}
		writeJSONAnswer(w, http.StatusOK, p.deviceAnswer)
	})
	mux.HandleFunc("POST "+deviceIDPTokenPath, func(w http.ResponseWriter, r *http.Request) {
		form := p.form(r)
		switch form.Get("grant_type") {
		case arthur.DeviceCodeGrantType:
			p.poll(w, form)
		case "refresh_token":
			if p.refreshDelay > 0 {
				select {
				case <-time.After(p.refreshDelay):
				case <-r.Context().Done():
					return
				}
			}
			rt := form.Get("refresh_token")
			p.mu.Lock()
			ok := p.refreshOK[rt] && form.Get("client_id") == arthur.DefaultDeviceClientID
			dex, echo := p.dex, p.echo
			if ok && dex {
				delete(p.refreshOK, rt) // rotated: good for one use
			}
			p.mu.Unlock()
			desc := "Token is not active"
			if echo {
				desc = "Token " + rt + " is not active"
			}
			switch {
			case !ok && dex:
				writeJSONAnswer(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Refresh token is invalid or has already been claimed by another client."})
			case !ok:
				writeJSONAnswer(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": desc})
			default:
				writeJSONAnswer(w, http.StatusOK, p.issue())
			}
		default:
			writeJSONAnswer(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
		}
	})
	mux.HandleFunc("GET /api/v1/users/me", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		ok := p.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		p.mu.Unlock()
		if !ok {
			writeJSONAnswer(w, http.StatusUnauthorized, map[string]any{"detail": "Not authenticated"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, adaDoc().json())
	})
	return p
}

func writeJSONAnswer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (p *deviceIDP) form(r *http.Request) url.Values {
	body, err := io.ReadAll(r.Body)
	assert.NoError(p.t, err)
	assert.Equal(p.t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	form, err := url.ParseQuery(string(body))
	assert.NoError(p.t, err)
	p.mu.Lock()
	p.forms = append(p.forms, form)
	p.mu.Unlock()
	return form
}

// poll answers one poll of the device code.
func (p *deviceIDP) poll(w http.ResponseWriter, form url.Values) {
	p.mu.Lock()
	n := len(p.polls)
	p.polls = append(p.polls, time.Now())
	answer := "pending"
	if len(p.script) > 0 {
		answer = p.script[min(n, len(p.script)-1)]
	}
	p.mu.Unlock()
	if form.Get("device_code") != deviceCode || form.Get("client_id") != arthur.DefaultDeviceClientID {
		writeJSONAnswer(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "Device code not valid"})
		return
	}
	if p.echo && answer != "ok" {
		writeJSONAnswer(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant",
			"error_description": "Device code " + form.Get("device_code") + " is not valid"})
		return
	}
	oauthErr := func(status int, code string) {
		writeJSONAnswer(w, status, map[string]any{"error": code})
	}
	switch answer {
	case "pending":
		oauthErr(http.StatusBadRequest, "authorization_pending")
	case "slow_down":
		oauthErr(http.StatusBadRequest, "slow_down")
	case "denied":
		oauthErr(http.StatusBadRequest, "access_denied")
	case "expired":
		oauthErr(http.StatusBadRequest, "expired_token")
	case "unavailable":
		oauthErr(http.StatusServiceUnavailable, "temporarily_unavailable")
	case "ok":
		writeJSONAnswer(w, http.StatusOK, p.issue())
	default:
		p.t.Errorf("unknown scripted answer %q", answer)
	}
}

// issue mints an access token, valid for the API, and a refresh token
// (like Dex, only for the offline_access scope when dex is set).
func (p *deviceIDP) issue() map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.issued++
	at, rt := fmt.Sprintf("at-%d", p.issued), fmt.Sprintf("rt-%d", p.issued)
	p.valid[at] = true
	ans := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": p.expiresIn, "id_token": "idt-" + at}
	if !p.dex || slices.Contains(strings.Fields(p.scope), "offline_access") {
		p.refreshOK[rt] = true
		ans["refresh_token"], ans["refresh_expires_in"] = rt, 1800
	}
	if p.scope != "" {
		ans["scope"] = p.scope
	}
	return ans
}

func (p *deviceIDP) pollTimes() []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Time(nil), p.polls...)
}

func (p *deviceIDP) requestForms() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.forms...)
}

// config is a Configuration for p, whose every request outside the
// identity provider is checked against the contract.
func (p *deviceIDP) config(t *testing.T) *arthur.Configuration {
	cfg := arthur.NewConfiguration()
	cfg.Host = p.srv.URL
	cfg.Retry = fastRetry
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, tr).Outside(arthur.DiscoveryPath, deviceIDPTokenPath, deviceIDPDevicePath)}
	return cfg
}

// deviceAuthError checks that err is an *AuthError of the device flow at
// step, and returns it.
func deviceAuthError(t *testing.T, err error, grant, step string) *arthur.AuthError {
	t.Helper()
	var ae *arthur.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, grant, ae.Grant)
	assert.Equal(t, step, ae.Step)
	assert.NotContains(t, err.Error(), deviceCode, "the device code is never in an error")
	return ae
}

// TestDeviceLoginPendingSlowDownThenToken: authorization_pending keeps the
// client polling at the interval, slow_down adds 5 s to it for every later
// poll, and the approval gives the token.
func TestDeviceLoginPendingSlowDownThenToken(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t, "pending", "slow_down", "ok")
	ctx := context.Background()
	d, err := arthur.StartDeviceLogin(ctx, p.config(t), "")
	require.NoError(t, err)
	assert.Equal(t, "WDJB-MJHT", d.UserCode)
	assert.Equal(t, p.srv.URL+"/idp/verify", d.VerificationURI)
	assert.Equal(t, p.srv.URL+"/idp/verify?user_code=WDJB-MJHT", d.VerificationURIComplete)
	assert.WithinDuration(t, time.Now().Add(600*time.Second), d.Expiry, 5*time.Second)
	assert.Equal(t, 50*time.Millisecond, d.Interval)

	start := time.Now()
	tok, err := d.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok.AccessToken)
	assert.Equal(t, "rt-1", tok.RefreshToken)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.WithinDuration(t, time.Now().Add(300*time.Second), tok.Expiry, 5*time.Second)
	assert.Equal(t, "idt-at-1", tok.Extra("id_token"))

	assert.Equal(t, 50*time.Millisecond+5*time.Second, d.Interval, "slow_down added 5 s")
	polls := p.pollTimes()
	require.Len(t, polls, 3)
	assert.GreaterOrEqual(t, polls[0].Sub(start), 50*time.Millisecond, "the first poll waits the interval")
	assert.Less(t, polls[1].Sub(polls[0]), 2*time.Second, "authorization_pending keeps the interval")
	assert.GreaterOrEqual(t, polls[2].Sub(polls[1]), 5*time.Second+50*time.Millisecond, "the poll after slow_down waits 5 s more")

	forms := p.requestForms()
	require.Len(t, forms, 4)
	assert.Equal(t, url.Values{"client_id": {arthur.DefaultDeviceClientID}, "scope": {"openid offline_access"}}, forms[0],
		"the device request names the client and the default scopes, no secret")
	assert.Equal(t, "openid offline_access", d.Scope)
	assert.Equal(t, "openid offline_access", tok.Extra("scope"))
	for _, f := range forms[1:] {
		assert.Equal(t, url.Values{"grant_type": {arthur.DeviceCodeGrantType}, "device_code": {deviceCode},
			"client_id": {arthur.DefaultDeviceClientID}}, f)
	}

	// The token calls the API.
	cfg := p.config(t)
	cfg.TokenSource = arthur.DeviceTokenSource(ctx, cfg, "", tok)
	me, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, adaID, me.ID)
}

func TestDeviceLoginDenied(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t, "pending", "denied")
	d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), arthur.DefaultDeviceClientID)
	require.NoError(t, err)
	tok, err := d.Wait(context.Background())
	assert.Nil(t, tok)
	require.ErrorIs(t, err, arthur.ErrDeviceLoginDenied)
	assert.NotErrorIs(t, err, arthur.ErrDeviceLoginExpired)
	ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "token")
	assert.Equal(t, "access_denied", ae.Code)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, p.srv.URL+deviceIDPTokenPath, ae.URL)
	assert.Len(t, p.pollTimes(), 2)
}

func TestDeviceLoginExpired(t *testing.T) {
	t.Parallel()
	t.Run("the server says so", func(t *testing.T) {
		t.Parallel()
		p := newDeviceIDP(t, "pending", "expired")
		d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
		require.NoError(t, err)
		_, err = d.Wait(context.Background())
		require.ErrorIs(t, err, arthur.ErrDeviceLoginExpired)
		ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "token")
		assert.Equal(t, "expired_token", ae.Code)
		assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	})
	t.Run("by the local clock", func(t *testing.T) {
		t.Parallel()
		p := newDeviceIDP(t, "pending")
		p.deviceAnswer["expires_in"] = 1
		p.deviceAnswer["interval"] = 0.3
		d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
		require.NoError(t, err)
		_, err = d.Wait(context.Background())
		done := time.Now()
		require.ErrorIs(t, err, arthur.ErrDeviceLoginExpired)
		ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "token")
		assert.Equal(t, "expired_token", ae.Code)
		assert.Zero(t, ae.StatusCode, "no answer: the client knew")
		assert.WithinDuration(t, d.Expiry, done, 250*time.Millisecond, "it stops at expiry")
		for _, poll := range p.pollTimes() {
			assert.True(t, poll.Before(d.Expiry), "no poll after expiry")
		}
	})
}

func TestDeviceLoginWaitHonoursContext(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t, "pending")
	d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err = d.Wait(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), time.Second, "returns as soon as the context ends")
	assert.NotEmpty(t, p.pollTimes(), "it was polling")

	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = d.Wait(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	_, err = arthur.StartDeviceLogin(ctx, p.config(t), "")
	require.ErrorIs(t, err, context.DeadlineExceeded, "an ended context starts nothing")
}

func TestDeviceLoginRetriesAnUnavailableTokenEndpoint(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t, "unavailable", "pending", "unavailable", "unavailable", "ok")
	d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
	require.NoError(t, err)
	tok, err := d.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok.AccessToken)

	p = newDeviceIDP(t, "unavailable")
	d, err = arthur.StartDeviceLogin(context.Background(), p.config(t), "")
	require.NoError(t, err)
	_, err = d.Wait(context.Background())
	ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "token")
	assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
	assert.Equal(t, "temporarily_unavailable", ae.Code)
	assert.Len(t, p.pollTimes(), 4, "three failures in a row are tried again, the fourth ends the wait")
}

func TestDeviceLoginStartFailures(t *testing.T) {
	t.Parallel()
	t.Run("no device endpoint in discovery", func(t *testing.T) {
		p := newDeviceIDP(t)
		p.discovery = map[string]any{"issuer": p.srv.URL + "/idp", "token_endpoint": p.srv.URL + deviceIDPTokenPath}
		_, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
		ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "discovery")
		assert.Equal(t, p.srv.URL+arthur.DiscoveryPath, ae.URL)
		assert.Contains(t, err.Error(), "device_authorization_endpoint")
		assert.Empty(t, p.requestForms(), "nothing was posted")
	})
	t.Run("no token endpoint in discovery", func(t *testing.T) {
		p := newDeviceIDP(t)
		p.discovery = map[string]any{"device_authorization_endpoint": p.srv.URL + deviceIDPDevicePath}
		_, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
		deviceAuthError(t, err, arthur.DeviceCodeGrantType, "discovery")
		assert.Contains(t, err.Error(), "token_endpoint")
	})
	t.Run("unknown client", func(t *testing.T) {
		p := newDeviceIDP(t)
		_, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "some-other-cli")
		ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "device")
		assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
		assert.Equal(t, "invalid_client", ae.Code)
		assert.ErrorIs(t, err, arthur.ErrUnauthorized)
		assert.Equal(t, []url.Values{{"client_id": {"some-other-cli"}, "scope": {"openid offline_access"}}}, p.requestForms())
	})
	t.Run("an answer without a user code", func(t *testing.T) {
		p := newDeviceIDP(t)
		delete(p.deviceAnswer, "user_code")
		_, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
		ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, "device")
		assert.Equal(t, http.StatusOK, ae.StatusCode)
	})
	t.Run("no interval: 5 s", func(t *testing.T) {
		p := newDeviceIDP(t)
		delete(p.deviceAnswer, "interval")
		p.deviceAnswer["verification_url"] = p.deviceAnswer["verification_uri"]
		delete(p.deviceAnswer, "verification_uri")
		d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
		require.NoError(t, err)
		assert.Equal(t, 5*time.Second, d.Interval)
		assert.Equal(t, p.srv.URL+"/idp/verify", d.VerificationURI, "the older verification_url spelling")
	})
}

// plainRoundTripper answers for hosts that do not exist, recording every
// request: for the plain-http rule, which concerns hosts that are not
// loopback.
type plainRoundTripper struct {
	mu   sync.Mutex
	urls []string
	doc  string
}

func (rt *plainRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.urls = append(rt.urls, req.URL.String())
	rt.mu.Unlock()
	body := `{"error":"invalid_client"}`
	status := http.StatusUnauthorized
	if req.URL.Path == arthur.DiscoveryPath {
		body, status = rt.doc, http.StatusOK
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func (rt *plainRoundTripper) sent() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.urls...)
}

// TestDeviceLoginRefusesPlainHTTP: over plain http to a host that is not
// loopback, the codes and tokens of a person would be open to anyone on
// the path: nothing is sent unless AllowInsecureHTTP says so.
func TestDeviceLoginRefusesPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, host, token, device, step string
	}{
		{"plain host", "http://arthur.example", "https://idp.example/token", "https://idp.example/device", "discovery"},
		{"plain device endpoint", "https://arthur.example", "https://idp.example/token", "http://idp.example/device", "device"},
		{"plain token endpoint", "https://arthur.example", "http://idp.example/token", "https://idp.example/device", "token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := &plainRoundTripper{doc: fmt.Sprintf(`{"token_endpoint":%q,"device_authorization_endpoint":%q}`, tc.token, tc.device)}
			cfg := arthur.NewConfiguration()
			cfg.Host = tc.host
			cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, rt).Outside(arthur.DiscoveryPath, "/token", "/device")}
			_, err := arthur.StartDeviceLogin(context.Background(), cfg, "")
			ae := deviceAuthError(t, err, arthur.DeviceCodeGrantType, tc.step)
			assert.Contains(t, ae.Error(), "refusing to sign in over plain http://")
			for _, u := range rt.sent() {
				assert.Contains(t, u, arthur.DiscoveryPath, "at most the discovery document was fetched")
			}

			if tc.step != "device" {
				_, err = arthur.DeviceTokenSource(context.Background(), cfg, "", &oauth2.Token{RefreshToken: "rt-x"}).Token()
				deviceAuthError(t, err, "refresh_token", tc.step)
				assert.Contains(t, err.Error(), "refusing to sign in over plain http://", "nor is a refresh token sent")
				for _, u := range rt.sent() {
					assert.Contains(t, u, arthur.DiscoveryPath)
				}
			}

			cfg.AllowInsecureHTTP = true
			_, err = arthur.StartDeviceLogin(context.Background(), cfg, "")
			ae = deviceAuthError(t, err, arthur.DeviceCodeGrantType, "device")
			assert.Equal(t, "invalid_client", ae.Code, "with AllowInsecureHTTP the request is sent")
			assert.Contains(t, rt.sent(), tc.device)
		})
	}
}

// TestDeviceTokenSourceRefreshes: a token due for renewal (30 s before it
// expires) is renewed with the refresh token; the new one is cached and
// its refresh token used next; a refused refresh token is ErrUnauthorized.
func TestDeviceTokenSourceRefreshes(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t)
	first := p.issue() // at-1, rt-1
	ctx := context.Background()
	cfg := p.config(t)

	fresh := &oauth2.Token{AccessToken: first["access_token"].(string), RefreshToken: "rt-1", Expiry: time.Now().Add(time.Minute)}
	src := arthur.DeviceTokenSource(ctx, cfg, "", fresh)
	tok, err := src.Token()
	require.NoError(t, err)
	assert.Equal(t, "at-1", tok.AccessToken, "a token with more than 30 s left is used as it is")
	assert.Empty(t, p.requestForms())

	due := &oauth2.Token{AccessToken: "at-1", RefreshToken: "rt-1", Expiry: time.Now().Add(20 * time.Second), ExpiresIn: 300}
	cfg.TokenSource = arthur.DeviceTokenSource(ctx, cfg, "", due)
	client := arthur.NewAPIClient(cfg)
	for range 3 {
		me, err := client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
		assert.Equal(t, adaID, me.ID)
	}
	forms := p.requestForms()
	require.Len(t, forms, 1, "renewed once, then cached")
	assert.Equal(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt-1"}, "client_id": {arthur.DefaultDeviceClientID}}, forms[0])

	// An expired token, renewed; its renewal, a token of 20 s, serves
	// until halfway through its life, not only until 30 s before it ends.
	p.mu.Lock()
	p.expiresIn = 20
	p.mu.Unlock()
	src = arthur.DeviceTokenSource(ctx, cfg, "", &oauth2.Token{AccessToken: "at-1", RefreshToken: "rt-1", Expiry: time.Now().Add(-time.Hour)})
	tok, err = src.Token()
	require.NoError(t, err)
	assert.Equal(t, "at-3", tok.AccessToken)
	assert.Equal(t, "rt-3", tok.RefreshToken)
	tok, err = src.Token()
	require.NoError(t, err)
	assert.Equal(t, "at-3", tok.AccessToken, "a 20 s token is not renewed on every call")
	forms = p.requestForms()
	require.Len(t, forms, 2)
	assert.Equal(t, "rt-1", forms[1].Get("refresh_token"))

	// The sign-in has ended.
	p.mu.Lock()
	clear(p.refreshOK)
	p.mu.Unlock()
	src = arthur.DeviceTokenSource(ctx, cfg, "", &oauth2.Token{AccessToken: "at-4", RefreshToken: "rt-4", Expiry: time.Now().Add(-time.Second)})
	_, err = src.Token()
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	ae := deviceAuthError(t, err, "refresh_token", "token")
	assert.Equal(t, "invalid_grant", ae.Code)
	assert.NotContains(t, err.Error(), "rt-4", "the refresh token is never in an error")

	// Nothing to renew with.
	_, err = arthur.DeviceTokenSource(ctx, cfg, "", &oauth2.Token{AccessToken: "at-3", Expiry: time.Now().Add(-time.Second)}).Token()
	deviceAuthError(t, err, "refresh_token", "token")
	assert.Contains(t, err.Error(), "sign in again")

	_, err = arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(ctx)
	require.NoError(t, err, "the client's own source is still good")
}

// The SDK's device flow against the fake: a person approves, the token
// calls the API as them, and it is renewed when it expires; a denial; a
// code that expires; an unknown client. Each case has a server of its own,
// since they move its clock.
func TestDeviceLoginAgainstTheFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	setup := func(t *testing.T) (*arthurtest.Server, arthur.User, *arthur.Configuration) {
		srv := arthurtest.NewServer(t)
		ada := srv.AddUser(arthur.User{FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: arthur.Ptr("ada@example.com")})
		return srv, ada, fakeDeviceConfig(t, srv)
	}

	t.Run("approved", func(t *testing.T) {
		t.Parallel()
		srv, ada, cfg := setup(t)
		d, err := arthur.StartDeviceLogin(ctx, cfg, "")
		require.NoError(t, err)
		assert.Equal(t, time.Second, d.Interval)
		assert.Regexp(t, `^[B-Z]{4}-[B-Z]{4}$`, d.UserCode)
		assert.Equal(t, d.VerificationURI+"?user_code="+d.UserCode, d.VerificationURIComplete)
		require.NoError(t, srv.ApproveDevice(d.UserCode, ada.ID))
		tok, err := d.Wait(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, tok.RefreshToken)

		// The saved token has expired on the server, and locally.
		srv.Advance(arthurtest.DefaultTokenTTL + time.Second)
		tok.Expiry = time.Now().Add(-time.Second)
		srv.ResetRequests()
		cfg.TokenSource = arthur.DeviceTokenSource(ctx, cfg, "", tok)
		me, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
		assert.Equal(t, ada.ID, me.ID)
		var ops []string
		for _, r := range srv.Requests() {
			ops = append(ops, r.Operation)
		}
		assert.Equal(t, []string{arthurtest.OpOpenIDConfiguration, arthurtest.OpToken, arthurtest.OpGetUsersMe}, ops,
			"discovery, a refresh, the call")
	})
	t.Run("a token the server refuses early is renewed once", func(t *testing.T) {
		t.Parallel()
		srv, ada, cfg := setup(t)
		d, err := arthur.StartDeviceLogin(ctx, cfg, "")
		require.NoError(t, err)
		require.NoError(t, srv.ApproveDevice(d.UserCode, ada.ID))
		tok, err := d.Wait(ctx)
		require.NoError(t, err)
		cfg.TokenSource = arthur.DeviceTokenSource(ctx, cfg, "", tok)
		client := arthur.NewAPIClient(cfg)
		_, err = client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)

		// On the server's clock the access token has expired; on the SDK's
		// it is still fresh, so only the 401 can tell it to renew.
		srv.Advance(arthurtest.DefaultTokenTTL + time.Second)
		srv.ResetRequests()
		me, err := client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
		assert.Equal(t, ada.ID, me.ID)
		var ops []string
		for _, r := range srv.Requests() {
			ops = append(ops, r.Operation)
		}
		assert.Equal(t, []string{arthurtest.OpGetUsersMe, arthurtest.OpOpenIDConfiguration, arthurtest.OpToken, arthurtest.OpGetUsersMe}, ops,
			"the refused call, discovery and a refresh, the call again")
	})
	t.Run("denied", func(t *testing.T) {
		t.Parallel()
		srv, _, cfg := setup(t)
		d, err := arthur.StartDeviceLogin(ctx, cfg, "")
		require.NoError(t, err)
		require.NoError(t, srv.DenyDevice(strings.ToLower(d.UserCode)))
		_, err = d.Wait(ctx)
		require.ErrorIs(t, err, arthur.ErrDeviceLoginDenied)
	})
	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		srv, ada, cfg := setup(t)
		d, err := arthur.StartDeviceLogin(ctx, cfg, "")
		require.NoError(t, err)
		srv.Advance(arthurtest.DeviceCodeTTL)
		_, err = d.Wait(ctx)
		require.ErrorIs(t, err, arthur.ErrDeviceLoginExpired, "the server's clock says so; the SDK's does not")
		assert.Error(t, srv.ApproveDevice(d.UserCode, ada.ID), "too late to approve")
	})
	t.Run("an unknown client", func(t *testing.T) {
		t.Parallel()
		_, _, cfg := setup(t)
		_, err := arthur.StartDeviceLogin(ctx, cfg, "not-a-client")
		require.ErrorIs(t, err, arthur.ErrUnauthorized)
	})
}

// fakeDeviceConfig is a Configuration for srv with no token, whose every
// request outside the identity provider is checked against the contract.
func fakeDeviceConfig(t *testing.T, srv *arthurtest.Server) *arthur.Configuration {
	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, nil).Outside(arthur.DiscoveryPath,
		strings.TrimPrefix(srv.TokenURL(), srv.URL), strings.TrimPrefix(srv.DeviceAuthorizationURL(), srv.URL))}
	return cfg
}

// TestDeviceLoginPollsOnceMoreBeforeExpiry: when the next interval would
// end after the codes expire, Wait polls once more a little before they
// do, so that a person who approves in that last interval is signed in;
// and it still sends no poll after expiry.
func TestDeviceLoginPollsOnceMoreBeforeExpiry(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t, "pending", "pending", "pending", "ok") // approved after the third poll
	p.deviceAnswer["expires_in"] = 1
	p.deviceAnswer["interval"] = 0.3 // polls at 0.3, 0.6 and 0.9 s, the last one before 1 s
	d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
	require.NoError(t, err)
	tok, err := d.Wait(context.Background())
	require.NoError(t, err, "the approval in the last interval is not lost")
	assert.Equal(t, "at-1", tok.AccessToken)
	polls := p.pollTimes()
	require.Len(t, polls, 4)
	assert.True(t, polls[3].Before(d.Expiry), "the last poll goes before expiry")
	assert.Greater(t, polls[3].Sub(polls[2]), time.Duration(0))
}

// TestDeviceLoginScopes: a device login asks for openid and offline_access
// unless Configuration.Scopes says otherwise; against an identity provider
// that, like Dex, gives a refresh token only for offline_access, that is
// what brings one.
func TestDeviceLoginScopes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		scopes      []string
		sent        url.Values
		wantRefresh bool
	}{
		{"default", nil, url.Values{"client_id": {arthur.DefaultDeviceClientID}, "scope": {"openid offline_access"}}, true},
		{"openid alone", []string{"openid"}, url.Values{"client_id": {arthur.DefaultDeviceClientID}, "scope": {"openid"}}, false},
		{"none", []string{}, url.Values{"client_id": {arthur.DefaultDeviceClientID}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newDeviceIDP(t, "ok")
			p.dex = true
			cfg := p.config(t)
			cfg.Scopes = tc.scopes
			d, err := arthur.StartDeviceLogin(context.Background(), cfg, "")
			require.NoError(t, err)
			tok, err := d.Wait(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.sent, p.requestForms()[0])
			assert.Equal(t, tc.wantRefresh, tok.RefreshToken != "", "a refresh token only for offline_access")
		})
	}
}

// TestDeviceLoginWithoutOfflineAccess: an identity provider that refuses
// the offline_access scope (invalid_scope) is asked once more without it,
// and the DeviceAuthorization says what was asked for.
func TestDeviceLoginWithoutOfflineAccess(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t, "ok")
	p.noOfflineAccess = true
	d, err := arthur.StartDeviceLogin(context.Background(), p.config(t), "")
	require.NoError(t, err)
	assert.Equal(t, "openid", d.Scope)
	forms := p.requestForms()
	require.Len(t, forms, 2, "one request with offline_access, one without")
	assert.Equal(t, "openid offline_access", forms[0].Get("scope"))
	assert.Equal(t, "openid", forms[1].Get("scope"))
	tok, err := d.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "openid", tok.Extra("scope"))
}

// TestDeviceTokenSourceRenewsHalfwayThroughAShortLife: a token that lives
// under a minute is renewed halfway through its life, not 30 s before it
// expires, which would be on every call.
func TestDeviceTokenSourceRenewsHalfwayThroughAShortLife(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t)
	p.expiresIn = 2
	first := p.issue()
	ctx := context.Background()
	cfg := p.config(t)
	cfg.TokenSource = arthur.DeviceTokenSource(ctx, cfg, "", &oauth2.Token{AccessToken: first["access_token"].(string),
		RefreshToken: first["refresh_token"].(string), Expiry: time.Now().Add(2 * time.Second), ExpiresIn: 2})
	client := arthur.NewAPIClient(cfg)
	for range 3 {
		_, err := client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
	}
	assert.Empty(t, p.requestForms(), "a 2 s token serves its first second")
	time.Sleep(1100 * time.Millisecond)
	for range 3 {
		_, err := client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
	}
	assert.Len(t, p.requestForms(), 1, "renewed once, halfway through its life")
}

// TestDeviceTokenSourceRotatedRefreshTokenMeansSignInAgain: Dex answers a
// refresh token already used with 400 invalid_request; like Keycloak's
// invalid_grant, it means the sign-in has ended.
func TestDeviceTokenSourceRotatedRefreshTokenMeansSignInAgain(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t)
	p.dex, p.scope = true, "openid offline_access"
	first := p.issue()
	ctx := context.Background()
	cfg := p.config(t)
	start := &oauth2.Token{AccessToken: first["access_token"].(string), RefreshToken: first["refresh_token"].(string),
		Expiry: time.Now().Add(-time.Second)}
	_, err := arthur.DeviceTokenSource(ctx, cfg, "", start).Token()
	require.NoError(t, err, "the first use of the refresh token")

	// A second source holding the same, now rotated, refresh token.
	cfg.TokenSource = arthur.DeviceTokenSource(ctx, cfg, "", start)
	_, err = arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	ae := deviceAuthError(t, err, "refresh_token", "token")
	assert.Equal(t, "invalid_request", ae.Code)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.NotContains(t, err.Error(), start.RefreshToken)

	// A token with no refresh token to renew it ends the sign-in too.
	_, err = arthur.DeviceTokenSource(ctx, cfg, "", &oauth2.Token{AccessToken: "at-x", Expiry: time.Now().Add(-time.Second)}).Token()
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	assert.Contains(t, err.Error(), "sign in again")
}

// TestDeviceTokenSourceRenewsWithTheCallsContext: the client renews a
// person's token with the call's context: a renewal works though the
// context the source was made with has ended, and the call's deadline
// bounds a renewal that hangs.
func TestDeviceTokenSourceRenewsWithTheCallsContext(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t)
	first := p.issue()
	expired := func() *oauth2.Token {
		return &oauth2.Token{AccessToken: first["access_token"].(string), RefreshToken: first["refresh_token"].(string),
			Expiry: time.Now().Add(-time.Second)}
	}
	built, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := p.config(t)
	cfg.TokenSource = arthur.DeviceTokenSource(built, cfg, "", expired())
	me, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err, "the source's own context has ended; the call's has not")
	assert.Equal(t, adaID, me.ID)
	_, err = cfg.TokenSource.Token()
	assert.NoError(t, err, "the renewed token is cached")

	p.refreshDelay = 3 * time.Second
	cfg.TokenSource = arthur.DeviceTokenSource(context.Background(), cfg, "", expired())
	ctx, cancelCall := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancelCall()
	begun := time.Now()
	_, err = arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(begun), 2*time.Second, "the call's deadline ends the renewal")
}
