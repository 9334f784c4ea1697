package arthur

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
)

// openListServer serves a list of n records, size a page, whose pages
// (?page=) do not say how many there are, as an InfiniteResourceList; it
// counts the requests, and fails page failAt with a 500.
func openListServer(t *testing.T, n, size, failAt int, requests *atomic.Int32) *APIClient {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == failAt {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var recs []int
		for i := (page - 1) * size; i < min(page*size, n); i++ {
			recs = append(recs, i)
		}
		w.Header().Set("Content-Type", "application/json")
		b := []byte(`[`)
		for i, v := range recs {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(v), 10)
		}
		_, _ = w.Write(append(b, ']'))
	}))
	t.Cleanup(srv.Close)
	return NewAPIClient(&Configuration{Host: srv.URL, AccessToken: "tok", Retry: RetryPolicy{MaxAttempts: 1}})
}

// openListFetch fetches a page of openListServer's list.
func openListFetch(c *APIClient, size int) fetchOpenPage[int] {
	return func(ctx context.Context, page int) ([]int, int, error) {
		var out []int
		cl := &call{op: "ListOpen", method: http.MethodGet, path: "/api/v1/open", query: "page=" + strconv.Itoa(page), model: "[]int"}
		err := c.do(ctx, cl, decodeFunc(func(r *reader) { out = readSlice(r, func(p *int, r *reader) { *p = r.int() }) }))
		return out, size, err
	}
}

func TestPagesUntilShort(t *testing.T) {
	list := &call{op: "ListOpen", method: http.MethodGet, path: "/api/v1/open"}
	for _, c := range []struct {
		name                 string
		n, size, start       int
		wantFirst, wantCount int
		wantRequests         int32
	}{
		{"a short last page", 25, 10, 0, 0, 25, 3},
		{"a full last page, then an empty one", 20, 10, 0, 0, 20, 3},
		{"no records", 0, 10, 0, 0, 0, 1},
		{"from page 2", 25, 10, 2, 10, 15, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var requests atomic.Int32
			cl := openListServer(t, c.n, c.size, -1, &requests)
			var got []int
			for v, err := range pagesUntilShort(context.Background(), cl, c.start, openListFetch(cl, c.size), list) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, v)
			}
			if len(got) != c.wantCount || requests.Load() != c.wantRequests {
				t.Fatalf("got %d records in %d requests, want %d in %d", len(got), requests.Load(), c.wantCount, c.wantRequests)
			}
			for i, v := range got {
				if v != c.wantFirst+i {
					t.Fatalf("record %d is %d, want %d", i, v, c.wantFirst+i)
				}
			}
		})
	}
}

func TestPagesUntilShortStops(t *testing.T) {
	list := &call{op: "ListOpen", method: http.MethodGet, path: "/api/v1/open"}
	t.Run("break", func(t *testing.T) {
		var requests atomic.Int32
		cl := openListServer(t, 100, 10, -1, &requests)
		n := 0
		for _, err := range pagesUntilShort(context.Background(), cl, 0, openListFetch(cl, 10), list) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 15 {
				break
			}
		}
		if requests.Load() != 2 {
			t.Fatalf("%d requests for 15 records of pages of 10, want 2: nothing is fetched ahead", requests.Load())
		}
	})
	t.Run("a failed page", func(t *testing.T) {
		var requests atomic.Int32
		cl := openListServer(t, 100, 10, 3, &requests)
		n, fails := 0, 0
		for v, err := range pagesUntilShort(context.Background(), cl, 0, openListFetch(cl, 10), list) {
			if err != nil {
				fails++
				if !errors.Is(err, ErrServer) || v != 0 {
					t.Fatalf("got %v, %v; want a zero record and an ErrServer", v, err)
				}
				continue
			}
			n++
		}
		if n != 20 || fails != 1 || requests.Load() != 3 {
			t.Fatalf("%d records, %d failures, %d requests; want 20, 1, 3", n, fails, requests.Load())
		}
	})
	t.Run("ctx ends", func(t *testing.T) {
		var requests atomic.Int32
		cl := openListServer(t, 100, 10, -1, &requests)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		var last error
		for _, err := range pagesUntilShort(ctx, cl, 0, openListFetch(cl, 10), list) {
			if err != nil {
				last = err
				continue
			}
			if n++; n == 5 {
				cancel()
			}
		}
		if n != 5 || !errors.Is(last, context.Canceled) {
			t.Fatalf("%d records, then %v; want 5, then context.Canceled", n, last)
		}
	})
}
