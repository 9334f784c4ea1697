package arthurtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/arthur-sdk/arthur-go/api"
	"github.com/arthur-sdk/arthur-go/arthurtest/internal/schema"
)

// spec is api/openapi.json, read on first use.
var spec = sync.OnceValues(func() (*schema.Doc, error) {
	return schema.Load(api.OpenAPI, api.Overrides)
})

// synthesized answers an operation the fake holds no state for: it
// validates the request against the spec as FastAPI would, then answers
// the success status with a body made from the spec's schema, the same
// for the same operation, path and query.
func (s *Server) synthesized(x *exchange) {
	if doc, o, ok := s.checked(x); ok {
		s.synthAnswer(x, doc, o)
	}
}

// synthAnswer answers a valid request of o with a body synthesized from
// the spec.
func (s *Server) synthAnswer(x *exchange, doc *schema.Doc, o *schema.Operation) {
	if o.Result == nil {
		x.w.WriteHeader(o.Status)
		return
	}
	q := x.r.URL.Query()
	y := doc.NewSynth(seed(x.op, x.r.URL.Path, q))
	v := y.Value(o.Result)
	if obj, ok := v.(schema.Object); ok {
		if page, ok := pageOf(doc, o, x.op, x.r.URL.Path, q, y); ok {
			obj.Set("records", page.records)
			obj.Set("pagination", page.pagination)
			v = obj
		}
	}
	body, err := json.Marshal(v)
	if err != nil {
		writeDetail(x.w, http.StatusInternalServerError, "Internal server error")
		return
	}
	writeBody(x.w, o.Status, body)
}

// validateRequest checks the path and query parameters and the JSON body
// of a request against its operation, and returns pydantic's errors.
func validateRequest(doc *schema.Doc, o *schema.Operation, x *exchange) []fieldError {
	var errs []schema.Error
	path := pathParams(o.Path, x.r.URL.Path)
	q := x.r.URL.Query()
	for _, p := range o.Params {
		var raws []string
		switch p.In {
		case "path":
			raws = []string{path[p.Name]}
		case "query":
			raws = q[p.Name]
		default:
			continue
		}
		errs = append(errs, doc.ValidateParam(p, raws)...)
	}
	var c checker
	if o.Body != nil && (o.BodyRequired || len(x.body) > 0) {
		if v, ok := c.decodeBody(x.r, x.body); ok {
			errs = append(errs, doc.Validate(o.Body, v, []any{"body"})...)
		}
	}
	if c.failed() && c.errs[0].Type == "json_invalid" {
		return c.errs // FastAPI reports malformed JSON alone
	}
	out := c.errs
	for _, e := range errs {
		out = append(out, fieldError{Type: e.Type, Loc: e.Loc, Msg: e.Msg, Input: e.Input, Ctx: e.Ctx})
	}
	return out
}

// pathParams reads the {name} segments of path by the template.
func pathParams(template, path string) map[string]string {
	out := map[string]string{}
	want, segs := strings.Split(template, "/"), strings.Split(path, "/")
	for i, w := range want {
		if i < len(segs) && strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			out[w[1:len(w)-1]] = segs[i]
		}
	}
	return out
}

// seed is the answer's seed: the operation, the path and the query.
func seed(op, path string, q url.Values) uint64 {
	h := fnv.New64a()
	h.Write([]byte(op + " " + path + "?" + q.Encode()))
	return h.Sum64()
}

// synthPage is one page of a synthesized list.
type synthPage struct {
	records    []any
	pagination schema.Object
}

// maxSynthRecords bounds the records of a synthesized list, over all its
// pages.
const maxSynthRecords = 7

