package arthur

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the models the differential targets of
// decode_fuzz_test.go do not cover: the error bodies (ValidationError,
// HTTPValidationError and the models APIError unwraps to), the request
// bodies (marshal, then unmarshal, gives back what went in, Nullable's
// three states included), and the two timestamp parsers, which must agree.

// specDoc is api/openapi.json, for seeds in the shapes the contract gives.
type specDoc struct {
	Components struct {
		Schemas map[string]struct {
			Enum       []string `json:"enum"`
			Properties map[string]struct {
				Default any `json:"default"`
			} `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

func loadSpec(f *testing.F) specDoc {
	f.Helper()
	data, err := os.ReadFile("api/openapi.json")
	if err != nil {
		f.Fatal(err)
	}
	var d specDoc
	if err := json.Unmarshal(data, &d); err != nil {
		f.Fatal(err)
	}
	return d
}

// specErrorBodies are the spec's error models as the API writes them: the
// default detail of each {"detail": string} model.
func specErrorBodies(f *testing.F) []string {
	d := loadSpec(f)
	var out []string
	for _, name := range []string{"BadRequestError", "NotFoundError", "ConflictError", "InternalServerError"} {
		s, ok := d.Components.Schemas[name]
		if !ok {
			f.Fatalf("api/openapi.json has no %s", name)
		}
		b, err := json.Marshal(map[string]any{"detail": s.Properties["detail"].Default})
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// specEnum returns the values of an enum of the spec.
func specEnum(f *testing.F, name string) []string {
	values := loadSpec(f).Components.Schemas[name].Enum
	if len(values) == 0 {
		f.Fatalf("api/openapi.json has no enum %s", name)
	}
	return values
}

// validationErrorSeeds are ValidationError objects in the shapes pydantic
// writes (every loc kind, input of every JSON type, ctx) and broken ones.
var validationErrorSeeds = []string{
	`{"loc":["body","email"],"msg":"value is not a valid email address","type":"value_error","input":"nope","ctx":{"reason":"no @"}}`,
	`{"loc":["query","user_ids",0],"msg":"Input should be a valid UUID","type":"uuid_parsing","input":"x"}`,
	`{"loc":["path","user_id"],"msg":"Input should be a valid UUID, invalid length","type":"uuid_parsing","input":"42","ctx":{"error":"invalid length: expected length 32 for simple format, found 2"}}`,
	`{"loc":["body"],"msg":"Field required","type":"missing","input":null}`,
	`{"loc":["query","page_size"],"msg":"Input should be less than or equal to 1000","type":"less_than_equal","input":"5000","ctx":{"le":1000}}`,
	`{"loc":["body","first_name"],"msg":"Input should be a valid string","type":"string_type","input":{"a":[1,2.5,true,null]}}`,
	`{"loc":[],"msg":"","type":""}`,
	`{"loc":[-0,1e2,1.5,9223372036854775808,"x"],"msg":"m","type":"t"}`,
	`{"loc":[true],"msg":"m","type":"t"}`, `{"loc":[null],"msg":"m","type":"t"}`, `{"loc":"body","msg":"m","type":"t"}`,
	`{"loc":null,"msg":null,"type":null,"ctx":null}`, `{"LOC":["x"],"Msg":"case"}`, `{"msg":1}`,
	`null`, `{}`, `[]`, `"x"`, `{"loc":["body"`, `{"loc":["\ud800"],"msg":"\u00e9\n"}`,
}

// refLocItem is the reference reading of one loc item: a JSON string, or a
// JSON number that is an integer an int holds. A null reads as "", as
// encoding/json reads null into a string: lenient, for an error body.
func refLocItem(raw any) (any, bool) {
	switch v := raw.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return nil, false
		}
		n, err := strconv.ParseInt(string(v), 10, 0)
		if err != nil {
			return nil, false
		}
		return int(n), true
	}
	return nil, false
}

// refValidationError decodes a ValidationError with encoding/json alone:
// the generic tree (numbers kept as json.Number) read by hand.
func refValidationError(data []byte) (ValidationError, error) {
	var v ValidationError
	if isJSONNull(data) {
		return v, nil
	}
	var w struct {
		Loc   []any          `json:"loc"`
		Msg   string         `json:"msg"`
		Type  string         `json:"type"`
		Input any            `json:"input"`
		Ctx   map[string]any `json:"ctx"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return v, err
	}
	// Loc again, with numbers as json.Number to tell 1 from 1.0.
	var raw struct {
		Loc []any `json:"loc"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return v, err
	}
	loc := make([]any, 0, len(raw.Loc))
	for _, item := range raw.Loc {
		l, ok := refLocItem(item)
		if !ok {
			return v, errors.New("loc item is neither a string nor an integer")
		}
		loc = append(loc, l)
	}
	return ValidationError{Loc: loc, Msg: w.Msg, Type: w.Type, Input: w.Input, Ctx: w.Ctx}, nil
}

// sameValidationErrors compares with a nil and an empty Loc, or Ctx, as
// one: "ctx":{} is written back as nothing (omitempty).
func sameValidationErrors(a, b ValidationError) bool {
	if len(a.Loc) == 0 && len(b.Loc) == 0 {
		a.Loc, b.Loc = nil, nil
	}
	if len(a.Ctx) == 0 && len(b.Ctx) == 0 {
		a.Ctx, b.Ctx = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

func FuzzValidationError(f *testing.F) {
	for _, s := range validationErrorSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got ValidationError
		gotErr := json.Unmarshal(data, &got)
		want, wantErr := refValidationError(data)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("UnmarshalJSON err=%v, reference err=%v, input %q", gotErr, wantErr, data)
		}
		if gotErr != nil {
			return
		}
		if !sameValidationErrors(want, got) {
			t.Fatalf("input %q\nwant %#v\ngot  %#v", data, want, got)
		}
		_ = got.String()
		// What decodes marshals, and decodes again to the same.
		again, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("marshal %#v: %v", got, err)
		}
		var back ValidationError
		if err := json.Unmarshal(again, &back); err != nil || !sameValidationErrors(got, back) {
			t.Fatalf("round trip of %q through %s: %#v, %v", data, again, back, err)
		}
	})
}

// errorBodySeeds are error bodies as the API, a proxy and the fault tests
// send them.
func errorBodySeeds(f *testing.F) []string {
	seeds := append(specErrorBodies(f),
		`{"detail":"Not authenticated"}`, `{"detail":"User not found"}`, `{"detail":""}`,
		`{"detail":"Service Unavailable (injected by arthurtest)"}`,
		`{"detail":[`+validationErrorSeeds[0]+`,`+validationErrorSeeds[1]+`]}`,
		`{"detail":[`+validationErrorSeeds[3]+`]}`, `{"detail":[]}`, `{"detail":[{"loc":[1.5]}]}`,
		`{"detail":null}`, `{"detail":{}}`, `{"detail":7}`, `{"Detail":"case"}`, `{"detail":"a","detail":[]}`,
		`<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`,
		``, `null`, `[]`, `"detail"`, `{"detail":"trunc`, "{\"detail\":\"\xff\"}",
	)
	return seeds
}

// FuzzAPIErrorModel holds the error decoding to what the spec says of
// each status: the sentinel of the status, and the error model only where
// the body is that status's model.
func FuzzAPIErrorModel(f *testing.F) {
	for _, body := range errorBodySeeds(f) {
		for _, code := range []int{400, 401, 403, 404, 409, 422, 429, 500, 502, 503} {
			f.Add(code, []byte(body), false)
		}
	}
	f.Add(500, []byte(`{"detail":"cut"}`), true)
	f.Fuzz(func(t *testing.T, code int, body []byte, truncated bool) {
		e := &APIError{StatusCode: code, Body: body, BodyTruncated: truncated}
		e.decodeErrorBody()
		msg := e.Error()
		if !strings.Contains(msg, strconv.Itoa(code)) {
			t.Fatalf("message %q does not name status %d", msg, code)
		}

		// The sentinel of the status, and no other.
		for _, s := range []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
			ErrValidation, ErrRateLimited, ErrServer} {
			if errors.Is(e, s) != (s == statusSentinel(code)) {
				t.Fatalf("status %d: errors.Is(%v) = %v", code, s, errors.Is(e, s))
			}
		}

		// The reference: the body's detail, read with encoding/json.
		var w struct {
			Detail json.RawMessage `json:"detail"`
		}
		var detail *string
		var list []ValidationError
		isList := false
		if len(body) > 0 && !truncated && json.Unmarshal(body, &w) == nil && len(w.Detail) > 0 {
			var s string
			if json.Unmarshal(w.Detail, &s) == nil {
				detail = &s
			} else if json.Unmarshal(w.Detail, &list) == nil {
				isList = true
			}
		}
		var bre *BadRequestError
		var nfe *NotFoundError
		var ce *ConflictError
		var ise *InternalServerError
		var hve *HTTPValidationError
		models := map[int]bool{
			http.StatusBadRequest:          errors.As(e, &bre),
			http.StatusNotFound:            errors.As(e, &nfe),
			http.StatusConflict:            errors.As(e, &ce),
			http.StatusInternalServerError: errors.As(e, &ise),
			http.StatusUnprocessableEntity: errors.As(e, &hve),
		}
		for status, has := range models {
			want := status == code && (detail != nil && status != http.StatusUnprocessableEntity ||
				isList && status == http.StatusUnprocessableEntity)
			if has != want {
				t.Fatalf("status %d, body %q: model of %d reached: %v, want %v", code, body, status, has, want)
			}
		}
		switch {
		case detail != nil:
			if e.Detail != *detail {
				t.Fatalf("Detail %q, want %q", e.Detail, *detail)
			}
			for _, m := range []interface{ Error() string }{bre, nfe, ce, ise} {
				if !reflect.ValueOf(m).IsNil() && m.Error() != *detail {
					t.Fatalf("model says %q, want %q", m.Error(), *detail)
				}
			}
		case isList:
			if want := (&HTTPValidationError{Detail: list}).Error(); e.Detail != want {
				t.Fatalf("Detail %q, want %q", e.Detail, want)
			}
			if hve != nil && !reflect.DeepEqual(list, hve.Detail) {
				t.Fatalf("model %#v, detail read as []ValidationError %#v", hve.Detail, list)
			}
		default:
			if e.Detail != "" {
				t.Fatalf("Detail %q from body %q", e.Detail, body)
			}
		}
	})
}

// nullableOf builds a Nullable in one of its three states.
func nullableOf[T any](state uint8, v T) Nullable[T] {
	switch state % 3 {
	case 1:
		return Null[T]()
	case 2:
		return Value(v)
	}
	return Nullable[T]{}
}

// wireString is s as it comes back from JSON: encoding/json writes each
// byte of invalid UTF-8 as U+FFFD.
func wireString(s string) string { return fixUTF8([]byte(s)) }

func wireNullable(n Nullable[string]) Nullable[string] {
	if v, ok := n.Get(); ok {
		return Value(wireString(v))
	}
	return n
}

func wirePtr(p *string) *string {
	if p == nil {
		return nil
	}
	s := wireString(*p)
	return &s
}

// roundTrip marshals in, unmarshals the JSON into a new T and returns it
// with the JSON.
func roundTrip[T any](t *testing.T, in T) (T, []byte) {
	t.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("marshal %#v: %v", in, err)
	}
	var out T
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", data, err)
	}
	return out, data
}

// checkNullableKey checks a Nullable's key in the JSON object: absent when
// unset, null when null, the value otherwise.
func checkNullableKey(t *testing.T, obj map[string]json.RawMessage, key string, n Nullable[string]) {
	t.Helper()
	raw, present := obj[key]
	switch {
	case n.IsZero():
		if present {
			t.Fatalf("unset %s sent as %s", key, raw)
		}
	case n.IsNull():
		if string(raw) != "null" {
			t.Fatalf("null %s sent as %q (present %v)", key, raw, present)
		}
	default:
		var s string
		v, _ := n.Get()
		if err := json.Unmarshal(raw, &s); err != nil || s != wireString(v) {
			t.Fatalf("%s sent as %s, want %q", key, raw, v)
		}
	}
}

func FuzzPatchUserRoundTrip(f *testing.F) {
	for _, s := range []string{"Ada", "", "null", `"quoted"`, "\xff\xfe", "日本 😀", "<&>\u2028", "a\x00b", "ada@example.com"} {
		f.Add(uint8(0), uint8(1), uint8(2), uint8(2), s, s+"2")
		f.Add(uint8(2), uint8(2), uint8(1), uint8(0), s, "")
	}
	f.Fuzz(func(t *testing.T, s1, s2, s3, s4 uint8, a, b string) {
		in := PatchUser{FirstName: nullableOf(s1, a), LastName: nullableOf(s2, b), Email: nullableOf(s3, a), Picture: nullableOf(s4, b)}
		out, data := roundTrip(t, in)
		want := PatchUser{FirstName: wireNullable(in.FirstName), LastName: wireNullable(in.LastName),
			Email: wireNullable(in.Email), Picture: wireNullable(in.Picture)}
		if !reflect.DeepEqual(want, out) {
			t.Fatalf("%#v\nsent as %s\ncame back %#v", in, data, out)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			t.Fatal(err)
		}
		checkNullableKey(t, obj, "first_name", in.FirstName)
		checkNullableKey(t, obj, "last_name", in.LastName)
		checkNullableKey(t, obj, "email", in.Email)
		checkNullableKey(t, obj, "picture", in.Picture)
		if len(obj) != countSet(in.FirstName, in.LastName, in.Email, in.Picture) {
			t.Fatalf("%s has keys beyond the set fields", data)
		}

		sa := PatchServiceAccountUser{Name: nullableOf(s1, b)}
		saOut, saData := roundTrip(t, sa)
		if !reflect.DeepEqual(PatchServiceAccountUser{Name: wireNullable(sa.Name)}, saOut) {
			t.Fatalf("%#v sent as %s came back %#v", sa, saData, saOut)
		}
	})
}

func countSet(ns ...Nullable[string]) int {
	n := 0
	for _, v := range ns {
		if !v.IsZero() {
			n++
		}
	}
	return n
}

// FuzzNullableUnmarshal reads any JSON value into a Nullable: null is Null,
// anything else that decodes is a value, never unset, and writing it back
// gives the same.
func FuzzNullableUnmarshal(f *testing.F) {
	for _, s := range []string{`null`, ` null `, `"x"`, `""`, `0`, `-1.5e3`, `false`, `true`, `[]`, `{}`, `"\u0000"`, `nul`, ``, `"a"x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkNullable[string](t, data)
		checkNullable[int](t, data)
		checkNullable[bool](t, data)
		checkNullable[float64](t, data)
		// In a body, through encoding/json's own dispatch.
		var p PatchUser
		doc := append(append([]byte(`{"first_name":`), data...), '}')
		if json.Unmarshal(doc, &p) == nil && p.FirstName.IsZero() {
			t.Fatalf("%s decoded to an unset first_name", doc)
		}
	})
}

func checkNullable[T any](t *testing.T, data []byte) {
	t.Helper()
	var n Nullable[T]
	err := json.Unmarshal(data, &n)
	var plain T
	plainErr := json.Unmarshal(data, &plain)
	isNull := strings.TrimSpace(string(data)) == "null"
	switch {
	case err != nil:
		if plainErr == nil && !isNull {
			t.Fatalf("%T refused %q, which %T takes", n, data, plain)
		}
		return
	case isNull:
		if !n.IsNull() {
			t.Fatalf("%q decoded to %#v, want null", data, n)
		}
	default:
		v, ok := n.Get()
		if !ok || plainErr != nil || !reflect.DeepEqual(v, plain) {
			t.Fatalf("%q decoded to %#v; as %T: %#v, %v", data, n, plain, plain, plainErr)
		}
	}
	back, err := json.Marshal(n)
	if err != nil {
		t.Fatalf("marshal %#v: %v", n, err)
	}
	var again Nullable[T]
	if err := json.Unmarshal(back, &again); err != nil || !reflect.DeepEqual(n, again) {
		t.Fatalf("%#v written as %s read back as %#v (%v)", n, back, again, err)
	}
}

func FuzzPostEndUserRoundTrip(f *testing.F) {
	for _, s := range []string{"Ada", "", "ada@example.com", "pw-Secr3t!", "\xff", "日本 😀", `"\`, "<script>"} {
		f.Add(s, s+"L", "ada@example.com", s+"pw", "https://img.example.com/a.png", true, false)
		f.Add(s, "", s, "", "", false, true)
	}
	f.Fuzz(func(t *testing.T, first, last, email, password, picture string, hasLast, hasPicture bool) {
		in := PostEndUser{FirstName: first, Email: email, Password: Secret(password)}
		if hasLast {
			in.LastName = &last
		}
		if hasPicture {
			in.Picture = &picture
		}
		out, data := roundTrip(t, in)
		want := PostEndUser{FirstName: wireString(first), LastName: wirePtr(in.LastName), Email: wireString(email),
			Password: Secret(wireString(password)), Picture: wirePtr(in.Picture)}
		if !reflect.DeepEqual(want, out) {
			t.Fatalf("sent as %s, came back %+v", data, out)
		}
		if out.Password.Reveal() != wireString(password) {
			t.Fatal("the password does not reach the wire")
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			t.Fatal(err)
		}
		if _, ok := obj["last_name"]; ok != hasLast {
			t.Fatalf("last_name present %v in %s", ok, data)
		}
		if _, ok := obj["picture"]; ok != hasPicture {
			t.Fatalf("picture present %v in %s", ok, data)
		}
	})
}

func FuzzInviteNewUserRoundTrip(f *testing.F) {
	const role, resource = "2b4d6f8a-1c3e-4a5b-8d7f-9e1a2b3c4d5e", "6c8e0a2b-4d6f-4b1c-a3e5-7f9b1d3e5a7c"
	for i, kind := range specEnum(f, "BoundResourceKind") {
		f.Add("grace@example.com", role, kind, resource, "8d0f2b4c-6e8a-4c1d-b3f5-9a1c3e5f7b9d,1e3a5c7d-9f1b-4d2e-8a4c-6b8d0f2a4c6e", uint8(i))
	}
	f.Add("", "", "", "", "", uint8(0))
	f.Add("\xff@x", "r", "galaxy", "\u2028", ",,", uint8(7))
	f.Fuzz(func(t *testing.T, email, roleID, kind, resourceID, groups string, flags uint8) {
		in := InviteNewUser{Email: email}
		if flags&1 != 0 {
			in.RoleBinding = &PostGlobalRoleBinding{RoleID: roleID, BoundResourceKind: BoundResourceKind(kind), ResourceID: resourceID}
		}
		switch flags >> 1 % 3 {
		case 1:
			in.GroupIDs = []string{}
		case 2:
			in.GroupIDs = strings.Split(groups, ",")
		}
		out, data := roundTrip(t, in)
		want := InviteNewUser{Email: wireString(email)}
		if in.RoleBinding != nil {
			want.RoleBinding = &PostGlobalRoleBinding{RoleID: wireString(roleID),
				BoundResourceKind: BoundResourceKind(wireString(kind)), ResourceID: wireString(resourceID)}
		}
		if in.GroupIDs != nil {
			want.GroupIDs = make([]string, len(in.GroupIDs))
			for i, g := range in.GroupIDs {
				want.GroupIDs[i] = wireString(g)
			}
		}
		if !reflect.DeepEqual(want, out) {
			t.Fatalf("%#v sent as %s came back %#v", in, data, out)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			t.Fatal(err)
		}
		if _, ok := obj["role_binding"]; ok != (in.RoleBinding != nil) {
			t.Fatalf("role_binding present %v in %s", ok, data)
		}
		if _, ok := obj["group_ids"]; ok != (in.GroupIDs != nil) {
			t.Fatalf("group_ids present %v in %s", ok, data)
		}
	})
}

// timestampSeeds are date-times in every shape the API writes, and near
// misses.
var timestampSeeds = []string{
	"2025-01-01T10:11:12.123456Z", "2025-02-03T04:05:06.654321+00:00", "2025-01-01T10:11:12", "2025-01-01T10:11:12.5",
	"2025-01-01T10:11:12+05:30", "2025-01-01T10:11:12.123456789-07:30", "2025-01-01T10:11:12.1234567891Z",
	"2024-02-29T23:59:59Z", "2025-02-29T10:11:12Z", "2025-04-31T00:00:00Z", "2025-01-01T24:00:00Z",
	"2025-01-01T23:59:60Z", "2025-01-01t10:11:12z", "2025-01-01 10:11:12Z", "2025-01-01T10:11:12,5Z",
	"2025-01-01T10:11:12.Z", "2025-01-01T10:11:12-00:00", "2025-01-01T10:11:12+24:00", "2025-01-01T10:11:12+23:60",
	"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999+23:59", "2025-1-1T1:1:1Z", "2025-01-01", "",
	"2025-01-01T10:11:12+0530", "2025-01-01T10:11:12 +05:30", "+2025-01-01T10:11:12Z", "2025-01-01T10:11:12ZZ",
}

// FuzzTimestamp holds the in-place parser (wireDecoder.fastTimestamp) to
// parseTimestamp: whatever it accepts, parseTimestamp accepts as the same
// instant in the same offset. And the decoder's path for a JSON string
// agrees with the reference wireTime.
func FuzzTimestamp(f *testing.F) {
	for _, s := range timestampSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := newWireDecoder(nil)
		fast, ok := w.fastTimestamp([]byte(s))
		slow, err := parseTimestamp(s)
		if ok {
			if err != nil {
				t.Fatalf("fastTimestamp took %q, parseTimestamp refused it: %v", s, err)
			}
			sameTime(t, s, fast, slow)
		}

		quoted, _ := json.Marshal(s)
		var ref wireTime
		refErr := json.Unmarshal(quoted, &ref)
		var got time.Time
		gotErr := decodeWith(quoted, func(w *wireDecoder) error {
			var err error
			got, err = w.timestamp()
			return err
		})
		if (refErr == nil) != (gotErr == nil) {
			t.Fatalf("%s: wireTime err=%v, decoder err=%v", quoted, refErr, gotErr)
		}
		if refErr == nil {
			sameTime(t, s, got, time.Time(ref))
		}
	})
}

func sameTime(t *testing.T, s string, a, b time.Time) {
	t.Helper()
	_, offA := a.Zone()
	_, offB := b.Zone()
	if !a.Equal(b) || offA != offB {
		t.Fatalf("%q: %v (offset %d) and %v (offset %d)", s, a, offA, b, offB)
	}
}
