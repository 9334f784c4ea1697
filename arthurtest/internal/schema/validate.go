package schema

import (
	"encoding/json"
	"math"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Error is one validation error, as pydantic v2 reports it.
type Error struct {
	Type  string
	Loc   []any
	Msg   string
	Input any
	Ctx   map[string]any
}

// validator collects the errors of one value.
type validator struct {
	d    *Doc
	errs []Error
	// strict checks an answer: a required readOnly property is required
	// too, and no string stands for a number or a boolean.
	strict bool
}

func (v *validator) add(typ string, loc []any, msg string, input any, ctx map[string]any) {
	v.errs = append(v.errs, Error{Type: typ, Loc: loc, Msg: msg, Input: input, Ctx: ctx})
}

func at(base []any, more ...any) []any {
	loc := make([]any, 0, len(base)+len(more))
	return append(append(loc, base...), more...)
}

// Validate checks a decoded JSON value (numbers as json.Number or
// float64) against s in pydantic's lax mode, and returns the errors with
// their locations under loc.
func (d *Doc) Validate(s *Schema, value any, loc []any) []Error {
	v := &validator{d: d}
	v.value(s, value, loc, 0)
	return v.errs
}

// FitsAnswer reports whether a decoded JSON value fits s as an answer of
// the API: in strict mode, its required readOnly properties present.
func (d *Doc) FitsAnswer(s *Schema, value any) bool {
	v := &validator{d: d, strict: true}
	v.value(s, value, nil, 0)
	return len(v.errs) == 0
}

// ValidateParam checks the values of a path or query parameter, as
// Starlette hands them on: a list takes them all, anything else the last.
func (d *Doc) ValidateParam(p Param, raws []string) []Error {
	loc := []any{p.In, p.Name}
	if len(raws) == 0 {
		if p.Required {
			return []Error{{Type: "missing", Loc: loc, Msg: "Field required"}}
		}
		return nil
	}
	s := d.Resolve(p.Schema)
	if rest, _ := d.nonNull(s.AnyOf); len(rest) == 1 {
		s = d.Resolve(rest[0])
	}
	if s.Is("array") {
		items := make([]any, len(raws))
		for i, r := range raws {
			items[i] = r
		}
		return d.Validate(s, items, loc)
	}
	return d.Validate(s, raws[len(raws)-1], loc)
}

const maxDepth = 64

func (v *validator) value(s *Schema, x any, loc []any, depth int) {
	if depth > maxDepth {
		return
	}
	s = v.d.Resolve(s)
	if len(s.AllOf) > 0 {
		for _, b := range s.AllOf {
			v.value(b, x, loc, depth+1)
		}
	}
	if branches := append(append([]*Schema{}, s.AnyOf...), s.OneOf...); len(branches) > 0 {
		v.union(branches, x, loc, depth)
		return
	}
	if x == nil {
		if s.Is("null") || s.Nullable || (len(s.Types) == 0 && len(s.Enum) == 0 && !s.HasConst) {
			return
		}
	}
	if s.HasConst {
		if !equal(x, s.Const) {
			exp := repr(s.Const)
			v.add("literal_error", loc, "Input should be "+exp, x, map[string]any{"expected": exp})
		}
		return
	}
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if equal(x, e) || equalText(x, e) {
				return
			}
		}
		exp := expected(s.Enum)
		v.add("enum", loc, "Input should be "+exp, x, map[string]any{"expected": exp})
		return
	}
	switch {
	case s.Is("object") || len(s.Properties) > 0:
		v.object(s, x, loc, depth)
	case s.Is("array"):
		v.array(s, x, loc, depth)
	case s.Is("string"):
		v.str(s, x, loc)
	case s.Is("integer"):
		v.integer(s, x, loc)
	case s.Is("number"):
		v.number(s, x, loc)
	case s.Is("boolean"):
		v.boolean(x, loc)
	case s.Is("null"):
		v.add("none_required", loc, "Input should be None", x, nil)
	}
}

// union accepts a value that fits a branch; otherwise it reports the
// errors of the branch that came closest (the fewest errors). An optional
// value (a branch and null) reports its branch's errors at its own
// location, as pydantic does.
func (v *validator) union(branches []*Schema, x any, loc []any, depth int) {
	rest, null := v.d.nonNull(branches)
	if x == nil && null {
		return
	}
	var best []Error
	for _, b := range rest {
		sub := &validator{d: v.d}
		sub.value(b, x, loc, depth+1)
		if len(sub.errs) == 0 {
			return
		}
		if best == nil || len(sub.errs) < len(best) {
			best = sub.errs
		}
	}
	if best == nil { // only null was allowed
		v.add("none_required", loc, "Input should be None", x, nil)
		return
	}
	v.errs = append(v.errs, best...)
}

