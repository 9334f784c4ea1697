package arthur

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"sort"
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
		for _, s := range [][]byte{nil, bytes.Repeat([]byte{1}, 64), bytes.Repeat([]byte{2, 7}, 64),
			bytes.Repeat([]byte{0xff}, 64), ramp, bytes.Repeat([]byte{5, 3, 0x80, 9}, 48)} {
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
		want := wireValue(v)
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
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: %#v: the SDK writes\n%s\nencoding/json writes, by the struct tags,\n%s", m.reg.schema, v, got, want)
	}
	if !bytes.Equal(got, viaJSON) {
		t.Fatalf("%s: %#v: the SDK writes\n%s\nencoding/json writes, through MarshalJSON,\n%s", m.reg.schema, v, got, viaJSON)
	}
	if !json.Valid(got) {
		t.Fatalf("%s: %#v: the SDK writes invalid JSON %s", m.reg.schema, v, got)
	}
	return got, true
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
// as encoding/json writes them in that order; a json.RawMessage compacted
// and HTML-escaped.
func wireValue(v reflect.Value) reflect.Value {
	t := v.Type()
	out := reflect.New(t).Elem()
	switch {
	case t == timeType:
		out.Set(v)
		return out
	case t == rawMessageType:
		if !v.IsNil() {
			var b bytes.Buffer
			if json.Compact(&b, v.Bytes()) == nil {
				var e bytes.Buffer
				json.HTMLEscape(&e, b.Bytes())
				out.SetBytes(e.Bytes())
			}
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
			x.Set(wireValue(value))
			n.refSet(x)
		}
		return out
	}
	switch t.Kind() {
	case reflect.String:
		out.SetString(fixUTF8([]byte(v.String())))
	case reflect.Interface:
		if !v.IsNil() {
			out.Set(wireValue(v.Elem()))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out.Set(reflect.New(t.Elem()))
			out.Elem().Set(wireValue(v.Elem()))
		}
	case reflect.Slice:
		if !v.IsNil() {
			out.Set(reflect.MakeSlice(t, v.Len(), v.Len()))
			for i := range v.Len() {
				out.Index(i).Set(wireValue(v.Index(i)))
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
				out.SetMapIndex(reflect.ValueOf(fixUTF8([]byte(k.String()))).Convert(t.Key()), wireValue(e))
			}
		}
	case reflect.Struct:
		for i := range t.NumField() {
			out.Field(i).Set(wireValue(v.Field(i)))
		}
	default:
		out.Set(v)
	}
	return out
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
				f.fill(v.Field(fl.index), fl.schema, fl.required && !fl.nullable, depth+1)
			}
			return
		case "union":
			switch c := int(f.byte()) % (len(m.branches) + 2); c {
			case 0: // none set
			case len(m.branches) + 1: // all
				for _, b := range m.branches {
					f.fill(v.Field(b.index), nil, true, depth+1)
				}
			default:
				f.fill(v.Field(m.branches[c-1].index), nil, true, depth+1)
			}
			return
		case "enum":
			if c := int(f.byte()); c < 2*len(m.reg.values) {
				v.SetString(m.reg.values[c%len(m.reg.values)])
			} else {
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
		if c == 0 && !required || depth > 4 {
			return
		}
		n := max(c-1, 0)
		v.Set(reflect.MakeSlice(t, n, n))
		for i := range n {
			f.fill(v.Index(i), sch.items(), false, depth+1)
		}
	case reflect.Map:
		c := int(f.byte()) % 4
		if c == 0 && !required || depth > 4 {
			return
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
