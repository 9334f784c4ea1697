// Package synth makes JSON values that a schema of the contract accepts, for
// tests that must reach every operation of the spec without a hand-written
// fixture.
//
// Value is deterministic: the same schema and variant give the same value.
// Variant 0 is the fullest value (every optional property present, the
// first non-null branch of every anyOf, the first value of every enum, two
// items in every array); each other variant chooses, at every point of the
// schema, one of the possibilities there (an optional property present or
// absent, null where the schema allows it, a branch of an anyOf, a value of
// an enum, a bound of an integer, 0 to 2 items of an array, a form of a
// date-time, a string with escapes, an empty one where the property is
// optional), turning through all of them as the variant goes from 1 up: n
// consecutive variants from 1 on give each of a point's n possibilities. The
// choice at a point also depends on where the point is, so that one variant
// mixes the possibilities across a value, and what lies under a choice
// turns n times slower than the choice, so that it is not bound to it (a
// present optional property is null in some variants and not in others).
//
// Values are what encoding/json decodes into an any: map[string]any, []any,
// string, float64, bool and nil.
//
// Not covered yet (the contract uses none of them): pattern, oneOf whose
// branches overlap (a value of one branch may match another), if/then/else,
// prefixItems, contains, dependentRequired, not.
package synth

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// UnknownKey is the key that WithUnknown adds to every object that admits
// unknown keys.
const UnknownKey = "x_synth_unknown"

// UnknownEnumPrefix starts the value that WithUnknownEnum puts in place of a
// string enum's.
const UnknownEnumPrefix = "x_synth_unknown_"

// Option changes what Value makes.
type Option func(*config)

type config struct {
	unknown     bool
	unknownEnum bool
	unknownTag  bool
	request     bool
	siblings    map[*openapi3.Schema][]Sibling
	tally       *Tally
}

// UnknownTagPrefix starts the tag that WithUnknownTags puts in place of a
// union branch's.
const UnknownTagPrefix = "x_synth_unknown_tag_"

// Sibling says that the union in property Union of an object is told
// apart by the object's property Tag: Values is the tag of each branch, by
// the branch's $ref ("#/components/schemas/RegexConfig"). A branch with no
// tag there has a tag that none of Values is.
type Sibling struct {
	Union, Tag string
	Values     map[string]string
}

// WithSiblings makes the tag of each union that a sibling property tells
// apart, in the objects of the schemas given, name the branch Value chose.
func WithSiblings(s map[*openapi3.Schema][]Sibling) Option {
	return func(c *config) { c.siblings = s }
}

// WithUnknownTags puts a tag that no branch has, starting with
// UnknownTagPrefix, in place of the tag of every union whose branches are
// told apart by a const property they all have, or by a sibling
// (WithSiblings): what a server sends once it has added a branch. The
// result breaks the schema, as such an answer breaks the contract.
func WithUnknownTags() Option { return func(c *config) { c.unknownTag = true } }

// Tally counts the branches that Value chose, by union: a test can tell
// which branches its values cover.
type Tally struct {
	Chosen map[*openapi3.Schema]map[int]int
}

// lacks reports whether s is a union with a branch t has not counted.
func (t *Tally) lacks(s *openapi3.Schema) bool {
	if t == nil || s == nil {
		return false
	}
	for i := range len(s.AnyOf) + len(s.OneOf) {
		if t.Chosen[s][i] == 0 {
			return true
		}
	}
	return false
}

// WithTally counts the branches chosen in t, and chooses, at each union,
// a branch that t has counted least often (the variant choosing among
// those): each branch of a union comes up in as few values as there are
// branches. Value is then no longer a function of the schema and variant
// alone, but of the values made before with t too.
func WithTally(t *Tally) Option { return func(c *config) { c.tally = t } }

// WithUnknown adds UnknownKey, with a value of some JSON type, to every
// object whose schema admits keys it does not declare (no
// additionalProperties: false, no schema for additional properties): the
// value stays valid, and a client must ignore the key.
func WithUnknown() Option { return func(c *config) { c.unknown = true } }

