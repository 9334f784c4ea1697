package fake

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

const formType = "application/x-www-form-urlencoded"

// deviceStart asks srv's device authorization endpoint for codes, as
// clientID, and returns the answer.
func deviceStart(t *testing.T, srv *arthurtest.Server, clientID string) map[string]any {
	t.Helper()
	r := send(t, http.MethodPost, srv.DeviceAuthorizationURL(), "", formType, url.Values{"client_id": {clientID}}.Encode())
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var ans map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &ans))
	return ans
}

// devicePoll polls the token endpoint for a device code, as the CLI
// client, and returns the OAuth2 error code ("" for a token) and the
// answer.
func devicePoll(t *testing.T, srv *arthurtest.Server, code string) (string, map[string]any) {
	t.Helper()
	return grant(t, srv, url.Values{"grant_type": {arthur.DeviceCodeGrantType}, "device_code": {code},
		"client_id": {arthur.DefaultDeviceClientID}})
}

// grant posts form to the token endpoint and returns the OAuth2 error code
// ("" for a token) and the answer.
func grant(t *testing.T, srv *arthurtest.Server, form url.Values) (string, map[string]any) {
	t.Helper()
	r := tokenRequest(t, srv, form.Encode(), "")
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
	var ans map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &ans), "body: %s", r.Body)
	code, _ := ans["error"].(string)
	if code == "" {
		require.Equal(t, http.StatusOK, r.Status)
	} else if code != "invalid_client" {
		require.Equal(t, http.StatusBadRequest, r.Status, "body: %s", r.Body)
	}
	return code, ans
}

// me is the user an access token authenticates, through the SDK.
func me(t *testing.T, srv *arthurtest.Server, token string) (*arthur.User, error) {
	t.Helper()
	return newClient(t, srv, noRetry).UsersV1API.GetUsersMe(arthur.WithAccessToken(context.Background(), token))
}

func TestDeviceAuthorizationEndpoint(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t)
	ans := deviceStart(t, srv, arthur.DefaultDeviceClientID)
	code := ans["user_code"].(string)
	assert.Regexp(t, `^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`, code)
	assert.NotEmpty(t, ans["device_code"])
	assert.Equal(t, srv.URL+"/realms/arthur/device", ans["verification_uri"])
	assert.Equal(t, srv.URL+"/realms/arthur/device?user_code="+code, ans["verification_uri_complete"])
	assert.Equal(t, float64(600), ans["expires_in"])
	assert.Equal(t, float64(1), ans["interval"])
	assert.NotEqual(t, code, deviceStart(t, srv, arthur.DefaultDeviceClientID)["user_code"], "each login has its own code")

	// The URIs use the host the client used.
	localhost := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	r := send(t, http.MethodPost, localhost+"/realms/arthur/protocol/openid-connect/auth/device", "", formType, "client_id=scope-cli-client")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, string(r.Body), `"verification_uri":"`+localhost+`/realms/arthur/device"`)
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))

	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"unknown client", formType, "client_id=other-cli", http.StatusUnauthorized, "invalid_client"},
		{"no client", formType, "scope=openid", http.StatusUnauthorized, "invalid_client"},
		{"a service account", formType, "client_id=" + url.QueryEscape(*sa.ClientID), http.StatusBadRequest, "unauthorized_client"},
		{"not a form", "application/json", `{"client_id":"scope-cli-client"}`, http.StatusBadRequest, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, http.MethodPost, srv.DeviceAuthorizationURL(), "", tc.contentType, tc.body)
			assert.Equal(t, tc.status, r.Status)
			var e map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &e))
			assert.Equal(t, tc.code, e["error"])
		})
	}

	t.Run("an injected fault is an OAuth2 error", func(t *testing.T) {
		require.NoError(t, srv.FailNext(arthurtest.OpDeviceAuthorization, 1, http.StatusServiceUnavailable, time.Second))
		r := send(t, http.MethodPost, srv.DeviceAuthorizationURL(), "", formType, "client_id=scope-cli-client")
		assert.Equal(t, http.StatusServiceUnavailable, r.Status)
		assert.Contains(t, string(r.Body), `"error":"temporarily_unavailable"`)
		assert.Equal(t, "1", r.Header.Get("Retry-After"))
	})
}

func TestDeviceIntervalOption(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t, arthurtest.WithDeviceInterval(1500*time.Millisecond))
	assert.Equal(t, float64(2), deviceStart(t, srv, arthur.DefaultDeviceClientID)["interval"], "rounded up to a second")
	for _, d := range []time.Duration{0, -time.Second} {
		_, err := arthurtest.Start(arthurtest.WithDeviceInterval(d))
		assert.ErrorContains(t, err, "WithDeviceInterval")
	}
}

