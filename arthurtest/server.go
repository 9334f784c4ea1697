package arthurtest

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// Server is a running fake Arthur API, made by Start or NewServer. Its
// methods are safe for concurrent use, including while it serves requests.
type Server struct {
	// URL is the base URL of the server, such as "http://127.0.0.1:41234",
	// for arthur.Configuration.Host.
	URL string
	// Token is the bearer token of the seeded admin. It never expires.
	Token string

	hs        *httptest.Server
	tb        testing.TB // set by NewServer, for AddUser and FailNext to report to
	logger    *slog.Logger
	closing   chan struct{} // closed by Close, to cut latency sleeps short
	closeOnce sync.Once

	mu       sync.Mutex
	org      Organization
	adminID  string
	tokenTTL time.Duration
	clock    clock
	users    map[string]*record // by ID
	byEmail  map[string]string  // lowercased email → ID
	byClient map[string]string  // client_id → ID, service accounts only
	seq      int64              // creation counter, for Users' order
	tokens   map[string]token
	invites  []Invite
	requests []Request
	faults   map[string][]fault
	replaced map[string]http.Handler // by Handle and Respond
	latency  time.Duration

	datasets        map[string]*resource // by ID
	datasetProjects map[string]bool      // the projects given a dataset
	gone            map[string]bool      // the IDs of deleted records
	models          map[string]*resource // by ID
	modelProjects   map[string]bool      // the projects given a model
	jobs            map[string]*job      // by ID
	jobProjects     map[string]bool      // the projects given a job

	deviceInterval    time.Duration
	deviceAutoApprove bool
	devices           map[string]*deviceLogin // by device code
	userCodes         map[string]*deviceLogin // by normalUserCode
	refreshTokens     map[string]refreshToken
}

// Organization is the one organization a Server holds.
type Organization struct {
	// ID is the organization's ID, a version 4 UUID.
	ID string
	// Name is the organization's name.
	Name string
}

// DefaultTokenTTL is the lifetime of the tokens the token endpoint issues,
// unless WithTokenTTL says otherwise.
const DefaultTokenTTL = 300 * time.Second

// Option configures a Server made by Start or NewServer.
type Option func(*options)

type options struct {
	addr       string
	org        Organization
	admin      arthur.User
	adminToken string
	tokenTTL   time.Duration
	now        time.Time
	logger     *slog.Logger

	deviceInterval    time.Duration
	deviceAutoApprove bool
}

// WithAddr sets the TCP address the server listens on, such as
// "127.0.0.1:8080". The default, "127.0.0.1:0", picks a free loopback port.
func WithAddr(addr string) Option { return func(o *options) { o.addr = addr } }

// WithOrganization sets the organization's ID (a version 4 UUID; empty for
// a random one) and name. The default is a random ID and the name
// "Arthur Test Organization".
func WithOrganization(id, name string) Option {
	return func(o *options) { o.org = Organization{ID: id, Name: name} }
}

// WithAdmin sets the seeded admin's FirstName, LastName, Email, Picture and,
// when not empty, ID. The default is "Admin Arthur", admin@example.com.
// The admin is always a person (user type "user").
func WithAdmin(u arthur.User) Option { return func(o *options) { o.admin = u } }

// WithAdminToken sets the admin's bearer token (Server.Token) in place of a
// random one, for a demo server whose token is printed or scripted. It
// must not be empty nor contain spaces.
func WithAdminToken(token string) Option { return func(o *options) { o.adminToken = token } }

// WithTokenTTL sets the lifetime of the tokens the token endpoint issues,
// rounded up to a whole second. The default is DefaultTokenTTL.
func WithTokenTTL(d time.Duration) Option { return func(o *options) { o.tokenTTL = d } }

// WithNow starts the server with its clock stopped at t, as SetNow(t) would,
// so that even the seeded admin's timestamps are t.
func WithNow(t time.Time) Option { return func(o *options) { o.now = t } }

// WithLogger logs one record per request received (method, path,
// operation, status), at level Info. By default nothing is logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// maxHeaderWait bounds how long a connection may take to send its headers.
const maxHeaderWait = 10 * time.Second

