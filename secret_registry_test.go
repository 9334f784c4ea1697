package arthur

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// exportedTypes is every exported type of the package, by name: the
// models of the registry (model_registry_test.go), the services and
// parameters arthur-gen writes (apiTypes), and the exported types of the
// hand-written runtime (runtimeTypes, which arthur-gen reads from their
// sources; the generic Nullable as Nullable[Secret]). TestTypesAreListed
// checks them against the sources.
var exportedTypes = func() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, m := range modelRegistry {
		t := reflect.TypeOf(m.newValue()).Elem()
		out[t.Name()] = t
	}
	maps.Copy(out, apiTypes)
	for name, t := range runtimeTypes {
		if token.IsExported(name) {
			out[name] = t
		}
	}
	return out
}()

// internalTypes are the unexported types of the hand-written runtime.
var internalTypes = func() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for name, t := range runtimeTypes {
		if !token.IsExported(name) {
			out[name] = t
		}
	}
	return out
}()

// secretHolders are the names of those of types that hold a Secret or an
// OAuth2 token somewhere inside, in an exported field or not, directly or through
// pointers, slices, maps and Nullable, as holdsSecret finds them.
func secretHolders(types map[string]reflect.Type) []string {
	var out []string
	for name, typ := range types {
		if holdsSecret(typ, map[reflect.Type]bool{}) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// pointerOnly reports whether t redacts itself only through a pointer:
// the package uses such a type only through one, since a value receiver
// would copy state that other goroutines change under a lock.
func pointerOnly(t reflect.Type) bool {
	formatter := reflect.TypeFor[fmt.Formatter]()
	return reflect.PointerTo(t).Implements(formatter) && !t.Implements(formatter)
}

var (
	secretType = reflect.TypeFor[Secret]()
	tokenType  = reflect.TypeFor[oauth2.Token]()
)

// holdsSecret walks t: struct fields (unexported too: fmt prints those
// without their methods), pointers, slices, arrays and maps. Interfaces,
// funcs and channels hold nothing the type says.
func holdsSecret(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == secretType || t == tokenType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsSecret(t.Field(i).Type, seen) {
				return true
			}
		}
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsSecret(t.Elem(), seen)
	case reflect.Map:
		return holdsSecret(t.Key(), seen) || holdsSecret(t.Elem(), seen)
	}
	return false
}

// TestTypesAreListed parses the package's sources: every type a generated
// file declares must be a model of the registry or one of apiTypes, every
// type a hand-written file declares must be in runtimeTypes (run make
// generate when it is not), and nothing else.
func TestTypesAreListed(t *testing.T) {
	declared := map[string]bool{}
	for _, d := range typeDecls(t) {
		declared[d.spec.Name.Name] = true
		listed := exportedTypes[d.spec.Name.Name] != nil || internalTypes[d.spec.Name.Name] != nil
		if d.spec.TypeParams != nil {
			listed = slices.ContainsFunc(slices.Collect(maps.Keys(runtimeTypes)), func(n string) bool {
				return strings.HasPrefix(n, d.spec.Name.Name+"[")
			})
		}
		assert.True(t, listed, "%s declares %s, which no list has (run make generate)", d.file, d.spec.Name.Name)
		if d.generated {
			_, inRuntime := runtimeTypes[d.spec.Name.Name]
			assert.False(t, inRuntime, "runtimeTypes lists %s, which a generated file declares", d.spec.Name.Name)
		}
	}
	for _, types := range []map[string]reflect.Type{exportedTypes, internalTypes} {
		for name := range types {
			base, _, _ := strings.Cut(name, "[")
			assert.True(t, declared[base], "%s is listed, and the package does not declare it (run make generate)", name)
		}
	}
}

// TestRegistrySecrets checks the registry's word on which models hold a
// Secret against reflection's.
func TestRegistrySecrets(t *testing.T) {
	for _, m := range modelRegistry {
		typ := reflect.TypeOf(m.newValue()).Elem()
		assert.Equal(t, holdsSecret(typ, map[reflect.Type]bool{}), m.secret, "%s", typ)
	}
}

// typeDecl is a type declared at the top level of the package's sources.
type typeDecl struct {
	spec      *ast.TypeSpec
	file      string
	generated bool // the file is arthur-gen's
}

// typeDecls parses the package's sources, tests left out, and returns the
// types they declare at top level.
func typeDecls(t *testing.T) []typeDecl {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var decls []typeDecl
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution|parser.ParseComments)
		require.NoError(t, err)
		generated := ast.IsGenerated(f)
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, spec := range gd.Specs {
					decls = append(decls, typeDecl{spec.(*ast.TypeSpec), name, generated})
				}
			}
		}
	}
	return decls
}

