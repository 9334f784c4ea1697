package arthur

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	neturl "net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// clientState is what an APIClient holds besides its services, which
// api_client.go declares, one per tag of the spec.
type clientState struct {
	cfg       Configuration
	hc        *http.Client
	baseURL   string // scheme://host[/prefix], no trailing slash
	baseErr   error  // why the Configuration is unusable, returned by every call
	origin    string // scheme://host that may receive the token
	userAgent string
	headers   http.Header // DefaultHeader, Accept and User-Agent, built once
	bearer    []string    // the Authorization value for AccessToken
	retry     RetryPolicy
	cc        *clientCredentials // set when the client gets its own tokens
	plainNet  bool               // Host is http:// and not loopback
	pages     int                // pages fetched at once by an Iter
}

// service is shared by the API services, so a client allocates nothing per
// service.
type service struct {
	client *APIClient
}

// jsonHeader is the value of Accept and Content-Type.
var jsonHeader = []string{"application/json"}

// defaultPageConcurrency is how many pages GetOrganizationUsersIter fetches
// at once unless Configuration.PageConcurrency says otherwise.
const defaultPageConcurrency = 8

// maxPageConcurrency bounds Configuration.PageConcurrency: more pages at
// once would only crowd the server and memory.
const maxPageConcurrency = 64

// maxSuccessBody bounds a 2xx body; a 1000-user page is about 0.5 MB.
const maxSuccessBody = 64 << 20

// NewAPIClient returns a client for cfg; a nil cfg means NewConfiguration().
// The client keeps a copy of cfg. An unusable Host is reported by every
// call, with an error that says why.
func NewAPIClient(cfg *Configuration) *APIClient {
	if cfg == nil {
		cfg = NewConfiguration()
	}
	c := &APIClient{clientState: clientState{cfg: *cfg, retry: cfg.Retry.withDefaults(), pages: cfg.PageConcurrency}}
	if c.pages <= 0 {
		c.pages = defaultPageConcurrency
	}
	c.pages = min(c.pages, maxPageConcurrency)
	c.cfg.DefaultHeader = make(map[string]string, len(cfg.DefaultHeader))
	c.headers = make(http.Header, len(cfg.DefaultHeader))
	for k, v := range cfg.DefaultHeader {
		c.cfg.DefaultHeader[k] = v
		c.headers.Set(k, v)
	}
	for _, k := range []string{"Authorization", "User-Agent", "Accept", "Content-Type"} {
		c.headers.Del(k)
	}
	c.baseURL, c.baseErr = parseHost(cfg.Host)
	if c.baseErr != nil {
		c.baseErr = configErrorf("arthur: Configuration.Host: %w", c.baseErr)
	} else {
		c.origin = originOf(c.baseURL)
		c.plainNet = insecureURL(c.baseURL) && !cfg.AllowInsecureHTTP
	}
	c.userAgent = "arthur-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if ua := strings.TrimSpace(cfg.UserAgent); ua != "" {
		c.userAgent += " " + ua
	}
	c.headers["Accept"] = jsonHeader
	c.headers["User-Agent"] = []string{c.userAgent}
	if cfg.AccessToken != "" {
		c.bearer = []string{"Bearer " + cfg.AccessToken}
	}
	c.hc = c.httpClient(cfg.HTTPClient)
	switch {
	case c.baseErr != nil:
	case (cfg.ClientID == "") != (cfg.ClientSecret == ""):
		c.baseErr = configErrorf("arthur: Configuration.ClientID and Configuration.ClientSecret must be set together")
	case cfg.ClientID != "" && cfg.AccessToken == "" && cfg.TokenSource == nil:
		c.cc = newClientCredentials(cfg.ClientID, cfg.ClientSecret, cfg.TokenURL, c.baseURL, c.hc)
		c.cc.allowInsecure = cfg.AllowInsecureHTTP
		c.cc.plainHost = c.plainNet
	}
	c.initServices()
	return c
}

// GetConfig returns a copy of the client's configuration: an empty one for
// a nil client.
func (c *APIClient) GetConfig() *Configuration {
	if c == nil {
		return &Configuration{DefaultHeader: map[string]string{}}
	}
	cfg := c.cfg
	cfg.DefaultHeader = make(map[string]string, len(c.cfg.DefaultHeader))
	for k, v := range c.cfg.DefaultHeader {
		cfg.DefaultHeader[k] = v
	}
	return &cfg
}

