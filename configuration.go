package arthur

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultHost is the Host of a new Configuration, as in Arthur's generated
// Python client. Set Host to "https://platform.arthur.ai" for Arthur's SaaS.
const DefaultHost = "http://localhost"

// Configuration says where and how the client talks to Arthur. Build one
// with NewConfiguration or ConfigurationFromEnv, change its fields, and pass
// it to NewAPIClient; the client keeps its own copy, so later changes to
// the Configuration do not affect a client already made.
//
// The bearer token of a call is, in order of precedence: the one set on the
// call's context with WithAccessToken, a token from TokenSource,
// AccessToken, then a token the client gets itself with ClientID and
// ClientSecret.
type Configuration struct {
	// Host is the scheme and host of the API, such as
	// "https://platform.arthur.ai". Operation paths already start with
	// /api/v1/, so Host must not end with it; a path on Host (a gateway
	// prefix) is kept in front of them.
	Host string
	// AccessToken is a bearer token sent with every call when TokenSource
	// is nil.
	AccessToken string
	// TokenSource supplies bearer tokens, and wins over AccessToken; its
	// tokens are fetched for each call, so wrap it with
	// oauth2.ReuseTokenSource to cache them.
	TokenSource oauth2.TokenSource
	// ClientID and ClientSecret are a service account's credentials. With
	// both set, and neither AccessToken nor TokenSource, the client gets its
	// own tokens with the OAuth2 client-credentials grant, caches them and
	// renews them 30 s before they expire.
	ClientID     string
	ClientSecret Secret
	// TokenURL is the token endpoint for ClientID. When empty, it is read
	// once from the OIDC discovery document at Host + DiscoveryPath.
	TokenURL string
	// Scopes are the OAuth2 scopes a person's device login asks for
	// (StartDeviceLogin). Nil means "openid" and "offline_access", the
	// scope for which some identity providers (Dex) give a refresh token;
	// an empty, non-nil slice asks for none, so that the server grants
	// the client's defaults. The client-credentials grant asks for no
	// scope.
	Scopes []string
	// AllowInsecureHTTP lets the client send a bearer token or a client
	// secret over plain http:// to a host that is not loopback. Without it
	// such a call fails before anything is sent: on an open network, plain
	// http gives the credential to anyone on the path.
	AllowInsecureHTTP bool
	// UserAgent is added after the SDK's own User-Agent.
	UserAgent string
	// DefaultHeader holds headers sent with every call. It cannot override
	// Authorization, User-Agent, Accept or Content-Type.
	DefaultHeader map[string]string
	// HTTPClient sends the requests; nil means a client with a 60 s
	// timeout whose transport keeps 16 idle connections per host. Its
	// Transport is where RoundTripper middleware goes; give it at least
	// PageConcurrency idle connections per host (http.Transport's
	// MaxIdleConnsPerHost), or concurrent pages will dial anew. The client
	// works on a copy whose redirects lose no write and send no body to
	// another origin (see RedirectError); its CheckRedirect applies after.
	HTTPClient *http.Client
	// Retry says how failed calls are retried.
	Retry RetryPolicy
	// PageConcurrency is how many page requests GetOrganizationUsersIter
	// has on the wire at once, after the first page has told how many there
	// are; it reads at most twice that many pages ahead of the loop, and
	// never past the last page. 0 means 8; 1 fetches one page after
	// another; more than 64 means 64.
	PageConcurrency int
	// Logger, when set, receives a debug record for each attempt and a warn
	// record for each retry. Records never hold headers, bodies or tokens.
	Logger *slog.Logger
}

// RetryPolicy says how the client retries a call that failed in a way that
// may pass on a second try. GET calls are retried on a connection error, a
// 429 and a 500, 502, 503 or 504. Every call, whatever its method, is
// retried on a 429 or 503 that carries Retry-After, and on a connection that
// failed before the request was written. A write that may have reached the
// server is never repeated.
//
// Waits grow exponentially from InitialBackoff to MaxBackoff with jitter; a
// Retry-After header (seconds or an HTTP date) sets the wait instead. The
// wait ends early, with the context's error, when the call's context ends.
type RetryPolicy struct {
	// MaxAttempts is the most attempts a call makes, the first included.
	// 0 means 4; 1 turns retries off.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry. 0 means 200 ms.
	InitialBackoff time.Duration
	// MaxBackoff caps the exponential wait. 0 means 5 s.
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the client waits for; an
	// answer asking for longer is returned as it is. 0 means 60 s.
	MaxRetryAfter time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.InitialBackoff <= 0 {
		p.InitialBackoff = 200 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 5 * time.Second
	}
	if p.MaxBackoff < p.InitialBackoff {
		p.MaxBackoff = p.InitialBackoff
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = time.Minute
	}
	return p
}

// NewConfiguration returns a Configuration with Host "http://localhost",
// no token and the default retry policy.
func NewConfiguration() *Configuration {
	return &Configuration{
		Host:          DefaultHost,
		DefaultHeader: make(map[string]string),
	}
}

