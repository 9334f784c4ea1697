package arthur

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNextInterval(t *testing.T) {
	assert.Equal(t, 6*time.Second, nextInterval(time.Second, "slow_down"), "RFC 8628: 5 s more")
	assert.Equal(t, 11*time.Second, nextInterval(nextInterval(time.Second, "slow_down"), "slow_down"), "and again")
	assert.Equal(t, time.Second, nextInterval(time.Second, "authorization_pending"))
}

func TestSecondsDecoding(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{`600`, 600 * time.Second},
		{`"600"`, 600 * time.Second},
		{`1.5`, 1500 * time.Millisecond},
		{`null`, 0},
		{`0`, 0},
		{`1e12`, 365 * 24 * time.Hour},
	} {
		var s seconds
		require.NoError(t, json.Unmarshal([]byte(tc.in), &s), tc.in)
		assert.Equal(t, tc.want, s.duration(), tc.in)
	}
	for _, bad := range []string{`-1`, `"soon"`, `true`, `{}`} {
		var s seconds
		assert.Error(t, json.Unmarshal([]byte(bad), &s), bad)
	}
}

func TestReadTokenAnswer(t *testing.T) {
	before := time.Now()
	tok, code, _, err := readTokenAnswer(200, []byte(`{"access_token":"at","token_type":"Bearer","refresh_token":"rt",`+
		`"expires_in":300,"id_token":"idt","scope":"openid"}`))
	require.NoError(t, err)
	assert.Empty(t, code)
	assert.Equal(t, "at", tok.AccessToken)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.Equal(t, "rt", tok.RefreshToken)
	assert.EqualValues(t, 300, tok.ExpiresIn)
	assert.WithinRange(t, tok.Expiry, before.Add(300*time.Second), time.Now().Add(300*time.Second))
	assert.Equal(t, "idt", tok.Extra("id_token"))

	tok, _, _, err = readTokenAnswer(200, []byte(`{"access_token":"at","token_type":"Bearer"}`))
	require.NoError(t, err)
	assert.True(t, tok.Expiry.IsZero(), "no expires_in, no expiry")

	for _, tc := range []struct {
		name      string
		status    int
		body      string
		code, msg string
	}{
		{"pending", 400, `{"error":"authorization_pending","error_description":"still pending"}`, "authorization_pending", "still pending"},
		{"no description", 400, `{"error":"slow_down"}`, "slow_down", "the token endpoint refused the request"},
		{"error in a 200", 200, `{"error":"access_denied"}`, "access_denied", "the token endpoint refused the request"},
		{"proxy page", 502, `<html>Bad Gateway</html>`, "", "the token endpoint refused the request"},
		{"no access token", 200, `{"token_type":"Bearer"}`, "", "the answer has no access_token"},
		{"not JSON", 200, `access_token=at`, "", "the answer is not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, code, _, err := readTokenAnswer(tc.status, []byte(tc.body))
			assert.Nil(t, tok)
			assert.Equal(t, tc.code, code)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestDeviceAuthErrors(t *testing.T) {
	denied := &AuthError{Grant: DeviceCodeGrantType, Step: "token", URL: "https://idp/token", StatusCode: 400, Code: "access_denied",
		Err: errors.New("the sign-in was denied")}
	assert.Equal(t, "arthur: device login: token at https://idp/token: 400 Bad Request: access_denied: the sign-in was denied", denied.Error())
	assert.ErrorIs(t, denied, ErrDeviceLoginDenied)
	assert.NotErrorIs(t, denied, ErrDeviceLoginExpired)
	assert.NotErrorIs(t, denied, ErrUnauthorized)

	expired := &AuthError{Grant: DeviceCodeGrantType, Step: "token", URL: "https://idp/token", Code: "expired_token", Err: errors.New("late")}
	assert.ErrorIs(t, expired, ErrDeviceLoginExpired)

	unknownClient := &AuthError{Grant: DeviceCodeGrantType, Step: "device", URL: "https://idp/device", StatusCode: 401, Code: "invalid_client", Err: errors.New("who")}
	assert.ErrorIs(t, unknownClient, ErrUnauthorized)

	ended := &AuthError{Grant: "refresh_token", Step: "token", URL: "https://idp/token", StatusCode: 400, Code: "invalid_grant", Err: errors.New("Token is not active")}
	assert.Equal(t, "arthur: token refresh: token at https://idp/token: 400 Bad Request: invalid_grant: Token is not active", ended.Error())
	assert.ErrorIs(t, ended, ErrUnauthorized, "a refused refresh token means signing in again")

	noURL := &AuthError{Grant: "refresh_token", Step: "token", Err: errors.New("no refresh token")}
	assert.Equal(t, "arthur: token refresh: token: no refresh token", noURL.Error())

	// A device code's invalid_grant is not a refused sign-in.
	badCode := &AuthError{Grant: DeviceCodeGrantType, Step: "token", StatusCode: 400, Code: "invalid_grant", Err: errors.New("x")}
	assert.NotErrorIs(t, badCode, ErrUnauthorized)
}

func TestDeviceAuthorizationPrintsNoDeviceCode(t *testing.T) {
	const code = "device-code-Gx81rQ"
	d := &DeviceAuthorization{UserCode: "WDJB-MJHT", VerificationURI: "https://idp/device", Interval: time.Second,
		flow: &deviceFlow{oc: &oidcClient{clientID: DefaultDeviceClientID}, tokenURL: "https://idp/token", deviceCode: Secret(code)}}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("start", "d", d, "v", *d)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("start", "d", d, "v", *d)
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", d, d, d), fmt.Sprintf("%v %+v %#v", *d, *d, *d), logged.String()} {
		assert.NotContains(t, out, code)
		assert.Contains(t, out, "WDJB-MJHT")
	}
}

func TestDeviceLoginArgumentErrors(t *testing.T) {
	var nilCtx context.Context
	_, err := StartDeviceLogin(nilCtx, nil, "")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = (&DeviceAuthorization{}).Wait(context.Background())
	assert.ErrorIs(t, err, ErrInvalidArgument, "a DeviceAuthorization not made by StartDeviceLogin")
	_, err = StartDeviceLogin(context.Background(), &Configuration{Host: "ftp://x"}, "")
	assert.ErrorContains(t, err, "Configuration.Host")
	_, err = DeviceTokenSource(context.Background(), &Configuration{Host: "ftp://x"}, "", nil).Token()
	assert.ErrorContains(t, err, "Configuration.Host")
}

func TestOIDCClientDefaults(t *testing.T) {
	oc, err := newOIDCClient(nil, "  ")
	require.NoError(t, err)
	assert.Equal(t, DefaultDeviceClientID, oc.clientID)
	assert.Equal(t, DefaultHost+DiscoveryPath, oc.discoveryURL)
	assert.Equal(t, 60*time.Second, oc.hc.Timeout)
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 7 * time.Second}
	oc, err = newOIDCClient(&Configuration{Host: "https://arthur.example/gw/", HTTPClient: hc, AllowInsecureHTTP: true}, "other")
	require.NoError(t, err)
	assert.Equal(t, "other", oc.clientID)
	assert.Equal(t, "https://arthur.example/gw"+DiscoveryPath, oc.discoveryURL)
	assert.Same(t, hc.Transport, oc.hc.Transport, "the caller's transport sends the requests")
	assert.Equal(t, hc.Timeout, oc.hc.Timeout)
	assert.NotNil(t, oc.hc.CheckRedirect, "redirects are checked")
	assert.Nil(t, hc.CheckRedirect, "on a copy: the caller's client is not changed")
	assert.True(t, oc.allowInsecure)
}
