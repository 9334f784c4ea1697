package test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/internal/optable"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
	"github.com/arthur-sdk/arthur-go/test/internal/synth"
)

// How many calls the conformance test makes of each operation: successes,
// each declared error status, and walks of an Iter. Eight successes give
// each operation unknown keys (odd variants), unknown enum values and union
// tags (3 and 7) and nil params (2 and 5); every branch of every union is
// in some value whatever the counts, as the synthesizer's tally steers it;
// the test validates some 3,000 requests and answers, a few milliseconds
// each.
const (
	successVariants = 8
	errorVariants   = 2
	iterVariants    = 3
)

// errorModels are the SDK's types for the spec's error schemas, by schema
// name, for errors.As. A schema that an operation names for an error
// status and that is missing here fails the test: the SDK has no model for
// it yet.
var errorModels = map[string]reflect.Type{
	"BadRequestError":     reflect.TypeFor[*arthur.BadRequestError](),
	"NotFoundError":       reflect.TypeFor[*arthur.NotFoundError](),
	"ConflictError":       reflect.TypeFor[*arthur.ConflictError](),
	"HTTPValidationError": reflect.TypeFor[*arthur.HTTPValidationError](),
	"InternalServerError": reflect.TypeFor[*arthur.InternalServerError](),
}

// sentinels are the errors.Is targets of the statuses, as DESIGN.md fixes
// them.
var sentinels = []struct {
	err   error
	match func(status int) bool
}{
	{arthur.ErrBadRequest, func(s int) bool { return s == 400 }},
	{arthur.ErrUnauthorized, func(s int) bool { return s == 401 }},
	{arthur.ErrForbidden, func(s int) bool { return s == 403 }},
	{arthur.ErrNotFound, func(s int) bool { return s == 404 }},
	{arthur.ErrConflict, func(s int) bool { return s == 409 }},
	{arthur.ErrValidation, func(s int) bool { return s == 422 }},
	{arthur.ErrRateLimited, func(s int) bool { return s == 429 }},
	{arthur.ErrServer, func(s int) bool { return s >= 500 && s <= 599 }},
}

// TestConformance calls every operation of the generated operation table
// (internal/optable), by reflection, the way a user would, with arguments,
// bodies and answers synthesized from api/openapi.json (test/internal/synth),
// against a server on loopback behind the contract validator. An operation
// that joins the spec and the table is covered without an edit here.
//
// For each operation it checks that the table row says what the spec says,
// that the SDK method has the signature DESIGN.md gives it, and then, call
// after call: the request on the wire (method, escaped path, query, bearer
// token, body, each validated against the contract); that a synthesized
// success answer, unknown keys and enum values included, decodes and
// writes back to the same value; that each declared error status gives an
// *arthur.APIError with the status, the body, its sentinel and its typed
// model; and that an Iter walks every record of its pages.
func TestConformance(t *testing.T) {
	contract := oas.MustLoad(t)
	ops := contractOperations(t, contract.Doc)
	siblings, secrets := readOverrides(t, contract.Doc)
	tally := &synth.Tally{}
	var n conformanceCounts
	inTable := map[string]bool{}
	for _, op := range optable.Operations {
		require.False(t, inTable[op.ID], "operation %s is twice in the table", op.ID)
		inTable[op.ID] = true
		t.Run(op.ID, func(t *testing.T) {
			co, ok := ops[op.ID]
			require.True(t, ok, "operation %s of the table is not in the spec", op.ID)
			checkTableRow(t, op, co, secrets)
			c := &conformance{op: op, co: co, n: &n, siblings: siblings, secrets: secrets, tally: tally}
			c.bind(t)
			c.srv = newConformanceServer(t)
			n.add(func(n *conformanceCounts) {
				n.operations++
				if !op.Auth {
					n.anonymous++
				}
			})
			for v := range successVariants {
				t.Run(fmt.Sprintf("ok/%d", v), func(t *testing.T) { c.success(t, v) })
			}
			for _, status := range co.empty {
				t.Run(strconv.Itoa(status), func(t *testing.T) { c.empty(t, status) })
			}
			for _, status := range op.Errors {
				for v := range errorVariants {
					t.Run(fmt.Sprintf("%d/%d", status, v), func(t *testing.T) { c.failure(t, status, v) })
				}
			}
			if op.Paged {
				for v := range iterVariants {
					t.Run(fmt.Sprintf("iter/%d", v), func(t *testing.T) { c.iterate(t, v) })
				}
			}
		})
	}
	for id := range ops {
		assert.True(t, inTable[id], "operation %s of the spec is not in the table", id)
	}
	unions, branches := 0, 0
	for _, u := range contractUnions(ops) {
		unions++
		for i, b := range slices.Concat(u.AnyOf, u.OneOf) {
			branches++
			assert.Positive(t, tally.Chosen[u][i], "branch %d (%s) of the union %s %s is in no value the test made",
				i, b.Ref, u.Title, mustJSON(t, u)[:min(len(mustJSON(t, u)), 160)])
		}
	}
	n.unions, n.branches = unions, branches
	t.Logf("conformance: %d operations; %d calls (%d successes, %d error answers, %d Iter walks); "+
		"%d requests validated against the contract, %d responses too (the others carry unknown enum values or union tags); "+
		"%d answers the SDK refuses as DESIGN.md allows (an untyped result it types as map[string]any); "+
		"every branch of %d unions (%d branches) in the values made; "+
		"%d answers with unknown union tags, %d unions decoded into Other; %d operations without a bearer token",
		n.operations, n.successes+n.failures+n.walks, n.successes, n.failures, n.walks,
		n.requests, n.responses, n.refused, n.unions, n.branches, n.unknownTags, n.others, n.anonymous)
}

