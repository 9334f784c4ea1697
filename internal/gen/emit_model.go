package main

import (
	"fmt"
	"strconv"
	"strings"
)

// emitModel writes the file of one model.
func (a *api) emitModel(m *model) ([]byte, error) {
	f := newGoFile("arthur")
	switch m.kind {
	case kEnum:
		if m.intEnum {
			a.emitIntEnum(f, m)
		} else {
			a.emitEnum(f, m)
		}
	case kUnion:
		a.emitUnion(f, m)
	default:
		a.emitStruct(f, m)
	}
	return f.bytes()
}

// typeDoc is the doc comment of m's type, which starts with its name. An
// override's doc goes on from the name ("is ...", "tells ..."); a spec's
// description is a sentence of its own ("A user of ...", "Schema for
// ..."), which follows "is" when it starts with an article, and a colon
// otherwise.
func (a *api) typeDoc(m *model) string {
	doc := strings.TrimSpace(m.doc)
	if doc == "" {
		return fmt.Sprintf("%s is the spec's %s schema.", m.goName, m.title)
	}
	if a.ov.Models[m.name].Doc != "" || a.ov.Unions[m.name].Doc != "" {
		return m.goName + " " + lowerFirst(sentence(doc))
	}
	switch strings.ToLower(strings.SplitN(doc, " ", 2)[0]) {
	case "a", "an", "the":
		return m.goName + " is " + lowerFirst(sentence(doc))
	}
	return m.goName + ": " + sentence(doc)
}

// article is "a" or "an", as a name is read: "an AppKey", "a User", "an
// HTTPValidationError".
func article(name string) string {
	if name == "" {
		return "a"
	}
	acronym := len(name) > 1 && isUpper(rune(name[0])) && isUpper(rune(name[1]))
	switch {
	case strings.ContainsRune("AEIO", rune(name[0])):
		return "an"
	case name[0] == 'U': // an Update, a User, a UUID, a URL
		for _, yoo := range []string{"Us", "Uni", "Ut", "UU", "UR"} {
			if strings.HasPrefix(name, yoo) {
				return "a"
			}
		}
		return "an"
	case acronym && strings.ContainsRune("FHLMNRSX", rune(name[0])):
		return "an"
	}
	return "a"
}

func (a *api) emitEnum(f *goFile, m *model) {
	a.emitEnumType(f, m, "string", strconv.Quote)
	f.p("")
	f.p("// decodeJSON reads a %s; a known value costs no allocation.", m.goName)
	f.p("func (v *%s) decodeJSON(r *reader) {", m.goName)
	f.p("\tswitch b := r.strBytes(); string(b) {")
	for _, v := range m.values {
		f.p("\tcase %q:", v.value)
		f.p("\t\t*v = %s", v.goName)
	}
	f.p("\tdefault:")
	f.p("\t\t*v = %s(b)", m.goName)
	f.p("\t}")
	f.p("}")
	f.p("")
	f.p("func (v %s) encodeJSON(w *writer) { w.StrEscape(string(v)) }", m.goName)
}

// emitIntEnum writes an enum of integers: an int type with constants.
func (a *api) emitIntEnum(f *goFile, m *model) {
	a.emitEnumType(f, m, "int", func(v string) string { return v })
	f.p("")
	f.p("func (v *%s) decodeJSON(r *reader) { *v = %s(r.int()) }", m.goName, m.goName)
	f.p("")
	f.p("func (v %s) encodeJSON(w *writer) { w.Int(int(v)) }", m.goName)
}

// emitEnumType writes an enum's type, of the underlying type under, its
// constants (each value as literal writes it), All<T>Values and IsValid.
func (a *api) emitEnumType(f *goFile, m *model, under string, literal func(string) string) {
	f.comment("", a.typeDoc(m)+"\n\nA value the SDK does not know decodes without error (the server may add one); "+
		"IsValid reports whether the value is one of the constants below.")
	f.p("type %s %s", m.goName, under)
	f.p("")
	f.p("// The values of %s.", m.goName)
	f.p("const (")
	for _, v := range m.values {
		f.p("\t%s %s = %s", v.goName, m.goName, literal(v.value))
	}
	f.p(")")
	f.p("")
	names := make([]string, len(m.values))
	for i, v := range m.values {
		names[i] = v.goName
	}
	f.p("// All%sValues lists every %s the SDK knows, in the spec's order.", m.goName, m.goName)
	f.p("var All%sValues = []%s{%s}", m.goName, m.goName, strings.Join(names, ", "))
	f.p("")
	f.p("// IsValid reports whether v is one of the known %s values.", m.goName)
	f.p("func (v %s) IsValid() bool {", m.goName)
	f.p("\tswitch v {")
	f.p("\tcase %s:", strings.Join(names, ", "))
	f.p("\t\treturn true")
	f.p("\t}")
	f.p("\treturn false")
	f.p("}")
}

