package test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// Every operation: method, path, query, headers and body on the wire, and
// the decoded result.
func TestOperationsOnTheWire(t *testing.T) {
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			m := newMockAPI(t, func(c *arthur.Configuration) {
				c.UserAgent = "inventory-sync/2.1"
				c.DefaultHeader = map[string]string{
					"X-Tenant": "acme",
					// The SDK owns these; DefaultHeader cannot override them.
					"authorization": "Bearer not-this-one",
					"User-Agent":    "not-this-one",
					"Accept":        "text/plain",
					"Content-Type":  "text/plain",
				}
			})
			m.on(op.method, op.path, op.successResponder())

			got, err := op.call(t.Context(), m.api)
			require.NoError(t, err)
			if op.check != nil {
				op.check(t, got)
			}

			require.Equal(t, 1, m.calls())
			r := m.rec.last(t)
			testMethod(t, r, op.method)
			testPath(t, r, op.path)
			testQuery(t, r, op.query)
			testHeader(t, r, "Authorization", "Bearer "+testToken)
			testHeader(t, r, "Accept", "application/json")
			testHeader(t, r, "X-Tenant", "acme")
			testUserAgent(t, r, "inventory-sync/2.1")
			if op.body != "" {
				testHeader(t, r, "Content-Type", "application/json")
			} else {
				testNoHeader(t, r, "Content-Type")
			}
			testBody(t, r, op.body)
		})
	}
}

func TestUserAgentWithoutSuffix(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json()))
	_, err := m.api.GetUsersMe(t.Context())
	require.NoError(t, err)
	ua := m.rec.last(t).Header.Get("User-Agent")
	assert.Regexp(t, `^arthur-go/`+arthur.Version+` \(go[^;]+; [a-z0-9]+/[a-z0-9]+\)$`, ua)
}

func TestGetOrganizationUsersQuery(t *testing.T) {
	cases := []struct {
		name   string
		params *arthur.GetOrganizationUsersParams
		want   string
	}{
		{"nil params", nil, ""},
		{"zero params", &arthur.GetOrganizationUsersParams{}, ""},
		{"sort", &arthur.GetOrganizationUsersParams{Sort: arthur.UserSortCreatedAt}, "sort=created_at"},
		{"order", &arthur.GetOrganizationUsersParams{Order: arthur.SortOrderAsc}, "order=asc"},
		{"one user type", &arthur.GetOrganizationUsersParams{UserTypes: []arthur.UserType{arthur.UserTypeDataPlane}}, "user_types=data_plane"},
		{"user types repeated", &arthur.GetOrganizationUsersParams{UserTypes: []arthur.UserType{arthur.UserTypeUser, arthur.UserTypeServiceAccount}},
			"user_types=user&user_types=service_account"},
		{"empty user types", &arthur.GetOrganizationUsersParams{UserTypes: []arthur.UserType{}}, ""},
		{"search escaped", &arthur.GetOrganizationUsersParams{Search: "o'brien & co=1/2?"}, "search=o%27brien+%26+co%3D1%2F2%3F"},
		{"user ids repeated", &arthur.GetOrganizationUsersParams{UserIDs: []string{adaID, saID, dpUserID}},
			"user_ids=" + adaID + "&user_ids=" + saID + "&user_ids=" + dpUserID},
		{"page", &arthur.GetOrganizationUsersParams{Page: 1}, "page=1"},
		{"page size lower bound", &arthur.GetOrganizationUsersParams{PageSize: 1}, "page_size=1"},
		{"page size upper bound", &arthur.GetOrganizationUsersParams{PageSize: 1000}, "page_size=1000"},
		{"everything", fullListParams(), fullListQuery},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("GET", "/api/v1/organization/users", respond(200, listDoc(1, 20, 0, 0).json()))
			got, err := m.api.GetOrganizationUsers(t.Context(), tc.params)
			require.NoError(t, err)
			assert.Empty(t, got.Records)
			assert.NotNil(t, got.Records, "an empty page is an empty slice")
			r := m.rec.last(t)
			testMethod(t, r, "GET")
			testPath(t, r, "/api/v1/organization/users")
			testQuery(t, r, tc.want)
			testBody(t, r, "")
		})
	}
}

