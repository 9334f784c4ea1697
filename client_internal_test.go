package arthur

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"86400", 24 * time.Hour, true},
		{"99999999999", math.MaxInt64, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"99999999999999999999999999", math.MaxInt64, true},
		{"-99999999999999999999999999", 0, false},
		{"+5", 5 * time.Second, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	c := NewAPIClient(&Configuration{Host: "http://localhost", Retry: RetryPolicy{InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}})
	for n, step := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 30: time.Second} {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := c.backoff(n)
			assert.GreaterOrEqual(t, d, step/2, "retry %d", n)
			assert.LessOrEqual(t, d, step, "retry %d", n)
			seen[d] = true
		}
		assert.Greater(t, len(seen), 1, "retry %d has jitter", n)
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	assert.Equal(t, 4, p.MaxAttempts)
	assert.Equal(t, 200*time.Millisecond, p.InitialBackoff)
	assert.Equal(t, 5*time.Second, p.MaxBackoff)
	assert.Equal(t, time.Minute, p.MaxRetryAfter)
	assert.Equal(t, 1, RetryPolicy{MaxAttempts: 1}.withDefaults().MaxAttempts)
}

func TestOriginOf(t *testing.T) {
	assert.Equal(t, "https://h.example:443", originOf("https://h.example"))
	assert.Equal(t, "https://h.example:443", originOf("https://H.example:443/prefix"))
	assert.Equal(t, "http://h.example:80", originOf("http://h.example/api"))
	assert.Equal(t, "http://127.0.0.1:8080", originOf("http://127.0.0.1:8080"))
	assert.Equal(t, "http://[::1]:80", originOf("http://[::1]"))
	assert.Equal(t, "http://[::1]:9000", originOf("http://[::1]:9000"))
	assert.NotEqual(t, originOf("https://h.example"), originOf("http://h.example"))
	assert.NotEqual(t, originOf("https://h.example"), originOf("https://evil.h.example"))
}

func TestParseHost(t *testing.T) {
	got, err := parseHost("https://platform.arthur.ai/")
	require.NoError(t, err)
	assert.Equal(t, "https://platform.arthur.ai", got)
	got, err = parseHost("http://localhost:8080/prefix/")
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:8080/prefix", got)
	for _, bad := range []string{"", "localhost", "ftp://h", "https://", "https://u:pw@h", "https://h?x=1", "http://h#f", "http://%zz"} {
		_, err := parseHost(bad)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "pw", "a host's password never reaches an error")
	}
}

func TestParamsEncode(t *testing.T) {
	q, err := (*GetOrganizationUsersParams)(nil).encode("op")
	require.NoError(t, err)
	assert.Empty(t, q)
	q, err = (&GetOrganizationUsersParams{}).encode("op")
	require.NoError(t, err)
	assert.Empty(t, q, "zero fields are not sent")
	q, err = (&GetOrganizationUsersParams{
		Sort: UserSortEmail, Order: SortOrderDesc, UserTypes: []UserType{UserTypeUser, UserTypeServiceAccount},
		Search: "ada lovelace&co", UserIDs: []string{"a", "b"}, Page: 2, PageSize: 1000,
	}).encode("op")
	require.NoError(t, err)
	assert.Equal(t, "order=desc&page=2&page_size=1000&search=ada+lovelace%26co&sort=email&user_ids=a&user_ids=b&user_types=user&user_types=service_account", q)

	for _, tc := range []struct {
		p   GetOrganizationUsersParams
		arg string
	}{
		{GetOrganizationUsersParams{Page: -1}, "params.Page"},
		{GetOrganizationUsersParams{PageSize: -1}, "params.PageSize"},
		{GetOrganizationUsersParams{PageSize: 1001}, "params.PageSize"},
		{GetOrganizationUsersParams{UserIDs: []string{"a", " "}}, "params.UserIDs[1]"},
		{GetOrganizationUsersParams{UserTypes: []UserType{""}}, "params.UserTypes[0]"},
	} {
		_, err := tc.p.encode("GetOrganizationUsers")
		var ae *ArgumentError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, tc.arg, ae.Argument)
		assert.True(t, errors.Is(err, ErrInvalidArgument))
		assert.True(t, strings.HasPrefix(err.Error(), "arthur: GetOrganizationUsers: "+tc.arg+" "), err.Error())
	}
}

func TestPathSegment(t *testing.T) {
	p, err := pathSegment("op", "userID", "user ID", "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d")
	require.NoError(t, err)
	assert.Equal(t, "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", p)
	p, err = pathSegment("op", "userID", "user ID", "a%2Fb?c#d e")
	require.NoError(t, err)
	assert.Equal(t, "a%252Fb%3Fc%23d%20e", p)
	for _, bad := range []string{"", "  ", ".", "..", "a/b", "/"} {
		_, err := pathSegment("DeleteUser", "userID", "user ID", bad)
		var ae *ArgumentError
		require.ErrorAs(t, err, &ae, bad)
		assert.Equal(t, "userID", ae.Argument)
		assert.True(t, strings.HasPrefix(err.Error(), "arthur: DeleteUser: userID "), err.Error())
	}
}

