package arthur

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// DiscoveryPath is where Arthur publishes its OIDC discovery document,
// under Host.
const DiscoveryPath = "/api/v1/auth/oidc/.well-known/openid-configuration"

// renewLeeway is how long before expiry a cached token is renewed, as in
// Arthur's Python client. A token that lives less than twice as long is
// renewed halfway through its life.
const renewLeeway = 30 * time.Second

// maxLifeSeconds caps a token's expires_in, so that a server's absurd
// lifetime cannot overflow a time.Duration.
const maxLifeSeconds = 365 * 24 * 60 * 60

// grantClientCredentials is the grant_type of a service account's token
// request.
const grantClientCredentials = "client_credentials"

// AuthError reports a failure to get a token: with the client-credentials
// grant (a service account), with the device flow (a person signing in,
// StartDeviceLogin and DeviceAuthorization.Wait) or when renewing a
// person's token with its refresh token (DeviceTokenSource). Grant says
// which, and Step which step failed: "discovery" (reading the endpoints
// from the OIDC discovery document), "device" (asking the device
// authorization endpoint for a code) or "token" (asking the token endpoint
// for a token). It never holds a secret, a code that stands for one, or a
// token: where the endpoint's answer echoes one, the text shows
// [REDACTED] in its place.
//
// A refusal to send a credential over plain http:// to a host that is not
// loopback also matches ErrInvalidConfiguration.
type AuthError struct {
	// Grant is the OAuth2 grant being used: "client_credentials" (also
	// when empty), DeviceCodeGrantType or "refresh_token".
	Grant string
	// Step is "discovery", "device" or "token".
	Step string
	// URL is the discovery document's, the device authorization
	// endpoint's or the token endpoint's URL.
	URL string
	// StatusCode is the HTTP status of the failed answer, 0 when there was
	// none.
	StatusCode int
	// Code is the OAuth2 error code, such as "invalid_client" or
	// "access_denied", when the endpoint sent one.
	Code string
	// Err is the underlying failure.
	Err error
}

