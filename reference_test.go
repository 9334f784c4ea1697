package arthur

// The reference decoder: any model of the registry (model_registry_test.go)
// decoded from JSON with encoding/json and reflection, to the SDK's rules,
// with what it needs to know of each model read from api/openapi.json
// itself. The fuzz targets hold the generated decoders to it.
//
// The rules, as the SDK's decoders apply them:
//
//   - The input must be JSON as encoding/json takes it, with nothing after
//     the value; keys are unescaped as encoding/json unescapes them and
//     match a field's only when they are the same (case counts).
//   - Unknown keys are ignored. The members of an object are read in order,
//     so of two with the same key the last one counts.
//   - A required field that is not nullable is missing, an error, when its
//     key is absent or null; a required nullable one may be absent (nil).
//   - A field held as a Nullable, as each field of a PATCH model is, is
//     never missing: absent, it is unset, whatever the spec requires.
//   - null leaves a field held as a value as it is, and sets a pointer,
//     slice, map or any to nil, and a Nullable to Null.
//   - An absent optional field of a response model, held as a string,
//     number or boolean value (an enum's too), takes the spec's default; a
//     list or map held as a value stays nil.
//   - A value of the wrong JSON type is an error, wherever it is.
//   - An enum takes any string; a date-time is a string that parseTimestamp
//     reads; a Secret is a string.
//   - An element of an array, or a value of a map, that is null is the zero
//     value, as encoding/json reads it.
//   - A union whose branches each have a property with a string const of
//     its own (the first such, in the first branch's order) takes the
//     branch whose const the object's member of that key has; another
//     string keeps the object, as it is written, in Other; another type is
//     an error. A union whose branch a sibling property tells (the
//     overrides' discriminator, its mapping from the sibling's values to
//     branches) takes, within its owner, the branch the sibling's string
//     names, or else Other (a value of the wrong JSON type still an
//     error); where the sibling is absent or null, the branch of the
//     sibling's default, if it has one.
//   - Else, and outside its owner, a union takes the first branch, in the
//     spec's order, whose required keys that are not nullable are all
//     present and not null; where none has them, an anyOf with a branch of
//     any object keeps the object in Other, and any other is an error.
//   - An any reads as encoding/json reads an interface{}, but where the spec
//     gives it an anyOf of scalar types: then a string, an integer (an int,
//     which it must fit), a number (a float64) or a boolean of those the
//     spec allows.
//   - The value decoded into is new: nothing of what it held before stays.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// refSchema is the part of a JSON Schema the reference reads.
type refSchema struct {
	Ref                  string                `json:"$ref"`
	Type                 json.RawMessage       `json:"type"` // a name, or in OpenAPI 3.1 a list of names
	Format               string                `json:"format"`
	Enum                 []json.RawMessage     `json:"enum"`
	Properties           map[string]*refSchema `json:"properties"`
	Required             []string              `json:"required"`
	Items                *refSchema            `json:"items"`
	AdditionalProperties json.RawMessage       `json:"additionalProperties"`
	AnyOf                []*refSchema          `json:"anyOf"`
	Default              json.RawMessage       `json:"default"`
	Const                json.RawMessage       `json:"const"`
	Nullable             bool                  `json:"nullable"` // OpenAPI 3.0's way of saying so

	propOrder []string // the properties in the order the spec writes them
}

