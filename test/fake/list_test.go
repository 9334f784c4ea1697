package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// listFixture is an organization whose order is known for every sort.
// IDs fix the tie-breaks: ID order is a < b < c < ...
type listFixture struct {
	srv  *arthurtest.Server
	byID map[string]arthur.User
}

func newListFixture(t *testing.T) listFixture {
	srv := arthurtest.NewServer(t, arthurtest.WithAdmin(arthur.User{FirstName: "Zed", LastName: arthur.Ptr("Admin"), Email: arthur.Ptr("zed@example.com")}))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	users := []arthur.User{
		{ID: "a0000000-0000-4000-8000-000000000000", FirstName: "ada", LastName: arthur.Ptr("Lovelace"), Email: arthur.Ptr("ada@example.com"), CreatedAt: base.Add(3 * time.Hour), UpdatedAt: base.Add(9 * time.Hour)},
		{ID: "b0000000-0000-4000-8000-000000000000", FirstName: "Ada", LastName: arthur.Ptr("Byron"), Email: arthur.Ptr("byron@example.com"), CreatedAt: base.Add(1 * time.Hour), UpdatedAt: base.Add(8 * time.Hour)},
		{ID: "c0000000-0000-4000-8000-000000000000", FirstName: "Bob", Email: arthur.Ptr("Carol@example.com"), CreatedAt: base.Add(1 * time.Hour), UpdatedAt: base.Add(7 * time.Hour)},
		{ID: "d0000000-0000-4000-8000-000000000000", FirstName: "Bob", LastName: arthur.Ptr("Ames"), CreatedAt: base.Add(2 * time.Hour), UpdatedAt: base.Add(7 * time.Hour)},
		{ID: "e0000000-0000-4000-8000-000000000000", FirstName: "ci-bot", UserType: arthur.UserTypeServiceAccount, CreatedAt: base.Add(4 * time.Hour), UpdatedAt: base.Add(1 * time.Hour)},
		{ID: "f0000000-0000-4000-8000-000000000000", FirstName: "engine", UserType: arthur.UserTypeDataPlane, CreatedAt: base, UpdatedAt: base},
	}
	admin, _ := srv.Admin()
	f := listFixture{srv: srv, byID: map[string]arthur.User{admin.ID: admin}}
	for _, u := range users {
		got := srv.AddUser(u)
		f.byID[got.ID] = got
	}
	return f
}

// list calls GetOrganizationUsers through the SDK.
func (f listFixture) list(t *testing.T, p *arthur.GetOrganizationUsersParams) *arthur.ResourceListUser {
	t.Helper()
	page, err := newClient(t, f.srv).UsersV1API.GetOrganizationUsers(context.Background(), p)
	require.NoError(t, err)
	return page
}

// ids returns the first letters of the users' IDs ("z" for the admin).
func ids(users []arthur.User) string {
	var b strings.Builder
	for _, u := range users {
		if u.FirstName == "Zed" {
			b.WriteByte('z')
			continue
		}
		b.WriteByte(u.ID[0])
	}
	return b.String()
}

func TestListDefaults(t *testing.T) {
	f := newListFixture(t)
	page := f.list(t, nil)
	assert.Equal(t, arthur.Pagination{Page: 1, PageSize: 20, TotalPages: 1, TotalRecords: 6}, page.Pagination)
	// sort by name (first, then last, ignoring case; no last name last),
	// ascending, people and service accounts only.
	assert.Equal(t, "badcez", ids(page.Records))
	for _, u := range page.Records {
		assert.Equal(t, f.byID[u.ID], u, "records are the stored users")
	}

	reqs := f.srv.Requests()
	assert.Empty(t, reqs[len(reqs)-1].Query, "nil params send no query")
}

