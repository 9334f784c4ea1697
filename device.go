package arthur

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultDeviceClientID is the OAuth2 client ID with which people sign in
// to Arthur from a command line: a public client (it has no secret) that
// uses the device flow.
const DefaultDeviceClientID = "scope-cli-client"

// DeviceCodeGrantType is the grant_type of the OAuth2 device flow
// (RFC 8628), and AuthError.Grant for its failures.
const DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// Sentinels of a device login that ended without a token. The
// *AuthError that DeviceAuthorization.Wait returns matches them with
// errors.Is.
var (
	// ErrDeviceLoginDenied: the person refused the sign-in
	// (access_denied).
	ErrDeviceLoginDenied = errors.New("arthur: the sign-in was denied")
	// ErrDeviceLoginExpired: the code expired before anyone approved it
	// (expired_token).
	ErrDeviceLoginExpired = errors.New("arthur: the sign-in code expired before it was approved")
)

const (
	// defaultDeviceInterval is the wait between polls when the server
	// names none, as RFC 8628 section 3.2 asks.
	defaultDeviceInterval = 5 * time.Second
	// slowDownStep is what a slow_down answer adds to the wait between
	// polls, for that poll and every later one (RFC 8628 section 3.5).
	slowDownStep = 5 * time.Second
	// maxPollFailures is how many polls in a row may fail in a way that
	// may pass (no answer, a 429 or 5xx) before Wait gives up.
	maxPollFailures = 3
	// grantRefreshToken is the grant_type that renews a token.
	grantRefreshToken = "refresh_token"
	// lastPollLead is how long before Expiry the last poll goes, at most,
	// when the next interval would end after it: time for the poll to
	// reach the server before the codes expire there.
	lastPollLead = time.Second
	// scopeOfflineAccess is the scope that asks for a refresh token from
	// identity providers that give one only then, such as Dex.
	scopeOfflineAccess = "offline_access"
)

// defaultDeviceScopes are the scopes a device login asks for when
// Configuration.Scopes is nil.
var defaultDeviceScopes = []string{"openid", scopeOfflineAccess}

// errNoRefreshToken is the Err of a renewal that has no refresh token to
// renew with.
var errNoRefreshToken = errors.New("the token has expired and there is no refresh token to renew it: sign in again")

// DeviceAuthorization is a device login waiting for a person to approve it:
// show them VerificationURI and UserCode (or VerificationURIComplete, which
// carries the code), then call Wait. Make one with StartDeviceLogin. It
// holds the device code, which neither fmt nor log/slog prints.
type DeviceAuthorization struct {
	// UserCode is the code the person types at VerificationURI, such as
	// "WDJB-MJHT".
	UserCode string
	// VerificationURI is the page where the person signs in and types
	// UserCode.
	VerificationURI string
	// VerificationURIComplete is VerificationURI with the code already in
	// it, for a link or a QR code; empty when the server sent none.
	VerificationURIComplete string
	// Expiry is when the codes expire, by the local clock (from the
	// answer's expires_in); zero when the server named no lifetime.
	Expiry time.Time
	// Interval is the wait between two polls of the token endpoint: the
	// server's interval, or 5 s when it sent none. Wait adds 5 s to it
	// each time the server answers slow_down; read it after Wait returns.
	Interval time.Duration
	// Scope is the scope the login asked for, as OAuth2 writes it (the
	// scopes joined by spaces): Configuration.Scopes, or
	// "openid offline_access" when that is nil; without "offline_access"
	// when the server refused that scope (invalid_scope). The token's
	// Extra("scope") says what the server granted.
	Scope string

	flow *deviceFlow
}

// Format prints the DeviceAuthorization without its device code, for
// every verb.
func (d DeviceAuthorization) Format(f fmt.State, verb rune) {
	_, _ = fmt.Fprintf(f, "arthur.DeviceAuthorization{UserCode: %q, VerificationURI: %q, VerificationURIComplete: %q, Expiry: %s, Interval: %s, Scope: %q}",
		d.UserCode, d.VerificationURI, d.VerificationURIComplete, d.Expiry.Format(time.RFC3339), d.Interval, d.Scope)
}