// Format prints the client as its Configuration prints, token and client
// secret redacted, whatever the verb: fmt would otherwise print the
// client's unexported fields, credentials included, without their
// redaction.
func (c clientState) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, "arthur.APIClient{Configuration: "+c.cfg.summary()+"}")
}

// LogValue logs the client's Configuration, token and client secret
// redacted.
func (c clientState) LogValue() slog.Value { return c.cfg.LogValue() }

// httpClient copies the user's http.Client (never changing it) and adds
// the redirect checks of guardRedirects, with Host's origin as the one
// that may receive the bearer token.
func (c *APIClient) httpClient(user *http.Client) *http.Client {
	return guardRedirects(user, c.origin)
}

// guardRedirects returns a copy of user (a client with a 60 s timeout when
// nil) whose redirects lose nothing and leak nothing. Every request that
// goes through it is checked, token requests as well as API calls:
//
//   - a redirect that would repeat a write as a GET (net/http does that on
//     a 301, 302 or 303) is not followed, since the write would not be done
//     and the GET's answer would pass for its result;
//   - a redirect that would send the request body to an origin other than
//     the request's own (a 307 or 308 elsewhere, https to http included) is
//     not followed, since the body may hold a password or a client secret;
//   - the Authorization header goes only to tokenOrigin;
//   - then user's CheckRedirect applies, or else a limit of 10 redirects.
//
// A redirect not followed is a *RedirectError, which the pipeline does not
// retry: the same request would be redirected the same way.
func guardRedirects(user *http.Client, tokenOrigin string) *http.Client {
	var hc http.Client
	if user != nil {
		hc = *user
	} else {
		hc.Timeout = 60 * time.Second
		hc.Transport = defaultTransport()
	}
	next := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if req.Method != first.Method {
			return redirectError(req, via, "it would repeat the "+first.Method+" as a GET, which does not write", nil)
		}
		to := urlOrigin(req.URL)
		if req.Body != nil && req.Body != http.NoBody && to != urlOrigin(first.URL) {
			return redirectError(req, via, "it would send the request body to another origin", nil)
		}
		if to != tokenOrigin {
			req.Header.Del("Authorization")
		}
		if next != nil {
			err := next(req, via)
			// net/http recognises ErrUseLastResponse by ==, never wrapped.
			if err == nil || err == http.ErrUseLastResponse {
				return err
			}
			return redirectError(req, via, "Configuration.HTTPClient's CheckRedirect refused it", err)
		}
		if len(via) >= 10 {
			return redirectError(req, via, "stopped after 10 redirects", nil)
		}
		return nil
	}
	return &hc
}

// redirectError reports the redirect to req, which the answer to the last
// of via asked for, as not followed. The pipeline names the operation.
func redirectError(req *http.Request, via []*http.Request, reason string, err error) *RedirectError {
	e := &RedirectError{Method: via[0].Method, Path: via[0].URL.EscapedPath(), Location: withoutSecrets(req.URL),
		Reason: reason, Err: err}
	if req.Response != nil {
		e.StatusCode = req.Response.StatusCode
	}
	return e
}

// withoutSecrets returns u without user info, query or fragment, which may
// carry credentials and have no place in an error.
func withoutSecrets(u *neturl.URL) string {
	v := neturl.URL{Scheme: u.Scheme, Opaque: u.Opaque, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return v.String()
}

func urlOrigin(u *neturl.URL) string { return originOf(u.Scheme + "://" + u.Host) }

// defaultTransport is http.DefaultTransport with room for as many idle
// connections to one host as GetOrganizationUsersIter has pages in flight:
// the standard library's two would make most concurrent page fetches dial
// (and shake hands) anew. Clients without an HTTPClient of their own share
// it, and so its connections.
var defaultTransport = sync.OnceValue(func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 2 * defaultPageConcurrency
	return t
})

// originOf returns scheme://host with the default port made explicit, so
// that https://h and https://h:443 are the same origin.
func originOf(rawURL string) string {
	scheme, rest, _ := strings.Cut(rawURL, "://")
	host, _, _ := strings.Cut(rest, "/")
	host = strings.ToLower(host)
	if !strings.Contains(strings.TrimPrefix(host, "["), "]:") && strings.Count(host, ":") != 1 {
		switch scheme {
		case "https":
			host += ":443"
		case "http":
			host += ":80"
		}
	}
	return strings.ToLower(scheme) + "://" + host
}