// conformanceCounts is what TestConformance checked, for its log.
type conformanceCounts struct {
	mu                                     sync.Mutex
	operations, successes, failures, walks int
	requests, responses, refused           int
	unions, branches                       int
	unknownTags, others, anonymous         int
}

func (n *conformanceCounts) add(f func(n *conformanceCounts)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	f(n)
}

// contractOperation is an operation as the spec has it.
type contractOperation struct {
	method, path string
	pathParams   []*openapi3.Parameter // in the order of the path template
	query        []*openapi3.Parameter // in the spec's order
	body         *openapi3.SchemaRef   // nil for none
	success      int
	result       *openapi3.SchemaRef // the success body's schema, nil for none
	empty        []int               // other success statuses, without a body
	errors       map[int]*openapi3.SchemaRef
	auth         bool
}

var templateParam = regexp.MustCompile(`\{([^}]+)\}`)

// contractOperations reads every operation of the spec, by operation ID.
// What the test cannot synthesize yet (a header parameter, a body that is
// not JSON) fails it, rather than go unchecked.
func contractOperations(t *testing.T, doc *openapi3.T) map[string]*contractOperation {
	t.Helper()
	out := map[string]*contractOperation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			require.NotEmpty(t, op.OperationID, "%s %s has no operationId", method, path)
			co := &contractOperation{method: method, path: path, errors: map[int]*openapi3.SchemaRef{}}
			params := map[string]*openapi3.Parameter{}
			var order []string
			for _, p := range slices.Concat(item.Parameters, op.Parameters) { // the operation's win
				key := p.Value.In + " " + p.Value.Name
				if _, ok := params[key]; !ok {
					order = append(order, key)
				}
				params[key] = p.Value
			}
			for _, key := range order {
				p := params[key]
				switch p.In {
				case openapi3.ParameterInPath:
				case openapi3.ParameterInQuery:
					require.True(t, (p.Style == "" || p.Style == "form") && (p.Explode == nil || *p.Explode),
						"%s: query parameter %s is not style form, exploded: the test does not encode it yet", op.OperationID, p.Name)
					co.query = append(co.query, p)
				default:
					t.Fatalf("%s: parameter %s is in %s: the test does not synthesize it yet", op.OperationID, p.Name, p.In)
				}
			}
			for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
				p, ok := params[openapi3.ParameterInPath+" "+m[1]]
				require.True(t, ok, "%s: no parameter for {%s}", op.OperationID, m[1])
				co.pathParams = append(co.pathParams, p)
			}
			if rb := op.RequestBody; rb != nil {
				mt := rb.Value.Content.Get("application/json")
				require.NotNil(t, mt, "%s: a request body that is not JSON", op.OperationID)
				require.Len(t, rb.Value.Content, 1, "%s: a request body of several media types", op.OperationID)
				co.body = mt.Schema
			}
			type success struct {
				status int
				schema *openapi3.SchemaRef
			}
			var successes []success
			for code, r := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				require.NoError(t, err, "%s: response %q: the test knows numbered statuses only", op.OperationID, code)
				var schema *openapi3.SchemaRef
				if len(r.Value.Content) > 0 {
					mt := r.Value.Content.Get("application/json")
					require.NotNil(t, mt, "%s: response %d is not JSON", op.OperationID, status)
					schema = mt.Schema
					if schema == nil {
						schema = &openapi3.SchemaRef{Value: &openapi3.Schema{}}
					}
				}
				if status >= 200 && status <= 299 {
					successes = append(successes, success{status, schema})
				} else {
					co.errors[status] = schema
				}
			}
			// The success is the status with a body, or the one status;
			// another one (post_dequeue_job's 204 beside its 200) must have
			// none, and gives a nil result.
			slices.SortFunc(successes, func(a, b success) int {
				if (a.schema == nil) != (b.schema == nil) {
					if a.schema != nil {
						return -1
					}
					return 1
				}
				return a.status - b.status
			})
			require.NotEmpty(t, successes, "%s: no success status", op.OperationID)
			co.success, co.result = successes[0].status, successes[0].schema
			for _, s := range successes[1:] {
				require.Nil(t, s.schema, "%s: success statuses %d and %d both have a body", op.OperationID, co.success, s.status)
				co.empty = append(co.empty, s.status)
			}
			security := doc.Security
			if op.Security != nil {
				security = *op.Security
			}
			co.auth = len(security) > 0 && !slices.ContainsFunc(security, func(r openapi3.SecurityRequirement) bool { return len(r) == 0 })
			require.NotContains(t, out, op.OperationID, "operationId %s twice", op.OperationID)
			out[op.OperationID] = co
		}
	}
	return out
}

