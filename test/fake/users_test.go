package fake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

func TestCreateUser(t *testing.T) {
	srv := arthurtest.NewServer(t)
	at := time.Date(2025, 3, 4, 5, 6, 7, 891234567, time.UTC)
	srv.SetNow(at)
	u, err := newClient(t, srv).UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{
		FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: "Ada@Example.COM", Password: "s3cret",
		Picture: arthur.Ptr("https://example.com/ada.png"),
	})
	require.NoError(t, err)
	assert.Regexp(t, uuid4RE, u.ID)
	assert.Equal(t, "Ada", u.FirstName)
	assert.Equal(t, arthur.Ptr("Lovelace"), u.LastName)
	assert.Equal(t, arthur.Ptr("Ada@example.com"), u.Email, "the domain is normalized, as pydantic does")
	assert.Equal(t, arthur.Ptr("https://example.com/ada.png"), u.Picture)
	assert.Equal(t, arthur.UserTypeUser, u.UserType)
	assert.Equal(t, at.Truncate(time.Microsecond), u.CreatedAt)
	assert.Equal(t, u.CreatedAt, u.UpdatedAt)
	assert.Equal(t, srv.Organization().ID, u.OrganizationID)

	stored, ok := srv.User(u.ID)
	require.True(t, ok)
	assert.Equal(t, *u, stored)

	second, err := newClient(t, srv).UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{
		FirstName: "Grace", Email: "grace@example.com", Password: "p"})
	require.NoError(t, err)
	assert.NotEqual(t, u.ID, second.ID)
	assert.Nil(t, second.LastName)
	assert.Nil(t, second.Picture)
}

func TestUsersAreWrittenAsPydanticWritesThem(t *testing.T) {
	srv := arthurtest.NewServer(t)
	srv.SetNow(time.Date(2025, 1, 1, 10, 11, 12, 0, time.UTC))
	r := api(t, srv, http.MethodPost, "/api/v1/organization/users", `{"first_name":"Ada","email":"ada@example.com","password":"p"}`)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	body := string(r.Body)
	for _, null := range []string{`"last_name":null`, `"picture":null`, `"data_plane_id":null`, `"client_id":null`} {
		assert.Contains(t, body, null, "pydantic writes None as an explicit null")
	}
	assert.Contains(t, body, `"created_at":"2025-01-01T10:11:12.000000Z"`, "always six fractional digits")

	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.Body, &fields))
	keys, err := oas.PropertyOrder("User")
	require.NoError(t, err)
	assert.Len(t, fields, len(keys))
	last := -1
	for _, k := range keys {
		i := strings.Index(body, `"`+k+`":`)
		require.GreaterOrEqual(t, i, 0, k)
		assert.Greater(t, i, last, "%s is in pydantic's field order", k)
		last = i
	}

	list := api(t, srv, http.MethodGet, "/api/v1/organization/users?user_types=user&user_types=data_plane&user_types=service_account", "")
	var page struct {
		Records []map[string]any `json:"records"`
	}
	require.NoError(t, json.Unmarshal(list.Body, &page))
	for _, rec := range page.Records {
		assert.Regexp(t, timestampRE, rec["created_at"])
		assert.Regexp(t, timestampRE, rec["updated_at"])
	}
}

func TestCreateUserRefusesADuplicateEmail(t *testing.T) {
	srv := arthurtest.NewServer(t)
	srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	before := snapshot(srv)

	_, err := newClient(t, srv).UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{
		FirstName: "Other", Email: "ADA@EXAMPLE.com", Password: "p"})
	require.ErrorIs(t, err, arthur.ErrConflict)
	var conflict *arthur.ConflictError
	require.ErrorAs(t, err, &conflict)
	assert.Contains(t, conflict.Detail, "ADA@example.com")
	assert.Contains(t, conflict.Detail, "already exists")
	unchanged(t, srv, before)
}

