package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// An example is a value of a Go type of the SDK, made from the spec alone
// and the same every run: the spec's default where it gives one, an enum's
// first value, a fixed value for a format (a UUID, a time, an email), and
// otherwise a value made from the property's name. Every field of a model
// is filled, required or not. The docs write it as JSON, for a body the
// client decodes, and as a Go expression, for a value a program builds.
type example struct {
	t      *goType
	null   bool
	str    string  // kString, kSecret, kEnum, kTime (its JSON text), kAny
	num    float64 // kInt, kFloat
	b      bool    // kBool
	items  []*example
	fields []exampleField // a model's fields, in order; a map's one entry
	branch *branch        // the union's branch that is set
	raw    string         // kRaw: its JSON text
}

type exampleField struct {
	f   *field // nil for a map's entry
	key string
	v   *example
}

// The fixed values of the formats.
const (
	exampleTime  = "2025-01-02T15:04:05Z"
	exampleDate  = "2025-01-02"
	exampleEmail = "ada@example.com"
)

// exampleOf is the example of a value of type t, where the property or
// parameter is named name, its schema is s and its default def.
func (a *api) exampleOf(t *goType, name string, s *schema, def json.RawMessage) *example {
	return a.exampleIn(t, name, s, def, map[*model]bool{})
}

// exampleModel is the example of a model: every field filled.
func (a *api) exampleModel(m *model) *example {
	return a.modelExample(m, map[*model]bool{})
}

// exampleJSON is the example of t as indented JSON, as a server would
// send it.
func (a *api) exampleJSON(t *goType) string {
	return a.exampleOf(t, "value", t.s, nil).json("")
}

func (a *api) exampleIn(t *goType, name string, s *schema, def json.RawMessage, stack map[*model]bool) *example {
	s = limits(s, t.s)
	if len(def) == 0 {
		def = s.Default
	}
	if v := fromDefault(t, def); v != nil {
		return v
	}
	x := &example{t: t}
	switch t.kind {
	case kString:
		x.str = exampleString(t, name, s)
	case kSecret:
		x.str = fitLength(wordsOf(name), s)
	case kAny:
		x.str = wordsOf(name)
	case kTime:
		x.str = exampleTime
	case kInt, kFloat:
		x.num = exampleNumber(t.kind, s)
	case kBool:
		x.b = true
	case kScalar:
		return a.exampleIn(&goType{kind: t.scalars[0], s: s}, name, s, nil, stack)
	case kRaw:
		x.raw = "{}"
	case kEnum:
		if m := a.modelNamed(t.name); m != nil && len(m.values) > 0 {
			x.str = m.values[0].value
		}
	case kArray:
		n := 1
		if s.MinItems != nil && *s.MinItems > 1 {
			n = *s.MinItems
		}
		if m := a.modelNamed(t.elem.name); m != nil && stack[m] {
			n = 0 // an empty list ends a recursion
		}
		for i := 0; i < n; i++ {
			seed := name
			if i > 0 {
				seed = name + strconv.Itoa(i)
			}
			x.items = append(x.items, a.exampleIn(t.elem, seed, t.elem.s, nil, stack))
		}
	case kMap:
		x.fields = []exampleField{{key: "key", v: a.exampleIn(t.elem, name, t.elem.s, nil, stack)}}
	case kModel, kUnion:
		m := a.modelNamed(t.name)
		if m != nil && stack[m] && m.kind == kUnion {
			// A recursion ends at a branch that is not on its way.
			for _, b := range m.branch {
				if !stack[b.model] {
					x := a.modelExample(b.model, stack)
					x.t, x.branch = &goType{kind: kUnion, name: m.goName}, b
					return x
				}
			}
		}
		if m == nil || stack[m] {
			return &example{t: t, null: true}
		}
		return a.modelExample(m, stack)
	}
	return x
}

// limits is s with the constraints of inner where s has none: a nullable
// property's schema and the schema of its type.
func limits(s, inner *schema) *schema {
	out := schema{}
	if s != nil {
		out = *s
	}
	if inner == nil {
		return &out
	}
	if len(out.Default) == 0 {
		out.Default = inner.Default
	}
	if out.Format == "" {
		out.Format = inner.Format
	}
	for _, p := range []struct{ dst, src **float64 }{
		{&out.Minimum, &inner.Minimum}, {&out.Maximum, &inner.Maximum},
		{&out.ExclusiveMinimum, &inner.ExclusiveMinimum}, {&out.ExclusiveMaximum, &inner.ExclusiveMaximum},
	} {
		if *p.dst == nil {
			*p.dst = *p.src
		}
	}
	for _, p := range []struct{ dst, src **int }{
		{&out.MinLength, &inner.MinLength}, {&out.MaxLength, &inner.MaxLength},
		{&out.MinItems, &inner.MinItems}, {&out.MaxItems, &inner.MaxItems},
	} {
		if *p.dst == nil {
			*p.dst = *p.src
		}
	}
	out.UniqueItems = out.UniqueItems || inner.UniqueItems
	return &out
}

