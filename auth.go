package arthur

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// AuthError reports a failure to get a token with the client-credentials
// grant. Step says which step failed: "discovery" (finding the token
// endpoint) or "token" (asking it for a token). It never holds the secret.
type AuthError struct {
	// Step is "discovery" or "token".
	Step string
	// URL is the discovery document's or the token endpoint's URL.
	URL string
	// StatusCode is the HTTP status of the failed answer, 0 when there was
	// none.
	StatusCode int
	// Code is the OAuth2 error code, such as "invalid_client", when the
	// token endpoint sent one.
	Code string
	// Err is the underlying failure.
	Err error
}

// Error names the step, the URL and what failed.
func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("arthur: client credentials: ")
	b.WriteString(e.Step)
	b.WriteString(" at ")
	b.WriteString(e.URL)
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

// Unwrap returns the underlying failure and, for a token endpoint that
// refused the client, ErrUnauthorized.
func (e *AuthError) Unwrap() []error {
	errs := []error{e.Err}
	if e.StatusCode == http.StatusUnauthorized || e.Code == "invalid_client" || e.Code == "unauthorized_client" {
		errs = append(errs, ErrUnauthorized)
	}
	return errs
}

// clientCredentials gets and caches tokens with the OAuth2
// client-credentials grant. The token endpoint comes from TokenURL or,
// once, from OIDC discovery. One caller at a time fetches; the others wait
// for its token or for their own context to end.
type clientCredentials struct {
	id           string
	secret       Secret
	discoveryURL string
	hc           *http.Client
	now          func() time.Time

	allowInsecure bool

	lock     chan struct{} // held while discovering or fetching
	tokenURL string
	token    *oauth2.Token
	renewAt  time.Time
}

func newClientCredentials(id string, secret Secret, tokenURL, baseURL string, hc *http.Client) *clientCredentials {
	return &clientCredentials{
		id: id, secret: secret, tokenURL: tokenURL, discoveryURL: baseURL + DiscoveryPath,
		hc: hc, now: time.Now, lock: make(chan struct{}, 1),
	}
}

// Token returns a cached token, or a new one when the cached one is due for
// renewal or stale is the token the caller saw refused.
func (c *clientCredentials) Token(ctx context.Context, stale string) (string, error) {
	select {
	case c.lock <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.lock }()
	if c.token != nil && c.token.AccessToken != stale && c.now().Before(c.renewAt) {
		return c.token.AccessToken, nil
	}
	if c.tokenURL == "" {
		u, err := c.discover(ctx)
		if err != nil {
			return "", err
		}
		c.tokenURL = u
	}
	if insecureURL(c.tokenURL) && !c.allowInsecure {
		return "", &AuthError{Step: "token", URL: c.tokenURL, Err: errors.New("refusing to send the client secret over plain http:// " +
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
		ae := &AuthError{Step: "token", URL: c.tokenURL, Err: err}
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			ae.Code = re.ErrorCode
			if re.Response != nil {
				ae.StatusCode = re.Response.StatusCode
			}
			ae.Err = errors.New(strings.TrimSpace(re.ErrorDescription))
			if re.ErrorDescription == "" {
				ae.Err = errors.New("the token endpoint refused the request")
			}
		}
		return "", ae
	}
	c.setToken(tok)
	return tok.AccessToken, nil
}

// setToken caches tok and schedules its renewal: renewLeeway before it
// expires, or halfway through a shorter life. A token without an expiry is
// kept until the server refuses it.
func (c *clientCredentials) setToken(tok *oauth2.Token) {
	now := c.now()
	c.token, c.renewAt = tok, now.Add(100*365*24*time.Hour)
	if !tok.Expiry.IsZero() {
		life := tok.Expiry.Sub(now)
		c.renewAt = tok.Expiry.Add(-min(renewLeeway, life/2))
	}
}

// discover reads the token endpoint from the OIDC discovery document.
func (c *clientCredentials) discover(ctx context.Context) (string, error) {
	fail := func(status int, err error) error {
		return &AuthError{Step: "discovery", URL: c.discoveryURL, StatusCode: status, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.discoveryURL, nil)
	if err != nil {
		return "", fail(0, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fail(0, err)
	}
	defer closeBody(resp.Body)
	body, _, err := readBounded(resp.Body, maxErrorBody)
	if err != nil {
		return "", fail(resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fail(resp.StatusCode, errors.New("unexpected status"))
	}
	var doc struct {
		TokenEndpoint string `json:"token_endpoint"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", fail(resp.StatusCode, fmt.Errorf("not a JSON discovery document: %w", err))
	}
	u, err := url.Parse(doc.TokenEndpoint)
	if doc.TokenEndpoint == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fail(resp.StatusCode, errors.New("no usable token_endpoint in the discovery document"))
	}
	return doc.TokenEndpoint, nil
}
