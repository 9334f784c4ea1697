package main

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// load reads the spec and the overrides into an api.
func load(specData, overridesData []byte) (*api, error) {
	doc, err := parseDocument(specData)
	if err != nil {
		return nil, err
	}
	ov, err := parseOverrides(overridesData)
	if err != nil {
		return nil, err
	}
	a := &api{byName: map[string]*model{}, ov: ov}
	l := &loader{a: a, doc: doc, ov: ov}
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		l.declare(name, doc.Components.Schemas[name])
	}
	for _, name := range names {
		if err := l.fill(a.byName[name], doc.Components.Schemas[name]); err != nil {
			return nil, err
		}
	}
	if err := l.operations(); err != nil {
		return nil, err
	}
	for name, mo := range ov.Models {
		m := a.byName[name]
		if m == nil {
			return nil, fmt.Errorf("overrides: model %q is not in the spec", name)
		}
		if mo.Base != "" {
			if m.base = a.byName[mo.Base]; m.base == nil {
				return nil, fmt.Errorf("overrides: %s: base %q is not in the spec", name, mo.Base)
			}
			if err := checkBase(m, m.base); err != nil {
				return nil, err
			}
		}
	}
	for key := range ov.Unions {
		if a.byName[key] == nil || a.byName[key].kind != kUnion {
			return nil, fmt.Errorf("overrides: union %q is not a property of the spec", key)
		}
	}
	if err := l.siblings(); err != nil {
		return nil, err
	}
	if err := l.unusedOverrides(); err != nil {
		return nil, err
	}
	if err := l.checkNames(); err != nil {
		return nil, err
	}
	l.mark()
	a.sortModels()
	return a, nil
}

type loader struct {
	a   *api
	doc *document
	ov  *overrides

	// The keys of the overrides' fields, operations and services that
	// the spec has, so that a misspelt one is an error.
	usedFields, usedOps, usedTags map[string]bool

	// shared are the unions by their branches (unionKey): an anyOf of the
	// same schemas in the same order, found in several places, is one Go
	// type.
	shared map[string]*model
}

// fieldOverride is the override of the property or parameter at where.
func (l *loader) fieldOverride(where string) (fieldOverride, bool) {
	fo, ok := l.ov.Fields[where]
	if ok {
		if l.usedFields == nil {
			l.usedFields = map[string]bool{}
		}
		l.usedFields[where] = true
	}
	return fo, ok
}

// unusedOverrides reports an override of a field, an operation or a tag
// that the spec does not have.
func (l *loader) unusedOverrides() error {
	check := func(what string, keys []string, used map[string]bool) error {
		sort.Strings(keys)
		for _, k := range keys {
			if !used[k] {
				return fmt.Errorf("overrides: %s %q is not in the spec", what, k)
			}
		}
		return nil
	}
	var fields, ops, tags []string
	for k := range l.ov.Fields {
		fields = append(fields, k)
	}
	for k := range l.ov.Operations {
		ops = append(ops, k)
	}
	for k := range l.ov.Services {
		tags = append(tags, k)
	}
	if err := check("field", fields, l.usedFields); err != nil {
		return err
	}
	if err := check("operation", ops, l.usedOps); err != nil {
		return err
	}
	return check("service tag", tags, l.usedTags)
}

