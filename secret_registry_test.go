package arthur

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
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

// exportedTypes is every exported type of the package; the generic
// Nullable appears as the instantiations the package uses.
// TestExportedTypesAreListed keeps the list complete.
var exportedTypes = map[string]reflect.Type{
	"APIClient":                     reflect.TypeFor[APIClient](),
	"APIError":                      reflect.TypeFor[APIError](),
	"ArgumentError":                 reflect.TypeFor[ArgumentError](),
	"AuthError":                     reflect.TypeFor[AuthError](),
	"BadRequestError":               reflect.TypeFor[BadRequestError](),
	"BoundResourceKind":             reflect.TypeFor[BoundResourceKind](),
	"Configuration":                 reflect.TypeFor[Configuration](),
	"ConflictError":                 reflect.TypeFor[ConflictError](),
	"Credentials":                   reflect.TypeFor[Credentials](),
	"DecodeError":                   reflect.TypeFor[DecodeError](),
	"DeviceAuthorization":           reflect.TypeFor[DeviceAuthorization](),
	"GetOrganizationUsersParams":    reflect.TypeFor[GetOrganizationUsersParams](),
	"HTTPValidationError":           reflect.TypeFor[HTTPValidationError](),
	"InternalServerError":           reflect.TypeFor[InternalServerError](),
	"InviteNewUser":                 reflect.TypeFor[InviteNewUser](),
	"NotFoundError":                 reflect.TypeFor[NotFoundError](),
	"Nullable[string]":              reflect.TypeFor[Nullable[string]](),
	"Nullable[Secret]":              reflect.TypeFor[Nullable[Secret]](),
	"Pagination":                    reflect.TypeFor[Pagination](),
	"PatchServiceAccountUser":       reflect.TypeFor[PatchServiceAccountUser](),
	"PatchUser":                     reflect.TypeFor[PatchUser](),
	"PostEndUser":                   reflect.TypeFor[PostEndUser](),
	"PostGlobalRoleBinding":         reflect.TypeFor[PostGlobalRoleBinding](),
	"PostServiceAccount":            reflect.TypeFor[PostServiceAccount](),
	"RedirectError":                 reflect.TypeFor[RedirectError](),
	"ResponseMetadata":              reflect.TypeFor[ResponseMetadata](),
	"ResourceListUser":              reflect.TypeFor[ResourceListUser](),
	"RetryPolicy":                   reflect.TypeFor[RetryPolicy](),
	"Secret":                        reflect.TypeFor[Secret](),
	"SensitiveUser":                 reflect.TypeFor[SensitiveUser](),
	"ServiceAccountCredentials":     reflect.TypeFor[ServiceAccountCredentials](),
	"SortOrder":                     reflect.TypeFor[SortOrder](),
	"User":                          reflect.TypeFor[User](),
	"UserCredentials":               reflect.TypeFor[UserCredentials](),
	"UserServiceAccountCredentials": reflect.TypeFor[UserServiceAccountCredentials](),
	"UserSort":                      reflect.TypeFor[UserSort](),
	"UserType":                      reflect.TypeFor[UserType](),
	"UsersV1APIService":             reflect.TypeFor[UsersV1APIService](),
	"ValidationError":               reflect.TypeFor[ValidationError](),
}

// secretHolderTypes are the exported types that hold a Secret somewhere inside,
// in an exported field or not, directly or through pointers, slices, maps
// and Nullable. TestSecretHoldersAreListed checks the list by reflection.
var secretHolderTypes = []string{
	"APIClient",                     // its Configuration, and its own client-credentials source
	"Configuration",                 // ClientSecret
	"Credentials",                   // either variant
	"DeviceAuthorization",           // the device code, behind a pointer
	"Nullable[Secret]",              // its value
	"PostEndUser",                   // Password
	"Secret",                        // itself
	"SensitiveUser",                 // Credentials
	"ServiceAccountCredentials",     // ClientSecret
	"UserCredentials",               // Password
	"UserServiceAccountCredentials", // Credentials
	"UsersV1APIService",             // its *APIClient
}

// internalSecretHolders are the package's unexported types that hold a
// Secret or an OAuth2 token: the token sources behind Configuration's
// client credentials and DeviceTokenSource, a device login's flow, and
// service, the struct under UsersV1APIService, whose client pointer fmt
// prints as an address.
// pointerOnly marks those the package only ever uses through a pointer,
// which is the form that redacts itself (a value receiver would copy
// state that other goroutines change under a lock).
// TestSecretHoldersAreListed finds them in the sources.
var internalSecretHolders = map[string]struct {
	typ         reflect.Type
	pointerOnly bool
}{
	"clientCredentials": {reflect.TypeFor[clientCredentials](), true},
	"deviceFlow":        {reflect.TypeFor[deviceFlow](), false},
	"deviceTokenSource": {reflect.TypeFor[deviceTokenSource](), true},
	"service":           {reflect.TypeFor[service](), false},
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

// TestExportedTypesAreListed parses the package's sources: every exported
// type they declare must be in exportedTypes, and nothing else.
func TestExportedTypesAreListed(t *testing.T) {
	declared := map[string]bool{}
	for _, ts := range typeSpecs(t) {
		if ts.Name.IsExported() {
			declared[ts.Name.Name] = true
		}
	}
	listed := map[string]bool{}
	for name := range exportedTypes {
		base, _, _ := strings.Cut(name, "[")
		listed[base] = true
	}
	for name := range declared {
		assert.True(t, listed[name], "exported type %s is missing from exportedTypes", name)
	}
	for name := range listed {
		assert.True(t, declared[name], "exportedTypes lists %s, which the package does not declare", name)
	}
}

// typeSpecs parses the package's sources, tests left out, and returns the
// types they declare at top level.
func typeSpecs(t *testing.T) []*ast.TypeSpec {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var specs []*ast.TypeSpec
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, spec := range gd.Specs {
					specs = append(specs, spec.(*ast.TypeSpec))
				}
			}
		}
	}
	return specs
}