// Error names the grant, the step, the URL and what failed.
func (e *AuthError) Error() string {
	var b strings.Builder
	switch e.Grant {
	case DeviceCodeGrantType:
		b.WriteString("arthur: device login: ")
	case "refresh_token":
		b.WriteString("arthur: token refresh: ")
	default:
		b.WriteString("arthur: client credentials: ")
	}
	b.WriteString(e.Step)
	if e.URL != "" {
		b.WriteString(" at ")
		b.WriteString(e.URL)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying failure and, for an endpoint that refused
// the client or a refresh token, ErrUnauthorized; for a device login that
// the person denied or let expire, ErrDeviceLoginDenied or
// ErrDeviceLoginExpired.
//
// A refresh token is refused with invalid_grant (Keycloak) or, for one
// already rotated, a 400 invalid_request (Dex); a renewal without a
// refresh token ends the sign-in too. Each means signing in again.
func (e *AuthError) Unwrap() []error {
	errs := []error{e.Err}
	switch {
	case e.StatusCode == http.StatusUnauthorized || e.Code == "invalid_client" || e.Code == "unauthorized_client":
		errs = append(errs, ErrUnauthorized)
	case e.Grant == grantRefreshToken && (e.Code == "invalid_grant" || e.Err == errNoRefreshToken ||
		e.StatusCode == http.StatusBadRequest && e.Code == "invalid_request"):
		errs = append(errs, ErrUnauthorized)
	case e.Grant == DeviceCodeGrantType && e.Code == "access_denied":
		errs = append(errs, ErrDeviceLoginDenied)
	case e.Grant == DeviceCodeGrantType && e.Code == "expired_token":
		errs = append(errs, ErrDeviceLoginExpired)
	}
	return errs
}

// tokenError turns a failure of golang.org/x/oauth2 to get a token into an
// *AuthError for the token step. The endpoint's error_description is kept,
// with every one of sent (the credentials the request carried) redacted;
// the response body is not, since a token endpoint's answer may hold a
// token.
func tokenError(grant, tokenURL string, err error, sent ...string) *AuthError {
	ae := &AuthError{Grant: grant, Step: "token", URL: tokenURL, Err: redactError(err, sent...)}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		ae.Code = redactText(re.ErrorCode, sent...)
		if re.Response != nil {
			ae.StatusCode = re.Response.StatusCode
		}
		ae.Err = describeRefusal(redactText(re.ErrorDescription, sent...), "the token endpoint refused the request")
	}
	return ae
}

// redactText returns s with every non-empty one of secrets replaced by
// [REDACTED]: an identity provider may echo in its error_description what
// the request sent it.
func redactText(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// redactError returns err, or, when its text holds one of secrets, an error
// with the redacted text alone: the cause would still show the secret.
func redactError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := redactText(msg, secrets...); clean != msg {
		return errors.New(clean)
	}
	return err
}

// clientCredentials gets and caches tokens with the OAuth2
// client-credentials grant. The token endpoint comes from TokenURL or,
// once, from OIDC discovery. One caller at a time fetches; the others wait
// for its token or for their own context to end. It is only ever used
// through a pointer, which prints without its secret and token.
type clientCredentials struct {
	id           string
	secret       Secret
	discoveryURL string
	hc           *http.Client
	now          func() time.Time

	allowInsecure bool
	plainHost     bool // Host is plain http:// to a host that is not loopback, and that is not allowed

	lock     tokenLock // held while discovering or fetching
	tokenURL string
	token    *oauth2.Token
	renewAt  time.Time
}

func newClientCredentials(id string, secret Secret, tokenURL, baseURL string, hc *http.Client) *clientCredentials {
	return &clientCredentials{
		id: id, secret: secret, tokenURL: tokenURL, discoveryURL: baseURL + DiscoveryPath,
		hc: hc, now: time.Now, lock: make(tokenLock, 1),
	}
}

// Format prints the client ID, and nothing of the secret or the token, for
// every verb.
func (c *clientCredentials) Format(f fmt.State, verb rune) {
	_, _ = fmt.Fprintf(f, "arthur.clientCredentials{ClientID: %q, ClientSecret: %s}", c.id, redacted)
}

// LogValue logs the client ID, and nothing of the secret or the token.
func (c *clientCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.id), slog.String("client_secret", redacted))
}

// Token returns a cached token, or a new one when the cached one is due for
// renewal or stale is the token the caller saw refused.
//
// Over a plain http:// Host that is not loopback nothing is sent: the
// discovery document there, which anyone on the path can forge, would say
// where the secret goes, and the API call would be refused anyway.
func (c *clientCredentials) Token(ctx context.Context, stale string) (string, error) {
	if c.plainHost {
		step, u := "discovery", c.discoveryURL
		if c.tokenURL != "" {
			step, u = "token", c.tokenURL
		}
		return "", &AuthError{Grant: grantClientCredentials, Step: step, URL: u, Err: configErrorf("refusing to sign in " +
			"with client credentials for a Host on plain http:// that is not loopback: use https://, or set " +
			"Configuration.AllowInsecureHTTP on a network you trust")}
	}
	if err := c.lock.acquire(ctx); err != nil {
		return "", err
	}
	defer c.lock.release()
	if c.token != nil && c.token.AccessToken != stale && c.now().Before(c.renewAt) {
		return c.token.AccessToken, nil
	}
	if c.tokenURL == "" {
		ep, err := discover(ctx, c.hc, c.discoveryURL, grantClientCredentials)
		if err != nil {
			return "", err
		}
		c.tokenURL = ep.token
	}
	if insecureURL(c.tokenURL) && !c.allowInsecure {
		return "", &AuthError{Grant: grantClientCredentials, Step: "token", URL: c.tokenURL, Err: configErrorf("refusing to send the client secret over plain http:// " +
			"to a host that is not loopback: use https://, or set Configuration.AllowInsecureHTTP on a network you trust")}
	}
	conf := clientcredentials.Config{
		ClientID: c.id, ClientSecret: c.secret.Reveal(), TokenURL: c.tokenURL, AuthStyle: oauth2.AuthStyleInParams,
	}
	tok, err := conf.Token(context.WithValue(ctx, oauth2.HTTPClient, c.hc))
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", tokenError(grantClientCredentials, c.tokenURL, err, c.secret.Reveal())
	}
	c.setToken(tok)
	return tok.AccessToken, nil
}

