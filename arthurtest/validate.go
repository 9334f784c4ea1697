package arthurtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The request validation below reproduces what FastAPI and pydantic v2
// answer for a bad request: the same error types, locations and, where it
// matters to a client, messages.

// checker collects the validation errors of one request.
type checker struct {
	errs []fieldError
}

func (c *checker) failed() bool { return len(c.errs) > 0 }

func (c *checker) add(typ string, loc []any, msg string, input any, ctx map[string]any) {
	c.errs = append(c.errs, fieldError{Type: typ, Loc: loc, Msg: msg, Input: input, Ctx: ctx})
}

// at returns base with more appended, in a new slice.
func at(base []any, more ...any) []any {
	loc := make([]any, 0, len(base)+len(more))
	return append(append(loc, base...), more...)
}

var bodyLoc = []any{"body"}

// decodeBody reads a required JSON body as FastAPI does: no body is a
// missing body, a body that is not JSON by its Content-Type is handed on as
// a string (which no model accepts), and malformed JSON is json_invalid at
// the character where Python's parser stopped.
func (c *checker) decodeBody(r *http.Request, body []byte) (any, bool) {
	if len(body) == 0 {
		c.add("missing", bodyLoc, "Field required", nil, nil)
		return nil, false
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONMediaType(ct) {
		return string(body), true
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		pos, msg := jsonErrorPosition(body, err)
		c.jsonInvalid(body, pos, msg)
		return nil, false
	}
	if rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		c.jsonInvalid(body, len(body)-len(rest), "Extra data")
		return nil, false
	}
	return v, true
}

// jsonInvalid reports malformed JSON. FastAPI parses the body before it
// validates anything else, so this error comes alone.
func (c *checker) jsonInvalid(body []byte, pos int, msg string) {
	chars := utf8.RuneCount(body[:pos]) // Python counts characters, not bytes
	c.errs = nil
	c.add("json_invalid", []any{"body", chars}, "JSON decode error", map[string]any{}, map[string]any{"error": msg})
}

func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	sub, ok := strings.CutPrefix(mt, "application/")
	return ok && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

// jsonErrorPosition maps a Go decoding error to the byte offset and the
// message of Python's json.JSONDecodeError.
func jsonErrorPosition(body []byte, err error) (int, string) {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return endOfInput(body)
		}
		return 0, "Expecting value"
	}
	pos := min(max(int(se.Offset)-1, 0), len(body))
	msg := se.Error()
	switch {
	case strings.Contains(msg, "in string literal"):
		return pos, "Invalid control character at"
	case strings.Contains(msg, "in string escape code"):
		return pos, "Invalid \\escape"
	case strings.Contains(msg, "looking for beginning of object key string"):
		return pos, "Expecting property name enclosed in double quotes"
	case strings.HasSuffix(msg, "after object key"):
		return pos, "Expecting ':' delimiter"
	case strings.Contains(msg, "after object key:value pair"), strings.Contains(msg, "after array element"):
		return pos, "Expecting ',' delimiter"
	}
	return pos, "Expecting value"
}

// endOfInput is Python's position and message for a body that ends before
// its JSON value does: what it was expecting when the input ran out.
func endOfInput(body []byte) (int, string) {
	type container struct {
		object bool
		items  int // keys and values read so far
	}
	var stack []container
	count := func() {
		if len(stack) > 0 {
			stack[len(stack)-1].items++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			count()
			stack = append(stack, container{object: tok == json.Delim('{')})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		default:
			count()
		}
	}
	// What follows the last whole token: separators, then perhaps the
	// start of one that was cut off.
	done := int(dec.InputOffset())
	rest := bytes.TrimLeft(body[done:], " \t\r\n,:")
	start := len(body) - len(rest)
	last := bytes.TrimRight(body[:start], " \t\r\n")
	if len(rest) > 0 {
		switch c := rest[0]; {
		case c == '"':
			return start, "Unterminated string starting at"
		case (c == '-' || '0' <= c && c <= '9') && isDigit(rest[len(rest)-1]):
			count() // a number ends with the input
			last = []byte{c}
		default:
			return start, "Expecting value"
		}
	}
	if len(stack) == 0 {
		return len(body), "Expecting value"
	}
	top := stack[len(stack)-1]
	msg := "Expecting ',' delimiter"
	switch {
	case len(last) > 0 && last[len(last)-1] == ':':
		msg = "Expecting value"
	case len(last) > 0 && last[len(last)-1] == ',' && top.object, top.object && top.items == 0:
		msg = "Expecting property name enclosed in double quotes"
	case len(last) > 0 && last[len(last)-1] == ',', !top.object && top.items == 0:
		msg = "Expecting value"
	case top.object && top.items%2 == 1:
		msg = "Expecting ':' delimiter"
	}
	return len(body), msg
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// object returns v as a JSON object, as a pydantic model reads it.
func (c *checker) object(loc []any, v any) (map[string]any, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.add("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", v, nil)
	}
	return obj, ok
}

// required reads a required field of obj.
func (c *checker) required(obj map[string]any, base []any, name string) (any, bool) {
	v, ok := obj[name]
	if !ok {
		c.add("missing", at(base, name), "Field required", obj, nil)
	}
	return v, ok
}

// requiredString reads a required str field.
func (c *checker) requiredString(obj map[string]any, base []any, name string) (string, bool) {
	v, ok := c.required(obj, base, name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		c.add("string_type", at(base, name), "Input should be a valid string", v, nil)
	}
	return s, ok
}

