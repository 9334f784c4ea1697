// Package test holds the black-box tests of the arthur package. Every
// request the tests send and every canned response they decode goes
// through the contract validator in internal/oas, so the tests cannot
// drift from api/openapi.json.
package test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// Fixed values of the canned traffic. IDs are version-4 UUIDs, as the
// contract requires of id and organization_id.
const (
	testHost  = "https://api.arthur.test"
	testToken = "tok_9d2f7c1e4b8a6f3d5c7b"

	orgID       = "5f0c1a3e-8b2d-4c6e-9f10-1a2b3c4d5e6f"
	adaID       = "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d"
	saID        = "3c9d5e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f"
	dpUserID    = "7e1f3a5b-9c2d-4e6f-a0b1-c2d3e4f5a6b7"
	dataPlaneID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
	roleID      = "2b4d6f8a-1c3e-4a5b-8d7f-9e1a2b3c4d5e"
	resourceID  = "6c8e0a2b-4d6f-4b1c-a3e5-7f9b1d3e5a7c"
	groupID1    = "8d0f2b4c-6e8a-4c1d-b3f5-9a1c3e5f7b9d"
	groupID2    = "1e3a5c7d-9f1b-4d2e-8a4c-6b8d0f2a4c6e"

	createdAtWire = "2025-01-01T10:11:12.123456Z"
	updatedAtWire = "2025-02-03T04:05:06.654321+00:00"

	saClientID     = "sa-client-7f3e"
	saClientSecret = "sa-secret-Q9x!r2"
	oneTimePass    = "otp-Vb7#kq41"
)

var (
	createdAt = time.Date(2025, 1, 1, 10, 11, 12, 123456000, time.UTC)
	updatedAt = time.Date(2025, 2, 3, 4, 5, 6, 654321000, time.UTC)
)

// fastRetry keeps retry tests fast.
var fastRetry = arthur.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// ---------------------------------------------------------------------------
// Canned JSON documents.

// doc is a JSON object under construction; a nil value is written as null,
// a deleted key is absent.
type doc map[string]any

func (d doc) with(kv ...any) doc {
	out := make(doc, len(d)+len(kv)/2)
	for k, v := range d {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func (d doc) without(keys ...string) doc {
	out := d.with()
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func (d doc) json() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func adaDoc() doc {
	return doc{
		"created_at": createdAtWire, "updated_at": updatedAtWire,
		"organization_id": orgID, "id": adaID,
		"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
		"picture": "https://img.example.com/ada.png", "user_type": "user",
		"data_plane_id": nil, "client_id": nil, "organization_name": "Acme",
	}
}

// saDoc is a service account as the API writes it: no email or picture at
// all, a null last name.
func saDoc() doc {
	return doc{
		"created_at": createdAtWire, "updated_at": updatedAtWire,
		"organization_id": orgID, "id": saID,
		"first_name": "ci-bot", "last_name": nil, "user_type": "service_account",
		"data_plane_id": nil, "client_id": saClientID, "organization_name": "Acme",
	}
}

func dataPlaneDoc() doc {
	return doc{
		"created_at": createdAtWire, "updated_at": updatedAtWire,
		"organization_id": orgID, "id": dpUserID,
		"first_name": "engine-eu-1", "last_name": nil, "email": nil, "picture": nil,
		"user_type": "data_plane", "data_plane_id": dataPlaneID, "client_id": nil,
		"organization_name": "Acme",
	}
}

func listDoc(page, pageSize, totalPages, totalRecords int, records ...doc) doc {
	if records == nil {
		records = []doc{}
	}
	return doc{
		"records": records,
		"pagination": doc{"page": page, "page_size": pageSize, "total_pages": totalPages,
			"total_records": totalRecords},
	}
}

func wantAda() arthur.User {
	return arthur.User{
		CreatedAt: createdAt, UpdatedAt: updatedAt, OrganizationID: orgID, ID: adaID,
		FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: arthur.Ptr("ada@example.com"),
		Picture: arthur.Ptr("https://img.example.com/ada.png"), UserType: arthur.UserTypeUser,
		OrganizationName: "Acme",
	}
}

func wantSA() arthur.User {
	return arthur.User{
		CreatedAt: createdAt, UpdatedAt: updatedAt, OrganizationID: orgID, ID: saID,
		FirstName: "ci-bot", UserType: arthur.UserTypeServiceAccount, ClientID: arthur.Ptr(saClientID),
		OrganizationName: "Acme",
	}
}

func wantDataPlane() arthur.User {
	return arthur.User{
		CreatedAt: createdAt, UpdatedAt: updatedAt, OrganizationID: orgID, ID: dpUserID,
		FirstName: "engine-eu-1", UserType: arthur.UserTypeDataPlane, DataPlaneID: arthur.Ptr(dataPlaneID),
		OrganizationName: "Acme",
	}
}

// assertUser compares users field by field; timestamps are compared as
// instants, whatever their location.
func assertUser(t *testing.T, want, got arthur.User) {
	t.Helper()
	assert.Truef(t, want.CreatedAt.Equal(got.CreatedAt), "CreatedAt: want %v, got %v", want.CreatedAt, got.CreatedAt)
	assert.Truef(t, want.UpdatedAt.Equal(got.UpdatedAt), "UpdatedAt: want %v, got %v", want.UpdatedAt, got.UpdatedAt)
	want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}
	got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
	assert.Equal(t, want, got)
}

// ---------------------------------------------------------------------------
// Recording what went on the wire.

// recordedRequest is one request as it left the client.
type recordedRequest struct {
	Method string
	URL    url.URL
	Header http.Header
	Body   []byte // nil when the request had no body
}

// recorder keeps a copy of every request passing through it.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []recordedRequest
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recordedRequest{Method: req.Method, URL: *req.URL, Header: req.Header.Clone(), Body: body})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) requests() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.reqs...)
}

