package arthur

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Fuzz targets beside the decoding and encoding of each model
// (decode_fuzz_test.go, encode_fuzz_test.go): the error bodies of a
// failed call and the models APIError unwraps to, Nullable read by
// encoding/json, and the two timestamp parsers, which must agree.

// specErrorBodies are the spec's {"detail": string} error models as the
// API writes them: with the default detail of each.
func specErrorBodies(tb testing.TB) []string {
	spec := specOf(tb)
	var out []string
	for _, m := range spec.models {
		if m.reg.kind != "object" || !m.reg.response || len(m.fields) != 1 || m.fields[0].key != "detail" {
			continue
		}
		if def := m.fields[0].def; len(def) > 0 {
			out = append(out, `{"detail":`+string(def)+`}`)
		}
	}
	if len(out) == 0 {
		tb.Fatal("api/openapi.json has no error model with a default detail")
	}
	return out
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

		// The reference: the status's model where the body is a JSON object
		// the reference decoder reads as it; else the body's detail, read
		// with encoding/json.
		spec, err := loadSpec()
		if err != nil {
			t.Fatal(err)
		}
		statusModels := map[int]any{
			http.StatusBadRequest: new(BadRequestError), http.StatusNotFound: new(NotFoundError),
			http.StatusConflict: new(ConflictError), http.StatusUnprocessableEntity: new(HTTPValidationError),
			http.StatusInternalServerError: new(InternalServerError),
		}
		var want error // the model errors.As must reach, nil for none
		if m, ok := statusModels[code]; ok && !truncated && bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")) {
			if v, err := spec.decode(spec.model(m), body); err == nil {
				want = v.Interface().(error)
			}
		}
		var wantDetail string
		var w struct {
			Detail json.RawMessage `json:"detail"`
		}
		var list []ValidationError
		switch {
		case want != nil:
			wantDetail = want.Error()
		case len(body) == 0 || truncated || json.Unmarshal(body, &w) != nil || len(w.Detail) == 0:
		case json.Unmarshal(w.Detail, &wantDetail) == nil:
		case json.Unmarshal(w.Detail, &list) == nil:
			wantDetail = (&HTTPValidationError{Detail: list}).Error()
		}
		if e.Detail != wantDetail {
			t.Fatalf("status %d, body %q: Detail %q, want %q", code, body, e.Detail, wantDetail)
		}
		for status, m := range statusModels {
			target := reflect.New(reflect.TypeOf(m))
			reached := errors.As(e, target.Interface())
			switch {
			case reached != (status == code && want != nil):
				t.Fatalf("status %d, body %q: model of %d reached: %v, want %v", code, body, status, reached, !reached)
			case reached && !reflect.DeepEqual(target.Elem().Interface(), want):
				t.Fatalf("status %d, body %q: model %#v, want %#v", code, body, target.Elem().Interface(), want)
			}
		}
	})
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

// FuzzTimestamp holds the in-place parser (fastTimestamp) to
// parseTimestamp: whatever it accepts, parseTimestamp accepts as the same
// instant in the same offset. And the reader's time, for a JSON string,
// agrees with the reference wireTime, the string as it is and with every
// character escaped.
func FuzzTimestamp(f *testing.F) {
	for _, s := range timestampSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := fastTimestamp([]byte(s), &zoneCache{})
		slow, err := parseTimestamp(s)
		if ok {
			if err != nil {
				t.Fatalf("fastTimestamp took %q, parseTimestamp refused it: %v", s, err)
			}
			sameTime(t, s, fast, slow)
		}

		quoted, _ := json.Marshal(s)
		var escaped strings.Builder
		escaped.WriteByte('"')
		for _, r := range fixUTF8([]byte(s)) {
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				fmt.Fprintf(&escaped, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&escaped, `\u%04x`, r)
			}
		}
		escaped.WriteByte('"')
		for _, in := range [][]byte{quoted, []byte(escaped.String())} {
			var ref wireTime
			refErr := json.Unmarshal(in, &ref)
			var got time.Time
			gotErr := decodeAll(in, func(r *reader) { got = r.time() })
			if (refErr == nil) != (gotErr == nil) {
				t.Fatalf("%s: wireTime err=%v, reader err=%v", in, refErr, gotErr)
			}
			if refErr == nil {
				sameTime(t, s, got, time.Time(ref))
			}
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