// LogValue logs the DeviceAuthorization without its device code.
func (d DeviceAuthorization) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("user_code", d.UserCode),
		slog.String("verification_uri", d.VerificationURI),
		slog.String("verification_uri_complete", d.VerificationURIComplete),
		slog.Time("expiry", d.Expiry),
		slog.Duration("interval", d.Interval),
		slog.String("scope", d.Scope),
	)
}

// deviceFlow is what Wait needs and must not print.
type deviceFlow struct {
	oc         *oidcClient
	tokenURL   string
	deviceCode Secret
}

// Format prints the flow's token endpoint and client, and nothing of its
// device code, for every verb.
func (f deviceFlow) Format(s fmt.State, verb rune) {
	_, _ = fmt.Fprintf(s, "arthur.deviceFlow{ClientID: %q, TokenURL: %q, DeviceCode: %s}", f.oc.id(), f.tokenURL, redacted)
}

// LogValue logs the flow's token endpoint, and nothing of its device code.
func (f deviceFlow) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token_url", f.tokenURL), slog.String("device_code", redacted))
}

// oidcClient talks to the identity provider that Host's OIDC discovery
// document names, as one public client.
type oidcClient struct {
	clientID      string
	discoveryURL  string
	hc            *http.Client
	allowInsecure bool
	scopes        []string // of a device login
}

// id is the client ID, empty for a nil client (a token source made with
// unusable arguments).
func (oc *oidcClient) id() string {
	if oc == nil {
		return ""
	}
	return oc.clientID
}

func newOIDCClient(cfg *Configuration, clientID string) (*oidcClient, error) {
	if cfg == nil {
		cfg = NewConfiguration()
	}
	base, err := parseHost(cfg.Host)
	if err != nil {
		return nil, fmt.Errorf("arthur: Configuration.Host: %w", err)
	}
	hc := guardRedirects(cfg.HTTPClient, originOf(base))
	clientID = strings.TrimSpace(clientID)
	if clientID == "" {
		clientID = DefaultDeviceClientID
	}
	scopes := slices.Clone(defaultDeviceScopes)
	if cfg.Scopes != nil {
		scopes = slices.Clone(cfg.Scopes)
	}
	return &oidcClient{clientID: clientID, discoveryURL: base + DiscoveryPath, hc: hc, allowInsecure: cfg.AllowInsecureHTTP,
		scopes: scopes}, nil
}

// plainHTTP is the refusal to sign in over plain http: an error of the
// Configuration, since AllowInsecureHTTP would let it through.
func plainHTTP() error {
	return configErrorf("refusing to sign in over plain http:// to a host that is not loopback: " +
		"use https://, or set Configuration.AllowInsecureHTTP on a network you trust")
}

// endpoints reads the discovery document. The document decides where the
// person's codes and tokens go, so over plain http to a host that is not
// loopback it is not even fetched, and neither endpoint may be plain http
// to such a host.
func (oc *oidcClient) endpoints(ctx context.Context, grant string) (oidcEndpoints, error) {
	if insecureURL(oc.discoveryURL) && !oc.allowInsecure {
		return oidcEndpoints{}, &AuthError{Grant: grant, Step: "discovery", URL: oc.discoveryURL, Err: plainHTTP()}
	}
	ep, err := discover(ctx, oc.hc, oc.discoveryURL, grant)
	if err != nil {
		return oidcEndpoints{}, err
	}
	if insecureURL(ep.token) && !oc.allowInsecure {
		return oidcEndpoints{}, &AuthError{Grant: grant, Step: "token", URL: ep.token, Err: plainHTTP()}
	}
	return ep, nil
}