// readOverrides reads from api/overrides.json the unions that a sibling
// property tells apart, for synth.WithSiblings, and the properties it makes
// a Secret.
func readOverrides(t *testing.T, doc *openapi3.T) (map[*openapi3.Schema][]synth.Sibling, secretSchemas) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "api", "overrides.json"))
	require.NoError(t, err)
	var o struct {
		Fields map[string]struct {
			Type string `json:"type"`
		} `json:"fields"`
	}
	require.NoError(t, json.Unmarshal(data, &o))
	secrets := secretSchemas{}
	for at, f := range o.Fields {
		if f.Type != "secret" {
			continue
		}
		owner, prop, ok := strings.Cut(at, ".")
		require.True(t, ok, "field %s", at)
		s := doc.Components.Schemas[owner]
		require.NotNil(t, s, "field %s: no schema %s", at, owner)
		p := s.Value.Properties[prop]
		require.NotNil(t, p, "field %s", at)
		secrets[p.Value] = true
	}
	siblings, err := synth.SiblingsOf(doc, data)
	require.NoError(t, err)
	return siblings, secrets
}

// secretSchemas are the property schemas api/overrides.json makes a
// Secret.
type secretSchemas map[*openapi3.Schema]bool

// holds reports whether a value of s is a credential: writeOnly, a
// password, or a Secret by the overrides.
func (ss secretSchemas) holds(s *openapi3.Schema) bool {
	return s.WriteOnly || s.Format == "password" || ss[s]
}

// contractUnions are the anyOf and oneOf schemas that the operations'
// bodies, answers and errors reach.
func contractUnions(ops map[string]*contractOperation) []*openapi3.Schema {
	seen := map[*openapi3.Schema]bool{}
	var out []*openapi3.Schema
	for _, co := range ops {
		roots := []*openapi3.SchemaRef{co.body, co.result}
		for _, e := range co.errors {
			roots = append(roots, e)
		}
		for _, r := range roots {
			reaches(r, func(s *openapi3.Schema) bool {
				if len(s.AnyOf)+len(s.OneOf) > 1 && !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
				return false
			})
		}
	}
	return out
}

// checkTableRow checks the generated row against the spec.
func checkTableRow(t *testing.T, op optable.Operation, co *contractOperation, secrets secretSchemas) {
	t.Helper()
	assert.Equal(t, co.method, op.HTTP, "HTTP")
	assert.Equal(t, co.path, op.Path, "Path")
	assert.Equal(t, co.success, op.Status, "Status")
	var errs []int
	for s := range co.errors {
		errs = append(errs, s)
	}
	slices.Sort(errs)
	assert.Equal(t, errs, slices.Sorted(slices.Values(op.Errors)), "Errors")
	assert.Equal(t, co.auth, op.Auth, "Auth")
	assert.Equal(t, co.body != nil, op.Body != "", "Body %q", op.Body)
	assert.Equal(t, co.result != nil, op.Result != "", "Result %q", op.Result)
	_, _, _, paged := pagedShape(co.result)
	hasPage := slices.ContainsFunc(co.query, func(p *openapi3.Parameter) bool { return p.Name == "page" })
	assert.Equal(t, paged && hasPage && co.method == http.MethodGet, op.Paged,
		"Paged: a GET whose result has records and pagination, and a page parameter")
	secret := reaches(co.result, secrets.holds)
	assert.Equal(t, secret, op.Secret, "Secret: the result holds a writeOnly or password value, or a Secret by the overrides")
}

// reaches reports whether s, or a schema inside it, is one that pred
// holds for.
func reaches(s *openapi3.SchemaRef, pred func(*openapi3.Schema) bool) bool {
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef) bool
	walk = func(ref *openapi3.SchemaRef) bool {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return false
		}
		s := ref.Value
		seen[s] = true
		if pred(s) {
			return true
		}
		for _, sub := range slices.Concat(s.AnyOf, s.OneOf, s.AllOf, openapi3.SchemaRefs{s.Items, s.AdditionalProperties.Schema}) {
			if walk(sub) {
				return true
			}
		}
		for _, p := range s.Properties {
			if walk(p) {
				return true
			}
		}
		return false
	}
	return walk(s)
}

// pagedShape finds the records array and the pagination object of a paged
// result: one with total_pages, or (infinite) one with page_size only, whose
// list ends at a short page.
func pagedShape(s *openapi3.SchemaRef) (records, pagination string, infinite, ok bool) {
	if s == nil || s.Value == nil {
		return "", "", false, false
	}
	for name, p := range s.Value.Properties {
		if p.Value == nil || !slices.Contains(s.Value.Required, name) {
			continue
		}
		switch {
		case p.Value.Type.Is(openapi3.TypeArray):
			records = name
		case p.Value.Properties["total_pages"] != nil:
			pagination = name
		case p.Value.Properties["page_size"] != nil:
			pagination, infinite = name, true
		}
	}
	return records, pagination, infinite, records != "" && pagination != ""
}

// conformance calls one operation.
type conformance struct {
	op       optable.Operation
	co       *contractOperation
	n        *conformanceCounts
	srv      *conformanceServer
	siblings map[*openapi3.Schema][]synth.Sibling
	secrets  secretSchemas
	tally    *synth.Tally

	pathTypes []reflect.Type
	params    reflect.Type   // *<Method>Params, nil when the operation has no query
	fields    map[string]int // the params struct's field of each query parameter
	body      reflect.Type
	result    reflect.Type // nil for none
	item      reflect.Type // what the Iter yields
}

