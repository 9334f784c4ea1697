package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// variants is how many variants the tests make of each schema: enough for
// every possibility at a point (at most 6, an untyped value's) to come up.
const variants = 24

// fixture has what the contract does not use yet but the whole platform
// may: integer bounds, exclusive bounds, maps, propertyNames, allOf,
// const, a three-way anyOf, a type list, uniqueItems,
// minItems/maxItems, string lengths, free-form and recursive objects, and
// additionalProperties: false.
const fixture = `{
 "openapi": "3.1.0",
 "info": {"title": "synth fixture", "version": "1"},
 "paths": {},
 "components": {"schemas": {
  "Kind": {"type": "string", "enum": ["a", "b", "c", "d"]},
  "Leaf": {"type": "object", "required": ["id"], "properties": {
    "id": {"type": "string", "format": "uuid4"},
    "at": {"type": "string", "format": "date-time"}}},
  "Other": {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer", "minimum": 0}}},
  "Everything": {"type": "object",
   "required": ["kind", "union", "bounded", "page_size", "map", "ids", "tags", "name", "const", "when", "email"],
   "properties": {
    "kind": {"$ref": "#/components/schemas/Kind"},
    "union": {"anyOf": [{"$ref": "#/components/schemas/Leaf"}, {"$ref": "#/components/schemas/Other"}, {"type": "null"}]},
    "maybe_kind": {"anyOf": [{"$ref": "#/components/schemas/Kind"}, {"type": "null"}]},
    "typelist": {"type": ["integer", "null"], "minimum": -5, "maximum": 5},
    "bounded": {"type": "integer", "minimum": 1, "maximum": 1000},
    "exclusive": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
    "only_max": {"type": "integer", "maximum": -100},
    "unbounded": {"type": "integer"},
    "ratio": {"type": "number", "minimum": 0, "maximum": 1},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20},
    "map": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 3}},
    "by_id": {"type": "object", "additionalProperties": {"type": "string"}, "propertyNames": {"format": "uuid"}},
    "free": {"type": "object", "additionalProperties": true},
    "untyped": {},
    "ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
    "tags": {"type": "array", "uniqueItems": true, "minItems": 1, "maxItems": 3, "items": {"$ref": "#/components/schemas/Kind"}},
    "name": {"type": "string", "minLength": 3, "maxLength": 8},
    "const": {"type": "string", "const": "fixed"},
    "when": {"type": "string", "format": "date-time"},
    "day": {"type": "string", "format": "date"},
    "email": {"type": "string", "format": "email"},
    "flag": {"type": "boolean"},
    "secret": {"type": "string", "format": "password", "writeOnly": true},
    "server_side": {"type": "string", "readOnly": true},
    "closed": {"type": "object", "additionalProperties": false, "properties": {"x": {"type": "string"}}},
    "merged": {"allOf": [{"$ref": "#/components/schemas/Leaf"}, {"$ref": "#/components/schemas/Other"}]},
    "tree": {"$ref": "#/components/schemas/Tree"}
   }},
  "Tree": {"type": "object", "required": ["value"], "properties": {
    "value": {"type": "integer"},
    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}}
 }}
}`

// legacyFixture is OpenAPI 3.0's way of saying null and exclusive bounds.
const legacyFixture = `{
 "openapi": "3.0.3",
 "info": {"title": "synth 3.0 fixture", "version": "1"},
 "paths": {},
 "components": {"schemas": {
  "Legacy": {"type": "object", "required": ["name", "count"], "properties": {
    "name": {"type": "string", "nullable": true},
    "count": {"type": "integer", "minimum": 0, "maximum": 10, "exclusiveMinimum": true, "exclusiveMaximum": true},
    "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1}}}
 }}
}`

func load(t *testing.T, spec string) *openapi3.T {
	t.Helper()
	_, err := oas.Load() // defines the uuid, uuid4 and email formats
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc
}

func loadFixture(t *testing.T) *openapi3.T { return load(t, fixture) }