// TestSecretHoldersAreFound reads the sources for every type, exported or
// not, whose fields hold a Secret or an OAuth2 token, directly or through
// another such type: reflection must find each among the listed types, so
// that TestNoSecretHolderPrintsItsSecret prints it.
func TestSecretHoldersAreFound(t *testing.T) {
	found := map[string]bool{}
	for _, types := range []map[string]reflect.Type{exportedTypes, internalTypes} {
		for _, name := range secretHolders(types) {
			base, _, _ := strings.Cut(name, "[")
			found[base] = true
		}
	}
	for _, name := range declaredSecretHolders(t) {
		assert.True(t, found[name], "type %s holds a secret or a token, and reflection does not find it", name)
	}
	for _, want := range []string{"Secret", "Configuration", "APIClient"} {
		assert.True(t, found[want], "reflection does not find %s to hold a secret", want)
	}
}

// declaredSecretHolders parses the package's sources and returns the
// struct types declared at top level with a field whose type names Secret,
// oauth2.Token or another such type. A type declared in a function does
// not leave it.
func declaredSecretHolders(t *testing.T) []string {
	fields := map[string][]string{} // type name: the type names its fields mention
	for _, d := range typeDecls(t) {
		ts := d.spec
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		var names []string
		ast.Inspect(st, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if pkg, ok := x.X.(*ast.Ident); ok {
					names = append(names, pkg.Name+"."+x.Sel.Name)
				}
				return false
			case *ast.Ident:
				names = append(names, x.Name)
			}
			return true
		})
		fields[ts.Name.Name] = names
	}
	holders := map[string]bool{"Secret": true, "oauth2.Token": true}
	for changed := true; changed; {
		changed = false
		for typ, names := range fields {
			if !holders[typ] && slices.ContainsFunc(names, func(n string) bool { return holders[n] }) {
				holders[typ], changed = true, true
			}
		}
	}
	var out []string
	for typ := range fields {
		if holders[typ] {
			out = append(out, typ)
		}
	}
	slices.Sort(out)
	return out
}

// fill sets every field of v, exported or not, to a non-zero value: plain
// in each Secret and in the Configuration's AccessToken, "harmless" in the
// other strings; pointers, slices and maps get elements. It does not go
// into types of other packages, and sets Nullable to a value.
func fill(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if v.Type() == secretType {
			v.SetString(plain)
		} else {
			v.SetString("harmless")
		}
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(3)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(3)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range v.Len() {
			fill(v.Index(i), depth+1)
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		e := reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)))
			return
		}
		if v.Type() == tokenType {
			v.Set(reflect.ValueOf(oauth2.Token{AccessToken: plain, TokenType: "Bearer", RefreshToken: plain + "-refresh",
				Expiry: time.Now().Add(time.Hour)}))
			return
		}
		if v.Type().PkgPath() != secretType.PkgPath() {
			return // another package's type: left zero
		}
		for i := range v.NumField() {
			f := settable(v.Field(i))
			switch {
			case v.Type().Field(i).Name == "AccessToken":
				f.SetString(plain)
			default:
				fill(f, depth+1)
			}
		}
		if strings.HasPrefix(v.Type().Name(), "Nullable[") {
			settable(v.FieldByName("state")).SetUint(uint64(nullableValue))
		}
	}
}

// settable returns f, or for an unexported field a settable alias of it.
func settable(f reflect.Value) reflect.Value {
	if f.CanSet() {
		return f
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// filled returns a *T, as a reflect.Value, with every field filled.
func filled(t reflect.Type) reflect.Value {
	p := reflect.New(t)
	fill(p.Elem(), 0)
	return p
}

// printings are the ways a value reaches text: fmt's verbs and slog's two
// handlers, with the value and with a pointer to it.
func printings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t"} {
		out["fmt "+verb] = fmt.Sprintf(verb, v)
	}
	out["fmt Sprint"] = fmt.Sprint(v)
	out["fmt Sprintln"] = fmt.Sprintln(v)
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("msg", "value", v, slog.Group("group", "nested", v))
		out[name] = buf.String()
	}
	return out
}

