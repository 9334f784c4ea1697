package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Object is a JSON object whose keys keep their order when encoded.
type Object []Member

// Member is one key of an Object.
type Member struct {
	Key   string
	Value any
}

// MarshalJSON writes the object, its keys in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(m.Key)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := marshal(m.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Get returns the value of key.
func (o Object) Get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// Set sets key, in place or at the end.
func (o *Object) Set(key string, v any) {
	for i := range *o {
		if (*o)[i].Key == key {
			(*o)[i].Value = v
			return
		}
	}
	*o = append(*o, Member{key, v})
}

// Epoch is the earliest timestamp Synth writes; the others follow it by
// up to a year.
var Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// TimeLayout is how pydantic writes an aware UTC datetime.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Synth makes values that fit the document's schemas, the same ones for
// the same seed.
type Synth struct {
	d   *Doc
	rng *rand.Rand
}

// maxSynthDepth is how deep values nest before every optional part is
// left out: it ends the document's recursive schemas.
const maxSynthDepth = 6

// NewSynth returns a Synth for seed.
func (d *Doc) NewSynth(seed uint64) *Synth {
	return &Synth{d: d, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Value is a value that fits s, without its optional writeOnly properties.
func (y *Synth) Value(s *Schema) any { return y.value(s, "", 0, false) }

// Items is n values that fit the items of the array s (or s itself when
// it is no array).
func (y *Synth) Items(s *Schema, n int) []any {
	s = y.d.Resolve(s)
	if s.Is("array") && s.Items != nil {
		s = s.Items
	}
	out := make([]any, n)
	for i := range out {
		out[i] = y.value(s, "", 1, false)
	}
	return out
}

func (y *Synth) value(s *Schema, name string, depth int, inUnion bool) any {
	model := RefName(s)
	s = y.d.Resolve(s)
	if s.HasConst {
		return s.Const
	}
	if len(s.Enum) > 0 {
		return s.Enum[y.rng.IntN(len(s.Enum))]
	}
	if len(s.AllOf) > 0 {
		out := Object{}
		for _, b := range s.AllOf {
			if o, ok := y.value(b, name, depth+1, inUnion).(Object); ok {
				for _, m := range o {
					out.Set(m.Key, m.Value)
				}
			}
		}
		return out
	}
	if branches := append(append([]*Schema{}, s.AnyOf...), s.OneOf...); len(branches) > 0 {
		rest, null := y.d.nonNull(branches)
		if null && (len(rest) == 0 || depth >= maxSynthDepth || y.rng.IntN(4) == 0) {
			return nil
		}
		b := rest[y.rng.IntN(len(rest))]
		if depth >= maxSynthDepth {
			b = y.shallowest(rest)
		}
		return y.value(b, name, depth+1, len(rest) > 1)
	}
	if s.Is("null") && len(s.Types) == 1 {
		return nil
	}
	switch {
	case s.Is("object") || len(s.Properties) > 0:
		return y.object(s, model, depth, inUnion)
	case s.Is("array"):
		lo, hi := 0, 3
		if depth >= maxSynthDepth {
			hi = 0
		}
		if s.MinItems != nil {
			lo = *s.MinItems
		}
		if s.MaxItems != nil {
			hi = min(hi, *s.MaxItems)
		}
		hi = max(hi, lo)
		n := lo + y.rng.IntN(hi-lo+1)
		out := make([]any, 0, n)
		seen := map[string]bool{}
		for range n * 4 {
			if len(out) == n {
				break
			}
			var item any = ""
			if s.Items != nil {
				item = y.value(s.Items, name, depth+1, false)
			}
			if s.UniqueItems {
				b, _ := json.Marshal(item)
				if seen[string(b)] {
					continue
				}
				seen[string(b)] = true
			}
			out = append(out, item)
		}
		return out
	case s.Is("string"):
		return y.str(s, name)
	case s.Is("integer"):
		lo, hi := y.bounds(s, 0, 100)
		lo, hi = math.Ceil(lo), math.Floor(hi)
		if hi < lo {
			return int64(lo)
		}
		return int64(lo) + y.rng.Int64N(int64(hi-lo)+1)
	case s.Is("number"):
		lo, hi := y.bounds(s, 0, 100)
		f := lo + y.rng.Float64()*(hi-lo)
		f = math.Round(f*100) / 100
		if f < lo || f > hi || (s.ExclusiveMinimum != nil && f <= *s.ExclusiveMinimum) || (s.ExclusiveMaximum != nil && f >= *s.ExclusiveMaximum) {
			f = (lo + hi) / 2
		}
		return f
	case s.Is("boolean"):
		return y.rng.IntN(2) == 0
	}
	return y.word(name) // any value: a string is one
}

// shallowest is the branch that nests least: a scalar before an object.
func (y *Synth) shallowest(branches []*Schema) *Schema {
	best := branches[0]
	for _, b := range branches {
		r := y.d.Resolve(b)
		if !r.Is("object") && !r.Is("array") && len(r.Properties) == 0 {
			return b
		}
		if len(r.Required) < len(y.d.Resolve(best).Required) {
			best = b
		}
	}
	return best
}

func (y *Synth) bounds(s *Schema, lo, hi float64) (float64, float64) {
	if s.Minimum != nil {
		lo = *s.Minimum
		hi = max(hi, lo)
	}
	if s.ExclusiveMinimum != nil {
		lo = *s.ExclusiveMinimum + 1
		hi = max(hi, lo)
	}
	if s.Maximum != nil {
		hi = *s.Maximum
		lo = min(lo, hi)
	}
	if s.ExclusiveMaximum != nil {
		hi = *s.ExclusiveMaximum - 1
		lo = min(lo, hi)
	}
	return lo, hi
}

// object fills the required properties, about half the optional ones
// (none in a union's branch, whose required keys tell it apart, nor deep
// down), a writeOnly one only when it is required (a secret the API
// answers once, such as a new service account's client_secret); a
// sibling-tagged union follows its tag.
func (y *Synth) object(s *Schema, model string, depth int, inUnion bool) any {
	out := Object{}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	siblings := y.d.Siblings[model]
	for _, name := range s.Order {
		p := s.Properties[name]
		rp := y.d.Resolve(p)
		if (rp.WriteOnly || p.WriteOnly) && !required[name] {
			continue // a required one is a secret the API shows once
		}
		if _, tagged := siblings[name]; tagged {
			continue // after its tag
		}
		if !required[name] && !rp.HasConst && (inUnion || depth >= maxSynthDepth || y.rng.IntN(2) == 0) {
			continue
		}
		out = append(out, Member{name, y.value(p, name, depth+1, false)})
	}
	for _, name := range s.Order {
		sib, tagged := siblings[name]
		if !tagged {
			continue
		}
		tag, _ := out.Get(sib.Tag)
		ts, _ := tag.(string)
		branch, ok := sib.Mapping[ts]
		var v any
		switch {
		case ok:
			v = y.value(&Schema{Ref: refPrefix + branch}, name, depth+1, true)
		case !required[name]:
			continue
		default:
			v = y.value(s.Properties[name], name, depth+1, false)
		}
		out.Set(name, v)
	}
	if len(s.Properties) == 0 && s.Additional != nil && depth < maxSynthDepth {
		for i := range y.rng.IntN(3) {
			key := fmt.Sprintf("key%d", i+1)
			if s.PropertyNames != nil {
				key = y.str(y.d.Resolve(s.PropertyNames), "key")
			}
			out = append(out, Member{key, y.value(s.Additional, key, depth+1, false)})
		}
	}
	return out
}

func (y *Synth) str(s *Schema, name string) string {
	var v string
	switch s.Format {
	case "uuid", "uuid4":
		v = y.UUID()
	case "date-time":
		v = Epoch.Add(time.Duration(y.rng.Int64N(365*24*3600)) * time.Second).Format(TimeLayout)
	case "date":
		v = Epoch.AddDate(0, 0, y.rng.IntN(365)).Format("2006-01-02")
	case "email":
		v = fmt.Sprintf("user%d@example.com", y.rng.IntN(10000))
	case "password":
		v = fmt.Sprintf("secret-%08x", y.rng.Uint32())
	default:
		v = y.word(name)
	}
	if s.MaxLength != nil && len([]rune(v)) > *s.MaxLength {
		v = string([]rune(v)[:*s.MaxLength])
	}
	if s.MinLength != nil && len([]rune(v)) < *s.MinLength {
		v += strings.Repeat("x", *s.MinLength-len([]rune(v)))
	}
	return v
}

// word is a readable string for a property: "name-3f2a".
func (y *Synth) word(name string) string {
	if name == "" {
		name = "value"
	}
	return name + "-" + strconv.FormatUint(uint64(y.rng.Uint32()>>16), 16)
}

// UUID is a random (version 4) UUID from the seed.
func (y *Synth) UUID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(y.rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