func (v *validator) object(s *Schema, x any, loc []any, depth int) {
	obj, ok := x.(map[string]any)
	if !ok {
		if len(s.Properties) > 0 {
			v.add("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", x, nil)
		} else {
			v.add("dict_type", loc, "Input should be a valid dictionary", x, nil)
		}
		return
	}
	for _, name := range s.Required {
		p := s.Properties[name]
		if _, ok := obj[name]; !ok && (p == nil || v.strict || !v.d.Resolve(p).ReadOnly) {
			v.add("missing", at(loc, name), "Field required", obj, nil)
		}
	}
	for _, name := range s.Order {
		if val, ok := obj[name]; ok {
			v.value(s.Properties[name], val, at(loc, name), depth+1)
		}
	}
	for key, val := range obj {
		if _, known := s.Properties[key]; known {
			continue
		}
		if s.PropertyNames != nil {
			v.value(s.PropertyNames, key, at(loc, key, "[key]"), depth+1)
		}
		switch {
		case s.NoAdditional:
			v.add("extra_forbidden", at(loc, key), "Extra inputs are not permitted", val, nil)
		case s.Additional != nil:
			v.value(s.Additional, val, at(loc, key), depth+1)
		}
	}
}

func (v *validator) array(s *Schema, x any, loc []any, depth int) {
	list, ok := x.([]any)
	if !ok {
		v.add("list_type", loc, "Input should be a valid list", x, nil)
		return
	}
	if s.MinItems != nil && len(list) < *s.MinItems {
		v.add("too_short", loc, "List should have at least "+plural(*s.MinItems, "item")+" after validation, not "+strconv.Itoa(len(list)),
			x, map[string]any{"field_type": "List", "min_length": *s.MinItems, "actual_length": len(list)})
	}
	if s.MaxItems != nil && len(list) > *s.MaxItems {
		v.add("too_long", loc, "List should have at most "+plural(*s.MaxItems, "item")+" after validation, not "+strconv.Itoa(len(list)),
			x, map[string]any{"field_type": "List", "max_length": *s.MaxItems, "actual_length": len(list)})
	}
	if s.Items != nil {
		for i, item := range list {
			v.value(s.Items, item, at(loc, i), depth+1)
		}
	}
}

var (
	uuidRE = regexp.MustCompile(`^(?:urn:uuid:)?\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$`)
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func (v *validator) str(s *Schema, x any, loc []any) {
	str, ok := x.(string)
	if !ok {
		switch s.Format {
		case "uuid", "uuid4":
			v.add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", x, nil)
		case "date-time":
			v.add("datetime_type", loc, "Input should be a valid datetime", x, nil)
		default:
			v.add("string_type", loc, "Input should be a valid string", x, nil)
		}
		return
	}
	n := len([]rune(str))
	if s.MinLength != nil && n < *s.MinLength {
		v.add("string_too_short", loc, "String should have at least "+plural(*s.MinLength, "character"), str, map[string]any{"min_length": *s.MinLength})
	}
	if s.MaxLength != nil && n > *s.MaxLength {
		v.add("string_too_long", loc, "String should have at most "+plural(*s.MaxLength, "character"), str, map[string]any{"max_length": *s.MaxLength})
	}
	switch s.Format {
	case "uuid", "uuid4":
		if !uuidRE.MatchString(strings.TrimSpace(str)) {
			reason := "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `" + firstBad(str) + "` at 1"
			if strings.Trim(str, "0123456789abcdefABCDEF-") == "" {
				reason = "invalid group count: expected 5, found " + strconv.Itoa(len(strings.Split(str, "-")))
			}
			v.add("uuid_parsing", loc, "Input should be a valid UUID, "+reason, str, map[string]any{"error": reason})
		}
	case "date-time":
		if !isDateTime(str) {
			v.add("datetime_from_date_parsing", loc, "Input should be a valid datetime or date, invalid character in year", str,
				map[string]any{"error": "invalid character in year"})
		}
	case "date":
		if _, err := time.Parse("2006-01-02", str); err != nil || !dateRE.MatchString(str) {
			v.add("date_from_datetime_parsing", loc, "Input should be a valid date or datetime, invalid character in year", str,
				map[string]any{"error": "invalid character in year"})
		}
	case "email":
		if a, err := mail.ParseAddress(str); err != nil || a.Address != str || !strings.Contains(str[strings.LastIndex(str, "@")+1:], ".") {
			reason := "The email address is not valid."
			v.add("value_error", loc, "value is not a valid email address: "+reason, str, map[string]any{"reason": reason})
		}
	}
	if s.Pattern != "" {
		if re, err := regexp.Compile(s.Pattern); err == nil && !re.MatchString(str) {
			v.add("string_pattern_mismatch", loc, "String should match pattern '"+s.Pattern+"'", str, map[string]any{"pattern": s.Pattern})
		}
	}
}

func firstBad(s string) string {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF-", r) {
			return string(r)
		}
	}
	return ""
}

