package main

import (
	"fmt"
	"strconv"
	"strings"
)

// statusNames are the sentinels and error models of the statuses.
var sentinels = map[int]string{
	400: "ErrBadRequest", 401: "ErrUnauthorized", 403: "ErrForbidden", 404: "ErrNotFound",
	409: "ErrConflict", 422: "ErrValidation", 429: "ErrRateLimited",
}

func sentinel(code int) string {
	if s, ok := sentinels[code]; ok {
		return s
	}
	if code >= 500 {
		return "ErrServer"
	}
	return ""
}

var methodConst = map[string]string{
	"GET": "http.MethodGet", "POST": "http.MethodPost", "PUT": "http.MethodPut",
	"PATCH": "http.MethodPatch", "DELETE": "http.MethodDelete",
}

// emitService writes api_<tag>.go.
func (a *api) emitService(s *service) ([]byte, error) {
	f := newGoFile("arthur")
	f.use("context")
	f.use("fmt")
	f.use("io")
	f.use("log/slog")
	typ := s.goName + "APIService"
	f.p("// %s holds the %s operations: APIClient.%sAPI.", typ, s.tag, s.goName)
	f.p("type %s service", typ)
	f.p("")
	f.p("// apiClient returns the service's client: nil for a nil service, whose calls then fail")
	f.p("// rather than panic.")
	f.p("func (s *%s) apiClient() *APIClient {", typ)
	f.p("\tif s == nil {")
	f.p("\t\treturn nil")
	f.p("\t}")
	f.p("\treturn s.client")
	f.p("}")
	f.p("")
	f.p("// Format prints the service without its client, whose credentials fmt would otherwise")
	f.p("// show, whatever the verb.")
	f.p("func (s %s) Format(f fmt.State, verb rune) {", typ)
	f.p("\t_, _ = io.WriteString(f, %q)", "arthur."+typ+"{}")
	f.p("}")
	f.p("")
	f.p("// LogValue logs the service's name, and nothing of its client.")
	f.p("func (s %s) LogValue() slog.Value { return slog.StringValue(%q) }", typ, "arthur."+typ)
	for _, x := range s.ops {
		if len(x.query) > 0 {
			a.emitParams(f, x)
		}
		a.emitOp(f, typ, x)
	}
	return f.bytes()
}

// resultType is the Go result of x, "" for none.
func (x *op) resultType() string {
	switch {
	case x.resultExpr != "":
		return x.resultExpr
	case x.result == nil:
		return ""
	case x.result.kind == kModel || x.result.kind == kUnion:
		return "*" + x.result.name
	}
	return x.result.expr()
}

// pathArgs are the method's path arguments, as a call passes them on.
func (x *op) pathArgs() string {
	var args []string
	for _, p := range x.pathParams {
		args = append(args, p.argName+", ")
	}
	return strings.Join(args, "")
}

// pathSignature is the method's path parameters, each followed by ", ".
func (x *op) pathSignature() string {
	var args []string
	for _, p := range x.pathParams {
		args = append(args, p.argName+" "+p.t.expr()+", ")
	}
	return strings.Join(args, "")
}

// signature is the method's parameters, after ctx.
func (x *op) signature() string {
	var args []string
	for _, p := range x.pathParams {
		args = append(args, p.argName+" "+p.t.expr())
	}
	if len(x.query) > 0 {
		args = append(args, "params *"+x.goName+"Params")
	}
	if x.body != nil {
		args = append(args, "body "+x.body.goName)
	}
	return strings.Join(args, ", ")
}

func (a *api) opDoc(x *op) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s calls %s", x.goName, x.id)
	if x.summary != "" {
		fmt.Fprintf(&b, " (%s)", strings.TrimSuffix(x.summary, "."))
	}
	b.WriteString(".")
	if x.doc != "" {
		b.WriteString(" " + sentence(x.doc))
	}
	if x.desc != "" {
		b.WriteString(" " + sentence(x.desc))
	}
	if x.paged != nil {
		fmt.Fprintf(&b, " %sIter returns every page.", x.goName)
	}
	if x.noContent {
		b.WriteString(" The result is nil when the server answers 204 No Content.")
	}
	status := strconv.Itoa(x.status)
	if x.noContent {
		status += " or 204"
	}
	fmt.Fprintf(&b, "\n\nOperation %s: %s %s (%s).", x.id, x.method, x.path, status)
	if len(x.errors) > 0 {
		var es []string
		for _, e := range x.errors {
			s := strconv.Itoa(e.code)
			if n := sentinel(e.code); n != "" {
				s += " " + n
			}
			if e.model != nil {
				s += " (*" + e.model.goName + ")"
			}
			es = append(es, s)
		}
		b.WriteString(" Errors: " + strings.Join(es, ", ") + ".")
	}
	if x.secret {
		b.WriteString(" The result holds credentials that the API shows once; a DecodeError keeps no body of it.")
	}
	return b.String()
}