// StartDeviceLogin begins signing a person in with the OAuth2 device flow
// (RFC 8628). It reads the endpoints from the OIDC discovery document at
// cfg.Host + DiscoveryPath, asks the device authorization endpoint for a
// code for clientID (DefaultDeviceClientID when empty), and returns what to
// show the person. Call Wait on the result for the token.
//
// It asks for cfg.Scopes, or for "openid offline_access" when that is nil:
// some identity providers (Dex) give a refresh token only for
// offline_access. When the server refuses the scopes (invalid_scope) and
// they include offline_access, it asks once more without it; the result's
// Scope says what was asked for.
//
// It uses cfg's Host, HTTPClient, AllowInsecureHTTP and Scopes, and nothing
// else: neither tokens nor client credentials, nor TokenURL. Over plain
// http:// to a host that is not loopback it sends nothing, unless
// AllowInsecureHTTP is set, and the error also matches
// ErrInvalidConfiguration. A failure is an *AuthError with Grant
// DeviceCodeGrantType and Step "discovery" (no usable discovery document,
// or one without a device_authorization_endpoint) or "device" (the
// endpoint refused, such as an unknown client: errors.Is(err,
// ErrUnauthorized)); when ctx ends first, the error wraps ctx's.
func StartDeviceLogin(ctx context.Context, cfg *Configuration, clientID string) (*DeviceAuthorization, error) {
	if ctx == nil {
		return nil, argError("StartDeviceLogin", "ctx", "must not be nil")
	}
	oc, err := newOIDCClient(cfg, clientID)
	if err != nil {
		return nil, err
	}
	ep, err := oc.endpoints(ctx, DeviceCodeGrantType)
	if err != nil {
		return nil, deviceCtxError(ctx, err)
	}
	if ep.device == "" {
		return nil, &AuthError{Grant: DeviceCodeGrantType, Step: "discovery", URL: oc.discoveryURL, StatusCode: http.StatusOK,
			Err: errors.New("no usable device_authorization_endpoint in the discovery document: the server does not offer the device flow")}
	}
	if insecureURL(ep.device) && !oc.allowInsecure {
		return nil, &AuthError{Grant: DeviceCodeGrantType, Step: "device", URL: ep.device, Err: plainHTTP()}
	}
	fail := func(status int, code string, err error) error {
		return &AuthError{Grant: DeviceCodeGrantType, Step: "device", URL: ep.device, StatusCode: status, Code: code, Err: err}
	}
	scopes := oc.scopes
	status, body, err := askDeviceCode(ctx, oc, ep.device, scopes)
	if err == nil && status == http.StatusBadRequest && oauthErrorCode(body) == "invalid_scope" && slices.Contains(scopes, scopeOfflineAccess) {
		scopes = slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return s == scopeOfflineAccess })
		status, body, err = askDeviceCode(ctx, oc, ep.device, scopes)
	}
	if err != nil {
		return nil, deviceCtxError(ctx, fail(0, "", err))
	}
	var ans struct {
		DeviceCode              string   `json:"device_code"`
		UserCode                string   `json:"user_code"`
		VerificationURI         string   `json:"verification_uri"`
		VerificationURL         string   `json:"verification_url"` // an older spelling, still in use
		VerificationURIComplete string   `json:"verification_uri_complete"`
		ExpiresIn               seconds  `json:"expires_in"`
		Interval                *seconds `json:"interval"`
		oauthError
	}
	decodeErr := json.Unmarshal(body, &ans)
	if status < 200 || status > 299 || ans.Error != "" {
		code, desc := "", ""
		if decodeErr == nil {
			code, desc = ans.Error, ans.ErrorDescription
		}
		return nil, fail(status, code, describeRefusal(desc, "the device authorization endpoint refused the request"))
	}
	if decodeErr != nil {
		return nil, fail(status, "", fmt.Errorf("the answer is not JSON: %w", decodeErr))
	}
	if ans.VerificationURI == "" {
		ans.VerificationURI = ans.VerificationURL
	}
	if ans.DeviceCode == "" || ans.UserCode == "" || ans.VerificationURI == "" {
		return nil, fail(status, "", errors.New("the answer lacks a device_code, user_code or verification_uri"))
	}
	d := &DeviceAuthorization{
		UserCode:                ans.UserCode,
		VerificationURI:         ans.VerificationURI,
		VerificationURIComplete: ans.VerificationURIComplete,
		Interval:                defaultDeviceInterval,
		Scope:                   strings.Join(scopes, " "),
		flow:                    &deviceFlow{oc: oc, tokenURL: ep.token, deviceCode: Secret(ans.DeviceCode)},
	}
	if ans.ExpiresIn > 0 {
		d.Expiry = time.Now().Add(ans.ExpiresIn.duration())
	}
	if ans.Interval != nil && *ans.Interval > 0 {
		d.Interval = ans.Interval.duration()
	}
	return d, nil
}