// batched reports whether the decoder of m reads f's string into the
// record's one allocation.
func batched(f *field) bool {
	return (f.t.kind == kString || f.t.kind == kSecret) && (f.hold == holdValue || f.hold == holdPtr)
}

func (a *api) emitStruct(f *goFile, m *model) {
	doc := a.typeDoc(m)
	if m.patch {
		doc += "\n\nEach field is a Nullable: leave it unset to keep the current value, set it to " +
			"arthur.Null to clear it, or to arthur.Value to change it."
	}
	f.comment("", doc)
	f.p("type %s struct {", m.goName)
	for _, fl := range m.fields {
		doc := sentence(fl.doc)
		if fl.hold == holdValue && !fl.required && len(fl.def) > 0 && defaultLiteral(fl) != "" {
			doc = strings.TrimSpace(doc + " The spec's default, " + string(fl.def) + ", stands for an absent key.")
		}
		if doc != "" {
			f.comment("\t", doc)
		}
		tag := fl.json
		if omits(fl, m) {
			tag += ",omitzero"
		}
		if fl.t.kind == kTime || fl.hold == holdPtr && fl.t.kind == kTime {
			f.use("time")
		}
		if typeHoldsRaw(fl.t) {
			f.use("encoding/json")
		}
		f.p("\t%s %s `json:%q`", fl.goName, fl.goExpr(), tag)
	}
	f.p("}")
	f.p("")
	a.emitDecoder(f, m)
	a.emitEncoder(f, m)
	f.comment("", fmt.Sprintf("UnmarshalJSON decodes %s %s as the SDK's client does: unknown fields and "+
		"enum values are accepted, and a missing required field is an error.", article(m.goName), m.goName))
	f.p("func (v *%s) UnmarshalJSON(data []byte) error { return decodeAll(data, v.decodeJSON) }", m.goName)
	f.p("")
	f.p("// MarshalJSON encodes %s %s as the SDK's client sends it.", article(m.goName), m.goName)
	f.p("func (v %s) MarshalJSON() ([]byte, error) { return marshalJSON(v) }", m.goName)
	if m.request && a.needsValidate(m) {
		a.emitValidate(f, m)
	}
	if m.secret {
		a.emitRedaction(f, m)
	}
	if m.base != nil {
		f.p("")
		f.p("// %s returns the %s fields of v.", m.base.goName, m.base.goName)
		f.p("func (v %s) %s() %s {", m.goName, m.base.goName, m.base.goName)
		f.p("\treturn %s{", m.base.goName)
		for _, bf := range m.base.fields {
			f.p("\t\t%s: v.%s,", bf.goName, bf.goName)
		}
		f.p("\t}")
		f.p("}")
	}
}

// typeHoldsRaw reports whether t is or holds a json.RawMessage.
func typeHoldsRaw(t *goType) bool {
	for ; t != nil; t = t.elem {
		if t.kind == kRaw {
			return true
		}
	}
	return false
}

// omits reports whether the encoder leaves f, a field of m, out when it
// is zero. An optional field is left out, but for a nullable one of a
// response, which the API writes as null.
func omits(f *field, m *model) bool {
	switch {
	case f.hold == holdNullable: // unset is not sent, required or not
		return true
	case f.required:
		return false
	case f.hold == holdPtr || f.t.holdsNil():
		return !f.nullable || m.request
	}
	return false
}

// readExpr is an expression that reads a value of t, for the scalars.
func readExpr(t *goType) string {
	switch t.kind {
	case kString:
		return "r.str()"
	case kSecret:
		return "Secret(r.str())"
	case kInt:
		return "r.int()"
	case kFloat:
		return "r.float()"
	case kBool:
		return "r.boolean()"
	case kTime:
		return "r.time()"
	case kAny:
		return "r.any()"
	case kRaw:
		return "r.raw()"
	case kScalar:
		return "r.scalar(" + scalarMask(t) + ")"
	case kArray:
		return "readSlice(r, " + elemReader(t.elem) + ")"
	case kMap:
		return "readMap(r, " + elemReader(t.elem) + ")"
	}
	return ""
}

func scalarMask(t *goType) string {
	var parts []string
	for _, k := range t.scalars {
		parts = append(parts, map[kind]string{kString: "scalarString", kInt: "scalarInt",
			kFloat: "scalarFloat", kBool: "scalarBool"}[k])
	}
	return strings.Join(parts, "|")
}

