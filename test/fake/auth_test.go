package fake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// tokenRequest posts a form to the token endpoint, with HTTP Basic
// credentials when basic is "id:secret".
func tokenRequest(t *testing.T, srv *arthurtest.Server, form, basic string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.TokenURL(), strings.NewReader(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id, secret, ok := strings.Cut(basic, ":"); ok {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// clientCredentialsToken gets a token for a service account.
func clientCredentialsToken(t *testing.T, srv *arthurtest.Server, id, secret string) string {
	t.Helper()
	r := tokenRequest(t, srv, url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}.Encode(), "")
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

// everyOperation is one raw request per Users V1 operation.
func everyOperation(id string) []struct{ method, path, body string } {
	return []struct{ method, path, body string }{
		{http.MethodGet, "/api/v1/organization/users", ""},
		{http.MethodPost, "/api/v1/organization/users", `{"first_name":"A","email":"a@example.com","password":"p"}`},
		{http.MethodPost, "/api/v1/organization/users/invite-user", `{"email":"a@example.com"}`},
		{http.MethodPost, "/api/v1/organization/service_accounts", `{"name":"ci"}`},
		{http.MethodGet, "/api/v1/users/me", ""},
		{http.MethodPost, "/api/v1/users/me/accept-invite", ""},
		{http.MethodDelete, "/api/v1/users/" + id, ""},
		{http.MethodPatch, "/api/v1/users/" + id, `{"last_name":null}`},
		{http.MethodPatch, "/api/v1/users/" + id + "/service_account", `{"name":"x"}`},
		{http.MethodPost, "/api/v1/users/" + id + "/credentials", ""},
	}
}

func TestEveryOperationNeedsAValidToken(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada"})
	expired := expiredToken(t, srv)

	headers := map[string]string{
		"no header":       "",
		"basic scheme":    "Basic " + srv.Token,
		"empty bearer":    "Bearer ",
		"unknown token":   "Bearer not-a-token",
		"expired token":   "Bearer " + expired,
		"no scheme":       srv.Token,
		"token as scheme": "Bearer" + srv.Token,
	}
	for _, op := range everyOperation(ada.ID) {
		for name, h := range headers {
			t.Run(op.method+" "+op.path+" "+name, func(t *testing.T) {
				before := snapshot(srv)
				req, err := http.NewRequest(op.method, srv.URL+op.path, strings.NewReader(op.body))
				require.NoError(t, err)
				if h != "" {
					req.Header.Set("Authorization", h)
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				var body map[string]any
				require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
				assert.Equal(t, map[string]any{"detail": "Not authenticated"}, body)
				assert.Equal(t, "Bearer", resp.Header.Get("WWW-Authenticate"))
				unchanged(t, srv, before)
			})
		}
	}
}

// expiredToken returns a service account's token that has expired.
func expiredToken(t *testing.T, srv *arthurtest.Server) string {
	t.Helper()
	sa, err := srv.AddServiceAccount("expiring")
	require.NoError(t, err)
	now := srv.Now()
	srv.SetNow(now)
	tok := clientCredentialsToken(t, srv, sa.Credentials.ClientID, sa.Credentials.ClientSecret.Reveal())
	srv.Advance(arthurtest.DefaultTokenTTL)
	return tok
}

func TestTheBearerSchemeIgnoresCase(t *testing.T) {
	srv := arthurtest.NewServer(t)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/users/me", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestSDKSeesUnauthorized(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv, func(cfg *arthur.Configuration) { cfg.AccessToken = "wrong" })
	_, err := client.UsersV1API.GetUsersMe(context.Background())
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Not authenticated", apiErr.Detail)
	assert.NotEmpty(t, apiErr.RequestID, "the fake sends X-Request-Id")
	assert.NotContains(t, err.Error(), "wrong")
}

func TestDiscoveryDocument(t *testing.T) {
	srv := arthurtest.NewServer(t)
	r := send(t, http.MethodGet, srv.URL+"/api/v1/auth/oidc/.well-known/openid-configuration", "", "", "")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &doc))
	assert.Equal(t, srv.URL+"/realms/arthur", doc["issuer"])
	assert.Equal(t, srv.TokenURL(), doc["token_endpoint"])
	assert.Equal(t, srv.URL+"/realms/arthur/protocol/openid-connect/auth/device", doc["device_authorization_endpoint"])
	assert.Equal(t, srv.URL+"/realms/arthur/protocol/openid-connect/certs", doc["jwks_uri"])
	assert.Equal(t, srv.URL+"/realms/arthur/protocol/openid-connect/auth", doc["authorization_endpoint"])
	assert.Equal(t, []any{"client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token"}, doc["grant_types_supported"])
	assert.Equal(t, srv.DeviceAuthorizationURL(), doc["device_authorization_endpoint"])

	// The endpoints use the host the client used.
	localhost := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	r = send(t, http.MethodGet, localhost+"/api/v1/auth/oidc/.well-known/openid-configuration", "", "", "")
	require.Equal(t, http.StatusOK, r.Status)
	require.NoError(t, json.Unmarshal(r.Body, &doc))
	assert.Equal(t, localhost+"/realms/arthur/protocol/openid-connect/token", doc["token_endpoint"])

	jwks := send(t, http.MethodGet, doc["jwks_uri"].(string), "", "", "")
	require.Equal(t, http.StatusOK, jwks.Status)
	assert.JSONEq(t, `{"keys":[]}`, string(jwks.Body))

	// The authorization-code flow is not served; the device flow is (device_test.go).
	r = send(t, http.MethodPost, doc["authorization_endpoint"].(string), "", "application/x-www-form-urlencoded", "client_id=scope-cli-client")
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, string(r.Body), `"error":"unsupported_grant_type"`)
}

func TestTokenEndpoint(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	id, secret := sa.Credentials.ClientID, sa.Credentials.ClientSecret.Reveal()
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}.Encode()

	t.Run("secret in the form", func(t *testing.T) {
		r := tokenRequest(t, srv, good, "")
		require.Equal(t, http.StatusOK, r.Status)
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
		var tok map[string]any
		require.NoError(t, json.Unmarshal(r.Body, &tok))
		assert.Equal(t, "Bearer", tok["token_type"])
		assert.Equal(t, float64(300), tok["expires_in"])
		assert.NotEmpty(t, tok["access_token"])
	})
	t.Run("HTTP Basic", func(t *testing.T) {
		r := tokenRequest(t, srv, "grant_type=client_credentials", id+":"+secret)
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	})
	t.Run("tokens differ", func(t *testing.T) {
		assert.NotEqual(t, clientCredentialsToken(t, srv, id, secret), clientCredentialsToken(t, srv, id, secret))
	})

	refusals := []struct {
		name, form, basic string
		status            int
		code              string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"nope"}}.Encode(), "", 401, "invalid_client"},
		{"wrong secret in Basic", "grant_type=client_credentials", id + ":nope", 401, "invalid_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"who"}, "client_secret": {secret}}.Encode(), "", 401, "invalid_client"},
		{"no secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}}.Encode(), "", 401, "invalid_client"},
		{"no client", "grant_type=client_credentials", "", 401, "invalid_client"},
		{"no grant type", url.Values{"client_id": {id}, "client_secret": {secret}}.Encode(), "", 400, "invalid_request"},
		{"password grant", url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret}}.Encode(), "", 400, "unsupported_grant_type"},
		{"bad form", "grant_type=%zz", "", 400, "invalid_request"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			r := tokenRequest(t, srv, tc.form, tc.basic)
			assert.Equal(t, tc.status, r.Status)
			var e map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &e))
			assert.Equal(t, tc.code, e["error"])
			if tc.basic != "" {
				assert.Equal(t, `Basic realm="arthur"`, r.Header.Get("WWW-Authenticate"))
			}
		})
	}

	t.Run("not a form", func(t *testing.T) {
		r := send(t, http.MethodPost, srv.TokenURL(), "", "application/json", `{"grant_type":"client_credentials"}`)
		assert.Equal(t, http.StatusBadRequest, r.Status)
		assert.Contains(t, string(r.Body), `"error":"invalid_request"`)
	})
	t.Run("GET", func(t *testing.T) {
		r := send(t, http.MethodGet, srv.TokenURL(), "", "", "")
		assert.Equal(t, "Method Not Allowed", detail(t, r, http.StatusMethodNotAllowed))
		assert.Equal(t, "POST", r.Header.Get("Allow"))
	})
	t.Run("people get no tokens", func(t *testing.T) {
		admin, _ := srv.Admin()
		r := tokenRequest(t, srv, url.Values{"grant_type": {"client_credentials"}, "client_id": {admin.ID}, "client_secret": {"x"}}.Encode(), "")
		assert.Equal(t, http.StatusUnauthorized, r.Status)
	})
}

