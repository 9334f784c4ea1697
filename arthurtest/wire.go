package arthurtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// timeLayout is how pydantic writes an aware UTC datetime, here always with
// its six fractional digits.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// apiJSON writes a model of the SDK as the API writes it: its fields in
// the spec's order (the generated structs keep it), nullable ones as
// explicit nulls, timestamps as pydantic writes them (timeLayout), a
// Secret as its value, a union as the branch that is set. It reads the
// models by reflection, so that a field added to the spec reaches the
// fake's answers with the regenerated models, by no edit here.
func apiJSON(v any) []byte {
	var buf bytes.Buffer
	writeAPI(&buf, reflect.ValueOf(v))
	return buf.Bytes()
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	secretType = reflect.TypeFor[arthur.Secret]()
)

func writeAPI(buf *bytes.Buffer, v reflect.Value) {
	switch {
	case v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface:
		if v.IsNil() {
			buf.WriteString("null")
			return
		}
		writeAPI(buf, v.Elem())
	case v.Type() == timeType:
		buf.Write(marshal(formatTime(v.Interface().(time.Time))))
	case v.Type() == secretType:
		buf.Write(marshal(v.Interface().(arthur.Secret).Reveal()))
	case v.Kind() == reflect.Struct && v.NumField() > 0 && v.Type().Field(0).Tag.Get("json") == "":
		for i := range v.NumField() { // a union: the branch that is set
			if !v.Field(i).IsNil() {
				writeAPI(buf, v.Field(i))
				return
			}
		}
		buf.WriteString("null")
	case v.Kind() == reflect.Struct:
		buf.WriteByte('{')
		first := true
		for i := range v.NumField() {
			name, opts, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if opts == "omitzero" && v.Field(i).IsZero() {
				continue
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			buf.Write(marshal(name))
			buf.WriteByte(':')
			writeAPI(buf, v.Field(i))
		}
		buf.WriteByte('}')
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		buf.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeAPI(buf, v.Index(i))
		}
		buf.WriteByte(']')
	default:
		buf.Write(marshal(v.Interface()))
	}
}

// withUser is a model that has every field of User (SensitiveUser,
// UserServiceAccountCredentials) with u's fields, copied by name.
func withUser[T any](u arthur.User) T {
	var out T
	dst, src := reflect.ValueOf(&out).Elem(), reflect.ValueOf(u)
	for i := range src.NumField() {
		dst.FieldByName(src.Type().Field(i).Name).Set(src.Field(i))
	}
	return out
}

// detailJSON is FastAPI's HTTPException body.
type detailJSON struct {
	Detail string `json:"detail"`
}

// validationJSON is FastAPI's 422 body.
type validationJSON struct {
	Detail []fieldError `json:"detail"`
}

// fieldError is one pydantic error, in FastAPI's key order. A null input
// is left out: the contract's validators read the untyped input schema as
// not nullable.
type fieldError struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input,omitempty"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// oauthErrorJSON is an RFC 6749 error response.
type oauthErrorJSON struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// marshal writes v compactly, without escaping <, > and & (as Python's json
// does not).
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only the fake's own types reach here; a failure is a bug, answered
		// as the live API answers one.
		return []byte(`{"detail":"Internal server error"}`)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, marshal(v))
}

// writeModel writes a model of the SDK as the API writes it (apiJSON).
func writeModel(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, apiJSON(v))
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, detailJSON{Detail: detail})
}

func writeValidation(w http.ResponseWriter, errs []fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, validationJSON{Detail: errs})
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
