package fake

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestDeleteUser(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	client := newClient(t, srv)
	ctx := context.Background()

	require.NoError(t, client.UsersV1API.DeleteUser(ctx, ada.ID))
	_, ok := srv.User(ada.ID)
	assert.False(t, ok)
	assert.Len(t, srv.Users(), 1)

	err := client.UsersV1API.DeleteUser(ctx, ada.ID)
	require.ErrorIs(t, err, arthur.ErrNotFound)
	var nf *arthur.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, nf.Detail, ada.ID)

	r := api(t, srv, http.MethodDelete, "/api/v1/users/"+ada.ID, "")
	assert.Contains(t, detail(t, r, http.StatusNotFound), "not found")

	// The email is free again.
	_, err = client.UsersV1API.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com", Password: "p"})
	require.NoError(t, err)
}

func TestDeleteAnswers204WithNoBody(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada"})
	r := api(t, srv, http.MethodDelete, "/api/v1/users/"+strings.ToUpper(ada.ID), "")
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Empty(t, r.Body)
}

func TestDeletingAUserRevokesItsTokens(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	tok := clientCredentialsToken(t, srv, sa.Credentials.ClientID, sa.Credentials.ClientSecret.Reveal())
	client := newClient(t, srv, noRetry)
	ctx := context.Background()

	require.NoError(t, client.UsersV1API.DeleteUser(ctx, sa.ID))
	_, err = client.UsersV1API.GetUsersMe(arthur.WithAccessToken(ctx, tok))
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
	r := tokenRequest(t, srv, "grant_type=client_credentials", sa.Credentials.ClientID+":"+sa.Credentials.ClientSecret.Reveal())
	assert.Equal(t, http.StatusUnauthorized, r.Status, "a deleted service account gets no token")

	// Deleting the admin ends its token too.
	admin, _ := srv.Admin()
	require.NoError(t, client.UsersV1API.DeleteUser(ctx, admin.ID))
	_, ok := srv.Admin()
	assert.False(t, ok)
	_, err = client.UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, arthur.ErrUnauthorized)
}

// A user ID that is not a UUID gets pydantic's uuid_parsing error at
// ["path", "user_id"], in every operation that takes one.
func TestNonUUIDUserIDs(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ids := map[string]string{
		"not-a-uuid":                          "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1",
		"me":                                  "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `m` at 1",
		"12345":                               "invalid length: expected length 32 for simple format, found 5",
		"0b8e2a4c-1d3f-4a5b-8c7d":             "invalid group count: expected 5, found 4",
		"0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4": "invalid group length in group 4: expected 12, found 11",
		"0b8e2a4c1d3f-4a5b-8c7d-9e0f1a2b3c4d-0000": "invalid group length in group 0: expected 8, found 12",
	}
	for _, method := range []struct{ verb, suffix, body string }{
		{http.MethodDelete, "", ""},
		{http.MethodPatch, "", `{"last_name":"x"}`},
		{http.MethodPatch, "/service_account", `{"name":"x"}`},
		{http.MethodPost, "/credentials", ""},
	} {
		for id, reason := range ids {
			t.Run(method.verb+method.suffix+" "+id, func(t *testing.T) {
				before := snapshot(srv)
				r := api(t, srv, method.verb, "/api/v1/users/"+id+method.suffix, method.body)
				assert.Equal(t, []valErr{{Type: "uuid_parsing", Loc: loc("path", "user_id"),
					Msg: "Input should be a valid UUID, " + reason, Input: id, Ctx: map[string]any{"error": reason}}},
					validationErrors(t, r))
				unchanged(t, srv, before)
			})
		}
	}
}

func TestUnknownRoutes(t *testing.T) {
	srv := arthurtest.NewServer(t)
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/api/v1/organization/people", http.StatusNotFound, ""},
		{http.MethodGet, "/api/v1/organization/users/", http.StatusNotFound, ""},
		{http.MethodGet, "/api/v1/users//credentials", http.StatusNotFound, ""},
		{http.MethodPut, "/api/v1/organization/users", http.StatusMethodNotAllowed, "GET, POST"},
		{http.MethodGet, "/api/v1/users/" + unknownID, http.StatusMethodNotAllowed, "DELETE, PATCH"},
		{http.MethodDelete, "/api/v1/users/me/accept-invite", http.StatusMethodNotAllowed, "POST"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := api(t, srv, tc.method, tc.path, "")
			d := detail(t, r, tc.status)
			assert.Equal(t, http.StatusText(tc.status), d)
			assert.Equal(t, tc.allow, r.Header.Get("Allow"))
		})
	}
	reqs := srv.Requests()
	assert.Equal(t, "", reqs[0].Operation, "an unknown route is recorded with no operation")
}