// normName is a name compared case-insensitively, without "_" or "-":
// page_size and PageSize, user_ids and UserIDs.
func normName(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// typeName is the name the table gives a Go type: the model's name, or
// the type itself when it has none (map[string]any).
func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() != "" && t.PkgPath() == reflect.TypeFor[arthur.APIClient]().PkgPath() {
		return t.Name()
	}
	return strings.ReplaceAll(t.String(), "interface {}", "any") // json.RawMessage
}

// service is the APIClient field of op.
func (c *conformance) service(t *testing.T, client *arthur.APIClient) reflect.Value {
	t.Helper()
	svc := reflect.ValueOf(client).Elem().FieldByName(c.op.Service)
	require.True(t, svc.IsValid(), "APIClient has no field %s", c.op.Service)
	require.Equal(t, reflect.Pointer, svc.Kind(), "APIClient.%s", c.op.Service)
	require.False(t, svc.IsNil(), "APIClient.%s is nil", c.op.Service)
	return svc
}

func (c *conformance) method(t *testing.T, client *arthur.APIClient, name string) reflect.Value {
	t.Helper()
	m := c.service(t, client).MethodByName(name)
	require.True(t, m.IsValid(), "%s has no method %s", c.op.Service, name)
	return m
}

// bind checks the signatures of the operation's methods: ctx, one string
// or int per path parameter, *<Method>Params when there are query
// parameters, the body model; the result model (if any) and an error.
func (c *conformance) bind(t *testing.T) {
	t.Helper()
	client := arthur.NewAPIClient(arthur.NewConfiguration())
	mt := c.method(t, client, c.op.Method).Type()
	sig := c.op.Service + "." + c.op.Method + " " + mt.String()
	in := 0
	next := func() reflect.Type {
		t.Helper()
		require.Less(t, in, mt.NumIn(), "%s: too few arguments", sig)
		in++
		return mt.In(in - 1)
	}
	require.Equal(t, reflect.TypeFor[context.Context](), next(), "%s: ctx first", sig)
	for _, p := range c.co.pathParams {
		pt := next()
		want := reflect.String
		if p.Schema.Value != nil && p.Schema.Value.Type.Is(openapi3.TypeInteger) {
			want = reflect.Int
		}
		require.Equal(t, want, pt.Kind(), "%s: path parameter %s", sig, p.Name)
		c.pathTypes = append(c.pathTypes, pt)
	}
	if len(c.co.query) > 0 {
		c.params = next()
		require.Equal(t, reflect.Pointer, c.params.Kind(), "%s: params", sig)
		require.Equal(t, c.op.Method+"Params", c.params.Elem().Name(), "%s: params", sig)
		c.fields = map[string]int{}
		byName := map[string]int{}
		st := c.params.Elem()
		for i := range st.NumField() {
			byName[normName(st.Field(i).Name)] = i
		}
		for _, p := range c.co.query {
			i, ok := byName[normName(p.Name)]
			require.True(t, ok, "%s has no field for query parameter %s", st.Name(), p.Name)
			c.fields[p.Name] = i
			delete(byName, normName(p.Name))
		}
		assert.Empty(t, byName, "%s has fields that are no query parameter", st.Name())
	}
	if c.co.body != nil {
		c.body = next()
		require.Equal(t, c.op.Body, typeName(c.body), "%s: body", sig)
		require.Equal(t, reflect.Struct, c.body.Kind(), "%s: the body is a value", sig)
	}
	require.Equal(t, in, mt.NumIn(), "%s: too many arguments", sig)
	errType := reflect.TypeFor[error]()
	if c.op.Result == "" {
		require.Equal(t, 1, mt.NumOut(), "%s returns an error only", sig)
	} else {
		require.Equal(t, 2, mt.NumOut(), "%s returns a result and an error", sig)
		c.result = mt.Out(0)
		require.Equal(t, c.op.Result, typeName(c.result), "%s: result", sig)
		if c.result.Name() == "" && c.result.Kind() == reflect.Pointer {
			require.Equal(t, reflect.Struct, c.result.Elem().Kind(), "%s: result", sig)
		}
	}
	require.Equal(t, errType, mt.Out(mt.NumOut()-1), "%s: an error last", sig)

	iter := c.service(t, client).MethodByName(c.op.Method + "Iter")
	require.Equal(t, c.op.Paged, iter.IsValid(), "%s.%sIter exists if and only if the operation is paged", c.op.Service, c.op.Method)
	if !c.op.Paged {
		return
	}
	it := iter.Type()
	isig := c.op.Service + "." + c.op.Method + "Iter " + it.String()
	require.Equal(t, len(c.co.pathParams)+2, it.NumIn(), "%s: ctx, the path parameters, params", isig)
	for i := range it.NumIn() {
		require.Equal(t, mt.In(i), it.In(i), "%s: argument %d as %s's", isig, i, c.op.Method)
	}
	require.Equal(t, 1, it.NumOut(), isig)
	seq := it.Out(0)
	require.Equal(t, reflect.Func, seq.Kind(), "%s returns an iter.Seq2", isig)
	require.Equal(t, 1, seq.NumIn(), isig)
	yield := seq.In(0)
	require.True(t, yield.Kind() == reflect.Func && yield.NumIn() == 2 && yield.In(1) == errType &&
		yield.NumOut() == 1 && yield.Out(0).Kind() == reflect.Bool, "%s returns an iter.Seq2[T, error]", isig)
	c.item = yield.In(0)
	records, _, _, _ := pagedShape(c.co.result)
	var field reflect.StructField
	for i := range c.result.Elem().NumField() {
		if f := c.result.Elem().Field(i); normName(f.Name) == normName(records) {
			field = f
		}
	}
	require.Equal(t, reflect.SliceOf(c.item), field.Type, "%s yields the records of %s", isig, c.op.Result)
}

