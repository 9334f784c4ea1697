package fake

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestRegenerateServiceAccountCredentials(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv)
	ctx := context.Background()
	sa, err := client.UsersV1API.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: "ci"})
	require.NoError(t, err)
	oldSecret := sa.Credentials.ClientSecret.Reveal()
	oldToken := clientCredentialsToken(t, srv, sa.Credentials.ClientID, oldSecret)

	creds, err := client.UsersV1API.PostUserCreds(ctx, sa.ID)
	require.NoError(t, err)
	assert.Equal(t, sa.User(), creds.User(), "the user itself is unchanged")
	require.NotNil(t, creds.Credentials.ServiceAccount)
	assert.Nil(t, creds.Credentials.User)
	assert.Equal(t, sa.Credentials.ClientID, creds.Credentials.ServiceAccount.ClientID)
	newSecret := creds.Credentials.ServiceAccount.ClientSecret.Reveal()
	assert.NotEqual(t, oldSecret, newSecret)

	// The old secret is retired at the token endpoint; the new one works.
	r := tokenRequest(t, srv, "grant_type=client_credentials&client_id="+sa.Credentials.ClientID+"&client_secret="+oldSecret, "")
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Contains(t, string(r.Body), `"error":"invalid_client"`)
	newToken := clientCredentialsToken(t, srv, sa.Credentials.ClientID, newSecret)

	for _, tok := range []string{newToken, oldToken} { // issued tokens live until they expire
		me, err := client.UsersV1API.GetUsersMe(arthur.WithAccessToken(ctx, tok))
		require.NoError(t, err)
		assert.Equal(t, sa.ID, me.ID)
	}

	// And the secret is not shown anywhere else.
	list := api(t, srv, http.MethodGet, "/api/v1/organization/users", "")
	assert.NotContains(t, string(list.Body), newSecret)
}

func TestRegeneratePersonCredentials(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	client := newClient(t, srv)

	first, err := client.UsersV1API.PostUserCreds(context.Background(), ada.ID)
	require.NoError(t, err)
	assert.Equal(t, ada, first.User())
	require.NotNil(t, first.Credentials.User)
	assert.Nil(t, first.Credentials.ServiceAccount)
	assert.NotEmpty(t, first.Credentials.User.Password.Reveal())

	second, err := client.UsersV1API.PostUserCreds(context.Background(), ada.ID)
	require.NoError(t, err)
	assert.NotEqual(t, first.Credentials.User.Password.Reveal(), second.Credentials.User.Password.Reveal(), "a new one-time password each time")

	r := api(t, srv, http.MethodPost, "/api/v1/users/"+ada.ID+"/credentials", "")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, string(r.Body), `"credentials":{"password":"`)
	assert.NotContains(t, string(r.Body), "client_secret")
}

func TestRegenerateCredentialsRefusals(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv)
	_, err := client.UsersV1API.PostUserCreds(context.Background(), unknownID)
	require.ErrorIs(t, err, arthur.ErrNotFound)

	dp := srv.AddUser(arthur.User{FirstName: "engine", UserType: arthur.UserTypeDataPlane})
	r := api(t, srv, http.MethodPost, "/api/v1/users/"+dp.ID+"/credentials", "")
	assert.Contains(t, detail(t, r, http.StatusBadRequest), "data_plane")
}
