package arthur

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// FuzzModels holds the decoder of every model of the registry to the
// reference decoder (reference_test.go): the first byte of the input picks
// the model, the rest is JSON. The SDK's UnmarshalJSON, and encoding/json
// calling it, must fail where the reference fails and decode what it
// decodes. A value decoded must also encode (encode_fuzz_test.go's checks:
// what encoding/json writes for it, by its MarshalJSON and by its struct
// tags) and decode again to itself.
//
// Its seeds are a sample of each model, and a few samples, spoilt in a
// few ways, of each union and each model that holds one: each branch, an
// unknown tag, an absent one, nested recursion. TestModelSamples runs many
// more, each model's samples with each of the ways decodeSeeds spoils
// them, which would slow the fuzzing's start.
func FuzzModels(f *testing.F) {
	spec := specOf(f)
	pick := newModelPicker(spec.models)
	framework := realSamples(f, spec)
	for _, m := range spec.models {
		seeds := decodeSeeds(spec, m, false)
		if !spec.holdsUnion(m.typ) {
			seeds = seeds[3:4] // null, {} and [] before it: the generic paths, which the unions' seeds take
		}
		for _, s := range append(seeds, framework[m]...) {
			f.Add(append(pick.prefix(m), s...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, in, ok := pick.pick(data)
		if ok {
			checkModel(t, spec, m, in)
		}
	})
}

// TestModelSamples runs FuzzModels's checks on every sample decodeSeeds
// makes of each model.
func TestModelSamples(t *testing.T) {
	spec := specOf(t)
	framework := realSamples(t, spec)
	for _, m := range spec.models {
		t.Run(m.reg.schema, func(t *testing.T) {
			for _, s := range append(decodeSeeds(spec, m, true), framework[m]...) {
				checkModel(t, spec, m, []byte(s))
			}
		})
	}
}

// realSamples are inputs in the shapes the API's framework writes them,
// beside the samples made from the spec: FastAPI's 422 bodies.
func realSamples(tb testing.TB, spec *refSpec) map[*refModel][]string {
	var bodies []string
	for _, s := range validationErrorSeeds {
		bodies = append(bodies, `{"detail":[`+s+`]}`)
	}
	out := map[*refModel][]string{}
	for schema, samples := range map[string][]string{"ValidationError": validationErrorSeeds, "HTTPValidationError": bodies} {
		m := spec.byName[schema]
		if m == nil {
			tb.Fatalf("realSamples: api/openapi.json has no %s", schema)
		}
		out[m] = samples
	}
	return out
}

// checkModel decodes in as m, and encodes and decodes again what it
// decoded.
func checkModel(t *testing.T, spec *refSpec, m *refModel, in []byte) {
	t.Helper()
	if v, ok := checkDecode(t, spec, m, in); ok && !isJSONNull(in) {
		checkRoundTrip(t, spec, m, v)
	}
}

// specOf is the reference's reading of api/openapi.json, for a test.
func specOf(tb testing.TB) *refSpec {
	tb.Helper()
	s, err := loadSpec()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// checkDecode decodes in as m with the SDK, as encoding/json does it
// (through UnmarshalJSON) and with the reference: all must fail, or all
// decode the same value, which it returns (a *T) with ok true.
func checkDecode(t *testing.T, spec *refSpec, m *refModel, in []byte) (v any, ok bool) {
	t.Helper()
	want, wantErr := spec.decode(m, in)

	input := bytes.Clone(in)
	got := m.reg.newValue()
	gotErr := sdkUnmarshal(got, input)
	clobber(input) // nothing decoded may point into the input
	viaJSON := m.reg.newValue()
	jsonErr := json.Unmarshal(in, viaJSON)

	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%s: reference err=%v, SDK err=%v, input %s", m.reg.schema, wantErr, gotErr, jsonOf(in))
	}
	if (wantErr == nil) != (jsonErr == nil) {
		t.Fatalf("%s: reference err=%v, encoding/json with UnmarshalJSON err=%v, input %s", m.reg.schema, wantErr, jsonErr, jsonOf(in))
	}
	if wantErr != nil {
		return nil, false
	}
	if d := diffValues(want.Elem(), reflect.ValueOf(got).Elem()); d != "" {
		t.Fatalf("%s: the SDK decodes otherwise than the reference, input %s\n%s (reference, SDK)", m.reg.schema, jsonOf(in), d)
	}
	if d := diffValues(want.Elem(), reflect.ValueOf(viaJSON).Elem()); d != "" {
		t.Fatalf("%s: encoding/json with UnmarshalJSON decodes otherwise than the reference, input %s\n%s", m.reg.schema, jsonOf(in), d)
	}
	return got, true
}

// checkRoundTrip encodes v, a *T that decoding made, as encoding/json
// would, and decodes it again: the SDK and the reference both, to v when
// the reference takes the JSON (v as it comes back from the wire: a
// pointer to the zero time, which omitzero leaves out, nil). (A value decoded from JSON with nulls in
// it, a zero record for a null element, may encode to JSON that no longer
// decodes; then the SDK must refuse it too.)
func checkRoundTrip(t *testing.T, spec *refSpec, m *refModel, v any) {
	t.Helper()
	data, ok := checkEncode(t, spec, m, reflect.ValueOf(v).Elem())
	if !ok {
		return
	}
	back, ok := checkDecode(t, spec, m, data)
	if !ok {
		return
	}
	if d := diffValues(spec.wireValue(reflect.ValueOf(v).Elem()), reflect.ValueOf(back).Elem()); d != "" {
		t.Fatalf("%s: encoded as %s, decodes to another value\n%s (before, after)", m.reg.schema, jsonOf(data), d)
	}
}

// sdkUnmarshal decodes data into v, a *T of the registry, as the SDK
// does: through UnmarshalJSON, or for an enum, which has none, with its
// decoder as a model's decoder calls it, null first.
func sdkUnmarshal(v any, data []byte) error {
	if u, ok := v.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(data)
	}
	d := v.(jsonDecoder)
	return decodeAll(data, func(r *reader) {
		if !r.null() {
			d.decodeJSON(r)
		}
	})
}

// modelPicker picks a model by the first byte of a fuzz input (two bytes
// when there are more models than a byte tells apart). Each model stands
// at a point of a ring, found by a hash of its schema name, and takes the
// bytes from the point before it: so that a model added to the spec leaves
// most committed inputs with the model they had.
type modelPicker struct {
	width  int         // bytes
	points []int       // sorted
	models []*refModel // at points[i]
}

func newModelPicker(models []*refModel) *modelPicker {
	p := &modelPicker{width: 1}
	if len(models) > 256 {
		p.width = 2
	}
	ring := 1 << (8 * p.width)
	if len(models) > ring {
		panic("more models than two bytes tell apart")
	}
	byName := slices.Clone(models)
	sort.Slice(byName, func(i, j int) bool { return byName[i].reg.schema < byName[j].reg.schema })
	taken := map[int]*refModel{}
	for _, m := range byName {
		h := fnv.New32a()
		h.Write([]byte(m.reg.schema))
		at := int(h.Sum32() % uint32(ring))
		for taken[at] != nil {
			at = (at + 1) % ring
		}
		taken[at] = m
		p.points = append(p.points, at)
	}
	sort.Ints(p.points)
	for _, at := range p.points {
		p.models = append(p.models, taken[at])
	}
	return p
}

// pick returns the model data's first byte(s) pick, and the rest of data.
func (p *modelPicker) pick(data []byte) (*refModel, []byte, bool) {
	if len(data) < p.width || len(p.models) == 0 {
		return nil, nil, false
	}
	sel := int(data[0])
	if p.width == 2 {
		sel = sel<<8 | int(data[1])
	}
	i := sort.SearchInts(p.points, sel)
	if i == len(p.points) {
		i = 0
	}
	return p.models[i], data[p.width:], true
}

// prefix is the byte(s) that pick m.
func (p *modelPicker) prefix(m *refModel) []byte {
	for i, pm := range p.models {
		if pm == m {
			if p.width == 2 {
				return []byte{byte(p.points[i] >> 8), byte(p.points[i])}
			}
			return []byte{byte(p.points[i])}
		}
	}
	panic("prefix: " + m.reg.schema + " is not among the models picked")
}

// stringStyle is how the seeds write the strings of a sample: a date-time
// and any other string, as JSON.
type stringStyle struct{ dateTime, other string }

// stringStyles are the ways the seeds write strings: plainly, with every
// kind of escape, with invalid UTF-8 and a lone surrogate, and in the other
// date-time shapes parseTimestamp takes or refuses.
var stringStyles = []stringStyle{
	{`"2025-01-01T10:11:12.123456Z"`, `"Ada"`},
	{`"2025-01-02T10:11:12\u002e5+02:00"`, `"A\u0064a \"the\" \\ \/ \b\f\n\r\t \ud83d\ude00 \u00e9 日本"`},
	{`"2025-01-01T10:11:12"`, "\"A\xffda\xc3\""},
	{`"2024-02-29T23:59:59,5Z"`, `"\ud800 lone \udc00"`},
	{`"2025-02-29T10:11:12Z"`, `"<a href='x'>&amp;</a> \u2028"`},
	{`"2025-01-01t10:11:12z"`, `""`},
	{`"2025-01-01T10:11:12.123456789-07:30"`, `"\u0000"`},
}

// sampler writes sample JSON values of the spec's schemas.
type sampler struct {
	spec   *refSpec
	style  stringStyle
	branch int // the branch a union's sample takes
	step   int // how far the branch moves for each union met: for a recursion through unions of two types
	moved  int
}

// pick is the branch of n a union's sample takes.
func (g *sampler) pick(n int) int {
	i := ((g.branch+g.moved)%n + n) % n
	g.moved += g.step
	return i
}

// sample is a value of sch as JSON: every property of an object, one
// element of each kind in an array.
func (g *sampler) sample(sch *refSchema, depth int) string {
	if sch == nil {
		return `{"a":[1,2.5e-3,-0,true,false,null,"x"],"b":{}}`
	}
	if depth > 6 {
		return g.minimal(sch, nil)
	}
	if sch.Ref != "" {
		return g.sample(g.spec.schemas[strings.TrimPrefix(sch.Ref, "#/components/schemas/")], depth+1)
	}
	if len(sch.Const) > 0 {
		return string(sch.Const)
	}
	if len(sch.Enum) > 0 {
		return string(sch.Enum[0])
	}
	if len(sch.AnyOf) > 0 {
		if n := sch.nonNull(); n != sch {
			return g.sample(n, depth)
		}
		return g.sample(sch.AnyOf[g.pick(len(sch.AnyOf))], depth)
	}
	switch t := sch.types(); {
	case len(t) == 0:
		return g.sample(nil, depth)
	case t[0] == "string" && sch.Format == "date-time":
		return g.style.dateTime
	case t[0] == "string":
		return g.style.other
	case t[0] == "integer":
		return "3"
	case t[0] == "number":
		return "2.5"
	case t[0] == "boolean":
		return "true"
	case t[0] == "null":
		return "null"
	case t[0] == "array":
		var items []string
		if sch.Items != nil && len(sch.Items.AnyOf) > 1 {
			for _, b := range sch.Items.AnyOf {
				items = append(items, g.sample(b, depth+1))
			}
		} else {
			items = append(items, g.sample(sch.Items, depth+1))
		}
		return "[" + strings.Join(items, ",") + "]"
	case t[0] == "object" && len(sch.Properties) > 0:
		return object(g.pairs(sch, depth+1))
	case t[0] == "object":
		if v := sch.values(); v != nil {
			return `{"k":` + g.sample(v, depth+1) + `}`
		}
		return `{"reason":"x","limit":1000,"list":[1,"a"],"ok":true,"<a href>&\u2028\b\ud800":"key"}`
	}
	return g.sample(nil, depth)
}

// minimal is the least value of sch: an object's required properties
// alone, an empty array or map, a union's first branch that does not
// recur; what a sample too deep ends in. Refs are the schemas it is in.
func (g *sampler) minimal(sch *refSchema, refs []string) string {
	if sch == nil {
		return `{}`
	}
	if sch.Ref != "" {
		name := strings.TrimPrefix(sch.Ref, "#/components/schemas/")
		return g.minimal(g.spec.schemas[name], append(refs, name))
	}
	switch {
	case len(sch.Const) > 0:
		return string(sch.Const)
	case len(sch.Enum) > 0:
		return string(sch.Enum[0])
	case len(sch.AnyOf) > 0:
		rest := sch.nonNull().AnyOf
		if len(rest) == 0 {
			return g.minimal(sch.nonNull(), refs)
		}
		for _, b := range rest {
			if !slices.Contains(refs, strings.TrimPrefix(b.Ref, "#/components/schemas/")) {
				return g.minimal(b, refs)
			}
		}
		return "null"
	}
	switch t := sch.types(); {
	case len(t) == 0 || t[0] == "object" && len(sch.Properties) == 0:
		return `{}`
	case t[0] == "array":
		return `[]`
	case t[0] == "object":
		var pairs []pair
		for _, key := range sch.propOrder {
			if slices.Contains(sch.Required, key) {
				pairs = append(pairs, pair{key, g.minimal(sch.Properties[key], refs)})
			}
		}
		return object(pairs)
	}
	return g.sample(sch, 0)
}

// pair is a member of an object, written as JSON.
type pair struct{ key, val string }

// pairs are the members of a sample of the object sch, in the spec's
// order.
func (g *sampler) pairs(sch *refSchema, depth int) []pair {
	var out []pair
	tags := map[string]string{} // of each sibling that tells a union's branch, the branch sampled
	m := g.spec.byName[g.spec.names[sch]]
	for _, key := range sch.propOrder {
		var f *refField
		if m != nil && m.reg.kind == "object" {
			f = m.byKey[key]
		}
		if f == nil || f.union == nil {
			out = append(out, pair{key, g.sample(sch.Properties[key], depth)})
			continue
		}
		u, rest := f.union, f.schema.nonNull().AnyOf
		b := rest[g.pick(len(rest))]
		tag := "another_kind"
		if i := slices.IndexFunc(u.branches, func(br *refBranch) bool {
			return "#/components/schemas/"+br.model.reg.schema == b.Ref
		}); i >= 0 {
			tag = u.tag.tags[i]
		}
		if tag != "" {
			tags[u.tag.key] = strconv.Quote(tag)
		}
		out = append(out, pair{key, g.sample(b, depth)})
	}
	for key, tag := range tags {
		out = withValue(out, key, tag)
	}
	return out
}

func object(pairs []pair) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(p.key))
		b.WriteByte(':')
		b.WriteString(p.val)
	}
	b.WriteByte('}')
	return b.String()
}