// callArgs are one call's arguments and what they must put on the wire.
type callArgs struct {
	in      []reflect.Value // after ctx
	path    string          // escaped
	query   url.Values
	body    any // the synthesized body; nil for none
	hasBody bool
}

// args synthesizes the arguments of variant v, params nil unless
// withParams or a query parameter is required, every query parameter set
// otherwise.
func (c *conformance) args(t *testing.T, v int, withParams bool) callArgs {
	t.Helper()
	withParams = withParams || slices.ContainsFunc(c.co.query, func(p *openapi3.Parameter) bool { return p.Required })
	a := callArgs{path: c.op.Path, query: url.Values{}}
	for i, p := range c.co.pathParams {
		var arg reflect.Value
		var text string
		switch x := synth.Value(p.Schema, v, synth.ForRequest()).(type) {
		case string:
			arg, text = reflect.ValueOf(x), x
		case float64:
			arg, text = reflect.ValueOf(int(x)), strconv.Itoa(int(x))
		default:
			t.Fatalf("path parameter %s: no argument for %v", p.Name, x)
		}
		a.in = append(a.in, arg.Convert(c.pathTypes[i]))
		a.path = strings.Replace(a.path, "{"+p.Name+"}", url.PathEscape(text), 1)
	}
	if c.params != nil {
		if !withParams {
			a.in = append(a.in, reflect.Zero(c.params))
		} else {
			pv := reflect.New(c.params.Elem())
			for _, p := range c.co.query {
				x := synth.Value(p.Schema, v, synth.ForRequest())
				f := pv.Elem().Field(c.fields[p.Name])
				require.NoError(t, json.Unmarshal(mustJSON(t, x), f.Addr().Interface()),
					"query parameter %s = %s into %s", p.Name, mustJSON(t, x), f.Type())
				if f.IsZero() {
					continue // a zero field is not sent: the server's default applies
				}
				items, ok := x.([]any)
				if !ok {
					items = []any{x}
				}
				for _, item := range items {
					a.query.Add(p.Name, queryText(t, item))
				}
			}
			a.in = append(a.in, pv)
		}
	}
	if c.co.body != nil {
		a.body, a.hasBody = c.value(c.co.body, v, synth.ForRequest()), true
		b := mustJSON(t, a.body)
		bp := reflect.New(c.body)
		require.NoError(t, json.Unmarshal(b, bp.Interface()), "the SDK's decoder refuses a valid %s: %s", c.op.Body, b)
		a.in = append(a.in, bp.Elem())
	}
	return a
}

// queryValues is q with each number and date-time in one form, so that
// the query is compared by value: 1e+06 is 1000000, 2025-01-01T00:00:00Z is
// 2025-01-01T00:00:00+00:00.
func (c *conformance) queryValues(t *testing.T, q url.Values) url.Values {
	t.Helper()
	out := url.Values{}
	for k, vs := range q {
		kind := ""
		if i := slices.IndexFunc(c.co.query, func(p *openapi3.Parameter) bool { return p.Name == k }); i >= 0 {
			kind = scalarKind(c.co.query[i].Schema)
		}
		for _, v := range vs {
			switch kind {
			case openapi3.TypeNumber:
				f, err := strconv.ParseFloat(v, 64)
				require.NoError(t, err, "query parameter %s = %q", k, v)
				v = strconv.FormatFloat(f, 'g', -1, 64)
			case "date-time":
				at, err := time.Parse(time.RFC3339Nano, v)
				require.NoError(t, err, "query parameter %s = %q", k, v)
				v = at.UTC().Format(time.RFC3339Nano)
			}
			out.Add(k, v)
		}
	}
	return out
}

// scalarKind is "number" or "date-time" when s (or its non-null branch, or
// its items) is one.
func scalarKind(s *openapi3.SchemaRef) string {
	if s == nil || s.Value == nil {
		return ""
	}
	v := s.Value
	switch {
	case v.Type.Is(openapi3.TypeNumber):
		return openapi3.TypeNumber
	case v.Type.Is(openapi3.TypeString) && v.Format == "date-time":
		return "date-time"
	case v.Type.Is(openapi3.TypeArray):
		return scalarKind(v.Items)
	}
	for _, b := range slices.Concat(v.AnyOf, v.OneOf) {
		if k := scalarKind(b); k != "" {
			return k
		}
	}
	return ""
}