// tokenLock is held by the one caller that fetches or renews a cached
// token; the others wait for its token or for their own context to end.
type tokenLock chan struct{}

// acquire takes the lock, or returns ctx's error when ctx ends first. A
// free lock is taken even when ctx has ended, so that a cached token is
// given whatever ctx says.
func (l tokenLock) acquire(ctx context.Context) error {
	select {
	case l <- struct{}{}:
		return nil
	default:
	}
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l tokenLock) release() { <-l }

// setToken caches tok and schedules its renewal: renewLeeway before it
// expires, or halfway through a shorter life. A token without an expiry is
// kept until the server refuses it.
func (c *clientCredentials) setToken(tok *oauth2.Token) {
	c.token, c.renewAt = tok, renewalTime(tok, c.now())
}

// renewalTime is when tok, received at now, is due for renewal:
// renewLeeway before it expires, or halfway through a shorter life. The
// life is the answer's expires_in where known, else what is left of it. A
// token without an expiry is due only when the server refuses it.
func renewalTime(tok *oauth2.Token, now time.Time) time.Time {
	if tok.Expiry.IsZero() {
		return now.Add(100 * 365 * 24 * time.Hour)
	}
	life := max(tok.Expiry.Sub(now), 0)
	if tok.ExpiresIn > 0 {
		life = time.Duration(min(tok.ExpiresIn, maxLifeSeconds)) * time.Second
	}
	return tok.Expiry.Add(-min(renewLeeway, life/2))
}

// oidcEndpoints are the endpoints read from the OIDC discovery document.
type oidcEndpoints struct {
	token  string // token_endpoint; always set
	device string // device_authorization_endpoint; empty when the document has no usable one
}

// discover reads the endpoints from the OIDC discovery document at
// discoveryURL. A document without a usable token_endpoint is an error; one
// without a device_authorization_endpoint is not, since only the device
// flow needs it. Errors are *AuthError with Step "discovery" and grant, or
// ctx's error when ctx ended.
func discover(ctx context.Context, hc *http.Client, discoveryURL, grant string) (oidcEndpoints, error) {
	fail := func(status int, err error) error {
		return &AuthError{Grant: grant, Step: "discovery", URL: discoveryURL, StatusCode: status, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, discoveryURL, nil)
	if err != nil {
		return oidcEndpoints{}, fail(0, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return oidcEndpoints{}, ctx.Err()
		}
		return oidcEndpoints{}, fail(0, err)
	}
	defer closeBody(resp.Body)
	body, _, err := readBounded(resp.Body, maxErrorBody)
	if err != nil {
		return oidcEndpoints{}, fail(resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return oidcEndpoints{}, fail(resp.StatusCode, errors.New("unexpected status"))
	}
	var doc struct {
		TokenEndpoint               string `json:"token_endpoint"`
		DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return oidcEndpoints{}, fail(resp.StatusCode, fmt.Errorf("not a JSON discovery document: %w", err))
	}
	if !absoluteHTTPURL(doc.TokenEndpoint) {
		return oidcEndpoints{}, fail(resp.StatusCode, errors.New("no usable token_endpoint in the discovery document"))
	}
	ep := oidcEndpoints{token: doc.TokenEndpoint}
	if absoluteHTTPURL(doc.DeviceAuthorizationEndpoint) {
		ep.device = doc.DeviceAuthorizationEndpoint
	}
	return ep, nil
}

// absoluteHTTPURL reports whether s is an absolute http or https URL with a
// host.
func absoluteHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return s != "" && err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
