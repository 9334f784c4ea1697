package fake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// Emails are checked as pydantic's EmailStr (email_validator) checks them,
// with its reasons.
func TestEmailValidation(t *testing.T) {
	srv := arthurtest.NewServer(t)
	cases := map[string]string{
		"nope":                             "An email address must have an @-sign.",
		"@example.com":                     "There must be something before the @-sign.",
		"ada@":                             "There must be something after the @-sign.",
		"a b@example.com":                  "The email address contains invalid characters before the @-sign: SPACE.",
		"a>b<c>@example.com":               "The email address contains invalid characters before the @-sign: '<', '>'.",
		"a@b@example.com":                  "The email address contains invalid characters before the @-sign: '@'.",
		"tab\t@example.com":                "The email address contains invalid characters before the @-sign: U+0009.",
		".ada@example.com":                 "An email address cannot start with a period.",
		"ada.@example.com":                 "An email address cannot have a period immediately before the @-sign.",
		"a..da@example.com":                "An email address cannot have two periods in a row.",
		"ada@exa mple.com":                 "The part after the @-sign contains invalid characters: SPACE.",
		"ada@exa_mple.com":                 "The part after the @-sign contains invalid characters: '_'.",
		"ada@.example.com":                 "An email address cannot have a period immediately after the @-sign.",
		"ada@example.com.":                 "An email address cannot end with a period.",
		"ada@example..com":                 "An email address cannot have two periods in a row.",
		"ada@localhost":                    "The part after the @-sign is not valid. It should have a period.",
		"ada@-example.com":                 "The part after the @-sign is not valid. A label cannot start or end with a hyphen.",
		"ada@example.123":                  "The part after the @-sign is not valid. It is not within a valid top-level domain.",
		"ada@host.test":                    "The part after the @-sign is a special-use or reserved name that cannot be used with email.",
		"ada@my.localhost":                 "The part after the @-sign is a special-use or reserved name that cannot be used with email.",
		strings.Repeat("a", 250) + "@x.io": "The email address is too long (1 characters too many).",
	}
	for email, reason := range cases {
		t.Run(email[:min(len(email), 30)], func(t *testing.T) {
			before := snapshot(srv)
			body, _ := json.Marshal(map[string]string{"first_name": "A", "email": email, "password": "p"})
			r := api(t, srv, http.MethodPost, "/api/v1/organization/users", string(body))
			assert.Equal(t, []valErr{{Type: "value_error", Loc: loc("body", "email"),
				Msg: "value is not a valid email address: " + reason, Input: email, Ctx: map[string]any{"reason": reason}}},
				validationErrors(t, r))
			unchanged(t, srv, before)
		})
	}

	for _, email := range []string{"zoë@exämple.com", "o'brien+tag@sub.example.co.uk", "x@a-b.io"} {
		t.Run("valid "+email, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"first_name": "A", "email": email, "password": "p"})
			r := api(t, srv, http.MethodPost, "/api/v1/organization/users", string(body))
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		})
	}
}

func TestTooLargeABody(t *testing.T) {
	srv := arthurtest.NewServer(t)
	before := snapshot(srv)
	r := api(t, srv, http.MethodPost, "/api/v1/organization/service_accounts", `{"name":"`+strings.Repeat("x", 10<<20)+`"}`)
	assert.Equal(t, "Request Entity Too Large", detail(t, r, http.StatusRequestEntityTooLarge))
	unchanged(t, srv, before)
}

func TestListeningOnEveryInterfaceIsReachedThroughLoopback(t *testing.T) {
	srv := arthurtest.NewServer(t, arthurtest.WithAddr("0.0.0.0:0"))
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	r := api(t, srv, http.MethodGet, "/api/v1/users/me", "")
	assert.Equal(t, http.StatusOK, r.Status)
}
