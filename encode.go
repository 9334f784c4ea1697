package arthur

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-faster/jx"
)

// writer writes the API's JSON without reflection, with jx. The output is
// what encoding/json writes for the same struct tags, HTML-safe escapes
// and U+FFFD for invalid UTF-8 included, byte for byte; the tests check
// it. A value it cannot write (a union with no branch set) is a sticky
// error that marshalJSON returns.
type writer struct {
	jx.Encoder
	err error
}

// jsonEncoder is a model that writes itself with a writer.
type jsonEncoder interface {
	encodeJSON(w *writer)
}

// marshalJSON returns v's JSON.
func marshalJSON(v jsonEncoder) ([]byte, error) {
	var w writer
	v.encodeJSON(&w)
	if w.err != nil {
		return nil, w.err
	}
	return w.Bytes(), nil
}

// fail keeps the first error.
func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
	w.Null() // the output is dropped; keep it well formed meanwhile
}

// StrEscape writes s as encoding/json writes a string. jx's StrEscape
// does, but for \b and \f, which it spells \u0008 and \u000c.
func (w *writer) StrEscape(s string) {
	if strings.IndexByte(s, '\b') < 0 && strings.IndexByte(s, '\f') < 0 {
		w.Encoder.StrEscape(s)
		return
	}
	b, _ := json.Marshal(s) // a string always marshals
	w.Raw(b)
}

// time writes t as encoding/json does, RFC 3339 with nanoseconds.
func (w *writer) time(t time.Time) {
	var buf [64]byte
	w.Str(string(t.AppendFormat(buf[:0], time.RFC3339Nano)))
}

// float writes f as encoding/json does; NaN and infinities, which JSON
// cannot hold, are an error.
func (w *writer) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.fail(errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64)))
		return
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, format, -1, 64)
	if format == 'e' { // 1e-07 is written 1e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.Raw(b)
}

// any writes a value the spec leaves untyped, with encoding/json.
func (w *writer) any(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		w.fail(err)
		return
	}
	w.Raw(b)
}

// raw writes JSON as it is; nil is null.
func (w *writer) raw(b json.RawMessage) {
	if b == nil {
		w.Null()
		return
	}
	if !json.Valid(b) {
		w.fail(errors.New("json: invalid json.RawMessage"))
		return
	}
	w.Raw(b)
}

// writeSlice writes s as an array, nil as null, as encoding/json does.
func writeSlice[T any](w *writer, s []T, write func(T, *writer)) {
	if s == nil {
		w.Null()
		return
	}
	w.ArrStart()
	for _, v := range s {
		write(v, w)
	}
	w.ArrEnd()
}

// writeMap writes m as an object with its keys sorted, nil as null, as
// encoding/json does.
func writeMap[T any](w *writer, m map[string]T, write func(T, *writer)) {
	if m == nil {
		w.Null()
		return
	}
	w.ObjStart()
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if plainKey(k) {
			w.FieldStart(k)
			write(m[k], w)
			continue
		}
		// jx writes a key as it is, with no HTML-safe escapes and no
		// U+FFFD: a key that needs them is written with the value as
		// one raw member.
		var v writer
		write(m[k], &v)
		if v.err != nil {
			w.fail(v.err)
			return
		}
		key, _ := json.Marshal(k) // a string always marshals
		w.Raw(append(append(key, ':'), v.Bytes()...))
	}
	w.ObjEnd()
}

// plainKey reports whether encoding/json writes k with no escapes: printable
// ASCII but for the quote, the backslash and HTML's <, > and &.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < ' ' || c > '~' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