func TestTokensAuthenticateAsTheServiceAccountUntilTheyExpire(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	srv.SetNow(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	tok := clientCredentialsToken(t, srv, sa.Credentials.ClientID, sa.Credentials.ClientSecret.Reveal())
	client := newClient(t, srv, noRetry)
	ctx := arthur.WithAccessToken(context.Background(), tok)

	me, err := client.UsersV1API.GetUsersMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, sa.User(), *me)

	srv.Advance(arthurtest.DefaultTokenTTL - time.Second)
	_, err = client.UsersV1API.GetUsersMe(ctx)
	require.NoError(t, err, "still valid a second before expiry")

	srv.Advance(time.Second)
	_, err = client.UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, arthur.ErrUnauthorized, "expired")

	_, err = client.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err, "the admin's token never expires")
}

func TestOAuth2ClientCredentialsEndToEnd(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)

	r := send(t, http.MethodGet, srv.URL+"/api/v1/auth/oidc/.well-known/openid-configuration", "", "", "")
	var doc struct {
		TokenEndpoint string `json:"token_endpoint"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &doc))

	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		cc := clientcredentials.Config{
			ClientID: sa.Credentials.ClientID, ClientSecret: sa.Credentials.ClientSecret.Reveal(),
			TokenURL: doc.TokenEndpoint, AuthStyle: style,
		}
		client := newClient(t, srv, func(cfg *arthur.Configuration) {
			cfg.AccessToken = ""
			cfg.TokenSource = cc.TokenSource(context.Background())
		})
		me, err := client.UsersV1API.GetUsersMe(context.Background())
		require.NoError(t, err)
		assert.Equal(t, sa.ID, me.ID)
		assert.Equal(t, arthur.UserTypeServiceAccount, me.UserType)

		tok, err := cc.Token(context.Background())
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(300*time.Second), tok.Expiry, 5*time.Second)
	}
}

// The SDK's own client-credentials support, against the fake: discovery,
// a token, the calls, renewal after expiry, and a retired secret.
func TestSDKClientCredentialsAgainstTheFake(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	tokenPath := strings.TrimPrefix(srv.TokenURL(), srv.URL)
	serviceAccountClient := func(t *testing.T, secret arthur.Secret, edit ...func(*arthur.Configuration)) *arthur.APIClient {
		cfg := arthur.NewConfiguration()
		cfg.Host = srv.URL
		cfg.ClientID, cfg.ClientSecret = sa.Credentials.ClientID, secret
		cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
		cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, nil).Outside(arthur.DiscoveryPath, tokenPath)}
		for _, e := range edit {
			e(cfg)
		}
		return arthur.NewAPIClient(cfg)
	}
	ctx := context.Background()

	t.Run("discovery, one token, many calls", func(t *testing.T) {
		srv.ResetRequests()
		client := serviceAccountClient(t, sa.Credentials.ClientSecret)
		for range 3 {
			me, err := client.UsersV1API.GetUsersMe(ctx)
			require.NoError(t, err)
			assert.Equal(t, sa.ID, me.ID)
		}
		var ops []string
		for _, r := range srv.Requests() {
			ops = append(ops, r.Operation)
		}
		assert.Equal(t, []string{arthurtest.OpOpenIDConfiguration, arthurtest.OpToken,
			arthurtest.OpGetUsersMe, arthurtest.OpGetUsersMe, arthurtest.OpGetUsersMe}, ops)
	})
	t.Run("a token the server expired is renewed", func(t *testing.T) {
		client := serviceAccountClient(t, sa.Credentials.ClientSecret, func(cfg *arthur.Configuration) { cfg.TokenURL = srv.TokenURL() })
		_, err := client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
		srv.Advance(arthurtest.DefaultTokenTTL + time.Second) // the SDK's clock does not see this
		srv.ResetRequests()
		me, err := client.UsersV1API.GetUsersMe(ctx)
		require.NoError(t, err)
		assert.Equal(t, sa.ID, me.ID)
		var statuses []string
		for _, r := range srv.Requests() {
			statuses = append(statuses, r.Operation)
		}
		assert.Equal(t, []string{arthurtest.OpGetUsersMe, arthurtest.OpToken, arthurtest.OpGetUsersMe}, statuses, "401, a new token, the call again")
	})
	t.Run("a retired secret", func(t *testing.T) {
		_, err := newClient(t, srv).UsersV1API.PostUserCreds(ctx, sa.ID)
		require.NoError(t, err)
		_, err = serviceAccountClient(t, sa.Credentials.ClientSecret).UsersV1API.GetUsersMe(ctx)
		require.ErrorIs(t, err, arthur.ErrUnauthorized)
		var authErr *arthur.AuthError
		require.ErrorAs(t, err, &authErr)
		assert.Equal(t, "token", authErr.Step)
		assert.Equal(t, "invalid_client", authErr.Code)
		assert.Equal(t, http.StatusUnauthorized, authErr.StatusCode)
		assert.NotContains(t, err.Error(), sa.Credentials.ClientSecret.Reveal())
	})
}