// types are the schema's type names.
func (s *refSchema) types() []string {
	if len(s.Type) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(s.Type, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(s.Type, &many)
	return many
}

// nullable reports whether null is one of the values of s.
func (s *refSchema) nullable() bool {
	if s == nil {
		return false
	}
	if s.Nullable || slices.Contains(s.types(), "null") {
		return true
	}
	for _, b := range s.AnyOf {
		if slices.Contains(b.types(), "null") && len(b.types()) == 1 {
			return true
		}
	}
	return false
}

// nonNull is s without its null: the one branch of an anyOf that is left,
// or s itself.
func (s *refSchema) nonNull() *refSchema {
	if s == nil || len(s.AnyOf) == 0 {
		return s
	}
	var rest []*refSchema
	for _, b := range s.AnyOf {
		if t := b.types(); !(len(t) == 1 && t[0] == "null") {
			rest = append(rest, b)
		}
	}
	switch len(rest) {
	case 1:
		return rest[0]
	case len(s.AnyOf):
		return s
	}
	return &refSchema{AnyOf: rest}
}

// scalarKinds are the scalar types of an anyOf of scalar types, nil for
// any other schema.
func (s *refSchema) scalarKinds() []string {
	s = s.nonNull()
	if s == nil || len(s.AnyOf) < 2 {
		return nil
	}
	var kinds []string
	for _, b := range s.AnyOf {
		t := b.types()
		if b.Ref != "" || len(t) != 1 || !slices.Contains([]string{"string", "integer", "number", "boolean"}, t[0]) {
			return nil
		}
		kinds = append(kinds, t[0])
	}
	return kinds
}

// items is the schema of an array's elements, nil when untyped.
func (s *refSchema) items() *refSchema {
	if s = s.nonNull(); s == nil {
		return nil
	}
	return s.Items
}

// values is the schema of a map's values, nil when untyped.
func (s *refSchema) values() *refSchema {
	if s = s.nonNull(); s == nil || len(s.AdditionalProperties) == 0 {
		return nil
	}
	var v refSchema
	if json.Unmarshal(s.AdditionalProperties, &v) != nil { // true
		return nil
	}
	return &v
}

// UnmarshalJSON reads a schema and the order of its properties.
func (s *refSchema) UnmarshalJSON(data []byte) error {
	type plain refSchema
	if err := json.Unmarshal(data, (*plain)(s)); err != nil {
		return err
	}
	var raw struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(data, &raw); err != nil || len(raw.Properties) == 0 {
		return err
	}
	return eachMember(raw.Properties, func(key string, _ []byte) error {
		s.propOrder = append(s.propOrder, key)
		return nil
	})
}

// refModel is a model of the registry and what the spec says of it.
type refModel struct {
	reg    *registeredModel
	typ    reflect.Type // the Go type: T of the registry's *T
	schema *refSchema   // the object's or the enum's; for a union, its property's

	fields   []*refField          // of an object, in the Go struct's order
	byKey    map[string]*refField // the fields by key
	branches []*refBranch         // of a union, in the spec's order
	other    int                  // of a union, the index of its Other field, -1 for none
	free     bool                 // of a union: one of its branches is any object, which Other holds
	tag      *refTag              // of a union, what tells its branch; nil for its keys alone
}

// refTag is what tells the branch of a union: a key of its object whose
// const each branch has, or a sibling of the union's property in its owner.
type refTag struct {
	key     string
	tags    []string // by branch; "" for a branch no value picks
	sibling bool
	owner   string // the owner's schema, of a sibling
	def     int    // of a sibling, the branch of its default (len(branches) for Other); -1 for none
}

// pick is the branch that val, the JSON value of the tag's key, picks:
// the index of its string in tags, len(tags) for another string (Other),
// -1 for null; another type is an error.
func (g *refTag) pick(val []byte) (int, error) {
	if isJSONNull(val) {
		return -1, nil
	}
	var str string
	if err := json.Unmarshal(val, &str); err != nil {
		return -1, fmt.Errorf("%s: %w", g.key, err)
	}
	for i, t := range g.tags {
		if t != "" && t == str {
			return i, nil
		}
	}
	return len(g.tags), nil
}

// refField is a field of an object model.
type refField struct {
	key      string
	index    int        // in the Go struct
	schema   *refSchema // the property's
	required bool
	nullable bool
	def      json.RawMessage // taken when the key is absent
	union    *refModel       // a union whose branch another field of the object tells
}

// refBranch is a branch of a union.
type refBranch struct {
	index int // of the union's field, a pointer to the branch
	model *refModel
	keys  []string // the keys the branch requires that are not nullable
}

// refSpec is api/openapi.json, and the registry's models as it describes
// them.
type refSpec struct {
	schemas map[string]*refSchema
	names   map[*refSchema]string // the schemas' names
	unions  map[string]refUnionOverride
	models  []*refModel // in the registry's order
	byType  map[reflect.Type]*refModel
	byName  map[string]*refModel // by the registry's schema name
}

var (
	specOnce   sync.Once
	specLoaded *refSpec
	specErr    error
)

// loadSpec reads api/openapi.json once, and describes every model of the
// registry by it.
func loadSpec() (*refSpec, error) {
	specOnce.Do(func() { specLoaded, specErr = readSpec("api/openapi.json") })
	return specLoaded, specErr
}

func readSpec(path string) (*refSpec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Components struct {
			Schemas map[string]*refSchema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ovPath := filepath.Join(filepath.Dir(path), "overrides.json")
	data, err = os.ReadFile(ovPath)
	if err != nil {
		return nil, err
	}
	var ov struct {
		Unions map[string]refUnionOverride `json:"unions"`
	}
	if err := json.Unmarshal(data, &ov); err != nil {
		return nil, fmt.Errorf("%s: %w", ovPath, err)
	}
	s := &refSpec{schemas: doc.Components.Schemas, names: map[*refSchema]string{}, unions: ov.Unions,
		byType: map[reflect.Type]*refModel{}, byName: map[string]*refModel{}}
	for name, sch := range s.schemas {
		s.names[sch] = name
	}
	for i := range modelRegistry {
		reg := &modelRegistry[i]
		m := &refModel{reg: reg, typ: reflect.TypeOf(reg.newValue()).Elem()}
		s.models = append(s.models, m)
		s.byType[m.typ] = m
		s.byName[reg.schema] = m
	}
	// The unions last: they read their branches' required keys.
	for _, pass := range []func(*refModel) error{s.describe, s.describeUnion, s.describeSibling} {
		for _, m := range s.models {
			if err := pass(m); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, m.reg.schema, err)
			}
		}
	}
	return s, nil
}