// Environment variables read by ConfigurationFromEnv.
const (
	EnvHost         = "ARTHUR_HOST"
	EnvAccessToken  = "ARTHUR_ACCESS_TOKEN"
	EnvClientID     = "ARTHUR_CLIENT_ID"
	EnvClientSecret = "ARTHUR_CLIENT_SECRET"
	// EnvAllowInsecureHTTP, set to true (or 1), sets AllowInsecureHTTP.
	EnvAllowInsecureHTTP = "ARTHUR_ALLOW_INSECURE_HTTP"
)

// ConfigurationFromEnv returns NewConfiguration with Host taken from
// ARTHUR_HOST, AccessToken from ARTHUR_ACCESS_TOKEN, and ClientID and
// ClientSecret from ARTHUR_CLIENT_ID and ARTHUR_CLIENT_SECRET, and
// AllowInsecureHTTP from ARTHUR_ALLOW_INSECURE_HTTP, where they are set. It
// fails when ARTHUR_HOST is not an http or https URL, when only one of
// ARTHUR_CLIENT_ID and ARTHUR_CLIENT_SECRET is set, or when
// ARTHUR_ALLOW_INSECURE_HTTP is not a boolean.
func ConfigurationFromEnv() (*Configuration, error) {
	cfg := NewConfiguration()
	if h := strings.TrimSpace(os.Getenv(EnvHost)); h != "" {
		if _, err := parseHost(h); err != nil {
			return nil, configErrorf("arthur: %s: %w", EnvHost, err)
		}
		cfg.Host = h
	}
	cfg.AccessToken = strings.TrimSpace(os.Getenv(EnvAccessToken))
	cfg.ClientID = strings.TrimSpace(os.Getenv(EnvClientID))
	cfg.ClientSecret = Secret(strings.TrimSpace(os.Getenv(EnvClientSecret)))
	if (cfg.ClientID == "") != (cfg.ClientSecret == "") {
		return nil, configErrorf("arthur: %s and %s must be set together", EnvClientID, EnvClientSecret)
	}
	allow, err := ParseAllowInsecureHTTP(os.Getenv(EnvAllowInsecureHTTP))
	if err != nil {
		return nil, err
	}
	cfg.AllowInsecureHTTP = allow
	return cfg, nil
}

// ParseAllowInsecureHTTP reads a value of ARTHUR_ALLOW_INSECURE_HTTP: empty
// is false, otherwise a boolean as strconv.ParseBool takes it (true, 1,
// false, 0, ...).
func ParseAllowInsecureHTTP(v string) (bool, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, configErrorf("arthur: %s must be true or false, got %q", EnvAllowInsecureHTTP, v)
	}
	return b, nil
}

// AddDefaultHeader sets a header sent with every call.
func (c *Configuration) AddDefaultHeader(key, value string) {
	if c.DefaultHeader == nil {
		c.DefaultHeader = make(map[string]string)
	}
	c.DefaultHeader[key] = value
}

// Format prints the Configuration with its token redacted, for every verb.
func (c Configuration) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, c.summary())
}

// LogValue logs the Configuration with its token redacted.
func (c Configuration) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Bool("access_token_set", c.AccessToken != ""),
		slog.Bool("token_source_set", c.TokenSource != nil),
		slog.String("client_id", c.ClientID),
		slog.Any("client_secret", c.ClientSecret),
		slog.String("user_agent", c.UserAgent),
	)
}

func (c Configuration) summary() string {
	token := "unset"
	if c.AccessToken != "" {
		token = redacted
	}
	return fmt.Sprintf("arthur.Configuration{Host: %q, AccessToken: %s, TokenSource set: %t, ClientID: %q, ClientSecret: %v, UserAgent: %q}",
		c.Host, token, c.TokenSource != nil, c.ClientID, c.ClientSecret, c.UserAgent)
}

// parseHost checks that host is an absolute http or https URL with no
// query, and returns it without a trailing slash. Its errors match
// ErrInvalidConfiguration.
func parseHost(host string) (string, error) {
	// The messages leave the value out: a mistyped Host may hold a password.
	u, err := url.Parse(host)
	if err != nil {
		return "", configErrorf("host is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", configErrorf("host must start with http:// or https://")
	}
	if u.Host == "" {
		return "", configErrorf("host has no host name")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", configErrorf("host must not carry user info, a query or a fragment")
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	// Every operation path starts with /api/v1/: a Host that ends with it
	// too would send every call to /api/v1/api/v1/..., which answers 404.
	if len(path) >= len(apiPrefix) && strings.EqualFold(path[len(path)-len(apiPrefix):], apiPrefix) {
		return "", configErrorf("host must not end in %s: operation paths already start with it, so leave it out of Host", apiPrefix)
	}
	return u.Scheme + "://" + u.Host + path, nil
}

// apiPrefix starts every operation path.
const apiPrefix = "/api/v1"

type accessTokenKey struct{}

// WithAccessToken returns a context whose calls use token as their bearer
// token, in place of the Configuration's: for a backend that acts for many
// users with one client. An empty token leaves the Configuration's in force.
func WithAccessToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, accessTokenKey{}, token)
}

func accessTokenFrom(ctx context.Context) string {
	t, _ := ctx.Value(accessTokenKey{}).(string)
	return t
}

// insecureURL reports whether rawURL is plain http to a host that is not
// loopback (localhost, 127.0.0.0/8, ::1).
func insecureURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return false
	}
	return true
}
