package fake

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestFailNextAnswersTheStatusNTimes(t *testing.T) {
	srv := arthurtest.NewServer(t)
	require.NoError(t, srv.FailNext(arthurtest.OpGetOrganizationUsers, 2, http.StatusServiceUnavailable, 1500*time.Millisecond))

	for range 2 {
		r := api(t, srv, http.MethodGet, "/api/v1/organization/users", "")
		assert.Equal(t, "Service Unavailable (injected by arthurtest)", detail(t, r, http.StatusServiceUnavailable))
		assert.Equal(t, "2", r.Header.Get("Retry-After"), "whole seconds, rounded up")
	}
	r := api(t, srv, http.MethodGet, "/api/v1/organization/users", "")
	assert.Equal(t, http.StatusOK, r.Status)

	// Other operations are not affected.
	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, http.StatusInternalServerError, 0))
	r = api(t, srv, http.MethodGet, "/api/v1/organization/users", "")
	assert.Equal(t, http.StatusOK, r.Status)
	r = api(t, srv, http.MethodGet, "/api/v1/users/me", "")
	detail(t, r, http.StatusInternalServerError)
	assert.Empty(t, r.Header.Get("Retry-After"))
}

func TestFailNextQueuesAndAnyOperation(t *testing.T) {
	srv := arthurtest.NewServer(t)
	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 502, 0))
	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 504, 0))
	require.NoError(t, srv.FailNext(arthurtest.AnyOperation, 2, 500, 0))
	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 0, 500, 0)) // nothing

	var got []int
	for range 5 {
		got = append(got, api(t, srv, http.MethodGet, "/api/v1/users/me", "").Status)
	}
	assert.Equal(t, []int{502, 504, 500, 500, 200}, got, "an operation's own failures first, in order")

	require.NoError(t, srv.FailNext(arthurtest.AnyOperation, 1, 500, 0))
	assert.Equal(t, 500, api(t, srv, http.MethodPost, "/api/v1/users/me/accept-invite", "").Status)

	require.NoError(t, srv.FailNext(arthurtest.AnyOperation, 3, 500, 0))
	srv.ResetFaults()
	assert.Equal(t, 200, api(t, srv, http.MethodGet, "/api/v1/users/me", "").Status)
}

func TestFailNextComesBeforeAuthAndChangesNothing(t *testing.T) {
	srv := arthurtest.NewServer(t)
	require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationUser, 1, http.StatusTooManyRequests, time.Second))
	before := snapshot(srv)
	r := send(t, http.MethodPost, srv.URL+"/api/v1/organization/users", "", "application/json", `{"first_name":"A","email":"a@example.com","password":"p"}`)
	assert.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.Equal(t, "1", r.Header.Get("Retry-After"))
	unchanged(t, srv, before)
}

func TestFailNextRefusesMisuse(t *testing.T) {
	rec := &recordingTB{TB: t}
	srv := arthurtest.NewServer(rec)
	err := srv.FailNext("GetUsersMe", 1, 500, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "get_users_me", "the error lists the operations")
	assert.Error(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 200, 0))
	assert.Error(t, srv.FailNext(arthurtest.OpGetUsersMe, 1, 600, 0))
	assert.Len(t, rec.reported(), 3)
	assert.Equal(t, 200, api(t, srv, http.MethodGet, "/api/v1/users/me", "").Status)
}

func TestFailNextOnTheTokenEndpoint(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	require.NoError(t, srv.FailNext(arthurtest.OpToken, 1, http.StatusServiceUnavailable, 0))
	require.NoError(t, srv.FailNext(arthurtest.OpToken, 1, http.StatusBadRequest, 0))
	basic := sa.Credentials.ClientID + ":" + sa.Credentials.ClientSecret.Reveal()

	r := tokenRequest(t, srv, "grant_type=client_credentials", basic)
	assert.Equal(t, http.StatusServiceUnavailable, r.Status)
	assert.Contains(t, string(r.Body), `"error":"temporarily_unavailable"`)
	r = tokenRequest(t, srv, "grant_type=client_credentials", basic)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, string(r.Body), `"error":"invalid_request"`)
	r = tokenRequest(t, srv, "grant_type=client_credentials", basic)
	assert.Equal(t, http.StatusOK, r.Status)

	require.NoError(t, srv.FailNext(arthurtest.OpOpenIDConfiguration, 1, http.StatusBadGateway, 0))
	r = send(t, http.MethodGet, srv.URL+"/api/v1/auth/oidc/.well-known/openid-configuration", "", "", "")
	assert.Equal(t, http.StatusBadGateway, r.Status)
}