func TestGetOrganizationUsersDoesNotChangeParams(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", respond(200, listDoc(2, 50, 2, 53).json()))
	p := fullListParams()
	_, err := m.api.GetOrganizationUsers(t.Context(), p)
	require.NoError(t, err)
	assert.Equal(t, fullListParams(), p)
}

func TestPatchUserBody(t *testing.T) {
	cases := []struct {
		name string
		body arthur.PatchUser
		want string
	}{
		{"all unset", arthur.PatchUser{}, `{}`},
		{"all null", arthur.PatchUser{FirstName: arthur.Null[string](), LastName: arthur.Null[string](),
			Email: arthur.Null[string](), Picture: arthur.Null[string]()},
			`{"first_name":null,"last_name":null,"email":null,"picture":null}`},
		{"empty strings are values", arthur.PatchUser{FirstName: arthur.Value(""), LastName: arthur.Value("")},
			`{"first_name":"","last_name":""}`},
		{"email only", arthur.PatchUser{Email: arthur.Value("ada@example.org")}, `{"email":"ada@example.org"}`},
		{"mixed", arthur.PatchUser{LastName: arthur.Null[string](), Picture: arthur.Value("https://img.example.com/a.png")},
			`{"last_name":null,"picture":"https://img.example.com/a.png"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("PATCH", "/api/v1/users/"+adaID, respond(200, adaDoc().json()))
			u, err := m.api.PatchUser(t.Context(), adaID, tc.body)
			require.NoError(t, err)
			assertUser(t, wantAda(), *u)
			r := m.rec.last(t)
			testMethod(t, r, "PATCH")
			testPath(t, r, "/api/v1/users/"+adaID)
			testHeader(t, r, "Content-Type", "application/json")
			testBody(t, r, tc.want)
		})
	}
}

func TestPatchServiceAccountUserBody(t *testing.T) {
	cases := []struct {
		name string
		body arthur.PatchServiceAccountUser
		want string
	}{
		{"unset", arthur.PatchServiceAccountUser{}, `{}`},
		{"null", arthur.PatchServiceAccountUser{Name: arthur.Null[string]()}, `{"name":null}`},
		{"empty string", arthur.PatchServiceAccountUser{Name: arthur.Value("")}, `{"name":""}`},
		{"value", arthur.PatchServiceAccountUser{Name: arthur.Value("renamed")}, `{"name":"renamed"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("PATCH", "/api/v1/users/"+saID+"/service_account", respond(200, saDoc().json()))
			u, err := m.api.PatchServiceAccountUser(t.Context(), saID, tc.body)
			require.NoError(t, err)
			assertUser(t, wantSA(), *u)
			testBody(t, m.rec.last(t), tc.want)
		})
	}
}

