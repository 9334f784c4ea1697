package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// kind is what a Go type of the SDK is made of.
type kind int

const (
	kString kind = iota
	kInt
	kFloat
	kBool
	kTime
	kSecret
	kEnum   // a named string type with constants
	kModel  // a named struct
	kUnion  // a named struct with one pointer per branch
	kArray  // []elem
	kMap    // map[string]elem
	kAny    // any: what encoding/json decodes into interface{}
	kRaw    // json.RawMessage
	kScalar // any holdKind one of scalars: a string, an int, ...
)

// goType is the Go type of a value of the spec.
type goType struct {
	kind    kind
	name    string  // for kEnum, kModel, kUnion
	elem    *goType // for kArray and kMap
	scalars []kind  // for kScalar, in the spec's order
	format  string  // the spec's format of a string
	intEnum bool    // for kEnum: an integer type, not a string one
	s       *schema // the spec's schema, for constraints
}

// expr is the type as Go source.
func (t *goType) expr() string {
	switch t.kind {
	case kString:
		return "string"
	case kInt:
		return "int"
	case kFloat:
		return "float64"
	case kBool:
		return "bool"
	case kTime:
		return "time.Time"
	case kSecret:
		return "Secret"
	case kEnum, kModel, kUnion:
		return t.name
	case kArray:
		return "[]" + t.elem.expr()
	case kMap:
		return "map[string]" + t.elem.expr()
	case kAny, kScalar:
		return "any"
	case kRaw:
		return "json.RawMessage"
	}
	panic(fmt.Sprintf("gen: no Go type for kind %d", t.kind))
}

// holdsNil reports whether the type's zero value is nil, so that it needs
// no pointer to tell null from a value.
func (t *goType) holdsNil() bool {
	switch t.kind {
	case kArray, kMap, kAny, kScalar, kRaw:
		return true
	}
	return false
}

// holdKind is how a struct field holds its type.
type holdKind int

const (
	holdValue    holdKind = iota // T
	holdPtr                      // *T: nil for absent or null
	holdNullable                 // Nullable[T]: unset, null or a value
)

// field is one property of a model.
type field struct {
	json     string
	goName   string
	doc      string
	t        *goType
	hold     holdKind
	required bool
	nullable bool
	def      json.RawMessage // the spec's default, applied when the key is absent
	s        *schema
}

// goExpr is the field's Go type.
func (f *field) goExpr() string {
	switch f.hold {
	case holdPtr:
		return "*" + f.t.expr()
	case holdNullable:
		return "Nullable[" + f.t.expr() + "]"
	}
	return f.t.expr()
}

// enumValue is one constant of an enum.
type enumValue struct {
	goName string
	value  string
}

// branch is one branch of a union.
type branch struct {
	goName   string // the union's field
	model    *model
	required []string // the keys this branch requires
	tag      string   // the value of the union's tag that picks it, if it has one
}

// unionTag is how a union finds its branch besides the keys that only
// one branch requires.
type unionTag struct {
	key     string // the property of every branch whose const picks it; or of the owner, for a sibling
	sibling bool   // key is a property of the object that holds the union
	def     int    // for a sibling, the branch of its default when the key is absent; -1 for none
	owner   *model // for a sibling
}

// model is a named type the generator writes: a struct, an enum or a union.
type model struct {
	name   string   // the spec's schema name, or where an inline union sits
	alsoAt []string // the other places of a union found in several
	goName string
	title  string // the name errors and docs give it: the spec's title
	doc    string
	kind   kind // kModel, kEnum or kUnion
	fields []*field
	values []enumValue
	branch []*branch
	tag    *unionTag // of a union, nil where the keys alone decide
	other  bool      // a union keeps a branch it does not know in Other
	free   bool      // a union whose spec allows any other object, which Other holds
	base   *model    // a model whose fields this one has, for a conversion method
	file   string    // model_<snake>.go

	intEnum  bool // an enum of integers: an int type, its values' JSON text
	patch    bool // a PATCH body: every field is a Nullable
	request  bool // reachable from a request body
	response bool // reachable from a response body
	secret   bool // holds a Secret, itself or in a field
}

// required lists the fields the spec requires.
func (m *model) requiredFields() []*field {
	var out []*field
	for _, f := range m.fields {
		if f.required {
			out = append(out, f)
		}
	}
	return out
}

// api is what the generator knows of the spec.
type api struct {
	models   []*model // in name order
	byName   map[string]*model
	services []*service
	ov       *overrides
}

func (a *api) sortModels() {
	sort.Slice(a.models, func(i, j int) bool { return a.models[i].goName < a.models[j].goName })
}

// goName turns snake_case, kebab-case or a spec's schema name into a Go
// name, with the overrides' initialisms.
func (o *overrides) goName(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		if up, ok := o.initialism[strings.ToLower(w)]; ok {
			b.WriteString(up)
			continue
		}
		if shouting(w) {
			w = strings.ToLower(w) // an enum's NON_COMPLIANT is NonCompliant
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// shouting reports whether w is a word in capitals, two letters or more,
// which a Go name writes as a word: PENDING, not an initialism.
func shouting(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case isLower(r):
			return false
		case isUpper(r):
			letters++
		}
	}
	return letters >= 2
}

// lowerName is goName with its first word in lower case, for arguments.
func (o *overrides) lowerName(s string) string {
	words := splitWords(s)
	if len(words) == 0 {
		return ""
	}
	return strings.ToLower(words[0]) + o.goName(strings.Join(words[1:], "_"))
}

// splitWords splits at anything that is not a letter or digit, and where a
// lower-case letter meets an upper-case one.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !isAlnum(r):
			flush()
		case i > 0 && isUpper(r) && (isLower(rs[i-1]) || isDigit(rs[i-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func isLower(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isAlnum(r rune) bool { return isUpper(r) || isLower(r) || isDigit(r) }

// pluralS reports whether rs[i] is the s of a plural initialism, such as
// IDs: an s that no lower-case letter follows.
func pluralS(rs []rune, i int) bool {
	return rs[i] == 's' && (i+1 == len(rs) || !isLower(rs[i+1]))
}

// tagFile is a tag's words in lower case joined by underscores, for a
// service's file name: "Datasets V1" is datasets_v1, "OAuth V1" oauth_v1.
func tagFile(tag string) string {
	return strings.ToLower(strings.Join(splitWords(tag), "_"))
}

// snake is a Go name in snake_case, for file names.
func snake(goName string) string {
	var b strings.Builder
	rs := []rune(goName)
	for i, r := range rs {
		if isUpper(r) {
			prevLower := i > 0 && (isLower(rs[i-1]) || isDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && isLower(rs[i+1]) && isUpper(rs[i-1]) &&
				!pluralS(rs, i+1)
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			b.WriteRune(r + 'a' - 'A')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
