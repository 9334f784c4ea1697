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

func TestPlainHTTPToANetworkHostNeedsOptIn(t *testing.T) {
	srv := newServer(t)
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	runWith := func(allow string) result {
		var stdout, stderr bytes.Buffer
		env := invocation{srv: srv}.cliEnv(t, &stdout, &stderr)
		vars := map[string]string{arthur.EnvHost: "http://arthur.internal:8080", arthur.EnvAccessToken: srv.Token,
			arthur.EnvAllowInsecureHTTP: allow}
		env.Getenv = func(k string) string { return vars[k] }
		env.HTTPClient = &http.Client{Transport: toServer{target: target, next: env.HTTPClient.Transport}}
		code := arthurcli.Main(context.Background(), []string{"me"}, env)
		return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}

	srv.ResetRequests()
	r := runWith("")
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stderr, "plain http://")
	assert.NotContains(t, r.stdout+r.stderr, srv.Token)
	assert.Empty(t, srv.Requests(), "the token is not sent")

	r = runWith("true")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, srv.Requests(), 1)

	r = runWith("perhaps")
	assert.Equal(t, 2, r.code)
	assert.True(t, strings.Contains(r.stderr, arthur.EnvAllowInsecureHTTP), r.stderr)
}