func TestListSort(t *testing.T) {
	f := newListFixture(t)
	cases := []struct {
		sort  arthur.UserSort
		order arthur.SortOrder
		want  string
	}{
		{arthur.UserSortName, arthur.SortOrderAsc, "badcez"},
		{arthur.UserSortName, arthur.SortOrderDesc, "zecdab"},
		{arthur.UserSortEmail, arthur.SortOrderAsc, "abczde"}, // nulls last, ties by ID
		{arthur.UserSortEmail, arthur.SortOrderDesc, "dezcba"},
		{arthur.UserSortCreatedAt, arthur.SortOrderAsc, "bcdaez"},
		{arthur.UserSortCreatedAt, arthur.SortOrderDesc, "zeadbc"},
		{arthur.UserSortUpdatedAt, arthur.SortOrderAsc, "ecdbaz"},
		{arthur.UserSortUpdatedAt, arthur.SortOrderDesc, "zabcde"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s", tc.sort, tc.order), func(t *testing.T) {
			page := f.list(t, &arthur.GetOrganizationUsersParams{Sort: tc.sort, Order: tc.order})
			assert.Equal(t, tc.want, ids(page.Records))
		})
	}
	t.Run("order alone", func(t *testing.T) {
		page := f.list(t, &arthur.GetOrganizationUsersParams{Order: arthur.SortOrderDesc})
		assert.Equal(t, "zecdab", ids(page.Records))
	})
}

func TestListSearch(t *testing.T) {
	f := newListFixture(t)
	cases := map[string]string{
		"ADA":               "ba", // first name, any case
		"love":              "a",  // last name
		"carol@":            "c",  // email
		"EXAMPLE.COM":       "bacz",
		"ada love":          "a", // full name
		"bob":               "dc",
		"ci-":               "e", // service accounts by name
		"engine":            "",  // data planes are not listed by default
		"no such user here": "",
	}
	for term, want := range cases {
		t.Run(term, func(t *testing.T) {
			page := f.list(t, &arthur.GetOrganizationUsersParams{Search: term})
			assert.Equal(t, want, ids(page.Records))
			assert.Equal(t, len(want), page.Pagination.TotalRecords)
		})
	}
}

func TestListFilters(t *testing.T) {
	f := newListFixture(t)
	types := map[string]struct {
		types []arthur.UserType
		want  string
	}{
		"people":                   {[]arthur.UserType{arthur.UserTypeUser}, "badcz"},
		"service accounts":         {[]arthur.UserType{arthur.UserTypeServiceAccount}, "e"},
		"data planes, when asked":  {[]arthur.UserType{arthur.UserTypeDataPlane}, "f"},
		"every type":               {arthur.AllUserTypeValues, "badcefz"},
		"data planes and accounts": {[]arthur.UserType{arthur.UserTypeDataPlane, arthur.UserTypeServiceAccount}, "ef"},
	}
	for name, tc := range types {
		t.Run(name, func(t *testing.T) {
			page := f.list(t, &arthur.GetOrganizationUsersParams{UserTypes: tc.types})
			assert.Equal(t, tc.want, ids(page.Records))
		})
	}

	t.Run("user ids", func(t *testing.T) {
		page := f.list(t, &arthur.GetOrganizationUsersParams{UserIDs: []string{
			"c0000000-0000-4000-8000-000000000000", "a0000000-0000-4000-8000-000000000000",
			"f0000000-0000-4000-8000-000000000000", unknownID,
		}})
		assert.Equal(t, "ac", ids(page.Records), "the data plane stays out: the type filter applies too")
		page = f.list(t, &arthur.GetOrganizationUsersParams{
			UserIDs:   []string{"f0000000-0000-4000-8000-000000000000"},
			UserTypes: []arthur.UserType{arthur.UserTypeDataPlane},
		})
		assert.Equal(t, "f", ids(page.Records))
	})
	t.Run("everything at once", func(t *testing.T) {
		page := f.list(t, &arthur.GetOrganizationUsersParams{
			Search: "a", UserTypes: []arthur.UserType{arthur.UserTypeUser}, Sort: arthur.UserSortEmail,
			Order: arthur.SortOrderDesc, UserIDs: []string{"a0000000-0000-4000-8000-000000000000", "b0000000-0000-4000-8000-000000000000", "d0000000-0000-4000-8000-000000000000"},
			Page: 1, PageSize: 2,
		})
		assert.Equal(t, "db", ids(page.Records))
		assert.Equal(t, arthur.Pagination{Page: 1, PageSize: 2, TotalPages: 2, TotalRecords: 3}, page.Pagination)
	})
	t.Run("repeated keys on the wire", func(t *testing.T) {
		f.srv.ResetRequests()
		f.list(t, &arthur.GetOrganizationUsersParams{UserTypes: []arthur.UserType{arthur.UserTypeUser, arthur.UserTypeServiceAccount}})
		q := f.srv.Requests()[0].Query
		assert.Equal(t, []string{"user", "service_account"}, q["user_types"])
	})
}