// describe reads what the spec says of m, but of a union's branches.
func (s *refSpec) describe(m *refModel) error {
	switch m.reg.kind {
	case "object", "enum":
		m.schema = s.schemas[m.reg.schema]
		if m.schema == nil {
			return errors.New("no such schema")
		}
	case "union":
		m.schema = s.unionSchema(m.reg.schema)
		if m.schema == nil {
			return errors.New("no such schema or property")
		}
	default:
		return fmt.Errorf("kind %q", m.reg.kind)
	}
	switch m.reg.kind {
	case "object":
		return s.describeObject(m)
	case "union":
		return nil
	}
	if k := m.typ.Kind(); k != reflect.String && k != reflect.Int {
		return fmt.Errorf("an enum of Go type %s", m.typ)
	}
	return nil
}

// refUnionOverride is what api/overrides.json says of a union that the
// reference reads: the sibling that tells its branch.
type refUnionOverride struct {
	Discriminator string            `json:"discriminator"`
	Mapping       map[string]string `json:"mapping"` // the sibling's value: the branch's schema
}

// unionSchema is the schema of the union the registry names where: a
// component's, or a property's, "Schema.property", with [] for an array's
// items and {} for a map's values, as many as it takes.
func (s *refSpec) unionSchema(where string) *refSchema {
	name, prop, ok := strings.Cut(where, ".")
	sch := s.schemas[name]
	if !ok || sch == nil {
		return sch
	}
	var path []string
	for {
		if p, ok := strings.CutSuffix(prop, "[]"); ok {
			prop, path = p, append(path, "[]")
			continue
		}
		if p, ok := strings.CutSuffix(prop, "{}"); ok {
			prop, path = p, append(path, "{}")
			continue
		}
		break
	}
	sch = sch.Properties[prop]
	for i := len(path) - 1; i >= 0 && sch != nil; i-- {
		if path[i] == "[]" {
			sch = sch.items()
		} else {
			sch = sch.values()
		}
	}
	return sch
}

