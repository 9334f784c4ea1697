package test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// A Host that already ends in /api/v1 would send every call to
// /api/v1/api/v1/..., which answers 404: it is refused, with an error that
// says why.
func TestHostEndingInAPIV1IsRefused(t *testing.T) {
	for _, host := range []string{
		testHost + "/api/v1", testHost + "/api/v1/", testHost + "/gateway/api/v1", testHost + "/API/V1",
	} {
		t.Run(host, func(t *testing.T) {
			m := newMockAPI(t, func(c *arthur.Configuration) { c.Host = host })
			m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
			_, err := m.api.GetUsersMe(t.Context())
			require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
			assert.Contains(t, err.Error(), "Configuration.Host")
			assert.Contains(t, err.Error(), "must not end in /api/v1")
			assert.Equal(t, 0, m.calls(), "nothing is sent")

			t.Setenv(arthur.EnvHost, host)
			_, err = arthur.ConfigurationFromEnv()
			require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
			assert.Contains(t, err.Error(), arthur.EnvHost)
			assert.Contains(t, err.Error(), "/api/v1")
		})
	}
}

// A path prefix that merely contains api/v1, or that follows it, is a
// gateway prefix like any other and is kept.
func TestHostPrefixIsKept(t *testing.T) {
	for host, want := range map[string]string{
		testHost + "/gateway":        "/gateway/api/v1/users/me",
		testHost + "/api/v1/gateway": "/api/v1/gateway/api/v1/users/me",
		testHost + "/myapi/v1":       "/myapi/v1/api/v1/users/me",
	} {
		t.Run(host, func(t *testing.T) {
			mock := httpmock.NewMockTransport()
			mock.RegisterResponder("GET", testHost+"/api/v1/users/me", respond(200, adaDoc().json()))
			validated := oas.NewTransport(t, mock)
			var mu sync.Mutex
			var sent string
			cfg := arthur.NewConfiguration()
			cfg.Host = host
			cfg.AccessToken = testToken
			// The contract knows the paths without a prefix: the path is
			// recorded as sent, then validated with the prefix taken off.
			cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
				mu.Lock()
				sent = req.URL.EscapedPath()
				mu.Unlock()
				out := req.Clone(req.Context())
				out.URL.Path = strings.TrimPrefix(req.URL.Path, strings.TrimSuffix(want, "/api/v1/users/me"))
				out.URL.RawPath = ""
				return validated.RoundTrip(out)
			})}
			_, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(t.Context())
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, want, sent)
		})
	}
}

// Every error that a Configuration causes before anything is sent matches
// arthur.ErrInvalidConfiguration.
func TestConfigurationErrorsMatchErrInvalidConfiguration(t *testing.T) {
	cases := map[string]func(*arthur.Configuration){
		"Host not a URL":          func(c *arthur.Configuration) { c.Host = "http://%zz" },
		"Host without scheme":     func(c *arthur.Configuration) { c.Host = "api.arthur.test" },
		"Host ftp":                func(c *arthur.Configuration) { c.Host = "ftp://api.arthur.test" },
		"Host without host name":  func(c *arthur.Configuration) { c.Host = "https://" },
		"Host with user info":     func(c *arthur.Configuration) { c.Host = "https://u:pw@api.arthur.test" },
		"Host with a query":       func(c *arthur.Configuration) { c.Host = testHost + "/?x=1" },
		"Host ending in /api/v1":  func(c *arthur.Configuration) { c.Host = testHost + "/api/v1" },
		"ClientID without secret": func(c *arthur.Configuration) { c.AccessToken, c.ClientID = "", "robot" },
		"secret without ClientID": func(c *arthur.Configuration) { c.AccessToken, c.ClientSecret = "", "robot-secret" },
		"token over plain http":   func(c *arthur.Configuration) { c.Host = "http://api.arthur.test" },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			m := newMockAPI(t, edit)
			m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
			_, err := m.api.GetUsersMe(t.Context())
			require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
			assert.NotErrorIs(t, err, arthur.ErrInvalidArgument)
			assert.NotContains(t, err.Error(), "pw@")
			assertNoToken(t, err)
			assert.Equal(t, 0, m.calls(), "nothing is sent")
		})
	}
	env := map[string]map[string]string{
		"ARTHUR_HOST not a URL":              {arthur.EnvHost: "api.arthur.test"},
		"ARTHUR_HOST ending in /api/v1":      {arthur.EnvHost: testHost + "/api/v1/"},
		"ARTHUR_CLIENT_ID alone":             {arthur.EnvClientID: "robot"},
		"ARTHUR_ALLOW_INSECURE_HTTP unclear": {arthur.EnvAllowInsecureHTTP: "maybe"},
	}
	for name, vars := range env {
		t.Run(name, func(t *testing.T) {
			for _, k := range []string{arthur.EnvHost, arthur.EnvAccessToken, arthur.EnvClientID, arthur.EnvClientSecret, arthur.EnvAllowInsecureHTTP} {
				t.Setenv(k, vars[k])
			}
			_, err := arthur.ConfigurationFromEnv()
			require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
		})
	}
	t.Run("device login with a bad Host", func(t *testing.T) {
		cfg := arthur.NewConfiguration()
		cfg.Host = testHost + "/api/v1"
		cfg.HTTPClient = &http.Client{Transport: httpmock.NewMockTransport()}
		_, err := arthur.StartDeviceLogin(t.Context(), cfg, "")
		require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
		assert.Contains(t, err.Error(), "/api/v1")
	})
}

// A client that NewAPIClient did not make has no transport and no
// configuration: its calls return an error that says what to do, and
// never panic.
func TestClientNotMadeByNewAPIClient(t *testing.T) {
	var zero arthur.APIClient
	var nilClient *arthur.APIClient
	services := map[string]*arthur.UsersV1APIService{
		"zero APIClient's UsersV1API":  zero.UsersV1API,
		"new(APIClient)'s UsersV1API":  new(arthur.APIClient).UsersV1API,
		"zero UsersV1APIService":       {},
		"nil *UsersV1APIService":       nil,
		"UsersV1API of a nil variable": func() *arthur.UsersV1APIService { return nil }(),
	}
	for name, api := range services {
		for _, op := range operations() {
			t.Run(name+"/"+op.name, func(t *testing.T) {
				var got any
				var err error
				require.NotPanics(t, func() { got, err = op.call(context.Background(), api) })
				require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
				assert.Contains(t, err.Error(), "NewAPIClient")
				assert.Contains(t, err.Error(), strings.TrimSuffix(op.name, "Iter"))
				assert.Nil(t, got)
			})
		}
	}
	require.NotPanics(t, func() {
		assert.NotNil(t, nilClient.GetConfig())
		assert.NotNil(t, zero.GetConfig())
		_ = fmt.Sprint(zero, &zero, nilClient)
	})
}