// schemas are every component schema of the fixtures and of the contract,
// with the validation of their document's version.
func schemas(t *testing.T) map[string]schema {
	t.Helper()
	out := map[string]schema{}
	for name, s := range loadFixture(t).Components.Schemas {
		out["fixture/"+name] = schema{s, true}
	}
	for name, s := range load(t, legacyFixture).Components.Schemas {
		out["3.0 fixture/"+name] = schema{s, false}
	}
	for name, s := range oas.MustLoad(t).Doc.Components.Schemas {
		out["contract/"+name] = schema{s, true}
	}
	return out
}

type schema struct {
	*openapi3.SchemaRef
	v31 bool
}

// validate checks v against s as openapi3filter does: with JSON Schema
// 2020-12 for a 3.1 document (in which {} takes null too), with
// kin-openapi's own validator for 3.0.
func (s schema) validate(v any) error {
	if s.v31 {
		return s.Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
	}
	return s.Value.VisitJSON(v)
}

func validate(s *openapi3.SchemaRef, v any) error { return schema{s, true}.validate(v) }

// contractVariants is how many variants TestValuesValidate checks of each
// schema of the contract, turning through the options: validating one
// takes a millisecond or two (kin-openapi compiles the schema each time),
// and each union branch, enum value and optional property of the contract
// is met in many schemas, and in every operation of TestConformance.
const contractVariants = 8

func TestValuesValidate(t *testing.T) {
	options := []struct {
		name string
		opts []Option
	}{
		{"plain", nil}, {"unknown keys", []Option{WithUnknown()}}, {"request", []Option{ForRequest()}},
		{"request with unknown keys", []Option{ForRequest(), WithUnknown()}},
	}
	checked := 0
	for name, s := range schemas(t) {
		for i, o := range options {
			oname, opts := o.name, o.opts
			request := strings.HasPrefix(oname, "request")
			for v := range variants {
				if strings.HasPrefix(name, "contract/") && (v >= contractVariants || v%len(options) != i) {
					continue
				}
				x := Value(s.SchemaRef, v, opts...)
				if request {
					readOnly := 0
					Walk(s.SchemaRef, x, func(s *openapi3.Schema, v any) {
						if s.ReadOnly {
							readOnly++
						}
					})
					require.Zero(t, readOnly, "%s, %s, variant %d: a readOnly value in a request: %s", name, oname, v, show(x))
					// The JSON Schema validator knows no requests: what it
					// requires of an answer is put back in.
					x = withReadOnly(s.SchemaRef, x)
				}
				require.NoError(t, s.validate(x), "%s, %s, variant %d: %s", name, oname, v, show(x))
				checked++
			}
		}
	}
	t.Logf("%d values validated", checked)
}

// withReadOnly is x, a value ForRequest made, with the required readOnly
// properties its objects leave out.
func withReadOnly(s *openapi3.SchemaRef, x any) any {
	Walk(s, x, func(s *openapi3.Schema, v any) {
		m, ok := v.(map[string]any)
		if !ok || !typesOfIncludeObject(s) || !Fits(&openapi3.SchemaRef{Value: s}, m) {
			return
		}
		for _, r := range s.Required {
			if p := s.Properties[r]; p != nil && p.Value != nil && p.Value.ReadOnly {
				if _, has := m[r]; !has {
					m[r] = Value(p, 0)
				}
			}
		}
	})
	return x
}