func (a *api) emitOp(f *goFile, typ string, x *op) {
	res := x.resultType()
	rets := "error"
	fail := "err"
	if res != "" {
		rets = "(" + res + ", error)"
		fail = "nil, err"
	}
	f.p("")
	f.comment("", a.opDoc(x))
	sig := x.signature()
	if sig != "" {
		sig = ", " + sig
	}
	inner := ""
	if x.paged != nil && !x.paged.sequential {
		inner = lowerFirst(x.goName)
		f.p("func (s *%s) %s(ctx context.Context%s) %s {", typ, x.goName, sig, rets)
		f.p("\treturn s.%s(ctx, %sparams, nil)", inner, x.pathArgs())
		f.p("}")
		f.p("")
		f.comment("", fmt.Sprintf("%s is %s, calling received (when set) once the page's body is in "+
			"memory and only decoding is left.", inner, x.goName))
		f.p("func (s *%s) %s(ctx context.Context%s, received func()) %s {", typ, inner, sig, rets)
	} else {
		f.p("func (s *%s) %s(ctx context.Context%s) %s {", typ, x.goName, sig, rets)
	}
	f.p("\tconst op = %q", x.goName)
	path := strconv.Quote(x.path)
	for _, p := range x.pathParams {
		v := "p" + p.goName
		switch {
		case p.t.kind == kInt || p.t.intEnum:
			f.p("\t%s := %s", v, strExpr(f, p.t, p.argName))
		default:
			f.p("\t%s, err := pathSegment(op, %q, %q, %s)", v, p.argName, humanize(a.ov, p.name), strParam(p))
			f.p("\tif err != nil {")
			f.p("\t\treturn %s", fail)
			f.p("\t}")
		}
		if hasChecks(p.t, p.s, p.t.s) {
			emitChecks(f, "\t", p.t, []*schema{p.s, p.t.s}, p.argName, strconv.Quote(p.argName), "return "+strings.Replace(fail, "err", "%s", 1))
		}
		path = strings.Replace(path, "{"+p.name+"}", `" + `+v+` + "`, 1)
	}
	path = strings.TrimSuffix(strings.TrimPrefix(path, `"" + `), ` + ""`)
	f.use("net/http")
	fields := []string{"op: op", "method: " + methodConst[x.method], "path: " + path}
	if len(x.query) > 0 {
		f.p("\tq, err := params.encode(op)")
		f.p("\tif err != nil {")
		f.p("\t\treturn %s", fail)
		f.p("\t}")
		fields = append(fields, "query: q")
	}
	if x.result != nil {
		fields = append(fields, "model: "+strconv.Quote(a.titleOf(x.result)))
		if x.noContent || x.result.kind == kRaw {
			fields = append(fields, "allowNull: true")
		}
	} else if x.resultExpr != "" {
		fields = append(fields, `model: "object"`, "allowNull: true")
	}
	if x.secret {
		fields = append(fields, "secret: true")
	}
	if !x.auth {
		fields = append(fields, "noAuth: true")
	}
	if inner != "" {
		fields = append(fields, "received: received")
	}
	f.p("\tcl := &call{%s}", strings.Join(fields, ", "))
	if x.body != nil {
		if a.needsValidate(x.body) {
			f.p("\tif err := body.validate(op, \"body\"); err != nil {")
			f.p("\t\treturn %s", fail)
			f.p("\t}")
		}
		f.p("\tif err := cl.setBody(body); err != nil {")
		f.p("\t\treturn %s", fail)
		f.p("\t}")
	}
	switch {
	case res == "":
		f.p("\treturn s.apiClient().do(ctx, cl, nil)")
	case strings.HasPrefix(res, "*") && x.noContent:
		f.p("\treturn optionalResult[%s](ctx, s.apiClient(), cl)", strings.TrimPrefix(res, "*"))
	case strings.HasPrefix(res, "*"):
		f.p("\treturn result[%s](ctx, s.apiClient(), cl)", strings.TrimPrefix(res, "*"))
	case x.result != nil: // a list, a map or an untyped value, which the reader decodes too
		if typeHoldsRaw(x.result) {
			f.use("encoding/json")
		}
		f.p("\tvar out %s", res)
		f.p("\tif err := s.apiClient().do(ctx, cl, decodeFunc(func(r *reader) { out = %s })); err != nil {", readExpr(x.result))
		f.p("\t\treturn nil, err")
		f.p("\t}")
		f.p("\treturn out, nil")
	default:
		f.p("\tout, err := result[%s](ctx, s.apiClient(), cl)", res)
		f.p("\tif err != nil {")
		f.p("\t\treturn nil, err")
		f.p("\t}")
		f.p("\treturn *out, nil")
	}
	f.p("}")
	if x.paged != nil {
		a.emitIter(f, typ, x)
	}
}