func TestAPIErrorDecodesFastAPIBodies(t *testing.T) {
	mk := func(status int, body string) *APIError {
		e := &APIError{Operation: "GetUsersMe", Method: "GET", Path: "/api/v1/users/me", StatusCode: status,
			Body: []byte(body), Header: http.Header{"X-Request-Id": {"req-1"}}, RequestID: "req-1"}
		e.decodeErrorBody()
		return e
	}
	e := mk(404, `{"detail":"User not found"}`)
	var nf *NotFoundError
	require.ErrorAs(t, e, &nf)
	assert.Equal(t, "User not found", nf.Detail)
	assert.ErrorIs(t, e, ErrNotFound)
	assert.Equal(t, "arthur: GetUsersMe: GET /api/v1/users/me: 404 Not Found: User not found (request id req-1)", e.Error())

	e = mk(422, `{"detail":[{"loc":["body","email"],"msg":"bad email","type":"value_error"}]}`)
	var ve *HTTPValidationError
	require.ErrorAs(t, e, &ve)
	assert.Equal(t, "body.email: bad email", e.Detail)
	assert.ErrorIs(t, e, ErrValidation)

	e = mk(502, `<html><body>Bad Gateway</body></html>`)
	assert.Empty(t, e.Detail)
	assert.ErrorIs(t, e, ErrServer)
	var ise *InternalServerError
	assert.False(t, errors.As(e, &ise))

	e = mk(401, `{"detail":"Not authenticated"}`)
	assert.ErrorIs(t, e, ErrUnauthorized)
	assert.Equal(t, "Not authenticated", e.Detail)
	var br *BadRequestError
	assert.False(t, errors.As(e, &br), "401 has no spec model")

	e = mk(422, `{"detail":"plain string"}`)
	assert.False(t, errors.As(e, &ve), "a 422 whose detail is not a list is not an HTTPValidationError")
	assert.Equal(t, "plain string", e.Detail)

	e = mk(418, `{}`)
	assert.Empty(t, e.Unwrap())
}

func TestConfigurationFromEnv(t *testing.T) {
	t.Setenv(EnvHost, "https://platform.arthur.ai")
	t.Setenv(EnvAccessToken, "tok-123")
	cfg, err := ConfigurationFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://platform.arthur.ai", cfg.Host)
	assert.Equal(t, "tok-123", cfg.AccessToken)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", cfg, cfg, *cfg), "tok-123")

	t.Setenv(EnvHost, "platform.arthur.ai")
	_, err = ConfigurationFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvHost)

	t.Setenv(EnvHost, "")
	t.Setenv(EnvAccessToken, "")
	cfg, err = ConfigurationFromEnv()
	require.NoError(t, err)
	assert.Equal(t, DefaultHost, cfg.Host)
	assert.Empty(t, cfg.AccessToken)
}

func TestNewAPIClientCopiesConfiguration(t *testing.T) {
	cfg := NewConfiguration()
	cfg.AddDefaultHeader("X-Team", "a")
	c := NewAPIClient(cfg)
	cfg.DefaultHeader["X-Team"] = "b"
	cfg.Host = "http://elsewhere"
	got := c.GetConfig()
	assert.Equal(t, DefaultHost, got.Host)
	assert.Equal(t, "a", got.DefaultHeader["X-Team"])
	got.DefaultHeader["X-Team"] = "c"
	assert.Equal(t, "a", c.GetConfig().DefaultHeader["X-Team"])
	assert.NotNil(t, NewAPIClient(nil).UsersV1API)
}

func TestConfigurationFromEnvClientCredentials(t *testing.T) {
	t.Setenv(EnvHost, "")
	t.Setenv(EnvAccessToken, "")
	t.Setenv(EnvClientID, "robot")
	t.Setenv(EnvClientSecret, "s3cr3t-value")
	cfg, err := ConfigurationFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "robot", cfg.ClientID)
	assert.Equal(t, "s3cr3t-value", cfg.ClientSecret.Reveal())
	assert.NotContains(t, fmt.Sprintf("%v|%+v|%#v", cfg, cfg, *cfg), "s3cr3t-value")

	t.Setenv(EnvClientSecret, "")
	_, err = ConfigurationFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvClientSecret)
}

func TestAuthErrorUnwrap(t *testing.T) {
	e := &AuthError{Step: "token", URL: "https://idp/token", StatusCode: 401, Code: "invalid_client", Err: errors.New("refused")}
	assert.ErrorIs(t, e, ErrUnauthorized)
	assert.Equal(t, "arthur: client credentials: token at https://idp/token: 401 Unauthorized: invalid_client: refused", e.Error())
	e = &AuthError{Step: "discovery", URL: "https://h/x", Err: errors.New("dial")}
	assert.NotErrorIs(t, e, ErrUnauthorized)
}

func TestClientCredentialsRenewalSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ life, renewAfter time.Duration }{
		{300 * time.Second, 270 * time.Second},
		{40 * time.Second, 20 * time.Second},
		{2 * time.Second, time.Second},
	} {
		c := newClientCredentials("id", "s", "http://x/token", "http://x", http.DefaultClient)
		c.now = func() time.Time { return now }
		c.setToken(&oauth2.Token{AccessToken: "a", Expiry: now.Add(tc.life)})
		assert.Equal(t, now.Add(tc.renewAfter), c.renewAt, "life %v", tc.life)
	}
}

func TestConfigurationFromEnvAllowInsecureHTTP(t *testing.T) {
	t.Setenv(EnvHost, "http://arthur.internal:8080")
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	for v, want := range map[string]bool{"": false, "true": true, "1": true, "false": false, " 0 ": false} {
		t.Setenv(EnvAllowInsecureHTTP, v)
		cfg, err := ConfigurationFromEnv()
		require.NoError(t, err, v)
		assert.Equal(t, want, cfg.AllowInsecureHTTP, v)
	}
	t.Setenv(EnvAllowInsecureHTTP, "sure")
	_, err := ConfigurationFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvAllowInsecureHTTP)
}
