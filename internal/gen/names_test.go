package main

import (
	"strings"
	"testing"
)

func testOverrides(t *testing.T) *overrides {
	t.Helper()
	o, err := parseOverrides([]byte(`{"initialisms": ["ID", "IDs", "URL", "UUID", "API", "HTTP", "OIDC"]}`))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestGoName(t *testing.T) {
	o := testOverrides(t)
	for _, c := range []struct{ in, want string }{
		{"data_plane_id", "DataPlaneID"},
		{"group_ids", "GroupIDs"},
		{"ResourceList_User_", "ResourceListUser"},
		{"id", "ID"},
		{"user_id", "UserID"},
		{"client_id", "ClientID"},
		{"picture_url", "PictureURL"},
		{"get_users_me", "GetUsersMe"},
		{"post_organization_user_invite", "PostOrganizationUserInvite"},
		{"Users V1", "UsersV1"},
		{"HTTPValidationError", "HTTPValidationError"},
		{"UserType", "UserType"},
		{"userIds", "UserIDs"},
		{"red-panda", "RedPanda"},
		{"guinea_pig", "GuineaPig"},
		{"v2_api_bot", "V2APIBot"},
		{"oidc_url", "OIDCURL"},
		{"idle", "Idle"}, // an initialism is a whole word, not a prefix
		{"ideas", "Ideas"},
		{"NON_COMPLIANT", "NonCompliant"}, // capitals are a word, unless an initialism
		{"PENDING", "Pending"},
		{"S3", "S3"},
		{"UUID", "UUID"},
		{"OAuth V1", "OAuthV1"},
	} {
		if got := o.goName(c.in); got != c.want {
			t.Errorf("goName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLowerName(t *testing.T) {
	o := testOverrides(t)
	for _, c := range []struct{ in, want string }{
		{"user_id", "userID"},
		{"data_plane_id", "dataPlaneID"},
		{"id", "id"},
		{"ids", "ids"},
		{"api_key", "apiKey"},
		{"page", "page"},
		{"user_ids", "userIDs"},
	} {
		if got := o.lowerName(c.in); got != c.want {
			t.Errorf("lowerName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSnake(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"User", "user"},
		{"DataPlaneID", "data_plane_id"},
		{"UsersV1", "users_v1"},
		{"ResourceListUser", "resource_list_user"},
		{"HTTPValidationError", "http_validation_error"},
		{"APIKey", "api_key"},
		{"GroupIDs", "group_ids"},
		{"IDsByName", "ids_by_name"},
		{"PostEndUser", "post_end_user"},
		{"V2", "v2"},
	} {
		if got := snake(c.in); got != c.want {
			t.Errorf("snake(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHumanize(t *testing.T) {
	o := testOverrides(t)
	for _, c := range []struct{ in, want string }{
		{"user_id", "user ID"},
		{"data_plane_id", "data plane ID"},
		{"group_ids", "group IDs"},
		{"Search", "search"},
		{"callback_url", "callback URL"},
	} {
		if got := humanize(o, c.in); got != c.want {
			t.Errorf("humanize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestArticle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"AppKey", "an"},
		{"InviteNewUser", "an"},
		{"HTTPValidationError", "an"},
		{"User", "a"},
		{"PatchUser", "a"},
		{"UUIDList", "a"},
		{"UpdateModelTaskRulesJobSpec", "an"},
		{"UnregisteredAgent", "an"},
		{"UsersPage", "a"},
	} {
		if got := article(c.in); got != c.want {
			t.Errorf("article(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// errorSpec is a spec of the given schemas and paths, as JSON object
// bodies.
func errorSpec(schemas, paths string) []byte {
	return []byte(`{"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
		"paths": {` + paths + `}, "components": {"schemas": {` + schemas + `}}}`)
}

const (
	cardSchema = `"Card": {"type": "object", "title": "Card", "required": ["number"],
		"properties": {"number": {"type": "string"}}},
		"Bank": {"type": "object", "title": "Bank", "required": ["iban"],
		"properties": {"iban": {"type": "string"}}}`
	paymentSchema = `"Payment": {"type": "object", "title": "Payment",
		"properties": {"method": {"anyOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}]}}}`
	getPayment = `"/payments": {"get": {"tags": ["Payments"], "operationId": "get_payment",
		"responses": {"200": {"description": "OK",
			"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payment"}}}}}}}`
	noOverrides = `{"initialisms": ["ID"]}`
)

// TestGenerateErrors checks that a spec or overrides the generator cannot
// follow is an error that says where, not a panic or wrong code.
func TestGenerateErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		spec      []byte
		overrides string
		want      []string // each in the error
	}{
		{
			name: "anyOf of an object and a string",
			spec: errorSpec(cardSchema+`, "Payment": {"type": "object", "title": "Payment",
				"properties": {"method": {"anyOf": [{"$ref": "#/components/schemas/Card"}, {"type": "string"}]}}}`, getPayment),
			overrides: noOverrides,
			want:      []string{"Payment.method", "a branch of a union must be a $ref to an object"},
		},
		{
			name:      "union name taken",
			spec:      errorSpec(cardSchema+","+paymentSchema, getPayment),
			overrides: `{"unions": {"Payment.method": {"name": "Card"}}}`,
			want:      []string{"Payment.method", "its Go name Card is taken"},
		},
		{
			name:      "branch named Other",
			spec:      errorSpec(cardSchema+","+paymentSchema, getPayment),
			overrides: `{"unions": {"Payment.method": {"branches": {"Bank": "Other"}}}}`,
			want:      []string{"Payment.method", "may not be named Other"},
		},
		{
			name:      "discriminator not a property",
			spec:      errorSpec(cardSchema+","+paymentSchema, getPayment),
			overrides: `{"unions": {"Payment.method": {"discriminator": "kind", "mapping": {"card": "Card"}}}}`,
			want:      []string{"union Payment.method", `discriminator "kind" is no string property of Payment`},
		},
		{
			name: "discriminator mapping to no branch",
			spec: errorSpec(cardSchema+`, "Payment": {"type": "object", "title": "Payment",
				"properties": {"kind": {"type": "string"}, "method": {"anyOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}]}}}`, getPayment),
			overrides: `{"unions": {"Payment.method": {"discriminator": "kind", "mapping": {"card": "Crad"}}}}`,
			want:      []string{"union Payment.method", `"Crad" is no branch`},
		},
		{
			name: "discriminator mapping two values to a branch",
			spec: errorSpec(cardSchema+`, "Payment": {"type": "object", "title": "Payment",
				"properties": {"kind": {"type": "string"}, "method": {"anyOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}]}}}`, getPayment),
			overrides: `{"unions": {"Payment.method": {"discriminator": "kind", "mapping": {"card": "Card", "debit": "Card"}}}}`,
			want:      []string{"union Payment.method", `both pick Card`},
		},
		{
			name: "missing $ref",
			spec: errorSpec(`"Record": {"type": "object", "title": "Record",
				"properties": {"owner": {"$ref": "#/components/schemas/Owner"}}}`, ""),
			overrides: noOverrides,
			want:      []string{"Record.owner", "$ref #/components/schemas/Owner is not in the spec"},
		},
		{
			name: "missing $ref in an array",
			spec: errorSpec(`"Record": {"type": "object", "title": "Record",
				"properties": {"owners": {"type": "array", "items": {"$ref": "#/components/schemas/Owner"}}}}`, ""),
			overrides: noOverrides,
			want:      []string{"Record.owners[]", "$ref #/components/schemas/Owner is not in the spec"},
		},
		{
			name:      "unknown overrides key",
			spec:      errorSpec(cardSchema, ""),
			overrides: `{"initialisms": ["ID"], "modles": {}}`,
			want:      []string{"overrides", `unknown field "modles"`},
		},
		{
			name:      "overrides model not in the spec",
			spec:      errorSpec(cardSchema, ""),
			overrides: `{"models": {"Crad": {"doc": "is a card"}}}`,
			want:      []string{`overrides: model "Crad" is not in the spec`},
		},
		{
			name:      "overrides union not in the spec",
			spec:      errorSpec(cardSchema+","+paymentSchema, getPayment),
			overrides: `{"unions": {"Payment.method": {"name": "Method"}, "Payment.methods": {"name": "Methods"}}}`,
			want:      []string{`overrides: union "Payment.methods" is not a property of the spec`},
		},
		{
			name:      "overrides field not in the spec",
			spec:      errorSpec(cardSchema, ""),
			overrides: `{"fields": {"Card.numbr": {"type": "any"}}}`,
			want:      []string{`overrides: field "Card.numbr" is not in the spec`},
		},
		{
			name:      "overrides field of an unknown type",
			spec:      errorSpec(cardSchema, ""),
			overrides: `{"fields": {"Card.number": {"type": "string"}}}`,
			want:      []string{`overrides: Card.number: unknown type "string"`},
		},
		{
			name:      "overrides operation not in the spec",
			spec:      errorSpec(cardSchema+","+paymentSchema, getPayment),
			overrides: `{"unions": {"Payment.method": {"name": "Method"}}, "operations": {"get_payments": {"doc": "x"}}}`,
			want:      []string{`overrides: operation "get_payments" is not in the spec`},
		},
		{
			name:      "overrides service of a tag not in the spec",
			spec:      errorSpec(cardSchema+","+paymentSchema, getPayment),
			overrides: `{"unions": {"Payment.method": {"name": "Method"}}, "services": {"Payment": "Pay"}}`,
			want:      []string{`overrides: service tag "Payment" is not in the spec`},
		},
		{
			name:      "overrides base without a field of it",
			spec:      errorSpec(cardSchema, ""),
			overrides: `{"models": {"Bank": {"base": "Card"}}}`,
			want:      []string{"overrides: Bank: base Card: Bank has no field number, which Card has"},
		},
		{
			name: "inline object",
			spec: errorSpec(`"Record": {"type": "object", "title": "Record",
				"properties": {"meta": {"type": "object", "properties": {"a": {"type": "string"}}}}}`, ""),
			overrides: noOverrides,
			want:      []string{"Record.meta", "needs a schema of its own"},
		},
		{
			name:      "operation without a tag",
			spec:      errorSpec(cardSchema, `"/cards": {"get": {"operationId": "get_cards", "responses": {"204": {"description": "x"}}}}`),
			overrides: noOverrides,
			want:      []string{"/cards", "needs a tag"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := generate(c.spec, []byte(c.overrides))
			if err == nil {
				t.Fatal("generate: no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestOpName(t *testing.T) {
	l := &loader{ov: testOverrides(t)}
	for _, c := range []struct{ id, method, path, want string }{
		{"Health_check_api_health_get", "GET", "/api/health", "HealthCheck"},
		{"get_users_me", "GET", "/api/v1/users/me", "GetUsersMe"},
		{"api_health_get", "GET", "/api/health", "APIHealthGet"}, // nothing would be left
	} {
		if got := l.opName(c.id, c.method, c.path); got != c.want {
			t.Errorf("opName(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}

// TestNameClash checks that two things of the spec that get one Go name
// are an error that names both, which an override resolves.
func TestNameClash(t *testing.T) {
	obj := `{"type": "object", "properties": {"name": {"type": "string"}}}`
	get := func(id, path, params string) string {
		return `"` + path + `": {"get": {"tags": ["Things V1"], "operationId": "` + id + `", "parameters": [` + params + `],
			"responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}`
	}
	spec := func(schemas, paths string) []byte {
		return []byte(`{"paths": {` + paths + `}, "components": {"schemas": {"Thing": ` + obj + schemas + `}}}`)
	}
	query := `{"name": "q", "in": "query", "schema": {"type": "string"}}`
	for _, c := range []struct {
		name, spec, overrides, want string
	}{
		{"schemas", string(spec(`, "Thing_Part": `+obj+`, "ThingPart": `+obj, get("get_thing", "/t", ""))), `{}`,
			"schema ThingPart and schema Thing_Part are both named ThingPart in Go"},
		{"params", string(spec(`, "GetThingParams": `+obj, get("get_thing", "/t", query))), `{}`,
			"schema GetThingParams and the parameters of get_thing are both named GetThingParams in Go"},
		{"operations", string(spec("", get("get_thing", "/t", "")+","+get("GetThing", "/u", ""))), `{}`,
			"operations get_thing and GetThing are both ThingsV1API.GetThing in Go"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := load([]byte(c.spec), []byte(c.overrides))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
	// An override's name resolves a clash.
	s := spec(`, "Thing_Part": `+obj+`, "ThingPart": `+obj, get("get_thing", "/t", ""))
	if _, err := load(s, []byte(`{"models": {"Thing_Part": {"name": "ThingPiece"}}}`)); err != nil {
		t.Fatal(err)
	}
	s = spec("", get("get_thing", "/t", "")+","+get("GetThing", "/u", ""))
	if _, err := load(s, []byte(`{"operations": {"GetThing": {"name": "GetThingByU"}}}`)); err != nil {
		t.Fatal(err)
	}
}

func TestGoFileName(t *testing.T) {
	for _, c := range []struct{ base, want string }{
		{"model_user", "model_user.go"},
		{"model_post_custom_aggregation_test", "model_post_custom_aggregation_test_schema.go"},
		{"model_build_for_windows", "model_build_for_windows_schema.go"},
		{"model_target_arm64", "model_target_arm64_schema.go"},
		{"model_latest", "model_latest.go"},
	} {
		if got := goFileName(c.base, "schema"); got != c.want {
			t.Errorf("goFileName(%q) = %q, want %q", c.base, got, c.want)
		}
	}
}