// TestSecretHoldersAreListed finds by reflection every listed type that
// holds a Secret or an OAuth2 token: secretHolderTypes must name exactly
// those. It also reads the sources for every type, exported or not, whose
// fields hold one, directly or through another such type:
// secretHolderTypes and internalSecretHolders must name each.
func TestSecretHoldersAreListed(t *testing.T) {
	var found []string
	for name, typ := range exportedTypes {
		if holdsSecret(typ, map[reflect.Type]bool{}) {
			found = append(found, name)
		}
	}
	slices.Sort(found)
	want := slices.Clone(secretHolderTypes)
	slices.Sort(want)
	assert.Equal(t, want, found)

	for name, h := range internalSecretHolders {
		assert.True(t, holdsSecret(h.typ, map[reflect.Type]bool{}), "%s is listed, but holds no secret", name)
	}
	listed := map[string]bool{}
	for _, name := range secretHolderTypes {
		base, _, _ := strings.Cut(name, "[")
		listed[base] = true
	}
	for name := range internalSecretHolders {
		listed[name] = true
	}
	for _, name := range declaredSecretHolders(t) {
		assert.True(t, listed[name], "type %s holds a secret or a token, and is in neither secretHolderTypes nor internalSecretHolders", name)
	}
}

// declaredSecretHolders parses the package's sources and returns the
// struct types declared at top level with a field whose type names Secret,
// oauth2.Token or another such type. A type declared in a function does
// not leave it.
func declaredSecretHolders(t *testing.T) []string {
	fields := map[string][]string{} // type name: the type names its fields mention
	for _, ts := range typeSpecs(t) {
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
// reflection, and prints it every way, as a value and through a pointer.
func TestNoSecretHolderPrintsItsSecret(t *testing.T) {
	cases := map[string]reflect.Value{}
	for _, name := range secretHolderTypes {
		cases[name] = filled(exportedTypes[name])
	}
	// Hand-made ones beside: each variant of the union, and a client made
	// the usual way, with a token and client credentials.
	sa := ServiceAccountCredentials{ClientID: "cid", ClientSecret: plain}
	uc := UserCredentials{Password: plain}
	cases["Credentials (service account)"] = reflect.ValueOf(&Credentials{ServiceAccount: &sa})
	cases["Credentials (user)"] = reflect.ValueOf(&Credentials{User: &uc})
	cases["SensitiveUser (user)"] = reflect.ValueOf(&SensitiveUser{ID: "u1", Credentials: Credentials{User: &uc}})
	cfg := NewConfiguration()
	cfg.AccessToken = plain
	cfg.ClientID, cfg.ClientSecret = "cid", plain
	client := NewAPIClient(cfg)
	cases["APIClient (NewAPIClient, token)"] = reflect.ValueOf(client)
	cases["UsersV1APIService (NewAPIClient, token)"] = reflect.ValueOf(client.UsersV1API)
	cfg.AccessToken = ""
	ccClient := NewAPIClient(cfg)
	cases["APIClient (NewAPIClient, client credentials)"] = reflect.ValueOf(ccClient)

	// The internal ones, filled, and as the package makes them.
	pointerOnly := map[string]bool{}
	for name, h := range internalSecretHolders {
		cases[name] = filled(h.typ)
		pointerOnly[name] = h.pointerOnly
	}
	ccCfg := NewConfiguration()
	ccCfg.ClientID, ccCfg.ClientSecret = "cid", plain
	cc := NewAPIClient(ccCfg).cc
	cc.setToken(&oauth2.Token{AccessToken: plain, Expiry: time.Now().Add(time.Hour)})
	cases["clientCredentials (NewAPIClient, with a token)"] = reflect.ValueOf(cc)
	pointerOnly["clientCredentials (NewAPIClient, with a token)"] = true
	src := DeviceTokenSource(t.Context(), nil, "", &oauth2.Token{AccessToken: plain, RefreshToken: plain + "-refresh",
		Expiry: time.Now().Add(time.Hour)})
	cases["deviceTokenSource (DeviceTokenSource)"] = reflect.ValueOf(src)
	pointerOnly["deviceTokenSource (DeviceTokenSource)"] = true

	for name, ptr := range cases {
		t.Run(name, func(t *testing.T) {
			require.Contains(t, fmt.Sprintf("%#v", ptr.Elem().Interface())+revealAll(ptr), plain,
				"the instance holds the secret")
			if !pointerOnly[name] {
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
