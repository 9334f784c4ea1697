package arthur

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Sentinels for errors.Is, one per kind of answer. An *APIError matches the
// sentinel of its status: errors.Is(err, arthur.ErrNotFound).
var (
	ErrBadRequest   = errors.New("arthur: bad request (400)")
	ErrUnauthorized = errors.New("arthur: unauthorized (401)")
	ErrForbidden    = errors.New("arthur: forbidden (403)")
	ErrNotFound     = errors.New("arthur: not found (404)")
	ErrConflict     = errors.New("arthur: conflict (409)")
	ErrValidation   = errors.New("arthur: validation failed (422)")
	ErrRateLimited  = errors.New("arthur: rate limited (429)")
	ErrServer       = errors.New("arthur: server error (5xx)")

	// ErrInvalidArgument matches every *ArgumentError: bad input refused
	// before any request was sent.
	ErrInvalidArgument = errors.New("arthur: invalid argument")

	// ErrInvalidConfiguration matches every error that a Configuration
	// causes before any request is sent: a Host that is not an http or
	// https URL or that ends in /api/v1, a ClientID without a
	// ClientSecret, credentials that would go over plain http:// to a host
	// that is not loopback. A call on an APIClient that NewAPIClient did
	// not make (a zero APIClient) matches it too.
	ErrInvalidConfiguration = errors.New("arthur: invalid configuration")
)

// maxErrorBody bounds how much of an error response is read and kept.
const maxErrorBody = 1 << 20

// APIError is a non-2xx answer from the API. It keeps the status, the
// headers and the body (up to 1 MiB, JSON or not), and unwraps to the
// sentinel of its status (ErrNotFound, ErrServer, ...) and, where the body
// decodes as the spec's error model for that status, to that model
// (*NotFoundError, *HTTPValidationError, ...).
type APIError struct {
	// Operation is the SDK method that made the call, such as "GetUsersMe".
	Operation string
	// Method and Path are the request's HTTP method and URL path.
	Method, Path string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body, cut at 1 MiB.
	Body []byte
	// BodyTruncated reports whether Body was cut.
	BodyTruncated bool
	// RequestID is the server's request ID, from the response headers, for
	// support tickets. Empty when the server sent none.
	RequestID string
	// Detail is the server's explanation: the "detail" string of a FastAPI
	// error body, or the joined validation errors of a 422. Empty when the
	// body had none.
	Detail string

	model error
}

// Error names the operation, the method, the path and the status, with the
// server's detail where there is one. It never contains the token.
func (e *APIError) Error() string {
	var b strings.Builder
	writeCallStatus(&b, e.Operation, e.Method, e.Path, e.StatusCode)
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(truncate(e.Detail, 300))
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap exposes the status sentinel and the decoded error model.
func (e *APIError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if s := statusSentinel(e.StatusCode); s != nil {
		errs = append(errs, s)
	}
	if e.model != nil {
		errs = append(errs, e.model)
	}
	return errs
}

// writeCallStatus writes "arthur: Op: METHOD /path: 404 Not Found", the
// operation left out when empty.
func writeCallStatus(b *strings.Builder, op, method, path string, status int) {
	b.WriteString("arthur: ")
	if op != "" {
		b.WriteString(op)
		b.WriteString(": ")
	}
	b.WriteString(method)
	b.WriteByte(' ')
	b.WriteString(path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(status))
	if t := http.StatusText(status); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
}

func statusSentinel(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return ErrBadRequest
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusConflict:
		return ErrConflict
	case code == http.StatusUnprocessableEntity:
		return ErrValidation
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500 && code <= 599:
		return ErrServer
	}
	return nil
}

// decodeErrorBody fills Detail and the error model from a FastAPI body,
// when the body is one. Anything else (an HTML page from a proxy, an empty
// body) leaves them empty; Body keeps it.
func (e *APIError) decodeErrorBody() {
	var w struct {
		Detail json.RawMessage `json:"detail"`
	}
	if len(e.Body) == 0 || e.BodyTruncated || json.Unmarshal(e.Body, &w) != nil {
		return
	}
	// The status's model, where the spec gives one: its detail is
	// optional, with a default.
	var m interface {
		error
		jsonDecoder
	}
	switch e.StatusCode {
	case http.StatusBadRequest:
		m = new(BadRequestError)
	case http.StatusNotFound:
		m = new(NotFoundError)
	case http.StatusConflict:
		m = new(ConflictError)
	case http.StatusUnprocessableEntity:
		m = new(HTTPValidationError)
	case http.StatusInternalServerError:
		m = new(InternalServerError)
	}
	if m != nil && bytes.HasPrefix(bytes.TrimLeft(e.Body, " \t\r\n"), []byte("{")) && decodeAll(e.Body, m.decodeJSON) == nil {
		e.model, e.Detail = m, m.Error()
		return
	}
	var detail string
	var list []ValidationError
	switch {
	case len(w.Detail) == 0:
	case json.Unmarshal(w.Detail, &detail) == nil:
		e.Detail = detail
	case json.Unmarshal(w.Detail, &list) == nil:
		e.Detail = (&HTTPValidationError{Detail: list}).Error()
	}
}

