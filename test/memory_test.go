package test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/internal/benchkit"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// Twenty pages of a thousand users each, about 390 KB a page.
const (
	keptPages    = 20
	keptPageSize = 1000
)

// keptPagesServer serves keptPages pages of keptPageSize users, each page
// written once, before the test measures anything.
func keptPagesServer(t *testing.T) *httptest.Server {
	t.Helper()
	pages := make([][]byte, keptPages)
	for p := range pages {
		pages[p] = benchkit.PageJSON(p+1, keptPageSize, keptPages*keptPageSize)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		if r.URL.Path != "/api/v1/organization/users" || err != nil || page < 1 || page > keptPages ||
			r.URL.Query().Get("page_size") != strconv.Itoa(keptPageSize) {
			http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(pages[page-1])))
		_, _ = w.Write(pages[page-1])
	}))
	t.Cleanup(srv.Close)
	return srv
}

// heapInUse is the heap that live objects take after two collections: the
// first may leave objects to be freed by finalizers or the sweep, the
// second frees them.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// A user's decoded strings hold only themselves: keeping one ID from each
// of 20 pages of 1,000 users (7.8 MB of bodies) keeps a few kilobytes, not
// the pages. The bound is wide, for the client's idle connections and
// what the runtime keeps; the pages themselves would be over 7 MiB. Not
// parallel: the heap is the whole process's.
func TestKeptStringsDoNotKeepTheirPage(t *testing.T) {
	srv := keptPagesServer(t)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL
	cfg.AccessToken = testToken
	cfg.AllowInsecureHTTP = true
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, tr)}
	api := arthur.NewAPIClient(cfg).UsersV1API
	params := &arthur.GetOrganizationUsersParams{PageSize: keptPageSize}

	before := heapInUse()
	kept := make([]string, 0, keptPages)
	var kinds []*string // one optional string kept too: a service account's client ID
	n := 0
	for u, err := range api.GetOrganizationUsersIter(t.Context(), params) {
		require.NoError(t, err)
		if n%keptPageSize == 0 {
			kept = append(kept, u.ID)
		}
		if n%keptPageSize == 9 {
			kinds = append(kinds, u.ClientID)
		}
		n++
	}
	after := heapInUse()

	require.Equal(t, keptPages*keptPageSize, n)
	require.Len(t, kept, keptPages)
	assert.Equal(t, benchkit.UserID, kept[0])
	for p, id := range kept[1:] {
		assert.Equal(t, fmt.Sprintf("%08x-1d3f-4a5b-8c7d-9e0f1a2b3c4d", (p+1)*keptPageSize), id)
	}
	for p, c := range kinds {
		if assert.NotNil(t, c) {
			assert.Equal(t, fmt.Sprintf("sa-client-%d", p*keptPageSize+9), *c)
		}
	}
	retained := int64(after) - int64(before)
	t.Logf("heap retained by %d kept IDs and %d client IDs: %d bytes", len(kept), len(kinds), retained)
	assert.Less(t, retained, int64(1<<20), "the kept strings hold on to their pages")
	runtime.KeepAlive(kept)
	runtime.KeepAlive(kinds)
}

// The next response is read while the users of the previous one are in
// use: they must not change, whatever buffer it is read into.
func TestDecodedUsersOutliveTheNextResponse(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", sequence(
		respond(200, numberedPage(51, 100).json()),
		respond(200, numberedPage(1, 50).json()),
	))
	first, err := m.api.GetOrganizationUsers(t.Context(), nil)
	require.NoError(t, err)
	second, err := m.api.GetOrganizationUsers(t.Context(), nil)
	require.NoError(t, err)
	for i, u := range first.Records {
		assertUser(t, wantNumbered(51+i), u)
	}
	for i, u := range second.Records {
		assertUser(t, wantNumbered(1+i), u)
	}
}

// numberedPage is a page of the numbered users from to to.
func numberedPage(from, to int) doc {
	records := make([]doc, 0, to-from+1)
	for i := from; i <= to; i++ {
		records = append(records, numberedDoc(i))
	}
	return listDoc(1, len(records), 1, len(records), records...)
}

func wantNumbered(i int) arthur.User {
	u := wantAda()
	u.ID, u.FirstName, u.Email = numberedID(i), "user-"+strconv.Itoa(i), arthur.Ptr(fmt.Sprintf("user%d@example.com", i))
	return u
}
