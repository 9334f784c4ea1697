// Package benchkit holds the cases of the SDK's benchmarks, so that the
// SDK, a hand-written net/http client and generated clients run exactly
// the same work in one benchmark run.
package benchkit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the bearer token every benchmark client sends.
const Token = "bench-token"

// UserID is the user that PatchUser benchmarks change.
const UserID = "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d"

// PageSizes are the page sizes of the decoding benchmarks.
var PageSizes = []int{1, 100, 1000}

// EscapedPageSize is the page size of the decoding benchmark whose strings
// carry escapes.
const EscapedPageSize = 1000

// Slow link of the list-all benchmark: 20,000 users in pages of 500, each
// answer delayed by 25 ms.
const (
	ListAllUsers    = 20000
	ListAllPageSize = 500
	ListAllLatency  = 25 * time.Millisecond
)

// Calls is one client's way of making each benchmarked call.
type Calls struct {
	// Page gets one page of pageSize users and returns how many it decoded.
	Page func(ctx context.Context, pageSize int) (int, error)
	// Me gets the calling user.
	Me func(ctx context.Context) error
	// Patch changes the first name of UserID and clears its picture.
	Patch func(ctx context.Context) error
	// ListAll reads every user, pageSize at a time, and returns how many.
	ListAll func(ctx context.Context, pageSize int) (int, error)
}

// Impl is a client under benchmark.
type Impl struct {
	Name string
	// ListAllOnly keeps the impl out of every case but ListAll.
	ListAllOnly bool
	// New returns the calls of a client for the API at base, sending
	// through hc.
	New func(base string, hc *http.Client) Calls
}

// Run runs every case for every impl, as sub-benchmarks named
// Case/param/impl=Name, so that benchstat -col /impl compares them.
func Run(b *testing.B, impls ...Impl) {
	canned := NewCanned()
	ctx := context.Background()
	for _, size := range PageSizes {
		b.Run(fmt.Sprintf("DecodePage/users=%d", size), func(b *testing.B) {
			for _, impl := range impls {
				if impl.ListAllOnly {
					continue
				}
				calls := impl.New(CannedHost, &http.Client{Transport: canned})
				b.Run("impl="+impl.Name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						n, err := calls.Page(ctx, size)
						if err != nil || n != size {
							b.Fatalf("%s: %d users, %v", impl.Name, n, err)
						}
					}
				})
			}
		})
	}
	b.Run(fmt.Sprintf("DecodeEscapedPage/users=%d", EscapedPageSize), func(b *testing.B) {
		escaped := NewCannedEscaped()
		for _, impl := range impls {
			if impl.ListAllOnly {
				continue
			}
			calls := impl.New(CannedHost, &http.Client{Transport: escaped})
			b.Run("impl="+impl.Name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					n, err := calls.Page(ctx, EscapedPageSize)
					if err != nil || n != EscapedPageSize {
						b.Fatalf("%s: %d users, %v", impl.Name, n, err)
					}
				}
			})
		}
	})
	runCalls(b, "GetUsersMe", impls, canned, func(c Calls, ctx context.Context) error { return c.Me(ctx) })
	runCalls(b, "PatchUser", impls, canned, func(c Calls, ctx context.Context) error { return c.Patch(ctx) })
	b.Run(fmt.Sprintf("ListAll/users=%d/latency=%s", ListAllUsers, ListAllLatency), func(b *testing.B) {
		srv := SlowServer(ListAllUsers, ListAllLatency)
		defer srv.Close()
		for _, impl := range impls {
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			calls := impl.New(srv.URL, &http.Client{Transport: tr})
			if calls.ListAll == nil {
				continue
			}
			b.Run("impl="+impl.Name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					n, err := calls.ListAll(ctx, ListAllPageSize)
					if err != nil || n != ListAllUsers {
						b.Fatalf("%s: %d users, %v", impl.Name, n, err)
					}
				}
			})
			tr.CloseIdleConnections()
		}
	})
}