// TestNoSecretHolderPrintsItsSecret fills each secret holder, by
// reflection, and prints it every way, as a value and through a pointer
// (a type that redacts itself only through a pointer, through a pointer).
func TestNoSecretHolderPrintsItsSecret(t *testing.T) {
	cases := map[string]reflect.Value{}
	byPointer := map[string]bool{}
	for _, types := range []map[string]reflect.Type{exportedTypes, internalTypes} {
		for _, name := range secretHolders(types) {
			cases[name] = filled(types[name])
			byPointer[name] = pointerOnly(types[name])
			// A union filled has every branch set: each on its own too.
			for branch, v := range unionBranches(cases[name]) {
				cases[name+" ("+branch+")"] = v
			}
		}
	}
	// Values made the usual way beside: a client with a token and client
	// credentials, and its token sources.
	cfg := NewConfiguration()
	cfg.AccessToken = plain
	cfg.ClientID, cfg.ClientSecret = "cid", plain
	client := NewAPIClient(cfg)
	cases["APIClient (NewAPIClient, token)"] = reflect.ValueOf(client)
	cases["UsersV1APIService (NewAPIClient, token)"] = reflect.ValueOf(client.UsersV1API)
	cfg.AccessToken = ""
	ccClient := NewAPIClient(cfg)
	cases["APIClient (NewAPIClient, client credentials)"] = reflect.ValueOf(ccClient)
	ccCfg := NewConfiguration()
	ccCfg.ClientID, ccCfg.ClientSecret = "cid", plain
	cc := NewAPIClient(ccCfg).cc
	cc.setToken(&oauth2.Token{AccessToken: plain, Expiry: time.Now().Add(time.Hour)})
	cases["clientCredentials (NewAPIClient, with a token)"] = reflect.ValueOf(cc)
	byPointer["clientCredentials (NewAPIClient, with a token)"] = true
	src := DeviceTokenSource(t.Context(), nil, "", &oauth2.Token{AccessToken: plain, RefreshToken: plain + "-refresh",
		Expiry: time.Now().Add(time.Hour)})
	cases["deviceTokenSource (DeviceTokenSource)"] = reflect.ValueOf(src)
	byPointer["deviceTokenSource (DeviceTokenSource)"] = true

	for name, ptr := range cases {
		t.Run(name, func(t *testing.T) {
			require.Contains(t, fmt.Sprintf("%#v", ptr.Elem().Interface())+revealAll(ptr), plain,
				"the instance holds the secret")
			if !byPointer[name] {
				for how, text := range printings(ptr.Elem().Interface()) {
					assert.NotContains(t, text, plain, "value, %s", how)
				}
			}
			for how, text := range printings(ptr.Interface()) {
				assert.NotContains(t, text, plain, "pointer, %s", how)
			}
		})
	}
}

// unionBranches are copies of p, a pointer to a filled union or to a
// model with a union field, with one branch of the union set each, by
// branch; none for any other value.
func unionBranches(p reflect.Value) map[string]reflect.Value {
	spec, err := loadSpec()
	if err != nil {
		panic(err)
	}
	out := map[string]reflect.Value{}
	only := func(u reflect.Value, m *refModel, keep int) {
		for _, b := range m.branches {
			if b.index != keep {
				u.Field(b.index).SetZero()
			}
		}
		if m.other >= 0 {
			u.Field(m.other).SetZero()
		}
	}
	v := p.Elem()
	if m := spec.byType[v.Type()]; m != nil && m.reg.kind == "union" {
		for _, b := range m.branches {
			c := reflect.New(v.Type())
			c.Elem().Set(v)
			only(c.Elem(), m, b.index)
			out[v.Type().Field(b.index).Name] = c
		}
	}
	if v.Kind() != reflect.Struct {
		return out
	}
	for i := range v.NumField() {
		if m := spec.byType[v.Field(i).Type()]; m != nil && m.reg.kind == "union" {
			for _, b := range m.branches {
				c := reflect.New(v.Type())
				c.Elem().Set(v)
				only(c.Elem().Field(i), m, b.index)
				out[v.Type().Field(i).Name+"."+v.Field(i).Type().Field(b.index).Name] = c
			}
		}
	}
	return out
}

// revealAll collects the values of every Secret and AccessToken in v, to
// show that the instance does hold the secret it must not print.
func revealAll(v reflect.Value) string {
	var b strings.Builder
	var walk func(reflect.Value, int)
	walk = func(v reflect.Value, depth int) {
		if depth > 8 || !v.IsValid() {
			return
		}
		switch v.Kind() {
		case reflect.String:
			if v.Type() == secretType {
				b.WriteString(v.String())
			}
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), depth+1)
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), depth+1)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).Name == "AccessToken" {
					b.WriteString(v.Field(i).String())
				}
				walk(v.Field(i), depth+1)
			}
		}
	}
	walk(v, 0)
	return b.String()
}
