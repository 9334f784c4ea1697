package test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// bearerRecorder keeps every bearer token that went out, so that the
// tokens the client got for itself can be guarded too.
type bearerRecorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	tokens map[string]bool
}

func (b *bearerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok && tok != "" {
		b.mu.Lock()
		if b.tokens == nil {
			b.tokens = make(map[string]bool)
		}
		b.tokens[tok] = true
		b.mu.Unlock()
	}
	return b.next.RoundTrip(req)
}

func (b *bearerRecorder) seen() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.tokens))
	for tok := range b.tokens {
		out = append(out, tok)
	}
	return out
}

// Real calls against the fake, with a debug logger that fails the test on
// any token, password or client secret: retried writes that carry or return
// credentials, a service account signing in with its client secret and
// renewing its token after a 401, a refused secret, a 422, and the results
// logged by the caller.
func TestSecretsNeverReachLogsOrErrors(t *testing.T) {
	const password = "pw-initial-6c1e!"
	srv := arthurtest.NewServer(t)
	logger, logs := newLogRecorder(t, srv.Token, password)
	bearers := &bearerRecorder{next: freshTransport(t)}
	tokenURL, err := url.Parse(srv.TokenURL())
	require.NoError(t, err)

	// Every write below meets a 503 with Retry-After: 0 on its first try.
	flaky := &flakyTransport{next: bearers, fail: func(_ int64, req *http.Request) bool { return false }}
	cfg := srv.Configuration()
	cfg.Retry = fastRetry
	cfg.Logger = logger
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, flaky)}
	admin := arthur.NewAPIClient(cfg).UsersV1API
	ctx := guard(t)

	ada, err := admin.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com", Password: password})
	require.NoError(t, err)
	flaky.fail = firstOf("/api/v1/organization/service_accounts", "/api/v1/users/"+ada.ID+"/credentials")

	sa, err := admin.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: "ci-bot"})
	require.NoError(t, err)
	firstSecret := sa.Credentials.ClientSecret.Reveal()
	logs.guard(firstSecret)
	logger.Info("created a service account", "sa", sa, "ptr", &sa, "credentials", sa.Credentials)

	creds, err := admin.PostUserCreds(ctx, ada.ID)
	require.NoError(t, err)
	require.NotNil(t, creds.Credentials.User)
	logs.guard(creds.Credentials.User.Password.Reveal())
	logger.Info("new password", "user", creds, "credentials", creds.Credentials)

	flaky.fail = firstOf("/api/v1/users/" + sa.ID + "/credentials")
	renewed, err := admin.PostUserCreds(ctx, sa.ID)
	require.NoError(t, err)
	require.NotNil(t, renewed.Credentials.ServiceAccount)
	secret := renewed.Credentials.ServiceAccount.ClientSecret
	logs.guard(secret.Reveal())
	logger.Info("new client secret", "user", renewed)
	assert.Equal(t, int64(3), flaky.injected.Load(), "each write was retried once")

	// The service account signs in with its current secret, and renews its
	// token when the server refuses it (the fake's clock has moved past its
	// expiry, the client's has not).
	saConfig := func(secret arthur.Secret) *arthur.Configuration {
		c := arthur.NewConfiguration()
		c.Host = srv.URL
		c.ClientID = sa.Credentials.ClientID
		c.ClientSecret = secret
		c.Retry = fastRetry
		c.Logger = logger
		c.HTTPClient = &http.Client{Transport: oas.NewTransport(t, bearers).Outside(arthur.DiscoveryPath, tokenURL.Path)}
		return c
	}
	robot := arthur.NewAPIClient(saConfig(secret)).UsersV1API
	me, err := robot.GetUsersMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, sa.ID, me.ID)
	srv.Advance(arthurtest.DefaultTokenTTL + time.Second)
	_, err = robot.GetUsersMe(ctx)
	require.NoError(t, err)
	require.Len(t, logs.withMessage("arthur: renewing the token after 401"), 1)
	logger.Info("service account configuration", "cfg", saConfig(secret))

	// The first secret was retired: the token endpoint refuses it.
	_, err = arthur.NewAPIClient(saConfig(arthur.Secret(firstSecret))).UsersV1API.GetUsersMe(ctx)
	var authErr *arthur.AuthError
	require.ErrorAs(t, err, &authErr)
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
	logs.checkErr(err)

	// A 401 for a token the server does not know, and a 422.
	_, err = admin.GetUsersMe(arthur.WithAccessToken(ctx, "unknown-token-0f4e"))
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	logs.checkErr(err)
	require.NoError(t, srv.FailNext(arthurtest.OpPatchUser, 1, 422, 0))
	_, err = admin.PatchUser(ctx, ada.ID, arthur.PatchUser{FirstName: arthur.Value("Augusta")})
	require.ErrorIs(t, err, arthur.ErrValidation)
	logs.checkErr(err)

	// Every bearer token that went out is a secret too; the records are
	// checked again against them when the test ends.
	tokens := bearers.seen()
	assert.GreaterOrEqual(t, len(tokens), 4, "the admin's, the unknown one and two of the service account's")
	logs.guard(tokens...)

	assert.NotEmpty(t, logs.withMessage("arthur: retrying"))
	assert.NotEmpty(t, logs.withMessage("arthur: request"))
	for _, rec := range logs.all() {
		if rec.Level == slog.LevelInfo {
			assert.Contains(t, rec.Text, "[REDACTED]", "a logged model shows its secret redacted")
		}
	}
}