// askDeviceCode posts the device authorization request for scopes.
func askDeviceCode(ctx context.Context, oc *oidcClient, deviceURL string, scopes []string) (int, []byte, error) {
	form := url.Values{"client_id": {oc.clientID}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	return postForm(ctx, oc.hc, deviceURL, form)
}

// oauthErrorCode is the OAuth2 error code of an answer, or "".
func oauthErrorCode(body []byte) string {
	var e oauthError
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error
}

// Wait polls the token endpoint until the person approves the sign-in, and
// returns the token: an access token with its expiry and, when the server
// grants one, a refresh token for DeviceTokenSource. The token's Extra
// holds the rest of the answer (such as "id_token" or "scope").
//
// It waits Interval before each poll. An authorization_pending answer means
// the person has not finished: it polls again. A slow_down answer adds 5 s
// to Interval, for that poll and every later one. A poll that got no
// answer, or a 429 or 5xx, is tried again at the next interval, up to three
// times in a row.
//
// When the next interval would end after Expiry, the last poll goes a
// little before Expiry instead, so that an approval in that last interval
// still gets its token; no poll is sent after Expiry on the local clock.
//
// It returns an *AuthError with Grant DeviceCodeGrantType and Step "token"
// when the sign-in ends without a token: denied (Code "access_denied",
// errors.Is(err, ErrDeviceLoginDenied)), expired (Code "expired_token",
// errors.Is(err, ErrDeviceLoginExpired); also when the last poll before
// Expiry found the sign-in still pending), or refused for another reason.
// When ctx ends first it returns an error that wraps ctx's. Call Wait once
// at a time: it updates Interval.
func (d *DeviceAuthorization) Wait(ctx context.Context) (*oauth2.Token, error) {
	if ctx == nil {
		return nil, argError("DeviceAuthorization.Wait", "ctx", "must not be nil")
	}
	if d == nil || d.flow == nil {
		return nil, argError("DeviceAuthorization.Wait", "d", "must come from StartDeviceLogin")
	}
	f := d.flow
	expired := func() error {
		return &AuthError{Grant: DeviceCodeGrantType, Step: "token", URL: f.tokenURL, Code: "expired_token",
			Err: errors.New("the code expired before the sign-in was approved")}
	}
	failures := 0
	for {
		wait, last := d.Interval, false
		if !d.Expiry.IsZero() {
			left := time.Until(d.Expiry)
			if left <= 0 {
				return nil, expired()
			}
			if left <= wait {
				wait, last = left-min(lastPollLead, left/2), true
			}
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("arthur: device login: waiting for approval: %w", err)
		}
		tok, ae, transient := f.poll(ctx)
		pending := ae != nil && (ae.Code == "authorization_pending" || ae.Code == "slow_down")
		switch {
		case tok != nil:
			return tok, nil
		case ctx.Err() != nil:
			return nil, fmt.Errorf("arthur: device login: waiting for approval: %w", ctx.Err())
		case last && (pending || transient):
			return nil, expired()
		case ae.Code == "authorization_pending":
			failures = 0
		case ae.Code == "slow_down":
			failures = 0
			d.Interval = nextInterval(d.Interval, ae.Code)
		case transient && failures < maxPollFailures:
			failures++
		default:
			return nil, ae
		}
	}
}

// nextInterval is the wait between polls after an answer with OAuth2 error
// code: 5 s more after slow_down, as RFC 8628 asks, else the same.
func nextInterval(cur time.Duration, code string) time.Duration {
	if code == "slow_down" {
		return cur + slowDownStep
	}
	return cur
}

// poll asks the token endpoint once. It returns the token, or the refusal
// and whether it may pass on another try (no answer, a 429 or a 5xx).
func (f *deviceFlow) poll(ctx context.Context) (*oauth2.Token, *AuthError, bool) {
	form := url.Values{
		"grant_type":  {DeviceCodeGrantType},
		"device_code": {f.deviceCode.Reveal()},
		"client_id":   {f.oc.clientID},
	}
	status, body, err := postForm(ctx, f.oc.hc, f.tokenURL, form)
	if err != nil {
		return nil, &AuthError{Grant: DeviceCodeGrantType, Step: "token", URL: f.tokenURL, Err: err}, true
	}
	tok, code, desc, err := readTokenAnswer(status, body)
	if err == nil {
		return tok, nil, false
	}
	code, desc = redactText(code, f.deviceCode.Reveal()), redactText(desc, f.deviceCode.Reveal())
	ae := &AuthError{Grant: DeviceCodeGrantType, Step: "token", URL: f.tokenURL, StatusCode: status, Code: code,
		Err: redactError(err, f.deviceCode.Reveal())}
	switch code {
	case "access_denied":
		ae.Err = describeRefusal(desc, "the sign-in was denied")
	case "expired_token":
		ae.Err = describeRefusal(desc, "the code expired before the sign-in was approved")
	}
	transient := status == http.StatusTooManyRequests || status >= 500 || code == "temporarily_unavailable"
	return nil, ae, transient
}

// DeviceTokenSource returns a token source that starts from tok, a token
// from DeviceAuthorization.Wait (or one saved from it), and renews it with
// its refresh token 30 s before it expires, as Arthur's Python client does,
// or halfway through a life shorter than a minute. Set it as
// Configuration.TokenSource. It caches the token, and is safe for
// concurrent use.
//
// clientID is the client the token was issued to (DefaultDeviceClientID
// when empty). The token endpoint comes from the OIDC discovery document at
// cfg.Host + DiscoveryPath, read at the first renewal; cfg's HTTPClient and
// AllowInsecureHTTP apply as in StartDeviceLogin.
//
// An APIClient renews the token with the context of the call that needs
// it: the call's deadline bounds the renewal, and the call's cancellation
// stops it. ctx is for the other callers of Token, which has no context
// of its own (an oauth2.Transport, say): their renewals fail once it ends.
//
// Each renewal returns a token with a new access token and the refresh
// token to use next, which the source keeps; a program that saves the
// token should save each new one. A failed renewal is an *AuthError with
// Grant "refresh_token". When the sign-in has ended, errors.Is(err,
// ErrUnauthorized) holds and the person must sign in again: the server
// refused the refresh token (Code "invalid_grant", or a 400
// "invalid_request", Dex's answer to a refresh token already used), or
// there is none.
func DeviceTokenSource(ctx context.Context, cfg *Configuration, clientID string, tok *oauth2.Token) oauth2.TokenSource {
	s := &deviceTokenSource{ctx: ctx, now: time.Now, lock: make(tokenLock, 1)}
	if ctx == nil {
		s.err = argError("DeviceTokenSource", "ctx", "must not be nil")
	} else {
		s.oc, s.err = newOIDCClient(cfg, clientID)
	}
	if tok != nil {
		s.refresh = Secret(tok.RefreshToken)
		if tok.AccessToken != "" {
			t := *tok
			s.setToken(&t)
		}
	}
	return s
}

// deviceTokenSource caches a person's token until it is due, and renews it
// with its refresh token. One caller at a time renews; the others wait for
// its token or for their own context to end. It is only ever used through
// a pointer, which prints without its tokens.
type deviceTokenSource struct {
	ctx context.Context // for Token, which has no context of its own
	oc  *oidcClient
	err error // why the arguments are unusable
	now func() time.Time

	lock     tokenLock // held while renewing
	tokenURL string
	refresh  Secret
	tok      *oauth2.Token // nil until there is one
	renewAt  time.Time
}

// Format prints the source's client, and nothing of its tokens, for every
// verb.
func (s *deviceTokenSource) Format(f fmt.State, verb rune) {
	_, _ = fmt.Fprintf(f, "arthur.DeviceTokenSource{ClientID: %q, Token: %s}", s.oc.id(), redacted)
}

// LogValue logs the source's client, and nothing of its tokens.
func (s *deviceTokenSource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", s.oc.id()), slog.String("token", redacted))
}

// Token returns the cached token, renewed with the source's context when
// it is due.
func (s *deviceTokenSource) Token() (*oauth2.Token, error) {
	return s.tokenContext(s.ctx, "")
}

// tokenContext returns the cached token, or renews it with ctx when it is
// due or is stale, a token the server refused (unless another call has
// replaced it already).
func (s *deviceTokenSource) tokenContext(ctx context.Context, stale string) (*oauth2.Token, error) {
	if s.err != nil {
		return nil, s.err
	}
	if err := s.lock.acquire(ctx); err != nil {
		return nil, fmt.Errorf("arthur: token refresh: %w", err)
	}
	defer s.lock.release()
	if s.tok != nil && s.tok.AccessToken != stale && s.now().Before(s.renewAt) {
		return s.tok, nil
	}
	tok, err := s.renew(ctx)
	if err != nil {
		return nil, err
	}
	s.setToken(tok)
	return tok, nil
}

// setToken caches tok and schedules its renewal.
func (s *deviceTokenSource) setToken(tok *oauth2.Token) {
	s.tok, s.renewAt = tok, renewalTime(tok, s.now())
}

// renew gets a new token with the refresh token, and keeps the refresh
// token that comes with it. The lock is held.
func (s *deviceTokenSource) renew(ctx context.Context) (*oauth2.Token, error) {
	if s.refresh == "" {
		return nil, &AuthError{Grant: grantRefreshToken, Step: "token", URL: s.tokenURL, Err: errNoRefreshToken}
	}
	if s.tokenURL == "" {
		ep, err := s.oc.endpoints(ctx, grantRefreshToken)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("arthur: token refresh: %w", ctx.Err())
			}
			return nil, err
		}
		s.tokenURL = ep.token
	}
	conf := oauth2.Config{
		ClientID: s.oc.clientID,
		Endpoint: oauth2.Endpoint{TokenURL: s.tokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}
	tok, err := conf.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, s.oc.hc), &oauth2.Token{RefreshToken: s.refresh.Reveal()}).Token()
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("arthur: token refresh: %w", ctx.Err())
		}
		return nil, tokenError(grantRefreshToken, s.tokenURL, err, s.refresh.Reveal())
	}
	if tok.RefreshToken != "" {
		s.refresh = Secret(tok.RefreshToken)
	}
	return tok, nil
}

