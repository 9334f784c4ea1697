package main

import (
	"strconv"
	"strings"
)

// The checks the spec's constraints ask of a value before it is sent:
// bounds of numbers, lengths of strings, sizes and uniqueness of lists.

// constraintsOf returns the first of ss's values that get finds, nil for
// none: a field's constraint is on its schema, or on the branch of an
// anyOf with null.
func constraintsOf[T any](get func(*schema) *T, ss ...*schema) *T {
	for _, s := range ss {
		if s == nil {
			continue
		}
		if v := get(s); v != nil {
			return v
		}
	}
	return nil
}

func minimumOf(s *schema) *float64          { return s.Minimum }
func maximumOf(s *schema) *float64          { return s.Maximum }
func exclusiveMinimumOf(s *schema) *float64 { return s.ExclusiveMinimum }
func exclusiveMaximumOf(s *schema) *float64 { return s.ExclusiveMaximum }
func minLengthOf(s *schema) *int            { return s.MinLength }
func maxLengthOf(s *schema) *int            { return s.MaxLength }
func minItemsOf(s *schema) *int             { return s.MinItems }
func maxItemsOf(s *schema) *int             { return s.MaxItems }

func uniqueOf(s *schema) *bool {
	if s.UniqueItems {
		return &s.UniqueItems
	}
	return nil
}

// hasChecks reports whether a value of type t with schemas ss has any
// check that emitChecks writes.
func hasChecks(t *goType, ss ...*schema) bool {
	switch t.kind {
	case kInt, kFloat:
		return constraintsOf(minimumOf, ss...) != nil || constraintsOf(maximumOf, ss...) != nil ||
			constraintsOf(exclusiveMinimumOf, ss...) != nil || constraintsOf(exclusiveMaximumOf, ss...) != nil
	case kString, kSecret:
		return constraintsOf(minLengthOf, ss...) != nil || constraintsOf(maxLengthOf, ss...) != nil
	case kArray:
		return constraintsOf(minItemsOf, ss...) != nil || constraintsOf(maxItemsOf, ss...) != nil ||
			constraintsOf(uniqueOf, ss...) != nil && comparable(t.elem)
	}
	return false
}

// comparable reports whether Go's == compares values of t.
func comparable(t *goType) bool {
	switch t.kind {
	case kString, kSecret, kInt, kFloat, kBool, kEnum:
		return true
	}
	return false
}