func (r *recorder) last(t *testing.T) recordedRequest {
	t.Helper()
	reqs := r.requests()
	require.NotEmpty(t, reqs, "no request was sent")
	return reqs[len(reqs)-1]
}

// The go-github style checks of one recorded request.

func testMethod(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

// testPath checks the path exactly as it was escaped on the wire.
func testPath(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.Equal(t, want, r.URL.EscapedPath(), "path")
}

// testQuery checks the raw query string exactly as it was sent.
func testQuery(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.Equal(t, want, r.URL.RawQuery, "query")
}

func testHeader(t *testing.T, r recordedRequest, key, want string) {
	t.Helper()
	assert.Equal(t, []string{want}, r.Header.Values(key), "header %s", key)
}

func testNoHeader(t *testing.T, r recordedRequest, key string) {
	t.Helper()
	assert.Empty(t, r.Header.Values(key), "header %s must not be sent", key)
}

// testBody checks the body bytes exactly; "" means no body at all.
func testBody(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	if want == "" {
		assert.Empty(t, r.Body, "body")
		return
	}
	assert.Equal(t, want, string(r.Body), "body")
}

// testJSONBody checks the body is JSON equal to want (an object or a JSON
// string).
func testJSONBody(t *testing.T, r recordedRequest, want any) {
	t.Helper()
	w, ok := want.(string)
	if !ok {
		b, err := json.Marshal(want)
		require.NoError(t, err)
		w = string(b)
	}
	assert.JSONEq(t, w, string(r.Body), "JSON body")
}

// testUserAgent checks the SDK's User-Agent, with suffix appended when set.
func testUserAgent(t *testing.T, r recordedRequest, suffix string) {
	t.Helper()
	ua := r.Header.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "arthur-go/"+arthur.Version), "User-Agent %q", ua)
	if suffix != "" {
		assert.True(t, strings.HasSuffix(ua, " "+suffix), "User-Agent %q does not end with %q", ua, suffix)
	}
}

// ---------------------------------------------------------------------------
// Canned responses.

// response builds a response; hdr holds header name/value pairs. A JSON
// Content-Type is set for a non-empty body unless hdr gives one.
func response(req *http.Request, status int, body string, hdr ...string) *http.Response {
	h := make(http.Header)
	for i := 0; i+1 < len(hdr); i += 2 {
		h.Add(hdr[i], hdr[i+1])
	}
	if body != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// respond answers every call with a fresh copy of the same response.
func respond(status int, body string, hdr ...string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		return response(req, status, body, hdr...), nil
	}
}

// fail answers with a transport error, as a broken connection does.
func fail(err error) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

// sequence answers call i with rs[i], and every later call with the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int64
	return func(req *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		if i >= len(rs) {
			i = len(rs) - 1
		}
		return rs[i](req)
	}
}

// ---------------------------------------------------------------------------
// Clients under test.

// mockAPI is a client whose requests go, through the contract validator and
// a recorder, to an httpmock transport.
type mockAPI struct {
	mock   *httpmock.MockTransport
	rec    *recorder
	client *arthur.APIClient
	api    *arthur.UsersV1APIService
}