// DecodeError reports a 2xx answer whose body is not what the operation
// returns: not JSON, the wrong types, a missing required field, or no body
// at all where a model is expected. The call did reach the server.
type DecodeError struct {
	// Operation is the SDK method that made the call.
	Operation string
	// Method and Path are the request's HTTP method and URL path.
	Method, Path string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Model is the model the body should have decoded as, such as "User".
	Model string
	// Body is the response body, cut at 1 MiB. It is nil for
	// PostOrganizationServiceAccount and PostUserCreds, whose answers carry
	// credentials.
	Body []byte
	// Err is what failed: a *json.SyntaxError when the body is not JSON,
	// such as an HTML page or a body cut short.
	Err error
}

// Error names the operation, the status, the model and what failed, with
// the offset in the body of a JSON syntax error.
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("arthur: %s: %s %s: %d %s: cannot decode body as %s: %v",
		e.Operation, e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.Model, e.Err)
	var syntax *json.SyntaxError
	if errors.As(e.Err, &syntax) {
		msg += " (at offset " + strconv.FormatInt(syntax.Offset, 10) + ")"
	}
	return msg
}

// Unwrap returns the decoding error: a *json.SyntaxError for a body that
// is not JSON, so errors.As reaches it.
func (e *DecodeError) Unwrap() error { return e.Err }

// RedirectError reports a redirect that the client did not follow, because
// following it would lose a write or leak a request body: a 301, 302 or
// 303 answer to a POST, PATCH or DELETE, which net/http would repeat as a
// GET that writes nothing; a 307 or 308 that would send the request body
// (a password, a client secret) to another origin, https to http
// included; a chain of more than 10 redirects; or one that
// Configuration.HTTPClient's own CheckRedirect refused. Nothing was sent to
// Location, and the call is not retried.
type RedirectError struct {
	// Operation is the SDK method that made the call. It is empty for a
	// request the SDK makes on its own, such as a token request.
	Operation string
	// Method and Path are the request's HTTP method and URL path.
	Method, Path string
	// StatusCode is the status of the redirect answer, such as 302.
	StatusCode int
	// Location is where the answer redirected to, without its query,
	// fragment and user info, which may carry credentials.
	Location string
	// Reason says why the redirect was not followed.
	Reason string
	// Err is the error of Configuration.HTTPClient's own CheckRedirect,
	// when that refused the redirect; nil otherwise.
	Err error
}

// Error names the operation, the method, the path, the redirect and why it
// was not followed.
func (e *RedirectError) Error() string {
	var b strings.Builder
	writeCallStatus(&b, e.Operation, e.Method, e.Path, e.StatusCode)
	b.WriteString(" to ")
	b.WriteString(e.Location)
	b.WriteString(" not followed: ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the error of the client's own CheckRedirect, if any.
func (e *RedirectError) Unwrap() error { return e.Err }

// ArgumentError reports bad input, refused before any request was sent.
type ArgumentError struct {
	// Operation is the SDK method that refused it.
	Operation string
	// Argument names the argument or field: "userID", "params.PageSize",
	// "body.Email".
	Argument string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "arthur: DeleteUser: userID must not be empty".
func (e *ArgumentError) Error() string {
	return "arthur: " + e.Operation + ": " + e.Argument + " " + e.Reason
}

// Is matches ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

func argError(op, arg, reason string) error {
	return &ArgumentError{Operation: op, Argument: arg, Reason: reason}
}

// configError is an error of the Configuration: it matches
// ErrInvalidConfiguration, and its cause (a %w verb) stays reachable
// through errors.Is and errors.As.
type configError struct{ err error }

func configErrorf(format string, args ...any) error {
	return &configError{err: fmt.Errorf(format, args...)}
}

func (e *configError) Error() string        { return e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == ErrInvalidConfiguration }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// The error models of the spec are errors too, so that errors.As reaches
// them through an *APIError:
//
//	var e *arthur.NotFoundError
//	if errors.As(err, &e) { log.Print(e.Detail) }

// Error returns the detail.
func (e *BadRequestError) Error() string { return e.Detail }

// Error returns the detail.
func (e *NotFoundError) Error() string { return e.Detail }

// Error returns the detail.
func (e *ConflictError) Error() string { return e.Detail }

// Error returns the detail.
func (e *InternalServerError) Error() string { return e.Detail }

// Error joins the problems: "body.email: value is not a valid email address".
func (e *HTTPValidationError) Error() string {
	parts := make([]string, len(e.Detail))
	for i, d := range e.Detail {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}

// String returns "body.email: value is not a valid email address".
func (v ValidationError) String() string {
	locs := make([]string, len(v.Loc))
	for i, l := range v.Loc {
		locs[i] = fmt.Sprint(l)
	}
	if len(locs) == 0 {
		return v.Msg
	}
	return strings.Join(locs, ".") + ": " + v.Msg
}