// emitChecks writes the checks of x, a value of type t with schemas ss,
// indented by indent. arg is a Go expression of the argument's name, and
// fail the statement that returns an error, with %s for it.
func emitChecks(f *goFile, indent string, t *goType, ss []*schema, x, arg, fail string) {
	check := func(cond, reason string) {
		f.p("%sif %s {", indent, cond)
		f.p("%s\t"+fail, indent, "argError(op, "+arg+", "+reason+")")
		f.p("%s}", indent)
	}
	// bounds checks a count: "must have at least 1 item", "must be 1 to
	// 20 characters long".
	bounds := func(measure string, lo, hi *int, verb, one, many string) {
		unit := func(n int) string {
			if n == 1 {
				return one
			}
			return many
		}
		got := "+strconv.Itoa(" + measure + ")"
		switch {
		case lo != nil && hi != nil:
			check(measure+" < "+strconv.Itoa(*lo)+" || "+measure+" > "+strconv.Itoa(*hi),
				strconv.Quote("must "+verb+" "+strconv.Itoa(*lo)+" to "+strconv.Itoa(*hi)+" "+many+", got ")+got)
		case lo != nil:
			check(measure+" < "+strconv.Itoa(*lo), strconv.Quote("must "+verb+" at least "+strconv.Itoa(*lo)+" "+unit(*lo)+", got ")+got)
		case hi != nil:
			check(measure+" > "+strconv.Itoa(*hi), strconv.Quote("must "+verb+" at most "+strconv.Itoa(*hi)+" "+unit(*hi)+", got ")+got)
		}
	}
	switch t.kind {
	case kInt, kFloat:
		num := strExpr(f, t, x)
		lo, hi := constraintsOf(minimumOf, ss...), constraintsOf(maximumOf, ss...)
		if lo != nil && hi != nil {
			check(x+" < "+num64(*lo)+" || "+x+" > "+num64(*hi),
				strconv.Quote("must be between "+num64(*lo)+" and "+num64(*hi)+", got ")+"+"+num)
			ss = []*schema{{ExclusiveMinimum: constraintsOf(exclusiveMinimumOf, ss...), ExclusiveMaximum: constraintsOf(exclusiveMaximumOf, ss...)}}
		}
		for _, c := range []struct {
			get  func(*schema) *float64
			op   string
			what string
		}{
			{minimumOf, "<", "at least"}, {exclusiveMinimumOf, "<=", "more than"},
			{maximumOf, ">", "at most"}, {exclusiveMaximumOf, ">=", "less than"},
		} {
			if b := constraintsOf(c.get, ss...); b != nil {
				check(x+" "+c.op+" "+num64(*b), strconv.Quote("must be "+c.what+" "+num64(*b)+", got ")+"+"+num)
			}
		}
	case kString, kSecret:
		lo, hi := constraintsOf(minLengthOf, ss...), constraintsOf(maxLengthOf, ss...)
		if lo == nil && hi == nil {
			return
		}
		f.use("strconv")
		f.use("unicode/utf8")
		s := x
		if t.kind == kSecret {
			s = "string(" + x + ")"
		}
		bounds("utf8.RuneCountInString("+s+")", lo, hi, "be", "character long", "characters long")
	case kArray:
		lo, hi := constraintsOf(minItemsOf, ss...), constraintsOf(maxItemsOf, ss...)
		if lo != nil || hi != nil {
			f.use("strconv")
			bounds("len("+x+")", lo, hi, "have", "item", "items")
		}
		if constraintsOf(uniqueOf, ss...) != nil && comparable(t.elem) {
			f.use("strconv")
			f.p("%sif i, j, ok := duplicate(%s); ok {", indent, x)
			f.p("%s\t"+fail, indent, "argError(op, "+indexed(arg, "j")+", \"repeats item \"+strconv.Itoa(i)+\": the items must be unique\")")
			f.p("%s}", indent)
		}
	}
}

// emitFieldChecks writes the checks of a field of a request model, and
// the validation of each model of a list of them.
func (a *api) emitFieldChecks(f *goFile, fl *field) {
	x := "v." + fl.goName
	arg := "arg+" + strconv.Quote("."+fl.goName)
	ss := []*schema{fl.s, fl.t.s}
	elem := a.modelOfType(fl.t.elem)
	each := fl.t.kind == kArray && elem != nil && a.needsValidate(elem)
	if !hasChecks(fl.t, ss...) && !each {
		return
	}
	indent := "\t"
	switch {
	case fl.hold == holdPtr:
		f.p("\tif x := %s; x != nil {", x)
		x, indent = "*x", "\t\t"
	case fl.hold == holdNullable:
		f.p("\tif x, ok := %s.Get(); ok {", x)
		x, indent = "x", "\t\t"
	case fl.t.holdsNil() && !fl.required && hasChecks(fl.t, ss...): // an absent list is not sent
		f.p("\tif %s != nil {", x)
		indent = "\t\t"
	}
	emitChecks(f, indent, fl.t, ss, x, arg, "return %s")
	if each {
		f.use("strconv")
		f.p("%sfor i, x := range %s {", indent, x)
		f.p("%s\tif err := x.validate(op, %s); err != nil {", indent, indexed(arg, "i"))
		f.p("%s\t\treturn err", indent)
		f.p("%s\t}", indent)
		f.p("%s}", indent)
	}
	if indent != "\t" {
		f.p("\t}")
	}
}

// indexed is arg, a Go expression of an argument's name, with the index i
// after it: arg+".Tags[" + strconv.Itoa(i) + "]".
func indexed(arg, i string) string {
	if strings.HasSuffix(arg, `"`) {
		return strings.TrimSuffix(arg, `"`) + `["+strconv.Itoa(` + i + `)+"]"`
	}
	return arg + `+"["+strconv.Itoa(` + i + `)+"]"`
}

// fieldsHaveChecks reports whether m's fields have checks of their own.
func (a *api) fieldsHaveChecks(m *model, seen map[*model]bool) bool {
	for _, fl := range m.fields {
		if hasChecks(fl.t, fl.s, fl.t.s) {
			return true
		}
		if fl.t.kind == kArray && a.validates(a.modelOfType(fl.t.elem), seen) {
			return true
		}
	}
	return false
}