// pageOf makes the page of a paged list that page and page_size ask for,
// when the result is one (records and pagination): the list's length
// depends on the operation, the path and the query other than page and
// page_size, so that its pages agree, and total_pages is consistent with
// it. A list without total_pages (InfinitePagination) ends with a short
// page.
func pageOf(doc *schema.Doc, o *schema.Operation, op, path string, q url.Values, y *schema.Synth) (synthPage, bool) {
	res := doc.Resolve(o.Result)
	records, pagination := res.Properties["records"], res.Properties["pagination"]
	if records == nil || pagination == nil || !doc.Resolve(records).Is("array") {
		return synthPage{}, false
	}
	pg := doc.Resolve(pagination)
	page, size := queryNumber(o, q, "page", 1), queryNumber(o, q, "page_size", 20)
	rest := url.Values{}
	for k, vs := range q {
		if k != "page" && k != "page_size" {
			rest[k] = vs
		}
	}
	total := int(seed(op, path, rest) % (maxSynthRecords + 1))
	n := 0
	if size > 0 && page >= 1 && (page-1) <= total/size {
		n = min(size, total-(page-1)*size)
	}
	p := synthPage{records: y.Items(records, max(n, 0))}
	p.pagination = schema.Object{{Key: "page", Value: page}, {Key: "page_size", Value: size}}
	if _, ok := pg.Properties["total_pages"]; ok {
		pages := 0
		if size > 0 {
			pages = (total + size - 1) / size
		}
		p.pagination = append(p.pagination, schema.Member{Key: "total_pages", Value: pages}, schema.Member{Key: "total_records", Value: total})
	}
	return p, true
}

// queryNumber is an integer query parameter (already validated), or its
// default in the spec, or def.
func queryNumber(o *schema.Operation, q url.Values, name string, def int) int {
	if vs := q[name]; len(vs) > 0 {
		if n, ok := parseInt(vs[len(vs)-1]); ok {
			return n
		}
	}
	for _, p := range o.Params {
		if p.Name == name && p.In == "query" && p.Schema.HasDefault {
			if f, ok := p.Schema.Default.(float64); ok {
				return int(f)
			}
		}
	}
	return def
}

// answer is what Respond makes a handler of.
type answer struct {
	status int
	body   []byte
}

func (a answer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	if a.body == nil {
		w.WriteHeader(a.status)
		return
	}
	writeBody(w, a.status, a.body)
}

// Handle makes h answer every later call of an operation (an operation ID
// such as OpGetDataset), in place of the fake's own answer: h gets the
// request, its body still readable, after the latency and FailNext's
// failures and before authentication and validation, and the call is in
// Requests as any other. A nil h gives the operation back to the fake.
//
// It returns an error, and reports it to the test that made the server,
// for an unknown operation.
func (s *Server) Handle(operation string, h http.Handler) error {
	if s.tb != nil {
		s.tb.Helper()
	}
	if !knownOperation(operation) {
		err := unknownOperation("Handle", operation)
		s.report(err)
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.replaced, operation)
	} else {
		s.replaced[operation] = h
	}
	return nil
}

// HandleFunc is Handle for a function.
func (s *Server) HandleFunc(operation string, h func(http.ResponseWriter, *http.Request)) error {
	if s.tb != nil {
		s.tb.Helper()
	}
	if h == nil {
		return s.Handle(operation, nil)
	}
	return s.Handle(operation, http.HandlerFunc(h))
}

// Respond makes every later call of an operation answer status with body,
// as Handle would with a handler that writes them. body is written as
// encoding/json encodes it, except a json.RawMessage or a []byte, written
// as it is, and nil, which writes no body. A body with content is sent
// with Content-Type application/json.
//
// It returns an error, and reports it to the test that made the server,
// for an unknown operation, a status out of 100 to 599, or a body
// encoding/json cannot encode.
func (s *Server) Respond(operation string, status int, body any) error {
	if s.tb != nil {
		s.tb.Helper()
	}
	a := answer{status: status}
	switch b := body.(type) {
	case nil:
	case json.RawMessage:
		a.body = bytes.Clone(b)
	case []byte:
		a.body = bytes.Clone(b)
	default:
		enc, err := json.Marshal(body)
		if err != nil {
			err = fmt.Errorf("arthurtest: Respond: the body of %s: %w", operation, err)
			s.report(err)
			return err
		}
		a.body = enc
	}
	if status < 100 || status > 599 {
		err := fmt.Errorf("arthurtest: Respond: status %d is not an HTTP status (100 to 599)", status)
		s.report(err)
		return err
	}
	if !knownOperation(operation) {
		err := unknownOperation("Respond", operation)
		s.report(err)
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replaced[operation] = a
	return nil
}

// replacement is the handler Handle or Respond set for an operation.
func (s *Server) replacement(op string) http.Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.replaced[op]
}

func knownOperation(op string) bool { return slices.Contains(operations, op) }

func unknownOperation(fn, op string) error {
	return fmt.Errorf("arthurtest: %s: unknown operation %q; want an operation ID such as %q", fn, op, OpGetUsersMe)
}