// TestDeviceFlowPolling: slow_down to a poll sooner than the interval,
// authorization_pending until a decision, then the tokens, once.
func TestDeviceFlowPolling(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	ans := deviceStart(t, srv, arthur.DefaultDeviceClientID)
	code, userCode := ans["device_code"].(string), ans["user_code"].(string)

	got, _ := devicePoll(t, srv, code)
	assert.Equal(t, "slow_down", got, "polled at once, not after the interval")
	got, _ = devicePoll(t, srv, code)
	assert.Equal(t, "slow_down", got, "the interval counts from the last poll")
	time.Sleep(arthurtest.DefaultDeviceInterval)
	got, _ = devicePoll(t, srv, code)
	assert.Equal(t, "authorization_pending", got)

	require.NoError(t, srv.ApproveDevice(" "+strings.ToLower(strings.ReplaceAll(userCode, "-", ""))+" ", ada.ID),
		"codes are matched as people type them")
	got, _ = devicePoll(t, srv, code)
	assert.Equal(t, "slow_down", got, "still too soon")
	time.Sleep(arthurtest.DefaultDeviceInterval)
	got, tok := devicePoll(t, srv, code)
	require.Empty(t, got, "approved: %v", tok)
	assert.Equal(t, "Bearer", tok["token_type"])
	assert.Equal(t, float64(300), tok["expires_in"])
	assert.Equal(t, float64(1800), tok["refresh_expires_in"])
	assert.NotEmpty(t, tok["refresh_token"])
	u, err := me(t, srv, tok["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, ada.ID, u.ID, "the token is Ada's")

	got, _ = devicePoll(t, srv, code)
	assert.Equal(t, "invalid_grant", got, "a device code is redeemed once")
	assert.Error(t, srv.ApproveDevice(userCode, ada.ID), "and is gone")

	// The access token expires on the server's clock.
	srv.Advance(arthurtest.DefaultTokenTTL)
	_, err = me(t, srv, tok["access_token"].(string))
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
}

func TestDeviceFlowDecisions(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	bot, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	start := func() (string, string) {
		ans := deviceStart(t, srv, arthur.DefaultDeviceClientID)
		return ans["device_code"].(string), ans["user_code"].(string)
	}

	t.Run("who may approve", func(t *testing.T) {
		_, userCode := start()
		assert.ErrorContains(t, srv.ApproveDevice(userCode, bot.ID), "only people")
		assert.ErrorContains(t, srv.ApproveDevice(userCode, unknownID), "no user")
		assert.ErrorContains(t, srv.ApproveDevice(userCode, "not-a-uuid"), "no user")
		assert.ErrorContains(t, srv.ApproveDevice("BCDF-GHJK", ada.ID), "no device login")
		require.NoError(t, srv.ApproveDevice(userCode, ada.ID))
		assert.ErrorContains(t, srv.ApproveDevice(userCode, ada.ID), "already approved")
		assert.ErrorContains(t, srv.DenyDevice(userCode), "already approved")
	})
	t.Run("denied", func(t *testing.T) {
		code, userCode := start()
		require.NoError(t, srv.DenyDevice(userCode))
		assert.ErrorContains(t, srv.ApproveDevice(userCode, ada.ID), "denied")
		time.Sleep(arthurtest.DefaultDeviceInterval)
		got, ans := devicePoll(t, srv, code)
		assert.Equal(t, "access_denied", got)
		assert.NotEmpty(t, ans["error_description"])
		got, _ = devicePoll(t, srv, code)
		assert.Equal(t, "invalid_grant", got, "the code is gone")
	})
	t.Run("expired", func(t *testing.T) {
		code, userCode := start()
		srv.Advance(arthurtest.DeviceCodeTTL - time.Second)
		require.NoError(t, srv.ApproveDevice(userCode, ada.ID), "a second left")
		code2, userCode2 := start()
		srv.Advance(arthurtest.DeviceCodeTTL)
		assert.ErrorContains(t, srv.ApproveDevice(userCode2, ada.ID), "expired")
		for _, c := range []string{code, code2} {
			got, _ := devicePoll(t, srv, c)
			assert.Equal(t, "expired_token", got, "approved or not, an expired code gets no token")
		}
	})
	t.Run("wrong requests", func(t *testing.T) {
		code, _ := start()
		for _, tc := range []struct {
			name string
			form url.Values
			want string
		}{
			{"unknown code", url.Values{"grant_type": {arthur.DeviceCodeGrantType}, "device_code": {"nope"}, "client_id": {arthur.DefaultDeviceClientID}}, "invalid_grant"},
			{"no code", url.Values{"grant_type": {arthur.DeviceCodeGrantType}, "client_id": {arthur.DefaultDeviceClientID}}, "invalid_request"},
			{"another client", url.Values{"grant_type": {arthur.DeviceCodeGrantType}, "device_code": {code}, "client_id": {"other"}}, "invalid_client"},
			{"a service account", url.Values{"grant_type": {arthur.DeviceCodeGrantType}, "device_code": {code}, "client_id": {*bot.ClientID}}, "unauthorized_client"},
		} {
			got, _ := grant(t, srv, tc.form)
			assert.Equal(t, tc.want, got, tc.name)
		}
	})
}

func TestDeviceAutoApprove(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t, arthurtest.WithDeviceAutoApprove())
	ans := deviceStart(t, srv, arthur.DefaultDeviceClientID)
	assert.ErrorContains(t, srv.ApproveDevice(ans["user_code"].(string), srv.Users()[0].ID), "already approved")
	time.Sleep(arthurtest.DefaultDeviceInterval)
	got, tok := devicePoll(t, srv, ans["device_code"].(string))
	require.Empty(t, got)
	u, err := me(t, srv, tok["access_token"].(string))
	require.NoError(t, err)
	admin, _ := srv.Admin()
	assert.Equal(t, admin.ID, u.ID, "approved as the admin")
}

func TestRefreshTokenGrant(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t, arthurtest.WithDeviceAutoApprove())
	ans := deviceStart(t, srv, arthur.DefaultDeviceClientID)
	time.Sleep(arthurtest.DefaultDeviceInterval)
	_, tok := devicePoll(t, srv, ans["device_code"].(string))
	refresh := tok["refresh_token"].(string)
	admin, _ := srv.Admin()
	refreshForm := func(rt, clientID string) url.Values {
		return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {clientID}}
	}

	got, next := grant(t, srv, refreshForm(refresh, arthur.DefaultDeviceClientID))
	require.Empty(t, got)
	assert.NotEqual(t, tok["access_token"], next["access_token"])
	assert.NotEqual(t, refresh, next["refresh_token"])
	assert.Equal(t, float64(300), next["expires_in"])
	u, err := me(t, srv, next["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, admin.ID, u.ID)
	got, _ = grant(t, srv, refreshForm(refresh, arthur.DefaultDeviceClientID))
	assert.Empty(t, got, "a used refresh token stays valid until it expires")

	got, _ = grant(t, srv, refreshForm("nope", arthur.DefaultDeviceClientID))
	assert.Equal(t, "invalid_grant", got)
	got, _ = grant(t, srv, refreshForm("", arthur.DefaultDeviceClientID))
	assert.Equal(t, "invalid_request", got)
	got, _ = grant(t, srv, refreshForm(refresh, "other"))
	assert.Equal(t, "invalid_client", got)

	// Expiry, on the server's clock.
	srv.Advance(arthurtest.RefreshTokenTTL - time.Second)
	got, _ = grant(t, srv, refreshForm(next["refresh_token"].(string), arthur.DefaultDeviceClientID))
	require.Empty(t, got, "a second left")
	srv.Advance(time.Second)
	got, _ = grant(t, srv, refreshForm(refresh, arthur.DefaultDeviceClientID))
	assert.Equal(t, "invalid_grant", got, "expired")
}

func TestDeletingAUserRevokesTheirRefreshTokens(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	ans := deviceStart(t, srv, arthur.DefaultDeviceClientID)
	require.NoError(t, srv.ApproveDevice(ans["user_code"].(string), ada.ID))
	time.Sleep(arthurtest.DefaultDeviceInterval)
	_, tok := devicePoll(t, srv, ans["device_code"].(string))
	require.NotEmpty(t, tok["refresh_token"])

	require.NoError(t, newClient(t, srv).UsersV1API.DeleteUser(context.Background(), ada.ID))
	got, _ := grant(t, srv, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
		"client_id": {arthur.DefaultDeviceClientID}})
	assert.Equal(t, "invalid_grant", got)
	_, err := me(t, srv, tok["access_token"].(string))
	assert.ErrorIs(t, err, arthur.ErrUnauthorized)
}