// elemReader is a func(*T, *reader) that reads one element of type t.
func elemReader(t *goType) string {
	switch t.kind {
	case kEnum, kModel, kUnion:
		return "(*" + t.name + ").decodeJSON"
	}
	return "func(p *" + t.expr() + ", r *reader) { *p = " + readExpr(t) + " }"
}

// elemWriter is a func(T, *writer) that writes one element of type t.
func elemWriter(t *goType) string {
	switch t.kind {
	case kEnum, kModel, kUnion:
		return t.name + ".encodeJSON"
	}
	return "func(v " + t.expr() + ", w *writer) { " + writeStmt(t, "v") + " }"
}

// writeStmt writes x, of type t.
func writeStmt(t *goType, x string) string {
	switch t.kind {
	case kString:
		return "w.StrEscape(" + x + ")"
	case kEnum:
		if t.intEnum {
			return "w.Int(int(" + x + "))"
		}
		return "w.StrEscape(string(" + x + "))"
	case kSecret:
		return "w.StrEscape(string(" + x + "))"
	case kInt:
		return "w.Int(" + x + ")"
	case kFloat:
		return "w.float(" + x + ")"
	case kBool:
		return "w.Bool(" + x + ")"
	case kTime:
		return "w.time(" + x + ")"
	case kModel, kUnion:
		return x + ".encodeJSON(w)"
	case kArray:
		return "writeSlice(w, " + x + ", " + elemWriter(t.elem) + ")"
	case kMap:
		return "writeMap(w, " + x + ", " + elemWriter(t.elem) + ")"
	case kAny, kScalar:
		return "w.any(" + x + ")"
	case kRaw:
		return "w.raw(" + x + ")"
	}
	return ""
}