func TestListPagination(t *testing.T) {
	srv := arthurtest.NewServer(t)
	_, err := arthurtest.SeedUsers(srv, 44) // 45 with the admin
	require.NoError(t, err)
	client := newClient(t, srv)
	ctx := context.Background()

	var all []arthur.User
	for p := 1; p <= 3; p++ {
		page, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Page: p})
		require.NoError(t, err)
		assert.Equal(t, arthur.Pagination{Page: p, PageSize: 20, TotalPages: 3, TotalRecords: 45}, page.Pagination)
		assert.Len(t, page.Records, []int{20, 20, 5}[p-1])
		all = append(all, page.Records...)
	}
	full, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{PageSize: 1000})
	require.NoError(t, err)
	assert.Equal(t, full.Records, all, "pages are slices of one order")
	assert.Equal(t, 1, full.Pagination.TotalPages)

	past, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Page: 4})
	require.NoError(t, err)
	assert.Empty(t, past.Records)
	assert.Equal(t, arthur.Pagination{Page: 4, PageSize: 20, TotalPages: 3, TotalRecords: 45}, past.Pagination)

	exact, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{PageSize: 15})
	require.NoError(t, err)
	assert.Equal(t, 3, exact.Pagination.TotalPages, "45/15")

	none, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Search: "no such user"})
	require.NoError(t, err)
	assert.Equal(t, arthur.Pagination{Page: 1, PageSize: 20, TotalPages: 0, TotalRecords: 0}, none.Pagination)
	assert.NotNil(t, none.Records)

	var iterated []arthur.User
	for u, err := range client.UsersV1API.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{PageSize: 7}) {
		require.NoError(t, err)
		iterated = append(iterated, u)
	}
	assert.Equal(t, full.Records, iterated)

	huge := api(t, srv, http.MethodGet, "/api/v1/organization/users?page=99999999999999999999999", "")
	require.Equal(t, http.StatusOK, huge.Status, "Python ints have no bound")
	assert.Contains(t, string(huge.Body), `"records":[]`)

	decimal := api(t, srv, http.MethodGet, "/api/v1/organization/users?page=%202.0%20&page_size=20", "")
	require.Equal(t, http.StatusOK, decimal.Status, "pydantic reads ' 2.0 ' as 2")
	assert.Contains(t, string(decimal.Body), `"page":2,`)
}

