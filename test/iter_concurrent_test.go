package test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// pageServer answers list requests by page number, each after a random
// delay, and records how many are in flight at once.
type pageServer struct {
	total, size int
	failPage    int // answers 500 for this page when non-zero
	maxDelay    time.Duration

	inFlight, peak, calls atomic.Int64
	mu                    sync.Mutex
	pages                 []int
}

func (s *pageServer) respond(req *http.Request) (*http.Response, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	s.calls.Add(1)
	page, _ := strconv.Atoi(req.URL.Query().Get("page"))
	if page == 0 {
		page = 1
	}
	s.mu.Lock()
	s.pages = append(s.pages, page)
	s.mu.Unlock()
	if s.maxDelay > 0 {
		select {
		case <-time.After(time.Duration(rand.Int64N(int64(s.maxDelay)))):
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	if page == s.failPage {
		return response(req, 500, `{"detail":"Internal server error"}`), nil
	}
	return pagedUsers(s.total, 0)(req)
}

func TestIterConcurrentPagesInOrderWithoutGapsOrDuplicates(t *testing.T) {
	for _, conc := range []int{0, 1, 3, 8, 64} {
		t.Run("PageConcurrency="+strconv.Itoa(conc), func(t *testing.T) {
			srv := &pageServer{total: 403, size: 10, maxDelay: 3 * time.Millisecond}
			m := newMockAPI(t, func(c *arthur.Configuration) { c.PageConcurrency = conc })
			m.on("GET", "/api/v1/organization/users", srv.respond)
			ids, err := collect(t, m.api, &arthur.GetOrganizationUsersParams{PageSize: 10})
			require.NoError(t, err)
			assert.Equal(t, numberedIDs(1, 403), ids, "every record once, in order")
			assert.EqualValues(t, 41, srv.calls.Load(), "each page fetched once")
			limit := int64(conc)
			if conc == 0 {
				limit = 8
			}
			assert.LessOrEqual(t, srv.peak.Load(), limit, "pages in flight are bounded")
			if conc >= 3 || conc == 0 {
				assert.Greater(t, srv.peak.Load(), int64(1), "pages are fetched concurrently")
			}
		})
	}
}

func TestIterConcurrentStopsFetchingWhenTheLoopBreaks(t *testing.T) {
	srv := &pageServer{total: 1000, size: 10, maxDelay: 2 * time.Millisecond}
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", srv.respond)
	n := 0
	for _, err := range m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{PageSize: 10}) {
		require.NoError(t, err)
		n++
		if n == 25 {
			break
		}
	}
	atBreak := srv.calls.Load()
	assert.LessOrEqual(t, atBreak, int64(1+2*8+2), "no more than the first page, the pages read ahead and their refills")
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, atBreak, srv.calls.Load(), "nothing is fetched after the loop ends")
	assertNoFetchInFlight(t, srv)
}

func TestIterConcurrentYieldsAFailureOnceAfterTheRecordsBeforeIt(t *testing.T) {
	srv := &pageServer{total: 200, size: 10, failPage: 7, maxDelay: 2 * time.Millisecond}
	m := newMockAPI(t, noRetry())
	m.on("GET", "/api/v1/organization/users", srv.respond)
	var ids []string
	var errs []error
	for u, err := range m.api.GetOrganizationUsersIter(t.Context(), &arthur.GetOrganizationUsersParams{PageSize: 10}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.Empty(t, errs, "no record after the failure")
		ids = append(ids, u.ID)
	}
	assert.Equal(t, numberedIDs(1, 60), ids, "pages 1 to 6, then the failure")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], arthur.ErrServer)
	assertNoFetchInFlight(t, srv)
}

func TestIterConcurrentHonoursContext(t *testing.T) {
	srv := &pageServer{total: 1000, size: 10, maxDelay: 5 * time.Millisecond}
	m := newMockAPI(t)
	m.on("GET", "/api/v1/organization/users", srv.respond)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var errs []error
	n := 0
	for _, err := range m.api.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{PageSize: 10}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n++; n == 15 {
			cancel()
		}
	}
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], context.Canceled), errs[0])
	assert.Less(t, n, 1000)
	assertNoFetchInFlight(t, srv)
}

// assertNoFetchInFlight checks that every page request has ended. httpmock
// returns a cancelled request at once while its responder may still be
// finishing, so the count is given a moment to reach zero; goleak in
// TestMain checks that no goroutine of the SDK outlives the test.
func assertNoFetchInFlight(t *testing.T, srv *pageServer) {
	t.Helper()
	assert.Eventually(t, func() bool { return srv.inFlight.Load() == 0 }, time.Second, time.Millisecond)
}