func (a *api) emitDecoder(f *goFile, m *model) {
	var checked []*field // the required fields whose absence is an error
	bit := map[*field]int{}
	for _, fl := range m.fields {
		if fl.required && !fl.nullable && fl.hold == holdValue {
			bit[fl] = len(checked)
			checked = append(checked, fl)
		}
	}
	// The batch: value strings first, then the optional ones, so that
	// these are a range.
	slot := map[*field]int{}
	var values, ptrs []*field
	for _, fl := range m.fields {
		if batched(fl) {
			if fl.hold == holdValue {
				values = append(values, fl)
			} else {
				ptrs = append(ptrs, fl)
			}
		}
	}
	for i, fl := range append(append([]*field{}, values...), ptrs...) {
		slot[fl] = i
	}
	batch := len(slot) > 0
	if len(slot) > 64 || len(checked) > 64 {
		panic(fmt.Sprintf("gen: %s has more than 64 strings or required fields", m.name))
	}

	f.p("func (v *%s) decodeJSON(r *reader) {", m.goName)
	f.p("\tif r.null() {")
	f.p("\t\treturn")
	f.p("\t}")
	a.emitSiblingBranches(f, m)
	var defaults []string
	for _, fl := range m.fields {
		if fl.hold == holdValue && len(fl.def) > 0 && !fl.required {
			if lit := defaultLiteral(fl); lit != "" {
				defaults = append(defaults, fl.goName+": "+lit)
			}
		}
	}
	if len(defaults) > 0 {
		f.p("\to := %s{%s}", m.goName, strings.Join(defaults, ", "))
	} else {
		f.p("\tvar o %s", m.goName)
	}
	if len(checked) > 0 {
		f.p("\tvar seen uint64")
	}
	if batch {
		f.p("\tvar b strBatch")
		f.p("\tr.batchStart(&b)")
	}
	f.p("\tfor i := 0; r.member(i); i++ {")
	f.p("\t\tswitch string(r.key) {")
	for _, fl := range m.fields {
		f.p("\t\tcase %q:", fl.json)
		var onNull, onValue []string
		n, isChecked := bit[fl]
		if isChecked {
			onNull = append(onNull, fmt.Sprintf("seen &^= 1 << %d", n))
		}
		k, isBatched := slot[fl]
		switch {
		case isBatched:
			if isChecked || fl.hold == holdPtr { // null leaves a value as it is
				onNull = append(onNull, fmt.Sprintf("b.unset(%d)", k))
			}
			onValue = append(onValue, fmt.Sprintf("r.batchStr(&b, %d)", k))
		case fl.hold == holdNullable:
			onNull = append(onNull, fmt.Sprintf("o.%s = Null[%s]()", fl.goName, fl.t.expr()))
			if e := readExpr(fl.t); e != "" {
				onValue = append(onValue, fmt.Sprintf("o.%s = Value(%s)", fl.goName, e))
			} else {
				onValue = append(onValue, fmt.Sprintf("var x %s", fl.t.expr()), "x."+a.decodeCall(fl),
					fmt.Sprintf("o.%s = Value(x)", fl.goName))
			}
		case fl.hold == holdPtr:
			onNull = append(onNull, fmt.Sprintf("o.%s = nil", fl.goName))
			if e := readExpr(fl.t); e != "" {
				onValue = append(onValue, fmt.Sprintf("o.%s = Ptr(%s)", fl.goName, e))
			} else {
				onValue = append(onValue, fmt.Sprintf("o.%s = new(%s)", fl.goName, fl.t.expr()),
					fmt.Sprintf("o.%s.%s", fl.goName, a.decodeCall(fl)))
			}
		default:
			if fl.t.holdsNil() {
				onNull = append(onNull, fmt.Sprintf("o.%s = nil", fl.goName))
			}
			if e := readExpr(fl.t); e != "" {
				onValue = append(onValue, fmt.Sprintf("o.%s = %s", fl.goName, e))
			} else {
				onValue = append(onValue, fmt.Sprintf("o.%s.%s", fl.goName, a.decodeCall(fl)))
			}
		}
		if isChecked {
			onValue = append(onValue, fmt.Sprintf("seen |= 1 << %d", n))
		}
		if len(onNull) == 0 {
			f.p("\t\t\tif !r.null() {")
		} else {
			f.p("\t\t\tif r.null() {")
			for _, s := range onNull {
				f.p("\t\t\t\t%s", s)
			}
			f.p("\t\t\t} else {")
		}
		for _, s := range onValue {
			f.p("\t\t\t\t%s", s)
		}
		f.p("\t\t\t}")
	}
	f.p("\t\tdefault:")
	f.p("\t\t\tr.skip()")
	f.p("\t\t}")
	f.p("\t}")
	if len(checked) > 0 {
		names := make([]string, len(checked))
		for i, fl := range checked {
			names[i] = strconv.Quote(fl.json)
		}
		all := "1<<" + strconv.Itoa(len(checked)) + " - 1"
		if len(checked) == 64 {
			all = "^uint64(0)"
		}
		f.p("\tif seen != %s && r.err == nil {", all)
		f.p("\t\tr.missing(%q, seen, %s)", m.title, strings.Join(names, ", "))
		f.p("\t}")
	}
	f.p("\tif r.err != nil {")
	f.p("\t\treturn")
	f.p("\t}")
	if batch {
		f.p("\tall := r.batchEnd(&b)")
		for _, fl := range values {
			get := fmt.Sprintf("b.get(all, %d)", slot[fl])
			if fl.t.kind == kSecret {
				get = "Secret(" + get + ")"
			}
			if _, isChecked := bit[fl]; isChecked {
				f.p("\to.%s = %s", fl.goName, get)
				continue
			}
			// An optional string keeps its default unless it was read.
			f.p("\tif b.has(%d) {", slot[fl])
			f.p("\t\to.%s = %s", fl.goName, get)
			f.p("\t}")
		}
		if len(ptrs) > 0 {
			from, to := len(values), len(values)+len(ptrs)
			f.p("\tp := b.ptrs(all, %d, %d)", from, to)
			for _, fl := range ptrs {
				if fl.t.kind == kSecret {
					f.p("\to.%s = (*Secret)(p[%d])", fl.goName, slot[fl]-from)
				} else {
					f.p("\to.%s = p[%d]", fl.goName, slot[fl]-from)
				}
			}
		}
	}
	f.p("\t*v = o")
	f.p("}")
	f.p("")
}

// defaultLiteral is the Go literal of f's default, "" where it has none
// the generator writes.
func defaultLiteral(f *field) string {
	switch f.t.kind {
	case kString:
		if s, err := strconv.Unquote(string(f.def)); err == nil {
			return strconv.Quote(s)
		}
	case kInt, kFloat:
		if _, err := strconv.ParseFloat(string(f.def), 64); err == nil {
			return string(f.def)
		}
	case kBool:
		if s := string(f.def); s == "true" || s == "false" {
			return s
		}
	case kEnum:
		if f.t.intEnum {
			if _, err := strconv.Atoi(string(f.def)); err == nil {
				return f.t.name + "(" + string(f.def) + ")"
			}
			return ""
		}
		if s, err := strconv.Unquote(string(f.def)); err == nil {
			return f.t.name + "(" + strconv.Quote(s) + ")"
		}
	}
	return ""
}