func (a *api) titleOf(t *goType) string {
	if m := a.modelOfType(t); m != nil {
		return m.title
	}
	return t.expr()
}

// humanize is a parameter's name in words, for errors: user_id is "user ID".
func humanize(o *overrides, name string) string {
	words := splitWords(name)
	for i, w := range words {
		if up, ok := o.initialism[strings.ToLower(w)]; ok {
			words[i] = up
		} else {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// emitIter writes the Iter of a paged list: over the concurrent pager
// where the list says how many pages it has, else one page after another
// until a short one.
func (a *api) emitIter(f *goFile, typ string, x *op) {
	how := "fetches pages as the package's pager does: see \"Paged lists\" in the package documentation."
	fetchArgs, call, count, pager := "page int, received func()", lowerFirst(x.goName), "TotalPages", "allPages"
	callArgs := x.pathArgs() + "&q, received"
	if x.paged.sequential {
		how = "fetches one page after another until one has fewer records than its page size, or none: " +
			"the list does not say how many pages it has. See \"Paged lists\" in the package documentation."
		fetchArgs, call, count, pager = "page int", x.goName, "PageSize", "pagesUntilShort"
		callArgs = x.pathArgs() + "&q"
	}
	item := x.paged.item.expr()
	f.use("iter")
	f.p("")
	f.comment("", fmt.Sprintf("%sIter returns every %s that %s finds with params, across all pages, in order, "+
		"starting at params.Page (or 1). It works on a copy of params, and %s\n\n"+
		"\tfor v, err := range client.%sAPI.%sIter(ctx, %snil) {\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\tfmt.Println(v)\n\t}",
		x.goName, item, x.goName, how, x.svc.goName, x.goName, x.pathArgs()))
	f.p("func (s *%s) %sIter(ctx context.Context, %sparams *%sParams) iter.Seq2[%s, error] {", typ, x.goName, x.pathSignature(), x.goName, item)
	f.p("\tp := params.clone()")
	f.p("\tfetch := func(ctx context.Context, %s) ([]%s, int, error) {", fetchArgs, item)
	f.p("\t\tq := p")
	if x.paged.pagePtr {
		f.p("\t\tq.Page = &page")
	} else {
		f.p("\t\tq.Page = page")
	}
	f.p("\t\tl, err := s.%s(ctx, %s)", call, callArgs)
	f.p("\t\tif err != nil {")
	f.p("\t\t\treturn nil, 0, err")
	f.p("\t\t}")
	f.p("\t\treturn l.%s, l.Pagination.%s, nil", x.paged.records.goName, count)
	f.p("\t}")
	start := "p.Page"
	if x.paged.pagePtr {
		f.p("\tstart := 0")
		f.p("\tif p.Page != nil {")
		f.p("\t\tstart = *p.Page")
		f.p("\t}")
		start = "start"
	}
	f.p("\treturn %s(ctx, s.apiClient(), %s, fetch, &call{op: %q, method: %s, path: %q})",
		pager, start, x.goName, methodConst[x.method], x.path)
	f.p("}")
}

// queryField is how the params struct holds a query parameter: its Go
// type, and whether it is a pointer (for a zero value that is a value).
func queryField(p *param) (string, bool) {
	t := p.t.expr()
	switch p.t.kind {
	case kString, kEnum, kArray, kTime:
		return t, false
	case kInt:
		if lo := bound(p, func(s *schema) *float64 { return s.Minimum }); lo != nil && *lo >= 1 || p.required {
			return t, false
		}
	}
	if p.required {
		return t, false
	}
	return "*" + t, true
}

func (a *api) emitParams(f *goFile, x *op) {
	name := x.goName + "Params"
	f.p("")
	nilText := fmt.Sprintf("A nil *%s means all defaults.", name)
	if paramsRequired(x) {
		nilText = fmt.Sprintf("It has required fields, so a nil *%s is refused.", name)
	}
	f.comment("", fmt.Sprintf("%s are the query parameters of %s. A zero field is not sent, so the "+
		"server's default applies. %s", name, x.goName, nilText))
	f.p("type %s struct {", name)
	for _, p := range x.query {
		doc := sentence(p.doc)
		if len(p.s.Default) > 0 && string(p.s.Default) != "null" {
			doc += " The server's default is " + string(p.s.Default) + "."
		}
		if p.t.kind == kArray {
			doc += " Sent as repeated " + p.name + " keys."
		}
		if p.required {
			doc += " Required."
		}
		if doc != "" {
			f.comment("\t", doc)
		}
		t, _ := queryField(p)
		f.p("\t%s %s", p.goName, t)
	}
	f.p("}")
	f.p("")
	f.use("net/url")
	f.p("// encode checks p and returns its query string.")
	f.p("func (p *%s) encode(op string) (string, error) {", name)
	f.p("\tif p == nil {")
	required := false
	for _, q := range x.query {
		required = required || q.required
	}
	if required {
		f.p("\t\treturn \"\", argError(op, \"params\", \"must not be nil: it has required fields\")")
	} else {
		f.p("\t\treturn \"\", nil")
	}
	f.p("\t}")
	f.p("\tq := make(url.Values, %d)", len(x.query))
	for _, p := range x.query {
		a.emitQueryParam(f, p)
	}
	f.p("\treturn q.Encode(), nil")
	f.p("}")
	if x.paged != nil {
		f.p("")
		f.p("// clone copies p, lists included; nil is the zero %s.", name)
		f.p("func (p *%s) clone() %s {", name, name)
		f.p("\tif p == nil {")
		f.p("\t\treturn %s{}", name)
		f.p("\t}")
		f.p("\tc := *p")
		for _, q := range x.query {
			if q.t.kind == kArray {
				f.use("slices")
				f.p("\tc.%s = slices.Clone(p.%s)", q.goName, q.goName)
			}
		}
		f.p("\treturn c")
		f.p("}")
	}
}

// strExpr is the string of x, of scalar type t, on the wire.
func strExpr(f *goFile, t *goType, x string) string {
	switch t.kind {
	case kString:
		return x
	case kEnum:
		if t.intEnum {
			f.use("strconv")
			return "strconv.Itoa(int(" + x + "))"
		}
		return "string(" + x + ")"
	case kInt:
		f.use("strconv")
		return "strconv.Itoa(" + x + ")"
	case kBool:
		f.use("strconv")
		return "strconv.FormatBool(" + x + ")"
	case kFloat:
		f.use("strconv")
		return "strconv.FormatFloat(" + x + ", 'g', -1, 64)"
	case kTime:
		f.use("time")
		return x + ".Format(time.RFC3339Nano)"
	}
	panic(fmt.Sprintf("gen: query parameters of type %s are not supported", t.expr()))
}

func (a *api) emitQueryParam(f *goFile, p *param) {
	x := "p." + p.goName
	arg := strconv.Quote("params." + p.goName)
	if p.t.kind == kArray {
		f.use("strconv")
		if hasChecks(p.t, p.s, p.t.s) {
			indent := "\t"
			if !p.required { // an empty list is not sent
				f.p("\tif len(%s) > 0 {", x)
				indent = "\t\t"
			}
			emitChecks(f, indent, p.t, []*schema{p.s, p.t.s}, x, arg, "return \"\", %s")
			if !p.required {
				f.p("\t}")
			}
		}
		checked := p.t.elem.kind == kString || p.t.elem.kind == kEnum && !p.t.elem.intEnum
		if checked {
			f.p("\tfor i, x := range %s {", x)
		} else {
			f.p("\tfor _, x := range %s {", x)
		}
		empty := "x == \"\""
		if p.t.elem.kind == kString {
			f.use("strings")
			empty = "strings.TrimSpace(x) == \"\""
		}
		if checked {
			f.p("\t\tif %s {", empty)
			f.p("\t\t\treturn \"\", argError(op, %s+strconv.Itoa(i)+\"]\", \"must not be empty\")", strconv.Quote("params."+p.goName+"["))
			f.p("\t\t}")
		}
		f.p("\t\tq.Add(%q, %s)", p.name, strExpr(f, p.t.elem, "x"))
		f.p("\t}")
		return
	}
	_, ptr := queryField(p)
	v := x
	zero, hasZero := map[kind]string{kString: `""`, kEnum: `""`, kInt: "0"}[p.t.kind]
	if p.t.intEnum {
		zero = "0"
	}
	block := true // the param is set inside an if, which the end closes
	switch {
	case ptr:
		v = "*" + x
		f.p("\tif %s != nil {", x)
	case p.t.kind == kTime && p.required:
		f.p("\tif %s.IsZero() {", x)
		f.p("\t\treturn \"\", argError(op, %s, \"is required\")", arg)
		f.p("\t}")
		block = false
	case p.t.kind == kTime:
		f.p("\tif !%s.IsZero() {", x)
	case p.required && hasZero:
		f.p("\tif %s == %s {", x, zero)
		f.p("\t\treturn \"\", argError(op, %s, \"is required\")", arg)
		f.p("\t}")
		block = false
	case p.required: // a bool or a number, whose zero is a value: always sent
		block = false
	default:
		f.p("\tif %s != %s {", x, zero)
	}
	if p.t.kind == kInt || p.t.kind == kFloat {
		lo, hi := bound(p, func(s *schema) *float64 { return s.Minimum }), bound(p, func(s *schema) *float64 { return s.Maximum })
		num := strExpr(f, p.t, v)
		switch {
		case lo != nil && hi != nil:
			f.p("\t\tif %s < %s || %s > %s {", v, num64(*lo), v, num64(*hi))
			f.p("\t\t\treturn \"\", argError(op, %s, \"must be between %s and %s, got \"+%s)", arg, num64(*lo), num64(*hi), num)
			f.p("\t\t}")
		case lo != nil:
			f.p("\t\tif %s < %s {", v, num64(*lo))
			f.p("\t\t\treturn \"\", argError(op, %s, \"must be at least %s, got \"+%s)", arg, num64(*lo), num)
			f.p("\t\t}")
		case hi != nil:
			f.p("\t\tif %s > %s {", v, num64(*hi))
			f.p("\t\t\treturn \"\", argError(op, %s, \"must be at most %s, got \"+%s)", arg, num64(*hi), num)
			f.p("\t\t}")
		}
	}
	if p.t.kind == kString {
		emitChecks(f, "\t\t", p.t, []*schema{p.s, p.t.s}, v, arg, "return \"\", %s")
	}
	f.p("\t\tq.Set(%q, %s)", p.name, strExpr(f, p.t, v))
	if block {
		f.p("\t}")
	}
}

// bound is a bound of p's value, such as its minimum, where the spec sets
// one: on the parameter's schema, or on the branch of an anyOf with null
// (Optional[int] = Query(None, le=100)), which FastAPI writes.
func bound(p *param, get func(*schema) *float64) *float64 {
	if b := get(p.s); b != nil {
		return b
	}
	if p.t.s != nil {
		return get(p.t.s)
	}
	return nil
}

func num64(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// needsValidate reports whether m's validate checks anything.
func (a *api) needsValidate(m *model) bool {
	return a.validates(m, map[*model]bool{})
}

func (a *api) validates(m *model, seen map[*model]bool) bool {
	if m == nil || seen[m] {
		return false
	}
	seen[m] = true
	if m.kind == kUnion || a.fieldsHaveChecks(m, seen) {
		return true
	}
	for _, fl := range m.fields {
		if fl.hold == holdNullable && !fl.nullable {
			return true
		}
		if fl.required && fl.hold == holdValue {
			switch fl.t.kind {
			case kString, kSecret, kTime:
				return true
			case kEnum:
				if !fl.t.intEnum {
					return true
				}
			}
		}
		if a.validates(a.modelOfType(fl.t), seen) || a.validates(a.modelOfType(elemOf(fl.t)), seen) {
			return true
		}
	}
	return false
}

// strParam is a string path parameter's argument as a string.
func strParam(p *param) string {
	if p.t.kind == kString {
		return p.argName
	}
	return "string(" + p.argName + ")"
}
