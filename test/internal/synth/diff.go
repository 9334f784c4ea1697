package synth

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Diff compares got, a value as a client wrote it back, with want, the
// value of s it was given, and returns one line per difference, each
// naming its JSON path; none when they are equal as values of s:
//
//   - a date-time is compared as an instant, whatever its form;
//   - a key that s does not declare (UnknownKey, say) may be dropped, but
//     an object that declares no properties (a map) keeps every entry;
//   - an absent optional property may come back as its default;
//   - with nullIsAbsent, an absent property and a null one are the same (a
//     Go pointer has one nil for both), so long as s allows null there.
//
// Anything else (a missing key, an extra one, a changed value) is a
// difference.
func Diff(s *openapi3.SchemaRef, want, got any, nullIsAbsent bool) []string {
	d := differ{nullIsAbsent: nullIsAbsent}
	return d.diff(s, want, got, "$", 0)
}

// DiffPatch is Diff for a PATCH body: an absent property and a null one
// differ among the body's own properties (null clears a value, absent
// keeps it), and are the same inside them.
func DiffPatch(s *openapi3.SchemaRef, want, got any) []string {
	d := differ{topOnly: true}
	return d.diff(s, want, got, "$", 0)
}

type differ struct{ nullIsAbsent, topOnly bool }

// lenient reports whether null and absent are the same for the
// properties of an object depth levels down.
func (d differ) lenient(depth int) bool { return d.nullIsAbsent || d.topOnly && depth > 0 }

func (d differ) diff(ref *openapi3.SchemaRef, want, got any, path string, depth int) []string {
	if ref == nil || ref.Value == nil || depth > hardDepth {
		return d.plain(want, got, path)
	}
	s := ref.Value
	if branches := slices.Concat(s.AnyOf, s.OneOf); len(branches) > 0 {
		// Equal as a value of some branch.
		var best []string
		for _, b := range branches {
			out := d.diff(b, want, got, path, depth+1)
			if len(out) == 0 {
				return nil
			}
			if best == nil || len(out) < len(best) {
				best = out
			}
		}
		return best
	}
	if len(s.AllOf) > 0 {
		s = mergeAllOf(s)
	}
	switch w := want.(type) {
	case nil:
		if got != nil {
			return []string{fmt.Sprintf("%s: want null, got %s", path, show(got))}
		}
		return nil
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %s", path, show(got))}
		}
		return d.object(s, w, g, path, depth)
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %s", path, show(got))}
		}
		if len(w) != len(g) {
			return []string{fmt.Sprintf("%s: want %d items, got %d: %s", path, len(w), len(g), show(got))}
		}
		var out []string
		for i := range w {
			out = append(out, d.diff(s.Items, w[i], g[i], path+"["+strconv.Itoa(i)+"]", depth+1)...)
		}
		return out
	case string:
		if g, ok := got.(string); ok && s.Format == "date-time" {
			if sameInstant(w, g) {
				return nil
			}
			return []string{fmt.Sprintf("%s: want the instant %q, got %q", path, w, g)}
		}
	}
	return d.plain(want, got, path)
}

func (d differ) object(s *openapi3.Schema, want, got map[string]any, path string, depth int) []string {
	var out []string
	freeForm := len(s.Properties) == 0
	for _, k := range sortedMapKeys(want) {
		w := want[k]
		at := path + "." + k
		ps, declared := s.Properties[k]
		if !declared && s.AdditionalProperties.Schema != nil {
			ps, declared = s.AdditionalProperties.Schema, true
		}
		g, has := got[k]
		switch {
		case !declared && !freeForm && !has:
			// An unknown key, dropped.
		case !has && w == nil && d.lenient(depth):
		case !has:
			out = append(out, fmt.Sprintf("%s: missing, want %s", at, show(w)))
		default:
			out = append(out, d.diff(ps, w, g, at, depth+1)...)
		}
	}
	for _, k := range sortedMapKeys(got) {
		if _, ok := want[k]; ok {
			continue
		}
		g := got[k]
		at := path + "." + k
		ps, declared := s.Properties[k]
		switch {
		case !declared:
			out = append(out, fmt.Sprintf("%s: not sent, got %s", at, show(g)))
		case g == nil && d.lenient(depth) && permitsNull(ps):
		case ps.Value != nil && ps.Value.Default != nil && reflect.DeepEqual(jsonValue(ps.Value.Default), g):
		default:
			out = append(out, fmt.Sprintf("%s: absent, got %s", at, show(g)))
		}
	}
	return out
}

// plain compares values that s says nothing more of.
func (d differ) plain(want, got any, path string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		return d.object(&openapi3.Schema{}, w, g, path, hardDepth)
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			break
		}
		var out []string
		for i := range w {
			out = append(out, d.plain(w[i], g[i], path+"["+strconv.Itoa(i)+"]")...)
		}
		return out
	}
	if reflect.DeepEqual(want, got) {
		return nil
	}
	return []string{fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))}
}

// permitsNull reports whether s takes null: nullable, a null type or
// branch, or no type at all.
func permitsNull(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil {
		return true
	}
	s := ref.Value
	if s.Nullable || (s.Type != nil && s.Type.Includes(openapi3.TypeNull)) {
		return true
	}
	for _, b := range slices.Concat(s.AnyOf, s.OneOf) {
		if permitsNull(b) {
			return true
		}
	}
	return (s.Type == nil || len(s.Type.Slice()) == 0) && len(s.AnyOf)+len(s.OneOf)+len(s.AllOf) == 0 &&
		s.Enum == nil && s.Const == nil && len(s.Properties) == 0 && s.Items == nil
}

// mergeAllOf is s with the properties and required keys of its allOf
// branches.
func mergeAllOf(s *openapi3.Schema) *openapi3.Schema {
	m := *s
	m.AllOf = nil
	m.Properties = make(openapi3.Schemas, len(s.Properties))
	for k, p := range s.Properties {
		m.Properties[k] = p
	}
	for _, b := range s.AllOf {
		if b.Value == nil {
			continue
		}
		bv := b.Value
		if len(bv.AllOf) > 0 {
			bv = mergeAllOf(bv)
		}
		for k, p := range bv.Properties {
			m.Properties[k] = p
		}
		m.Required = append(m.Required, bv.Required...)
		if m.Type == nil {
			m.Type = bv.Type
		}
		if m.Format == "" {
			m.Format = bv.Format
		}
		if m.Items == nil {
			m.Items = bv.Items
		}
	}
	return &m
}

func sameInstant(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ta.Equal(tb)
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	const max = 200
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