func (a *api) emitEncoder(f *goFile, m *model) {
	f.p("func (v %s) encodeJSON(w *writer) {", m.goName)
	f.p("\tw.ObjStart()")
	for _, fl := range m.fields {
		x := "v." + fl.goName
		switch {
		case fl.hold == holdNullable:
			f.p("\tif %s.IsNull() {", x)
			f.p("\t\tw.FieldStart(%q)", fl.json)
			f.p("\t\tw.Null()")
			f.p("\t} else if x, ok := %s.Get(); ok {", x)
			f.p("\t\tw.FieldStart(%q)", fl.json)
			f.p("\t\t%s", writeStmt(fl.t, "x"))
			f.p("\t}")
		case fl.hold == holdPtr:
			deref := "*" + x
			if fl.t.kind == kModel || fl.t.kind == kUnion {
				deref = x
			}
			if omits(fl, m) {
				if fl.t.kind == kTime { // omitzero calls *time.Time's IsZero
					f.p("\tif %s != nil && !%s.IsZero() {", x, x)
				} else {
					f.p("\tif %s != nil {", x)
				}
				f.p("\t\tw.FieldStart(%q)", fl.json)
				f.p("\t\t%s", writeStmt(fl.t, deref))
				f.p("\t}")
			} else {
				f.p("\tw.FieldStart(%q)", fl.json)
				f.p("\tif %s == nil {", x)
				f.p("\t\tw.Null()")
				f.p("\t} else {")
				f.p("\t\t%s", writeStmt(fl.t, deref))
				f.p("\t}")
			}
		case fl.t.holdsNil():
			if omits(fl, m) {
				f.p("\tif %s != nil {", x)
				f.p("\t\tw.FieldStart(%q)", fl.json)
				f.p("\t\t%s", writeStmt(fl.t, x))
				f.p("\t}")
			} else {
				f.p("\tw.FieldStart(%q)", fl.json)
				f.p("\t%s", writeStmt(fl.t, x))
			}
		default:
			f.p("\tw.FieldStart(%q)", fl.json)
			f.p("\t%s", writeStmt(fl.t, x))
		}
	}
	f.p("\tw.ObjEnd()")
	f.p("}")
	f.p("")
}

// emitValidate writes the checks of a request model: its required fields
// are set, and so on down.
func (a *api) emitValidate(f *goFile, m *model) {
	f.p("")
	f.p("func (v %s) validate(op, arg string) error {", m.goName)
	for _, fl := range m.fields {
		x := "v." + fl.goName
		name := strconv.Quote("." + fl.goName)
		if fl.required && fl.hold == holdValue {
			cond := ""
			switch fl.t.kind {
			case kString:
				f.use("strings")
				cond = "strings.TrimSpace(" + x + ") == \"\""
			case kSecret:
				cond = x + " == \"\""
			case kEnum:
				if !fl.t.intEnum {
					cond = x + " == \"\""
				}
			case kTime:
				cond = x + ".IsZero()"
			}
			if cond != "" {
				f.p("\tif %s {", cond)
				f.p("\t\treturn argError(op, arg+%s, \"is required\")", name)
				f.p("\t}")
			}
		}
		if fl.hold == holdNullable && !fl.nullable {
			f.p("\tif %s.IsNull() {", x)
			f.p("\t\treturn argError(op, arg+%s, \"may not be null: the API takes a value or nothing here\")", name)
			f.p("\t}")
		}
		a.emitFieldChecks(f, fl)
		if a.emitValidateElems(f, fl) {
			continue
		}
		switch sub := a.modelOfType(fl.t); {
		case sub == nil || !a.needsValidate(sub):
		case fl.hold == holdPtr:
			f.p("\tif %s != nil {", x)
			f.p("\t\tif err := %s.validate(op, arg+%s); err != nil {", x, name)
			f.p("\t\t\treturn err")
			f.p("\t\t}")
			f.p("\t}")
		case fl.hold == holdNullable:
			f.p("\tif x, ok := %s.Get(); ok {", x)
			f.p("\t\tif err := x.validate(op, arg+%s); err != nil {", name)
			f.p("\t\t\treturn err")
			f.p("\t\t}")
			f.p("\t}")
		default:
			f.p("\tif err := %s.validate(op, arg+%s); err != nil {", x, name)
			f.p("\t\treturn err")
			f.p("\t}")
		}
	}
	f.p("\treturn nil")
	f.p("}")
}

func (a *api) modelOfType(t *goType) *model {
	if t == nil || (t.kind != kModel && t.kind != kUnion) {
		return nil
	}
	for _, m := range a.models {
		if m.goName == t.name {
			return m
		}
	}
	return nil
}

// secretItems reports whether t is a list or map whose items, at some
// depth, are or hold a Secret.
func (a *api) secretItems(t *goType) bool {
	for t.kind == kArray || t.kind == kMap {
		t = t.elem
		if m := a.modelOfType(t); t.kind == kSecret || m != nil && m.secret {
			return true
		}
	}
	return false
}

