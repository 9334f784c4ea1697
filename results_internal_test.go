package arthur

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// resultServer answers every request with status and body, and records
// the Authorization header it got.
func resultServer(t *testing.T, status int, body string, auth *string) *APIClient {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth != nil {
			*auth = r.Header.Get("Authorization")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return NewAPIClient(&Configuration{Host: srv.URL, AccessToken: "tok", Retry: RetryPolicy{MaxAttempts: 1}})
}

func TestOptionalResult(t *testing.T) {
	ctx := context.Background()
	cl := func() *call {
		return &call{op: "Next", method: http.MethodPost, path: "/api/v1/next", model: "Pagination", allowNull: true}
	}

	got, err := optionalResult[Pagination](ctx, resultServer(t, http.StatusNoContent, "", nil), cl())
	if err != nil || got != nil {
		t.Fatalf("204: got %v, %v; want nil, nil", got, err)
	}
	got, err = optionalResult[Pagination](ctx, resultServer(t, http.StatusOK,
		`{"page":2,"page_size":10,"total_pages":3,"total_records":25}`, nil), cl())
	if err != nil || got == nil || got.Page != 2 || got.TotalRecords != 25 {
		t.Fatalf("200: got %+v, %v", got, err)
	}
	if _, err := optionalResult[Pagination](ctx, resultServer(t, http.StatusOK, `{"page":"x"}`, nil), cl()); err == nil {
		t.Fatal("a bad 200 body decoded without error")
	}
}

func TestDecodeFuncResult(t *testing.T) {
	c := resultServer(t, http.StatusOK, `[{"page":1,"page_size":1,"total_pages":1,"total_records":1},null]`, nil)
	var out []Pagination
	err := c.do(context.Background(), &call{op: "List", method: http.MethodGet, path: "/api/v1/list", model: "[]Pagination"},
		decodeFunc(func(r *reader) { out = readSlice(r, (*Pagination).decodeJSON) }))
	if err != nil || len(out) != 2 || out[0].TotalRecords != 1 || out[1] != (Pagination{}) {
		t.Fatalf("got %+v, %v", out, err)
	}
	err = c.do(context.Background(), &call{op: "List", method: http.MethodGet, path: "/api/v1/list", model: "[]Pagination"},
		decodeFunc(func(r *reader) { out = readSlice(r, func(p *Pagination, r *reader) { r.fail(errTest) }) }))
	if _, ok := err.(*DecodeError); !ok {
		t.Fatalf("got %v, want a *DecodeError", err)
	}
}

var errTest = &ArgumentError{Operation: "test", Argument: "x", Reason: "refused"}

func TestNoAuthSendsNoToken(t *testing.T) {
	var auth string
	c := resultServer(t, http.StatusOK, `{}`, &auth)
	ctx := context.Background()
	if err := c.do(ctx, &call{op: "Health", method: http.MethodGet, path: "/api/health", noAuth: true}, nil); err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		t.Fatalf("a noAuth call sent Authorization %q", auth)
	}
	if err := c.do(ctx, &call{op: "Me", method: http.MethodGet, path: "/api/v1/users/me"}, nil); err != nil {
		t.Fatal(err)
	}
	if auth != "Bearer tok" {
		t.Fatalf("a call sent Authorization %q, want the token", auth)
	}
}