func TestPostOrganizationUserBody(t *testing.T) {
	cases := []struct {
		name string
		body arthur.PostEndUser
		want string
	}{
		{"required fields only",
			arthur.PostEndUser{FirstName: "Grace", Email: "grace@example.com", Password: "hunter2-but-longer"},
			`{"first_name":"Grace","email":"grace@example.com","password":"hunter2-but-longer"}`},
		{"empty last name is a value",
			arthur.PostEndUser{FirstName: "Grace", LastName: arthur.Ptr(""), Email: "grace@example.com", Password: "p"},
			`{"first_name":"Grace","last_name":"","email":"grace@example.com","password":"p"}`},
		{"password in clear, JSON-escaped",
			arthur.PostEndUser{FirstName: "Grace", Email: "grace@example.com", Password: `p"w\d é`},
			`{"first_name":"Grace","email":"grace@example.com","password":"p\"w\\d é"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("POST", "/api/v1/organization/users", respond(200, adaDoc().json()))
			_, err := m.api.PostOrganizationUser(t.Context(), tc.body)
			require.NoError(t, err)
			r := m.rec.last(t)
			testBody(t, r, tc.want)
			assert.Contains(t, string(r.Body), `"password":`)
			assert.NotContains(t, string(r.Body), "REDACTED")
		})
	}
}

func TestInviteNewUserBody(t *testing.T) {
	binding := &arthur.PostGlobalRoleBinding{RoleID: roleID, BoundResourceKind: arthur.BoundResourceKindOrganization, ResourceID: resourceID}
	cases := []struct {
		name string
		body arthur.InviteNewUser
		want string
	}{
		{"email only", arthur.InviteNewUser{Email: "grace@example.com"}, `{"email":"grace@example.com"}`},
		{"role binding", arthur.InviteNewUser{Email: "grace@example.com", RoleBinding: binding},
			`{"email":"grace@example.com","role_binding":{"role_id":"` + roleID +
				`","bound_resource_kind":"organization","resource_id":"` + resourceID + `"}}`},
		{"group ids", arthur.InviteNewUser{Email: "grace@example.com", GroupIDs: []string{groupID1}},
			`{"email":"grace@example.com","group_ids":["` + groupID1 + `"]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("POST", "/api/v1/organization/users/invite-user", respond(201, `{}`))
			_, err := m.api.PostOrganizationUserInvite(t.Context(), tc.body)
			require.NoError(t, err)
			testBody(t, m.rec.last(t), tc.want)
		})
	}
}

func TestInviteResults(t *testing.T) {
	cases := []struct {
		name, body string
		want       map[string]any
	}{
		{"null", `null`, nil},
		{"empty object", `{}`, map[string]any{}},
		{"object", `{"invite":{"email":"grace@example.com"},"sent":true}`,
			map[string]any{"invite": map[string]any{"email": "grace@example.com"}, "sent": true}},
		{"no body", ``, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			if tc.body == "" {
				// The contract declares a JSON body for this 201; a server
				// that sends none strays from it, and the SDK still copes.
				m = newMockAPIRequestOnly(t)
			}
			m.on("POST", "/api/v1/organization/users/invite-user", respond(201, tc.body))
			got, err := m.api.PostOrganizationUserInvite(t.Context(), arthur.InviteNewUser{Email: "grace@example.com"})
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if tc.want == nil {
				assert.Nil(t, got)
			} else {
				assert.NotNil(t, got)
			}
		})
	}
}

// A 204 carries no body, but a server that sends one anyway still means
// success; the SDK drops it.
func TestNoContentWithBody(t *testing.T) {
	t.Run("DeleteUser", func(t *testing.T) {
		m := newMockAPI(t)
		m.on("DELETE", "/api/v1/users/"+adaID, respond(204, `{"deleted":true}`))
		require.NoError(t, m.api.DeleteUser(t.Context(), adaID))
	})
	t.Run("AcceptMyInvites", func(t *testing.T) {
		m := newMockAPI(t)
		m.on("POST", "/api/v1/users/me/accept-invite", respond(204, `not even json`, "Content-Type", "text/plain"))
		require.NoError(t, m.api.AcceptMyInvites(t.Context()))
	})
	t.Run("AcceptMyInvites 200", func(t *testing.T) {
		// Any 2xx is success for an operation with no result.
		m := newMockAPI(t)
		m.on("POST", "/api/v1/users/me/accept-invite", respond(200, `{"accepted":2}`))
		require.NoError(t, m.api.AcceptMyInvites(t.Context()))
	})
}

func TestPostUserCredsForAPerson(t *testing.T) {
	m := newMockAPI(t)
	m.on("POST", "/api/v1/users/"+adaID+"/credentials",
		respond(200, adaDoc().with("credentials", doc{"password": oneTimePass}).json()))
	su, err := m.api.PostUserCreds(t.Context(), adaID)
	require.NoError(t, err)
	assertUser(t, wantAda(), su.User())
	require.NotNil(t, su.Credentials.User)
	assert.Nil(t, su.Credentials.ServiceAccount)
	assert.Equal(t, oneTimePass, su.Credentials.User.Password.Reveal())
	r := m.rec.last(t)
	testMethod(t, r, "POST")
	testPath(t, r, "/api/v1/users/"+adaID+"/credentials")
	testBody(t, r, "")
	testNoHeader(t, r, "Content-Type")
}

func TestDecodeNullsAndAbsentFields(t *testing.T) {
	cases := []struct {
		name string
		doc  doc
		want arthur.User
	}{
		{"data plane user, explicit nulls", dataPlaneDoc(), wantDataPlane()},
		{"service account, absent optional fields", saDoc(), wantSA()},
		{"person with every optional field null", adaDoc().with("last_name", nil, "email", nil, "picture", nil),
			func() arthur.User {
				u := wantAda()
				u.LastName, u.Email, u.Picture = nil, nil, nil
				return u
			}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("GET", "/api/v1/users/me", respond(200, tc.doc.json()))
			u, err := m.api.GetUsersMe(t.Context())
			require.NoError(t, err)
			assertUser(t, tc.want, *u)
		})
	}
}

// The contract has no additionalProperties: false, so these responses are
// valid, and the server may add fields at any time.
func TestDecodeIgnoresUnknownFields(t *testing.T) {
	t.Run("User", func(t *testing.T) {
		m := newMockAPI(t)
		m.on("GET", "/api/v1/users/me", respond(200, adaDoc().with("mfa_enabled", true, "roles", []string{"admin"},
			"profile", doc{"locale": "en"}).json()))
		u, err := m.api.GetUsersMe(t.Context())
		require.NoError(t, err)
		assertUser(t, wantAda(), *u)
	})
	t.Run("ResourceList", func(t *testing.T) {
		m := newMockAPI(t)
		l := listDoc(1, 20, 1, 1, adaDoc().with("new_field", 1))
		l["pagination"] = l["pagination"].(doc).with("has_next", false)
		l["links"] = doc{"next": nil}
		m.on("GET", "/api/v1/organization/users", respond(200, l.json()))
		got, err := m.api.GetOrganizationUsers(t.Context(), nil)
		require.NoError(t, err)
		require.Len(t, got.Records, 1)
		assertUser(t, wantAda(), got.Records[0])
		assert.Equal(t, arthur.Pagination{Page: 1, PageSize: 20, TotalPages: 1, TotalRecords: 1}, got.Pagination)
	})
	t.Run("Credentials", func(t *testing.T) {
		m := newMockAPI(t)
		m.on("POST", "/api/v1/organization/service_accounts", respond(200, saDoc().with("credentials",
			doc{"client_id": saClientID, "client_secret": saClientSecret, "expires_at": nil}).json()))
		sa, err := m.api.PostOrganizationServiceAccount(t.Context(), arthur.PostServiceAccount{Name: "ci-bot"})
		require.NoError(t, err)
		assert.Equal(t, saClientSecret, sa.Credentials.ClientSecret.Reveal())
	})
}

func TestDecodePaginationDefaults(t *testing.T) {
	// page and page_size are optional in the contract, with defaults 1 and 20.
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", respond(200,
		doc{"records": []doc{}, "pagination": doc{"total_pages": 0, "total_records": 0}}.json()))
	got, err := m.api.GetOrganizationUsers(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, arthur.Pagination{Page: 1, PageSize: 20}, got.Pagination)
}

// An enum value the SDK does not know is kept, not refused: the server may
// add one. The contract's enum rejects it, hence unchecked responses.
func TestDecodeUnknownEnumValue(t *testing.T) {
	m := newMockAPIRequestOnly(t)
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().with("user_type", "robot").json()))
	u, err := m.api.GetUsersMe(t.Context())
	require.NoError(t, err)
	assert.Equal(t, arthur.UserType("robot"), u.UserType)
	assert.False(t, u.UserType.IsValid())
	assert.True(t, arthur.UserTypeServiceAccount.IsValid())
}

// Pydantic writes a naive datetime with no zone; the SDK reads it as UTC.
// The contract's date-time demands a zone, hence unchecked responses.
func TestDecodeNaiveTimestamp(t *testing.T) {
	m := newMockAPIRequestOnly(t)
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().with("created_at", "2025-01-01T10:11:12.123456",
		"updated_at", "2025-02-03T06:05:06.654321+02:00").json()))
	u, err := m.api.GetUsersMe(t.Context())
	require.NoError(t, err)
	assert.True(t, createdAt.Equal(u.CreatedAt), "naive created_at: %v", u.CreatedAt)
	assert.Equal(t, 0, func() int { _, off := u.CreatedAt.Zone(); return off }())
	assert.True(t, updatedAt.Equal(u.UpdatedAt), "offset updated_at: %v", u.UpdatedAt)
}
