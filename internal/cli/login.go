package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	arthur "github.com/arthur-sdk/arthur-go"
)

// EnvConfigDir names the directory where login saves the sign-in, in place
// of the user's config directory (os.UserConfigDir()/arthur).
const EnvConfigDir = "ARTHUR_CONFIG_DIR"

// tokenFile is the name of the saved sign-in in the config directory.
const tokenFile = "token.json"

func loginCommand(name, me string) *command {
	return &command{
		name:    "login",
		summary: "Sign in as a person, in a browser, and save the sign-in",
		help: "Sign in to --host (or $ARTHUR_HOST) as a person, with the OAuth2 device flow: open the page it\n" +
			"shows, in any browser, sign in there and enter the code. It waits until you have, then saves the\n" +
			"sign-in (an access token and a refresh token) in " + tokenFile + " in $" + EnvConfigDir + ", else in the\n" +
			"arthur directory of your config directory, readable by you alone. Later commands with no --token,\n" +
			"$ARTHUR_ACCESS_TOKEN or service account credentials use it, renewing it as it expires, and may\n" +
			"leave out --host. One sign-in is saved at a time: a new one replaces it. With --demo it signs in\n" +
			"to the embedded fake, approved at once as its admin, and saves nothing.",
		examples: []string{
			name + " login --host https://platform.arthur.ai",
			name + " " + me,
			name + " --demo login",
		},
		setup: func(fs *flag.FlagSet) runner {
			var clientID string
			fs.StringVar(&clientID, "client-id", arthur.DefaultDeviceClientID, "sign in with the OAuth2 client `ID`")
			return func(ctx context.Context, x *invocation, _ []string) error {
				if strings.TrimSpace(clientID) == "" {
					return usageErrorf("--client-id must not be empty")
				}
				return x.login(ctx, strings.TrimSpace(clientID))
			}
		},
	}
}

func logoutCommand(name string) *command {
	return &command{
		name:     "logout",
		summary:  "Forget the sign-in that login saved",
		help:     "Delete the sign-in that login saved. The tokens are forgotten here; they expire on their own.",
		examples: []string{name + " logout"},
		setup: func(*flag.FlagSet) runner {
			return func(_ context.Context, x *invocation, _ []string) error {
				return x.logout()
			}
		},
	}
}