// checkNames reports two things of the spec that get one Go name: two
// schemas (Foo_Bar and FooBar), a schema and an operation's parameters
// (GetUserParams), two services, or two operations of a service. The
// overrides' models, operations or services rename one of them.
func (l *loader) checkNames() error {
	types := map[string]string{} // Go type name: what has it
	claim := func(name, what string) error {
		if prev, ok := types[name]; ok {
			return fmt.Errorf("%s and %s are both named %s in Go: rename one in the overrides", prev, what, name)
		}
		types[name] = what
		return nil
	}
	for _, m := range l.a.models {
		what := "schema " + m.name
		if m.kind == kUnion {
			what = "the union of " + m.name
		}
		if err := claim(m.goName, what); err != nil {
			return err
		}
	}
	for _, s := range l.a.services {
		if err := claim(s.goName+"APIService", "the service of tag "+strconv.Quote(s.tag)); err != nil {
			return err
		}
		ops := map[string]string{}
		for _, x := range s.ops {
			if prev, ok := ops[x.goName]; ok {
				return fmt.Errorf("operations %s and %s are both %s.%s in Go: name one in the overrides' operations", prev, x.id, s.goName+"API", x.goName)
			}
			ops[x.goName] = x.id
			if len(x.query) > 0 {
				if err := claim(x.goName+"Params", "the parameters of "+x.id); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// declare makes the model of a component schema, fields to come.
func (l *loader) declare(name string, s *schema) {
	m := &model{name: name, title: s.Title, kind: kModel}
	if m.title == "" {
		m.title = name
	}
	m.goName = l.ov.goName(name)
	mo := l.ov.Models[name]
	if mo.Name != "" {
		m.goName = mo.Name
	}
	m.doc = firstOf(mo.Doc, s.Description)
	if len(s.Enum) > 0 {
		m.kind = kEnum
		m.intEnum = s.Type == "integer" // known before any field refers to it
	}
	if objectUnion(s) {
		m.kind = kUnion
	}
	m.file = goFileName("model_"+snake(m.goName), "schema")
	l.a.models = append(l.a.models, m)
	l.a.byName[name] = m
}

// intEnum fills m, an enum of integers: JobPriority100 is 100.
func (l *loader) intEnum(m *model, s *schema) error {
	for _, raw := range s.Enum {
		v := string(raw)
		if _, err := strconv.Atoi(v); err != nil {
			return fmt.Errorf("%s: an integer enum's value must be an integer, got %s", m.name, raw)
		}
		m.values = append(m.values, enumValue{goName: m.goName + strings.ReplaceAll(v, "-", "Minus"), value: v})
	}
	return nil
}

// goFileName is base.go, or base_<kind>.go where the go command would read
// base.go as a test (model_post_aggregation_test.go) or as a file for
// one system or architecture only (model_build_for_windows.go).
func goFileName(base, kind string) string {
	words := strings.Split(base, "_")
	if last := words[len(words)-1]; last == "test" || knownOS[last] || knownArch[last] {
		base += "_" + kind
	}
	return base + ".go"
}

// The GOOS and GOARCH values that a file name's last word restricts the
// file to.
var (
	knownOS = map[string]bool{"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true,
		"hurd": true, "illumos": true, "ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true,
		"openbsd": true, "plan9": true, "solaris": true, "wasip1": true, "windows": true, "zos": true}
	knownArch = map[string]bool{"386": true, "amd64": true, "amd64p32": true, "arm": true, "armbe": true,
		"arm64": true, "arm64be": true, "loong64": true, "mips": true, "mipsle": true, "mips64": true,
		"mips64le": true, "mips64p32": true, "mips64p32le": true, "ppc": true, "ppc64": true, "ppc64le": true,
		"riscv": true, "riscv64": true, "s390": true, "s390x": true, "sparc": true, "sparc64": true, "wasm": true}
)

// titleDoc is a property's title as its doc, "" where the title only
// repeats the name, as FastAPI's are: "Created At" of created_at.
func titleDoc(title, name string) string {
	if strings.EqualFold(strings.Join(splitWords(title), " "), strings.Join(splitWords(name), " ")) {
		return ""
	}
	return title
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (l *loader) fill(m *model, s *schema) error {
	if m.kind == kEnum {
		if s.Type == "integer" {
			return l.intEnum(m, s)
		}
		for _, raw := range s.Enum {
			v, err := strconv.Unquote(string(raw))
			if err != nil {
				return fmt.Errorf("%s: only string and integer enums are supported, got %s", m.name, raw)
			}
			m.values = append(m.values, enumValue{goName: m.goName + l.ov.goName(v), value: v})
		}
		return nil
	}
	if m.kind == kUnion {
		rest, _ := withoutNull(s.AnyOf)
		return l.fillUnion(m, rest, m.name)
	}
	if s.Type != "object" && len(s.Properties) == 0 {
		return fmt.Errorf("%s: a component schema must be an object or an enum", m.name)
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	for _, prop := range s.propOrder {
		ps := s.Properties[prop]
		where := m.name + "." + prop
		t, nullable, err := l.typeOf(ps, where)
		if err != nil {
			return err
		}
		f := &field{json: prop, goName: l.ov.goName(prop), t: t, required: required[prop],
			nullable: nullable, def: ps.Default, s: ps}
		fo, _ := l.fieldOverride(where)
		f.doc = firstOf(fo.Doc, ps.Description, titleDoc(ps.Title, prop))
		m.fields = append(m.fields, f)
	}
	return nil
}

// typeOf is the Go type of s, found at where ("Schema.property"), and
// whether null is one of its values.
func (l *loader) typeOf(s *schema, where string) (*goType, bool, error) {
	if fo, ok := l.fieldOverride(where); ok && fo.Type != "" {
		switch fo.Type {
		case "any":
			return &goType{kind: kAny, s: s}, false, nil
		case "map[string]any":
			_, nullable, err := l.typeOf(&schema{AnyOf: s.AnyOf, Type: s.Type}, where+"#")
			return &goType{kind: kMap, elem: &goType{kind: kAny}, s: s}, nullable, err
		case "secret":
			_, nullable, err := l.typeOf(&schema{AnyOf: s.AnyOf, Type: s.Type}, where+"#")
			return &goType{kind: kSecret, s: s}, nullable, err
		}
		return nil, false, fmt.Errorf("overrides: %s: unknown type %q", where, fo.Type)
	}
	if s.Ref != "" {
		m := l.a.byName[refName(s.Ref)]
		if m == nil {
			return nil, false, fmt.Errorf("%s: $ref %s is not in the spec", where, s.Ref)
		}
		return &goType{kind: m.kind, name: m.goName, intEnum: m.intEnum, s: s}, false, nil
	}
	if len(s.AnyOf) > 0 {
		rest, nullable := withoutNull(s.AnyOf)
		if len(rest) == 1 {
			t, n, err := l.typeOf(rest[0], where)
			return t, nullable || n, err
		}
		if t, ok := scalarUnion(rest); ok {
			return t, nullable, nil
		}
		t, err := l.union(rest, where)
		return t, nullable, err
	}
	switch s.Type {
	case "string":
		switch s.Format {
		case "date-time":
			return &goType{kind: kTime, s: s}, false, nil
		case "password":
			return &goType{kind: kSecret, s: s}, false, nil
		}
		return &goType{kind: kString, format: s.Format, s: s}, false, nil
	case "integer":
		return &goType{kind: kInt, s: s}, false, nil
	case "number":
		return &goType{kind: kFloat, s: s}, false, nil
	case "boolean":
		return &goType{kind: kBool, s: s}, false, nil
	case "array":
		if s.Items == nil {
			return &goType{kind: kArray, elem: &goType{kind: kRaw}, s: s}, false, nil
		}
		elem, _, err := l.typeOf(s.Items, where+"[]")
		if err != nil {
			return nil, false, err
		}
		return &goType{kind: kArray, elem: elem, s: s}, false, nil
	case "object":
		if len(s.Properties) > 0 {
			return nil, false, fmt.Errorf("%s: an inline object with properties needs a schema of its own", where)
		}
		elem := &goType{kind: kRaw} // a value the spec leaves untyped
		if ap := s.AdditionalProperties; len(ap) > 0 && string(ap) != "true" && string(ap) != "{}" {
			var es schema
			if err := es.UnmarshalJSON(ap); err != nil {
				return nil, false, fmt.Errorf("%s: additionalProperties: %w", where, err)
			}
			t, _, err := l.typeOf(&es, where+"{}")
			if err != nil {
				return nil, false, err
			}
			elem = t
		}
		return &goType{kind: kMap, elem: elem, s: s}, false, nil
	case "":
		return &goType{kind: kRaw, s: s}, false, nil
	}
	return nil, false, fmt.Errorf("%s: type %q is not supported", where, s.Type)
}

// scalarUnion is the type of an anyOf of scalar types, such as a string
// or an integer.
func scalarUnion(branches []*schema) (*goType, bool) {
	t := &goType{kind: kScalar}
	for _, b := range branches {
		if b.Ref != "" || len(b.AnyOf) > 0 {
			return nil, false
		}
		switch b.Type {
		case "string":
			t.scalars = append(t.scalars, kString)
		case "integer":
			t.scalars = append(t.scalars, kInt)
		case "number":
			t.scalars = append(t.scalars, kFloat)
		case "boolean":
			t.scalars = append(t.scalars, kBool)
		default:
			return nil, false
		}
	}
	return t, true
}

// union makes the model of an anyOf of objects found at where.
func (l *loader) union(branches []*schema, where string) (*goType, error) {
	if prev := l.a.byName[where]; prev != nil {
		return nil, fmt.Errorf("%s: declared twice", where)
	}
	uo := l.ov.Unions[where]
	key := unionKey(branches)
	if prev := l.shared[key]; prev != nil && uo.Discriminator == "" && uo.Doc == "" &&
		len(uo.Branches) == 0 && (uo.Name == "" || uo.Name == prev.goName) {
		l.a.byName[where] = prev
		prev.alsoAt = append(prev.alsoAt, where)
		return &goType{kind: kUnion, name: prev.goName}, nil
	}
	m := &model{name: where, kind: kUnion}
	m.goName = uo.Name
	if m.goName == "" {
		m.goName = l.unionName(where)
		if l.goNameTaken(m.goName) {
			m.goName += "Union" // PostMetricsQuery.result_filter, beside the schema PostMetricsQueryResultFilter
		}
	}
	m.title = m.goName
	if l.goNameTaken(m.goName) {
		return nil, fmt.Errorf("%s: its Go name %s is taken: name it in the overrides' unions", where, m.goName)
	}
	m.file = goFileName("model_"+snake(m.goName), "schema")
	if err := l.fillUnion(m, branches, where); err != nil {
		return nil, err
	}
	l.a.models = append(l.a.models, m)
	l.a.byName[where] = m
	if uo.Discriminator == "" {
		if l.shared == nil {
			l.shared = map[string]*model{}
		}
		l.shared[key] = m
	}
	return &goType{kind: kUnion, name: m.goName}, nil
}

// checkBase checks that m has every field of base, of the same type.
func checkBase(m, base *model) error {
	have := map[string]*field{}
	for _, f := range m.fields {
		have[f.json] = f
	}
	for _, bf := range base.fields {
		f := have[bf.json]
		switch {
		case f == nil:
			return fmt.Errorf("overrides: %s: base %s: %s has no field %s, which %s has", m.name, base.name, m.name, bf.json, base.name)
		case f.goExpr() != bf.goExpr():
			return fmt.Errorf("overrides: %s: base %s: field %s is a %s in %s, a %s in %s",
				m.name, base.name, bf.json, f.goExpr(), m.name, bf.goExpr(), base.name)
		}
	}
	return nil
}

// service is the Go service of one tag.
type service struct {
	tag      string
	goName   string // UsersV1
	file     string // api_users_v1.go
	ops      []*op
	docsFile string // docs/UsersV1API.md
}

// op is one operation.
type op struct {
	id, goName    string
	method, path  string
	summary, desc string
	doc           string
	pathParams    []*param
	query         []*param
	body          *model
	result        *goType
	resultExpr    string // the override's Go type of an untyped result
	status        int    // the success status, the first the spec gives
	noContent     bool   // a 204 answers too, with no result: the result is nil
	errors        []errStatus
	secret        bool // the result holds a Secret
	auth          bool
	scopes        []string // the OAuth2 scopes of its security requirements: the permissions it needs
	paged         *paging
	svc           *service
}

type errStatus struct {
	code  int
	model *model // nil when the spec gives no schema
}

// paging is the shape of a paged list: records and pagination.total_pages,
// or, for a sequential one, pagination.page_size without total_pages.
type paging struct {
	list       *model
	records    *field
	item       *goType
	sequential bool // no total_pages: pages are fetched until a short one
	pagePtr    bool // the params' Page is a *int (the spec sets no minimum)
}

// param is a path or query parameter.
type param struct {
	name     string // on the wire
	goName   string // a field of the params struct
	argName  string // an argument of the method
	doc      string
	t        *goType
	required bool
	def      string
	s        *schema
}

func (l *loader) operations() error {
	l.usedOps, l.usedTags = map[string]bool{}, map[string]bool{}
	byTag := map[string]*service{}
	paths := make([]string, 0, len(l.doc.Paths))
	for p := range l.doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for method, o := range l.doc.Paths[path] {
			tag := l.ov.Operations[o.OperationID].Tag
			if tag == "" && len(o.Tags) > 0 {
				tag = o.Tags[0]
			}
			if tag == "" {
				return fmt.Errorf("%s %s: an operation needs a tag: give %s one in the overrides' operations", method, path, o.OperationID)
			}
			l.usedTags[tag] = true
			svc := byTag[tag]
			if svc == nil {
				name := l.ov.Services[tag]
				if name == "" {
					name = l.ov.goName(tag)
				}
				svc = &service{tag: tag, goName: name, file: goFileName("api_"+tagFile(tag), "service"),
					docsFile: "docs/" + name + "API.md"}
				byTag[tag] = svc
				l.a.services = append(l.a.services, svc)
			}
			x, err := l.operation(strings.ToUpper(method), path, o)
			if err != nil {
				return err
			}
			x.svc = svc
			svc.ops = append(svc.ops, x)
		}
	}
	sort.Slice(l.a.services, func(i, j int) bool { return l.a.services[i].goName < l.a.services[j].goName })
	for _, s := range l.a.services {
		sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].goName < s.ops[j].goName })
	}
	return nil
}

func (l *loader) operation(method, path string, o *operation) (*op, error) {
	x := &op{id: o.OperationID, goName: l.opName(o.OperationID, method, path), method: method, path: path,
		summary: o.Summary, desc: o.Description, doc: l.ov.Operations[o.OperationID].Doc}
	where := x.id
	l.usedOps[x.id] = true
	security := l.doc.Security
	if o.Security != nil {
		security = *o.Security
	}
	x.auth = len(security) > 0 // security: [], or none in the document, sends no token
	x.scopes = scopesOf(security)
	for _, p := range o.Parameters {
		t, _, err := l.typeOf(p.Schema, where+"."+p.Name)
		if err != nil {
			return nil, err
		}
		pr := &param{name: p.Name, goName: l.ov.goName(p.Name), argName: l.ov.lowerName(p.Name),
			doc: firstOf(p.Description, p.Schema.Description, titleDoc(p.Schema.Title, p.Name)), t: t, required: p.Required, s: p.Schema}
		if d := p.Schema.Default; len(d) > 0 && string(d) != "null" {
			pr.def = string(d)
		}
		switch p.In {
		case "path":
			x.pathParams = append(x.pathParams, pr)
		case "query":
			x.query = append(x.query, pr)
		default:
			return nil, fmt.Errorf("%s: %s parameters are not supported", where, p.In)
		}
	}
	if rb := o.RequestBody; rb != nil {
		mt := rb.Content["application/json"]
		if mt == nil || mt.Schema == nil || mt.Schema.Ref == "" {
			return nil, fmt.Errorf("%s: the body must be a JSON $ref", where)
		}
		x.body = l.a.byName[refName(mt.Schema.Ref)]
		if method == http.MethodPatch {
			x.body.patch = true
		}
	}
	codes := make([]string, 0, len(o.Responses))
	for c := range o.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		code, err := strconv.Atoi(c)
		if err != nil {
			return nil, fmt.Errorf("%s: response %q is not a status", where, c)
		}
		r := o.Responses[c]
		var s *schema
		if mt := r.Content["application/json"]; mt != nil {
			s = mt.Schema
		}
		if code >= 200 && code < 300 {
			if x.status != 0 {
				if code != http.StatusNoContent || s != nil {
					return nil, fmt.Errorf("%s: more than one success status with a body", where)
				}
				x.noContent = true
				continue
			}
			x.status = code
			x.resultExpr = l.ov.Operations[x.id].Result
			if s != nil && x.resultExpr == "" {
				t, _, err := l.typeOf(s, where+".result")
				if err != nil {
					return nil, err
				}
				x.result = t
			}
			continue
		}
		e := errStatus{code: code}
		if s != nil && s.Ref != "" {
			e.model = l.a.byName[refName(s.Ref)]
		}
		x.errors = append(x.errors, e)
	}
	if x.status == 0 {
		return nil, fmt.Errorf("%s: no success status", where)
	}
	return x, nil
}

// opName is the Go name of an operation: the override's, or that of the
// operation id's fastAPIBase.
func (l *loader) opName(id, method, path string) string {
	if name := l.ov.Operations[id].Name; name != "" {
		return name
	}
	return l.ov.goName(fastAPIBase(id, method, path))
}

// fastAPIBase is the function's name in an operation id FastAPI made of it,
// the path (each character not a letter, digit or _ as _) and the method:
// Health_check of Health_check_api_health_get. Another id is itself.
func fastAPIBase(id, method, path string) string {
	var tail strings.Builder
	for _, r := range path {
		if isAlnum(r) || r == '_' {
			tail.WriteRune(r)
		} else {
			tail.WriteByte('_')
		}
	}
	tail.WriteString("_" + strings.ToLower(method))
	if base, ok := strings.CutSuffix(id, tail.String()); ok && base != "" {
		return base
	}
	return id
}

// scopesOf lists the scopes of security requirements, once each, in the
// spec's order.
func scopesOf(security []map[string][]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, req := range security {
		schemes := make([]string, 0, len(req))
		for name := range req {
			schemes = append(schemes, name)
		}
		sort.Strings(schemes)
		for _, name := range schemes {
			for _, sc := range req[name] {
				if !seen[sc] {
					seen[sc] = true
					out = append(out, sc)
				}
			}
		}
	}
	return out
}

// mark finds which models requests and responses reach, which hold a
// Secret, which operations page, and how each field holds its type.
func (l *loader) mark() {
	var reach func(m *model, seen map[*model]bool, set func(*model))
	reach = func(m *model, seen map[*model]bool, set func(*model)) {
		if m == nil || seen[m] {
			return
		}
		seen[m] = true
		set(m)
		for _, f := range m.fields {
			for t := f.t; t != nil; t = t.elem {
				reach(l.modelOf(t), seen, set)
			}
		}
		for _, b := range m.branch {
			reach(b.model, seen, set)
		}
	}
	req, resp := map[*model]bool{}, map[*model]bool{}
	for _, s := range l.a.services {
		for _, x := range s.ops {
			reach(x.body, req, func(m *model) { m.request = true })
			for t := x.result; t != nil; t = t.elem {
				reach(l.modelOf(t), resp, func(m *model) { m.response = true })
			}
			for _, e := range x.errors {
				reach(e.model, resp, func(m *model) { m.response = true })
			}
		}
	}
	// A model that only PATCH bodies reach is a PATCH body's part, each of
	// its fields a Nullable too: PatchDataPlane.capabilities.
	inPatch, elsewhere := map[*model]bool{}, map[*model]bool{}
	for _, s := range l.a.services {
		for _, x := range s.ops {
			if x.method == http.MethodPatch {
				reach(x.body, inPatch, func(*model) {})
			} else {
				reach(x.body, elsewhere, func(*model) {})
			}
			for t := x.result; t != nil; t = t.elem {
				reach(l.modelOf(t), elsewhere, func(*model) {})
			}
		}
	}
	for m := range inPatch {
		if !elsewhere[m] && m.kind == kModel {
			m.patch = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, m := range l.a.models {
			if m.secret {
				continue
			}
			for _, f := range m.fields {
				for t := f.t; t != nil; t = t.elem {
					if t.kind == kSecret || (l.modelOf(t) != nil && l.modelOf(t).secret) {
						m.secret, changed = true, true
					}
				}
			}
			for _, b := range m.branch {
				if b.model.secret {
					m.secret, changed = true, true
				}
			}
		}
	}
	for _, m := range l.a.models {
		for _, f := range m.fields {
			f.hold = holding(f, m)
		}
		for _, b := range m.branch {
			for _, f := range b.model.fields {
				if f.required && !f.nullable {
					b.required = append(b.required, f.json)
				}
			}
		}
	}
	for _, s := range l.a.services {
		for _, x := range s.ops {
			for t := x.result; t != nil; t = t.elem {
				if m := l.modelOf(t); m != nil && m.secret {
					x.secret = true
				}
			}
			x.paged = l.paging(x)
		}
	}
}

// holding is how a field holds its type.
func holding(f *field, m *model) holdKind {
	switch {
	case m.patch:
		return holdNullable
	case f.t.holdsNil():
		return holdValue
	case f.required && !f.nullable:
		return holdValue
	case !f.required && !f.nullable && !m.request && len(f.def) > 0 && f.t.kind != kModel && f.t.kind != kUnion:
		return holdValue // a response's default applies when the key is absent
	}
	return holdPtr
}

func (l *loader) modelOf(t *goType) *model {
	if t == nil || (t.kind != kModel && t.kind != kUnion && t.kind != kEnum) {
		return nil
	}
	for _, m := range l.a.models {
		if m.goName == t.name {
			return m
		}
	}
	return nil
}

// paging reports whether x answers a page: records and a pagination with
// total_pages, and a page query parameter.
func (l *loader) paging(x *op) *paging {
	list := l.modelOf(x.result)
	if list == nil || list.kind != kModel || x.method != http.MethodGet {
		return nil
	}
	var records, pagination *field
	for _, f := range list.fields {
		switch f.json {
		case "records":
			records = f
		case "pagination":
			pagination = f
		}
	}
	if records == nil || pagination == nil || records.t.kind != kArray {
		return nil
	}
	pm := l.modelOf(pagination.t)
	hasPage, pagePtr := false, false
	for _, p := range x.query {
		if p.name == "page" && p.t.kind == kInt {
			_, pagePtr = queryField(p)
			hasPage = true
		}
	}
	if pm == nil || !hasPage {
		return nil
	}
	var pageSize *field
	for _, f := range pm.fields {
		if f.json == "total_pages" && f.t.kind == kInt && f.hold == holdValue {
			return &paging{list: list, records: records, item: records.t.elem, pagePtr: pagePtr}
		}
		if f.json == "page_size" && f.t.kind == kInt && f.hold == holdValue {
			pageSize = f
		}
	}
	if pageSize != nil {
		for _, f := range pm.fields {
			if f.json == "total_pages" {
				return nil // a total_pages that may be absent: neither shape
			}
		}
		return &paging{list: list, records: records, item: records.t.elem, sequential: true, pagePtr: pagePtr}
	}
	return nil
}
