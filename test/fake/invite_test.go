package fake

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

const (
	roleID   = "2b4d6f8a-1c3e-4a5b-8d7f-9e1a2b3c4d5e"
	orgResID = "6c8e0a2b-4d6f-4b1c-a3e5-7f9b1d3e5a7c"
	groupID  = "8d0f2b4c-6e8a-4c1d-b3f5-9a1c3e5f7b9d"
)

func TestInviteIsRecorded(t *testing.T) {
	srv := arthurtest.NewServer(t)
	at := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	srv.SetNow(at)
	client := newClient(t, srv)
	ctx := context.Background()

	got, err := client.UsersV1API.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{
		Email:       "New@Example.com",
		RoleBinding: &arthur.PostGlobalRoleBinding{RoleID: roleID, BoundResourceKind: arthur.BoundResourceKindOrganization, ResourceID: orgResID},
		GroupIDs:    []string{groupID},
	})
	require.NoError(t, err)
	assert.Nil(t, got, "the API answers null")
	_, err = client.UsersV1API.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{Email: "plain@example.com"})
	require.NoError(t, err)

	admin, _ := srv.Admin()
	assert.Equal(t, []arthurtest.Invite{
		{
			Email:       "New@example.com",
			RoleBinding: &arthur.PostGlobalRoleBinding{RoleID: roleID, BoundResourceKind: arthur.BoundResourceKindOrganization, ResourceID: orgResID},
			GroupIDs:    []string{groupID}, InvitedBy: admin.ID, CreatedAt: at,
		},
		{Email: "plain@example.com", InvitedBy: admin.ID, CreatedAt: at},
	}, srv.Invites())
	assert.Len(t, srv.Users(), 1, "an invitation creates no user")

	r := api(t, srv, http.MethodPost, "/api/v1/organization/users/invite-user", `{"email":"raw@example.com","role_binding":null,"group_ids":null}`)
	assert.Equal(t, http.StatusCreated, r.Status)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "null", string(r.Body))

	invites := srv.Invites()
	invites[0].GroupIDs[0] = "changed"
	invites[0].RoleBinding.RoleID = "changed"
	assert.Equal(t, groupID, srv.Invites()[0].GroupIDs[0], "Invites returns copies")
	assert.Equal(t, roleID, srv.Invites()[0].RoleBinding.RoleID)
}

func TestInviteRefusesABadBody(t *testing.T) {
	srv := arthurtest.NewServer(t)
	kinds := "'organization', 'workspace', 'project' or 'data_plane'"
	cases := map[string]struct {
		body string
		want []valErr
	}{
		"missing email": {`{"group_ids":[]}`, []valErr{{Type: "missing", Loc: loc("body", "email"), Msg: "Field required", Input: map[string]any{"group_ids": []any{}}}}},
		"invalid email": {`{"email":"@example.com"}`, []valErr{{Type: "value_error", Loc: loc("body", "email"),
			Msg: "value is not a valid email address: There must be something before the @-sign.", Input: "@example.com",
			Ctx: map[string]any{"reason": "There must be something before the @-sign."}}}},
		"role binding incomplete": {`{"email":"a@example.com","role_binding":{"role_id":"` + roleID + `"}}`, []valErr{
			{Type: "missing", Loc: loc("body", "role_binding", "bound_resource_kind"), Msg: "Field required", Input: map[string]any{"role_id": roleID}},
			{Type: "missing", Loc: loc("body", "role_binding", "resource_id"), Msg: "Field required", Input: map[string]any{"role_id": roleID}}}},
		"role binding wrong": {`{"email":"a@example.com","role_binding":{"role_id":7,"bound_resource_kind":"galaxy","resource_id":"x"}}`, []valErr{
			{Type: "uuid_type", Loc: loc("body", "role_binding", "role_id"), Msg: "UUID input should be a string, bytes or UUID object", Input: float64(7)},
			{Type: "enum", Loc: loc("body", "role_binding", "bound_resource_kind"), Msg: "Input should be " + kinds, Input: "galaxy", Ctx: map[string]any{"expected": kinds}},
			{Type: "uuid_parsing", Loc: loc("body", "role_binding", "resource_id"), Msg: "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 1",
				Input: "x", Ctx: map[string]any{"error": "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 1"}}}},
		"role binding a string": {`{"email":"a@example.com","role_binding":"admin"}`, []valErr{
			{Type: "model_attributes_type", Loc: loc("body", "role_binding"), Msg: "Input should be a valid dictionary or object to extract fields from", Input: "admin"}}},
		"group ids not a list": {`{"email":"a@example.com","group_ids":"` + groupID + `"}`, []valErr{
			{Type: "list_type", Loc: loc("body", "group_ids"), Msg: "Input should be a valid list", Input: groupID}}},
		"group id not a uuid": {`{"email":"a@example.com","group_ids":["` + groupID + `","g2"]}`, []valErr{
			{Type: "uuid_parsing", Loc: loc("body", "group_ids", 1), Msg: "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `g` at 1",
				Input: "g2", Ctx: map[string]any{"error": "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `g` at 1"}}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := snapshot(srv)
			r := api(t, srv, http.MethodPost, "/api/v1/organization/users/invite-user", tc.body)
			assert.Equal(t, tc.want, validationErrors(t, r))
			unchanged(t, srv, before)
		})
	}
}

func TestAcceptMyInvites(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv)
	ctx := context.Background()
	for _, email := range []string{"ada@example.com", "grace@example.com", "ADA@example.com"} {
		_, err := client.UsersV1API.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{Email: email})
		require.NoError(t, err)
	}

	// The admin has no invitations: still 204.
	require.NoError(t, client.UsersV1API.AcceptMyInvites(ctx))
	for _, inv := range srv.Invites() {
		assert.False(t, inv.Accepted)
	}

	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("Ada@example.com")})
	tok, err := srv.IssueToken(ada.ID)
	require.NoError(t, err)
	srv.SetNow(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, client.UsersV1API.AcceptMyInvites(arthur.WithAccessToken(ctx, tok)))

	invites := srv.Invites()
	for i, want := range []bool{true, false, true} {
		assert.Equal(t, want, invites[i].Accepted, invites[i].Email)
		if want {
			assert.Equal(t, ada.ID, invites[i].AcceptedBy)
			assert.Equal(t, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), invites[i].AcceptedAt)
		}
	}

	r := send(t, http.MethodPost, srv.URL+"/api/v1/users/me/accept-invite", tok, "", "")
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Empty(t, r.Body)
}
