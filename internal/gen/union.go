package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// objectUnion reports whether s is an anyOf of two or more objects, and
// maybe null: a union.
func objectUnion(s *schema) bool {
	rest, _ := withoutNull(s.AnyOf)
	if len(rest) < 2 {
		return false
	}
	if _, ok := scalarUnion(rest); ok {
		return false
	}
	return true
}

// unionName is the Go name of the union found at where, "Owner.property"
// with [] for an array's items and {} for a map's values: the owner's Go
// name and the property's, then Item or Value, so that Job.job_spec is
// JobJobSpec and DatasetObjectType.object{} DatasetObjectTypeObjectValue.
func (l *loader) unionName(where string) string {
	owner, prop, _ := strings.Cut(where, ".")
	name := l.ov.goName(owner)
	if m := l.a.byName[owner]; m != nil {
		name = m.goName
	}
	var suffix string
	for {
		if p, ok := strings.CutSuffix(prop, "[]"); ok {
			prop, suffix = p, "Item"+suffix
			continue
		}
		if p, ok := strings.CutSuffix(prop, "{}"); ok {
			prop, suffix = p, "Value"+suffix
			continue
		}
		break
	}
	return name + l.ov.goName(prop) + suffix
}

// unionKey is what tells unions apart: their branches' schemas, in order
// (the order decides a decoded value's branch where several fit).
func unionKey(branches []*schema) string {
	refs := make([]string, len(branches))
	for i, b := range branches {
		refs[i] = b.Ref
		if freeObject(b) {
			refs[i] = "{}"
		}
	}
	return strings.Join(refs, " | ")
}

// freeObject reports whether s is an object of any keys: the branch of a
// union that Other holds.
func freeObject(s *schema) bool {
	if s.Ref != "" || s.Type != "object" || len(s.Properties) > 0 {
		return false
	}
	ap := string(s.AdditionalProperties)
	return ap == "" || ap == "true" || ap == "{}"
}

// fillUnion makes the branches of m, a union found at where, and finds its
// tag: a property every branch has with a const of its own.
func (l *loader) fillUnion(m *model, branches []*schema, where string) error {
	uo := l.ov.Unions[where]
	if m.doc == "" {
		m.doc = uo.Doc
	}
	for _, b := range branches {
		if freeObject(b) && !m.free {
			m.other, m.free = true, true
			continue
		}
		bm := l.a.byName[refName(b.Ref)]
		if b.Ref == "" || bm == nil || bm.kind != kModel {
			return fmt.Errorf("%s: a branch of a union must be a $ref to an object", where)
		}
		name := uo.Branches[bm.name]
		if name == "" {
			name = bm.goName
		}
		if name == "Other" {
			return fmt.Errorf("%s: the branch %s may not be named Other: name it in the overrides' unions", where, bm.name)
		}
		m.branch = append(m.branch, &branch{goName: name, model: bm})
	}
	if key, tags := l.constTag(m.branch); key != "" {
		m.tag = &unionTag{key: key, def: -1}
		m.other = true
		for i, b := range m.branch {
			b.tag = tags[i]
		}
	}
	return nil
}

// constTag is the first property, in the first branch's order, that every
// branch has with a string const of its own, and those consts.
func (l *loader) constTag(branches []*branch) (string, []string) {
	if len(branches) < 2 {
		return "", nil
	}
	schemas := l.doc.Components.Schemas
	for _, key := range schemas[branches[0].model.name].propOrder {
		tags := make([]string, len(branches))
		seen := map[string]bool{}
		for i, b := range branches {
			p := schemas[b.model.name].Properties[key]
			if p == nil || len(p.Const) == 0 {
				break
			}
			v, err := strconv.Unquote(string(p.Const))
			if err != nil || seen[v] {
				break
			}
			seen[v], tags[i] = true, v
		}
		if len(seen) == len(branches) {
			return key, tags
		}
	}
	return "", nil
}

