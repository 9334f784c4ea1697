package cli

import (
	"fmt"
	"net/url"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// invocation is one run of Main: its environment, its global flags and,
// once made, its API client.
type invocation struct {
	env     Env
	g       *globals
	client  *arthur.APIClient
	cleanup []func()
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
// ARTHUR_CLIENT_SECRET).
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
	cfg.UserAgent = Name + "/" + arthur.Version
	x.client = arthur.NewAPIClient(cfg)
	return x.client, nil
}

// configuration reads the flags and the environment, as
// arthur.ConfigurationFromEnv reads the environment, with the flags
// winning.
func (x *invocation) configuration() (*arthur.Configuration, error) {
	getenv := func(k string) string { return strings.TrimSpace(x.env.Getenv(k)) }
	cfg := arthur.NewConfiguration()

	host, from := strings.TrimSpace(x.g.host), "--host"
	if host == "" {
		host, from = getenv(arthur.EnvHost), arthur.EnvHost
	}
	if host == "" {
		return nil, usageErrorf("no API host: pass --host or set %s (or try --demo)", arthur.EnvHost)
	}
	if err := checkHost(host); err != nil {
		return nil, usageErrorf("%s: %v", from, err)
	}
	cfg.Host = host

	cfg.AccessToken = strings.TrimSpace(x.g.token)
	if cfg.AccessToken == "" {
		cfg.AccessToken = getenv(arthur.EnvAccessToken)
	}
	id, secret := getenv(arthur.EnvClientID), getenv(arthur.EnvClientSecret)
	if (id == "") != (secret == "") {
		return nil, usageErrorf("%s and %s must be set together", arthur.EnvClientID, arthur.EnvClientSecret)
	}
	if cfg.AccessToken == "" {
		if id == "" {
			return nil, usageErrorf("no credentials: pass --token or set %s, or set %s and %s for a service account",
				arthur.EnvAccessToken, arthur.EnvClientID, arthur.EnvClientSecret)
		}
		cfg.ClientID, cfg.ClientSecret = id, arthur.Secret(secret)
	}
	return cfg, nil
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
	if x.g.host != "" || x.g.token != "" {
		return nil, usageErrorf("--demo runs against an embedded server: leave out --host and --token")
	}
	srv, err := arthurtest.Start()
	if err != nil {
		return nil, fmt.Errorf("start the demo server: %w", err)
	}
	x.cleanup = append(x.cleanup, srv.Close)
	if err := arthurtest.SeedDemo(srv); err != nil {
		return nil, fmt.Errorf("seed the demo server: %w", err)
	}
	fmt.Fprintln(x.env.Stderr, "demo: an embedded fake Arthur seeded with sample users; changes end with the command")
	return srv.Configuration(), nil
}