// emitRedaction writes Format and LogValue for a model that holds a
// Secret, so that no verb of fmt and no slog handler prints it.
func (a *api) emitRedaction(f *goFile, m *model) {
	f.use("fmt")
	f.use("log/slog")
	var fields, attrs []string
	for _, fl := range m.fields {
		fields = append(fields, fmt.Sprintf("field{%q, v.%s}", fl.goName, fl.goName))
		x := "v." + fl.goName
		switch {
		case fl.hold == holdPtr:
			x = "deref(" + x + ")"
		case fl.hold == holdValue && a.secretItems(fl.t):
			x = "logAny(" + x + ")" // slog would marshal the items as JSON
		}
		attrs = append(attrs, fmt.Sprintf("slog.Any(%q, %s)", fl.json, x))
	}
	if m.kind == kUnion {
		for _, b := range m.branch {
			fields = append(fields, fmt.Sprintf("field{%q, v.%s}", b.goName, b.goName))
		}
		if m.other {
			fields = append(fields, `field{"Other", redactedRaw(v.Other)}`)
		}
	}
	f.p("")
	f.p("// Format prints v with its secrets redacted, whatever the verb.")
	f.p("func (v %s) Format(f fmt.State, verb rune) {", m.goName)
	f.p("\tformatFields(f, verb, %q,", m.goName)
	for _, s := range fields {
		f.p("\t\t%s,", s)
	}
	f.p("\t)")
	f.p("}")
	f.p("")
	f.p("// LogValue logs v with its secrets redacted.")
	f.p("func (v %s) LogValue() slog.Value {", m.goName)
	if m.kind == kUnion {
		for _, b := range m.branch {
			f.p("\tif v.%s != nil {", b.goName)
			f.p("\t\treturn v.%s.LogValue()", b.goName)
			f.p("\t}")
		}
		if m.other {
			f.p("\tif v.Other != nil {")
			f.p("\t\treturn slog.StringValue(\"[REDACTED]\")")
			f.p("\t}")
		}
		f.p("\treturn slog.StringValue(\"none\")")
	} else {
		f.p("\treturn slog.GroupValue(")
		for _, s := range attrs {
			f.p("\t\t%s,", s)
		}
		f.p("\t)")
	}
	f.p("}")
}