// savedLogin is the sign-in saved by login: where, with which client, and
// its tokens.
type savedLogin struct {
	Host         string    `json:"host"`
	ClientID     string    `json:"client_id"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
}

func (l *savedLogin) token() *oauth2.Token {
	return &oauth2.Token{AccessToken: l.AccessToken, TokenType: l.TokenType, RefreshToken: l.RefreshToken, Expiry: l.Expiry}
}

func (l *savedLogin) setToken(t *oauth2.Token) {
	l.AccessToken, l.TokenType, l.Expiry = t.AccessToken, t.TokenType, t.Expiry
	if t.RefreshToken != "" {
		l.RefreshToken = t.RefreshToken
	}
}

// login runs the device flow and saves the sign-in.
func (x *invocation) login(ctx context.Context, clientID string) error {
	if x.g.token != "" {
		return usageErrorf("login signs in as a person: leave out --token")
	}
	cfg := arthur.NewConfiguration()
	if x.g.demo {
		srv, err := x.demoServer()
		if err != nil {
			return err
		}
		cfg.Host = srv.URL
	} else {
		var saved *savedLogin
		if x.g.host == "" && strings.TrimSpace(x.env.Getenv(arthur.EnvHost)) == "" {
			saved, _, _ = x.loadLogin() // signing in again to the same host
		}
		host, err := x.host(saved)
		if err != nil {
			return err
		}
		cfg.Host = host
		if cfg.AllowInsecureHTTP, err = x.allowInsecureHTTP(host); err != nil {
			return err
		}
	}
	cfg.HTTPClient = x.env.HTTPClient
	cfg.UserAgent = x.name() + "/" + arthur.Version

	da, err := arthur.StartDeviceLogin(ctx, cfg, clientID)
	if err != nil {
		return err
	}
	w := x.env.Stderr
	fmt.Fprintf(w, "To sign in, open this page in a browser and enter the code %s:\n  %s\n", da.UserCode, da.VerificationURI)
	if da.VerificationURIComplete != "" {
		fmt.Fprintf(w, "or open this page, which carries the code:\n  %s\n", da.VerificationURIComplete)
	}
	if x.g.demo {
		fmt.Fprintln(w, "demo: the embedded server approves the code at once, as its admin")
	}
	if da.Expiry.IsZero() {
		fmt.Fprintln(w, "Waiting for you to sign in...")
	} else {
		fmt.Fprintf(w, "Waiting for you to sign in (the code expires in %s)...\n", roughly(time.Until(da.Expiry)))
	}
	tok, err := da.Wait(ctx)
	switch {
	case errors.Is(err, arthur.ErrDeviceLoginDenied), errors.Is(err, arthur.ErrDeviceLoginExpired):
		return fmt.Errorf("%w\n  run \"%s login\" to try again", err, x.name())
	case err != nil:
		return err
	}

	if tok.RefreshToken == "" {
		noteNoRefreshToken(w, tok)
	}
	saved := savedLogin{Host: cfg.Host, ClientID: clientID}
	saved.setToken(tok)
	path := ""
	if !x.g.demo {
		dir, err := x.configDir()
		if err != nil {
			return err
		}
		path = filepath.Join(dir, tokenFile)
		if err := saveLogin(dir, &saved); err != nil {
			return fmt.Errorf("signed in, but could not save the sign-in: %w", err)
		}
		x.noteOverrides()
	}

	cfg.TokenSource = oauth2.StaticTokenSource(tok)
	me, meErr := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(ctx)
	if meErr != nil {
		me = nil
		fmt.Fprintf(w, "warning: signed in, but could not read who you are: %s\n", describe(meErr))
	}
	if x.g.json() {
		return writeJSON(x.env.Stdout, struct {
			Host     string       `json:"host"`
			ClientID string       `json:"client_id"`
			User     *arthur.User `json:"user"`
			SavedTo  string       `json:"saved_to,omitempty"`
		}{cfg.Host, clientID, me, path})
	}
	who := ""
	if me != nil {
		who = " as " + fullName(*me)
		if me.Email != nil {
			who += " (" + *me.Email + ")"
		}
	}
	out := x.env.Stdout
	if _, err := fmt.Fprintf(out, "Signed in to %s%s.\n", cfg.Host, who); err != nil {
		return err
	}
	if x.g.demo {
		_, err = fmt.Fprintln(out, "Demo mode saves nothing: the embedded server ends with the command.")
		return err
	}
	_, err = fmt.Fprintf(out, "The sign-in is saved in %s: later commands use it, and \"%s logout\" forgets it.\n", path, x.name())
	return err
}

// noteNoRefreshToken tells that the sign-in cannot be renewed, as when the
// identity provider refused the offline_access scope: it ends with its
// access token.
func noteNoRefreshToken(w io.Writer, tok *oauth2.Token) {
	if tok.Expiry.IsZero() {
		fmt.Fprintln(w, "note: no refresh token came with the sign-in: sign in again when the server stops taking it")
		return
	}
	fmt.Fprintf(w, "note: no refresh token came with the sign-in: sign in again when it expires, at %s (in %s)\n",
		tok.Expiry.Local().Format("15:04 MST"), roughly(time.Until(tok.Expiry)))
}

// noteOverrides tells, after a login, about credentials in the
// environment that later commands would use in place of the sign-in.
func (x *invocation) noteOverrides() {
	for _, k := range []string{arthur.EnvAccessToken, arthur.EnvClientID} {
		if strings.TrimSpace(x.env.Getenv(k)) != "" {
			fmt.Fprintf(x.env.Stderr, "note: %s is set: commands use it rather than this sign-in until it is unset\n", k)
		}
	}
}

// roughly writes d for people: "10 minutes", "45 seconds".
func roughly(d time.Duration) string {
	if d >= 90*time.Second {
		return plural(int((d+30*time.Second)/time.Minute), "minute")
	}
	return plural(max(int((d+time.Second/2)/time.Second), 0), "second")
}

// logout deletes the saved sign-in.
func (x *invocation) logout() error {
	if x.g.demo {
		return x.writeStatus(struct {
			SignedOut bool `json:"signed_out"`
		}{false}, "Demo mode saves no sign-in: there is nothing to forget.")
	}
	dir, err := x.configDir()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, tokenFile)
	saved, _ := readLogin(path) // even an unreadable file is removed
	err = os.Remove(path)
	status := struct {
		SignedOut bool   `json:"signed_out"`
		Host      string `json:"host,omitempty"`
		Path      string `json:"path"`
	}{SignedOut: err == nil, Path: path}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return x.writeStatus(status, "Not signed in: there is no saved sign-in in %s.", path)
	case err != nil:
		return fmt.Errorf("forget the sign-in: %w", err)
	}
	if saved == nil {
		return x.writeStatus(status, "Signed out: removed %s.", path)
	}
	status.Host = saved.Host
	return x.writeStatus(status, "Signed out of %s: removed %s.", saved.Host, path)
}

// configDir is where the sign-in is saved: $ARTHUR_CONFIG_DIR, else the
// arthur directory of the user's config directory.
func (x *invocation) configDir() (string, error) {
	if d := strings.TrimSpace(x.env.Getenv(EnvConfigDir)); d != "" {
		return d, nil
	}
	base, err := x.env.UserConfigDir()
	if err != nil {
		return "", usageErrorf("cannot find your config directory (%v): set %s", err, EnvConfigDir)
	}
	return filepath.Join(base, "arthur"), nil
}

// loadLogin reads the saved sign-in; nil when there is none.
func (x *invocation) loadLogin() (*savedLogin, string, error) {
	dir, err := x.configDir()
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, tokenFile)
	l, err := readLogin(path)
	if err != nil {
		return nil, path, usageErrorf("the saved sign-in in %s is unreadable (%v): run \"%s login\" again, or \"%s logout\"", path, err, x.name(), x.name())
	}
	if l != nil && runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(x.env.Stderr, "warning: %s can be read by other users: run \"chmod 600 %s\"\n", path, path)
		}
	}
	return l, path, nil
}

func readLogin(path string) (*savedLogin, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l savedLogin
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, errors.New("not JSON")
	}
	if l.Host == "" || l.AccessToken == "" {
		return nil, errors.New("no host or no token in it")
	}
	return &l, nil
}

// saveLogin writes l to dir/token.json, readable by the user alone: a new
// file (mode 0600) in dir (made with mode 0700 if missing), renamed over
// the old one, so that a reader sees the old sign-in or the new one, never
// a part.
func saveLogin(dir string, l *savedLogin) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".token-*.json")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() { _ = os.Remove(tmp) }() // nothing to remove once renamed
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		_ = f.Close()
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, tokenFile))
}

// sameHost reports whether two hosts name the same API: scheme and host
// without regard to case, and the same path but for a trailing slash.
func sameHost(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host) &&
		strings.TrimRight(ua.Path, "/") == strings.TrimRight(ub.Path, "/")
}

// savedTokenSource is the saved sign-in's token source: the SDK's
// DeviceTokenSource, renewing the token with the refresh token, and saving
// each new token it gets.
type savedTokenSource struct {
	x   *invocation
	src oauth2.TokenSource
	dir string

	mu    sync.Mutex
	login savedLogin
}

func (x *invocation) savedTokenSource(ctx context.Context, cfg *arthur.Configuration, l *savedLogin, dir string) oauth2.TokenSource {
	return &savedTokenSource{
		x:     x,
		src:   arthur.DeviceTokenSource(ctx, cfg, l.ClientID, l.token()),
		dir:   dir,
		login: *l,
	}
}

func (s *savedTokenSource) Token() (*oauth2.Token, error) {
	tok, err := s.src.Token()
	if err != nil {
		if errors.Is(err, arthur.ErrUnauthorized) {
			return nil, fmt.Errorf("%w\n  the saved sign-in has ended: run \"%s login\" to sign in again", err, s.x.name())
		}
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok.AccessToken != s.login.AccessToken {
		s.login.setToken(tok)
		if err := saveLogin(s.dir, &s.login); err != nil {
			fmt.Fprintf(s.x.env.Stderr, "warning: could not save the renewed sign-in: %v\n", err)
		}
	}
	return tok, nil
}