// WithUnknownEnum puts a value the enum does not list, starting with
// UnknownEnumPrefix, in place of every string enum's value: what a server
// sends once it has added a value. The result breaks the schema, as such an
// answer breaks the contract.
func WithUnknownEnum() Option { return func(c *config) { c.unknownEnum = true } }

// ForRequest makes a value as a client sends it: readOnly properties are
// left out.
func ForRequest() Option { return func(c *config) { c.request = true } }

// Depths past which a value stops growing: optional properties are left
// out, arrays take their fewest items, null and then the first branch are
// preferred. Past hardDepth (a schema whose required properties recurse for
// ever) the value is null.
const (
	softDepth = 6
	hardDepth = 24
)

// Value returns a value of s for variant (0 or more; a negative variant is
// taken as its absolute value). A nil schema, or one that says nothing, is
// any JSON value.
func Value(s *openapi3.SchemaRef, variant int, opts ...Option) any {
	if variant < 0 {
		variant = -variant
	}
	g := &gen{variant: uint64(variant), chosen: map[string]string{}}
	for _, o := range opts {
		o(&g.cfg)
	}
	return g.value(s, "#", 0, g.variant, false)
}

type gen struct {
	variant uint64
	cfg     config
	chosen  map[string]string // the $ref of the branch chosen, by the union's point
}

// pick chooses one of n possibilities at point for v, the variant as it
// reaches point: 0 for variant 0, and for the variants from 1 on each of
// them in turn, starting at a place that depends on point. What lies under
// the choice is made for v/n.
func pick(point string, n int, v uint64) int {
	if n <= 1 || v == 0 {
		return 0
	}
	return int((v + hash(point)) % uint64(n))
}

// under is the variant for what lies under a choice of n at v.
func under(v uint64, n int) uint64 {
	if n <= 1 {
		return v
	}
	return v / uint64(n)
}

// seed is a number for the values made at point, different for each
// variant.
func (g *gen) seed(point string) uint64 {
	return hash(strconv.FormatUint(g.variant, 10) + "|" + point)
}

func hash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return mix(h.Sum64())
}

// mix is splitmix64's finalizer: fnv's low bits alone are poor.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// value makes a value of ref at point, depth objects and arrays down, for
// v, the variant as it reaches point. optional says the value is that of
// an optional property, which may then be the empty string: the SDK
// refuses a blank required field, by design, as if it were missing.
func (g *gen) value(ref *openapi3.SchemaRef, point string, depth int, v uint64, optional bool) any {
	if depth > hardDepth {
		return nil
	}
	if ref == nil || ref.Value == nil {
		return g.untyped(point, depth, v)
	}
	s := ref.Value
	switch {
	case s.Const != nil:
		return jsonValue(s.Const)
	case len(s.Enum) > 0:
		return g.enum(s, point, v)
	case len(s.AllOf) > 0:
		return g.allOf(s, point, depth, v)
	case len(s.AnyOf) > 0:
		return g.union(s, s.AnyOf, point+"/anyOf", depth, v, optional)
	case len(s.OneOf) > 0:
		return g.union(s, s.OneOf, point+"/oneOf", depth, v, optional)
	}
	types := typesOf(s)
	if len(types) == 0 {
		return g.untyped(point, depth, v)
	}
	t := types[0]
	if len(types) > 1 {
		if depth > softDepth && slices.Contains(types, openapi3.TypeNull) {
			t = openapi3.TypeNull
		} else {
			t = types[pick(point+"?type", len(types), v)]
			v = under(v, len(types))
		}
	}
	switch t {
	case openapi3.TypeNull:
		return nil
	case openapi3.TypeObject:
		return g.object(s, point, depth, v)
	case openapi3.TypeArray:
		return g.array(s, point, depth, v)
	case openapi3.TypeString:
		return g.str(s, point, v, optional)
	case openapi3.TypeInteger:
		return g.integer(s, point, v)
	case openapi3.TypeNumber:
		return g.number(s, point, v)
	case openapi3.TypeBoolean:
		return pick(point+"?bool", 2, v) == 0
	}
	return nil
}