func TestValuesAreJSON(t *testing.T) {
	for name, s := range schemas(t) {
		for v := range variants {
			x := Value(s.SchemaRef, v, WithUnknown())
			b, err := json.Marshal(x)
			require.NoError(t, err, name)
			var back any
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, back, x, "%s, variant %d: a value is what encoding/json decodes", name, v)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for name, s := range schemas(t) {
		for v := range 4 {
			assert.Equal(t, Value(s.SchemaRef, v, WithUnknown()), Value(s.SchemaRef, v, WithUnknown()), name)
		}
	}
	s := loadFixture(t).Components.Schemas["Everything"]
	assert.NotEqual(t, Value(s, 1), Value(s, 2), "variants differ")
}

// seen collects, over the variants, what each property of Everything was.
func seen(t *testing.T, opts ...Option) map[string][]any {
	t.Helper()
	s := loadFixture(t).Components.Schemas["Everything"]
	out := map[string][]any{}
	for v := range variants {
		x := Value(s, v, opts...).(map[string]any)
		for k := range s.Value.Properties {
			val, ok := x[k]
			if !ok {
				val = "<absent>"
			}
			out[k] = append(out[k], val)
		}
	}
	return out
}

func TestVariantsReachEveryPossibility(t *testing.T) {
	got := seen(t)
	has := func(prop string, pred func(any) bool) bool { return slices.ContainsFunc(got[prop], pred) }
	eq := func(want any) func(any) bool { return func(v any) bool { return fmt.Sprint(v) == fmt.Sprint(want) } }
	isAbsent := eq("<absent>")
	isNull := func(v any) bool { return v == nil }
	object := func(keys ...string) func(any) bool {
		return func(v any) bool {
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			for _, k := range keys {
				if _, ok := m[k]; !ok {
					return false
				}
			}
			return true
		}
	}

	for _, k := range []string{"a", "b", "c", "d"} {
		assert.True(t, has("kind", eq(k)), "enum value %s", k)
	}
	assert.True(t, has("union", object("id")), "anyOf branch Leaf")
	assert.True(t, has("union", object("count")), "anyOf branch Other")
	assert.True(t, has("union", isNull), "anyOf null branch")
	assert.True(t, has("maybe_kind", isNull) && has("maybe_kind", eq("b")) && has("maybe_kind", isAbsent), "maybe_kind")
	assert.True(t, has("typelist", isNull) && has("typelist", func(v any) bool { _, ok := v.(float64); return ok }), "type list")
	for _, b := range []float64{1, 1000, 500} {
		assert.True(t, has("bounded", eq(b)), "bounded %v", b)
	}
	assert.True(t, has("exclusive", eq(1.0)) && has("exclusive", eq(9.0)), "exclusive bounds: %v", got["exclusive"])
	assert.True(t, has("only_max", eq(-100.0)), "maximum alone: %v", got["only_max"])
	assert.True(t, has("unbounded", eq(0.0)) && has("unbounded", func(v any) bool { f, _ := v.(float64); return f < 0 }), "unbounded: %v", got["unbounded"])
	for _, n := range []int{0, 1, 2} {
		assert.True(t, has("ids", func(v any) bool { a, ok := v.([]any); return ok && len(a) == n }), "%d ids", n)
		assert.True(t, has("map", func(v any) bool { m, ok := v.(map[string]any); return ok && len(m) == n }), "map of %d", n)
	}
	assert.True(t, has("flag", eq(true)) && has("flag", eq(false)), "booleans")
	assert.True(t, has("when", func(v any) bool { return strings.HasSuffix(v.(string), "Z") }) &&
		has("when", func(v any) bool { return strings.HasSuffix(v.(string), "+00:00") }) &&
		has("when", func(v any) bool { return strings.HasSuffix(v.(string), "-05:30") }), "date-time forms: %v", got["when"])
	assert.True(t, has("untyped", object()) && has("untyped", eq(false)) && has("untyped", func(v any) bool { _, ok := v.([]any); return ok }),
		"untyped: %v", got["untyped"])
	assert.False(t, has("untyped", isNull), "untyped is never null: %v", got["untyped"])
	for _, k := range []string{"maybe_kind", "typelist", "flag", "day", "tree", "free"} {
		assert.True(t, has(k, isAbsent), "optional %s left out", k)
		assert.False(t, isAbsent(got[k][0]), "variant 0 has optional %s", k)
	}
	assert.True(t, has("name", func(v any) bool { return strings.HasPrefix(v.(string), "Zoë") }), "a string with escapes: %v", got["name"])
	assert.False(t, has("name", eq("")), "a required string is never empty")
	assert.True(t, has("server_side", eq("")), "an optional one may be: %v", got["server_side"])

	// Every value of every format is well formed.
	uuid4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, id := range got["ids"] {
		for _, x := range id.([]any) {
			assert.Regexp(t, uuid4, x)
		}
	}
	for _, w := range got["when"] {
		_, err := time.Parse(time.RFC3339Nano, w.(string))
		assert.NoError(t, err)
	}
	for _, m := range got["by_id"] {
		if m, ok := m.(map[string]any); ok {
			for k := range m {
				assert.Regexp(t, uuid4, k, "propertyNames")
			}
		}
	}
}

func TestLegacyNullableAndBounds(t *testing.T) {
	s := load(t, legacyFixture).Components.Schemas["Legacy"]
	var names, counts []any
	for v := range variants {
		x := Value(s, v).(map[string]any)
		names, counts = append(names, x["name"]), append(counts, x["count"])
	}
	assert.Contains(t, names, nil, "nullable: true gives null")
	assert.Contains(t, counts, 1.0)
	assert.Contains(t, counts, 9.0)
	assert.NotContains(t, counts, 0.0)
	assert.NotContains(t, counts, 10.0)
}

func TestForRequestLeavesOutReadOnly(t *testing.T) {
	for _, v := range seen(t, ForRequest())["server_side"] {
		assert.Equal(t, "<absent>", v)
	}
	assert.NotEqual(t, "<absent>", seen(t)["server_side"][0])
	assert.NotEqual(t, "<absent>", seen(t, ForRequest())["secret"][0], "writeOnly is sent")
}

func TestRecursionEnds(t *testing.T) {
	s := loadFixture(t).Components.Schemas["Tree"]
	depth := func(x any) int {
		var d func(any) int
		d = func(x any) int {
			best := 0
			for _, c := range x.(map[string]any)["children"].([]any) {
				best = max(best, d(c))
			}
			return best + 1
		}
		if _, ok := x.(map[string]any)["children"]; !ok {
			return 1
		}
		return d(x)
	}
	assert.LessOrEqual(t, depth(Value(s, 0)), softDepth+1)
}

// unknownKeys counts the objects of x with UnknownKey and without.
func unknownKeys(s *openapi3.SchemaRef, x any) (with, without int) {
	Walk(s, x, func(s *openapi3.Schema, v any) {
		m, ok := v.(map[string]any)
		if !ok || !typesOfIncludeObject(s) || !admitsUnknown(s) || !Fits(&openapi3.SchemaRef{Value: s}, m) {
			return
		}
		if _, ok := m[UnknownKey]; ok {
			with++
		} else {
			without++
		}
	})
	return with, without
}

func typesOfIncludeObject(s *openapi3.Schema) bool {
	return slices.Contains(typesOf(s), openapi3.TypeObject)
}

func TestWithUnknown(t *testing.T) {
	for name, ss := range schemas(t) {
		s := ss.SchemaRef
		for v := range variants {
			x := Value(s, v, WithUnknown())
			with, without := unknownKeys(s, x)
			assert.Zero(t, without, "%s, variant %d: every object has the unknown key: %s", name, v, show(x))
			if typesOfIncludeObject(s.Value) && admitsUnknown(s.Value) {
				assert.Positive(t, with, "%s, variant %d", name, v)
			}
			with, _ = unknownKeys(s, Value(s, v))
			assert.Zero(t, with, "%s: no unknown key without the option", name)
		}
	}
	closed := loadFixture(t).Components.Schemas["Everything"].Value.Properties["closed"]
	for v := range variants {
		assert.NotContains(t, Value(closed, v, WithUnknown()), UnknownKey, "additionalProperties: false")
	}
}

// An unknown enum value breaks the schema: the option does what it says,
// and the validator used everywhere else does see enums.
func TestWithUnknownEnum(t *testing.T) {
	for name, ss := range schemas(t) {
		s := ss.SchemaRef
		checked, refused := 0, 0
		for v := range variants {
			if checked == 2 {
				break // enough: validating every variant takes seconds
			}
			x := Value(s, v, WithUnknownEnum())
			unknown := 0
			Walk(s, x, func(_ *openapi3.Schema, v any) {
				if IsUnknownEnum(v) {
					unknown++
				}
			})
			if unknown > 0 {
				checked++
				err := ss.validate(x)
				if err != nil {
					refused++
				}
				if len(s.Value.Enum) > 0 {
					assert.Error(t, err, "%s, variant %d: %s", name, v, show(x))
				}
			}
		}
		if len(s.Value.Enum) > 0 && allStrings(s.Value.Enum) {
			assert.Positive(t, checked, name)
		}
		// An unknown value under a union with a free-form branch still
		// validates; one of a few variants does not.
		if checked > 0 {
			assert.Positive(t, refused, "%s: the validator took every unknown enum value", name)
		}
	}
}

// The validator this package is checked with refuses what it should, or
// TestValuesValidate proves nothing.
func TestValidatorRefusesBadValues(t *testing.T) {
	all := loadFixture(t).Components.Schemas
	every := all["Everything"]
	good := Value(every, 0).(map[string]any)
	require.NoError(t, validate(every, good))
	bad := map[string]any{
		"kind": "z", "bounded": 1001.0, "exclusive": 10.0, "page_size": 0.0, "name": "ab",
		"tags": []any{}, "const": "other", "when": "2025-01-01T00:00:00", "email": "nope",
		"ids": []any{"not-a-uuid"}, "union": map[string]any{"count": -1.0},
		"map": map[string]any{"k": 2.0}, "closed": map[string]any{"y": "z"},
	}
	for k, v := range bad {
		x := make(map[string]any, len(good))
		for k, v := range good {
			x[k] = v
		}
		x[k] = v
		assert.Error(t, validate(every, x), "%s: %v", k, v)
	}
	x := Value(all["Leaf"], 0).(map[string]any)
	x["id"] = "0b8e2a4c-1d3f-1a5b-8c7d-9e0f1a2b3c4d" // version 1
	assert.Error(t, validate(all["Leaf"], x), "uuid4 wants version 4")
}

func TestDiff(t *testing.T) {
	c := oas.MustLoad(t).Doc.Components.Schemas
	user := c["User"]
	want := Value(user, 0, WithUnknown()).(map[string]any)
	copyOf := func(m map[string]any, kv ...any) map[string]any {
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "<delete>" {
				delete(out, kv[i].(string))
				continue
			}
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	got := copyOf(want, UnknownKey, "<delete>")
	assert.Empty(t, Diff(user, want, got, true), "an unknown key may be dropped")
	assert.Empty(t, Diff(user, want, want, true))

	at := "2025-03-04T05:06:07.5+02:00"
	assert.Empty(t, Diff(user, copyOf(want, "created_at", at), copyOf(got, "created_at", "2025-03-04T03:06:07.500Z"), true),
		"the same instant")
	assert.NotEmpty(t, Diff(user, copyOf(want, "created_at", at), copyOf(got, "created_at", "2025-03-04T05:06:07.5Z"), true))

	noEmail := copyOf(want, "email", "<delete>")
	assert.Empty(t, Diff(user, noEmail, copyOf(got, "email", nil), true), "absent read as null")
	assert.NotEmpty(t, Diff(user, noEmail, copyOf(got, "email", nil), false), "strict: absent is not null")
	assert.NotEmpty(t, Diff(user, noEmail, copyOf(got, "email", "a@example.com"), true))
	assert.NotEmpty(t, Diff(user, want, copyOf(got, "first_name", "changed"), true))
	assert.NotEmpty(t, Diff(user, want, copyOf(got, "id", "<delete>"), true))
	assert.NotEmpty(t, Diff(user, want, copyOf(got, "extra", 1.0), true))
	assert.NotEmpty(t, Diff(user, want, copyOf(got, "organization_name", nil), true), "required, not nullable")

	p := c["Pagination"]
	assert.Empty(t, Diff(p, map[string]any{"total_pages": 1.0, "total_records": 2.0},
		map[string]any{"page": 1.0, "page_size": 20.0, "total_pages": 1.0, "total_records": 2.0}, true), "defaults")
	assert.NotEmpty(t, Diff(p, map[string]any{"total_pages": 1.0, "total_records": 2.0},
		map[string]any{"page": 2.0, "total_pages": 1.0, "total_records": 2.0}, true))

	creds := c["SensitiveUser"].Value.Properties["credentials"]
	assert.Empty(t, Diff(creds, map[string]any{"password": "p"}, map[string]any{"password": "p"}, true), "anyOf")
	assert.NotEmpty(t, Diff(creds, map[string]any{"password": "p"}, map[string]any{"client_id": "c", "client_secret": "p"}, true))

	free := loadFixture(t).Components.Schemas["Everything"].Value.Properties["free"]
	assert.NotEmpty(t, Diff(free, map[string]any{"a": 1.0}, map[string]any{}, true), "a map keeps its entries")
	assert.NotEmpty(t, Diff(nil, []any{1.0, "x"}, []any{1.0}, true))
	assert.Empty(t, Diff(nil, []any{1.0, map[string]any{"x": nil}}, []any{1.0, map[string]any{"x": nil}}, true))
}

// A tally steers each union to the branches it has chosen least: n values
// of a union of n branches hold each of them.
func TestWithTally(t *testing.T) {
	spec := oas.MustLoad(t).Doc.Components.Schemas["Job"].Value.Properties["job_spec"]
	n := len(spec.Value.AnyOf)
	require.Greater(t, n, 10)
	tally := &Tally{}
	for v := range n {
		Value(spec, v, WithTally(tally))
	}
	for i := range n {
		assert.Equal(t, 1, tally.Chosen[spec.Value][i], "branch %d", i)
	}
	untallied := map[int]bool{}
	for v := range n {
		x := Value(spec, v)
		for i, b := range spec.Value.AnyOf {
			if Fits(b, x) {
				untallied[i] = true
				break
			}
		}
	}
	assert.Less(t, len(untallied), n, "without a tally, the variants alone do not reach every branch in %d values", n)
}

func TestWithUnknownTags(t *testing.T) {
	spec := oas.MustLoad(t).Doc.Components.Schemas["Job"].Value.Properties["job_spec"]
	tagged := 0
	for v := range variants {
		x, ok := Value(spec, v, WithUnknownTags()).(map[string]any)
		if !ok {
			continue // the null branch
		}
		assert.True(t, strings.HasPrefix(x["job_type"].(string), UnknownTagPrefix), "variant %d: %s", v, show(x))
		assert.Error(t, validate(spec, x), "an unknown tag breaks the schema")
		tagged++
		if y, ok := Value(spec, v).(map[string]any); ok {
			tag, _ := y["job_type"].(string) // optional in some branches
			assert.False(t, strings.HasPrefix(tag, UnknownTagPrefix), "not without the option")
		}
	}
	assert.Positive(t, tagged)
}

func TestWithSiblings(t *testing.T) {
	rule := oas.MustLoad(t).Doc.Components.Schemas["RuleResponse"]
	values := map[string]string{
		"#/components/schemas/KeywordsConfig": "KeywordRule", "#/components/schemas/RegexConfig": "RegexRule",
		"#/components/schemas/ExamplesConfig": "ModelSensitiveDataRule", "#/components/schemas/ToxicityConfig": "ToxicityRule",
		"#/components/schemas/PIIConfig": "PIIDataRule",
	}
	siblings := WithSiblings(map[*openapi3.Schema][]Sibling{rule.Value: {{Union: "config", Tag: "type", Values: values}}})
	tally := &Tally{}
	config := rule.Value.Properties["config"]
	for v := range variants {
		x := Value(rule, v, siblings, WithTally(tally)).(map[string]any)
		c, ok := x["config"].(map[string]any)
		if !ok {
			continue
		}
		named := false
		for _, b := range config.Value.AnyOf {
			if values[b.Ref] == x["type"] {
				named = true
				assert.True(t, Fits(b, c), "variant %d: type %v names %s, config is %s", v, x["type"], b.Ref, show(c))
			}
		}
		assert.True(t, named, "variant %d: type %v names no branch", v, x["type"])
		require.NoError(t, validate(rule, x))
		u := Value(rule, v, siblings, WithUnknownTags()).(map[string]any)
		assert.True(t, strings.HasPrefix(u["type"].(string), UnknownTagPrefix), "variant %d: %s", v, show(u))
	}
	for i, b := range config.Value.AnyOf {
		assert.Positive(t, tally.Chosen[config.Value][i], "branch %s", b.Ref)
	}
}