func (a *api) emitUnion(f *goFile, m *model) {
	doc := a.typeDoc(m)
	if m.doc == "" {
		names := make([]string, len(m.branch))
		for i, b := range m.branch {
			names[i] = b.model.goName
		}
		doc = fmt.Sprintf("%s is one of %s.", m.goName, strings.Join(names, " or "))
	}
	doc += "\n\n" + unionRule(m)
	f.comment("", doc)
	f.p("type %s struct {", m.goName)
	for _, b := range m.branch {
		if m.tag != nil && b.tag != "" {
			f.p("\t// %s is set when the value is %s %s: %s %q.", b.goName, article(b.model.goName), b.model.goName, m.tag.key, b.tag)
		} else {
			f.p("\t// %s is set when the value is %s %s.", b.goName, article(b.model.goName), b.model.goName)
		}
		f.p("\t%s *%s", b.goName, b.model.goName)
	}
	if m.other {
		f.use("encoding/json")
		f.comment("\t", otherDoc(m))
		f.p("\tOther json.RawMessage")
	}
	f.p("}")
	f.p("")
	lower := lowerFirst(m.goName)
	f.p("// %sBranches are the branches of %s and the keys each requires.", lower, m.goName)
	f.p("var %sBranches = []unionBranch{", lower)
	for _, b := range m.branch {
		q := make([]string, len(b.required))
		for i, k := range b.required {
			q[i] = strconv.Quote(k)
		}
		f.p("\t{%q, []string{%s}},", b.model.goName, strings.Join(q, ", "))
	}
	f.p("}")
	f.p("")
	if keys := unionKeys(m); keys > 64 {
		panic(fmt.Sprintf("gen: the branches of %s require more than 64 keys", m.name))
	}
	if m.tag != nil {
		tags := make([]string, len(m.branch))
		for i, b := range m.branch {
			tags[i] = strconv.Quote(b.tag)
		}
		if m.tag.sibling {
			f.p("// %sTags are the values of %s.%s that pick each branch of %s.", lower, m.tag.owner.title, m.tag.key, m.goName)
		} else {
			f.p("// %sTags are the values of %s that pick each branch of %s.", lower, m.tag.key, m.goName)
		}
		f.p("var %sTags = []string{%s}", lower, strings.Join(tags, ", "))
		f.p("")
	}
	keys := fmt.Sprintf("r.branch(%q, %sBranches)", m.title, lower)
	if m.free {
		keys = fmt.Sprintf("r.branchElse(%q, %sBranches)", m.title, lower)
	}
	if m.tag != nil && m.tag.sibling {
		f.p("// decodeJSON reads %s %s by its keys alone, with no %s.%s to tell its branch.", article(m.goName), m.goName, m.tag.owner.title, m.tag.key)
		f.p("func (v *%s) decodeJSON(r *reader) { v.decodeBranch(r, -1) }", m.goName)
		f.p("")
		f.p("// decodeBranch reads branch i of %sBranches, len(%sBranches) for Other, or", lower, lower)
		f.p("// for i < 0 the first whose required keys the object has.")
		f.p("func (v *%s) decodeBranch(r *reader, i int) {", m.goName)
		f.p("\tif r.null() {")
		f.p("\t\treturn")
		f.p("\t}")
		f.p("\tif i < 0 {")
		f.p("\t\ti = %s", keys)
		f.p("\t}")
		f.p("\tswitch i {")
	} else {
		if m.tag != nil {
			keys = fmt.Sprintf("r.taggedBranch(%q, %q, %sTags, %sBranches)", m.title, m.tag.key, lower, lower)
		}
		f.p("func (v *%s) decodeJSON(r *reader) {", m.goName)
		f.p("\tif r.null() {")
		f.p("\t\treturn")
		f.p("\t}")
		f.p("\tswitch %s {", keys)
	}
	for i, b := range m.branch {
		f.p("\tcase %d:", i)
		f.p("\t\tx := new(%s)", b.model.goName)
		f.p("\t\tx.decodeJSON(r)")
		f.p("\t\t*v = %s{%s: x}", m.goName, b.goName)
	}
	if m.other {
		f.p("\tcase %d:", len(m.branch))
		if m.tag != nil && m.tag.sibling { // no look-ahead has seen an object
			f.p("\t\tif r.peek() != '{' {")
			f.p("\t\t\tr.expected(\"an object\")")
			f.p("\t\t\treturn")
			f.p("\t\t}")
		}
		f.p("\t\t*v = %s{Other: r.raw()}", m.goName)
	}
	f.p("\t}")
	f.p("}")
	f.p("")
	f.p("func (v %s) encodeJSON(w *writer) {", m.goName)
	f.p("\tswitch {")
	names := make([]string, len(m.branch))
	for i, b := range m.branch {
		names[i] = b.goName
	}
	if m.other {
		names = append(names, "Other")
	}
	f.p("\tcase %s:", unionCountCond(m, "v", "> 1"))
	f.p("\t\tw.fail(errors.New(%q))", m.goName+": more than one of "+strings.Join(names, ", ")+" is set")
	for _, b := range m.branch {
		f.p("\tcase v.%s != nil:", b.goName)
		if tf := tagField(m, b); tf != nil {
			f.p("\t\tx := *v.%s", b.goName)
			f.p("\t\tif %s {", tagUnset(tf, "x"))
			f.p("\t\t\tx.%s = %s", tf.goName, tagValue(tf, b.tag))
			f.p("\t\t}")
			f.p("\t\tx.encodeJSON(w)")
			continue
		}
		f.p("\t\tv.%s.encodeJSON(w)", b.goName)
	}
	if m.other {
		f.p("\tcase v.Other != nil:")
		f.p("\t\tw.raw(v.Other)")
	}
	f.p("\tdefault:")
	f.p("\t\tw.fail(errors.New(%q))", m.goName+": none of "+strings.Join(names, ", ")+" is set")
	f.p("\t}")
	f.p("}")
	f.use("errors")
	f.p("")
	f.p("// UnmarshalJSON %s", lowerFirst(unmarshalDoc(m)))
	f.p("func (v *%s) UnmarshalJSON(data []byte) error { return decodeAll(data, v.decodeJSON) }", m.goName)
	f.p("")
	if hasTagFields(m) {
		f.p("// MarshalJSON writes whichever branch is set, with its %s where the branch leaves it unset;", m.tag.key)
		f.p("// none or more than one is an error.")
	} else {
		f.p("// MarshalJSON writes whichever branch is set; none or more than one is an error.")
	}
	f.p("func (v %s) MarshalJSON() ([]byte, error) { return marshalJSON(v) }", m.goName)
	if m.request && a.needsValidate(m) {
		f.p("")
		f.p("func (v %s) validate(op, arg string) error {", m.goName)
		f.p("\tswitch {")
		f.p("\tcase %s:", unionCountCond(m, "v", "!= 1"))
		f.p("\t\treturn argError(op, arg, %q)", "must have exactly one of "+strings.Join(names, ", ")+" set")
		for _, b := range m.branch {
			if tf := tagField(m, b); tf != nil {
				f.p("\tcase v.%s != nil && !(%s || %s):", b.goName, tagUnset(tf, "v."+b.goName), tagIs(tf, "v."+b.goName, b.tag))
				f.p("\t\treturn argError(op, arg+%q, %q)", "."+b.goName+"."+tf.goName,
					fmt.Sprintf("must be %q, the %s of %s, or unset", b.tag, m.tag.key, b.model.goName))
			}
		}
		for _, b := range m.branch {
			if a.needsValidate(b.model) {
				f.p("\tcase v.%s != nil:", b.goName)
				f.p("\t\treturn v.%s.validate(op, arg+%q)", b.goName, "."+b.goName)
			}
		}
		f.p("\t}")
		f.p("\treturn nil")
		f.p("}")
	}
	if m.secret {
		a.emitRedaction(f, m)
	}
}