// typesOf lists the types s allows, non-null ones first and null last; an
// untyped schema with properties or items is an object or an array.
func typesOf(s *openapi3.Schema) []string {
	var types []string
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != openapi3.TypeNull {
				types = append(types, t)
			}
		}
	}
	if len(types) == 0 && (s.Type == nil || len(s.Type.Slice()) == 0) {
		switch {
		case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil:
			types = append(types, openapi3.TypeObject)
		case s.Items != nil:
			types = append(types, openapi3.TypeArray)
		}
	}
	if s.Nullable || (s.Type != nil && s.Type.Includes(openapi3.TypeNull)) {
		types = append(types, openapi3.TypeNull)
	}
	return types
}

func (g *gen) enum(s *openapi3.Schema, point string, v uint64) any {
	if g.cfg.unknownEnum && allStrings(s.Enum) {
		return UnknownEnumPrefix + strconv.FormatUint(g.seed(point)%1000, 10)
	}
	return jsonValue(s.Enum[pick(point+"?enum", len(s.Enum), v)])
}

func allStrings(xs []any) bool {
	for _, x := range xs {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return len(xs) > 0
}

// union makes a value of one branch of s, the null branch last.
func (g *gen) union(s *openapi3.Schema, branches openapi3.SchemaRefs, point string, depth int, v uint64, optional bool) any {
	order := make([]int, 0, len(branches))
	null := -1
	for i, b := range branches {
		if isNull(b) {
			null = i
			continue
		}
		order = append(order, i)
	}
	if null >= 0 {
		if depth > softDepth {
			return nil
		}
		order = append(order, null)
	}
	k := pick(point, len(order), v)
	if t := g.cfg.tally; t != nil && (null < 0 || depth <= softDepth) {
		// The least chosen branch, the first of them from k on.
		best := -1
		for j := range order {
			at := (k + j) % len(order)
			if best < 0 || t.Chosen[s][order[at]] < t.Chosen[s][order[best]] {
				best = at
			}
		}
		k = best
	}
	i := order[k]
	g.chosen[point] = branches[i].Ref
	if isNull(branches[i]) {
		g.chosen[point] = "null"
	}
	if t := g.cfg.tally; t != nil {
		if t.Chosen == nil {
			t.Chosen = map[*openapi3.Schema]map[int]int{}
		}
		if t.Chosen[s] == nil {
			t.Chosen[s] = map[int]int{}
		}
		t.Chosen[s][i]++
	}
	x := g.value(branches[i], point+"/"+strconv.Itoa(i), depth, under(v, len(order)), optional)
	if m, ok := x.(map[string]any); ok && g.cfg.unknownTag {
		if tag := constTag(branches); tag != "" {
			m[tag] = UnknownTagPrefix + strconv.FormatUint(g.seed(point)%1000, 10)
		}
	}
	return x
}

// constTag is the property that every object branch of a union has with a
// const value, if there is one and there are two such branches or more.
func constTag(branches openapi3.SchemaRefs) string {
	var tags []string
	n := 0
	for _, b := range branches {
		if isNull(b) {
			continue
		}
		if b == nil || b.Value == nil {
			return ""
		}
		var these []string
		for k, p := range b.Value.Properties {
			if p.Value != nil && p.Value.Const != nil {
				these = append(these, k)
			}
		}
		if n == 0 {
			tags = these
		} else {
			tags = slices.DeleteFunc(tags, func(k string) bool { return !slices.Contains(these, k) })
		}
		n++
	}
	if n < 2 || len(tags) != 1 {
		return ""
	}
	return tags[0]
}

func isNull(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && ref.Value.Type != nil && ref.Value.Type.Is(openapi3.TypeNull)
}

// allOf merges the objects of its branches; a branch that is not an
// object (pydantic's allOf of a single $ref) gives the value.
func (g *gen) allOf(s *openapi3.Schema, point string, depth int, v uint64) any {
	merged := map[string]any{}
	for i, b := range s.AllOf {
		x := g.value(b, point+"/allOf/"+strconv.Itoa(i), depth, v, false)
		m, ok := x.(map[string]any)
		if !ok {
			return x
		}
		for k, x := range m {
			merged[k] = x
		}
	}
	if len(s.Properties) > 0 {
		for k, x := range g.object(s, point, depth, v) {
			merged[k] = x
		}
	}
	return merged
}

// untyped makes a value of any JSON type but null: JSON Schema 2020-12
// lets {} take null too, but kin-openapi validates a schema that has no
// keyword of its own (const, propertyNames, ...) under a $ref with its
// OpenAPI 3.0 validator, which refuses null for {}, so that a null there
// would fail a valid answer in one operation and pass it in another.
func (g *gen) untyped(point string, depth int, v uint64) any {
	n := pick(point+"?any", 5, v)
	if depth > softDepth {
		n = 3
	}
	switch n {
	case 0:
		return map[string]any{"key": "value", "n": 1.0, "nested": map[string]any{"ok": true}}
	case 1:
		return "untyped " + strconv.FormatUint(g.seed(point)%1000, 10)
	case 2:
		return float64(g.seed(point)%100) + 0.5
	case 3:
		return false
	}
	return []any{"a", 2.0, nil}
}

func (g *gen) object(s *openapi3.Schema, point string, depth int, v uint64) map[string]any {
	out := make(map[string]any, len(s.Properties)+1)
	required := make(map[string]bool, len(s.Required))
	for _, r := range s.Required {
		required[r] = true
	}
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		if g.cfg.request && p.Value != nil && p.Value.ReadOnly {
			continue
		}
		at := point + "/properties/" + name
		pv := v
		if !required[name] {
			if depth > softDepth || pick(at+"?present", 2, v) == 1 {
				continue
			}
			pv = under(v, 2)
		}
		out[name] = g.value(p, at, depth+1, pv, !required[name])
	}
	extra := pick(point+"?extra", 3, v) // 0, 1 or 2 entries the schema does not name
	if depth > softDepth+2 {
		// A little deeper than other optional values: a map's values
		// (ObjectType's) may be unions that only a map holds.
		extra = 0
	}
	extra = max(extra, int(s.MinProps)-len(out))
	if s.MaxProps != nil {
		extra = min(extra, int(*s.MaxProps)-len(out))
	}
	ap := s.AdditionalProperties
	if ap.Schema != nil && depth <= hardDepth/2 && g.cfg.tally.lacks(ap.Schema.Value) {
		extra = max(extra, 1) // a union that only a map holds, deep down
	}
	switch {
	case ap.Schema != nil:
		for i := range extra {
			at := point + "/additionalProperties/" + strconv.Itoa(i)
			out[g.key(s, at)] = g.value(ap.Schema, at, depth+1, under(v, 3), false)
		}
	case (ap.Has == nil || *ap.Has) && len(s.Properties) == 0:
		// A free-form object: entries of any type.
		for i := range extra {
			at := point + "/additionalProperties/" + strconv.Itoa(i)
			out[g.key(s, at)] = g.untyped(at, depth+1, under(v, 3))
		}
	}
	for _, sib := range g.cfg.siblings[s] {
		if _, ok := out[sib.Union]; !ok || g.cfg.request && s.Properties[sib.Tag] != nil &&
			s.Properties[sib.Tag].Value != nil && s.Properties[sib.Tag].Value.ReadOnly {
			continue
		}
		ref, chosen := g.chosen[point+"/properties/"+sib.Union+"/anyOf"]
		tag, known := sib.Values[ref]
		switch {
		case !chosen || ref == "null":
		case g.cfg.unknownTag:
			out[sib.Tag] = UnknownTagPrefix + strconv.FormatUint(g.seed(point)%1000, 10)
		case known:
			out[sib.Tag] = tag
		default: // a branch without a tag: one that no branch has
			if x, ok := out[sib.Tag].(string); !ok || slices.Contains(slices.Collect(maps.Values(sib.Values)), x) {
				out[sib.Tag] = "x_synth_other"
			}
		}
	}
	if g.cfg.unknown && admitsUnknown(s) {
		out[UnknownKey] = g.unknownValue(point, v)
	}
	return out
}

