package arthurtest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// Request is a request the server received, as Requests returns it.
type Request struct {
	// Operation is the operation it called, such as OpPatchUser; empty when
	// it matched none (a 404 or 405).
	Operation string
	// Method is the HTTP method.
	Method string
	// Path is the URL path, unescaped.
	Path string
	// Query is the parsed query string.
	Query url.Values
	// Header holds the request headers, Authorization included.
	Header http.Header
	// Body is the request body, as sent.
	Body []byte
	// RequestID is the X-Request-Id the server answered with.
	RequestID string
}

func (s *Server) record(r *http.Request, op string, body []byte, requestID string) {
	req := Request{
		Operation: op, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: bytes.Clone(body), RequestID: requestID,
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
}

// Requests returns a copy of every request the server has received since
// it started or since ResetRequests, in the order they arrived, whatever
// their answer: a 401, a 422 and an injected fault are all there.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Query = cloneValues(r.Query)
		r.Header = r.Header.Clone()
		r.Body = bytes.Clone(r.Body)
		out[i] = r
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Invite is an invitation recorded by post_organization_user_invite.
type Invite struct {
	// Email is the invited address, its domain lowercased.
	Email string
	// RoleBinding is the role to grant on acceptance, if any.
	RoleBinding *arthur.PostGlobalRoleBinding
	// GroupIDs are the groups to add the user to on acceptance.
	GroupIDs []string
	// InvitedBy is the ID of the user who sent the invitation.
	InvitedBy string
	// CreatedAt is when it was sent, on the server's clock.
	CreatedAt time.Time
	// Accepted reports whether a user with this email accepted it
	// (accept_my_invites); AcceptedBy is that user's ID and AcceptedAt when.
	Accepted   bool
	AcceptedBy string
	AcceptedAt time.Time
}

// Invites returns a copy of every invitation sent, in order.
func (s *Server) Invites() []Invite {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invite, len(s.invites))
	for i, inv := range s.invites {
		if inv.RoleBinding != nil {
			rb := *inv.RoleBinding
			inv.RoleBinding = &rb
		}
		inv.GroupIDs = slices.Clone(inv.GroupIDs)
		out[i] = inv
	}
	return out
}

// AnyOperation makes FailNext apply to calls of every operation.
const AnyOperation = "*"

// fault is an injected failure, for the next left calls.
type fault struct {
	status     int
	retryAfter time.Duration
	left       int
}

// FailNext makes the next n calls of an operation fail with status: 400 to
// 599. operation is an operation ID such as OpGetOrganizationUsers (the
// spec's "get_organization_users"), OpToken, or AnyOperation for the next
// n calls of any operation. A retryAfter over zero is sent as a
// Retry-After header, in whole seconds rounded up.
//
// The failure answers before authentication and validation, and changes
// nothing. Its body is FastAPI's: {"detail": "..."}, or for a 422 a list
// of one validation error; the token endpoint answers with an OAuth2 error
// instead. Calls to FailNext add up: the failures of an operation are used
// in the order they were asked for, before those of AnyOperation.
//
// It returns an error, and reports it to the test that made the server,
// for an unknown operation or a status out of range. n <= 0 does nothing.
func (s *Server) FailNext(operation string, n, status int, retryAfter time.Duration) error {
	if s.tb != nil {
		s.tb.Helper()
	}
	if operation != AnyOperation && !slices.Contains(operations, operation) {
		err := fmt.Errorf("arthurtest: FailNext: unknown operation %q; want one of %s or %q",
			operation, strings.Join(operations, ", "), AnyOperation)
		s.report(err)
		return err
	}
	if status < 400 || status > 599 {
		err := fmt.Errorf("arthurtest: FailNext: status %d is not an error status (400 to 599)", status)
		s.report(err)
		return err
	}
	if n <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[operation] = append(s.faults[operation], fault{status: status, retryAfter: retryAfter, left: n})
	return nil
}

// ResetFaults drops the failures FailNext asked for and not yet used.
func (s *Server) ResetFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

func (s *Server) takeFault(op string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{op, AnyOperation} {
		if q := s.faults[key]; len(q) > 0 {
			f := q[0]
			if q[0].left--; q[0].left == 0 {
				s.faults[key] = q[1:]
			}
			return f, true
		}
	}
	return fault{}, false
}

func (f fault) write(w http.ResponseWriter, op string) {
	if f.retryAfter > 0 {
		secs := (f.retryAfter + time.Second - 1) / time.Second
		w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	text := http.StatusText(f.status)
	if text == "" {
		text = "Error"
	}
	switch {
	case op == OpToken || op == OpDeviceAuthorization:
		code := "invalid_request"
		if f.status >= 500 || f.status == http.StatusTooManyRequests {
			code = "temporarily_unavailable"
		}
		writeJSON(w, f.status, oauthErrorJSON{Error: code, Description: text + " (injected by arthurtest)"})
	case f.status == http.StatusUnprocessableEntity:
		writeJSON(w, f.status, validationJSON{Detail: []fieldError{{
			Type: "value_error", Loc: []any{}, Msg: "Value error, injected by arthurtest", Input: nil,
		}}})
	default:
		writeDetail(w, f.status, text+" (injected by arthurtest)")
	}
}

// SetLatency makes the server wait d before it answers each request,
// injected faults included; 0 turns it off. A request whose client gives up
// first (its context ends) goes no further, and Close answers those still
// waiting with 503.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = max(d, 0)
}
