package fake

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestRequestsRecordsWhatWasReceived(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv)
	ctx := context.Background()
	ada := srv.AddUser(arthur.User{FirstName: "Ada"})

	_, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{
		UserTypes: []arthur.UserType{arthur.UserTypeUser, arthur.UserTypeDataPlane}, Search: "a b", PageSize: 5})
	require.NoError(t, err)
	_, err = client.UsersV1API.PatchUser(ctx, ada.ID, arthur.PatchUser{LastName: arthur.Null[string]()})
	require.NoError(t, err)
	unauthorized := send(t, http.MethodGet, srv.URL+"/api/v1/users/me", "", "", "")
	require.Equal(t, http.StatusUnauthorized, unauthorized.Status)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)

	list := reqs[0]
	assert.Equal(t, arthurtest.OpGetOrganizationUsers, list.Operation)
	assert.Equal(t, http.MethodGet, list.Method)
	assert.Equal(t, "/api/v1/organization/users", list.Path)
	assert.Equal(t, url.Values{"user_types": {"user", "data_plane"}, "search": {"a b"}, "page_size": {"5"}}, list.Query)
	assert.Equal(t, "Bearer "+srv.Token, list.Header.Get("Authorization"))
	assert.True(t, strings.HasPrefix(list.Header.Get("User-Agent"), "arthur-go/"))
	assert.Empty(t, list.Body)
	assert.Regexp(t, uuid4RE, list.RequestID)

	patch := reqs[1]
	assert.Equal(t, arthurtest.OpPatchUser, patch.Operation)
	assert.Equal(t, http.MethodPatch, patch.Method)
	assert.Equal(t, "/api/v1/users/"+ada.ID, patch.Path)
	assert.JSONEq(t, `{"last_name":null}`, string(patch.Body))
	assert.Equal(t, "application/json", patch.Header.Get("Content-Type"))

	assert.Equal(t, arthurtest.OpGetUsersMe, reqs[2].Operation, "refused requests are recorded too")
	assert.Equal(t, unauthorized.Header.Get("X-Request-Id"), reqs[2].RequestID)

	// Requests returns copies.
	reqs[1].Body[0] = 'X'
	reqs[0].Query.Set("search", "changed")
	reqs[0].Header.Set("Authorization", "changed")
	again := srv.Requests()
	assert.JSONEq(t, `{"last_name":null}`, string(again[1].Body))
	assert.Equal(t, "a b", again[0].Query.Get("search"))
	assert.Equal(t, "Bearer "+srv.Token, again[0].Header.Get("Authorization"))

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}
