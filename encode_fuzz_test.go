package arthur

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// FuzzEncodeModels holds the encoder of every model that requests reach to
// encoding/json: a value filled from the fuzz input by reflection (strings
// with control characters, invalid UTF-8 and HTML's characters, each state
// of a Nullable, nil and empty slices) encodes to the very bytes that
// encoding/json writes for it, through its MarshalJSON and through its
// struct tags alone, and decodes back, with the SDK and with the
// reference, to the same value, its strings repaired as encoding/json
// repairs them. The first byte of the input picks the model.
func FuzzEncodeModels(f *testing.F) {
	spec := specOf(f)
	var models []*refModel
	for _, m := range spec.models {
		if m.reg.request {
			models = append(models, m)
		}
	}
	pick := newModelPicker(models)
	ramp := make([]byte, 256)
	for i := range ramp {
		ramp[i] = byte(i)
	}
	for _, m := range models {
		// Of a model that holds no union, two: the union's choices take more.
		seeds := [][]byte{nil, ramp, bytes.Repeat([]byte{1}, 64), bytes.Repeat([]byte{2, 7}, 64),
			bytes.Repeat([]byte{0xff}, 64), bytes.Repeat([]byte{5, 3, 0x80, 9}, 48)}
		if !spec.holdsUnion(m.typ) {
			seeds = seeds[:2]
		}
		for _, s := range seeds {
			f.Add(append(pick.prefix(m), s...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, in, ok := pick.pick(data)
		if !ok {
			return
		}
		v := reflect.New(m.typ).Elem()
		(&filler{spec: spec, b: in}).fill(v, m.schema, true, 0)
		out, ok := checkEncode(t, spec, m, v)
		if !ok {
			return
		}
		want := spec.wireValue(v)
		for how, back := range map[string]func() (reflect.Value, error){
			"the SDK": func() (reflect.Value, error) {
				p := m.reg.newValue()
				return reflect.ValueOf(p), sdkUnmarshal(p, out)
			},
			"the reference": func() (reflect.Value, error) { return spec.decode(m, out) },
		} {
			got, err := back()
			if err != nil {
				t.Fatalf("%s: %#v encodes as %s, which %s refuses: %v", m.reg.schema, v, jsonOf(out), how, err)
			}
			if d := diffValues(want, got.Elem()); d != "" {
				t.Fatalf("%s: %#v encodes as %s, which %s decodes to another value\n%s (sent, decoded)", m.reg.schema, v, jsonOf(out), how, d)
			}
		}
	})
}

// fillTag sets the field of key in x, a mirror of a union's branch (or a
// pointer to one), to tag where it is unset: the SDK writes a branch's
// const tag where the branch leaves it out.
func fillTag(x reflect.Value, key, tag string) {
	for x.Kind() == reflect.Pointer {
		if x.IsNil() {
			return
		}
		x = x.Elem()
	}
	if x.Kind() != reflect.Struct {
		return
	}
	for i := range x.NumField() {
		name, _, _ := strings.Cut(x.Type().Field(i).Tag.Get("json"), ",")
		if name != key {
			continue
		}
		switch f := x.Field(i); {
		case f.Kind() == reflect.String && f.String() == "":
			f.SetString(tag)
		case f.Kind() == reflect.Pointer && f.IsNil() && f.Type().Elem().Kind() == reflect.String:
			p := reflect.New(f.Type().Elem())
			p.Elem().SetString(tag)
			f.Set(p)
		}
	}
}

// checkEncode encodes v, a value of m's type, with the SDK (its
// MarshalJSON, or an enum's encoder) and with encoding/json, through
// MarshalJSON and through a mirror of its struct tags: all must fail, or
// all write the same bytes, which it returns with ok true.
func checkEncode(t *testing.T, spec *refSpec, m *refModel, v reflect.Value) ([]byte, bool) {
	t.Helper()
	got, gotErr := sdkMarshal(v.Interface())
	viaJSON, jsonErr := json.Marshal(v.Interface())
	mirror, mirrorErr := spec.mirror(v)
	var want []byte
	if mirrorErr == nil {
		want, mirrorErr = json.Marshal(mirror.Interface())
	}
	if (gotErr == nil) != (mirrorErr == nil) || (gotErr == nil) != (jsonErr == nil) {
		t.Fatalf("%s: %#v: SDK err=%v, encoding/json err=%v, of the mirror %v", m.reg.schema, v, gotErr, jsonErr, mirrorErr)
	}
	if gotErr != nil {
		return nil, false
	}
	// A json.RawMessage (an untyped value, a union's Other) the SDK writes
	// as it is, where encoding/json compacts and HTML-escapes it: where one
	// is not as encoding/json writes it, the SDK's bytes must be those of
	// encoding/json once compacted and escaped, with each as it is in them.
	exact := true
	eachRaw(v, func(raw []byte) {
		if c := canonicalJSON(raw); !bytes.Equal(c, raw) {
			exact = false
			if !bytes.Contains(got, bytes.Trim(raw, jsonSpace)) {
				t.Fatalf("%s: %#v: the SDK writes\n%s\nwithout the raw JSON %s as it is", m.reg.schema, v, got, raw)
			}
		}
	})
	same := func(want []byte) bool {
		if exact {
			return bytes.Equal(got, want)
		}
		return bytes.Equal(canonicalJSON(got), want)
	}
	if !same(want) {
		t.Fatalf("%s: %#v: the SDK writes\n%s\nencoding/json writes, by the struct tags,\n%s", m.reg.schema, v, got, want)
	}
	if !same(viaJSON) {
		t.Fatalf("%s: %#v: the SDK writes\n%s\nencoding/json writes, through MarshalJSON,\n%s", m.reg.schema, v, got, viaJSON)
	}
	if !json.Valid(got) {
		t.Fatalf("%s: %#v: the SDK writes invalid JSON %s", m.reg.schema, v, got)
	}
	return got, true
}

// canonicalJSON is raw as encoding/json writes a json.RawMessage:
// compacted and HTML-escaped; raw itself where it is no JSON.
func canonicalJSON(raw []byte) []byte {
	var b, e bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	json.HTMLEscape(&e, b.Bytes())
	return e.Bytes()
}

// eachRaw calls fn with each json.RawMessage v holds that is not nil.
func eachRaw(v reflect.Value, fn func([]byte)) {
	t := v.Type()
	switch {
	case t == rawMessageType:
		if !v.IsNil() {
			fn(v.Bytes())
		}
		return
	case t == timeType:
		return
	case isNullableType(t):
		x := reflect.New(t).Elem()
		x.Set(v)
		if value, _, set := x.Addr().Interface().(nullableRef).refState(); set {
			eachRaw(value, fn)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachRaw(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachRaw(v.Index(i), fn)
		}
	case reflect.Map:
		for iter := v.MapRange(); iter.Next(); {
			eachRaw(iter.Value(), fn)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			eachRaw(v.Field(i), fn)
		}
	}
}

// sdkMarshal encodes v, a T of the registry, as the SDK does: with its
// MarshalJSON, or for an enum, which has none, with its encoder.
func sdkMarshal(v any) ([]byte, error) {
	if m, ok := v.(json.Marshaler); ok {
		return m.MarshalJSON()
	}
	return marshalJSON(v.(jsonEncoder))
}

// The mirror of a model is a value that encoding/json writes by reflection
// alone as the SDK writes the model: a struct made with reflect.StructOf
// with the model's fields, tags and all, each of its field's mirror type,
// and no methods. Each kind has its mirror:
//
//   - a string type (an enum, Secret) is a string;
//   - a Nullable[T] is a **T' (T' the mirror of T): nil when unset, a
//     pointer to nil when null, so that omitzero leaves out an unset one;
//   - a union, which no struct mirrors (its JSON is its branch's), is an
//     any holding the mirror of the branch that is set, and has no mirror
//     (an error, as the SDK's) when none or more than one is;
//   - time.Time and json.RawMessage are themselves: encoding/json's own
//     ways of writing them are the reference;
//   - pointers, slices and maps are of the mirror of their elements, an
//     any holds what it holds.
var mirrorTypes sync.Map // reflect.Type: its mirror type

var (
	anyType        = reflect.TypeFor[any]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
)

func (s *refSpec) mirrorType(t reflect.Type) reflect.Type {
	if mt, ok := mirrorTypes.Load(t); ok {
		return mt.(reflect.Type)
	}
	var mt reflect.Type
	switch {
	case t == timeType || t == rawMessageType:
		mt = t
	case isNullableType(t):
		elem := reflect.New(t).Interface().(nullableRef).refElem()
		mt = reflect.PointerTo(reflect.PointerTo(s.mirrorType(elem)))
	case s.byType[t] != nil && s.byType[t].reg.kind == "union":
		mt = anyType
	default:
		switch t.Kind() {
		case reflect.String:
			mt = reflect.TypeFor[string]()
		case reflect.Int, reflect.Float64, reflect.Bool, reflect.Interface:
			mt = t
		case reflect.Pointer:
			mt = reflect.PointerTo(s.mirrorType(t.Elem()))
		case reflect.Slice:
			mt = reflect.SliceOf(s.mirrorType(t.Elem()))
		case reflect.Map:
			mt = reflect.MapOf(reflect.TypeFor[string](), s.mirrorType(t.Elem()))
		case reflect.Struct:
			fields := make([]reflect.StructField, t.NumField())
			for i := range fields {
				sf := t.Field(i)
				fields[i] = reflect.StructField{Name: sf.Name, Type: s.mirrorType(sf.Type), Tag: sf.Tag}
			}
			mt = reflect.StructOf(fields)
		default:
			panic("mirror: no mirror of " + t.String())
		}
	}
	mirrorTypes.Store(t, mt)
	return mt
}

// mirror is v's mirror, an error when v has none.
func (s *refSpec) mirror(v reflect.Value) (reflect.Value, error) {
	t := v.Type()
	mt := s.mirrorType(t)
	out := reflect.New(mt).Elem()
	switch {
	case t == timeType || t == rawMessageType:
		out.Set(v)
		return out, nil
	case isNullableType(t):
		value, null, set := v.Addr().Interface().(nullableRef).refState()
		switch {
		case null:
			out.Set(reflect.New(mt.Elem()))
		case set:
			x, err := s.mirror(value)
			if err != nil {
				return out, err
			}
			p := reflect.New(mt.Elem().Elem())
			p.Elem().Set(x)
			pp := reflect.New(mt.Elem())
			pp.Elem().Set(p)
			out.Set(pp)
		}
		return out, nil
	case s.byType[t] != nil && s.byType[t].reg.kind == "union":
		var set []int
		for i := range t.NumField() {
			if !v.Field(i).IsNil() {
				set = append(set, i)
			}
		}
		if len(set) != 1 {
			return out, errors.New("a union needs exactly one branch set")
		}
		x, err := s.mirror(v.Field(set[0]))
		if err != nil {
			return out, err
		}
		if u := s.byType[t]; u.tag != nil && !u.tag.sibling && set[0] < len(u.tag.tags) && u.tag.tags[set[0]] != "" {
			fillTag(x, u.tag.key, u.tag.tags[set[0]])
		}
		out.Set(x)
		return out, nil
	}
	switch t.Kind() {
	case reflect.String:
		out.SetString(v.String())
	case reflect.Int, reflect.Float64, reflect.Bool:
		out.Set(v)
	case reflect.Interface:
		if !v.IsNil() {
			out.Set(v.Elem())
		}
	case reflect.Pointer:
		if !v.IsNil() {
			x, err := s.mirror(v.Elem())
			if err != nil {
				return out, err
			}
			p := reflect.New(mt.Elem())
			p.Elem().Set(x)
			out.Set(p)
		}
	case reflect.Slice:
		if !v.IsNil() {
			out.Set(reflect.MakeSlice(mt, v.Len(), v.Len()))
			for i := range v.Len() {
				x, err := s.mirror(v.Index(i))
				if err != nil {
					return out, err
				}
				out.Index(i).Set(x)
			}
		}
	case reflect.Map:
		if !v.IsNil() {
			out.Set(reflect.MakeMap(mt))
			iter := v.MapRange()
			for iter.Next() {
				e := reflect.New(t.Elem()).Elem()
				e.Set(iter.Value())
				x, err := s.mirror(e)
				if err != nil {
					return out, err
				}
				out.SetMapIndex(reflect.ValueOf(iter.Key().String()), x)
			}
		}
	case reflect.Struct:
		for i := range t.NumField() {
			x, err := s.mirror(v.Field(i))
			if err != nil {
				return out, err
			}
			out.Field(i).Set(x)
		}
	}
	return out, nil
}

// wireValue is a copy of v as it comes back from the JSON encoding/json
// writes for it: each string with each byte of invalid UTF-8 replaced by
// U+FFFD; of a map's keys that become one, the last in sorted order wins,
// as encoding/json writes them in that order; a json.RawMessage as it is,
// as the SDK writes it, without the white space around it, and nil for
// null.
func (s *refSpec) wireValue(v reflect.Value) reflect.Value {
	t := v.Type()
	out := reflect.New(t).Elem()
	switch {
	case t == timeType:
		out.Set(v)
		return out
	case t == rawMessageType:
		if !v.IsNil() && !isJSONNull(v.Bytes()) { // null comes back nil
			out.SetBytes(bytes.Trim(v.Bytes(), jsonSpace))
		}
		return out
	case isNullableType(t):
		value, null, set := v.Addr().Interface().(nullableRef).refState()
		n := out.Addr().Interface().(nullableRef)
		switch {
		case null:
			n.refNull()
		case set:
			x := reflect.New(value.Type()).Elem()
			x.Set(s.wireValue(value))
			n.refSet(x)
		}
		return out
	}
	switch t.Kind() {
	case reflect.String:
		out.SetString(fixUTF8([]byte(v.String())))
	case reflect.Interface:
		if !v.IsNil() {
			out.Set(s.wireValue(v.Elem()))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out.Set(reflect.New(t.Elem()))
			out.Elem().Set(s.wireValue(v.Elem()))
		}
	case reflect.Slice:
		if !v.IsNil() {
			out.Set(reflect.MakeSlice(t, v.Len(), v.Len()))
			for i := range v.Len() {
				out.Index(i).Set(s.wireValue(v.Index(i)))
			}
		}
	case reflect.Map:
		if !v.IsNil() {
			out.Set(reflect.MakeMap(t))
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
			for _, k := range keys {
				e := reflect.New(t.Elem()).Elem()
				e.Set(v.MapIndex(k))
				out.SetMapIndex(reflect.ValueOf(fixUTF8([]byte(k.String()))).Convert(t.Key()), s.wireValue(e))
			}
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if omittedZero(t.Field(i), v.Field(i)) {
				continue
			}
			out.Field(i).Set(s.wireValue(v.Field(i)))
		}
		if u := s.byType[t]; u != nil && u.tag != nil && !u.tag.sibling {
			for i, tag := range u.tag.tags { // the SDK writes a branch's tag where it is unset
				if tag != "" && !out.Field(i).IsNil() {
					fillTag(out.Field(i), u.tag.key, tag)
				}
			}
		}
	default:
		out.Set(v)
	}
	return out
}

// omittedZero reports whether encoding/json leaves out v, the value of
// field sf, for its omitzero: a pointer to a value whose IsZero says so
// (a *time.Time to the zero time), which then comes back nil.
func omittedZero(sf reflect.StructField, v reflect.Value) bool {
	_, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
	if !slices.Contains(strings.Split(opts, ","), "omitzero") || v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	z, ok := v.Interface().(interface{ IsZero() bool })
	return ok && z.IsZero()
}

// filler fills values from the bytes of a fuzz input, by reflection and
// what the spec says of each field: past the input's end every byte reads
// as 0.
type filler struct {
	spec *refSpec
	b    []byte
}

func (f *filler) byte() byte {
	if len(f.b) == 0 {
		return 0
	}
	c := f.b[0]
	f.b = f.b[1:]
	return c
}

func (f *filler) uint64() uint64 {
	var buf [8]byte
	for i := range buf {
		buf[i] = f.byte()
	}
	return binary.LittleEndian.Uint64(buf[:])
}

// stringPieces are what the strings filled are made of, besides bytes
// taken as they come: control characters, invalid UTF-8, a lone
// surrogate's encoding, HTML's characters, the line separators that
// encoding/json escapes, quotes and backslashes, and plain text.
var stringPieces = []string{"", "Ada", "ada@example.com", "<a href='x'>&amp;</a>", "\u2028\u2029", "\xff", "\xfe\xc3",
	"\xed\xa0\x80", "\xf4\x90\x80\x80", `"`, `\`, "\x00", "\x01\x1f", "\b\f\n\r\t", "\x7f", "日本語", "😀", "é", "\ufffd", " ", "/"}

func (f *filler) string() string {
	var b strings.Builder
	for n := f.byte() % 6; n > 0; n-- {
		c := f.byte()
		if int(c) < 2*len(stringPieces) {
			b.WriteString(stringPieces[int(c)%len(stringPieces)])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fill fills v, whose schema is sch; a field that is required and not
// nullable is never nil, since its null would be a missing field.
func (f *filler) fill(v reflect.Value, sch *refSchema, required bool, depth int) {
	t := v.Type()
	if m := f.spec.byType[t]; m != nil {
		switch m.reg.kind {
		case "object":
			for _, fl := range m.fields {
				required := fl.required && !fl.nullable
				x := fl.union
				if x == nil {
					f.fill(v.Field(fl.index), fl.schema, required, depth+1)
					continue
				}
				// A union whose branch a sibling tells: the sibling names it.
				u := v.Field(fl.index)
				if u.Kind() == reflect.Pointer {
					if f.byte()&1 == 0 && !required {
						continue
					}
					u.Set(reflect.New(u.Type().Elem()))
					u = u.Elem()
				}
				switch i := f.fillUnion(x, u, true, depth+1); {
				case i == len(x.branches):
					setString(v.Field(m.byKey[x.tag.key].index), "another_kind")
				case i >= 0:
					setString(v.Field(m.byKey[x.tag.key].index), x.tag.tags[i])
				}
			}
			return
		case "union":
			f.fillUnion(m, v, false, depth)
			return
		case "enum":
			values := enumValues(m)
			switch c := int(f.byte()); {
			case c < 2*len(values):
				v.Set(values[c%len(values)])
			case v.Kind() == reflect.Int:
				v.SetInt(int64(f.uint64()))
			default:
				v.SetString(f.string())
			}
			return
		}
	}
	switch {
	case t == timeType:
		sec := int64(f.uint64() % uint64(10000*365*24*3600))
		off := (int(f.byte())%95 - 47) * 30 * 60 // whole half hours, under a day
		ts := time.Unix(sec-62135596800, int64(f.uint64()%1e9)).In(time.FixedZone("", off))
		if f.byte()&1 == 0 {
			ts = ts.UTC()
		}
		v.Set(reflect.ValueOf(ts))
		return
	case t == rawMessageType:
		raws := []string{`null`, `1`, `"x"`, `{"a": [1, 2]}`, ` [ "<&>" ] `, `{`}
		if required { // null would be a missing field
			raws = raws[1:]
		}
		if c := int(f.byte()) % (len(raws) + 1); c < len(raws) || required {
			v.SetBytes([]byte(raws[c%len(raws)]))
		}
		return
	case isNullableType(t):
		n := v.Addr().Interface().(nullableRef)
		switch f.byte() % 3 {
		case 1:
			n.refNull()
		case 2:
			x := reflect.New(n.refElem()).Elem()
			f.fill(x, sch.nonNull(), true, depth+1)
			n.refSet(x)
		}
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(f.string())
	case reflect.Bool:
		v.SetBool(f.byte()&1 == 1)
	case reflect.Int:
		if c := f.byte(); c&1 == 0 {
			v.SetInt(int64(c>>1) - 64)
		} else {
			v.SetInt(int64(f.uint64()))
		}
	case reflect.Float64:
		v.SetFloat(f.float())
	case reflect.Pointer:
		if f.byte()&1 == 1 || required {
			p := reflect.New(t.Elem())
			f.fill(p.Elem(), sch.nonNull(), true, depth+1)
			v.Set(p)
		}
	case reflect.Slice:
		c := int(f.byte()) % 4
		if c == 0 && !required {
			return
		}
		n := max(c-1, 0)
		if depth > 4 {
			n = 0 // empty, where nil would be a missing field
		}
		v.Set(reflect.MakeSlice(t, n, n))
		for i := range n {
			f.fill(v.Index(i), sch.items(), false, depth+1)
		}
	case reflect.Map:
		c := int(f.byte()) % 4
		if c == 0 && !required {
			return
		}
		if depth > 4 {
			c = 0
		}
		v.Set(reflect.MakeMap(t))
		for range max(c-1, 0) {
			e := reflect.New(t.Elem()).Elem()
			f.fill(e, sch.values(), false, depth+1)
			v.SetMapIndex(reflect.ValueOf(f.string()).Convert(t.Key()), e)
		}
	case reflect.Interface:
		if x := f.anyValue(sch, required, depth); x != nil {
			v.Set(reflect.ValueOf(x))
		}
	default:
		panic("fill: no filling of " + t.String())
	}
}

// fillUnion fills v, a union m, with one of the branches that decode back
// as themselves (inOwner: where its sibling names the branch), or Other,
// or none, or all of them; it returns the branch set, len(m.branches) for
// Other, -1 for none or all. Past depth 6 it takes the first it may, which
// ends a recursion (a list it needs is empty there).
func (f *filler) fillUnion(m *refModel, v reflect.Value, inOwner bool, depth int) int {
	picks := m.roundTrips(inOwner)
	c := int(f.byte()) % (len(picks) + 2)
	if depth > 6 && len(picks) > 0 {
		c = 1
	}
	switch {
	case c == 0: // none set
		return -1
	case c == len(picks)+1: // all
		for _, b := range m.branches {
			f.fill(v.Field(b.index), nil, true, depth+1)
		}
		if m.other >= 0 {
			v.Field(m.other).SetBytes([]byte(`{}`))
		}
		return -1
	}
	i := picks[c-1]
	if i == len(m.branches) {
		// An object of no branch, with another tag where the union has one;
		// as the server may write it, with white space.
		key := `"another_key"`
		if m.tag != nil && !m.tag.sibling {
			key = strconv.Quote(m.tag.key)
		}
		raw := `{` + key + `:"another_kind","n":[1,"<&>\u2028"]}`
		if f.byte()&1 == 1 {
			raw = " {\n\t" + key + ` : "another_kind" , "n" : [ 1, "<&>\u2028" ] }` + "\n"
		}
		v.Field(m.other).SetBytes([]byte(raw))
		return i
	}
	b := m.branches[i]
	f.fill(v.Field(b.index), nil, true, depth+1)
	if m.tag != nil && !m.tag.sibling {
		setString(v.Field(b.index).Elem().Field(b.model.byKey[m.tag.key].index), m.tag.tags[i])
	}
	return i
}

// roundTrips are the branches of u that decode back as themselves, and
// len(u.branches) for Other where it does: every branch of a union with a
// tag of its own (the filler sets it); of a union whose sibling tells its
// branch, within its owner, every branch a value of the sibling names, and
// Other; else a branch for which each branch before it requires a key that
// it does not have, and Other, of a union with a branch of any object,
// where each branch requires a key.
func (u *refModel) roundTrips(inOwner bool) []int {
	var out []int
	switch {
	case u.tag != nil && !u.tag.sibling, u.tag != nil && inOwner:
		for i := range u.branches {
			if u.tag.tags[i] != "" {
				out = append(out, i)
			}
		}
		return append(out, len(u.branches))
	}
	keyed := true
	for i, b := range u.branches {
		if !slices.ContainsFunc(u.branches[:i], func(e *refBranch) bool {
			return !slices.ContainsFunc(e.keys, func(k string) bool { return b.model.byKey[k] == nil })
		}) {
			out = append(out, i)
		}
		keyed = keyed && len(b.keys) > 0
	}
	if u.free && keyed {
		out = append(out, len(u.branches))
	}
	return out
}

// setString sets v, a string type or a pointer to one, to s.
func setString(v reflect.Value, s string) {
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	v.SetString(s)
}

// float is a float64 of the input: small ones, fractions, and any bits,
// NaN and the infinities included.
func (f *filler) float() float64 {
	switch c := f.byte(); c % 4 {
	case 0:
		return float64(int8(c))
	case 1:
		return float64(int8(c)) / 8
	case 2:
		return []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 1e21, 1e-7, math.MaxFloat64,
			math.SmallestNonzeroFloat64}[int(c>>2)%8]
	}
	return math.Float64frombits(f.uint64())
}

// anyValue is a value for an any of schema sch: one of its scalar types,
// or what encoding/json decodes into an any; nil only when not required.
func (f *filler) anyValue(sch *refSchema, required bool, depth int) any {
	if kinds := sch.scalarKinds(); kinds != nil {
		switch kinds[int(f.byte())%len(kinds)] {
		case "string":
			return f.string()
		case "integer":
			return int(int64(f.uint64()) >> (f.byte() % 64))
		case "number":
			return f.float()
		case "boolean":
			return f.byte()&1 == 1
		}
	}
	c := f.byte() % 6
	if c == 0 && required {
		c = 1
	}
	if depth > 4 {
		c = 1
	}
	switch c {
	case 1:
		return f.string()
	case 2:
		if x := f.float(); !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x
		}
		return 1.5
	case 3:
		return f.byte()&1 == 1
	case 4:
		list := []any{}
		for range f.byte() % 4 {
			list = append(list, f.anyValue(nil, false, depth+1))
		}
		return list
	case 5:
		m := map[string]any{}
		for range f.byte() % 4 {
			m[f.string()] = f.anyValue(nil, false, depth+1)
		}
		return m
	}
	return nil
}
