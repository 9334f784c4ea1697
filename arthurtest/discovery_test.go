package arthurtest_test

import (
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// The OIDC discovery document is the spec's get_openid_configuration: its
// operation ID replaces it and names it among the requests.
func TestDiscoveryIsTheSpecOperation(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	if _, err := client.OAuthV1API.GetOpenIDConfiguration(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Handle(arthurtest.OpGetOpenIDConfiguration, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"issuer":"https://idp.example.com"}`)
	})); err != nil {
		t.Fatal(err)
	}
	cfg, err := client.OAuthV1API.GetOpenIDConfiguration(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := string(cfg["issuer"]); got != `"https://idp.example.com"` {
		t.Errorf("issuer %s, not the handler's", got)
	}
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
	}
	if want := []string{arthurtest.OpGetOpenIDConfiguration, arthurtest.OpGetOpenIDConfiguration}; !slices.Equal(ops, want) {
		t.Errorf("requests %q, want %q", ops, want)
	}
}
