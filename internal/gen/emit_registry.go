package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// registryFile is the test file that lists the models for the root
// package's tests, and runtimeFile the one that lists the types of its
// hand-written runtime.
const (
	registryFile = "model_registry_test.go"
	runtimeFile  = "runtime_types_test.go"
)

// emitRegistry writes registryFile: every model, with what the spec says
// of it, and the other exported types the generator writes, so that the
// tests go over all of them without a list of their own.
func (a *api) emitRegistry() ([]byte, error) {
	f := newGoFile("arthur")
	f.use("reflect")
	f.p("// registeredModel is one model of api/openapi.json, as the tests see it.")
	f.p("type registeredModel struct {")
	f.p("\tschema    string     // the spec's schema name; a union's is \"Schema.property\"")
	f.p("\talsoAt    []string   // a union's other places, whose anyOf has the same branches")
	f.p("\ttitle     string     // the spec's title, which the model's errors give")
	f.p("\tkind      string     // \"object\", \"enum\" or \"union\"")
	f.p("\trequest   bool       // a request body reaches it")
	f.p("\tresponse  bool       // a response body reaches it")
	f.p("\tsecret    bool       // it holds a Secret")
	f.p("\tnewValue  func() any // returns a new *T")
	f.p("\tvalues    any        // an enum's known values in the spec's order: []string, or []int for an integer enum")
	f.p("\tallValues any        // an enum's All<T>Values")
	f.p("}")
	f.p("")
	f.p("// modelRegistry lists every model of api/openapi.json, by Go name.")
	f.p("var modelRegistry = []registeredModel{")
	for _, m := range a.models {
		kind := map[kind]string{kModel: "object", kEnum: "enum", kUnion: "union"}[m.kind]
		parts := []string{
			"schema: " + strconv.Quote(m.name),
			"title: " + strconv.Quote(m.title),
			"kind: " + strconv.Quote(kind),
		}
		if len(m.alsoAt) > 0 {
			q := make([]string, len(m.alsoAt))
			for i, w := range m.alsoAt {
				q[i] = strconv.Quote(w)
			}
			parts = append(parts, "alsoAt: []string{"+strings.Join(q, ", ")+"}")
		}
		if m.request {
			parts = append(parts, "request: true")
		}
		if m.response {
			parts = append(parts, "response: true")
		}
		if m.secret {
			parts = append(parts, "secret: true")
		}
		f.p("\t{")
		f.p("\t\t%s,", strings.Join(parts, ", "))
		f.p("\t\tnewValue: func() any { return new(%s) },", m.goName)
		if m.kind == kEnum {
			values := make([]string, len(m.values))
			elem := "string"
			for i, v := range m.values {
				values[i] = strconv.Quote(v.value)
				if m.intEnum {
					values[i], elem = v.value, "int" // its JSON text, an integer
				}
			}
			f.p("\t\tvalues:   []%s{%s},", elem, strings.Join(values, ", "))
			f.p("\t\tallValues: All%sValues,", m.goName)
		}
		f.p("\t},")
	}
	f.p("}")
	f.p("")
	f.p("// apiTypes are the other exported types arthur-gen writes: the client, the services and the")
	f.p("// parameters of their operations.")
	f.p("var apiTypes = map[string]reflect.Type{")
	f.p("\t\"APIClient\": reflect.TypeFor[APIClient](),")
	for _, s := range a.services {
		typ := s.goName + "APIService"
		f.p("\t%q: reflect.TypeFor[%s](),", typ, typ)
		for _, x := range s.ops {
			if len(x.query) > 0 {
				f.p("\t%q: reflect.TypeFor[%sParams](),", x.goName+"Params", x.goName)
			}
		}
	}
	f.p("}")
	return f.bytes()
}

// emitRuntimeTypes writes runtimeFile: each type declared at the top level
// of the root's Go files that the generator does not write (the
// hand-written runtime), found in their sources, so that the tests reach
// them as the registry lets them reach the models. An exported generic type
// is instantiated with Secret, as a user may instantiate it, for the secret
// tests; an unexported one with struct{}, so that they see what the type
// itself holds, not what the package instantiates it with.
func emitRuntimeTypes(root string) ([]byte, error) {
	names, err := runtimeTypeNames(root)
	if err != nil {
		return nil, err
	}
	f := newGoFile("arthur")
	f.use("reflect")
	f.p("// runtimeTypes are the types that the hand-written files of the package (those without this")
	f.p("// header) declare at top level, exported or not, as arthur-gen finds them in their sources. An")
	f.p("// exported generic type is instantiated with Secret, an unexported one with struct{}.")
	f.p("var runtimeTypes = map[string]reflect.Type{")
	for _, n := range names {
		f.p("\t%q: reflect.TypeFor[%s](),", n, n)
	}
	f.p("}")
	return f.bytes()
}

// runtimeTypeNames lists, sorted, the types runtimeFile lists: a generic
// one as instantiated there.
func runtimeTypeNames(root string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(root, "*.go"))
	if err != nil {
		return nil, err
	}
	var names []string
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if bytes.HasPrefix(src, []byte(header)) {
			continue
		}
		file, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				name := ts.Name.Name
				if ts.TypeParams != nil {
					arg := "struct{}"
					if ts.Name.IsExported() {
						arg = "Secret"
					}
					args, err := typeArgs(ts, arg)
					if err != nil {
						return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
					}
					name += "[" + args + "]"
				}
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

// typeArgs are the type arguments that instantiate ts with arg: one per
// type parameter, each of which must take any type.
func typeArgs(ts *ast.TypeSpec, arg string) (string, error) {
	var args []string
	for _, field := range ts.TypeParams.List {
		if id, ok := field.Type.(*ast.Ident); !ok || id.Name != "any" {
			return "", fmt.Errorf("type %s: a type parameter that is not any cannot be listed", ts.Name.Name)
		}
		for range field.Names {
			args = append(args, arg)
		}
	}
	return strings.Join(args, ", "), nil
}