// isFreeObject reports whether b is an object of any keys: the branch of
// a union that its Other holds.
func isFreeObject(b *refSchema) bool {
	if b.Ref != "" || len(b.Properties) > 0 || !slices.Equal(b.types(), []string{"object"}) {
		return false
	}
	ap := string(b.AdditionalProperties)
	return ap == "" || ap == "true" || ap == "{}"
}

func (s *refSpec) describeObject(m *refModel) error {
	if m.typ.Kind() != reflect.Struct {
		return fmt.Errorf("an object of Go type %s", m.typ)
	}
	m.byKey = map[string]*refField{}
	for i := range m.typ.NumField() {
		sf := m.typ.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || key == "" || key == "-" {
			return fmt.Errorf("Go field %s has no JSON key", sf.Name)
		}
		prop := m.schema.Properties[key]
		if prop == nil {
			return fmt.Errorf("Go field %s: the schema has no property %q", sf.Name, key)
		}
		// A Nullable (each field of a PATCH model) is never missing: unset.
		f := &refField{key: key, index: i, schema: prop, nullable: prop.nullable(),
			required: slices.Contains(m.schema.Required, key) && !isNullableType(sf.Type)}
		scalar := slices.Contains([]reflect.Kind{reflect.String, reflect.Int, reflect.Float64, reflect.Bool}, sf.Type.Kind())
		if !f.required && m.reg.response && scalar && len(prop.Default) > 0 {
			f.def = prop.Default
		}
		m.fields = append(m.fields, f)
		m.byKey[key] = f
	}
	for key := range m.schema.Properties {
		if m.byKey[key] == nil {
			return fmt.Errorf("property %q has no Go field", key)
		}
	}
	return nil
}

func (s *refSpec) describeUnion(m *refModel) error {
	if m.reg.kind != "union" {
		return nil
	}
	m.other = -1
	if f, ok := m.typ.FieldByName("Other"); ok && f.Type == rawMessageType {
		m.other = f.Index[0]
	}
	for _, b := range m.schema.nonNull().AnyOf {
		if isFreeObject(b) && !m.free {
			m.free = true
			continue
		}
		bm := s.byName[strings.TrimPrefix(b.Ref, "#/components/schemas/")]
		if b.Ref == "" || bm == nil || bm.reg.kind != "object" {
			return fmt.Errorf("branch %s is no object of the registry", b.Ref)
		}
		br := &refBranch{index: -1, model: bm}
		for i := range m.typ.NumField() {
			if m.typ.Field(i).Type == reflect.PointerTo(bm.typ) {
				br.index = i
			}
		}
		if br.index < 0 {
			return fmt.Errorf("no Go field for branch %s", bm.reg.schema)
		}
		for _, key := range bm.schema.Required {
			if !bm.schema.Properties[key].nullable() {
				br.keys = append(br.keys, key)
			}
		}
		m.branches = append(m.branches, br)
	}
	m.tag = s.constTag(m)
	if uo, ok := s.unions[m.reg.schema]; ok && uo.Discriminator != "" {
		owner, _, _ := strings.Cut(m.reg.schema, ".")
		m.tag = &refTag{key: uo.Discriminator, tags: make([]string, len(m.branches)), sibling: true, owner: owner, def: -1}
		for v, schema := range uo.Mapping {
			i := slices.IndexFunc(m.branches, func(b *refBranch) bool { return b.model.reg.schema == schema })
			if i < 0 {
				return fmt.Errorf("the overrides map %q to %s, no branch", v, schema)
			}
			m.tag.tags[i] = v
		}
		if o := s.schemas[owner]; o != nil && o.Properties[uo.Discriminator] != nil {
			var def string
			if json.Unmarshal(o.Properties[uo.Discriminator].Default, &def) == nil && def != "" {
				m.tag.def = len(m.branches)
				if i := slices.Index(m.tag.tags, def); i >= 0 {
					m.tag.def = i
				}
			}
		}
	}
	hasOther := m.free || m.tag != nil
	if hasOther != (m.other >= 0) {
		return fmt.Errorf("an Other field is %v, want %v", m.other >= 0, hasOther)
	}
	if n := len(m.branches) + min(m.other+1, 1); n != m.typ.NumField() {
		return fmt.Errorf("%d branches for %d Go fields", n, m.typ.NumField())
	}
	return nil
}