func (a *api) modelExample(m *model, stack map[*model]bool) *example {
	t := &goType{kind: m.kind, name: m.goName, intEnum: m.intEnum}
	x := &example{t: t}
	stack[m] = true
	defer delete(stack, m)
	switch m.kind {
	case kEnum:
		x.str = m.values[0].value
	case kUnion:
		b := m.branch[0]
		x = a.modelExample(b.model, stack)
		x.t, x.branch = t, b
	default:
		for _, f := range m.fields {
			v := a.exampleIn(f.t, f.json, f.s, f.def, stack)
			if v.null && !f.required {
				continue // a recursion, cut where the spec allows
			}
			x.fields = append(x.fields, exampleField{f: f, key: f.json, v: v})
		}
		a.tagSiblings(m, x)
	}
	return x
}

// tagSiblings sets, in x, an example of m, each property that picks the
// branch of a union of m to the value of the branch the example has.
func (a *api) tagSiblings(m *model, x *example) {
	for _, uf := range x.fields {
		u := a.siblingUnion(m, uf.f)
		if u == nil || uf.v.branch == nil || uf.v.branch.tag == "" {
			continue
		}
		for i, tf := range x.fields {
			if tf.key == u.tag.key {
				v := *tf.v
				v.str = uf.v.branch.tag
				x.fields[i].v = &v
			}
		}
	}
}

// siblingExample is the example of the model that holds u, a union whose
// branch a property of its holder picks, with b set and that property
// naming b.
func (a *api) siblingExample(u *model, b *branch) *example {
	owner := u.tag.owner
	x := a.modelExample(owner, map[*model]bool{})
	for i, f := range x.fields {
		if a.siblingUnion(owner, f.f) == u {
			x.fields[i].v = a.branchExample(u, b)
		}
	}
	a.tagSiblings(owner, x)
	return x
}

// branchExample is the example of one branch of a union.
func (a *api) branchExample(u *model, b *branch) *example {
	x := a.modelExample(b.model, map[*model]bool{u: true})
	x.t, x.branch = &goType{kind: kUnion, name: u.goName}, b
	return x
}

func (a *api) modelNamed(goName string) *model {
	for _, m := range a.models {
		if m.goName == goName {
			return m
		}
	}
	return nil
}

// fromDefault is the example of a spec's default for type t, nil when
// there is none of a kind the generator reads.
func fromDefault(t *goType, def json.RawMessage) *example {
	if len(def) == 0 || string(def) == "null" {
		return nil
	}
	switch t.kind {
	case kEnum:
		if t.intEnum {
			var n int64
			if json.Unmarshal(def, &n) != nil {
				return nil
			}
			return &example{t: t, str: strconv.FormatInt(n, 10)}
		}
		var s string
		if json.Unmarshal(def, &s) != nil {
			return nil
		}
		return &example{t: t, str: s}
	case kString, kSecret:
		var s string
		if json.Unmarshal(def, &s) != nil {
			return nil
		}
		return &example{t: t, str: s}
	case kInt, kFloat:
		var n float64
		if json.Unmarshal(def, &n) != nil || (t.kind == kInt && n != math.Trunc(n)) {
			return nil
		}
		return &example{t: t, num: n}
	case kBool:
		var b bool
		if json.Unmarshal(def, &b) != nil {
			return nil
		}
		return &example{t: t, b: b}
	case kArray:
		var items []json.RawMessage
		if json.Unmarshal(def, &items) != nil || len(items) == 0 {
			return nil
		}
		x := &example{t: t}
		for _, it := range items {
			v := fromDefault(t.elem, it)
			if v == nil {
				return nil
			}
			x.items = append(x.items, v)
		}
		return x
	}
	return nil
}

func exampleString(t *goType, name string, s *schema) string {
	switch f := t.format; {
	case strings.HasPrefix(f, "uuid"):
		return exampleUUID(name)
	case f == "email":
		return exampleEmail
	case f == "date":
		return exampleDate
	case f == "uri" || f == "url":
		return "https://example.com/" + strings.ReplaceAll(wordsOf(name), " ", "-")
	case f == "hostname":
		return "example.com"
	case f == "ipv4":
		return "192.0.2.1"
	case f == "ipv6":
		return "2001:db8::1"
	}
	return fitLength(wordsOf(name), s)
}