// nullable is an Optional[str] field of a request: absent, null or a value.
type nullable struct {
	set, null bool
	value     string
}

func (n nullable) ptr() *string {
	if n.null || !n.set {
		return nil
	}
	v := n.value
	return &v
}

// optionalString reads an Optional[str] field.
func (c *checker) optionalString(obj map[string]any, base []any, name string) nullable {
	v, ok := obj[name]
	switch {
	case !ok:
		return nullable{}
	case v == nil:
		return nullable{set: true, null: true}
	}
	s, ok := v.(string)
	if !ok {
		c.add("string_type", at(base, name), "Input should be a valid string", v, nil)
		return nullable{}
	}
	return nullable{set: true, value: s}
}

// notEmpty refuses an empty string, as a min_length=1 constraint does, and
// a blank one.
func (c *checker) notEmpty(loc []any, s string) bool {
	switch {
	case s == "":
		c.add("string_too_short", loc, "String should have at least 1 character", s, map[string]any{"min_length": 1})
		return false
	case strings.TrimSpace(s) == "":
		c.add("value_error", loc, "Value error, must not be blank", s, nil)
		return false
	}
	return true
}

// notNull refuses null where the spec allows it but the service does not.
func (c *checker) notNull(loc []any, n nullable) bool {
	if n.null {
		c.add("value_error", loc, "Value error, must not be null", nil, nil)
		return false
	}
	return true
}

// email validates an EmailStr and returns its normalized form.
func (c *checker) email(loc []any, s string) (string, bool) {
	norm, reason := checkEmail(s)
	if reason != "" {
		c.add("value_error", loc, "value is not a valid email address: "+reason, s, map[string]any{"reason": reason})
		return "", false
	}
	return norm, true
}

// uuid validates a UUID field and returns its canonical form.
func (c *checker) uuid(loc []any, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		c.add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", v, nil)
		return "", false
	}
	id, reason := uuidReason(s)
	if reason != "" {
		c.add("uuid_parsing", loc, "Input should be a valid UUID, "+reason, s, map[string]any{"error": reason})
		return "", false
	}
	return id, true
}

// enum validates a str enum value.
func (c *checker) enum(loc []any, v any, allowed []string) (string, bool) {
	if s, ok := v.(string); ok {
		for _, a := range allowed {
			if s == a {
				return s, true
			}
		}
	}
	expected := expectedValues(allowed)
	c.add("enum", loc, "Input should be "+expected, v, map[string]any{"expected": expected})
	return "", false
}

// expectedValues writes allowed as pydantic does: "'a', 'b' or 'c'".
func expectedValues(allowed []string) string {
	q := make([]string, len(allowed))
	for i, a := range allowed {
		q[i] = "'" + a + "'"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// list validates a list field.
func (c *checker) list(loc []any, v any) ([]any, bool) {
	l, ok := v.([]any)
	if !ok {
		c.add("list_type", loc, "Input should be a valid list", v, nil)
	}
	return l, ok
}

// pathUserID validates the {user_id} path parameter.
func (c *checker) pathUserID(raw string) string {
	id, _ := c.uuid([]any{"path", "user_id"}, raw)
	return id
}

// Query parameters. As in Starlette, a repeated key that is not a list
// takes its last value.

func lastValue(q url.Values, name string) (string, bool) {
	vs, ok := q[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

func (c *checker) queryEnum(q url.Values, name string, allowed []string, def string) string {
	raw, ok := lastValue(q, name)
	if !ok {
		return def
	}
	v, _ := c.enum([]any{"query", name}, raw, allowed)
	return v
}

func (c *checker) queryEnumList(q url.Values, name string, allowed, def []string) []string {
	raws := q[name]
	if len(raws) == 0 {
		return def
	}
	out := make([]string, 0, len(raws))
	for i, raw := range raws {
		if v, ok := c.enum([]any{"query", name, i}, raw, allowed); ok {
			out = append(out, v)
		}
	}
	return out
}

func (c *checker) queryUUIDList(q url.Values, name string) []string {
	raws := q[name]
	out := make([]string, 0, len(raws))
	for i, raw := range raws {
		if id, ok := c.uuid([]any{"query", name, i}, raw); ok {
			out = append(out, id)
		}
	}
	return out
}

// queryInt reads an integer in [lo, hi] (hi < 0: no upper bound).
func (c *checker) queryInt(q url.Values, name string, def, lo, hi int) int {
	raw, ok := lastValue(q, name)
	if !ok {
		return def
	}
	loc := []any{"query", name}
	n, ok := parseInt(raw)
	if !ok {
		c.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", raw, nil)
		return def
	}
	if n < lo {
		c.add("greater_than_equal", loc, "Input should be greater than or equal to "+strconv.Itoa(lo), raw, map[string]any{"ge": lo})
		return def
	}
	if hi >= 0 && n > hi {
		c.add("less_than_equal", loc, "Input should be less than or equal to "+strconv.Itoa(hi), raw, map[string]any{"le": hi})
		return def
	}
	return n
}

// parseInt reads an integer as pydantic reads one from a string: spaces
// around it, a sign, and decimal zeros ("2.0") are allowed. A number too
// large for an int (Python's ints have no bound) saturates.
func parseInt(raw string) (int, bool) {
	s := strings.TrimSpace(raw)
	if whole, frac, ok := strings.Cut(s, "."); ok && frac != "" && strings.Trim(frac, "0") == "" {
		s = whole
	}
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil { // only a range error is left
		if strings.HasPrefix(s, "-") {
			return math.MinInt, true
		}
		return math.MaxInt, true
	}
	return n, true
}