// constTag is the tag of a union whose branches each have a property with
// a string const of its own: the first such property in the first
// branch's order. Nil for none.
func (s *refSpec) constTag(m *refModel) *refTag {
	if len(m.branches) < 2 {
		return nil
	}
	for _, key := range m.branches[0].model.schema.propOrder {
		tags := make([]string, len(m.branches))
		for i, b := range m.branches {
			p := b.model.schema.Properties[key]
			if p == nil || json.Unmarshal(p.Const, &tags[i]) != nil || slices.Contains(tags[:i], tags[i]) {
				tags = nil
				break
			}
		}
		if tags != nil {
			return &refTag{key: key, tags: tags, def: -1}
		}
	}
	return nil
}

// describeSibling marks the field of a union whose branch a sibling tells,
// in its owner.
func (s *refSpec) describeSibling(m *refModel) error {
	if m.reg.kind != "union" || m.tag == nil || !m.tag.sibling {
		return nil
	}
	owner := s.byName[m.tag.owner]
	_, prop, _ := strings.Cut(m.reg.schema, ".")
	if owner == nil || owner.byKey[prop] == nil || owner.byKey[m.tag.key] == nil {
		return fmt.Errorf("no owner %s with %s and %s", m.tag.owner, prop, m.tag.key)
	}
	owner.byKey[prop].union = m
	return nil
}

// siblingUnions are the fields of m, an object, that are unions whose
// branch another field tells; none for a nil m.
func (m *refModel) siblingUnions() []*refField {
	if m == nil {
		return nil
	}
	var out []*refField
	for _, f := range m.fields {
		if f.union != nil {
			out = append(out, f)
		}
	}
	return out
}

// enumValues are the known values of m, an enum, as values of its Go
// type, in the spec's order.
func enumValues(m *refModel) []reflect.Value {
	list := reflect.ValueOf(m.reg.values)
	out := make([]reflect.Value, list.Len())
	for i := range out {
		out[i] = list.Index(i).Convert(m.typ)
	}
	return out
}

// enumJSON are the known values of m, an enum, as JSON.
func enumJSON(m *refModel) []string {
	var out []string
	for _, v := range enumValues(m) {
		out = append(out, valueJSON(v))
	}
	return out
}

// valueJSON is v as encoding/json writes it.
func valueJSON(v reflect.Value) string {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		panic(err)
	}
	return string(b)
}

// model returns the model whose Go type is that of v, which must be a *T
// of the registry.
func (s *refSpec) model(v any) *refModel {
	m := s.byType[reflect.TypeOf(v).Elem()]
	if m == nil {
		panic(fmt.Sprintf("%T is no model of the registry", v))
	}
	return m
}

// decode decodes data into a new value of m's type, as the SDK does, and
// returns a pointer to it.
func (s *refSpec) decode(m *refModel, data []byte) (reflect.Value, error) {
	p := reflect.New(m.typ)
	if !json.Valid(data) {
		return p, errors.New("not JSON")
	}
	return p, s.value(p.Elem(), bytes.Trim(data, jsonSpace), m.schema)
}

