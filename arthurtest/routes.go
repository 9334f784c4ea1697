package arthurtest

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/arthur-sdk/arthur-go/internal/optable"
)

// Operation IDs of the fake's identity-provider endpoints, which are not
// part of the Users V1 API.
const (
	// OpOpenIDConfiguration is GET /api/v1/auth/oidc/.well-known/openid-configuration,
	// the spec's OpGetOpenIDConfiguration.
	OpOpenIDConfiguration = OpGetOpenIDConfiguration
	// OpToken is the OAuth2 token endpoint (Server.TokenURL).
	OpToken = "token"
	// OpJWKS is the (empty) JSON Web Key Set.
	OpJWKS = "jwks"
	// OpAuthorization is the endpoint of the authorization-code flow,
	// which the fake does not serve.
	OpAuthorization = "authorization"
	// OpDeviceAuthorization is the device flow's device authorization
	// endpoint (Server.DeviceAuthorizationURL).
	OpDeviceAuthorization = "device_authorization"
)

// Paths of the fake's identity provider, laid out like Keycloak's.
const (
	discoveryPath = "/api/v1/auth/oidc/.well-known/openid-configuration"
	realmPath     = "/realms/arthur"
	oidcPath      = realmPath + "/protocol/openid-connect"
	tokenPath     = oidcPath + "/token"
	jwksPath      = oidcPath + "/certs"
	authPath      = oidcPath + "/auth"
	devicePath    = oidcPath + "/auth/device"
)

// exchange is one request being answered.
type exchange struct {
	w      http.ResponseWriter
	r      *http.Request
	op     string
	body   []byte
	userID string  // the raw {user_id} path segment
	caller *record // the authenticated user; nil where no auth is needed
}

type route struct {
	method  string
	pattern string // segments; a "{name}" segment matches any non-empty one
	op      string
	auth    bool
	handle  func(*Server, *exchange)
}

// handlers are the fake's operations of the API, by operation ID.
var handlers = map[string]func(*Server, *exchange){
	OpGetOrganizationUsers:           (*Server).listUsers,
	OpPostOrganizationUser:           (*Server).createUser,
	OpPostOrganizationUserInvite:     (*Server).inviteUser,
	OpPostOrganizationServiceAccount: (*Server).createServiceAccount,
	OpGetUsersMe:                     (*Server).getMe,
	OpAcceptMyInvites:                (*Server).acceptInvites,
	OpDeleteUser:                     (*Server).deleteUser,
	OpPatchUser:                      (*Server).patchUser,
	OpPatchServiceAccountUser:        (*Server).patchServiceAccount,
	OpPostUserCreds:                  (*Server).regenerateCredentials,

	OpPostProjectDataset:   (*Server).createDataset,
	OpPostConnectorDataset: (*Server).createDataset,
	OpGetDataset:           (*Server).getDataset,
	OpGetDatasets:          (*Server).listDatasets,
	OpPatchDataset:         (*Server).patchDataset,
	OpDeleteDataset:        (*Server).deleteDataset,

	OpPostModel:            (*Server).createModel,
	OpGetModel:             (*Server).getModel,
	OpGetModels:            (*Server).listModels,
	OpPatchModel:           (*Server).patchModel,
	OpPutModelMetricConfig: (*Server).putModelMetricConfig,
	OpDeleteModel:          (*Server).deleteModel,

	OpPostSubmitJobsBatch: (*Server).submitJobs,
	OpPostDequeueJob:      (*Server).dequeueJob,
	OpGetJob:              (*Server).getJob,
	OpPutJobState:         (*Server).putJobState,
	OpPostJobLogs:         (*Server).postJobLogs,
	OpGetJobLogs:          (*Server).getJobLogs,
	OpGetJobRuns:          (*Server).getJobRuns,
	OpGetJobs:             (*Server).listJobs,
}