// call describes one operation's request; the pipeline does the rest.
type call struct {
	op        string // SDK method name, for errors and logs
	method    string
	path      string // escaped path, starting with /api/v1/
	query     string // encoded query, without "?"
	body      []byte // JSON body, nil for none
	model     string // name of the result model, for DecodeError
	allowNull bool   // a null or empty 2xx body is a valid answer
	secret    bool   // the 2xx body carries credentials: never kept in an error
	noAuth    bool   // the operation takes no token: none is sent
	received  func() // called once a 2xx body has been read, before it is decoded
}

// setBody writes body into cl, as JSON.
func (cl *call) setBody(body jsonEncoder) error {
	b, err := marshalJSON(body)
	if err != nil {
		return argError(cl.op, "body", err.Error())
	}
	cl.body = b
	return nil
}

// result runs cl and returns the decoded T.
func result[T any](ctx context.Context, c *APIClient, cl *call) (*T, error) {
	out := new(T)
	if err := c.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out, nil
}

// optionalResult runs cl, an operation that may answer 204 No Content
// instead of a T: the result is nil then.
func optionalResult[T any, P interface {
	*T
	jsonDecoder
}](ctx context.Context, c *APIClient, cl *call) (*T, error) {
	var out *T
	err := c.do(ctx, cl, decodeFunc(func(r *reader) {
		out = new(T)
		P(out).decodeJSON(r)
	}))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pathSegment checks a path parameter and returns it escaped. It must be
// one path segment: a "/" is refused rather than escaped, since servers
// and proxies that decode %2F would route "<id>/credentials" to another
// operation, or to a 404 that reads as "no such user". what names the
// parameter in words, for the error: "user ID".
func pathSegment(op, arg, what, v string) (string, error) {
	switch strings.TrimSpace(v) {
	case "":
		return "", argError(op, arg, "must not be empty")
	case ".", "..":
		return "", argError(op, arg, "is not a "+what+": "+strconv.Quote(v))
	}
	if strings.Contains(v, "/") {
		return "", argError(op, arg, "must not contain \"/\": "+strconv.Quote(v))
	}
	return neturl.PathEscape(v), nil
}

// response is a finished attempt: status, headers and the bounded body.
type response struct {
	status    int
	header    http.Header
	body      []byte
	truncated bool
}

// do runs the pipeline: build, authenticate, send, retry, check the status
// and decode the body into out (nil for operations with no result).
func (c *APIClient) do(ctx context.Context, cl *call, out any) error {
	if ctx == nil {
		return argError(cl.op, "ctx", "must not be nil")
	}
	sink := metadataFrom(ctx)
	if sink == nil {
		return c.run(ctx, cl, out, nil)
	}
	var meta ResponseMetadata
	err := c.run(ctx, cl, out, &meta)
	sink.store(meta)
	return err
}

// run is do for a non-nil ctx; it records the call's last answer and its
// number of requests in meta, when meta is not nil.
func (c *APIClient) run(ctx context.Context, cl *call, out any, meta *ResponseMetadata) error {
	if c == nil || c.hc == nil { // a zero or nil APIClient, not made by NewAPIClient
		return configErrorf("arthur: %s: the APIClient was not made by NewAPIClient: use arthur.NewAPIClient(cfg)", cl.op)
	}
	if c.baseErr != nil {
		return c.baseErr
	}
	url := c.baseURL + cl.path
	if cl.query != "" {
		url += "?" + cl.query
	}
	var lastErr error
	stale, renewed := "", false
	for attempt := 1; ; attempt++ {
		// A RoundTripper may ignore a done context; nothing is sent with one.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxError(cl, ctxErr, lastErr)
		}
		token, fromSource, err := "", false, error(nil)
		if !cl.noAuth {
			token, fromSource, err = c.token(ctx, stale)
		}
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxError(cl, ctxErr, err)
			}
			return fmt.Errorf("arthur: %s: %w", cl.op, err)
		}
		if renewed && token == stale {
			return lastErr // the source has nothing newer than the refused token
		}
		if token != "" && c.plainNet {
			return configErrorf("arthur: %s: refusing to send a bearer token over plain http:// to %s, which is not loopback: "+
				"use https://, or set Configuration.AllowInsecureHTTP on a network you trust", cl.op, c.origin)
		}
		resp, wrote, err := c.attempt(ctx, cl, url, token, attempt)
		if meta != nil {
			meta.Attempts++
			if resp != nil {
				meta.StatusCode, meta.Header, meta.RequestID = resp.status, resp.header, requestID(resp.header)
			}
		}
		if err == nil && resp.status >= 200 && resp.status <= 299 {
			if cl.received != nil {
				cl.received()
			}
			return c.decode(cl, resp, out)
		}
		if err == nil && resp.status == http.StatusUnauthorized && fromSource && !renewed {
			// A 401 means the server did nothing: renew the token and repeat
			// the call once, whatever its method, outside the retry budget.
			lastErr = c.apiError(cl, resp)
			stale, renewed = token, true
			attempt--
			c.log(ctx, slog.LevelWarn, "arthur: renewing the token after 401", cl)
			continue
		}
		retryAfter, hasRetryAfter := time.Duration(0), false
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxError(cl, ctxErr, err)
			}
			var re *RedirectError
			if errors.As(err, &re) { // the same request would be redirected the same way
				re.Operation, re.Method, re.Path = cl.op, cl.method, cl.path
				return re
			}
			err = fmt.Errorf("arthur: %s: %s %s: %w", cl.op, cl.method, cl.path, err)
		} else {
			err = c.apiError(cl, resp)
			retryAfter, hasRetryAfter = parseRetryAfter(resp.header.Get("Retry-After"), time.Now())
		}
		lastErr = err
		if !c.retryable(cl, resp, wrote, hasRetryAfter) {
			return lastErr
		}
		if attempt >= c.retry.MaxAttempts {
			if attempt > 1 {
				c.log(ctx, slog.LevelWarn, "arthur: giving up", cl, slog.Int("attempts", attempt),
					slog.String("error", lastErr.Error()))
			}
			return lastErr
		}
		wait := retryAfter
		if !hasRetryAfter {
			wait = c.backoff(attempt)
		} else if wait > c.retry.MaxRetryAfter {
			c.log(ctx, slog.LevelWarn, "arthur: not retrying: Retry-After exceeds RetryPolicy.MaxRetryAfter",
				cl, slog.Duration("retry_after", wait))
			return lastErr
		}
		c.log(ctx, slog.LevelWarn, "arthur: retrying", cl, slog.Int("attempt", attempt),
			slog.Duration("wait", wait), slog.String("error", lastErr.Error()))
		if err := sleep(ctx, wait); err != nil {
			return ctxError(cl, err, lastErr)
		}
	}
}