// isDateTime accepts what pydantic reads as a datetime: RFC 3339 with or
// without an offset, a space for the T, a date alone, or a Unix time.
func isDateTime(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return true
	}
	s = strings.Replace(s, " ", "T", 1)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// number reads a JSON number or, in lax mode, a numeric string.
func number(x any) (float64, bool, bool) { // value, ok, from a string
	switch n := x.(type) {
	case float64:
		return n, true, false
	case json.Number:
		f, err := n.Float64()
		return f, err == nil, false
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f), true
	}
	return 0, false, false
}

func (v *validator) integer(s *Schema, x any, loc []any) {
	f, ok, fromString := number(x)
	if fromString && v.strict {
		ok = false
	}
	switch {
	case !ok && fromString:
		v.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", x, nil)
		return
	case !ok:
		v.add("int_type", loc, "Input should be a valid integer", x, nil)
		return
	case f != math.Trunc(f):
		if fromString {
			v.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", x, nil)
		} else {
			v.add("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", x, nil)
		}
		return
	}
	v.bounds(s, f, x, loc)
}

func (v *validator) number(s *Schema, x any, loc []any) {
	f, ok, fromString := number(x)
	if fromString && v.strict {
		ok = false
	}
	if !ok {
		if fromString {
			v.add("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", x, nil)
		} else {
			v.add("float_type", loc, "Input should be a valid number", x, nil)
		}
		return
	}
	v.bounds(s, f, x, loc)
}

func (v *validator) bounds(s *Schema, f float64, x any, loc []any) {
	type bound struct {
		b        *float64
		fails    func(f, b float64) bool
		typ, msg string
		key      string
	}
	for _, c := range []bound{
		{s.Minimum, func(f, b float64) bool { return f < b }, "greater_than_equal", "greater than or equal to", "ge"},
		{s.ExclusiveMinimum, func(f, b float64) bool { return f <= b }, "greater_than", "greater than", "gt"},
		{s.Maximum, func(f, b float64) bool { return f > b }, "less_than_equal", "less than or equal to", "le"},
		{s.ExclusiveMaximum, func(f, b float64) bool { return f >= b }, "less_than", "less than", "lt"},
	} {
		if c.b != nil && c.fails(f, *c.b) {
			v.add(c.typ, loc, "Input should be "+c.msg+" "+num(*c.b), x, map[string]any{c.key: jsonNum(*c.b)})
		}
	}
}

func (v *validator) boolean(x any, loc []any) {
	switch b := x.(type) {
	case bool:
		return
	case string:
		if v.strict {
			break
		}
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n":
			return
		}
		v.add("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", x, nil)
		return
	}
	if f, ok, _ := number(x); ok && (f == 0 || f == 1) && !v.strict {
		return
	}
	v.add("bool_type", loc, "Input should be a valid boolean", x, nil)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func jsonNum(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// equal compares JSON values, numbers by value.
func equal(a, b any) bool {
	fa, oka, sa := number(a)
	fb, okb, sb := number(b)
	if oka && okb && !sa && !sb {
		return fa == fb
	}
	return a == b
}

// equalText accepts a query parameter's text for an integer enum value.
func equalText(x, e any) bool {
	s, ok := x.(string)
	if !ok {
		return false
	}
	if f, ok, _ := number(e); ok {
		g, err := strconv.ParseFloat(s, 64)
		return err == nil && g == f
	}
	return false
}

// repr writes a value as Python's repr does in pydantic's messages.
func repr(x any) string {
	if s, ok := x.(string); ok {
		return "'" + s + "'"
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// expected writes the allowed values as pydantic does: "'a', 'b' or 'c'".
func expected(values []any) string {
	q := make([]string, len(values))
	for i, x := range values {
		q[i] = repr(x)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