// exampleUUID is a version 4 UUID made from seed, so that each name has
// its own and keeps it.
func exampleUUID(seed string) string {
	h := sha256.Sum256([]byte(seed))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// wordsOf is a name in words: first_name is "first name".
func wordsOf(name string) string {
	w := strings.ToLower(strings.Join(splitWords(name), " "))
	if w == "" {
		return "value"
	}
	return w
}

// fitLength pads or cuts s to the schema's length limits.
func fitLength(s string, sc *schema) string {
	if sc.MaxLength != nil && len(s) > *sc.MaxLength {
		s = s[:*sc.MaxLength]
	}
	if sc.MinLength != nil && len(s) < *sc.MinLength {
		s += strings.Repeat("x", *sc.MinLength-len(s))
	}
	return s
}

// exampleNumber is 1 (1.5 for a float) moved into the schema's bounds.
func exampleNumber(k kind, s *schema) float64 {
	n := 1.0
	if k == kFloat {
		n = 1.5
	}
	step := 1.0
	if k == kFloat {
		step = 0.5
	}
	switch {
	case s.Minimum != nil && n < *s.Minimum:
		n = *s.Minimum
	case s.ExclusiveMinimum != nil && n <= *s.ExclusiveMinimum:
		n = *s.ExclusiveMinimum + step
	}
	switch {
	case s.Maximum != nil && n > *s.Maximum:
		n = *s.Maximum
	case s.ExclusiveMaximum != nil && n >= *s.ExclusiveMaximum:
		n = *s.ExclusiveMaximum - step
	}
	if k == kInt {
		n = math.Ceil(n)
	}
	return n
}

// json writes x as JSON, indented by two spaces from indent.
func (x *example) json(indent string) string {
	var b strings.Builder
	x.writeJSON(&b, indent, false)
	return b.String()
}

// wire is x as the SDK's encoder writes it: compact, HTML-safe, numbers
// as encoding/json writes them.
func (x *example) wire() string {
	var b strings.Builder
	x.writeJSON(&b, "", true)
	return b.String()
}

func (x *example) writeJSON(b *strings.Builder, indent string, compact bool) {
	nl, in, colon := "\n", indent+"  ", ": "
	if compact {
		nl, in, colon = "", "", ":"
	}
	switch {
	case x.null:
		b.WriteString("null")
		return
	case len(x.fields) > 0 || x.t.kind == kModel || x.t.kind == kUnion || x.t.kind == kMap:
		if len(x.fields) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{" + nl)
		for i, f := range x.fields {
			b.WriteString(in + jsonString(f.key, compact) + colon)
			f.v.writeJSON(b, in, compact)
			if i < len(x.fields)-1 {
				b.WriteString(",")
			}
			b.WriteString(nl)
		}
		b.WriteString(indent + "}")
		return
	}
	switch x.t.kind {
	case kEnum:
		if x.t.intEnum { // its value's JSON text, a number
			b.WriteString(x.str)
			return
		}
		b.WriteString(jsonString(x.str, compact))
	case kString, kSecret, kTime, kAny:
		b.WriteString(jsonString(x.str, compact))
	case kInt:
		b.WriteString(strconv.FormatFloat(x.num, 'f', -1, 64))
	case kFloat:
		b.WriteString(wireFloat(x.num))
	case kBool:
		b.WriteString(strconv.FormatBool(x.b))
	case kRaw:
		b.WriteString(x.raw)
	case kArray:
		if len(x.items) == 0 {
			b.WriteString("[]")
			return
		}
		scalar := true
		for _, it := range x.items {
			scalar = scalar && len(it.fields) == 0 && len(it.items) == 0 &&
				it.t.kind != kModel && it.t.kind != kUnion && it.t.kind != kMap
		}
		if scalar { // a short list of scalars on one line
			nl, in = "", ""
		}
		b.WriteString("[" + nl)
		for i, it := range x.items {
			b.WriteString(in)
			it.writeJSON(b, in, compact)
			if i < len(x.items)-1 {
				b.WriteString(",")
				if scalar && !compact {
					b.WriteString(" ")
				}
			}
			b.WriteString(nl)
		}
		if !scalar {
			b.WriteString(indent)
		}
		b.WriteString("]")
	}
}

// jsonString is s as a JSON string; compact escapes as encoding/json
// does, HTML characters included.
func jsonString(s string, html bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

// wireFloat writes f as encoding/json does.
func wireFloat(f float64) string {
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	s := strconv.FormatFloat(f, format, -1, 64)
	if format == 'e' {
		if n := len(s); n >= 4 && s[n-4] == 'e' && s[n-3] == '-' && s[n-2] == '0' {
			s = s[:n-2] + s[n-1:]
		}
	}
	return s
}

// printed is x as fmt.Println prints it.
func (x *example) printed() string {
	if x.t.kind == kSecret {
		return "[REDACTED]"
	}
	return x.queryValue()
}

// queryValue is x as a query string carries it.
func (x *example) queryValue() string {
	switch x.t.kind {
	case kInt:
		return strconv.FormatFloat(x.num, 'f', -1, 64)
	case kFloat:
		return strconv.FormatFloat(x.num, 'g', -1, 64)
	case kBool:
		return strconv.FormatBool(x.b)
	}
	return x.str
}

// goImports are the packages that a Go expression of an example uses.
type goImports map[string]bool

// goExpr is x as a Go expression of package main, for a field held as
// hold: arthur.Ptr("…"), arthur.Value(…), &arthur.Model{…}.
func (a *api) goExpr(x *example, hold holdKind, imp goImports) string {
	e := a.goValue(x, imp)
	switch {
	case x.null:
		return "nil"
	case hold == holdNullable:
		return "arthur.Value(" + e + ")"
	case hold == holdPtr && (x.t.kind == kModel || x.t.kind == kUnion):
		return "&" + e
	case hold == holdPtr:
		return "arthur.Ptr(" + e + ")"
	}
	return e
}

func (a *api) goValue(x *example, imp goImports) string {
	switch x.t.kind {
	case kString, kAny:
		return strconv.Quote(x.str)
	case kSecret:
		return "arthur.Secret(" + strconv.Quote(x.str) + ")"
	case kEnum:
		if m := a.modelNamed(x.t.name); m != nil {
			for _, v := range m.values {
				if v.value == x.str {
					return "arthur." + v.goName
				}
			}
		}
		return "arthur." + x.t.name + "(" + strconv.Quote(x.str) + ")"
	case kTime:
		imp["time"] = true
		return "time.Date(2025, time.January, 2, 15, 4, 5, 0, time.UTC)"
	case kInt:
		return strconv.FormatFloat(x.num, 'f', -1, 64)
	case kFloat:
		s := strconv.FormatFloat(x.num, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case kBool:
		return strconv.FormatBool(x.b)
	case kRaw:
		imp["encoding/json"] = true
		return "json.RawMessage(`" + x.raw + "`)"
	case kArray:
		parts := make([]string, len(x.items))
		for i, it := range x.items {
			parts[i] = a.goExpr(it, holdValue, imp)
		}
		return a.qualified(x.t, imp) + "{" + strings.Join(parts, ", ") + "}"
	case kMap:
		var parts []string
		for _, f := range x.fields {
			parts = append(parts, strconv.Quote(f.key)+": "+a.goExpr(f.v, holdValue, imp))
		}
		return a.qualified(x.t, imp) + "{" + strings.Join(parts, ", ") + "}"
	case kUnion:
		b := x.branch
		inner := *x
		inner.t, inner.branch = &goType{kind: kModel, name: b.model.goName}, nil
		return "arthur." + x.t.name + "{" + b.goName + ": &" + a.goValue(&inner, imp) + "}"
	case kModel:
		var b strings.Builder
		b.WriteString("arthur." + x.t.name + "{\n")
		for _, f := range x.fields {
			fmt.Fprintf(&b, "%s: %s,\n", f.f.goName, a.goExpr(f.v, f.f.hold, imp))
		}
		b.WriteString("}")
		return b.String()
	}
	return "nil"
}

// qualified is t as package main writes it.
func (a *api) qualified(t *goType, imp goImports) string {
	switch t.kind {
	case kEnum, kModel, kUnion, kSecret:
		return "arthur." + t.expr()
	case kTime:
		imp["time"] = true
	case kRaw:
		imp["encoding/json"] = true
	case kArray:
		return "[]" + a.qualified(t.elem, imp)
	case kMap:
		return "map[string]" + a.qualified(t.elem, imp)
	}
	return t.expr()
}

// exampleQuery is the query string that params with the values of ex
// send: repeated keys for lists, in key order as url.Values encodes them.
func exampleQuery(params []*param, ex map[*param]*example) string {
	q := url.Values{}
	for _, p := range params {
		x := ex[p]
		if x == nil {
			continue
		}
		if p.t.kind == kArray {
			for _, it := range x.items {
				q.Add(p.name, it.queryValue())
			}
			continue
		}
		q.Set(p.name, x.queryValue())
	}
	return q.Encode()
}