func TestCreateUserRefusesABadBody(t *testing.T) {
	srv := arthurtest.NewServer(t)
	good := map[string]any{"first_name": "A", "email": "a@example.com", "password": "p"}
	cases := []struct {
		name, contentType, body string
		want                    []valErr
	}{
		{"missing email", "application/json", `{"first_name":"A","password":"p"}`, []valErr{
			{Type: "missing", Loc: loc("body", "email"), Msg: "Field required", Input: map[string]any{"first_name": "A", "password": "p"}}}},
		{"missing everything", "application/json", `{}`, []valErr{
			{Type: "missing", Loc: loc("body", "first_name"), Msg: "Field required", Input: map[string]any{}},
			{Type: "missing", Loc: loc("body", "email"), Msg: "Field required", Input: map[string]any{}},
			{Type: "missing", Loc: loc("body", "password"), Msg: "Field required", Input: map[string]any{}}}},
		{"invalid email", "application/json", `{"first_name":"A","email":"nope","password":"p"}`, []valErr{
			{Type: "value_error", Loc: loc("body", "email"), Msg: "value is not a valid email address: An email address must have an @-sign.",
				Input: "nope", Ctx: map[string]any{"reason": "An email address must have an @-sign."}}}},
		{"email without a domain dot", "application/json", `{"first_name":"A","email":"a@localhost","password":"p"}`, []valErr{
			{Type: "value_error", Loc: loc("body", "email"), Msg: "value is not a valid email address: The part after the @-sign is not valid. It should have a period.",
				Input: "a@localhost", Ctx: map[string]any{"reason": "The part after the @-sign is not valid. It should have a period."}}}},
		{"email with a space", "application/json", `{"first_name":"A","email":"a b@example.com","password":"p"}`, []valErr{
			{Type: "value_error", Loc: loc("body", "email"), Msg: "value is not a valid email address: The email address contains invalid characters before the @-sign: SPACE.",
				Input: "a b@example.com", Ctx: map[string]any{"reason": "The email address contains invalid characters before the @-sign: SPACE."}}}},
		{"first name a number", "application/json", `{"first_name":5,"email":"a@example.com","password":"p"}`, []valErr{
			{Type: "string_type", Loc: loc("body", "first_name"), Msg: "Input should be a valid string", Input: float64(5)}}},
		{"first name null", "application/json", `{"first_name":null,"email":"a@example.com","password":"p"}`, []valErr{
			{Type: "string_type", Loc: loc("body", "first_name"), Msg: "Input should be a valid string", Input: nil}}},
		{"first name empty", "application/json", `{"first_name":"","email":"a@example.com","password":"p"}`, []valErr{
			{Type: "string_too_short", Loc: loc("body", "first_name"), Msg: "String should have at least 1 character", Input: "", Ctx: map[string]any{"min_length": float64(1)}}}},
		{"last name a bool", "application/json", `{"first_name":"A","last_name":true,"email":"a@example.com","password":"p"}`, []valErr{
			{Type: "string_type", Loc: loc("body", "last_name"), Msg: "Input should be a valid string", Input: true}}},
		{"email a list", "application/json", `{"first_name":"A","email":["a@example.com"],"password":"p"}`, []valErr{
			{Type: "string_type", Loc: loc("body", "email"), Msg: "Input should be a valid string", Input: []any{"a@example.com"}}}},
		{"picture an object", "application/json", `{"first_name":"A","email":"a@example.com","password":"p","picture":{}}`, []valErr{
			{Type: "string_type", Loc: loc("body", "picture"), Msg: "Input should be a valid string", Input: map[string]any{}}}},
		{"malformed JSON", "application/json", `{"first_name": "A",`, []valErr{
			{Type: "json_invalid", Loc: loc("body", 19), Msg: "JSON decode error", Input: map[string]any{}, Ctx: map[string]any{"error": "Expecting property name enclosed in double quotes"}}}},
		{"bad key", "application/json", `{first_name: "A"}`, []valErr{
			{Type: "json_invalid", Loc: loc("body", 1), Msg: "JSON decode error", Input: map[string]any{}, Ctx: map[string]any{"error": "Expecting property name enclosed in double quotes"}}}},
		{"missing comma, after non-ASCII", "application/json", `{"first_name":"Zoë" "email":"z@example.com"}`, []valErr{
			{Type: "json_invalid", Loc: loc("body", 20), Msg: "JSON decode error", Input: map[string]any{}, Ctx: map[string]any{"error": "Expecting ',' delimiter"}}}},
		{"extra data", "application/json", `{"first_name":"A","email":"a@example.com","password":"p"} {}`, []valErr{
			{Type: "json_invalid", Loc: loc("body", 58), Msg: "JSON decode error", Input: map[string]any{}, Ctx: map[string]any{"error": "Extra data"}}}},
		{"a list", "application/json", `[1,2]`, []valErr{
			{Type: "model_attributes_type", Loc: loc("body"), Msg: "Input should be a valid dictionary or object to extract fields from", Input: []any{float64(1), float64(2)}}}},
		{"a string", "application/json", `"hello"`, []valErr{
			{Type: "model_attributes_type", Loc: loc("body"), Msg: "Input should be a valid dictionary or object to extract fields from", Input: "hello"}}},
		{"no body", "application/json", ``, []valErr{
			{Type: "missing", Loc: loc("body"), Msg: "Field required", Input: nil}}},
		{"not JSON by content type", "text/plain", `{"first_name":"A","email":"a@example.com","password":"p"}`, []valErr{
			{Type: "model_attributes_type", Loc: loc("body"), Msg: "Input should be a valid dictionary or object to extract fields from", Input: `{"first_name":"A","email":"a@example.com","password":"p"}`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(srv)
			r := send(t, http.MethodPost, srv.URL+"/api/v1/organization/users", srv.Token, tc.contentType, tc.body)
			assert.Equal(t, tc.want, validationErrors(t, r))
			unchanged(t, srv, before)
		})
	}

	t.Run("no content type is read as JSON", func(t *testing.T) {
		b, _ := json.Marshal(good)
		r := send(t, http.MethodPost, srv.URL+"/api/v1/organization/users", srv.Token, "", string(b))
		assert.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	})
	t.Run("a +json content type is JSON", func(t *testing.T) {
		r := send(t, http.MethodPost, srv.URL+"/api/v1/organization/users", srv.Token, "application/merge-patch+json; charset=utf-8",
			`{"first_name":"B","email":"b@example.com","password":"p","unknown":"ignored"}`)
		assert.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	})
}

func TestSDKSeesValidationErrors(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada"})
	before := snapshot(srv)
	// A null first name is valid by the contract, and refused by the service.
	_, err := newClient(t, srv).UsersV1API.PatchUser(context.Background(), ada.ID, arthur.PatchUser{FirstName: arthur.Null[string]()})
	require.ErrorIs(t, err, arthur.ErrValidation)
	var v *arthur.HTTPValidationError
	require.ErrorAs(t, err, &v)
	require.Len(t, v.Detail, 1)
	assert.Equal(t, []any{"body", "first_name"}, v.Detail[0].Loc)
	assert.Equal(t, "value_error", v.Detail[0].Type)
	unchanged(t, srv, before)
}

func TestCreateServiceAccount(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv)
	sa, err := client.UsersV1API.PostOrganizationServiceAccount(context.Background(), arthur.PostServiceAccount{Name: "ci-pipeline"})
	require.NoError(t, err)
	assert.Equal(t, "ci-pipeline", sa.FirstName)
	assert.Equal(t, arthur.UserTypeServiceAccount, sa.UserType)
	assert.Nil(t, sa.LastName)
	assert.Nil(t, sa.Email)
	assert.Nil(t, sa.DataPlaneID)
	require.NotNil(t, sa.ClientID)
	assert.Equal(t, *sa.ClientID, sa.Credentials.ClientID)
	secret := sa.Credentials.ClientSecret.Reveal()
	assert.GreaterOrEqual(t, len(secret), 20)

	stored, ok := srv.User(sa.ID)
	require.True(t, ok)
	assert.Equal(t, sa.User(), stored)

	// The secret works at the token endpoint...
	clientCredentialsToken(t, srv, sa.Credentials.ClientID, secret)

	// ...and is never shown again.
	srv.ResetRequests()
	_, err = client.UsersV1API.GetOrganizationUsers(context.Background(), nil)
	require.NoError(t, err)
	_, err = client.UsersV1API.PatchServiceAccountUser(context.Background(), sa.ID, arthur.PatchServiceAccountUser{Name: arthur.Value("renamed")})
	require.NoError(t, err)
	tok := clientCredentialsToken(t, srv, sa.Credentials.ClientID, secret)
	for _, path := range []string{"/api/v1/organization/users", "/api/v1/users/me"} {
		r := send(t, http.MethodGet, srv.URL+path, tok, "", "")
		require.Equal(t, http.StatusOK, r.Status)
		assert.NotContains(t, string(r.Body), secret)
		assert.NotContains(t, string(r.Body), "client_secret")
	}

	second, err := client.UsersV1API.PostOrganizationServiceAccount(context.Background(), arthur.PostServiceAccount{Name: "ci-pipeline"})
	require.NoError(t, err, "names need not be unique")
	assert.NotEqual(t, sa.Credentials.ClientID, second.Credentials.ClientID)
	assert.NotEqual(t, secret, second.Credentials.ClientSecret.Reveal())
}

