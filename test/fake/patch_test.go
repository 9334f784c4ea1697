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

func TestPatchUserThreeStates(t *testing.T) {
	full := arthur.User{FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: arthur.Ptr("ada@example.com"),
		Picture: arthur.Ptr("https://example.com/a.png")}
	cases := []struct {
		name  string
		patch arthur.PatchUser
		want  func(u *arthur.User)
	}{
		{"nothing set keeps all", arthur.PatchUser{}, func(*arthur.User) {}},
		{"first name set", arthur.PatchUser{FirstName: arthur.Value("Augusta")}, func(u *arthur.User) { u.FirstName = "Augusta" }},
		{"last name set", arthur.PatchUser{LastName: arthur.Value("King")}, func(u *arthur.User) { u.LastName = arthur.Ptr("King") }},
		{"last name cleared", arthur.PatchUser{LastName: arthur.Null[string]()}, func(u *arthur.User) { u.LastName = nil }},
		{"last name set empty", arthur.PatchUser{LastName: arthur.Value("")}, func(u *arthur.User) { u.LastName = arthur.Ptr("") }},
		{"email set", arthur.PatchUser{Email: arthur.Value("countess@example.com")}, func(u *arthur.User) { u.Email = arthur.Ptr("countess@example.com") }},
		{"email set, domain normalized", arthur.PatchUser{Email: arthur.Value("Ada@EXAMPLE.org")}, func(u *arthur.User) { u.Email = arthur.Ptr("Ada@example.org") }},
		{"email cleared", arthur.PatchUser{Email: arthur.Null[string]()}, func(u *arthur.User) { u.Email = nil }},
		{"own email in another case", arthur.PatchUser{Email: arthur.Value("ADA@example.com")}, func(u *arthur.User) { u.Email = arthur.Ptr("ADA@example.com") }},
		{"picture set", arthur.PatchUser{Picture: arthur.Value("https://example.com/b.png")}, func(u *arthur.User) { u.Picture = arthur.Ptr("https://example.com/b.png") }},
		{"picture cleared", arthur.PatchUser{Picture: arthur.Null[string]()}, func(u *arthur.User) { u.Picture = nil }},
		{"all at once", arthur.PatchUser{FirstName: arthur.Value("A"), LastName: arthur.Null[string](), Email: arthur.Value("a@example.com"), Picture: arthur.Null[string]()},
			func(u *arthur.User) {
				u.FirstName, u.LastName, u.Email, u.Picture = "A", nil, arthur.Ptr("a@example.com"), nil
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := arthurtest.NewServer(t)
			srv.SetNow(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			before := srv.AddUser(full)
			srv.Advance(time.Minute)

			got, err := newClient(t, srv).UsersV1API.PatchUser(context.Background(), before.ID, tc.patch)
			require.NoError(t, err)
			want := before
			tc.want(&want)
			if want == before {
				assert.Equal(t, before, *got, "no change: updated_at stays")
			} else {
				assert.Equal(t, before.UpdatedAt.Add(time.Minute), got.UpdatedAt, "a change moves updated_at")
				want.UpdatedAt = got.UpdatedAt
				assert.Equal(t, want, *got)
			}
			stored, _ := srv.User(before.ID)
			assert.Equal(t, *got, stored)
		})
	}
}

func TestPatchUserSameValuesIsNoChange(t *testing.T) {
	srv := arthurtest.NewServer(t)
	u := srv.AddUser(arthur.User{FirstName: "Ada", LastName: arthur.Ptr("L"), Email: arthur.Ptr("ada@example.com")})
	srv.Advance(time.Hour)
	got, err := newClient(t, srv).UsersV1API.PatchUser(context.Background(), u.ID, arthur.PatchUser{
		FirstName: arthur.Value("Ada"), LastName: arthur.Value("L"), Email: arthur.Value("ada@example.com"), Picture: arthur.Null[string]()})
	require.NoError(t, err)
	assert.Equal(t, u, *got)
}

func TestPatchUserMovesTheEmail(t *testing.T) {
	srv := arthurtest.NewServer(t)
	u := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	client := newClient(t, srv)
	_, err := client.UsersV1API.PatchUser(context.Background(), u.ID, arthur.PatchUser{Email: arthur.Value("new@example.com")})
	require.NoError(t, err)
	// The old address is free again, the new one taken.
	_, err = client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{FirstName: "B", Email: "ada@example.com", Password: "p"})
	require.NoError(t, err)
	_, err = client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{FirstName: "C", Email: "NEW@example.com", Password: "p"})
	require.ErrorIs(t, err, arthur.ErrConflict)
}