// TestAuthErrorsRedactWhatTheIdentityProviderEchoes: an identity provider
// that repeats in its error what the request sent it (the client secret,
// a device code, a refresh token) does not get it into the error's text.
func TestAuthErrorsRedactWhatTheIdentityProviderEchoes(t *testing.T) {
	t.Parallel()
	noSecret := func(t *testing.T, err error, secret string) {
		t.Helper()
		require.Error(t, err)
		var ae *arthur.AuthError
		require.ErrorAs(t, err, &ae)
		for _, text := range []string{err.Error(), ae.Error(), ae.Err.Error(), ae.Code, fmt.Sprintf("%+v", err)} {
			assert.NotContains(t, text, secret)
		}
		assert.Contains(t, err.Error(), "[REDACTED]", "the echo is shown redacted")
	}

	t.Run("client secret", func(t *testing.T) {
		t.Parallel()
		mux := http.NewServeMux()
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		mux.HandleFunc("GET "+arthur.DiscoveryPath, func(w http.ResponseWriter, r *http.Request) {
			writeJSONAnswer(w, http.StatusOK, map[string]any{"token_endpoint": srv.URL + idpTokenPath})
		})
		mux.HandleFunc("POST "+idpTokenPath, func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			secret := r.PostForm.Get("client_secret")
			writeJSONAnswer(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client",
				"error_description": "client " + r.PostForm.Get("client_id") + " with secret " + secret + " is not known"})
		})
		cfg := arthur.NewConfiguration()
		cfg.Host = srv.URL
		cfg.ClientID, cfg.ClientSecret = idpClientID, idpClientSecret
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, tr).Outside(arthur.DiscoveryPath, idpTokenPath)}
		_, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(t.Context())
		noSecret(t, err, idpClientSecret)
		assert.ErrorIs(t, err, arthur.ErrUnauthorized)
		assert.Contains(t, err.Error(), idpClientID, "the rest of the description is kept")
	})
	t.Run("device code", func(t *testing.T) {
		t.Parallel()
		p := newDeviceIDP(t, "pending")
		p.echo = true
		d, err := arthur.StartDeviceLogin(t.Context(), p.config(t), "")
		require.NoError(t, err)
		_, err = d.Wait(t.Context())
		noSecret(t, err, deviceCode)
	})
	t.Run("refresh token", func(t *testing.T) {
		t.Parallel()
		p := newDeviceIDP(t)
		p.echo = true
		const refresh = "rt-refused-8Yq2"
		_, err := arthur.DeviceTokenSource(t.Context(), p.config(t), "",
			&oauth2.Token{AccessToken: "at-old", RefreshToken: refresh, Expiry: time.Now().Add(-time.Second)}).Token()
		noSecret(t, err, refresh)
		assert.ErrorIs(t, err, arthur.ErrUnauthorized)
	})
}

// TestDeviceTokenSourcePrintsNoToken: the source a person's sign-in lives
// in prints and logs without its access token or refresh token, before and
// after a renewal.
func TestDeviceTokenSourcePrintsNoToken(t *testing.T) {
	t.Parallel()
	p := newDeviceIDP(t)
	first := p.issue()
	start := &oauth2.Token{AccessToken: first["access_token"].(string), RefreshToken: first["refresh_token"].(string),
		Expiry: time.Now().Add(-time.Second)}
	src := arthur.DeviceTokenSource(t.Context(), p.config(t), "", start)
	check := func(secrets ...string) {
		t.Helper()
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("source", "src", src)
		slog.New(slog.NewTextHandler(&logged, nil)).Info("source", "src", src)
		texts := []string{logged.String()}
		for _, verb := range []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%d"} {
			texts = append(texts, fmt.Sprintf(verb, src))
		}
		for _, text := range texts {
			for _, secret := range secrets {
				assert.NotContains(t, text, secret)
			}
			assert.Contains(t, text, "REDACTED")
		}
	}
	check(start.AccessToken, start.RefreshToken)
	renewed, err := src.Token()
	require.NoError(t, err)
	require.NotEqual(t, start.AccessToken, renewed.AccessToken)
	check(start.RefreshToken, renewed.AccessToken, renewed.RefreshToken)
}