// oauthError is the error of an OAuth2 answer (RFC 6749 section 5.2).
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// readTokenAnswer reads a token endpoint's answer: the token, or the OAuth2
// error code and description with an error that says what failed.
func readTokenAnswer(status int, body []byte) (tok *oauth2.Token, code, desc string, err error) {
	var ans struct {
		AccessToken  string  `json:"access_token"`
		TokenType    string  `json:"token_type"`
		RefreshToken string  `json:"refresh_token"`
		ExpiresIn    seconds `json:"expires_in"`
		oauthError
	}
	decodeErr := json.Unmarshal(body, &ans)
	if status < 200 || status > 299 || ans.Error != "" {
		if decodeErr == nil {
			code, desc = ans.Error, ans.ErrorDescription
		}
		return nil, code, desc, describeRefusal(desc, "the token endpoint refused the request")
	}
	if decodeErr != nil {
		return nil, "", "", fmt.Errorf("the answer is not JSON: %w", decodeErr)
	}
	if ans.AccessToken == "" {
		return nil, "", "", errors.New("the answer has no access_token")
	}
	var raw map[string]any
	_ = json.Unmarshal(body, &raw) // decoded above
	tok = &oauth2.Token{AccessToken: ans.AccessToken, TokenType: ans.TokenType, RefreshToken: ans.RefreshToken}
	if ans.ExpiresIn > 0 {
		tok.ExpiresIn = int64(math.Ceil(float64(ans.ExpiresIn)))
		tok.Expiry = time.Now().Add(ans.ExpiresIn.duration())
	}
	return tok.WithExtra(raw), "", "", nil
}