func TestPatchUserRefusals(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	srv.AddUser(arthur.User{FirstName: "Grace", Email: arthur.Ptr("grace@example.com")})
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	dp := srv.AddUser(arthur.User{FirstName: "engine", UserType: arthur.UserTypeDataPlane})
	client := newClient(t, srv)
	ctx := context.Background()

	t.Run("unknown user", func(t *testing.T) {
		_, err := client.UsersV1API.PatchUser(ctx, unknownID, arthur.PatchUser{LastName: arthur.Value("x")})
		require.ErrorIs(t, err, arthur.ErrNotFound)
		var nf *arthur.NotFoundError
		require.ErrorAs(t, err, &nf)
		assert.Contains(t, nf.Detail, unknownID)
	})
	t.Run("a service account", func(t *testing.T) {
		before := snapshot(srv)
		_, err := client.UsersV1API.PatchUser(ctx, sa.ID, arthur.PatchUser{FirstName: arthur.Value("x")})
		require.ErrorIs(t, err, arthur.ErrBadRequest)
		var br *arthur.BadRequestError
		require.ErrorAs(t, err, &br)
		assert.Contains(t, br.Detail, "is a service account")
		assert.Contains(t, br.Detail, "/service_account")
		unchanged(t, srv, before)
	})
	t.Run("a data plane", func(t *testing.T) {
		_, err := client.UsersV1API.PatchUser(ctx, dp.ID, arthur.PatchUser{FirstName: arthur.Value("x")})
		require.ErrorIs(t, err, arthur.ErrBadRequest)
		assert.Contains(t, err.Error(), "data_plane")
	})
	t.Run("an email taken by another user", func(t *testing.T) {
		before := snapshot(srv)
		_, err := client.UsersV1API.PatchUser(ctx, ada.ID, arthur.PatchUser{Email: arthur.Value("Grace@example.com"), LastName: arthur.Value("x")})
		require.ErrorIs(t, err, arthur.ErrBadRequest)
		assert.Contains(t, err.Error(), "already exists")
		unchanged(t, srv, before)
	})
	t.Run("a null first name", func(t *testing.T) {
		before := snapshot(srv)
		_, err := client.UsersV1API.PatchUser(ctx, ada.ID, arthur.PatchUser{FirstName: arthur.Null[string](), LastName: arthur.Value("x")})
		require.ErrorIs(t, err, arthur.ErrValidation)
		unchanged(t, srv, before)
	})
	t.Run("an empty first name", func(t *testing.T) {
		_, err := client.UsersV1API.PatchUser(ctx, ada.ID, arthur.PatchUser{FirstName: arthur.Value("")})
		require.ErrorIs(t, err, arthur.ErrValidation)
		var v *arthur.HTTPValidationError
		require.ErrorAs(t, err, &v)
		assert.Equal(t, "string_too_short", v.Detail[0].Type)
	})

	raw := []struct {
		name, path, body string
		want             []valErr
	}{
		{"null first name", "/api/v1/users/" + ada.ID, `{"first_name":null}`, []valErr{
			{Type: "value_error", Loc: loc("body", "first_name"), Msg: "Value error, must not be null"}}},
		{"empty first name", "/api/v1/users/" + ada.ID, `{"first_name":""}`, []valErr{
			{Type: "string_too_short", Loc: loc("body", "first_name"), Msg: "String should have at least 1 character", Input: "", Ctx: map[string]any{"min_length": float64(1)}}}},
		{"invalid email", "/api/v1/users/" + ada.ID, `{"email":"a@b"}`, []valErr{
			{Type: "value_error", Loc: loc("body", "email"), Msg: "value is not a valid email address: The part after the @-sign is not valid. It should have a period.",
				Input: "a@b", Ctx: map[string]any{"reason": "The part after the @-sign is not valid. It should have a period."}}}},
		{"wrong types", "/api/v1/users/" + ada.ID, `{"first_name":1,"last_name":[],"email":false,"picture":2.5}`, []valErr{
			{Type: "string_type", Loc: loc("body", "first_name"), Msg: "Input should be a valid string", Input: float64(1)},
			{Type: "string_type", Loc: loc("body", "last_name"), Msg: "Input should be a valid string", Input: []any{}},
			{Type: "string_type", Loc: loc("body", "email"), Msg: "Input should be a valid string", Input: false},
			{Type: "string_type", Loc: loc("body", "picture"), Msg: "Input should be a valid string", Input: 2.5}}},
		{"not an object", "/api/v1/users/" + ada.ID, `null`, []valErr{
			{Type: "model_attributes_type", Loc: loc("body"), Msg: "Input should be a valid dictionary or object to extract fields from"}}},
		{"no body", "/api/v1/users/" + ada.ID, ``, []valErr{
			{Type: "missing", Loc: loc("body"), Msg: "Field required"}}},
		{"bad id and bad body together", "/api/v1/users/42", `{"first_name":null}`, []valErr{
			{Type: "uuid_parsing", Loc: loc("path", "user_id"), Msg: "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 2",
				Input: "42", Ctx: map[string]any{"error": "invalid length: expected length 32 for simple format, found 2"}},
			{Type: "value_error", Loc: loc("body", "first_name"), Msg: "Value error, must not be null"}}},
		{"bad id and malformed JSON: the JSON error alone", "/api/v1/users/42", `{"first_name":`, []valErr{
			{Type: "json_invalid", Loc: loc("body", 14), Msg: "JSON decode error", Input: map[string]any{}, Ctx: map[string]any{"error": "Expecting value"}}}},
		{"null name", "/api/v1/users/" + sa.ID + "/service_account", `{"name":null}`, []valErr{
			{Type: "value_error", Loc: loc("body", "name"), Msg: "Value error, must not be null"}}},
		{"empty name", "/api/v1/users/" + sa.ID + "/service_account", `{"name":""}`, []valErr{
			{Type: "string_too_short", Loc: loc("body", "name"), Msg: "String should have at least 1 character", Input: "", Ctx: map[string]any{"min_length": float64(1)}}}},
		{"name a number", "/api/v1/users/" + sa.ID + "/service_account", `{"name":7}`, []valErr{
			{Type: "string_type", Loc: loc("body", "name"), Msg: "Input should be a valid string", Input: float64(7)}}},
	}
	for _, tc := range raw {
		t.Run("raw "+tc.name, func(t *testing.T) {
			before := snapshot(srv)
			r := api(t, srv, http.MethodPatch, tc.path, tc.body)
			assert.Equal(t, tc.want, validationErrors(t, r))
			unchanged(t, srv, before)
		})
	}
}