func TestListRefusesBadParameters(t *testing.T) {
	srv := arthurtest.NewServer(t)
	enumCtx := func(s string) map[string]any { return map[string]any{"expected": s} }
	cases := []struct {
		query string
		want  []valErr
	}{
		{"sort=age", []valErr{{Type: "enum", Loc: loc("query", "sort"), Msg: "Input should be 'name', 'email', 'created_at' or 'updated_at'", Input: "age", Ctx: enumCtx("'name', 'email', 'created_at' or 'updated_at'")}}},
		{"sort=", []valErr{{Type: "enum", Loc: loc("query", "sort"), Msg: "Input should be 'name', 'email', 'created_at' or 'updated_at'", Input: "", Ctx: enumCtx("'name', 'email', 'created_at' or 'updated_at'")}}},
		{"order=up", []valErr{{Type: "enum", Loc: loc("query", "order"), Msg: "Input should be 'asc' or 'desc'", Input: "up", Ctx: enumCtx("'asc' or 'desc'")}}},
		{"user_types=user&user_types=robot", []valErr{{Type: "enum", Loc: loc("query", "user_types", 1), Msg: "Input should be 'user', 'data_plane' or 'service_account'", Input: "robot", Ctx: enumCtx("'user', 'data_plane' or 'service_account'")}}},
		{"user_ids=nope", []valErr{{Type: "uuid_parsing", Loc: loc("query", "user_ids", 0),
			Msg:   "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1",
			Input: "nope", Ctx: map[string]any{"error": "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1"}}}},
		{"page=0", []valErr{{Type: "greater_than_equal", Loc: loc("query", "page"), Msg: "Input should be greater than or equal to 1", Input: "0", Ctx: map[string]any{"ge": float64(1)}}}},
		{"page=x", []valErr{{Type: "int_parsing", Loc: loc("query", "page"), Msg: "Input should be a valid integer, unable to parse string as an integer", Input: "x"}}},
		{"page=1.5", []valErr{{Type: "int_parsing", Loc: loc("query", "page"), Msg: "Input should be a valid integer, unable to parse string as an integer", Input: "1.5"}}},
		{"page_size=1001", []valErr{{Type: "less_than_equal", Loc: loc("query", "page_size"), Msg: "Input should be less than or equal to 1000", Input: "1001", Ctx: map[string]any{"le": float64(1000)}}}},
		{"page_size=0", []valErr{{Type: "greater_than_equal", Loc: loc("query", "page_size"), Msg: "Input should be greater than or equal to 1", Input: "0", Ctx: map[string]any{"ge": float64(1)}}}},
		{"page_size=-99999999999999999999", []valErr{{Type: "greater_than_equal", Loc: loc("query", "page_size"), Msg: "Input should be greater than or equal to 1", Input: "-99999999999999999999", Ctx: map[string]any{"ge": float64(1)}}}},
		{"page_size=abc&sort=x&page=0", []valErr{ // every error, in parameter order
			{Type: "enum", Loc: loc("query", "sort"), Msg: "Input should be 'name', 'email', 'created_at' or 'updated_at'", Input: "x", Ctx: enumCtx("'name', 'email', 'created_at' or 'updated_at'")},
			{Type: "greater_than_equal", Loc: loc("query", "page"), Msg: "Input should be greater than or equal to 1", Input: "0", Ctx: map[string]any{"ge": float64(1)}},
			{Type: "int_parsing", Loc: loc("query", "page_size"), Msg: "Input should be a valid integer, unable to parse string as an integer", Input: "abc"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			r := api(t, srv, http.MethodGet, "/api/v1/organization/users?"+tc.query, "")
			assert.Equal(t, tc.want, validationErrors(t, r))
		})
	}

	t.Run("the last of a repeated key wins", func(t *testing.T) {
		r := api(t, srv, http.MethodGet, "/api/v1/organization/users?sort=bad&sort=email&page_size=5&page_size=1", "")
		require.Equal(t, http.StatusOK, r.Status)
		var page struct{ Pagination arthur.Pagination }
		require.NoError(t, json.Unmarshal(r.Body, &page))
		assert.Equal(t, 1, page.Pagination.PageSize)
	})
	t.Run("unknown parameters are ignored", func(t *testing.T) {
		r := api(t, srv, http.MethodGet, "/api/v1/organization/users?"+url.Values{"color": {"blue"}}.Encode(), "")
		assert.Equal(t, http.StatusOK, r.Status)
	})
	t.Run("uuids in any form", func(t *testing.T) {
		admin, _ := srv.Admin()
		for _, form := range []string{strings.ToUpper(admin.ID), strings.ReplaceAll(admin.ID, "-", ""), "urn:uuid:" + admin.ID, "{" + admin.ID + "}"} {
			r := api(t, srv, http.MethodGet, "/api/v1/organization/users?"+url.Values{"user_ids": {form}}.Encode(), "")
			require.Equal(t, http.StatusOK, r.Status, form)
			assert.Contains(t, string(r.Body), `"total_records":1`, form)
		}
	})
}

func TestListIsSortedStablyUnderEqualKeys(t *testing.T) {
	srv := arthurtest.NewServer(t)
	srv.SetNow(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	for range 30 {
		srv.AddUser(arthur.User{FirstName: "Same", LastName: arthur.Ptr("Name")})
	}
	client := newClient(t, srv)
	for _, sort := range arthur.AllUserSortValues {
		page, err := client.UsersV1API.GetOrganizationUsers(context.Background(), &arthur.GetOrganizationUsersParams{Sort: sort, Search: "same", PageSize: 1000})
		require.NoError(t, err)
		got := make([]string, len(page.Records))
		for i, u := range page.Records {
			got[i] = u.ID
		}
		assert.True(t, slices.IsSorted(got), "%s: ties are broken by ID", sort)
	}
}
