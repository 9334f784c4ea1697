// Package oas checks HTTP traffic against the API contract in
// api/openapi.json, so that neither the SDK nor the fake server can drift
// from the real API.
//
// Transport wraps an http.RoundTripper: every request that goes through it
// is validated against its operation (path, query, headers, body, bearer
// token) and every response whose status the operation declares is
// validated against that status's schema. A request that matches no
// operation fails the test.
package oas

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Contract is the loaded api/openapi.json with its router.
type Contract struct {
	Doc    *openapi3.T
	router routers.Router

	// passed holds the keys (passKey) of the requests and responses found
	// valid: validation is a function of what the key holds, and
	// kin-openapi compiles an OpenAPI 3.1 schema anew for each value it
	// checks, which the whole document's schemas make slow.
	passed sync.Map
}

// passKey is what a request's or response's validity depends on: the
// operation, the URL or status, the headers the contract reads (the
// document declares no header or cookie parameters), and the body.
func passKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil))
}

var (
	loadOnce sync.Once
	loaded   *Contract
	loadErr  error
)

const uuid4Pattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`

// Load reads api/openapi.json from the repository, once per test binary.
func Load() (*Contract, error) {
	loadOnce.Do(func() {
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
		openapi3.DefineStringFormatValidator("uuid4", openapi3.NewRegexpFormatValidator(uuid4Pattern))
		openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
		path, err := findSpec()
		if err != nil {
			loadErr = err
			return
		}
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			loadErr = fmt.Errorf("load %s: %w", path, err)
			return
		}
		// The document's own examples are not checked: one of them
		// (Agent's confidence_threshold, "0.5" for a number) is wrong,
		// CreateModelTaskJobSpec keeps nine under keys of its own, and
		// examples play no part in validating requests or answers.
		if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation(),
			openapi3.AllowExtraSiblingFields("example1", "example2", "example3", "example4",
				"example5", "example6", "example7", "example8", "example9")); err != nil {
			loadErr = fmt.Errorf("validate %s: %w", path, err)
			return
		}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			loadErr = fmt.Errorf("route %s: %w", path, err)
			return
		}
		loaded = &Contract{Doc: doc, router: router}
	})
	return loaded, loadErr
}

// MustLoad is Load for tests.
func MustLoad(t testing.TB) *Contract {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("oas: %v", err)
	}
	return c
}

// findSpec walks up from the working directory to api/openapi.json.
func findSpec() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "api", "openapi.json")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("api/openapi.json not found above the working directory")
		}
		dir = parent
	}
}

func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError: true,
		// The API sends client_secret and password in responses although the
		// spec marks them writeOnly (pydantic's SecretStr): that is the one
		// rule the real API itself breaks.
		ExcludeWriteOnlyValidations: true,
		AuthenticationFunc:          requireBearer,
	}
}

// requireBearer is the check for the spec's OAuth2 security: a request to
// a secured operation must carry a bearer token.
func requireBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") || strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")) == "" {
		return errors.New("no bearer token in Authorization")
	}
	return nil
}

// ValidateRequest checks a request against its operation. body is the
// request body (nil for none); req.Body is not read.
func (c *Contract) ValidateRequest(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s is not an operation of the contract: %w", req.Method, req.URL.Path, err)
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	if body == nil {
		clone.Body = http.NoBody
	}
	in := &openapi3filter.RequestValidationInput{Request: clone, PathParams: params, Route: route, Options: options()}
	key := passKey("request", req.Method, req.URL.RequestURI(), req.Header.Get("Content-Type"),
		strconv.FormatBool(requireBearer(context.Background(), &openapi3filter.AuthenticationInput{RequestValidationInput: in}) == nil),
		string(body))
	if _, ok := c.passed.Load(key); !ok {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return in, fmt.Errorf("request %s %s breaks the contract: %w", req.Method, req.URL.RequestURI(), err)
		}
		c.passed.Store(key, true)
	}
	if body != nil && route.Operation.RequestBody == nil {
		return in, fmt.Errorf("request %s %s has a body its operation does not take", req.Method, req.URL.Path)
	}
	return in, nil
}

// Declared reports whether the operation declares status.
func Declared(in *openapi3filter.RequestValidationInput, status int) bool {
	return in.Route.Operation.Responses.Status(status) != nil
}

// ValidateResponse checks a response against the status its operation
// declares. A status the operation does not declare (401, 403, 429, a
// proxy's 502) is not checked: the contract says nothing of it.
func (c *Contract) ValidateResponse(in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	if !Declared(in, status) {
		return nil
	}
	if status == http.StatusNoContent && len(body) == 0 {
		return nil
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Options: options(),
	}
	out.SetBodyBytes(body)
	key := passKey("response", in.Route.Method, in.Route.Path, strconv.Itoa(status), header.Get("Content-Type"), string(body))
	if _, ok := c.passed.Load(key); ok {
		return nil
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("response %d to %s %s breaks the contract: %w", status, in.Request.Method, in.Request.URL.Path, err)
	}
	c.passed.Store(key, true)
	return nil
}

// Transport validates every request and response passing through next.
type Transport struct {
	t       testing.TB
	c       *Contract
	next    http.RoundTripper
	checked atomic.Int64
	outside map[string]bool
}

// NewTransport wraps next (http.DefaultTransport when nil). Failures are
// reported with t.Errorf.
func NewTransport(t testing.TB, next http.RoundTripper) *Transport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Transport{t: t, c: MustLoad(t), next: next}
}

// Outside names URL paths that are not the Users API's, such as an identity
// provider's discovery document and token endpoint: requests to them are
// forwarded unchecked. It returns tr, and must be called before use.
func (tr *Transport) Outside(paths ...string) *Transport {
	if tr.outside == nil {
		tr.outside = make(map[string]bool, len(paths))
	}
	for _, p := range paths {
		tr.outside[p] = true
	}
	return tr
}

// Checked is the number of requests validated so far.
func (tr *Transport) Checked() int64 { return tr.checked.Load() }

// RoundTrip validates req, sends it, and validates the response.
func (tr *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if tr.outside[req.URL.Path] {
		return tr.next.RoundTrip(req)
	}
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
	in, err := tr.c.ValidateRequest(req, body)
	tr.checked.Add(1)
	if err != nil {
		tr.t.Errorf("oas: %v", err)
	}
	resp, rerr := tr.next.RoundTrip(req)
	if rerr != nil || in == nil {
		return resp, rerr
	}
	data, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{readErr}))
	if readErr != nil {
		return resp, nil // a broken body is the test's subject, not the contract's
	}
	if err := tr.c.ValidateResponse(in, resp.StatusCode, resp.Header, data); err != nil {
		tr.t.Errorf("oas: %v", err)
	}
	return resp, nil
}

// errReader ends a replayed body with the error the original body had.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	return 0, io.EOF
}

// PropertyOrder returns the names of a component schema's properties in
// the order api/openapi.json lists them, which is the order pydantic
// writes them in (openapi3 keeps them in a map).
func PropertyOrder(schema string) ([]string, error) {
	path, err := findSpec()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	s, ok := doc.Components.Schemas[schema]
	if !ok {
		return nil, fmt.Errorf("no schema %s in %s", schema, path)
	}
	dec := json.NewDecoder(bytes.NewReader(s.Properties))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var names []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		names = append(names, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return names, nil
}