// decodeSeeds are JSON inputs for m: samples in several string styles,
// with nulls, with unknown keys, and inputs that are no such object; and
// when all, in every style, with each key in turn left out, null, of the
// wrong type or in capitals, with keys twice, and more.
func decodeSeeds(spec *refSpec, m *refModel, all bool) []string {
	var seeds []string
	add := func(s ...string) { seeds = append(seeds, s...) }
	add(`null`, `{}`, `[]`)
	if all {
		add(` null `, `""`, `1`, `true`, ``, `{`, `{,}`, `{"a":01}`, `{"a":"\x"}`)
	}
	switch m.reg.kind {
	case "enum":
		for _, v := range enumJSON(m) {
			add(v)
			switch {
			case !all:
			case m.typ.Kind() == reflect.Int:
				add(` `+v+"\n", v+".0", v+"e0", "-"+v, `"`+v+`"`)
			case v != `""`:
				add(` `+v+"\n", fmt.Sprintf(`"\u%04x%s`, v[1], v[2:]))
			}
		}
		add(`"robot"`)
		if m.typ.Kind() == reflect.Int {
			add(`7`, `-0`, `1e2`, `99999999999999999999`)
		}
		if all {
			add(`"USER"`, "\"\xff\"", `"\ud800"`, `["user"]`, `{"user":1}`)
		}
		return seeds
	case "union":
		add(unionSamples(spec, m)...)
		var merged []pair
		for i, b := range m.branches {
			g := &sampler{spec: spec, style: stringStyles[0], branch: i}
			pairs := g.pairs(b.model.schema, 1)
			merged = append(merged, pairs...)
			for _, k := range b.keys {
				if all {
					add(object(withValue(pairs, k, "null")), object(without(pairs, k)))
				}
			}
			if m.tag == nil || m.tag.sibling {
				continue
			}
			// Another tag, of no branch or the next one; none; null; no string.
			next := strconv.Quote(m.tag.tags[(i+1)%len(m.tag.tags)])
			add(object(withValue(pairs, m.tag.key, `"another_kind"`)), object(without(pairs, m.tag.key)))
			if all {
				add(object(withValue(pairs, m.tag.key, next)), object(withValue(pairs, m.tag.key, "null")),
					object(withValue(pairs, m.tag.key, "7")), object(append(pairs, pair{m.tag.key, `"another_kind"`})),
					object(withValue(pairs, m.tag.key, `"another_kind"`))+"x", "["+object(withValue(pairs, m.tag.key, `"x"`))+"]")
			}
		}
		add(object(merged))
		if all {
			add(object(reversed(merged)))
		}
		return seeds
	}
	full := (&sampler{spec: spec, style: stringStyles[0]}).pairs(m.schema, 0)
	for i := range m.branchCount(spec) {
		add(object((&sampler{spec: spec, style: stringStyles[0], branch: i}).pairs(m.schema, 0)))
	}
	// A union whose branch a sibling tells: another value of the sibling, for
	// Other (an object, not another JSON type), none (its default, or the
	// keys), null, and no string.
	for _, f := range m.siblingUnions() {
		key := f.union.tag.key
		other := withValue(full, key, `"another_kind"`)
		add(object(other), object(without(full, key)), object(withValue(full, key, "null")),
			object(withValue(other, f.key, `5`)))
		if all {
			add(object(withValue(full, key, "7")), object(withValue(other, f.key, `[{}]`)),
				object(withValue(other, f.key, `"x"`)), object(withValue(other, f.key, `{}`)),
				object(withValue(other, f.key, "null")), object(reversed(other)))
		}
	}
	for i, style := range stringStyles[1:] {
		if all || i < 3 {
			add(object((&sampler{spec: spec, style: style}).pairs(m.schema, 0)))
		}
	}
	var required, nulls, allNull, twice, twiceNullLast, twiceNullFirst []pair
	for _, p := range full {
		f := m.byKey[p.key]
		if f.required {
			required = append(required, p)
		}
		if f.nullable {
			nulls = append(nulls, pair{p.key, "null"})
		} else {
			nulls = append(nulls, p)
		}
		allNull = append(allNull, pair{p.key, "null"})
		twice = append(twice, p, p)
		twiceNullLast = append(twiceNullLast, p, pair{p.key, "null"})
		twiceNullFirst = append(twiceNullFirst, pair{p.key, "null"}, p)
	}
	withExtra := append([]pair{{"extra", `{"a":[1,{"id":1}],"b":"\u0041"}`}}, full...)
	withExtra = append(withExtra, pair{"big", "123456789012345678901234567890"}, pair{"", `""`})
	add(object(required), object(nulls), object(withExtra), object(twiceNullLast))
	if !all {
		return seeds
	}
	add(object(allNull), object(reversed(full)), object(twice), object(twiceNullFirst))
	for _, p := range full {
		wrong := `"x"`
		if strings.HasPrefix(p.val, `"`) {
			wrong = `7`
		}
		upper := strings.ToUpper(p.key[:1]) + p.key[1:]
		add(object(without(full, p.key)), object(withValue(full, p.key, "null")),
			object(withValue(full, p.key, wrong)), object(renamed(full, p.key, upper)),
			object(withValue(full, p.key, `{}`)), object(withValue(full, p.key, `[]`)))
		if strings.HasPrefix(p.val, "[") {
			add(object(withValue(full, p.key, `[null]`)), object(withValue(full, p.key, "["+p.val[1:len(p.val)-1]+","+p.val[1:])))
		}
	}
	whole := object(full)
	var indented bytes.Buffer
	if json.Indent(&indented, []byte(whole), "", "\t ") == nil {
		add(indented.String())
	}
	add(" "+whole+"\n\t", whole+"x", whole+"{}", whole[:len(whole)/2], "["+whole+"]")
	return seeds
}