// key names an entry the schema does not declare: by propertyNames where
// it has one.
func (g *gen) key(s *openapi3.Schema, point string) string {
	if s.PropertyNames != nil && s.PropertyNames.Value != nil {
		return g.str(s.PropertyNames.Value, point+"?key", 0, false)
	}
	return "key_" + strconv.FormatUint(g.seed(point)%1_000_000, 36)
}

// admitsUnknown reports whether an object of s may carry UnknownKey with
// any value.
func admitsUnknown(s *openapi3.Schema) bool {
	ap := s.AdditionalProperties
	if ap.Schema != nil || (ap.Has != nil && !*ap.Has) || s.PropertyNames != nil {
		return false
	}
	if s.UnevaluatedProperties.Has != nil && !*s.UnevaluatedProperties.Has || s.UnevaluatedProperties.Schema != nil {
		return false
	}
	if s.MaxProps != nil {
		return false
	}
	_, declared := s.Properties[UnknownKey]
	return !declared
}

// unknownValue is the value of UnknownKey: a different JSON type by
// variant, nested ones included, for a decoder to skip.
func (g *gen) unknownValue(point string, v uint64) any {
	switch pick(point+"?unknown", 5, v) {
	case 0:
		return map[string]any{"nested": []any{1.0, "two", nil, map[string]any{"deep": true}}, "s": "é \"q\" \\"}
	case 1:
		return "unknown \"value\""
	case 2:
		return 12.5
	case 3:
		return []any{}
	}
	return nil
}

