package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// Secrets that came over the wire print as [REDACTED] everywhere but in
// Reveal and in JSON.
func TestSecretsFromResponsesAreRedacted(t *testing.T) {
	m := newMockAPI(t)
	m.on("POST", "/api/v1/organization/service_accounts", respond(200,
		saDoc().with("credentials", doc{"client_id": saClientID, "client_secret": saClientSecret}).json()))
	m.on("POST", "/api/v1/users/"+adaID+"/credentials", respond(200,
		adaDoc().with("credentials", doc{"password": oneTimePass}).json()))

	sa, err := m.api.PostOrganizationServiceAccount(t.Context(), arthur.PostServiceAccount{Name: "ci-bot"})
	require.NoError(t, err)
	su, err := m.api.PostUserCreds(t.Context(), adaID)
	require.NoError(t, err)

	values := map[string]struct {
		v      any
		secret string
	}{
		"UserServiceAccountCredentials":  {*sa, saClientSecret},
		"*UserServiceAccountCredentials": {sa, saClientSecret},
		"ServiceAccountCredentials":      {sa.Credentials, saClientSecret},
		"Secret":                         {sa.Credentials.ClientSecret, saClientSecret},
		"SensitiveUser":                  {*su, oneTimePass},
		"Credentials":                    {su.Credentials, oneTimePass},
		"UserCredentials":                {*su.Credentials.User, oneTimePass},
		"PostEndUser":                    {arthur.PostEndUser{FirstName: "A", Email: "a@example.com", Password: arthur.Secret(oneTimePass)}, oneTimePass},
	}
	for name, tc := range values {
		t.Run(name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				assert.NotContains(t, fmt.Sprintf(verb, tc.v), tc.secret, verb)
			}
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, nil))
			logger.Info("value", "v", tc.v)
			slog.New(slog.NewTextHandler(&buf, nil)).Info("value", "v", tc.v)
			assert.NotContains(t, buf.String(), tc.secret)
		})
	}

	assert.Equal(t, "[REDACTED]", sa.Credentials.ClientSecret.String())
	b, err := json.Marshal(sa.Credentials)
	require.NoError(t, err)
	assert.JSONEq(t, `{"client_id":"`+saClientID+`","client_secret":"`+saClientSecret+`"}`, string(b))
}

func TestNullable(t *testing.T) {
	var unset arthur.Nullable[string]
	assert.True(t, unset.IsZero())
	assert.False(t, unset.IsNull())
	assert.False(t, unset.IsSet())

	null := arthur.Null[string]()
	assert.False(t, null.IsZero())
	assert.True(t, null.IsNull())
	_, ok := null.Get()
	assert.False(t, ok)

	empty := arthur.Value("")
	assert.False(t, empty.IsZero())
	assert.True(t, empty.IsSet())
	v, ok := empty.Get()
	assert.True(t, ok)
	assert.Equal(t, "", v)

	var round arthur.PatchUser
	require.NoError(t, json.Unmarshal([]byte(`{"first_name":null,"last_name":"","email":"a@example.com"}`), &round))
	assert.True(t, round.FirstName.IsNull())
	assert.True(t, round.LastName.IsSet())
	assert.True(t, round.Picture.IsZero())
	b, err := json.Marshal(round)
	require.NoError(t, err)
	assert.Equal(t, `{"first_name":null,"last_name":"","email":"a@example.com"}`, string(b))
}

func TestEnumsAreValid(t *testing.T) {
	for _, v := range []interface{ IsValid() bool }{
		arthur.UserTypeUser, arthur.UserTypeDataPlane, arthur.UserTypeServiceAccount,
		arthur.UserSortName, arthur.UserSortEmail, arthur.UserSortCreatedAt, arthur.UserSortUpdatedAt,
		arthur.SortOrderAsc, arthur.SortOrderDesc,
		arthur.BoundResourceKindOrganization, arthur.BoundResourceKindWorkspace,
		arthur.BoundResourceKindProject, arthur.BoundResourceKindDataPlane,
	} {
		assert.True(t, v.IsValid(), "%v", v)
	}
	assert.False(t, arthur.UserSort("age").IsValid())
	assert.False(t, arthur.SortOrder("").IsValid())
	assert.False(t, arthur.BoundResourceKind("team").IsValid())
}
