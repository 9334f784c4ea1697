package test

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// plainClient is a client for host whose requests go to an httpmock
// transport answering GET /api/v1/users/me.
func plainClient(t *testing.T, host string, edit func(*arthur.Configuration)) (*arthur.APIClient, *httpmock.MockTransport) {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", host+"/api/v1/users/me", respond(200, adaDoc().json(), "Content-Type", "application/json"))
	cfg := arthur.NewConfiguration()
	cfg.Host = host
	cfg.AccessToken = testToken
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, mock)}
	if edit != nil {
		edit(cfg)
	}
	return arthur.NewAPIClient(cfg), mock
}

func TestTokenRefusedOverPlainHTTPToARemoteHost(t *testing.T) {
	for _, host := range []string{"http://api.arthur.test", "http://10.0.0.8:8080", "http://platform.arthur.ai"} {
		t.Run(host, func(t *testing.T) {
			c, mock := plainClient(t, host, nil)
			_, err := c.UsersV1API.GetUsersMe(t.Context())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "plain http://")
			assert.Contains(t, err.Error(), "AllowInsecureHTTP")
			assert.NotContains(t, err.Error(), testToken)
			assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing is sent")

			ctx := arthur.WithAccessToken(t.Context(), "per-call-token")
			c, mock = plainClient(t, host, func(cfg *arthur.Configuration) { cfg.AccessToken = "" })
			_, err = c.UsersV1API.GetUsersMe(ctx)
			require.Error(t, err, "a per-call token is refused too")
			assert.Equal(t, 0, mock.GetTotalCallCount())
		})
	}
}

func TestTokenAllowedOverPlainHTTPToLoopbackOrWhenOptedIn(t *testing.T) {
	for _, tc := range []struct {
		host  string
		optIn bool
	}{
		{"http://localhost:8080", false},
		{"http://127.0.0.1:9000", false},
		{"http://127.8.9.10", false},
		{"http://[::1]:8080", false},
		{"http://api.localhost", false},
		{"http://api.arthur.test", true},
	} {
		t.Run(tc.host, func(t *testing.T) {
			c, mock := plainClient(t, tc.host, func(cfg *arthur.Configuration) { cfg.AllowInsecureHTTP = tc.optIn })
			_, err := c.UsersV1API.GetUsersMe(t.Context())
			require.NoError(t, err)
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
}

func TestClientSecretRefusedOverPlainHTTP(t *testing.T) {
	mock := httpmock.NewMockTransport()
	cfg := arthur.NewConfiguration()
	cfg.Host = "https://api.arthur.test"
	cfg.ClientID, cfg.ClientSecret = "robot", "robot-secret-value"
	cfg.TokenURL = "http://idp.arthur.test/token"
	cfg.HTTPClient = &http.Client{Transport: mock}
	_, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(t.Context())
	var ae *arthur.AuthError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "token", ae.Step)
	assert.Contains(t, err.Error(), "plain http://")
	assert.NotContains(t, err.Error(), "robot-secret-value")
	assert.Equal(t, 0, mock.GetTotalCallCount(), "the secret is not sent")
}
