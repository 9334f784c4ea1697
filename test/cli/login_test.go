package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
)

var userCodeRE = regexp.MustCompile(`enter the code ([A-Z]{4}-[A-Z]{4})`)

// savedFile is the sign-in as login saves it.
type savedFile struct {
	Host         string    `json:"host"`
	ClientID     string    `json:"client_id"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	RefreshToken string    `json:"refresh_token"`
	Expiry       time.Time `json:"expiry"`
}

func readSaved(t *testing.T, path string) savedFile {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var f savedFile
	require.NoError(t, json.Unmarshal(data, &f))
	return f
}

// pendingLogin is a login command running in the background.
type pendingLogin struct {
	stdout, stderr syncBuffer
	done           chan int
	cancel         context.CancelFunc
}

// startLogin runs the CLI with args (a login) in the background.
func startLogin(t *testing.T, inv invocation, args ...string) *pendingLogin {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &pendingLogin{done: make(chan int, 1), cancel: cancel}
	env := inv.cliEnv(t, &p.stdout, &p.stderr)
	go func() { p.done <- arthurcli.Main(ctx, args, env) }()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	return p
}

// userCode waits until the login shows its user code, and returns it.
func (p *pendingLogin) userCode(t *testing.T) string {
	t.Helper()
	var code string
	require.Eventually(t, func() bool {
		m := userCodeRE.FindStringSubmatch(p.stderr.String())
		if m != nil {
			code = m[1]
		}
		return code != ""
	}, 10*time.Second, 5*time.Millisecond, "the code is shown")
	return code
}

// result waits for the login to end.
func (p *pendingLogin) result(t *testing.T) result {
	t.Helper()
	select {
	case code := <-p.done:
		p.done <- code // for the cleanup
		return result{code: code, stdout: p.stdout.String(), stderr: p.stderr.String()}
	case <-time.After(20 * time.Second):
		t.Fatal("login did not end")
		return result{}
	}
}

// normalizeLogin replaces what changes from run to run: the server's
// address, the user code and the config directory.
func normalizeLogin(s string, srv *arthurtest.Server, code, dir string) string {
	s = strings.ReplaceAll(s, srv.URL, "http://127.0.0.1:PORT")
	s = strings.ReplaceAll(s, code, "ABCD-EFGH")
	return strings.ReplaceAll(s, dir, "<config>")
}

func assertPrivate(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "%s is readable by its owner alone", path)
	di, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm(), "its directory too")
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left behind")
}

// TestLogin: login shows the page and the code, waits for the person to
// approve, saves the sign-in privately, and prints who signed in, never a
// token; later commands use the sign-in, with its host; a token in the
// environment wins over it; logout forgets it.
func TestLogin(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := filepath.Join(t.TempDir(), "arthur-config") // made by login
	path := filepath.Join(dir, "token.json")
	inv := invocation{srv: srv, env: map[string]string{arthur.EnvHost: srv.URL, arthurcli.EnvConfigDir: dir}}

	p := startLogin(t, inv, "login")
	code := p.userCode(t)
	_, err := os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "nothing is saved before the approval")
	require.NoError(t, srv.ApproveDevice(code, adaID))
	r := p.result(t)
	out := ok(t, r)
	golden(t, "login_table", normalizeLogin("stderr:\n"+r.stderr+"stdout:\n"+out, srv, code, dir))

	assertPrivate(t, path)
	saved := readSaved(t, path)
	assert.Equal(t, srv.URL, saved.Host)
	assert.Equal(t, arthur.DefaultDeviceClientID, saved.ClientID)
	assert.Equal(t, "Bearer", saved.TokenType)
	assert.NotEmpty(t, saved.AccessToken)
	assert.NotEmpty(t, saved.RefreshToken)
	assert.WithinDuration(t, time.Now().Add(arthurtest.DefaultTokenTTL), saved.Expiry, 10*time.Second)
	assert.NotContains(t, r.stdout+r.stderr, saved.AccessToken, "no token is printed")
	assert.NotContains(t, r.stdout+r.stderr, saved.RefreshToken)

	// Later commands: the saved sign-in, and its host when none is given.
	later := invocation{srv: srv, env: map[string]string{arthurcli.EnvConfigDir: dir}}
	out = ok(t, later.run(t, "me", "-o", "json"))
	var me arthur.User
	require.NoError(t, json.Unmarshal([]byte(out), &me))
	assert.Equal(t, adaID, me.ID)
	r = later.run(t, "users", "list", "--host", srv.URL+"/")
	assert.Contains(t, ok(t, r), "Katherine Johnson")
	assert.NotContains(t, r.stdout+r.stderr, saved.AccessToken)

	// Not for another host.
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	r = later.run(t, "me", "--host", other)
	usage(t, r, "me", "no credentials for "+other+": the saved sign-in is for "+srv.URL)

	// A token in the environment wins.
	r = invocation{srv: srv, env: map[string]string{arthurcli.EnvConfigDir: dir, arthur.EnvHost: srv.URL, arthur.EnvAccessToken: srv.Token}}.run(t, "me", "-o", "json")
	require.NoError(t, json.Unmarshal([]byte(ok(t, r)), &me))
	assert.Equal(t, adminID, me.ID)

	// Logout forgets it.
	r = later.run(t, "logout")
	assert.Equal(t, "Signed out of "+srv.URL+": removed "+path+".\n", ok(t, r))
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist)
	r = later.run(t, "logout", "-o", "json")
	assert.JSONEq(t, `{"signed_out": false, "path": `+jsonString(path)+`}`, ok(t, r))
	r = later.run(t, "me")
	usage(t, r, "me", "no API host")
	r = invocation{srv: srv, env: map[string]string{arthurcli.EnvConfigDir: dir, arthur.EnvHost: srv.URL}}.run(t, "me")
	usage(t, r, "me", `no credentials: pass --token or set ARTHUR_ACCESS_TOKEN, set ARTHUR_CLIENT_ID and ARTHUR_CLIENT_SECRET for a service account, or sign in with "arthur-users login"`)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestLoginJSONAndTheDefaultConfigDir: -o json prints the host, the client
// and the user; without ARTHUR_CONFIG_DIR the sign-in goes to the arthur
// directory of the user's config directory. A login with a token or
// client credentials in the environment says that they win.
func TestLoginJSONAndTheDefaultConfigDir(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	userConfig := t.TempDir()
	inv := invocation{srv: srv, configDir: userConfig, env: map[string]string{
		arthur.EnvHost: srv.URL, arthur.EnvAccessToken: srv.Token}}
	p := startLogin(t, inv, "login", "-o", "json", "--client-id", arthur.DefaultDeviceClientID)
	code := p.userCode(t)
	require.NoError(t, srv.ApproveDevice(code, graceID))
	r := p.result(t)
	path := filepath.Join(userConfig, "arthur", "token.json")
	golden(t, "login_json", normalizeLogin(ok(t, r), srv, code, userConfig))
	assert.Contains(t, r.stderr, "note: ARTHUR_ACCESS_TOKEN is set: commands use it rather than this sign-in")
	assertPrivate(t, path)
	assert.Equal(t, srv.URL, readSaved(t, path).Host)

	// A second login replaces the first.
	p = startLogin(t, invocation{srv: srv, configDir: userConfig, env: map[string]string{arthur.EnvHost: srv.URL}}, "login")
	require.NoError(t, srv.ApproveDevice(p.userCode(t), adaID))
	ok(t, p.result(t))
	out := ok(t, invocation{srv: srv, configDir: userConfig, env: map[string]string{}}.run(t, "me"))
	assert.Contains(t, out, "Lovelace")
	assertPrivate(t, path)
}

// TestSavedSignInIsRenewed: a saved sign-in whose token has expired is
// renewed with its refresh token, and the renewed token is saved; once the
// refresh token has expired too, commands say to sign in again.
func TestSavedSignInIsRenewed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := filepath.Join(t.TempDir(), "cfg")
	path := filepath.Join(dir, "token.json")
	env := map[string]string{arthur.EnvHost: srv.URL, arthurcli.EnvConfigDir: dir}
	p := startLogin(t, invocation{srv: srv, env: env}, "login")
	require.NoError(t, srv.ApproveDevice(p.userCode(t), alanID))
	ok(t, p.result(t))
	first := readSaved(t, path)

	// The token expires, on the server and in the file.
	srv.Advance(arthurtest.DefaultTokenTTL + time.Second)
	expired := first
	expired.Expiry = time.Now().Add(-time.Minute)
	data, err := json.Marshal(expired)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))

	later := invocation{srv: srv, env: map[string]string{arthurcli.EnvConfigDir: dir}}
	r := later.run(t, "me")
	assert.Contains(t, ok(t, r), "Turing")
	renewed := readSaved(t, path)
	assert.NotEqual(t, first.AccessToken, renewed.AccessToken, "the renewed token is saved")
	assert.NotEqual(t, first.RefreshToken, renewed.RefreshToken, "with its refresh token")
	assert.True(t, renewed.Expiry.After(time.Now()), "and its expiry")
	assert.Equal(t, first.Host, renewed.Host)
	assertPrivate(t, path)
	for _, tok := range []string{first.AccessToken, first.RefreshToken, renewed.AccessToken, renewed.RefreshToken} {
		assert.NotContains(t, r.stdout+r.stderr, tok)
	}

	// The renewed token serves the next command as it is.
	srv.ResetRequests()
	ok(t, later.run(t, "me"))
	for _, req := range srv.Requests() {
		assert.NotEqual(t, arthurtest.OpToken, req.Operation, "no renewal while the token is good")
	}

	// The sign-in ends.
	srv.Advance(arthurtest.RefreshTokenTTL)
	renewed.Expiry = time.Now().Add(-time.Minute)
	data, err = json.Marshal(renewed)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	r = later.run(t, "me")
	assert.Equal(t, arthurcli.ExitError, r.code)
	assert.Contains(t, r.stderr, "invalid_grant")
	assert.Contains(t, r.stderr, `the saved sign-in has ended: run "arthur-users login" to sign in again`)
	assert.NotContains(t, r.stderr, renewed.RefreshToken)
}

// TestLoginEndsWithoutASignIn: a denial, an expired code and an
// interruption end the login with exit code 1 and save nothing.
func TestLoginEndsWithoutASignIn(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := t.TempDir()
	inv := invocation{srv: srv, env: map[string]string{arthur.EnvHost: srv.URL, arthurcli.EnvConfigDir: dir}}
	saved := func() bool {
		_, err := os.Stat(filepath.Join(dir, "token.json"))
		return err == nil
	}

	t.Run("denied", func(t *testing.T) {
		p := startLogin(t, inv, "login")
		require.NoError(t, srv.DenyDevice(p.userCode(t)))
		r := p.result(t)
		assert.Equal(t, arthurcli.ExitError, r.code)
		assert.Contains(t, r.stderr, "arthur-users login: device login: token at "+srv.TokenURL()+": 400 Bad Request: access_denied: ")
		assert.Contains(t, r.stderr, `run "arthur-users login" to try again`)
		assert.Empty(t, r.stdout)
		assert.False(t, saved())
	})
	t.Run("expired", func(t *testing.T) {
		srv := newServer(t) // its clock moves
		inv := inv
		inv.env = map[string]string{arthur.EnvHost: srv.URL, arthurcli.EnvConfigDir: dir}
		p := startLogin(t, inv, "login")
		p.userCode(t)
		srv.Advance(arthurtest.DeviceCodeTTL)
		r := p.result(t)
		assert.Equal(t, arthurcli.ExitError, r.code)
		assert.Contains(t, r.stderr, "expired_token")
		assert.False(t, saved())
	})
	t.Run("interrupted", func(t *testing.T) {
		p := startLogin(t, inv, "login")
		p.userCode(t)
		p.cancel()
		r := p.result(t)
		assert.Equal(t, arthurcli.ExitError, r.code)
		assert.Contains(t, r.stderr, "context canceled")
		assert.False(t, saved())
	})
}

func TestLoginUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		msg  string
	}{
		{"no host", map[string]string{arthurcli.EnvConfigDir: dir}, []string{"login"}, "no API host: pass --host or set ARTHUR_HOST"},
		{"a token", map[string]string{arthur.EnvHost: srv.URL}, []string{"login", "--token", "t"}, "login signs in as a person: leave out --token"},
		{"no client", map[string]string{arthur.EnvHost: srv.URL}, []string{"login", "--client-id", " "}, "--client-id must not be empty"},
		{"a bad host", map[string]string{arthurcli.EnvConfigDir: dir}, []string{"login", "--host", "platform.arthur.ai"}, "--host: must start with http:// or https://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			usage(t, invocation{srv: srv, env: tc.env}.run(t, tc.args...), "login", tc.msg)
		})
	}

	r := invocation{srv: srv, env: map[string]string{arthur.EnvHost: srv.URL, arthurcli.EnvConfigDir: dir}}.run(t, "login", "--client-id", "other-cli")
	assert.Equal(t, arthurcli.ExitError, r.code)
	assert.Contains(t, r.stderr, "device at "+srv.DeviceAuthorizationURL()+": 401 Unauthorized: invalid_client")

	// A saved sign-in that cannot be read is a configuration error; logout removes it.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "token.json"), []byte("{not json"), 0o600))
	later := invocation{srv: srv, env: map[string]string{arthurcli.EnvConfigDir: dir}}
	usage(t, later.run(t, "me"), "me", "token.json is unreadable")
	assert.Contains(t, ok(t, later.run(t, "logout")), "Signed out: removed ")
}

// TestDemoLogin: --demo login signs in to the embedded fake, approved at
// once as its admin, and saves nothing.
func TestDemoLogin(t *testing.T) {
	t.Parallel()
	userConfig := t.TempDir()
	inv := invocation{env: map[string]string{}, configDir: userConfig}
	r := inv.run(t, "--demo", "login")
	out := ok(t, r)
	assert.Regexp(t, `^Signed in to http://127\.0\.0\.1:\d+ as Admin Arthur \(admin@example\.com\)\.\nDemo mode saves nothing`, out)
	assert.Contains(t, r.stderr, "demo: the embedded server approves the code at once")
	entries, err := os.ReadDir(userConfig)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing saved")

	assert.Contains(t, ok(t, inv.run(t, "logout", "--demo")), "Demo mode saves no sign-in")
	usage(t, inv.run(t, "--demo", "login", "--host", "http://127.0.0.1:1"), "login", "--demo runs against an embedded server")
}

