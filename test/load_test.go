package test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// The load: one client shared by 64 goroutines, a mix of GetUsersMe,
// GetOrganizationUsers and PatchUser against arthurtest on loopback, with
// 1% of the requests answered 503 with Retry-After: 0 by a gateway in
// front of it (flakyTransport), which every operation retries.
const (
	loadCalls   = 10_000
	loadWorkers = 64
)

// loadRig is the server, the shared client and what the load works on.
type loadRig struct {
	srv    *arthurtest.Server
	api    *arthur.UsersV1APIService
	flaky  *flakyTransport
	oas    *oas.Transport
	people []arthur.User
}

// newLoadRig builds the rig; validate puts the contract validator on the
// path, as every test has it. The benchmark leaves it off: it measures the
// SDK and the fake, which the validator would dwarf, and TestLoad checks
// the same traffic against the contract.
func newLoadRig(tb testing.TB, validate bool) *loadRig {
	srv := arthurtest.NewServer(tb)
	people, err := arthurtest.SeedUsers(srv, 200)
	require.NoError(tb, err)
	// One connection per worker stays open: the load measures the client,
	// not the kernel's handshakes.
	tr := &http.Transport{MaxIdleConns: loadWorkers, MaxIdleConnsPerHost: loadWorkers, IdleConnTimeout: 30 * time.Second}
	tb.Cleanup(tr.CloseIdleConnections)
	r := &loadRig{srv: srv, people: people}
	r.flaky = &flakyTransport{next: tr, fail: everyNth(100)}
	r.oas = oas.NewTransport(tb, r.flaky)
	cfg := srv.Configuration()
	cfg.Retry = arthur.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	cfg.HTTPClient = &http.Client{Transport: r.oas}
	if !validate {
		cfg.HTTPClient = &http.Client{Transport: r.flaky}
	}
	r.api = arthur.NewAPIClient(cfg).UsersV1API
	return r
}

// call makes call number i of the mix: 40% GetUsersMe, 30%
// GetOrganizationUsers (a page of 10, with a search on some), 30% PatchUser.
func (r *loadRig) call(ctx context.Context, i int) error {
	switch i % 10 {
	case 0, 1, 2, 3:
		_, err := r.api.GetUsersMe(ctx)
		return err
	case 4, 5, 6:
		p := &arthur.GetOrganizationUsersParams{Page: 1 + i%5, PageSize: 10, Sort: arthur.UserSortCreatedAt}
		if i%3 == 0 {
			p.Search = "a"
		}
		page, err := r.api.GetOrganizationUsers(ctx, p)
		if err == nil && len(page.Records) == 0 && p.Search == "" {
			err = fmt.Errorf("page %d came back empty", p.Page)
		}
		return err
	default:
		u := r.people[i%len(r.people)]
		got, err := r.api.PatchUser(ctx, u.ID, arthur.PatchUser{FirstName: arthur.Value(fmt.Sprintf("Name %d", i))})
		if err == nil && got.ID != u.ID {
			err = fmt.Errorf("patched %s, got %s back", u.ID, got.ID)
		}
		return err
	}
}

// run makes n calls from workers goroutines and returns each call's
// latency, the errors and the peak heap in use seen while it ran.
func (r *loadRig) run(ctx context.Context, n, workers int) (latencies []time.Duration, errs []error, peakHeap uint64) {
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // samples the heap ten times a second
		defer close(sampled)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var failed []error
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					break
				}
				start := time.Now()
				err := r.call(ctx, i)
				mine = append(mine, time.Since(start))
				if err != nil {
					failed = append(failed, fmt.Errorf("call %d: %w", i, err))
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs = append(errs, failed...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	return latencies, errs, peak.Load()
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 calls take 10 to 40 s (with -race); not with -short")
	}
	checkLeaks(t)
	r := newLoadRig(t, true)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	start := time.Now()
	latencies, errs, peak := r.run(ctx, loadCalls, loadWorkers)
	elapsed := time.Since(start)

	for i, err := range errs {
		if i == 10 {
			t.Errorf("... and %d more", len(errs)-10)
			break
		}
		t.Error(err)
	}
	require.Empty(t, errs, "every call succeeds")
	require.Len(t, latencies, loadCalls)
	injected := r.flaky.injected.Load()
	assert.GreaterOrEqual(t, injected, int64(loadCalls/100), "1% of the requests meet a 503")
	assert.Equal(t, int64(loadCalls)+injected, r.flaky.n.Load(), "each 503 cost exactly one retry")
	assert.Equal(t, int64(loadCalls)+injected, r.oas.Checked(), "every request was validated")

	// What the server holds (every request it got, 10,000 of them) is
	// dropped before the heap is weighed: it is the fake's, not the SDK's.
	r.srv.ResetRequests()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	slices.Sort(latencies)
	t.Logf("%d calls from %d goroutines in %v (%.0f calls/s), %d injected 503s retried; latency p50 %v, p99 %v, max %v; "+
		"heap in use: peak %.1f MiB while running, %.1f MiB after GC",
		loadCalls, loadWorkers, elapsed.Round(time.Millisecond), float64(loadCalls)/elapsed.Seconds(), injected,
		percentile(latencies, 50), percentile(latencies, 99), latencies[len(latencies)-1],
		float64(peak)/(1<<20), float64(m.HeapInuse)/(1<<20))
	assert.Less(t, m.HeapInuse, uint64(64<<20), "heap in use after GC")
}

// BenchmarkLoad is TestLoad's mix as a benchmark: b.N calls from 64
// goroutines on one client, with 1% of the requests retried after a 503.
// It reports the p50 and p99 latency of a call; -benchmem adds the
// allocations per call (the contract validator's and the fake server's,
// which run in the same process, included).
//
//	cd test && go test -run '^$' -bench BenchmarkLoad -benchmem
func BenchmarkLoad(b *testing.B) {
	r := newLoadRig(b, false)
	ctx := b.Context()
	// Warm the connections.
	if _, errs, _ := r.run(ctx, 2*loadWorkers, loadWorkers); len(errs) > 0 {
		b.Fatal(errs[0])
	}
	r.srv.ResetRequests()
	b.ReportAllocs()
	b.ResetTimer()
	latencies, errs, _ := r.run(ctx, b.N, loadWorkers)
	b.StopTimer()
	if len(errs) > 0 {
		b.Fatalf("%d of %d calls failed; first: %v", len(errs), b.N, errs[0])
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(percentile(latencies, 50).Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(percentile(latencies, 99).Nanoseconds()), "p99-ns")
	r.srv.ResetRequests()
}