// attempt sends the request once. wrote reports whether the request may have
// reached the server: once a connection is had, bytes may have left. A
// RoundTripper that reports no connection attempt through httptrace (one
// that is not an *http.Transport) gives no proof that nothing left, so its
// failures count as written.
func (c *APIClient) attempt(ctx context.Context, cl *call, url, token string, n int) (*response, bool, error) {
	// Whether a failed write may be retried depends on whether it could
	// have left; a GET is retried either way, so only writes are traced.
	var getConn, gotConn atomic.Bool
	reqCtx := ctx
	if cl.method != http.MethodGet {
		reqCtx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GetConn: func(string) { getConn.Store(true) },
			GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) },
		})
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(reqCtx, cl.method, url, body)
	if err != nil {
		return nil, false, err
	}
	// The header values are built once per client; each slice has no spare
	// capacity, so a RoundTripper that appends to one copies it first.
	for k, v := range c.headers {
		req.Header[k] = v
	}
	if cl.body != nil {
		req.Header["Content-Type"] = jsonHeader
	}
	if token != "" {
		if token == c.cfg.AccessToken {
			req.Header["Authorization"] = c.bearer
		} else {
			req.Header["Authorization"] = []string{"Bearer " + token}
		}
	}
	start := time.Now()
	hr, err := c.hc.Do(req)
	if err != nil {
		if c.logs(ctx, slog.LevelDebug) {
			c.log(ctx, slog.LevelDebug, "arthur: request failed", cl, slog.Int("attempt", n),
				slog.Duration("duration", time.Since(start)))
		}
		return nil, gotConn.Load() || !getConn.Load(), withoutQuery(err)
	}
	defer closeBody(hr.Body)
	limit := int64(maxSuccessBody)
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		limit = maxErrorBody
	}
	data, truncated, err := readBody(hr.Body, hr.ContentLength, limit)
	if c.logs(ctx, slog.LevelDebug) {
		c.log(ctx, slog.LevelDebug, "arthur: request", cl, slog.Int("attempt", n), slog.Int("status", hr.StatusCode),
			slog.Duration("duration", time.Since(start)), slog.String("request_id", requestID(hr.Header)))
	}
	if err != nil {
		return nil, true, fmt.Errorf("reading %d response body: %w", hr.StatusCode, err)
	}
	return &response{status: hr.StatusCode, header: hr.Header, body: data, truncated: truncated}, true, nil
}