// describeRefusal is the server's description, or fallback without one.
func describeRefusal(desc, fallback string) error {
	if desc = strings.TrimSpace(desc); desc != "" {
		return errors.New(desc)
	}
	return errors.New(fallback)
}

// postForm posts form to u and returns the status and up to 1 MiB of the
// body. A transport error leaves the query out of the URL it names.
func postForm(ctx context.Context, hc *http.Client, u string, form url.Values) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer closeBody(resp.Body)
	body, _, err := readBounded(resp.Body, maxErrorBody)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, body, nil
}

// deviceCtxError returns ctx's error, wrapped, when ctx has ended, and err
// otherwise.
func deviceCtxError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("arthur: device login: %w", ctxErr)
	}
	return err
}

// seconds is a lifetime or interval in seconds, written as a JSON number or,
// by some servers, as a string holding one.
type seconds float64

func (s *seconds) UnmarshalJSON(b []byte) error {
	v := strings.Trim(string(b), `"`)
	if v == "" || v == "null" {
		*s = 0
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return fmt.Errorf("not a number of seconds: %s", b)
	}
	*s = seconds(f)
	return nil
}

// duration is s as a time.Duration, capped at a year.
func (s seconds) duration() time.Duration {
	const year = 365 * 24 * time.Hour
	if float64(s) >= year.Seconds() {
		return year
	}
	return time.Duration(float64(s) * float64(time.Second))
}