func TestCreateServiceAccountRefusesABadBody(t *testing.T) {
	srv := arthurtest.NewServer(t)
	cases := map[string]struct {
		body string
		want []valErr
	}{
		"missing name":  {`{}`, []valErr{{Type: "missing", Loc: loc("body", "name"), Msg: "Field required", Input: map[string]any{}}}},
		"name a number": {`{"name":1}`, []valErr{{Type: "string_type", Loc: loc("body", "name"), Msg: "Input should be a valid string", Input: float64(1)}}},
		"empty name":    {`{"name":""}`, []valErr{{Type: "string_too_short", Loc: loc("body", "name"), Msg: "String should have at least 1 character", Input: "", Ctx: map[string]any{"min_length": float64(1)}}}},
		"blank name":    {`{"name":"  "}`, []valErr{{Type: "value_error", Loc: loc("body", "name"), Msg: "Value error, must not be blank", Input: "  "}}},
		"malformed":     {`{"name"`, []valErr{{Type: "json_invalid", Loc: loc("body", 7), Msg: "JSON decode error", Input: map[string]any{}, Ctx: map[string]any{"error": "Expecting ':' delimiter"}}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := snapshot(srv)
			r := api(t, srv, http.MethodPost, "/api/v1/organization/service_accounts", tc.body)
			assert.Equal(t, tc.want, validationErrors(t, r))
			unchanged(t, srv, before)
		})
	}
}