// value decodes raw, a JSON value, into v, whose schema is sch.
func (s *refSpec) value(v reflect.Value, raw []byte, sch *refSchema) error {
	t := v.Type()
	if isJSONNull(raw) {
		switch {
		case isNullableType(t):
			v.Addr().Interface().(nullableRef).refNull()
		case t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map ||
			t.Kind() == reflect.Interface:
			v.SetZero()
		}
		return nil
	}
	if m := s.byType[t]; m != nil {
		switch m.reg.kind {
		case "object":
			return s.object(m, v, raw)
		case "union":
			return s.union(m, v, raw, -1)
		}
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return err
		}
		ts, err := parseTimestamp(str)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(ts))
		return nil
	case t == reflect.TypeFor[json.RawMessage]():
		v.SetBytes(bytes.Clone(raw))
		return nil
	case isNullableType(t):
		n := v.Addr().Interface().(nullableRef)
		x := reflect.New(n.refElem()).Elem()
		if err := s.value(x, raw, sch.nonNull()); err != nil {
			return err
		}
		n.refSet(x)
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return err
		}
		v.SetString(str)
	case reflect.Int:
		var n int
		if err := json.Unmarshal(raw, &n); err != nil {
			return err
		}
		v.SetInt(int64(n))
	case reflect.Float64:
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return err
		}
		v.SetFloat(f)
	case reflect.Bool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := s.value(p.Elem(), raw, sch.nonNull()); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		out := reflect.MakeSlice(t, 0, 0)
		err := eachItem(raw, func(item []byte) error {
			x := reflect.New(t.Elem()).Elem()
			out = reflect.Append(out, x)
			return s.value(out.Index(out.Len()-1), item, sch.items())
		})
		if err != nil {
			return err
		}
		v.Set(out)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return fmt.Errorf("the reference reads no map of %s", t)
		}
		out := reflect.MakeMap(t)
		err := eachMember(raw, func(key string, val []byte) error {
			x := reflect.New(t.Elem()).Elem()
			if err := s.value(x, val, sch.values()); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), x)
			return nil
		})
		if err != nil {
			return err
		}
		v.Set(out)
	case reflect.Interface:
		if kinds := sch.scalarKinds(); kinds != nil {
			x, err := scalarValue(raw, kinds)
			if err != nil {
				return err
			}
			v.Set(reflect.ValueOf(x))
			return nil
		}
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
	default:
		return fmt.Errorf("the reference reads no %s", t)
	}
	return nil
}

// object decodes raw into v, an object model m.
func (s *refSpec) object(m *refModel, v reflect.Value, raw []byte) error {
	o := reflect.New(m.typ).Elem()
	for _, f := range m.fields {
		if f.def != nil {
			if err := s.value(o.Field(f.index), f.def, f.schema); err != nil {
				return fmt.Errorf("the default of %s: %w", f.key, err)
			}
		}
	}
	picks := map[*refModel]int{} // the branch of each union a sibling tells
	for _, f := range m.fields {
		if u := f.union; u != nil {
			var tagVal []byte
			if err := eachMember(raw, func(key string, val []byte) error {
				if key == u.tag.key {
					tagVal = val
				}
				return nil
			}); err != nil {
				return err
			}
			i, err := u.tag.pick(tagVal)
			if tagVal == nil {
				i, err = -1, nil
			}
			if err != nil {
				return err
			}
			if i < 0 {
				i = u.tag.def
			}
			picks[u] = i
		}
	}
	seen := map[string]bool{}
	err := eachMember(raw, func(key string, val []byte) error {
		f := m.byKey[key]
		if f == nil {
			return nil
		}
		if isJSONNull(val) && f.required && !f.nullable {
			seen[key] = false
			return nil
		}
		seen[key] = true
		if u := f.union; u != nil && !isJSONNull(val) {
			x := o.Field(f.index)
			if x.Kind() == reflect.Pointer {
				x.Set(reflect.New(x.Type().Elem()))
				x = x.Elem()
			}
			return s.union(u, x, val, picks[u])
		}
		return s.value(o.Field(f.index), val, f.schema)
	})
	if err != nil {
		return err
	}
	var missing []string
	for _, f := range m.fields {
		if f.required && !f.nullable && !seen[f.key] {
			missing = append(missing, f.key)
		}
	}
	if len(missing) > 0 {
		return missingFieldsError(m.reg.title, missing)
	}
	v.Set(o)
	return nil
}