func (g *gen) array(s *openapi3.Schema, point string, depth int, v uint64) []any {
	n := []int{2, 1, 0}[pick(point+"?len", 3, v)]
	if depth > softDepth {
		n = 0
	}
	n = max(n, int(s.MinItems))
	if s.MaxItems != nil {
		n = min(n, int(*s.MaxItems))
	}
	out := make([]any, 0, n)
	seen := map[string]bool{}
	for i := 0; len(out) < n && i < 8*n; i++ {
		x := g.value(s.Items, point+"/items/"+strconv.Itoa(i), depth+1, under(v, 3), false)
		if s.UniqueItems {
			b, _ := json.Marshal(x)
			if seen[string(b)] {
				continue
			}
			seen[string(b)] = true
		}
		out = append(out, x)
	}
	return out
}

// special is a string that every layer must carry as it is: JSON escapes,
// query and path escapes, non-ASCII. It has no "/", which the SDK refuses
// in a path parameter rather than escape.
const special = "Zoë \"Q\" O'Brien & a=b?c#d %41+\\ \t日本"

func (g *gen) str(s *openapi3.Schema, point string, v uint64, optional bool) string {
	seed := g.seed(point)
	tag := strconv.FormatUint(seed%1_000_000, 36)
	switch s.Format {
	case "uuid", "uuid4":
		return uuid4(seed)
	case "email":
		if pick(point+"?email", 2, v) == 1 {
			return "first.last+" + tag + "@sub.example.org"
		}
		return "user-" + tag + "@example.com"
	case "date-time":
		return dateTime(seed, pick(point+"?dt", 4, v))
	case "date":
		return fmt.Sprintf("%04d-%02d-%02d", 2020+seed%10, 1+seed/10%12, 1+seed/120%28)
	case "time":
		return fmt.Sprintf("%02d:%02d:%02dZ", seed%24, seed/24%60, seed/1440%60)
	case "uri", "url":
		return "https://example.com/" + tag + "?q=1"
	case "byte":
		return base64.StdEncoding.EncodeToString([]byte("bytes " + tag))
	case "ipv4":
		return fmt.Sprintf("192.0.2.%d", seed%255)
	case "ipv6":
		return fmt.Sprintf("2001:db8::%x", seed%0xffff)
	case "hostname":
		return "host-" + tag + ".example.com"
	}
	forms := 3
	if optional && s.MinLength == 0 {
		forms = 4 // and the empty string
	}
	var x string
	switch pick(point+"?form", forms, v) {
	case 0:
		x = "s-" + tag
	case 1:
		x = special + " " + tag
	case 2:
		x = "x"
	case 3:
		return ""
	}
	r := []rune(x)
	for uint64(len(r)) < max(s.MinLength, 1) {
		r = append(r, 'x')
	}
	if s.MaxLength != nil && uint64(len(r)) > *s.MaxLength {
		r = r[:*s.MaxLength]
	}
	return string(r)
}