// tagField is the field of branch b of m that holds m's const tag, which
// the union's encoder writes where the branch leaves it unset; nil for a
// union without one, or with the tag on its owner.
func tagField(m *model, b *branch) *field {
	if m.tag == nil || m.tag.sibling || b.tag == "" {
		return nil
	}
	for _, f := range b.model.fields {
		if f.json == m.tag.key && f.hold != holdNullable && (f.t.kind == kString || f.t.kind == kEnum) {
			return f
		}
	}
	return nil
}

func hasTagFields(m *model) bool {
	for _, b := range m.branch {
		if tagField(m, b) != nil {
			return true
		}
	}
	return false
}

// tagUnset is the condition that the tag field f of x is unset.
func tagUnset(f *field, x string) string {
	if f.hold == holdPtr {
		return x + "." + f.goName + " == nil"
	}
	return x + "." + f.goName + ` == ""`
}

// tagIs is the condition that the tag field f of x, set, holds tag.
func tagIs(f *field, x, tag string) string {
	if f.hold == holdPtr {
		return fmt.Sprintf("*%s.%s == %q", x, f.goName, tag)
	}
	return fmt.Sprintf("%s.%s == %q", x, f.goName, tag)
}

// tagValue is the Go value of tag for the field f.
func tagValue(f *field, tag string) string {
	switch {
	case f.hold != holdPtr:
		return strconv.Quote(tag)
	case f.t.kind == kString:
		return "Ptr(" + strconv.Quote(tag) + ")"
	}
	return fmt.Sprintf("Ptr(%s(%q))", f.t.expr(), tag)
}

// unionRule says how a decoded union finds its branch.
func unionRule(m *model) string {
	const keys = "the first branch whose required keys the JSON object has"
	switch {
	case m.tag != nil && m.tag.sibling:
		absent := keys
		if m.tag.def >= 0 {
			absent = "its default's"
		}
		return fmt.Sprintf("Exactly one field is set. A decoded value has the branch that the %s's %s names, "+
			"and where %s is absent, %s; another %s, of a branch the SDK does not know, leaves the object in Other.",
			m.tag.owner.title, m.tag.key, m.tag.key, absent, m.tag.key)
	case m.tag != nil:
		return fmt.Sprintf("Exactly one field is set. A decoded value has the branch that its %s names, and "+
			"where %s is absent, %s; another %s, of a branch the SDK does not know, leaves the object in Other.",
			m.tag.key, m.tag.key, keys, m.tag.key)
	case m.free:
		return "Exactly one field is set. A decoded value has " + keys + ", or else is an object kept in Other."
	}
	return "Exactly one field is set. A decoded value has " + keys + "."
}

// otherDoc is the doc of a union's Other field.
func otherDoc(m *model) string {
	switch {
	case m.tag == nil:
		return "Other is an object of none of the branches, which the spec allows, as the server sent it: it encodes as it is."
	case m.free:
		return fmt.Sprintf("Other is an object of none of the branches, for another %s, as the server sent it "+
			"(the spec allows any object here): it encodes as it is.", m.tag.key)
	}
	return fmt.Sprintf("Other is the object of a branch the SDK does not know, for a %s value the server has added, "+
		"as it sent it: it encodes as it is.", m.tag.key)
}

// unionKeys is how many required keys the branches of m have in all.
func unionKeys(m *model) int {
	n := 0
	for _, b := range m.branch {
		n += len(b.required)
	}
	return n
}

// unionCountCond is a condition on how many branches of v are set.
func unionCountCond(m *model, v, cmp string) string {
	parts := make([]string, len(m.branch))
	for i, b := range m.branch {
		parts[i] = "isSet(" + v + "." + b.goName + ")"
	}
	if m.other {
		parts = append(parts, "isSetRaw("+v+".Other)")
	}
	return strings.Join(parts, "+") + " " + cmp
}