// union decodes raw into v, a union m: as the branch pick, its sibling's
// choice (len(m.branches) for Other), or for pick < 0 the branch its tag
// names, else its first branch whose keys the object has.
func (s *refSpec) union(m *refModel, v reflect.Value, raw []byte, pick int) error {
	present := map[string]bool{}
	var tagVal []byte
	err := eachMember(raw, func(key string, val []byte) error {
		present[key] = !isJSONNull(val)
		if m.tag != nil && !m.tag.sibling && key == m.tag.key {
			tagVal = val
		}
		return nil
	})
	if err != nil {
		return err // no object: no branch, nor Other, takes it
	}
	if pick < 0 && tagVal != nil {
		if pick, err = m.tag.pick(tagVal); err != nil {
			return err
		}
	}
	if pick < 0 {
		pick = slices.IndexFunc(m.branches, func(b *refBranch) bool {
			return !slices.ContainsFunc(b.keys, func(k string) bool { return !present[k] })
		})
	}
	u := reflect.New(m.typ).Elem()
	switch {
	case pick >= 0 && pick < len(m.branches):
		b := m.branches[pick]
		p := reflect.New(b.model.typ)
		if err := s.object(b.model, p.Elem(), raw); err != nil {
			return err
		}
		u.Field(b.index).Set(p)
	case pick == len(m.branches) || m.free:
		u.Field(m.other).SetBytes(bytes.Clone(bytes.Trim(raw, jsonSpace)))
	default:
		return fmt.Errorf("%s: the object has the keys of no branch", m.reg.title)
	}
	v.Set(u)
	return nil
}

// scalarValue reads raw as one of the scalar types kinds names.
func scalarValue(raw []byte, kinds []string) (any, error) {
	has := func(k string) bool { return slices.Contains(kinds, k) }
	switch c := raw[0]; {
	case c == '"' && has("string"):
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case (c == '-' || c >= '0' && c <= '9') && has("integer") && (!has("number") || !bytes.ContainsAny(raw, ".eE")):
		var n int
		err := json.Unmarshal(raw, &n)
		return n, err
	case (c == '-' || c >= '0' && c <= '9') && has("number"):
		var f float64
		err := json.Unmarshal(raw, &f)
		return f, err
	case (c == 't' || c == 'f') && has("boolean"):
		var b bool
		err := json.Unmarshal(raw, &b)
		return b, err
	}
	return nil, fmt.Errorf("%s is none of %s", clip(raw), strings.Join(kinds, ", "))
}

