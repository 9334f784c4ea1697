package test

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

func numberedID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

func numberedDoc(i int) doc {
	return adaDoc().with("id", numberedID(i), "first_name", "user-"+strconv.Itoa(i),
		"email", fmt.Sprintf("user%d@example.com", i))
}

// pagedUsers serves `total` users, page by page, with the page and
// page_size the request asks for. totalPages, when not 0, overrides the
// total_pages it reports; pages past the end still hold records, so a
// client that ignores total_pages would go on.
func pagedUsers(total, totalPages int) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		page, size := 1, 20
		if v := q.Get("page"); v != "" {
			page, _ = strconv.Atoi(v)
		}
		if v := q.Get("page_size"); v != "" {
			size, _ = strconv.Atoi(v)
		}
		pages := (total + size - 1) / size
		if totalPages != 0 {
			pages = totalPages
		}
		var records []doc
		for i := (page-1)*size + 1; i <= page*size && (i <= total || page > pages); i++ {
			records = append(records, numberedDoc(i))
		}
		return response(req, 200, listDoc(page, size, pages, total, records...).json()), nil
	}
}

func collect(t *testing.T, api *arthur.UsersV1APIService, p *arthur.GetOrganizationUsersParams) ([]string, error) {
	t.Helper()
	var ids []string
	for u, err := range api.GetOrganizationUsersIter(t.Context(), p) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

func numberedIDs(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, numberedID(i))
	}
	return out
}

func TestIterWalksAllPages(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", pagedUsers(5, 0))
	p := &arthur.GetOrganizationUsersParams{PageSize: 2, Search: "user", UserTypes: []arthur.UserType{arthur.UserTypeUser}}
	ids, err := collect(t, m.api, p)
	require.NoError(t, err)
	assert.Equal(t, numberedIDs(1, 5), ids)

	reqs := m.rec.requests()
	require.Len(t, reqs, 3, "pages 1 to total_pages, no more")
	// Pages after the first are fetched concurrently, in any order.
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].URL.RawQuery < reqs[j].URL.RawQuery })
	for i, r := range reqs {
		testMethod(t, r, "GET")
		testPath(t, r, "/api/v1/organization/users")
		testQuery(t, r, fmt.Sprintf("page=%d&page_size=2&search=user&user_types=user", i+1))
		testHeader(t, r, "Authorization", "Bearer "+testToken)
	}
}

func TestIterDecodesWholeUsers(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", respond(200, listDoc(1, 20, 1, 3, adaDoc(), saDoc(), dataPlaneDoc()).json()))
	var users []arthur.User
	for u, err := range m.api.GetOrganizationUsersIter(t.Context(), nil) {
		require.NoError(t, err)
		users = append(users, u)
	}
	require.Len(t, users, 3)
	assertUser(t, wantAda(), users[0])
	assertUser(t, wantSA(), users[1])
	assertUser(t, wantDataPlane(), users[2])
	testQuery(t, m.rec.last(t), "page=1")
}

func TestIterStopsAtTotalPages(t *testing.T) {
	m := newMockAPI(t)
	// 10 users would make 5 pages of 2, but the server says there are 2.
	m.on("GET", "/api/v1/organization/users", pagedUsers(10, 2))
	ids, err := collect(t, m.api, &arthur.GetOrganizationUsersParams{PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, numberedIDs(1, 4), ids)
	assert.Equal(t, 2, m.calls())
}

func TestIterStopsOnAnEmptyPage(t *testing.T) {
	m := newMockAPI(t, onePageAtATime())
	m.on("GET", "/api/v1/organization/users", sequence(
		respond(200, listDoc(1, 2, 9, 18, numberedDoc(1), numberedDoc(2)).json()),
		respond(200, listDoc(2, 2, 9, 18).json()),
		respond(200, listDoc(3, 2, 9, 18, numberedDoc(5)).json()),
	))
	ids, err := collect(t, m.api, &arthur.GetOrganizationUsersParams{PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, numberedIDs(1, 2), ids)
	assert.Equal(t, 2, m.calls())
}

func TestIterDoesNotChangeParams(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", pagedUsers(5, 0))
	p := &arthur.GetOrganizationUsersParams{PageSize: 2, UserTypes: []arthur.UserType{arthur.UserTypeUser},
		UserIDs: []string{numberedID(1)}}
	want := *p
	want.UserTypes = []arthur.UserType{arthur.UserTypeUser}
	want.UserIDs = []string{numberedID(1)}

	seq := m.api.GetOrganizationUsersIter(t.Context(), p)
	// Changes made after the sequence was made do not reach it.
	p.Search = "later"
	p.UserTypes[0] = arthur.UserTypeDataPlane
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n)
	for _, r := range m.rec.requests() {
		assert.Equal(t, []string{"user"}, r.URL.Query()["user_types"])
		assert.Empty(t, r.URL.Query().Get("search"))
	}
	p.Search = ""
	p.UserTypes[0] = arthur.UserTypeUser
	assert.Equal(t, &want, p, "the iterator does not write to the caller's params")
	assert.Equal(t, 0, p.Page)
}

func TestIterStopsFetchingWhenTheLoopBreaks(t *testing.T) {
	m := newMockAPI(t, onePageAtATime())
	m.on("GET", "/api/v1/organization/users", pagedUsers(10, 0))
	var ids []string
	for u, err := range m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
		if len(ids) == 3 {
			break
		}
	}
	assert.Equal(t, numberedIDs(1, 3), ids)
	assert.Equal(t, 2, m.calls(), "page 3 is never fetched")

	// Breaking on the first record: the next page, fetched while page 1 is
	// read, is abandoned and nothing more is fetched.
	m.mock.ZeroCallCounters()
	for range m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{PageSize: 2}) {
		break
	}
	atBreak := m.calls()
	assert.LessOrEqual(t, atBreak, 2)
	time.Sleep(10 * time.Millisecond)
	assert.Equal(t, atBreak, m.calls())
}