// dateTime writes an instant in one of the forms RFC 3339 allows (Z or an
// offset, with or without a fraction), by form.
func dateTime(seed uint64, form int) string {
	date := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", 2020+seed%10, 1+seed/10%12, 1+seed/120%28,
		seed/3360%24, seed/80640%60, seed/4838400%60)
	micro := seed / 290304000 % 1_000_000
	switch form {
	case 1:
		return date + "+00:00"
	case 2:
		return date + fmt.Sprintf(".%06d-05:30", micro)
	case 3:
		return date + ".5+09:00"
	}
	return date + fmt.Sprintf(".%06dZ", micro)
}

// uuid4 is a version-4 UUID made from seed.
func uuid4(seed uint64) string {
	var u [16]byte
	a := mix(seed + 1)
	binary.BigEndian.PutUint64(u[:8], a)
	binary.BigEndian.PutUint64(u[8:], mix(a+1))
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// bounds are the inclusive bounds of an integer schema, or of the int64s
// when it has none.
func intBounds(s *openapi3.Schema) (lo, hi int64, hasLo, hasHi bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	if s.Format == "int32" {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if s.Min != nil {
		lo, hasLo = int64(math.Ceil(*s.Min)), true
		if s.ExclusiveMin.IsTrue() && float64(lo) == *s.Min {
			lo++
		}
	}
	if s.ExclusiveMin.Value != nil {
		lo, hasLo = int64(math.Floor(*s.ExclusiveMin.Value))+1, true
	}
	if s.Max != nil {
		hi, hasHi = int64(math.Floor(*s.Max)), true
		if s.ExclusiveMax.IsTrue() && float64(hi) == *s.Max {
			hi--
		}
	}
	if s.ExclusiveMax.Value != nil {
		hi, hasHi = int64(math.Ceil(*s.ExclusiveMax.Value))-1, true
	}
	return lo, hi, hasLo, hasHi
}

func (g *gen) integer(s *openapi3.Schema, point string, v uint64) float64 {
	lo, hi, hasLo, hasHi := intBounds(s)
	small := int64(1 + g.seed(point)%97)
	var candidates []int64
	switch {
	case hasLo && hasHi:
		candidates = []int64{lo + (hi-lo)/2, lo, hi}
	case hasLo:
		candidates = []int64{lo + small, lo, lo + 1}
	case hasHi:
		candidates = []int64{hi - small, hi, hi - 1}
	default:
		candidates = []int64{small, 0, -small, 1 << 31}
	}
	x := candidates[pick(point+"?int", len(candidates), v)]
	if s.MultipleOf != nil && *s.MultipleOf >= 1 {
		m := int64(*s.MultipleOf)
		x -= x % m
		if x < lo {
			x += m
		}
	}
	return float64(min(max(x, lo), hi))
}

func (g *gen) number(s *openapi3.Schema, point string, v uint64) float64 {
	lo, hi := -1e9, 1e9
	if s.Min != nil {
		lo = *s.Min
	}
	if s.ExclusiveMin.Value != nil {
		lo = *s.ExclusiveMin.Value
	}
	if s.Max != nil {
		hi = *s.Max
	}
	if s.ExclusiveMax.Value != nil {
		hi = *s.ExclusiveMax.Value
	}
	exLo := s.ExclusiveMin.IsTrue() || s.ExclusiveMin.Value != nil
	exHi := s.ExclusiveMax.IsTrue() || s.ExclusiveMax.Value != nil
	candidates := []float64{1.5, 0, -2.25, 1e6 + 0.125}
	if s.Min != nil || s.Max != nil || s.ExclusiveMin.Value != nil || s.ExclusiveMax.Value != nil {
		candidates = []float64{lo + (hi-lo)/2, lo, hi, lo + (hi-lo)/4}
	}
	x := candidates[pick(point+"?num", len(candidates), v)]
	if (exLo && x <= lo) || (exHi && x >= hi) || x < lo || x > hi {
		x = lo + (hi-lo)/2
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		x = math.Ceil(x / *s.MultipleOf) * *s.MultipleOf
		if x > hi || (exHi && x >= hi) {
			x -= *s.MultipleOf
		}
	}
	return x
}

// jsonValue is x as encoding/json decodes it into an any.
func jsonValue(x any) any {
	b, err := json.Marshal(x)
	if err != nil {
		return x
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return x
	}
	return v
}

func sortedKeys(m openapi3.Schemas) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Walk calls fn with every value inside v and the schema it is a value of,
// v itself first. An anyOf or oneOf is walked along the first of its
// branches that v fits (see Fits), or along each of them when it fits none;
// a property or item along its schema; keys the schema does not declare are
// not walked.
func Walk(s *openapi3.SchemaRef, v any, fn func(s *openapi3.Schema, v any)) {
	walk(s, v, fn, 0)
}

func walk(ref *openapi3.SchemaRef, v any, fn func(*openapi3.Schema, any), depth int) {
	if ref == nil || ref.Value == nil || depth > hardDepth {
		return
	}
	s := ref.Value
	fn(s, v)
	branches := slices.Concat(s.AnyOf, s.OneOf)
	for _, b := range branches {
		if Fits(b, v) {
			branches = openapi3.SchemaRefs{b}
			break
		}
	}
	for _, b := range slices.Concat(branches, s.AllOf) {
		walk(b, v, fn, depth+1)
	}
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(s.Properties) {
			if x, ok := v[k]; ok {
				walk(s.Properties[k], x, fn, depth+1)
			}
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			for k, x := range v {
				if _, declared := s.Properties[k]; !declared {
					walk(ap, x, fn, depth+1)
				}
			}
		}
	case []any:
		for _, x := range v {
			walk(s.Items, x, fn, depth+1)
		}
	}
}

// IsUnknownEnum reports whether v is a value WithUnknownEnum made.
func IsUnknownEnum(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, UnknownEnumPrefix)
}