// eachMember calls fn with each member of the JSON object raw, in order:
// its key, unescaped, and its value as it is written. raw must be valid
// JSON; a value that is no object is an error.
func eachMember(raw []byte, fn func(key string, val []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("expected an object, found %s", clip(raw))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return err
		}
		if err := fn(tok.(string), val); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// eachItem calls fn with each element of the JSON array raw, in order.
func eachItem(raw []byte, fn func(item []byte) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return fmt.Errorf("expected an array, found %s", clip(raw))
	}
	for dec.More() {
		var item json.RawMessage
		if err := dec.Decode(&item); err != nil {
			return err
		}
		if err := fn(item); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// isJSONNull reports whether data is the JSON null, white space around.
func isJSONNull(data []byte) bool { return string(bytes.Trim(data, jsonSpace)) == "null" }

// jsonSpace is JSON's white space.
const jsonSpace = " \t\r\n"

// nullableRef lets the tests read and set a Nullable of any T by
// reflection.
type nullableRef interface {
	refElem() reflect.Type
	refNull()
	refSet(v reflect.Value)
	refState() (value reflect.Value, null, set bool)
}

func (n *Nullable[T]) refElem() reflect.Type  { return reflect.TypeFor[T]() }
func (n *Nullable[T]) refNull()               { *n = Null[T]() }
func (n *Nullable[T]) refSet(v reflect.Value) { *n = Value(v.Interface().(T)) }
func (n *Nullable[T]) refState() (reflect.Value, bool, bool) {
	return reflect.ValueOf(&n.value).Elem(), n.IsNull(), n.IsSet()
}

var (
	nullableMethods = reflect.TypeFor[nullableRef]()
	timeType        = reflect.TypeFor[time.Time]()
)

// isNullableType reports whether t is a Nullable[T].
func isNullableType(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == secretType.PkgPath() &&
		strings.HasPrefix(t.Name(), "Nullable[") && reflect.PointerTo(t).Implements(nullableMethods)
}

// diffValues describes the first difference between a and b, of one type,
// "" when there is none: reflect.DeepEqual's idea of equal, but for times,
// which are equal when they are the same instant with the same offset.
func diffValues(a, b reflect.Value) string {
	return diffAt(a, b, "")
}

func diffAt(a, b reflect.Value, path string) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: %s and %s", path, a.Type(), b.Type())
	}
	differ := func(x, y any) string { return fmt.Sprintf("%s: %#v and %#v", path, x, y) }
	t := a.Type()
	if t == timeType {
		ta, tb := timeOf(a), timeOf(b)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		if !ta.Equal(tb) || oa != ob {
			return fmt.Sprintf("%s: %s and %s", path, ta.Format(time.RFC3339Nano), tb.Format(time.RFC3339Nano))
		}
		return ""
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil is %v and %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return diffAt(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range t.NumField() {
			if d := diffAt(a.Field(i), b.Field(i), path+"."+t.Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil is %v and %v", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d and %d elements", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := diffAt(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil is %v and %v", path, a.IsNil(), b.IsNil())
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d and %d keys", path, a.Len(), b.Len())
		}
		keys := a.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s: key %q only in the first", path, k.String())
			}
			if d := diffAt(a.MapIndex(k), bv, fmt.Sprintf("%s[%q]", path, k.String())); d != "" {
				return d
			}
		}
	case reflect.String:
		if a.String() != b.String() {
			return differ(a.String(), b.String())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return differ(a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if a.Uint() != b.Uint() {
			return differ(a.Uint(), b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if a.Float() != b.Float() {
			return differ(a.Float(), b.Float())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return differ(a.Bool(), b.Bool())
		}
	default:
		panic(fmt.Sprintf("diffValues: %s at %s", t, path))
	}
	return ""
}

// timeOf is the time.Time v holds, even in an unexported field (of a
// Nullable).
func timeOf(v reflect.Value) time.Time {
	if v.CanInterface() {
		return v.Interface().(time.Time)
	}
	if v.CanAddr() {
		return *(*time.Time)(unsafe.Pointer(v.UnsafeAddr()))
	}
	panic("timeOf: a time.Time that is neither exported nor addressable")
}

// wireTime decodes a JSON date-time string with parseTimestamp, the way
// the reference reads timestamps.
type wireTime time.Time

func (w *wireTime) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("date-time must be a string: %w", err)
	}
	t, err := parseTimestamp(s)
	if err != nil {
		return err
	}
	*w = wireTime(t)
	return nil
}

// jsonOf is data, cut short, for a failure message.
func jsonOf(data []byte) string {
	if len(data) > 2000 {
		return strconv.Quote(string(data[:2000])) + "…"
	}
	return strconv.Quote(string(data))
}