// queryText is a query value as the form style writes it.
func queryText(t *testing.T, x any) string {
	switch x := x.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	t.Fatalf("no query text for %v", x)
	return ""
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// reencode is v as encoding/json writes it and reads it back into an any.
func reencode(t *testing.T, v any) any {
	t.Helper()
	var out any
	require.NoError(t, json.Unmarshal(mustJSON(t, v), &out))
	return out
}

// invoke calls fn with ctx and a's arguments, and splits off the error.
func invoke(t *testing.T, fn reflect.Value, a callArgs) (outs []reflect.Value, err error) {
	outs = fn.Call(append([]reflect.Value{reflect.ValueOf(t.Context())}, a.in...))
	if e := outs[len(outs)-1]; !e.IsNil() {
		err = e.Interface().(error)
	}
	return outs[:len(outs)-1], err
}

// checkRequest checks what the SDK sent for a.
func (c *conformance) checkRequest(t *testing.T, r recordedRequest, a callArgs) {
	t.Helper()
	testMethod(t, r, c.op.HTTP)
	testPath(t, r, a.path)
	got, err := url.ParseQuery(r.URL.RawQuery)
	require.NoError(t, err)
	assert.Equal(t, c.queryValues(t, a.query), c.queryValues(t, got), "query %q", r.URL.RawQuery)
	if c.op.Auth {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
	} else {
		testNoHeader(t, r, "Authorization")
	}
	if !a.hasBody {
		assert.Empty(t, r.Body, "body")
		testNoHeader(t, r, "Content-Type")
		return
	}
	testHeader(t, r, "Content-Type", "application/json")
	var sent any
	require.NoError(t, json.Unmarshal(r.Body, &sent), "body %s", r.Body)
	// A PATCH body's fields keep null and absent apart (DESIGN.md: each is
	// a Nullable); elsewhere, and inside them, a nil pointer sends either
	// for both.
	diffs := synth.Diff(c.co.body, a.body, sent, true)
	if c.op.HTTP == http.MethodPatch {
		diffs = synth.DiffPatch(c.co.body, a.body, sent)
	}
	assert.Empty(t, diffs, "the body sent differs from the %s given:\ngiven %s\nsent  %s", c.op.Body, mustJSON(t, a.body), r.Body)
}

// value is synth.Value with the test's siblings and tally.
func (c *conformance) value(s *openapi3.SchemaRef, v int, opts ...synth.Option) any {
	return synth.Value(s, v, append(opts, synth.WithSiblings(c.siblings), synth.WithTally(c.tally))...)
}

// success makes call v and answers it with a synthesized success: unknown
// keys in odd variants, unknown enum values and union tags in every fourth.
func (c *conformance) success(t *testing.T, v int) {
	a := c.args(t, v, v%3 != 2)
	var want any
	var body []byte
	checkResponse := true
	if c.co.result != nil {
		var opts []synth.Option
		if v%2 == 1 {
			opts = append(opts, synth.WithUnknown())
		}
		want = c.value(c.co.result, v, opts...)
		if v%4 == 3 {
			w := c.value(c.co.result, v, append(opts, synth.WithUnknownEnum(), synth.WithUnknownTags())...)
			checkResponse = reflect.DeepEqual(w, want) // an unknown enum value breaks the contract
			want = w
		}
		body = mustJSON(t, want)
	}
	client := c.srv.client(t, checkResponse, c.n)
	c.srv.answer(func(*http.Request) (int, []byte) { return c.op.Status, body })
	outs, err := invoke(t, c.method(t, client, c.op.Method), a)
	reqs := c.srv.requests()
	require.Len(t, reqs, 1, "requests; the call returned %v", err)
	c.checkRequest(t, reqs[0], a)
	c.n.add(func(n *conformanceCounts) { n.successes++ })

	if c.result != nil && c.result.Kind() == reflect.Map {
		if _, isObject := want.(map[string]any); !isObject && want != nil {
			// DESIGN.md types this untyped result as a map: a spec-valid
			// answer that is no object is refused, and said so.
			var de *arthur.DecodeError
			require.ErrorAs(t, err, &de, "answer %s", body)
			c.n.add(func(n *conformanceCounts) { n.refused++ })
			return
		}
	}
	require.NoError(t, err, "answer %d %s", c.op.Status, body)
	if c.result == nil {
		return
	}
	res := outs[0].Interface()
	if c.result.Kind() == reflect.Pointer {
		require.False(t, outs[0].IsNil(), "a nil result")
	}
	diffs := synth.Diff(c.co.result, want, reencode(t, res), true)
	assert.Empty(t, diffs, "the %s written back differs from the answer:\nanswer     %s\nwritten as %s", c.op.Result, body, mustJSON(t, res))
	if bytes.Contains(body, []byte(synth.UnknownTagPrefix)) {
		// An object with a tag no branch has is a union's Other (which
		// holds what is inside it, other unknown tags included). Eval's
		// free-form config, of an eval_kind no branch names, is one too.
		others := countOther(reflect.ValueOf(res), 0)
		assert.Positive(t, others, "no union decoded into Other, for the unknown tags of %s", body)
		c.n.add(func(n *conformanceCounts) { n.unknownTags++; n.others += others })
	}
	if c.op.Secret {
		checkRedacted(t, c.co.result, want, res, c.secrets)
	}
}

// empty answers a call with a success status that has no body: the
// result is nil, and no error.
func (c *conformance) empty(t *testing.T, status int) {
	a := c.args(t, 0, true)
	client := c.srv.client(t, true, c.n)
	c.srv.answer(func(*http.Request) (int, []byte) { return status, nil })
	outs, err := invoke(t, c.method(t, client, c.op.Method), a)
	reqs := c.srv.requests()
	require.Len(t, reqs, 1, "requests; the call returned %v", err)
	c.checkRequest(t, reqs[0], a)
	c.n.add(func(n *conformanceCounts) { n.successes++ })
	require.NoError(t, err, "answer %d", status)
	for _, o := range outs {
		assert.True(t, o.IsZero(), "the result of a %d: %v", status, o)
	}
}

// countOther counts the unions in v that hold an object of a branch the
// SDK does not know: a non-empty Other json.RawMessage.
func countOther(v reflect.Value, depth int) int {
	if depth > 64 {
		return 0
	}
	n := 0
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			n += countOther(v.Elem(), depth+1)
		}
	case reflect.Struct:
		if f := v.FieldByName("Other"); f.IsValid() && f.Type() == reflect.TypeFor[json.RawMessage]() && f.Len() > 0 {
			n++
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				n += countOther(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return 0
		}
		for i := range v.Len() {
			n += countOther(v.Index(i), depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			n += countOther(it.Value(), depth+1)
		}
	}
	return n
}

// checkRedacted checks that the credentials in a result do not print.
func checkRedacted(t *testing.T, s *openapi3.SchemaRef, want, res any, secrets secretSchemas) {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("result", "result", res)
	printed := fmt.Sprintf("%v %+v %#v %s", res, res, res, res) + buf.String()
	synth.Walk(s, want, func(s *openapi3.Schema, v any) {
		secret, ok := v.(string)
		if ok && secrets.holds(s) && len(secret) >= 4 { // a shorter one is in other words
			assert.NotContains(t, printed, secret, "a credential prints")
		}
	})
}

// failure answers call v with status and a synthesized body of its
// schema.
func (c *conformance) failure(t *testing.T, status, v int) {
	schema := c.co.errors[status]
	var want any
	var body []byte
	if schema != nil {
		var opts []synth.Option
		if v > 0 {
			opts = append(opts, synth.WithUnknown())
		}
		want = c.value(schema, v, opts...)
		body = mustJSON(t, want)
	}
	a := c.args(t, v, true)
	client := c.srv.client(t, true, c.n)
	c.srv.answer(func(*http.Request) (int, []byte) { return status, body })
	outs, err := invoke(t, c.method(t, client, c.op.Method), a)
	reqs := c.srv.requests()
	require.Len(t, reqs, 1, "requests: an error status is not retried with MaxAttempts 1; the call returned %v", err)
	c.checkRequest(t, reqs[0], a)
	c.n.add(func(n *conformanceCounts) { n.failures++ })

	require.Error(t, err, "answer %d %s", status, body)
	for _, o := range outs {
		assert.True(t, o.IsZero(), "a result with an error: %v", o)
	}
	checkAPIError(t, err, status, schema, body, c.op.ID)
}

// checkAPIError checks the error of a call answered with status and body,
// of the schema the spec gives that status (nil for none): an
// *arthur.APIError with the status and the body, its sentinel, and the
// typed model, by json.Unmarshal and through errors.As, equal to the body
// as a value of the schema.
func checkAPIError(t *testing.T, err error, status int, schema *openapi3.SchemaRef, body []byte, opID string) {
	t.Helper()
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, string(body), string(apiErr.Body), "Body")
	for _, s := range sentinels {
		assert.Equal(t, s.match(status), errors.Is(err, s.err), "errors.Is(err, %v) for %d", s.err, status)
	}
	if schema == nil {
		return
	}
	name := strings.TrimPrefix(schema.Ref, "#/components/schemas/")
	model, ok := errorModels[name]
	if !ok {
		t.Errorf("the SDK has no error model for %q, the %d of %s: give it one and list it in errorModels", schema.Ref, status, opID)
		return
	}

	var want any
	require.NoError(t, json.Unmarshal(body, &want), "the %d body %s", status, body)

	// The model's own decoder, as json.Unmarshal runs it for a user.
	decoded := reflect.New(model.Elem())
	require.NoError(t, json.Unmarshal(body, decoded.Interface()), "%s refuses %s", model, body)
	diffs := synth.Diff(schema, want, reencode(t, decoded.Interface()), true)
	assert.Empty(t, diffs, "%s decoded by json.Unmarshal and written back differs from %s", model, body)

	// The model errors.As reaches through the *APIError.
	for other, typ := range errorModels {
		target := reflect.New(typ)
		reached := errors.As(err, target.Interface())
		switch {
		case typ != model:
			assert.False(t, reached, "errors.As reaches %s for a %d whose schema is %s", other, status, name)
		case assert.True(t, reached, "errors.As does not reach %s for %d %s", typ, status, body):
			diffs := synth.Diff(schema, want, reencode(t, target.Elem().Interface()), true)
			assert.Empty(t, diffs, "the %s that errors.As reaches, written back, differs from the answer %s", typ, body)
		}
	}
}