func TestPatchServiceAccount(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	srv.Advance(time.Second)
	client := newClient(t, srv)
	ctx := context.Background()

	got, err := client.UsersV1API.PatchServiceAccountUser(ctx, sa.ID, arthur.PatchServiceAccountUser{Name: arthur.Value("deploy")})
	require.NoError(t, err)
	assert.Equal(t, "deploy", got.FirstName)
	assert.True(t, got.UpdatedAt.After(sa.UpdatedAt))
	assert.Equal(t, sa.ClientID, got.ClientID)
	stored, _ := srv.User(sa.ID)
	assert.Equal(t, *got, stored)

	same, err := client.UsersV1API.PatchServiceAccountUser(ctx, sa.ID, arthur.PatchServiceAccountUser{})
	require.NoError(t, err, "an unset name keeps it")
	assert.Equal(t, *got, *same)

	_, err = client.UsersV1API.PatchServiceAccountUser(ctx, sa.ID, arthur.PatchServiceAccountUser{Name: arthur.Null[string]()})
	require.ErrorIs(t, err, arthur.ErrValidation)

	_, err = client.UsersV1API.PatchServiceAccountUser(ctx, unknownID, arthur.PatchServiceAccountUser{Name: arthur.Value("x")})
	require.ErrorIs(t, err, arthur.ErrNotFound)

	admin, _ := srv.Admin()
	before := snapshot(srv)
	_, err = client.UsersV1API.PatchServiceAccountUser(ctx, admin.ID, arthur.PatchServiceAccountUser{Name: arthur.Value("x")})
	require.ErrorIs(t, err, arthur.ErrBadRequest)
	var br *arthur.BadRequestError
	require.ErrorAs(t, err, &br)
	assert.Contains(t, br.Detail, "is not a service account")
	unchanged(t, srv, before)

	dp := srv.AddUser(arthur.User{FirstName: "engine", UserType: arthur.UserTypeDataPlane})
	_, err = client.UsersV1API.PatchServiceAccountUser(ctx, dp.ID, arthur.PatchServiceAccountUser{Name: arthur.Value("x")})
	require.ErrorIs(t, err, arthur.ErrBadRequest)
}