// The SDK's errors for each injected status, through the contract.
func TestSDKErrorsForInjectedStatuses(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv, noRetry)
	cases := []struct {
		status int
		want   error
		model  any
	}{
		{400, arthur.ErrBadRequest, new(*arthur.BadRequestError)},
		{403, arthur.ErrForbidden, nil},
		{404, arthur.ErrNotFound, new(*arthur.NotFoundError)},
		{409, arthur.ErrConflict, new(*arthur.ConflictError)},
		{422, arthur.ErrValidation, new(*arthur.HTTPValidationError)},
		{429, arthur.ErrRateLimited, nil},
		{500, arthur.ErrServer, new(*arthur.InternalServerError)},
		{503, arthur.ErrServer, nil},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationUser, 1, tc.status, 0))
			before := snapshot(srv)
			_, err := client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{FirstName: "A", Email: "a@example.com", Password: "p"})
			require.ErrorIs(t, err, tc.want)
			var apiErr *arthur.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.NotEmpty(t, apiErr.Detail)
			if tc.model != nil {
				assert.ErrorAs(t, err, tc.model)
			}
			unchanged(t, srv, before)
		})
	}
}

func TestSDKRetriesInjectedFailures(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv, fastRetry)
	ctx := context.Background()

	t.Run("a GET after 500s", func(t *testing.T) {
		srv.ResetRequests()
		require.NoError(t, srv.FailNext(arthurtest.OpGetOrganizationUsers, 2, 500, 0))
		_, err := client.UsersV1API.GetOrganizationUsers(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, srv.Requests(), 3)
	})
	t.Run("a POST after a 500 is not repeated", func(t *testing.T) {
		srv.ResetRequests()
		require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationUser, 1, 500, 0))
		_, err := client.UsersV1API.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: "A", Email: "a@example.com", Password: "p"})
		require.ErrorIs(t, err, arthur.ErrServer)
		assert.Len(t, srv.Requests(), 1)
		assert.Len(t, srv.Users(), 1, "no user was created")
	})
	t.Run("a POST after a 503 with Retry-After is repeated", func(t *testing.T) {
		srv.ResetRequests()
		require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationUser, 1, 503, time.Millisecond))
		start := time.Now()
		u, err := client.UsersV1API.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: "A", Email: "a@example.com", Password: "p"})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), time.Second, "Retry-After: 1 was honoured")
		assert.Len(t, srv.Requests(), 2)
		assert.NotEqual(t, srv.Requests()[0].RequestID, srv.Requests()[1].RequestID, "each answer has its own request ID")
		_, ok := srv.User(u.ID)
		assert.True(t, ok)
		assert.Len(t, srv.Users(), 2, "created once")
	})
}

func TestSetLatency(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv, noRetry)
	srv.SetLatency(time.Second)

	start := time.Now()
	_, err := client.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = client.UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	srv.SetLatency(-time.Second) // negative is none
	start = time.Now()
	_, err = client.UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.Less(t, time.Since(start), time.Second, "the latency is gone")
}

func TestCloseCutsLatencyShort(t *testing.T) {
	srv, err := arthurtest.Start()
	require.NoError(t, err)
	srv.SetLatency(time.Minute)
	done := make(chan int, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/api/v1/auth/oidc/.well-known/openid-configuration")
		if err != nil {
			done <- 0
			return
		}
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	start := time.Now()
	srv.Close()
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, http.StatusServiceUnavailable, <-done)
}

// The client of Server.Client is the one under test, with its own HTTP
// client, so its calls do not pass the contract validator; the injected
// answers they get are validated in TestFailNextAnswersTheStatusNTimes.
func TestClientRetriesFast(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	assert.Equal(t, arthurtest.FastRetryPolicy(), client.GetConfig().Retry)

	require.NoError(t, srv.FailNext(arthurtest.OpGetUsersMe, 3, http.StatusServiceUnavailable, 0))
	start := time.Now()
	me, err := client.UsersV1API.GetUsersMe(t.Context())
	elapsed := time.Since(start)
	require.NoError(t, err, "the SDK's four attempts, three of them retries")
	assert.Equal(t, arthur.Ptr("admin@example.com"), me.Email)
	assert.Len(t, srv.Requests(), 4)
	// The SDK's default policy waits 700 ms at least before its third retry.
	assert.Less(t, elapsed, 600*time.Millisecond, "retried with the default backoff")
}

func TestFastRetryPolicy(t *testing.T) {
	p := arthurtest.FastRetryPolicy()
	assert.Equal(t, arthur.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}, p,
		"the SDK's attempts and Retry-After limit, with short waits")
}