// iterate walks the Iter of variant v from params.Page (or 1), and checks
// that it asks for the pages it must, and yields the records of each in
// order. A list with total_pages has two pages; an infinite one (its
// pagination has page_size only) ends at a short page, or, in odd
// variants, at an empty page after two full ones. An empty page ends
// either.
func (c *conformance) iterate(t *testing.T, v int) {
	a := c.args(t, v, v != 2)
	start := 1
	if p := a.query.Get("page"); p != "" {
		start, _ = strconv.Atoi(p)
	}
	if start == 0 {
		start = 1 // a zero Page is the first page, as a nil one is
	}
	recordsKey, paginationKey, infinite, _ := pagedShape(c.co.result)
	var opts []synth.Option
	if v == 1 {
		opts = append(opts, synth.WithUnknown())
	}
	// answer is the server's page, made before the walk: which pages the
	// Iter must fetch follows from them.
	answer := func(page int) map[string]any {
		want := c.value(c.co.result, 100*v+page, opts...).(map[string]any)
		pagination := want[paginationKey].(map[string]any)
		pagination["page"] = float64(page)
		n := len(want[recordsKey].([]any))
		switch {
		case !infinite:
			pagination["total_pages"] = float64(start + 1)
		case page == start || page == start+1 && v%2 == 1:
			pagination["page_size"] = float64(n) // full
		case page == start+1:
			pagination["page_size"] = float64(n + 1) // short
		default:
			want[recordsKey] = []any{}
			pagination["page_size"] = float64(max(n, 1))
		}
		return want
	}
	pages := map[int]map[string]any{}
	var wantPages []int
	var want []any
	for page := start; ; page++ {
		pages[page] = answer(page)
		records := pages[page][recordsKey].([]any)
		wantPages = append(wantPages, page)
		want = append(want, records...)
		pagination := pages[page][paginationKey].(map[string]any)
		if len(records) == 0 || !infinite && page == start+1 ||
			infinite && float64(len(records)) < pagination["page_size"].(float64) {
			break
		}
	}
	c.srv.answer(func(r *http.Request) (int, []byte) {
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil || pages[page] == nil {
			return http.StatusTeapot, nil // and the request check fails
		}
		return c.op.Status, mustJSON(t, pages[page])
	})
	client := c.srv.client(t, true, c.n)
	seq := c.method(t, client, c.op.Method+"Iter").Call(append([]reflect.Value{reflect.ValueOf(t.Context())}, a.in...))[0]
	var got []any
	var errs []error
	yield := reflect.MakeFunc(seq.Type().In(0), func(in []reflect.Value) []reflect.Value {
		if !in[1].IsNil() {
			errs = append(errs, in[1].Interface().(error))
		} else {
			got = append(got, reencode(t, in[0].Interface()))
		}
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	c.n.add(func(n *conformanceCounts) { n.walks++ })
	require.Empty(t, errs)

	reqs := c.srv.requests()
	var asked []int
	for _, r := range reqs {
		page := r.URL.Query().Get("page")
		p, _ := strconv.Atoi(page)
		asked = append(asked, p)
		pa := a
		pa.query = url.Values{}
		for k, v := range a.query {
			pa.query[k] = v
		}
		pa.query.Set("page", page)
		c.checkRequest(t, r, pa)
	}
	slices.Sort(asked)
	require.Equal(t, wantPages, asked, "the pages asked for")
	require.Len(t, got, len(want), "records yielded")
	items := c.co.result.Value.Properties[recordsKey].Value.Items
	for i := range want {
		diffs := synth.Diff(items, want[i], got[i], true)
		assert.Empty(t, diffs, "record %d written back differs from the answer", i)
	}
}

// conformanceServer plays the API: it records each request and answers as
// the test says.
type conformanceServer struct {
	srv *httptest.Server
	tr  *http.Transport

	mu      sync.Mutex
	respond func(*http.Request) (int, []byte)
	reqs    []recordedRequest
}

func newConformanceServer(t *testing.T) *conformanceServer {
	s := &conformanceServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.tr = freshTransport(t) // its idle connections close before the server does
	return s
}

func (s *conformanceServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || len(body) == 0 {
		body = nil
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, recordedRequest{Method: r.Method, URL: *r.URL, Header: r.Header.Clone(), Body: body})
	respond := s.respond
	s.mu.Unlock()
	status, out := respond(r)
	if out != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// answer sets how the server answers from now on, and forgets the
// requests so far.
func (s *conformanceServer) answer(f func(*http.Request) (int, []byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.respond, s.reqs = f, nil
}

func (s *conformanceServer) requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// client is an APIClient for the server, with no retries, whose requests
// are all validated against the contract, and the responses too when
// checkResponse; n counts them as the test ends.
func (s *conformanceServer) client(t *testing.T, checkResponse bool, n *conformanceCounts) *arthur.APIClient {
	cfg := arthur.NewConfiguration()
	cfg.Host = s.srv.URL
	cfg.AllowInsecureHTTP = true
	cfg.AccessToken = testToken
	cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
	if checkResponse {
		tr := oas.NewTransport(t, s.tr)
		cfg.HTTPClient = &http.Client{Transport: tr}
		t.Cleanup(func() {
			n.add(func(n *conformanceCounts) { n.requests += int(tr.Checked()); n.responses += int(tr.Checked()) })
		})
	} else {
		tr := &countingTransport{next: requestOnly(t, s.tr)}
		cfg.HTTPClient = &http.Client{Transport: tr}
		t.Cleanup(func() { n.add(func(n *conformanceCounts) { n.requests += tr.count() }) })
	}
	return arthur.NewAPIClient(cfg)
}