// runCalls runs call for every impl but the list-all-only ones, through
// the canned transport.
func runCalls(b *testing.B, name string, impls []Impl, canned *Canned, call func(Calls, context.Context) error) {
	b.Run(name, func(b *testing.B) {
		for _, impl := range impls {
			if impl.ListAllOnly {
				continue
			}
			calls := impl.New(CannedHost, &http.Client{Transport: canned})
			b.Run("impl="+impl.Name, func(b *testing.B) {
				b.ReportAllocs()
				ctx := context.Background()
				for b.Loop() {
					if err := call(calls, ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// UserJSON is user i as the API writes it. Users vary as real ones do:
// people with and without a last name or picture, and service accounts.
func UserJSON(i int) string { return userJSON(i, false) }

// EscapedUserJSON is UserJSON(i) with names that need unescaping, as a
// server that escapes every non-ASCII character writes them: accents
// (\u00e9), quotes (\") and line breaks (\n) in the first, last and
// organization names.
func EscapedUserJSON(i int) string { return userJSON(i, true) }

func userJSON(i int, escaped bool) string {
	id := fmt.Sprintf("%08x-1d3f-4a5b-8c7d-9e0f1a2b3c4d", i)
	if i == 0 {
		id = UserID
	}
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Minute)
	updated := created.Add(time.Duration(i%97)*time.Hour + 123456*time.Microsecond)
	lastName, email, picture, userType, clientID := `"Lovelace"`, fmt.Sprintf(`"user%d@example.com"`, i), "null", "user", "null"
	switch {
	case i%10 == 9:
		lastName, email, userType, clientID = "null", "null", "service_account", fmt.Sprintf(`"sa-client-%d"`, i)
	case i%3 == 0:
		picture = fmt.Sprintf(`"https://img.example.com/u/%d.png"`, i)
	case i%7 == 0:
		lastName = "null"
	}
	firstName, orgName := fmt.Sprintf("User %d", i), "Acme Corporation"
	if escaped {
		firstName = fmt.Sprintf(`Ren\u00e9e \"User %d\"`, i)
		if lastName != "null" {
			lastName = `"Lovelace\nBront\u00eb"`
		}
		orgName = `Acme \"Soci\u00e9t\u00e9 G\u00e9n\u00e9rale\"`
	}
	return fmt.Sprintf(`{"created_at":"%s","updated_at":"%s","organization_id":"5f0c1a3e-8b2d-4c6e-9f10-1a2b3c4d5e6f",`+
		`"id":"%s","first_name":"%s","last_name":%s,"email":%s,"picture":%s,"user_type":"%s",`+
		`"data_plane_id":null,"client_id":%s,"organization_name":"%s"}`,
		created.Format("2006-01-02T15:04:05.000000Z"), updated.Format("2006-01-02T15:04:05.000000+00:00"),
		id, firstName, lastName, email, picture, userType, clientID, orgName)
}

// PageJSON is page (from 1) of a list of total users, size per page.
func PageJSON(page, size, total int) []byte { return pageJSON(page, size, total, UserJSON) }

// EscapedPageJSON is PageJSON with the users of EscapedUserJSON.
func EscapedPageJSON(page, size, total int) []byte {
	return pageJSON(page, size, total, EscapedUserJSON)
}

func pageJSON(page, size, total int, user func(int) string) []byte {
	var b strings.Builder
	b.WriteString(`{"records":[`)
	first := (page - 1) * size
	for i := first; i < min(first+size, total); i++ {
		if i > first {
			b.WriteByte(',')
		}
		b.WriteString(user(i))
	}
	pages := (total + size - 1) / size
	fmt.Fprintf(&b, `],"pagination":{"page":%d,"page_size":%d,"total_pages":%d,"total_records":%d}}`, page, size, pages, total)
	return []byte(b.String())
}

// CannedHost is the Host of clients that use a Canned transport.
const CannedHost = "http://api.bench.local"

// Canned is a RoundTripper that answers from memory, with no network, so
// that the benchmarks measure the clients alone.
type Canned struct {
	me, user []byte
	pages    map[int][]byte
	mu       sync.Mutex
}

// NewCanned prepares the answers of every benchmarked call.
func NewCanned() *Canned {
	c := &Canned{me: []byte(UserJSON(0)), user: []byte(UserJSON(0)), pages: map[int][]byte{}}
	for _, size := range PageSizes {
		c.pages[size] = PageJSON(1, size, 5000)
	}
	return c
}

// NewCannedEscaped answers like NewCanned, with the page of
// EscapedPageSize users written by EscapedPageJSON.
func NewCannedEscaped() *Canned {
	c := NewCanned()
	c.pages[EscapedPageSize] = EscapedPageJSON(1, EscapedPageSize, 5000)
	return c
}

// RoundTrip answers GET /api/v1/users/me, GET /api/v1/organization/users
// (page_size picks the page) and PATCH /api/v1/users/{id}.
func (c *Canned) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	var body []byte
	switch {
	case req.Method == http.MethodGet && req.URL.Path == "/api/v1/users/me":
		body = c.me
	case req.Method == http.MethodGet && req.URL.Path == "/api/v1/organization/users":
		size, _ := strconv.Atoi(req.URL.Query().Get("page_size"))
		c.mu.Lock()
		body = c.pages[size]
		c.mu.Unlock()
	case req.Method == http.MethodPatch && strings.HasPrefix(req.URL.Path, "/api/v1/users/"):
		body = c.user
	}
	if body == nil {
		return nil, fmt.Errorf("canned: no answer for %s %s", req.Method, req.URL)
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		ContentLength: int64(len(body)),
		Body:          io.NopCloser(bytes.NewReader(body)),
		Request:       req,
	}, nil
}

// SlowServer serves GET /api/v1/organization/users over loopback for a list
// of total users, answering each request after latency.
func SlowServer(total int, latency time.Duration) *httptest.Server {
	var mu sync.Mutex
	pages := map[[2]int][]byte{}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/organization/users" || r.Header.Get("Authorization") != "Bearer "+Token {
			http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		page, size = max(page, 1), max(size, 1)
		mu.Lock()
		body, ok := pages[[2]int{page, size}]
		if !ok {
			body = PageJSON(page, size, total)
			pages[[2]int{page, size}] = body
		}
		mu.Unlock()
		time.Sleep(latency)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
}
