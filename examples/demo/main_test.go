package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// operations are the SDK methods the tour must name as it calls them.
var operations = []string{
	"AcceptMyInvites",
	"DeleteUser",
	"GetOrganizationUsers",
	"GetOrganizationUsersIter",
	"GetUsersMe",
	"PatchServiceAccountUser",
	"PatchUser",
	"PostOrganizationServiceAccount",
	"PostOrganizationUser",
	"PostOrganizationUserInvite",
	"PostUserCreds",
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	for _, op := range operations {
		assert.Regexp(t, regexp.MustCompile(`→ `+op+`\b`), out.String(), "the tour names %s", op)
	}
}

// TestTourShowsNoSecret runs the tour with a transport that records every
// credential that crosses the wire: passwords and client secrets in
// request and response bodies, tokens in headers and token responses.
func TestTourShowsNoSecret(t *testing.T) {
	rec := &recorder{next: http.DefaultTransport}
	var out bytes.Buffer
	require.NoError(t, tour(t.Context(), &out, &http.Client{Transport: rec}))
	text := out.String()

	for _, op := range operations {
		assert.Regexp(t, regexp.MustCompile(`→ `+op+`\b`), text, "the tour names %s", op)
	}
	secrets := rec.all()
	// 8 initial passwords, 2 client secrets, 1 one-time password, tokens.
	require.GreaterOrEqual(t, len(secrets), 12, "the recorder saw the credentials")
	for _, s := range secrets {
		assert.NotContains(t, text, s, "the tour prints no credential in full")
	}
	assert.Contains(t, text, "[REDACTED]")
	assert.Contains(t, text, "*arthur.ConflictError")
	assert.Contains(t, text, "*arthur.HTTPValidationError")
}

// recorder is an http.RoundTripper that keeps every credential it sees.
type recorder struct {
	next http.RoundTripper

	mu      sync.Mutex
	secrets map[string]bool
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if h := req.Header.Get("Authorization"); h != "" {
		scheme, cred, _ := strings.Cut(h, " ")
		r.add(cred)
		if strings.EqualFold(scheme, "Basic") {
			if b, err := base64.StdEncoding.DecodeString(cred); err == nil {
				_, secret, _ := strings.Cut(string(b), ":")
				r.add(secret)
			}
		}
	}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		r.scan(body)
		if form, err := url.ParseQuery(string(body)); err == nil {
			r.add(form.Get("client_secret"))
		}
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.scan(body)
	return resp, nil
}

// scan adds the values of every credential key of a JSON document.
func (r *recorder) scan(body []byte) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, item := range v {
				switch k {
				case "password", "client_secret", "access_token":
					if s, ok := item.(string); ok {
						r.add(s)
					}
				}
				walk(item)
			}
		case []any:
			for _, item := range v {
				walk(item)
			}
		}
	}
	walk(v)
}

func (r *recorder) add(s string) {
	if len(s) < 8 { // client IDs and short values are not secrets worth checking
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.secrets == nil {
		r.secrets = map[string]bool{}
	}
	r.secrets[s] = true
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.secrets))
	for s := range r.secrets {
		out = append(out, s)
	}
	return out
}
