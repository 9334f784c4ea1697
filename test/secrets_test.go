package test

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