// withoutQuery drops the query string from the URL that a transport error
// names (*url.Error): it may hold search terms and user IDs, which errors
// and log records leave out.
func withoutQuery(err error) error {
	var ue *neturl.Error
	if errors.As(err, &ue) {
		ue.URL, _, _ = strings.Cut(ue.URL, "?")
	}
	return err
}

// token picks the call's bearer token: the context's, TokenSource's,
// AccessToken, then the client's own client-credentials token. fromSource
// reports a token that a source can renew; stale is a token the server just
// refused, which the client's own source replaces.
func (c *APIClient) token(ctx context.Context, stale string) (token string, fromSource bool, err error) {
	if t := accessTokenFrom(ctx); t != "" {
		return t, false, nil
	}
	if c.cfg.TokenSource != nil {
		t, err := sourceToken(ctx, c.cfg.TokenSource, stale)
		switch {
		case err != nil:
			return "", true, fmt.Errorf("getting a token from Configuration.TokenSource: %w", err)
		case t == nil:
			return "", true, errors.New("getting a token from Configuration.TokenSource: it returned no token and no error")
		}
		return t.AccessToken, true, nil
	}
	if c.cfg.AccessToken != "" {
		return c.cfg.AccessToken, false, nil
	}
	if c.cc != nil {
		t, err := c.cc.Token(ctx, stale)
		return t, true, err
	}
	return "", false, nil
}