func TestIterYieldsAnErrorOnceAndStops(t *testing.T) {
	m := newMockAPI(t, noRetry(), onePageAtATime())
	m.on("GET", "/api/v1/organization/users", sequence(
		pagedUsers(6, 0),
		respond(500, `{"detail":"Internal server error"}`, "X-Request-Id", "req-page-2"),
		pagedUsers(6, 0),
	))
	var ids []string
	var errs []error
	var afterErr int
	for u, err := range m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{PageSize: 2}) {
		if err != nil {
			errs = append(errs, err)
			assert.Equal(t, arthur.User{}, u, "a zero User comes with the error")
			continue // the sequence must end by itself
		}
		if len(errs) > 0 {
			afterErr++
		}
		ids = append(ids, u.ID)
	}
	assert.Equal(t, numberedIDs(1, 2), ids)
	require.Len(t, errs, 1)
	assert.Zero(t, afterErr)
	var apiErr *arthur.APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, 500, apiErr.StatusCode)
	assert.Equal(t, "req-page-2", apiErr.RequestID)
	assert.ErrorIs(t, errs[0], arthur.ErrServer)
	assert.Equal(t, 2, m.calls())
}

func TestIterRetriesAPageLikeAnyGET(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", sequence(
		pagedUsers(4, 0),
		respond(502, badGatewayHTML, "Content-Type", "text/html"),
		pagedUsers(4, 0),
	))
	ids, err := collect(t, m.api, &arthur.GetOrganizationUsersParams{PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, numberedIDs(1, 4), ids)
	assert.Equal(t, 3, m.calls())
}

func TestIterStartsFromParamsPage(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", pagedUsers(7, 0))
	ids, err := collect(t, m.api, &arthur.GetOrganizationUsersParams{Page: 3, PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, numberedIDs(5, 7), ids)
	reqs := m.rec.requests()
	require.Len(t, reqs, 2)
	testQuery(t, reqs[0], "page=3&page_size=2")
	testQuery(t, reqs[1], "page=4&page_size=2")
}

func TestIterRangedTwiceStartsAfresh(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", pagedUsers(3, 0))
	seq := m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{PageSize: 2})
	for range 2 {
		var ids []string
		for u, err := range seq {
			require.NoError(t, err)
			ids = append(ids, u.ID)
		}
		assert.Equal(t, numberedIDs(1, 3), ids)
	}
	reqs := m.rec.requests()
	require.Len(t, reqs, 4)
	testQuery(t, reqs[2], "page=1&page_size=2")
}

func TestIterNoUsers(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", respond(200, listDoc(1, 20, 0, 0).json()))
	ids, err := collect(t, m.api, nil)
	require.NoError(t, err)
	assert.Empty(t, ids)
	assert.Equal(t, 1, m.calls())
}

// onePageAtATime makes the iterator fetch pages one after another, for the
// tests whose canned answers come in request order.
func onePageAtATime() option {
	return func(c *arthur.Configuration) { c.PageConcurrency = 1 }
}

// Page numbers near the largest int do not overflow: the iterator stops
// at the last page there can be rather than asking for a negative one.
func TestIterPageNumbersDoNotOverflow(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start      int
		totalPages int
		wantPages  []int
	}{
		{"the last int page", math.MaxInt, math.MaxInt, []int{math.MaxInt}},
		{"the page before it", math.MaxInt - 1, math.MaxInt, []int{math.MaxInt - 1, math.MaxInt}},
		{"a start past total_pages", 5, 3, []int{5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on("GET", "/api/v1/organization/users", func(req *http.Request) (*http.Response, error) {
				page, err := strconv.Atoi(req.URL.Query().Get("page"))
				require.NoError(t, err)
				return response(req, 200, listDoc(page, 1, tc.totalPages, tc.totalPages, numberedDoc(page%1000)).json()), nil
			})
			n := 0
			for _, err := range m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{Page: tc.start, PageSize: 1}) {
				require.NoError(t, err)
				n++
			}
			var pages []int
			for _, r := range m.rec.requests() {
				page, err := strconv.Atoi(r.URL.Query().Get("page"))
				require.NoError(t, err)
				pages = append(pages, page)
			}
			sort.Ints(pages)
			assert.Equal(t, tc.wantPages, pages)
			assert.Equal(t, len(tc.wantPages), n)
		})
	}
}

// A PageConcurrency far beyond reason is clamped: the client is made, the
// iterator walks every page, and no more than 64 pages are on the wire.
func TestIterHugePageConcurrencyIsClamped(t *testing.T) {
	for _, conc := range []int{1 << 40, math.MaxInt} {
		t.Run(strconv.Itoa(conc), func(t *testing.T) {
			srv := &pageServer{total: 700, size: 10, maxDelay: 2 * time.Millisecond}
			var m *mockAPI
			require.NotPanics(t, func() {
				m = newMockAPI(t, func(c *arthur.Configuration) { c.PageConcurrency = conc })
			})
			m.on("GET", "/api/v1/organization/users", srv.respond)
			var ids []string
			var err error
			require.NotPanics(t, func() { ids, err = collect(t, m.api, &arthur.GetOrganizationUsersParams{PageSize: 10}) })
			require.NoError(t, err)
			assert.Equal(t, numberedIDs(1, 700), ids)
			assert.LessOrEqual(t, srv.peak.Load(), int64(64), "pages in flight")
		})
	}
}
