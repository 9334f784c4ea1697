package arthurtest

import (
	"crypto/subtle"
	"net/http"
	"net/url"

	arthur "github.com/arthur-sdk/arthur-go"
)

// discovery serves the OIDC discovery document. Its endpoints point at
// this server, by the host the client used to reach it.
func (s *Server) discovery(x *exchange) {
	base := baseOf(x.r, s.URL)
	issuer := base + realmPath
	writeJSON(x.w, http.StatusOK, map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                base + authPath,
		"token_endpoint":                        base + tokenPath,
		"device_authorization_endpoint":         base + devicePath,
		"jwks_uri":                              base + jwksPath,
		"grant_types_supported":                 []string{"client_credentials", arthur.DeviceCodeGrantType, "refresh_token"},
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

// jwks serves an empty key set: the fake's tokens are not JWTs.
func (s *Server) jwks(x *exchange) {
	writeJSON(x.w, http.StatusOK, map[string]any{"keys": []any{}})
}

// unsupportedFlow answers the authorization-code endpoint.
func (s *Server) unsupportedFlow(x *exchange) {
	writeOAuthError(x.w, http.StatusBadRequest, "unsupported_grant_type",
		"arthurtest serves the client_credentials, device_code and refresh_token grants, not the authorization-code flow")
}

// tokenJSON is an RFC 6749 access token response.
type tokenJSON struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	RefreshExpiresIn int64  `json:"refresh_expires_in,omitempty"`
	Scope            string `json:"scope,omitempty"`
}

// issueToken is the OAuth2 token endpoint: the client_credentials grant for
// the server's service accounts, with the client authenticated by HTTP
// Basic or by client_id and client_secret in the form; and, for the public
// client arthur.DefaultDeviceClientID, the device_code grant of the device
// flow and the refresh_token grant.
func (s *Server) issueToken(x *exchange) {
	w := x.w
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	form, ok := readForm(x)
	if !ok {
		return
	}
	grant := form.Get("grant_type")
	if grant == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing form parameter: grant_type")
		return
	}
	clientID, secret, basic := clientCredentials(x.r, form)
	switch {
	case grant == arthur.DeviceCodeGrantType:
		s.redeemDeviceCode(w, form, clientID)
		return
	case grant == "refresh_token" && clientID == arthur.DefaultDeviceClientID:
		s.refresh(w, form, clientID)
		return
	}
	refuse := func(description string) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="arthur"`)
		}
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", description)
	}
	if clientID == "" {
		refuse("Client authentication is required")
		return
	}

	s.mu.Lock()
	rec, ok := s.users[s.byClient[clientID]]
	valid := ok && secret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(rec.secret)) == 1
	var access string
	if valid && grant == "client_credentials" {
		access = s.issueExpiringLocked(rec.user.ID)
	}
	s.mu.Unlock()

	switch {
	case !valid:
		refuse("Invalid client or Invalid client credentials")
	case grant == "refresh_token":
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Token is not active")
	case grant != "client_credentials":
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type "+grant)
	default:
		writeJSON(w, http.StatusOK, tokenJSON{AccessToken: access, TokenType: "Bearer",
			ExpiresIn: int64(s.tokenTTL.Seconds())})
	}
}

// clientCredentials finds the client's ID and secret: in the Authorization
// header (HTTP Basic, each part form-encoded as RFC 6749 asks) or in the
// form. basic reports which.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, basic bool) {
	if user, pass, ok := r.BasicAuth(); ok {
		return formUnescape(user), formUnescape(pass), true
	}
	return form.Get("client_id"), form.Get("client_secret"), false
}

func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, oauthErrorJSON{Error: code, Description: description})
}
