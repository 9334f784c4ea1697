package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
)

// toServer sends every request to the test server, whatever host it
// names: a client configured for a plain-http host on the network reaches
// the fake on loopback, and nothing leaves the machine.
type toServer struct {
	target *url.URL
	next   http.RoundTripper
}

func (tr toServer) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host = tr.target.Scheme, tr.target.Host
	return tr.next.RoundTrip(req)
}

// TestPlainHTTPToANetworkHostNeedsOptIn: credentials of any kind go over
// plain http:// to a host that is not loopback only with
// ARTHUR_ALLOW_INSECURE_HTTP=true; without it the refusal is a
// configuration error (exit 2) that names the variable, and nothing is
// sent.
func TestPlainHTTPToANetworkHostNeedsOptIn(t *testing.T) {
	srv := newServer(t)
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	sa, err := srv.AddServiceAccount("ci-export")
	require.NoError(t, err)
	runWith := func(vars map[string]string, allow string) result {
		var stdout, stderr bytes.Buffer
		env := invocation{srv: srv}.cliEnv(t, &stdout, &stderr)
		vars[arthur.EnvHost] = "http://arthur.internal:8080"
		vars[arthur.EnvAllowInsecureHTTP] = allow
		env.Getenv = func(k string) string { return vars[k] }
		env.HTTPClient = &http.Client{Transport: toServer{target: target, next: env.HTTPClient.Transport}}
		code := arthurcli.Main(context.Background(), []string{"me"}, env)
		return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}
	for _, tc := range []struct {
		name   string
		vars   func() map[string]string
		secret string
	}{
		{"token", func() map[string]string { return map[string]string{arthur.EnvAccessToken: srv.Token} }, srv.Token},
		{"service account", func() map[string]string {
			return map[string]string{arthur.EnvClientID: sa.Credentials.ClientID, arthur.EnvClientSecret: sa.Credentials.ClientSecret.Reveal()}
		}, sa.Credentials.ClientSecret.Reveal()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			r := runWith(tc.vars(), "")
			assert.Equal(t, arthurcli.ExitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, "arthur-users me: refusing to send credentials over plain http:// to arthur.internal:8080, "+
				"which is not loopback: use https://, or set ARTHUR_ALLOW_INSECURE_HTTP=true on a network you trust")
			assert.NotContains(t, r.stdout+r.stderr, tc.secret)
			assert.Empty(t, srv.Requests(), "nothing is sent")

			r = runWith(tc.vars(), "true")
			assert.Equal(t, arthurcli.ExitOK, r.code, r.stderr)
			assert.NotEmpty(t, srv.Requests())
		})
	}

	r := runWith(map[string]string{arthur.EnvAccessToken: srv.Token}, "perhaps")
	assert.Equal(t, arthurcli.ExitUsage, r.code)
	assert.True(t, strings.Contains(r.stderr, arthur.EnvAllowInsecureHTTP), r.stderr)
}

// TestLoginOverPlainHTTPToANetworkHostNeedsOptIn: login reads
// ARTHUR_ALLOW_INSECURE_HTTP as the other commands do, and without it
// refuses a plain http:// host that is not loopback before anything is
// sent, as a configuration error that names the variable.
func TestLoginOverPlainHTTPToANetworkHostNeedsOptIn(t *testing.T) {
	srv := newServer(t)
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	for _, allow := range []string{"", "false", "perhaps"} {
		t.Run("allow="+allow, func(t *testing.T) {
			srv.ResetRequests()
			var stdout, stderr bytes.Buffer
			env := invocation{srv: srv}.cliEnv(t, &stdout, &stderr)
			vars := map[string]string{arthur.EnvHost: "http://arthur.internal:8080", arthur.EnvAllowInsecureHTTP: allow,
				arthurcli.EnvConfigDir: t.TempDir()}
			env.Getenv = func(k string) string { return vars[k] }
			env.HTTPClient = &http.Client{Transport: toServer{target: target, next: env.HTTPClient.Transport}}
			code := arthurcli.Main(context.Background(), []string{"login"}, env)
			assert.Equal(t, arthurcli.ExitUsage, code, stderr.String())
			assert.Contains(t, stderr.String(), arthur.EnvAllowInsecureHTTP)
			if allow != "perhaps" {
				assert.Contains(t, stderr.String(), "refusing to send credentials over plain http:// to arthur.internal:8080")
			}
			assert.Empty(t, srv.Requests(), "nothing is sent")
		})
	}
}
