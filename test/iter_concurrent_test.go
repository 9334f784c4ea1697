package test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
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

// stallServer is a real server on loopback for a list of 100 pages of two
// users. Page 1 answers at once, page 2 answers at once with page2, and
// every later page hangs until its request is abandoned or the test ends,
// holding its place on the wire. It records the pages requested.
func stallServer(t *testing.T, page2 func(http.ResponseWriter)) (srv *httptest.Server, requested func() []int) {
	t.Helper()
	release := make(chan struct{})
	var mu sync.Mutex
	var pages []int
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		mu.Lock()
		pages = append(pages, page)
		mu.Unlock()
		switch page {
		case 1:
			writeJSON(w, 200, listDoc(1, 2, 100, 200, numberedDoc(1), numberedDoc(2)).json())
		case 2:
			page2(w)
		default:
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: srv.Close waits for the handlers
	return srv, func() []int {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(pages)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// The page the loop needs next is never stuck behind read-ahead requests
// for later pages: places on the wire go to pages in page order, so page 2
// is on the wire at once, and its answer reaches the loop while pages 3 and
// later hang. The scenario is run several times, because which of several
// racing requests wins a place is a matter of scheduling.
func TestIterConcurrentNextPageIsNotStuckBehindLaterPages(t *testing.T) {
	for _, tc := range []struct {
		name    string
		page2   func(http.ResponseWriter)
		wantIDs []string
		wantErr error
	}{
		{
			name:    "page 2 fails",
			page2:   func(w http.ResponseWriter) { writeJSON(w, 500, `{"detail":"Internal server error"}`) },
			wantIDs: numberedIDs(1, 2),
			wantErr: arthur.ErrServer,
		},
		{
			name: "page 2 answers",
			page2: func(w http.ResponseWriter) {
				writeJSON(w, 200, listDoc(2, 2, 100, 200, numberedDoc(3), numberedDoc(4)).json())
			},
			wantIDs: numberedIDs(1, 4),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for round := range 10 {
				srv, requested := stallServer(t, tc.page2)
				client, _ := loopbackClient(t, srv.URL, noRetry(), func(c *arthur.Configuration) { c.PageConcurrency = 2 })
				// Pages 3 and later never answer: without this deadline a
				// stalled iterator would hang the test.
				ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
				var ids []string
				var gotErr error
				for u, err := range client.UsersV1API.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{PageSize: 2}) {
					if err != nil {
						gotErr = err
						break
					}
					if ids = append(ids, u.ID); len(ids) == len(tc.wantIDs) && tc.wantErr == nil {
						break // page 3 would hang
					}
				}
				deadlineHit := ctx.Err() != nil
				cancel()
				require.Falsef(t, deadlineHit, "round %d: the loop stalled; pages requested: %v", round, requested())
				assert.Equal(t, tc.wantIDs, ids, "round %d", round)
				if tc.wantErr != nil {
					assert.ErrorIs(t, gotErr, tc.wantErr, "round %d", round)
				} else {
					assert.NoError(t, gotErr, "round %d", round)
				}
				pages := requested()
				assert.Contains(t, pages, 2, "round %d: page 2 is requested", round)
				assert.LessOrEqual(t, len(pages), 1+2+1, "round %d: page 1, the two places and the one page 2 gives up: %v", round, pages)
			}
		})
	}
}

// Once ctx is cancelled, the next thing the loop sees is the context's
// error, not the records of the page it is in nor those of the pages read
// ahead, whatever the pages in memory.
func TestIterConcurrentCancelYieldsTheContextErrorNext(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cancelAt int // records yielded before the cancel; 10 a page
	}{
		{"within the first page", 5},
		{"within a later page", 25},
		{"at the end of a page", 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := &pageServer{total: 1000, size: 10}
			m := newMockAPI(t)
			m.on("GET", "/api/v1/organization/users", srv.respond)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			n, afterCancel := 0, 0
			var errs []error
			for u, err := range m.api.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{PageSize: 10}) {
				if err != nil {
					assert.Equal(t, arthur.User{}, u, "a zero User comes with the error")
					errs = append(errs, err)
					continue // the sequence must end by itself
				}
				if ctx.Err() != nil {
					afterCancel++
					continue
				}
				if n++; n == tc.cancelAt {
					// Let the read-ahead pages arrive, so there are
					// records in memory that must not be yielded.
					require.Eventually(t, func() bool { return srv.calls.Load() >= 1+16 }, 2*time.Second, time.Millisecond)
					cancel()
				}
			}
			assert.Zero(t, afterCancel, "records yielded after the cancel")
			require.Len(t, errs, 1, "the context's error, once")
			assert.ErrorIs(t, errs[0], context.Canceled)
			assertNoFetchInFlight(t, srv)
		})
	}
}