// routes are the operations of the spec (internal/optable), each with its
// handler, and the identity provider's endpoints. An operation without a
// handler of its own is synthesized from the spec.
var routes = func() []route {
	var rs []route
	for _, o := range optable.Operations {
		if o.Path == discoveryPath {
			continue // the identity provider's route below serves it
		}
		h := handlers[o.ID]
		if h == nil {
			h = (*Server).synthesized
		}
		rs = append(rs, route{o.HTTP, o.Path, o.ID, o.Auth, h})
	}
	return append(rs,
		route{http.MethodGet, discoveryPath, OpOpenIDConfiguration, false, (*Server).discovery},
		route{http.MethodPost, tokenPath, OpToken, false, (*Server).issueToken},
		route{http.MethodGet, jwksPath, OpJWKS, false, (*Server).jwks},
		route{http.MethodGet, authPath, OpAuthorization, false, (*Server).unsupportedFlow},
		route{http.MethodPost, authPath, OpAuthorization, false, (*Server).unsupportedFlow},
		route{http.MethodPost, devicePath, OpDeviceAuthorization, false, (*Server).deviceAuthorization},
	)
}()

// notImplemented answers an operation of the spec that the fake does not
// implement.
func (s *Server) notImplemented(x *exchange) {
	writeDetail(x.w, http.StatusNotImplemented, "arthurtest does not implement this operation")
}

// operations is the set of operation IDs FailNext accepts.
var operations = func() []string {
	var ops []string
	for _, rt := range routes {
		if !slices.Contains(ops, rt.op) {
			ops = append(ops, rt.op)
		}
	}
	return ops
}()

// match finds the route for a request. With no route it returns the
// methods the path allows (none: 404; some: 405).
func match(method, path string) (rt *route, userID string, allowed []string) {
	segs := strings.Split(path, "/")
	best := -1
	for i := range routes {
		id, ok := matchPattern(routes[i].pattern, segs)
		if !ok {
			continue
		}
		if routes[i].method != method {
			allowed = append(allowed, routes[i].method)
			continue
		}
		// A literal segment wins over a parameter: connector_types is
		// not a {connector_type}.
		if best < 0 || params(routes[i].pattern) < params(routes[best].pattern) {
			best, userID = i, id
		}
	}
	if best >= 0 {
		return &routes[best], userID, nil
	}
	return nil, "", allowed
}

// params is the number of {name} segments of a pattern.
func params(pattern string) int { return strings.Count(pattern, "{") }

func matchPattern(pattern string, segs []string) (string, bool) {
	want := strings.Split(pattern, "/")
	if len(want) != len(segs) {
		return "", false
	}
	var id string
	for i, w := range want {
		switch {
		case strings.HasPrefix(w, "{") && segs[i] != "":
			id = segs[i]
		case w != segs[i]:
			return "", false
		}
	}
	return id, true
}

// maxBody bounds a request body.
const maxBody = 10 << 20

// serveHTTP answers one request: it records it, waits out the latency,
// applies an injected fault, authenticates the caller and runs the
// operation.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &statusWriter{ResponseWriter: w}
	w = rw
	requestID := newUUID()
	w.Header().Set("X-Request-Id", requestID)

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		writeDetail(w, http.StatusBadRequest, "Could not read the request body")
		return
	}
	rt, userID, allowed := match(r.Method, r.URL.Path)
	op := ""
	if rt != nil {
		op = rt.op
	}
	s.record(r, op, body, requestID)
	defer func() { s.log(r, op, rw.status) }()

	if !s.wait(r) {
		writeDetail(w, http.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	switch {
	case len(body) > maxBody:
		writeDetail(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	case rt == nil && len(allowed) > 0:
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeDetail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	case rt == nil:
		writeDetail(w, http.StatusNotFound, "Not Found")
		return
	}
	if f, ok := s.takeFault(op); ok {
		f.write(w, op)
		return
	}
	if h := s.replacement(op); h != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
		return
	}
	x := &exchange{w: w, r: r, op: op, body: body, userID: userID}
	if rt.auth {
		caller, ok := s.authenticate(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeDetail(w, http.StatusUnauthorized, "Not authenticated")
			return
		}
		x.caller = caller
	}
	rt.handle(s, x)
}

// authenticate finds the caller by the request's bearer token.
func (s *Server) authenticate(r *http.Request) (*record, bool) {
	scheme, bearer, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callerLocked(strings.TrimSpace(bearer))
}

// wait sleeps for the configured latency. It returns false, cut short,
// when the client went away or the server is closing.
func (s *Server) wait(r *http.Request) bool {
	s.mu.Lock()
	d := s.latency
	s.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

func (s *Server) log(r *http.Request, op string, status int) {
	if s.logger == nil {
		return
	}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "arthurtest: request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.String("operation", op), slog.Int("status", status))
}

// statusWriter remembers the status of the answer, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}