// TestDeviceFlowScopes: the device endpoint takes a scope; the tokens
// grant the defaults, with offline_access when it was asked for, and so
// do their renewals; a scope the fake does not know is invalid_scope.
func TestDeviceFlowScopes(t *testing.T) {
	t.Parallel()
	srv := arthurtest.NewServer(t, arthurtest.WithDeviceAutoApprove())
	for _, tc := range []struct{ asked, granted string }{
		{"", "openid profile email"},
		{"openid", "openid profile email"},
		{"openid offline_access", "openid profile email offline_access"},
	} {
		r := send(t, http.MethodPost, srv.DeviceAuthorizationURL(), "", formType,
			url.Values{"client_id": {arthur.DefaultDeviceClientID}, "scope": {tc.asked}}.Encode())
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		var ans map[string]any
		require.NoError(t, json.Unmarshal(r.Body, &ans))
		time.Sleep(arthurtest.DefaultDeviceInterval)
		got, tok := devicePoll(t, srv, ans["device_code"].(string))
		require.Empty(t, got)
		assert.Equal(t, tc.granted, tok["scope"], "asked for %q", tc.asked)
		require.NotEmpty(t, tok["refresh_token"], "a refresh token either way, as Keycloak gives")
		got, next := grant(t, srv, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
			"client_id": {arthur.DefaultDeviceClientID}})
		require.Empty(t, got)
		assert.Equal(t, tc.granted, next["scope"], "a renewal keeps the scope")
	}

	r := send(t, http.MethodPost, srv.DeviceAuthorizationURL(), "", formType,
		url.Values{"client_id": {arthur.DefaultDeviceClientID}, "scope": {"openid groups"}}.Encode())
	assert.Equal(t, http.StatusBadRequest, r.Status)
	var refusal map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &refusal))
	assert.Equal(t, "invalid_scope", refusal["error"])
	assert.Contains(t, refusal["error_description"], "groups")
}