// branchCount is how many samples of m it takes to show each branch of
// each union among its fields: the most branches of one of them, its
// branch of any object counted.
func (m *refModel) branchCount(spec *refSpec) int {
	n := 1
	for _, f := range m.fields {
		if u := spec.byType[spec.fieldType(m, f)]; u != nil && u.reg.kind == "union" {
			n = max(n, u.arity())
		}
	}
	return n
}

// holdsUnion reports whether a value of type t can hold a union.
func (s *refSpec) holdsUnion(t reflect.Type) bool {
	for u := range s.byType {
		if s.byType[u].reg.kind == "union" && reaches(t, u, map[reflect.Type]bool{}) {
			return true
		}
	}
	return false
}

// arity is how many branches u, a union, has in the spec: its branch of
// any object counted.
func (u *refModel) arity() int {
	if u.free {
		return len(u.branches) + 1
	}
	return len(u.branches)
}

// unionSamples are valid samples of u, a union, three of each branch in
// the spec's order, its branch of any object too: one with that branch for
// each union in it, and ones with the next branch, or the one before, for
// each next union met, so that a recursion through a union of another type
// comes back to u's.
func unionSamples(spec *refSpec, u *refModel) []string {
	var out []string
	for i := range u.arity() {
		for _, step := range []int{0, 1, -1} {
			out = append(out, (&sampler{spec: spec, style: stringStyles[0], branch: i, step: step}).sample(u.schema, 0))
		}
	}
	return out
}