type option func(*arthur.Configuration)

func withRetry(p arthur.RetryPolicy) option {
	return func(c *arthur.Configuration) { c.Retry = p }
}

func noRetry() option { return withRetry(arthur.RetryPolicy{MaxAttempts: 1}) }

// newMockAPI validates every request and every response of a declared
// status against the contract.
func newMockAPI(t *testing.T, opts ...option) *mockAPI {
	t.Helper()
	return buildMockAPI(t, func(next http.RoundTripper) http.RoundTripper { return oas.NewTransport(t, next) }, opts...)
}

// newMockAPIRequestOnly validates every request but lets the responses
// through unchecked. It is only for tests whose canned response breaks the
// contract on purpose (a 200 that is not JSON, an unknown enum value, a
// naive timestamp): what they test is how the SDK copes with a server that
// strays from the contract, which the full validator would refuse to serve.
func newMockAPIRequestOnly(t *testing.T, opts ...option) *mockAPI {
	t.Helper()
	return buildMockAPI(t, func(next http.RoundTripper) http.RoundTripper { return requestOnly(t, next) }, opts...)
}

func buildMockAPI(t *testing.T, validator func(http.RoundTripper) http.RoundTripper, opts ...option) *mockAPI {
	t.Helper()
	m := &mockAPI{mock: httpmock.NewMockTransport()}
	m.rec = &recorder{next: m.mock}
	cfg := arthur.NewConfiguration()
	cfg.Host = testHost
	cfg.AccessToken = testToken
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: validator(m.rec)}
	for _, o := range opts {
		o(cfg)
	}
	m.client = arthur.NewAPIClient(cfg)
	m.api = m.client.UsersV1API
	return m
}

// on registers r for method and path (any query).
func (m *mockAPI) on(method, path string, r httpmock.Responder) {
	m.mock.RegisterResponder(method, testHost+path, r)
}

func (m *mockAPI) calls() int { return m.mock.GetTotalCallCount() }

// requestOnlyTransport validates each request against the contract and
// passes the response back unchecked; see newMockAPIRequestOnly.
type requestOnlyTransport struct {
	t    testing.TB
	c    *oas.Contract
	next http.RoundTripper
}

func requestOnly(t testing.TB, next http.RoundTripper) http.RoundTripper {
	return &requestOnlyTransport{t: t, c: oas.MustLoad(t), next: next}
}

func (tr *requestOnlyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	if _, err := tr.c.ValidateRequest(req, body); err != nil {
		tr.t.Errorf("oas: %v", err)
	}
	return tr.next.RoundTrip(req)
}

// foreignHostTransport is for requests to a host that is not the API's
// (the target of a cross-host redirect). Such a host must not get the
// bearer token, which is exactly what the redirect tests check, while the
// contract's security rule demands one. So the request is validated as a
// copy carrying a placeholder token, everything else (path, query, body,
// and the response) is checked as usual, and the request itself goes on
// untouched.
type foreignHostTransport struct {
	t    testing.TB
	c    *oas.Contract
	next http.RoundTripper
}

func (tr *foreignHostTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	clone := req.Clone(req.Context())
	clone.Header.Set("Authorization", "Bearer placeholder-for-validation")
	in, err := tr.c.ValidateRequest(clone, body)
	if err != nil {
		tr.t.Errorf("oas: %v", err)
	}
	resp, err := tr.next.RoundTrip(req)
	if err != nil || in == nil {
		return resp, err
	}
	data, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if readErr != nil {
		return nil, readErr
	}
	if err := tr.c.ValidateResponse(in, resp.StatusCode, resp.Header, data); err != nil {
		tr.t.Errorf("oas: %v", err)
	}
	return resp, nil
}

// hostRouter sends requests for the API host through api and the rest
// through other.
type hostRouter struct {
	apiHost    string
	api, other http.RoundTripper
}

func (h *hostRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == h.apiHost {
		return h.api.RoundTrip(req)
	}
	return h.other.RoundTrip(req)
}

func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// countingTransport counts the round trips that reach next.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(req)
}

func (c *countingTransport) count() int { return int(c.n.Load()) }