// siblings reads the overrides' discriminators: a union whose branch a
// property of its owner picks.
func (l *loader) siblings() error {
	keys := make([]string, 0, len(l.ov.Unions))
	for k := range l.ov.Unions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, where := range keys {
		uo := l.ov.Unions[where]
		if uo.Discriminator == "" {
			if len(uo.Mapping) > 0 {
				return fmt.Errorf("overrides: union %s: a mapping needs a discriminator", where)
			}
			continue
		}
		m := l.a.byName[where]
		ownerName, prop, _ := strings.Cut(where, ".")
		owner := l.a.byName[ownerName]
		if owner == nil || owner.kind != kModel || strings.ContainsAny(prop, "[]{}") {
			return fmt.Errorf("overrides: union %s: a discriminator is a sibling of a union property", where)
		}
		var sib *field
		for _, f := range owner.fields {
			if f.json == uo.Discriminator {
				sib = f
			}
		}
		if sib == nil || (sib.t.kind != kString && sib.t.kind != kEnum) {
			return fmt.Errorf("overrides: union %s: discriminator %q is no string property of %s", where, uo.Discriminator, ownerName)
		}
		byModel := map[string]*branch{}
		for _, b := range m.branch {
			b.tag = ""
			byModel[b.model.name] = b
		}
		values := make([]string, 0, len(uo.Mapping))
		for v := range uo.Mapping {
			values = append(values, v)
		}
		sort.Strings(values)
		for _, v := range values {
			b := byModel[uo.Mapping[v]]
			switch {
			case b == nil:
				return fmt.Errorf("overrides: union %s: mapping %q: %q is no branch", where, v, uo.Mapping[v])
			case b.tag != "":
				return fmt.Errorf("overrides: union %s: mapping: %q and %q both pick %s", where, b.tag, v, b.model.name)
			}
			b.tag = v
		}
		m.tag = &unionTag{key: uo.Discriminator, sibling: true, def: -1, owner: owner}
		m.other = true
		var def string
		if json.Unmarshal(sib.def, &def) == nil && def != "" {
			m.tag.def = len(m.branch) // a branch the SDK does not know
			for i, b := range m.branch {
				if b.tag == def {
					m.tag.def = i
				}
			}
		}
	}
	return nil
}

// siblingUnion is the union of f, a field of m, whose branch another field
// of m tells; nil for none.
func (a *api) siblingUnion(m *model, f *field) *model {
	u := a.modelOfType(f.t)
	if u == nil || u.kind != kUnion || u.tag == nil || !u.tag.sibling || u.tag.owner != m {
		return nil
	}
	return u
}

// decodeCall is the call that decodes f: decodeJSON, or for a union whose
// branch a sibling tells, decodeBranch with the branch emitSiblingBranches
// found.
func (a *api) decodeCall(f *field) string {
	for _, m := range a.models {
		if a.siblingUnion(m, f) != nil {
			return "decodeBranch(r, " + lowerFirst(f.goName) + "Branch)"
		}
	}
	return "decodeJSON(r)"
}

// emitSiblingBranches writes, at the start of m's decoder, the look-ahead
// that finds the branch of each union of m whose branch a sibling tells.
func (a *api) emitSiblingBranches(f *goFile, m *model) {
	for _, fl := range m.fields {
		u := a.siblingUnion(m, fl)
		if u == nil {
			continue
		}
		v := lowerFirst(fl.goName) + "Branch"
		f.p("\t%s := r.siblingBranch(%q, %sTags)", v, u.tag.key, lowerFirst(u.goName))
		if u.tag.def >= 0 {
			f.p("\tif %s < 0 {", v)
			f.p("\t\t%s = %d // the default of %s", v, u.tag.def, u.tag.key)
			f.p("\t}")
		}
	}
}

// elemOf is the element type of an array or a map, nil for another type.
func elemOf(t *goType) *goType {
	if t.kind == kArray || t.kind == kMap {
		return t.elem
	}
	return nil
}

// emitValidateElems writes the validation of each value of f, a map of
// models that need it, such as unions (emitFieldChecks validates a list's
// items), and reports whether it wrote it.
func (a *api) emitValidateElems(f *goFile, fl *field) bool {
	sub := a.modelOfType(elemOf(fl.t))
	if fl.t.kind != kMap || sub == nil || !a.needsValidate(sub) || fl.hold != holdValue {
		return false
	}
	f.use("strconv")
	f.p("\tfor k, x := range v.%s {", fl.goName)
	f.p("\t\tif err := x.validate(op, arg+%q+strconv.Quote(k)+\"]\"); err != nil {", "."+fl.goName+"[")
	f.p("\t\t\treturn err")
	f.p("\t\t}")
	f.p("\t}")
	return true
}

// goNameTaken reports whether a model has the Go name already.
func (l *loader) goNameTaken(name string) bool {
	for _, m := range l.a.models {
		if m.goName == name {
			return true
		}
	}
	return false
}

// tagName is the tag of a union as the docs name it: its key, or for a
// sibling the owner's and its key, NewRuleRequest.type.
func tagName(m *model) string {
	if m.tag.sibling {
		return m.tag.owner.goName + "." + m.tag.key
	}
	return m.tag.key
}

// unmarshalDoc says what a union's UnmarshalJSON does.
func unmarshalDoc(m *model) string {
	switch {
	case m.tag != nil && m.tag.sibling:
		return fmt.Sprintf("Decodes the first branch whose required keys the object has, for want of %s.", tagName(m))
	case m.tag != nil:
		return fmt.Sprintf("Decodes the branch that %s names, or else whose required keys the object has.", m.tag.key)
	case m.free:
		return "Decodes the branch whose required keys the object has, or else keeps the object in Other."
	}
	return "Decodes the branch whose required keys the object has."
}