func TestLoginHelp(t *testing.T) {
	t.Parallel()
	golden(t, "help_login", ok(t, invocation{env: map[string]string{}}.run(t, "help", "login")))
}

// TestLoginSaysWhenNoRefreshTokenCame: an identity provider that gives no
// refresh token (Dex without offline_access) leaves a sign-in that ends
// with its access token; login says so, and when.
func TestLoginSaysWhenNoRefreshTokenCame(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path != idpTokenPath || resp.StatusCode != http.StatusOK {
			return nil
		}
		var ans map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
			return err
		}
		_ = resp.Body.Close()
		delete(ans, "refresh_token")
		delete(ans, "refresh_expires_in")
		body, err := json.Marshal(ans)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)

	dir := filepath.Join(t.TempDir(), "cfg")
	p := startLogin(t, invocation{srv: srv, env: map[string]string{arthur.EnvHost: front.URL, arthurcli.EnvConfigDir: dir}}, "login")
	require.NoError(t, srv.ApproveDevice(p.userCode(t), alanID))
	r := p.result(t)
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	assert.Regexp(t, `note: no refresh token came with the sign-in: sign in again when it expires, at \d\d:\d\d \S+ \(in 5 minutes\)`, r.stderr)
	assert.Contains(t, r.stdout, "Signed in to "+front.URL+" as Alan Turing")
	assert.Empty(t, readSaved(t, filepath.Join(dir, "token.json")).RefreshToken)
}