// freshTransport is a real transport of the test's own, whose idle
// connections are closed when the test ends.
func freshTransport(t *testing.T) *http.Transport {
	tr := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 5 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// loopbackClient is a client for a real server on loopback, every request
// validated against the contract. counter counts the attempts that reached
// the real transport.
func loopbackClient(t *testing.T, host string, opts ...option) (client *arthur.APIClient, counter *countingTransport) {
	t.Helper()
	counter = &countingTransport{next: freshTransport(t)}
	cfg := arthur.NewConfiguration()
	cfg.Host = host
	cfg.AccessToken = testToken
	cfg.Retry = fastRetry
	cfg.HTTPClient = &http.Client{Transport: oas.NewTransport(t, counter)}
	for _, o := range opts {
		o(cfg)
	}
	return arthur.NewAPIClient(cfg), counter
}

// ---------------------------------------------------------------------------
// The ten operations, plus the iterator, as one table.

// operation describes one SDK method: how it is called, what it must put
// on the wire, what the API answers and what the SDK must make of it.
type operation struct {
	name     string // SDK method
	method   string // HTTP method on the wire
	path     string // escaped path on the wire
	query    string // raw query on the wire
	body     string // exact JSON body on the wire, "" for none
	status   int    // success status
	response string // canned success body
	model    string // model named by a DecodeError, "" when there is no result
	declared []int  // error statuses the contract declares
	call     func(context.Context, *arthur.UsersV1APIService) (any, error)
	check    func(*testing.T, any)
}

func fullListParams() *arthur.GetOrganizationUsersParams {
	return &arthur.GetOrganizationUsersParams{
		Sort:      arthur.UserSortEmail,
		Order:     arthur.SortOrderDesc,
		UserTypes: []arthur.UserType{arthur.UserTypeUser, arthur.UserTypeServiceAccount},
		Search:    "ada love",
		UserIDs:   []string{adaID, saID},
		Page:      2,
		PageSize:  50,
	}
}

const fullListQuery = "order=desc&page=2&page_size=50&search=ada+love&sort=email" +
	"&user_ids=" + adaID + "&user_ids=" + saID + "&user_types=user&user_types=service_account"

func operations() []operation {
	list := listDoc(2, 50, 2, 53, adaDoc(), saDoc(), dataPlaneDoc()).json()
	checkList := func(t *testing.T, got []arthur.User) {
		require.Len(t, got, 3)
		assertUser(t, wantAda(), got[0])
		assertUser(t, wantSA(), got[1])
		assertUser(t, wantDataPlane(), got[2])
	}
	return []operation{
		{
			name: "AcceptMyInvites", method: "POST", path: "/api/v1/users/me/accept-invite",
			status: 204, declared: []int{400, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return nil, api.AcceptMyInvites(ctx)
			},
		},
		{
			name: "DeleteUser", method: "DELETE", path: "/api/v1/users/" + adaID,
			status: 204, declared: []int{404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return nil, api.DeleteUser(ctx, adaID)
			},
		},
		{
			name: "GetOrganizationUsers", method: "GET", path: "/api/v1/organization/users",
			query: fullListQuery, status: 200, response: list, model: "ResourceList[User]",
			declared: []int{404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.GetOrganizationUsers(ctx, fullListParams())
			},
			check: func(t *testing.T, got any) {
				l := got.(*arthur.ResourceListUser)
				checkList(t, l.Records)
				assert.Equal(t, arthur.Pagination{Page: 2, PageSize: 50, TotalPages: 2, TotalRecords: 53}, l.Pagination)
			},
		},
		{
			name: "GetOrganizationUsersIter", method: "GET", path: "/api/v1/organization/users",
			query: fullListQuery, status: 200, response: list, model: "ResourceList[User]",
			declared: []int{404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				var users []arthur.User
				for u, err := range api.GetOrganizationUsersIter(ctx, fullListParams()) {
					if err != nil {
						return nil, err
					}
					users = append(users, u)
				}
				return users, nil
			},
			check: func(t *testing.T, got any) { checkList(t, got.([]arthur.User)) },
		},
		{
			name: "GetUsersMe", method: "GET", path: "/api/v1/users/me",
			status: 200, response: adaDoc().json(), model: "User", declared: []int{500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.GetUsersMe(ctx)
			},
			check: func(t *testing.T, got any) { assertUser(t, wantAda(), *got.(*arthur.User)) },
		},
		{
			name: "PatchServiceAccountUser", method: "PATCH", path: "/api/v1/users/" + saID + "/service_account",
			body:   `{"name":"deploy-bot"}`,
			status: 200, response: saDoc().with("first_name", "deploy-bot").json(), model: "User",
			declared: []int{400, 404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.PatchServiceAccountUser(ctx, saID, arthur.PatchServiceAccountUser{Name: arthur.Value("deploy-bot")})
			},
			check: func(t *testing.T, got any) {
				want := wantSA()
				want.FirstName = "deploy-bot"
				assertUser(t, want, *got.(*arthur.User))
			},
		},
		{
			name: "PatchUser", method: "PATCH", path: "/api/v1/users/" + adaID,
			body:   `{"first_name":"Augusta","last_name":null,"picture":""}`,
			status: 200, response: adaDoc().with("first_name", "Augusta", "last_name", nil, "picture", "").json(),
			model: "User", declared: []int{400, 404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.PatchUser(ctx, adaID, arthur.PatchUser{
					FirstName: arthur.Value("Augusta"),
					LastName:  arthur.Null[string](),
					Picture:   arthur.Value(""),
				})
			},
			check: func(t *testing.T, got any) {
				want := wantAda()
				want.FirstName, want.LastName, want.Picture = "Augusta", nil, arthur.Ptr("")
				assertUser(t, want, *got.(*arthur.User))
			},
		},
		{
			name: "PostOrganizationServiceAccount", method: "POST", path: "/api/v1/organization/service_accounts",
			body:   `{"name":"ci-bot"}`,
			status: 200, response: saDoc().with("credentials", doc{"client_id": saClientID, "client_secret": saClientSecret}).json(),
			model: "UserServiceAccountCredentials", declared: []int{400, 404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: "ci-bot"})
			},
			check: func(t *testing.T, got any) {
				sa := got.(*arthur.UserServiceAccountCredentials)
				assertUser(t, wantSA(), sa.User())
				assert.Equal(t, saID, sa.ID)
				assert.Equal(t, saClientID, sa.Credentials.ClientID)
				assert.Equal(t, saClientSecret, sa.Credentials.ClientSecret.Reveal())
			},
		},
		{
			name: "PostOrganizationUser", method: "POST", path: "/api/v1/organization/users",
			body: `{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com",` +
				`"password":"pw-Secr3t!","picture":"https://img.example.com/ada.png"}`,
			status: 200, response: adaDoc().json(), model: "User", declared: []int{400, 404, 409, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.PostOrganizationUser(ctx, arthur.PostEndUser{
					FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: "ada@example.com",
					Password: "pw-Secr3t!", Picture: arthur.Ptr("https://img.example.com/ada.png"),
				})
			},
			check: func(t *testing.T, got any) { assertUser(t, wantAda(), *got.(*arthur.User)) },
		},
		{
			name: "PostOrganizationUserInvite", method: "POST", path: "/api/v1/organization/users/invite-user",
			body: `{"email":"grace@example.com","role_binding":{"role_id":"` + roleID +
				`","bound_resource_kind":"workspace","resource_id":"` + resourceID +
				`"},"group_ids":["` + groupID1 + `","` + groupID2 + `"]}`,
			status: 201, response: `{"message":"invite sent","count":1}`, model: "object",
			declared: []int{400, 404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{
					Email: "grace@example.com",
					RoleBinding: &arthur.PostGlobalRoleBinding{
						RoleID: roleID, BoundResourceKind: arthur.BoundResourceKindWorkspace, ResourceID: resourceID,
					},
					GroupIDs: []string{groupID1, groupID2},
				})
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, map[string]any{"message": "invite sent", "count": float64(1)}, got)
			},
		},
		{
			name: "PostUserCreds", method: "POST", path: "/api/v1/users/" + saID + "/credentials",
			status: 200, response: saDoc().with("credentials", doc{"client_id": saClientID, "client_secret": saClientSecret}).json(),
			model: "SensitiveUser", declared: []int{404, 422, 500},
			call: func(ctx context.Context, api *arthur.UsersV1APIService) (any, error) {
				return api.PostUserCreds(ctx, saID)
			},
			check: func(t *testing.T, got any) {
				su := got.(*arthur.SensitiveUser)
				assertUser(t, wantSA(), su.User())
				require.NotNil(t, su.Credentials.ServiceAccount)
				assert.Nil(t, su.Credentials.User)
				assert.Equal(t, saClientID, su.Credentials.ServiceAccount.ClientID)
				assert.Equal(t, saClientSecret, su.Credentials.ServiceAccount.ClientSecret.Reveal())
			},
		},
	}
}

// writes are the operations that are not GET.
func writes() []operation {
	var out []operation
	for _, op := range operations() {
		if op.method != http.MethodGet {
			out = append(out, op)
		}
	}
	return out
}

// successResponder answers op's success.
func (op operation) successResponder() httpmock.Responder {
	return respond(op.status, op.response)
}