// sourceToken asks src for a token within ctx. A source of the SDK's own
// takes ctx for its requests. Any other has no ctx to take, so it is asked
// in a goroutine of its own that the call stops waiting for when ctx ends;
// the goroutine ends when the source returns.
func sourceToken(ctx context.Context, src oauth2.TokenSource, stale string) (*oauth2.Token, error) {
	if s, ok := src.(contextTokenSource); ok {
		return s.tokenContext(ctx, stale)
	}
	if ctx.Done() == nil {
		return src.Token()
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := src.Token()
		done <- result{tok, err}
	}()
	select {
	case r := <-done:
		return r.tok, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// contextTokenSource is a token source of the SDK's own: it makes its
// requests with the call's ctx, and can replace stale, a token the server
// refused, before that token is due for renewal. Other token sources are
// asked for a token again, and the call is repeated only if they give a
// different one.
type contextTokenSource interface {
	tokenContext(ctx context.Context, stale string) (*oauth2.Token, error)
}

// retryable says whether a failed attempt may be repeated without risk of
// doing a write twice.
func (c *APIClient) retryable(cl *call, resp *response, wrote, hasRetryAfter bool) bool {
	if resp == nil { // the connection failed
		return cl.method == http.MethodGet || !wrote
	}
	switch resp.status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return hasRetryAfter || cl.method == http.MethodGet
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return cl.method == http.MethodGet
	}
	return false
}

// backoff is the capped exponential wait before retry n, with equal jitter:
// between half and all of the step.
func (c *APIClient) backoff(n int) time.Duration {
	d := c.retry.InitialBackoff
	for i := 1; i < n && d < c.retry.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.retry.MaxBackoff)
	half := d / 2
	return half + rand.N(half+1)
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
// A wait too long for a time.Duration, however many digits it has, is the
// longest Duration, so that it exceeds any RetryPolicy.MaxRetryAfter.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	// On ErrRange, ParseInt returns the int64 nearest the value: its sign
	// is still the value's.
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// sleep waits for d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ctxError reports a call ended by its context: errors.Is(err, ctx.Err())
// holds, and the failure it interrupted is kept.
func ctxError(cl *call, ctxErr, cause error) error {
	if cause == nil {
		return fmt.Errorf("arthur: %s: %s %s: %w", cl.op, cl.method, cl.path, ctxErr)
	}
	if errors.Is(cause, ctxErr) {
		return fmt.Errorf("arthur: %s: %s %s: %w", cl.op, cl.method, cl.path, cause)
	}
	return fmt.Errorf("arthur: %s: %s %s: %w (after: %w)", cl.op, cl.method, cl.path, ctxErr, cause)
}

func (c *APIClient) apiError(cl *call, resp *response) error {
	e := &APIError{
		Operation:     cl.op,
		Method:        cl.method,
		Path:          cl.path,
		StatusCode:    resp.status,
		Header:        resp.header,
		Body:          resp.body,
		BodyTruncated: resp.truncated,
		RequestID:     requestID(resp.header),
	}
	e.decodeErrorBody()
	return e
}

// decode reads a 2xx body into out.
func (c *APIClient) decode(cl *call, resp *response, out any) error {
	if out == nil { // an operation with no result: whatever came is dropped
		return nil
	}
	fail := func(err error) error {
		e := &DecodeError{Operation: cl.op, Method: cl.method, Path: cl.path, StatusCode: resp.status,
			Model: cl.model, Body: bound(resp.body), Err: err}
		if cl.secret {
			e.Body = nil
		}
		return e
	}
	if resp.truncated {
		return fail(fmt.Errorf("body larger than %d bytes", maxSuccessBody))
	}
	body := bytes.TrimSpace(resp.body)
	if len(body) == 0 || bytes.Equal(body, []byte("null")) {
		if cl.allowNull {
			return nil
		}
		if len(body) == 0 {
			return fail(errors.New("empty body"))
		}
		return fail(errors.New("body is null"))
	}
	var err error
	if d, ok := out.(jsonDecoder); ok {
		if err = decodeAll(body, d.decodeJSON); err != nil {
			err = wireDecodeError(body, err)
		} else if !cl.secret {
			reuseBody(resp.body) // nothing decoded points into it
		}
	} else {
		err = json.Unmarshal(body, out)
	}
	if err != nil {
		return fail(err)
	}
	return nil
}

// wireDecodeError is the error a DecodeError keeps for a body that the
// reader refused with err: for a body that is not JSON at all, the
// *json.SyntaxError that encoding/json finds, with its Offset, as for the
// results that encoding/json decodes; for any other, err.
func wireDecodeError(body []byte, err error) error {
	var syntax *json.SyntaxError
	if errors.As(json.Unmarshal(body, new(json.RawMessage)), &syntax) {
		return syntax
	}
	return err
}

func bound(b []byte) []byte {
	if len(b) > maxErrorBody {
		return b[:maxErrorBody]
	}
	return b
}

// readBody reads a response body of the announced size (-1 when unknown)
// into one buffer of that size, and at most limit bytes whatever the
// announcement; it reports whether there was more.
func readBody(r io.Reader, size, limit int64) ([]byte, bool, error) {
	if size <= 0 || size > limit {
		return readBounded(r, limit)
	}
	buf := bodyBuffer(int(size) + 1) // one byte more shows a body longer than announced
	n, err := io.ReadFull(r, buf)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		if int64(n) < size { // the connection ended before the announced length
			return nil, false, io.ErrUnexpectedEOF
		}
		return buf[:n], false, nil
	case err != nil:
		return nil, false, err
	}
	rest, truncated, err := readBounded(r, limit-int64(n))
	if err != nil {
		return nil, false, err
	}
	return append(buf, rest...), truncated, nil
}

// readBounded reads at most limit bytes and reports whether there was more.
func readBounded(r io.Reader, limit int64) ([]byte, bool, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// closeBody drains a little of what is left, so the connection can be
// reused, and closes the body.
func closeBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

var requestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "X-Amz-Cf-Id", "Request-Id"}

func requestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// logs reports whether a record at level would be written, so that the
// hot path builds no record for a logger that is off.
func (c *APIClient) logs(ctx context.Context, level slog.Level) bool {
	return c.cfg.Logger != nil && c.cfg.Logger.Enabled(ctx, level)
}

// log writes a record with the call's method and path; never headers,
// query strings or bodies.
func (c *APIClient) log(ctx context.Context, level slog.Level, msg string, cl *call, attrs ...slog.Attr) {
	if !c.logs(ctx, level) {
		return
	}
	l := c.cfg.Logger
	attrs = append(attrs, slog.String("operation", cl.op), slog.String("method", cl.method), slog.String("path", cl.path))
	l.LogAttrs(ctx, level, msg, attrs...)
}
