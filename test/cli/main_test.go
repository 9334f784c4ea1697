// Package cli tests arthur-users, the command-line tool in internal/cli,
// from the outside: each test runs command lines through cli.Main against
// an arthurtest server, with every request and response checked against
// api/openapi.json, and compares what it prints with golden files in
// testdata (go test ./cli -update rewrites them).
package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// The fixed world of the tests: a stopped clock, fixed IDs.
var t0 = time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)

const (
	orgID       = "5f0c1a3e-8b2d-4c6e-9f10-1a2b3c4d5e6f"
	adminID     = "a0000000-0000-4000-8000-000000000001"
	adaID       = "a0000000-0000-4000-8000-000000000002"
	graceID     = "a0000000-0000-4000-8000-000000000003"
	alanID      = "a0000000-0000-4000-8000-000000000004"
	katherineID = "a0000000-0000-4000-8000-000000000005"
	botID       = "a0000000-0000-4000-8000-000000000006"
	engineID    = "a0000000-0000-4000-8000-000000000007"
	botClientID = "b0000000-0000-4000-8000-000000000006"
	dataPlaneID = "c0000000-0000-4000-8000-000000000007"
	unknownID   = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
)

// newServer starts a fake with an admin, four people, a service account
// and a data plane user, all with fixed IDs and times.
func newServer(t *testing.T) *arthurtest.Server {
	t.Helper()
	srv := arthurtest.NewServer(t,
		arthurtest.WithNow(t0),
		arthurtest.WithOrganization(orgID, "Acme"),
		arthurtest.WithAdmin(arthur.User{ID: adminID, FirstName: "Admin", LastName: arthur.Ptr("Arthur"),
			Email: arthur.Ptr("admin@acme.example")}),
	)
	for i, u := range []arthur.User{
		{ID: adaID, FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: arthur.Ptr("ada@acme.example"),
			Picture: arthur.Ptr("https://img.acme.example/ada.png")},
		{ID: graceID, FirstName: "Grace", LastName: arthur.Ptr("Hopper"), Email: arthur.Ptr("grace@acme.example")},
		{ID: alanID, FirstName: "Alan", LastName: arthur.Ptr("Turing"), Email: arthur.Ptr("alan@acme.example")},
		{ID: katherineID, FirstName: "Katherine", LastName: arthur.Ptr("Johnson"), Email: arthur.Ptr("katherine@acme.example")},
		{ID: botID, FirstName: "ci-bot", UserType: arthur.UserTypeServiceAccount, ClientID: arthur.Ptr(botClientID)},
		{ID: engineID, FirstName: "engine-1", UserType: arthur.UserTypeDataPlane, DataPlaneID: arthur.Ptr(dataPlaneID)},
	} {
		u.CreatedAt = t0.Add(-time.Duration(10-i) * time.Hour)
		require.NotEmpty(t, srv.AddUser(u).ID)
	}
	return srv
}

// result is what one run of the CLI did.
type result struct {
	code           int
	stdout, stderr string
}

// invocation describes one run of the CLI.
type invocation struct {
	env       map[string]string // the environment; nil for ARTHUR_HOST and ARTHUR_ACCESS_TOKEN of srv
	stdin     string
	terminal  bool // whether stderr is a terminal
	srv       *arthurtest.Server
	configDir string // the user's config directory; empty for a new, empty one
}

// run runs the CLI against srv as its admin, through the environment.
func run(t *testing.T, srv *arthurtest.Server, args ...string) result {
	t.Helper()
	return invocation{srv: srv}.run(t, args...)
}

// Paths of the identity provider of every arthurtest server, the embedded
// demo's included.
const (
	idpTokenPath  = "/realms/arthur/protocol/openid-connect/token"
	idpDevicePath = "/realms/arthur/protocol/openid-connect/auth/device"
)

// contractClient is an HTTP client whose every request and response is
// checked against the contract; the identity-provider endpoints, which
// are not part of it, pass unchecked.
func contractClient(t *testing.T, srv *arthurtest.Server) *http.Client {
	tr := oas.NewTransport(t, nil).Outside(arthur.DiscoveryPath, idpTokenPath, idpDevicePath)
	if srv != nil {
		for _, endpoint := range []string{srv.TokenURL(), srv.DeviceAuthorizationURL()} {
			u, err := url.Parse(endpoint)
			require.NoError(t, err)
			tr = tr.Outside(u.Path)
		}
	}
	return &http.Client{Transport: tr}
}

// cliEnv is the Env of a run that writes to stdout and stderr.
func (inv invocation) cliEnv(t *testing.T, stdout, stderr io.Writer) arthurcli.Env {
	env := inv.env
	if env == nil && inv.srv != nil {
		env = map[string]string{arthur.EnvHost: inv.srv.URL, arthur.EnvAccessToken: inv.srv.Token}
	}
	configDir := inv.configDir
	if configDir == "" {
		configDir = t.TempDir() // never the config directory of whoever runs the tests
	}
	return arthurcli.Env{
		Stdin:         strings.NewReader(inv.stdin),
		Stdout:        stdout,
		Stderr:        stderr,
		Getenv:        func(k string) string { return env[k] },
		HTTPClient:    contractClient(t, inv.srv),
		IsTerminal:    func(io.Writer) bool { return inv.terminal },
		UserConfigDir: func() (string, error) { return configDir, nil },
	}
}

func (inv invocation) run(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := arthurcli.Main(context.Background(), args, inv.cliEnv(t, &stdout, &stderr))
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if inv.srv != nil {
		assert.NotContains(t, r.stdout+r.stderr, inv.srv.Token, "the token is never printed")
	}
	return r
}

// ok checks that r succeeded with nothing on stderr but the expected
// warnings, and returns its stdout.
func ok(t *testing.T, r result) string {
	t.Helper()
	require.Equal(t, arthurcli.ExitOK, r.code, "stderr: %s", r.stderr)
	return r.stdout
}

// usage checks that r is a usage error about msg, with the command's help.
func usage(t *testing.T, r result, command, msg string) {
	t.Helper()
	assert.Equal(t, arthurcli.ExitUsage, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, msg)
	assert.Contains(t, r.stderr, "Usage: "+strings.TrimSpace("arthur-users "+command)+" ")
}

// apiError checks that r failed with an API error that names status.
func apiError(t *testing.T, r result, status string) {
	t.Helper()
	assert.Equal(t, arthurcli.ExitError, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, status)
	assert.NotContains(t, r.stderr, "Usage:", "an API error is not a usage error")
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// fixedIDs are the IDs of the fixture, which golden files keep.
var fixedIDs = map[string]bool{
	orgID: true, adminID: true, adaID: true, graceID: true, alanID: true, katherineID: true,
	botID: true, engineID: true, botClientID: true, dataPlaneID: true, unknownID: true,
}

// normalize replaces the IDs the server made up with placeholders of the
// same length, numbered in order of appearance, and each of secrets with
// a placeholder.
func normalize(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "<secret>")
		}
	}
	seen := map[string]string{}
	return uuidRE.ReplaceAllStringFunc(s, func(id string) string {
		if fixedIDs[id] {
			return id
		}
		if p, ok := seen[id]; ok {
			return p
		}
		p := fmt.Sprintf("00000000-0000-4000-8000-%012d", len(seen)+1)
		seen[id] = p
		return p
	})
}

// golden compares got with testdata/name.golden, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cli -update to create it")
	assert.Equal(t, string(want), got, "differs from %s (go test ./cli -update rewrites it)", path)
}

// syncBuffer is a bytes.Buffer for a writer and a reader in different
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