// fieldType is the Go type of f, a field of m, pointers taken off.
func (s *refSpec) fieldType(m *refModel, f *refField) reflect.Type {
	t := m.typ.Field(f.index).Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func without(pairs []pair, key string) []pair {
	return slices.DeleteFunc(slices.Clone(pairs), func(p pair) bool { return p.key == key })
}

func withValue(pairs []pair, key, val string) []pair {
	out := slices.Clone(pairs)
	for i := range out {
		if out[i].key == key {
			out[i].val = val
		}
	}
	return out
}

func renamed(pairs []pair, key, to string) []pair {
	out := slices.Clone(pairs)
	for i := range out {
		if out[i].key == key {
			out[i].key = to
		}
	}
	return out
}

func reversed(pairs []pair) []pair {
	out := slices.Clone(pairs)
	slices.Reverse(out)
	return out
}

// FuzzErrorBody checks that no error body, however broken, makes the error
// decoding panic, and that a decoded model always matches its status.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []string{`{"detail":"x"}`, `{"detail":[{"loc":["body",0],"msg":"m","type":"t"}]}`,
		`{"detail":[{"loc":[1.5]}]}`, `<html>`, ``, `{"detail":null}`, `{"detail":{}}`} {
		for _, code := range []int{400, 404, 409, 422, 500, 502} {
			f.Add(code, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, code int, body []byte) {
		e := &APIError{StatusCode: code, Body: body}
		e.decodeErrorBody()
		_ = e.Error()
		for _, m := range e.Unwrap() {
			_ = m.Error()
		}
	})
}