// Start starts a fake Arthur API with its organization and seeded admin, and
// returns it; the caller must Close it. It fails when an option is invalid
// or the address cannot be listened on.
func Start(opts ...Option) (*Server, error) {
	o := options{
		addr:     "127.0.0.1:0",
		org:      Organization{Name: "Arthur Test Organization"},
		admin:    arthur.User{FirstName: "Admin", LastName: arthur.Ptr("Arthur"), Email: arthur.Ptr("admin@example.com")},
		tokenTTL: DefaultTokenTTL,

		deviceInterval: DefaultDeviceInterval,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	s := &Server{
		logger:   o.logger,
		closing:  make(chan struct{}),
		org:      o.org,
		tokenTTL: o.tokenTTL,
		users:    make(map[string]*record),
		byEmail:  make(map[string]string),
		byClient: make(map[string]string),
		tokens:   make(map[string]token),
		faults:   make(map[string][]fault),
		replaced: make(map[string]http.Handler),

		datasets:        make(map[string]*resource),
		datasetProjects: make(map[string]bool),
		gone:            make(map[string]bool),
		models:          make(map[string]*resource),
		modelProjects:   make(map[string]bool),
		jobs:            make(map[string]*job),
		jobProjects:     make(map[string]bool),

		deviceInterval:    o.deviceInterval,
		deviceAutoApprove: o.deviceAutoApprove,
		devices:           make(map[string]*deviceLogin),
		userCodes:         make(map[string]*deviceLogin),
		refreshTokens:     make(map[string]refreshToken),
	}
	if s.org.ID == "" {
		s.org.ID = newUUID()
	}
	s.org.ID, _ = uuid4(s.org.ID) // checked above: canonical form
	if !o.now.IsZero() {
		s.clock.set(o.now)
	}
	admin := o.admin
	admin.UserType = arthur.UserTypeUser
	admin.ClientID, admin.DataPlaneID = nil, nil
	admin.CreatedAt, admin.UpdatedAt = time.Time{}, time.Time{}
	rec, _, err := s.addUserLocked(admin)
	if err != nil {
		return nil, fmt.Errorf("arthurtest: WithAdmin: %w", err)
	}
	s.adminID = rec.user.ID
	s.Token = o.adminToken
	if s.Token == "" {
		s.Token = newToken()
	}
	s.tokens[s.Token] = token{userID: s.adminID}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return nil, fmt.Errorf("arthurtest: listen on %s: %w", o.addr, err)
	}
	s.hs = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: maxHeaderWait}}
	s.hs.Start()
	s.URL = baseURL(ln.Addr())
	return s, nil
}

func (o *options) check() error {
	if o.org.ID != "" && !isUUID4(o.org.ID) {
		return fmt.Errorf("arthurtest: WithOrganization: ID %q is not a version 4 UUID", o.org.ID)
	}
	if strings.TrimSpace(o.org.Name) == "" {
		return errors.New("arthurtest: WithOrganization: the name must not be empty")
	}
	if o.adminToken != "" && strings.ContainsFunc(o.adminToken, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errors.New("arthurtest: WithAdminToken: the token must not contain spaces or control characters")
	}
	if o.tokenTTL <= 0 {
		return fmt.Errorf("arthurtest: WithTokenTTL: %v is not a positive duration", o.tokenTTL)
	}
	o.tokenTTL = (o.tokenTTL + time.Second - 1).Truncate(time.Second)
	if o.deviceInterval <= 0 {
		return fmt.Errorf("arthurtest: WithDeviceInterval: %v is not a positive duration", o.deviceInterval)
	}
	o.deviceInterval = (o.deviceInterval + time.Second - 1).Truncate(time.Second)
	return nil
}

// baseURL is http://host:port for addr. A server listening on every
// interface (Go listens dual-stack there) is reached through 127.0.0.1.
func baseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// NewServer starts a fake Arthur API for t and closes it when t ends (with
// t.Cleanup). It stops the test with t.Fatal when the server cannot start.
// AddUser and FailNext report misuse through t.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatal(err)
		return nil
	}
	s.tb = t
	t.Cleanup(s.Close)
	return s
}

// Close stops the server: it refuses new connections, cuts short the
// latency of requests in flight and waits for them to finish. Closing
// twice is harmless.
func (s *Server) Close() {
	if s.hs == nil {
		return // not started
	}
	s.closeOnce.Do(func() {
		close(s.closing)
		s.hs.Close()
	})
}

// Configuration returns a new arthur.Configuration for the seeded admin:
// Host is URL and AccessToken is Token. Set its HTTPClient, Retry or Logger
// and pass it to arthur.NewAPIClient for a client of your own.
func (s *Server) Configuration() *arthur.Configuration {
	cfg := arthur.NewConfiguration()
	cfg.Host = s.URL
	cfg.AccessToken = s.Token
	return cfg
}

// Client returns a client that calls the server as the seeded admin, with
// the SDK's default HTTP client and FastRetryPolicy, so that a test of
// retries takes milliseconds.
func (s *Server) Client() *arthur.APIClient {
	cfg := s.Configuration()
	cfg.Retry = FastRetryPolicy()
	return arthur.NewAPIClient(cfg)
}

// FastRetryPolicy is the retry policy of Client, for any client a test
// makes: the SDK's attempts and its limit on Retry-After, with waits of 1
// to 10 ms between attempts instead of 200 ms to 5 s. A Retry-After the
// server sends (FailNext) is still waited for as it is.
func FastRetryPolicy() arthur.RetryPolicy {
	return arthur.RetryPolicy{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
}

// TokenURL is the server's OAuth2 token endpoint, which grants
// client_credentials to its service accounts. The OIDC discovery document
// names it too.
func (s *Server) TokenURL() string { return s.URL + tokenPath }

// Organization returns the organization the server holds.
func (s *Server) Organization() Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.org
}

// Admin returns the seeded admin as it is now; ok is false once it has
// been deleted.
func (s *Server) Admin() (u arthur.User, ok bool) {
	return s.User(s.adminID)
}

// report tells the test that made the server about misuse, if a test did.
func (s *Server) report(err error) {
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Errorf("%v", err)
	}
}
