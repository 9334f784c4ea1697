package cli

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// invocation is one run of Main: its environment, its global flags and,
// once made, its API client.
type invocation struct {
	ctx     context.Context // the command's, for the renewals of a saved sign-in
	env     Env
	g       *globals
	client  *arthur.APIClient
	demo    *arthurtest.Server
	cleanup []func()

	saved    *savedLogin // the saved sign-in the client uses, if it does
	savedDir string      // where it is saved
}

func (x *invocation) close() {
	for i := len(x.cleanup) - 1; i >= 0; i-- {
		x.cleanup[i]()
	}
	x.cleanup = nil
}

// api returns the client for this run: one for the embedded fake with
// --demo, else one for --host (or ARTHUR_HOST) with --token (or
// ARTHUR_ACCESS_TOKEN, or a service account's ARTHUR_CLIENT_ID and
// ARTHUR_CLIENT_SECRET, or the sign-in saved by login).
func (x *invocation) api() (*arthur.APIClient, error) {
	if x.client != nil {
		return x.client, nil
	}
	var cfg *arthur.Configuration
	var err error
	if x.g.demo {
		cfg, err = x.demoConfiguration()
	} else {
		cfg, err = x.configuration()
	}
	if err != nil {
		return nil, err
	}
	if x.env.HTTPClient != nil {
		cfg.HTTPClient = x.env.HTTPClient
	}
	cfg.UserAgent = x.name() + "/" + arthur.Version
	if x.saved != nil {
		cfg.TokenSource = x.savedTokenSource(x.ctx, cfg, x.saved, x.savedDir)
	}
	x.client = arthur.NewAPIClient(cfg)
	return x.client, nil
}

// configuration reads the flags and the environment, as
// arthur.ConfigurationFromEnv reads the environment, with the flags
// winning; with no token and no client credentials, it falls back on the
// sign-in saved by login, for the host it was made for.
func (x *invocation) configuration() (*arthur.Configuration, error) {
	getenv := func(k string) string { return strings.TrimSpace(x.env.Getenv(k)) }
	cfg := arthur.NewConfiguration()

	token := strings.TrimSpace(x.g.token)
	if token == "" {
		token = getenv(arthur.EnvAccessToken)
	}
	id, secret := getenv(arthur.EnvClientID), getenv(arthur.EnvClientSecret)
	if (id == "") != (secret == "") {
		return nil, usageErrorf("%s and %s must be set together", arthur.EnvClientID, arthur.EnvClientSecret)
	}
	var saved *savedLogin
	var path string
	if token == "" && id == "" {
		var err error
		if saved, path, err = x.loadLogin(); err != nil {
			return nil, err
		}
	}
	host, err := x.host(saved)
	if err != nil {
		return nil, err
	}
	cfg.Host = host
	if cfg.AllowInsecureHTTP, err = x.allowInsecureHTTP(host); err != nil {
		return nil, err
	}

	switch {
	case token != "":
		cfg.AccessToken = token
	case id != "":
		cfg.ClientID, cfg.ClientSecret = id, arthur.Secret(secret)
	case saved != nil && sameHost(host, saved.Host):
		x.saved, x.savedDir = saved, filepath.Dir(path)
	case saved != nil:
		return nil, usageErrorf("no credentials for %s: the saved sign-in is for %s; run \"%s login\" to sign in to this host, "+
			"or pass --token or set %s", host, saved.Host, x.name(), arthur.EnvAccessToken)
	default:
		return nil, usageErrorf("no credentials: pass --token or set %s, set %s and %s for a service account, or sign in with \"%s login\"",
			arthur.EnvAccessToken, arthur.EnvClientID, arthur.EnvClientSecret, x.name())
	}
	return cfg, nil
}

// allowInsecureHTTP reads ARTHUR_ALLOW_INSECURE_HTTP and refuses a plain
// http:// host that is not loopback unless it is set. The SDK refuses too,
// but in its own terms (Configuration fields).
func (x *invocation) allowInsecureHTTP(host string) (bool, error) {
	allow, err := arthur.ParseAllowInsecureHTTP(x.env.Getenv(arthur.EnvAllowInsecureHTTP))
	if err != nil {
		return false, usageErrorf("%v", err)
	}
	if u, ok := plainHTTPToNetwork(host); ok && !allow {
		return false, usageErrorf("refusing to send credentials over plain http:// to %s, which is not loopback: "+
			"use https://, or set %s=true on a network you trust", u.Host, arthur.EnvAllowInsecureHTTP)
	}
	return allow, nil
}

// host is --host, else ARTHUR_HOST, else the host of saved (when not nil),
// checked.
func (x *invocation) host(saved *savedLogin) (string, error) {
	host, from := strings.TrimSpace(x.g.host), "--host"
	if host == "" {
		host, from = strings.TrimSpace(x.env.Getenv(arthur.EnvHost)), arthur.EnvHost
	}
	if host == "" && saved != nil {
		host, from = saved.Host, "the saved sign-in"
	}
	if host == "" {
		return "", usageErrorf("no API host: pass --host or set %s (or try --demo)", arthur.EnvHost)
	}
	if err := checkHost(host); err != nil {
		return "", usageErrorf("%s: %v", from, err)
	}
	return host, nil
}

// plainHTTPToNetwork reports whether host is a plain http:// URL whose host
// is not loopback (localhost, 127.0.0.0/8, ::1): where the SDK sends no
// credentials unless AllowInsecureHTTP is set.
func plainHTTPToNetwork(host string) (*url.URL, bool) {
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "http" {
		return nil, false
	}
	name := strings.ToLower(u.Hostname())
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return nil, false
	}
	if ip, err := netip.ParseAddr(name); err == nil && ip.IsLoopback() {
		return nil, false
	}
	return u, true
}

// checkHost accepts an absolute http or https URL. Its messages leave the
// value out: a mistyped host may hold a password.
func checkHost(host string) error {
	u, err := url.Parse(host)
	switch {
	case err != nil:
		return fmt.Errorf("not a valid URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("must start with http:// or https://")
	case u.Host == "":
		return fmt.Errorf("has no host name")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("must not carry user info, a query or a fragment")
	}
	return nil
}

// demoConfiguration starts the embedded fake, seeded with sample users,
// and returns a Configuration for its admin. The fake stops when Main
// returns.
func (x *invocation) demoConfiguration() (*arthur.Configuration, error) {
	srv, err := x.demoServer()
	if err != nil {
		return nil, err
	}
	return srv.Configuration(), nil
}

// demoServer starts the embedded fake, seeded with sample users and
// approving every device login as its admin, once per run.
func (x *invocation) demoServer() (*arthurtest.Server, error) {
	if x.demo != nil {
		return x.demo, nil
	}
	if x.g.host != "" || x.g.token != "" {
		return nil, usageErrorf("--demo runs against an embedded server: leave out --host and --token")
	}
	srv, err := arthurtest.Start(arthurtest.WithDeviceAutoApprove())
	if err != nil {
		return nil, fmt.Errorf("start the demo server: %w", err)
	}
	x.cleanup = append(x.cleanup, srv.Close)
	if err := arthurtest.SeedDemo(srv); err != nil {
		return nil, fmt.Errorf("seed the demo server: %w", err)
	}
	fmt.Fprintln(x.env.Stderr, "demo: an embedded fake Arthur seeded with sample users; changes end with the command")
	x.demo = srv
	return srv, nil
}