// Fits reports whether v has the shape of s, as far as telling the
// branches of a union apart takes: its type; for an object, every required
// key but readOnly ones (a request leaves those out), the const values of
// its properties, and no undeclared key where s takes none. Enum values are
// not looked at: WithUnknownEnum breaks them.
func Fits(ref *openapi3.SchemaRef, v any) bool {
	return fits(ref, v, 0)
}

func fits(ref *openapi3.SchemaRef, v any, depth int) bool {
	if ref == nil || ref.Value == nil || depth > hardDepth {
		return true
	}
	s := ref.Value
	if s.Const != nil {
		return reflect.DeepEqual(jsonValue(s.Const), v)
	}
	if branches := slices.Concat(s.AnyOf, s.OneOf); len(branches) > 0 {
		return slices.ContainsFunc(branches, func(b *openapi3.SchemaRef) bool { return fits(b, v, depth+1) })
	}
	for _, b := range s.AllOf {
		if !fits(b, v, depth+1) {
			return false
		}
	}
	types := typesOf(s)
	if len(types) == 0 {
		return true
	}
	switch v := v.(type) {
	case nil:
		return slices.Contains(types, openapi3.TypeNull)
	case bool:
		return slices.Contains(types, openapi3.TypeBoolean)
	case string:
		return slices.Contains(types, openapi3.TypeString)
	case float64:
		return slices.Contains(types, openapi3.TypeNumber) || slices.Contains(types, openapi3.TypeInteger) && v == math.Trunc(v)
	case []any:
		return slices.Contains(types, openapi3.TypeArray)
	case map[string]any:
		if !slices.Contains(types, openapi3.TypeObject) {
			return false
		}
		for _, r := range s.Required {
			if p := s.Properties[r]; p != nil && p.Value != nil && p.Value.ReadOnly {
				continue
			}
			if _, ok := v[r]; !ok {
				return false
			}
		}
		for k, p := range s.Properties {
			if x, ok := v[k]; ok && p.Value != nil && p.Value.Const != nil && !reflect.DeepEqual(jsonValue(p.Value.Const), x) {
				return false
			}
		}
		if ap := s.AdditionalProperties; ap.Has != nil && !*ap.Has {
			for k := range v {
				if _, ok := s.Properties[k]; !ok {
					return false
				}
			}
		}
		return true
	}
	return false
}
