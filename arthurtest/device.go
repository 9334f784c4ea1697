package arthurtest

import (
	"crypto/rand"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// Lifetimes of the device flow's codes and of refresh tokens, on the
// Server's clock, and the default wait between polls.
const (
	// DefaultDeviceInterval is the interval the device authorization
	// endpoint names, unless WithDeviceInterval says otherwise.
	DefaultDeviceInterval = time.Second
	// DeviceCodeTTL is how long a device code and its user code can be
	// approved and redeemed: Advance(DeviceCodeTTL) expires them.
	DeviceCodeTTL = 600 * time.Second
	// RefreshTokenTTL is the lifetime of a refresh token, from the device
	// flow or from a refresh.
	RefreshTokenTTL = 1800 * time.Second
)

// WithDeviceInterval sets the interval, rounded up to a whole second, that
// the device authorization endpoint tells clients to wait between polls; a
// poll sooner than that after the previous one (or after the code was
// issued) is answered slow_down. The default is DefaultDeviceInterval.
func WithDeviceInterval(d time.Duration) Option { return func(o *options) { o.deviceInterval = d } }

// WithDeviceAutoApprove makes the server approve every device login as the
// seeded admin the moment it starts, as if the admin had typed the code at
// once: the first poll that waits the interval gets the tokens. For demos,
// and for tests of a client's happy path.
func WithDeviceAutoApprove() Option { return func(o *options) { o.deviceAutoApprove = true } }

// DeviceAuthorizationURL is the server's OAuth2 device authorization
// endpoint (RFC 8628), for the client ID arthur.DefaultDeviceClientID. The
// OIDC discovery document names it too.
func (s *Server) DeviceAuthorizationURL() string { return s.URL + devicePath }

// deviceLogin is a device code, from its issue until it is redeemed.
type deviceLogin struct {
	code     string
	userCode string
	clientID string
	scope    string    // granted, as the token answers say it
	expires  time.Time // on the server's clock
	lastPoll time.Time // real time of the issue or of the last poll
	userID   string    // who approved it; empty while pending
	denied   bool
}

// refreshToken is an issued refresh token.
type refreshToken struct {
	userID   string
	clientID string
	scope    string
	expires  time.Time // on the server's clock
}

// userCodeAlphabet has no vowels, so that no code spells a word, and no
// letters that read like digits (RFC 8628 section 6.1).
const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

// newUserCode returns a user code such as "WDJB-MJHT". s.mu is held.
func (s *Server) newUserCodeLocked() string {
	for {
		var b [8]byte
		_, _ = rand.Read(b[:])
		code := make([]byte, 0, 9)
		for i, c := range b {
			if i == 4 {
				code = append(code, '-')
			}
			code = append(code, userCodeAlphabet[int(c)%len(userCodeAlphabet)])
		}
		if _, taken := s.userCodes[normalUserCode(string(code))]; !taken {
			return string(code)
		}
	}
}

// normalUserCode is a user code as people may type it, made canonical:
// upper case, without dashes or spaces.
func normalUserCode(c string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(c)))
}

// deviceAuthorization is the device authorization endpoint: it gives the
// public client a device code and a user code.
func (s *Server) deviceAuthorization(x *exchange) {
	w := x.w
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	form, ok := readForm(x)
	if !ok {
		return
	}
	clientID, _, _ := clientCredentials(x.r, form)
	s.mu.Lock()
	status, code, desc := s.checkPublicClientLocked(clientID)
	if status != 0 {
		s.mu.Unlock()
		writeOAuthError(w, status, code, desc)
		return
	}
	scope, unknown := grantedScope(form.Get("scope"))
	if unknown != "" {
		s.mu.Unlock()
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "Invalid scopes: "+unknown)
		return
	}
	now := s.clock.now()
	for _, old := range s.devices {
		if !now.Before(old.expires.Add(DeviceCodeTTL)) {
			s.forgetDeviceLocked(old) // long expired: nobody polls it any more
		}
	}
	d := &deviceLogin{
		code: newToken(), userCode: s.newUserCodeLocked(), clientID: clientID, scope: scope,
		expires: now.Add(DeviceCodeTTL), lastPoll: time.Now(),
	}
	if s.deviceAutoApprove {
		d.userID = s.adminID
	}
	s.devices[d.code] = d
	s.userCodes[normalUserCode(d.userCode)] = d
	interval := s.deviceInterval
	s.mu.Unlock()

	verify := baseOf(x.r, s.URL) + realmPath + "/device"
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":               d.code,
		"user_code":                 d.userCode,
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?user_code=" + url.QueryEscape(d.userCode),
		"expires_in":                int64(DeviceCodeTTL / time.Second),
		"interval":                  int64(interval / time.Second),
	})
}

// defaultScope is what every person's token grants, asked for or not.
const defaultScope = "openid profile email"

// grantedScope is the scope a device login that asked for requested gets:
// defaultScope, with offline_access when it was asked for. unknown names
// the first scope the fake does not know, which it refuses as Keycloak
// does.
func grantedScope(requested string) (scope, unknown string) {
	scope = defaultScope
	for _, sc := range strings.Fields(requested) {
		switch sc {
		case "openid", "profile", "email":
		case "offline_access":
			if !strings.HasSuffix(scope, " offline_access") {
				scope += " offline_access"
			}
		default:
			return "", sc
		}
	}
	return scope, ""
}

// checkPublicClientLocked checks that clientID may use the device flow:
// arthur.DefaultDeviceClientID may; a service account's client, which is
// confidential, may not; any other is unknown. It returns 0 or the refusal.
// s.mu is held.
func (s *Server) checkPublicClientLocked(clientID string) (status int, code, desc string) {
	switch {
	case clientID == arthur.DefaultDeviceClientID:
		return 0, "", ""
	case clientID == "":
		return http.StatusUnauthorized, "invalid_client", "Client authentication is required"
	}
	if _, ok := s.byClient[clientID]; ok {
		return http.StatusBadRequest, "unauthorized_client",
			"Client is not allowed to initiate OAuth 2.0 Device Authorization Grant. The flow is disabled for the client."
	}
	return http.StatusUnauthorized, "invalid_client", "Invalid client or Invalid client credentials"
}

// redeemDeviceCode answers the device_code grant at the token endpoint.
func (s *Server) redeemDeviceCode(w http.ResponseWriter, form url.Values, clientID string) {
	s.mu.Lock()
	if status, code, desc := s.checkPublicClientLocked(clientID); status != 0 {
		s.mu.Unlock()
		writeOAuthError(w, status, code, desc)
		return
	}
	d, ok := s.devices[form.Get("device_code")]
	var refusal, desc string
	var tok tokenJSON
	switch {
	case form.Get("device_code") == "":
		refusal, desc = "invalid_request", "Missing parameter: device_code"
	case !ok || d.clientID != clientID:
		refusal, desc = "invalid_grant", "Device code not valid"
	case !s.clock.now().Before(d.expires):
		refusal, desc = "expired_token", "Device code is expired"
	case time.Since(d.lastPoll) < s.deviceInterval:
		d.lastPoll = time.Now()
		refusal, desc = "slow_down", "Slow down"
	case d.denied:
		refusal, desc = "access_denied", "The end user denied the authorization request"
		s.forgetDeviceLocked(d)
	case d.userID == "":
		d.lastPoll = time.Now()
		refusal, desc = "authorization_pending", "The authorization request is still pending"
	default:
		s.forgetDeviceLocked(d)
		if _, exists := s.users[d.userID]; !exists {
			refusal, desc = "invalid_grant", "User not found"
			break
		}
		tok = s.issuePersonTokensLocked(d.userID, clientID, d.scope)
	}
	s.mu.Unlock()
	if refusal != "" {
		writeOAuthError(w, http.StatusBadRequest, refusal, desc)
		return
	}
	writeJSON(w, http.StatusOK, tok)
}

// refresh answers the refresh_token grant: new tokens for the refresh
// token's user. The refresh token used stays valid until it expires.
func (s *Server) refresh(w http.ResponseWriter, form url.Values, clientID string) {
	s.mu.Lock()
	if status, code, desc := s.checkPublicClientLocked(clientID); status != 0 {
		s.mu.Unlock()
		writeOAuthError(w, status, code, desc)
		return
	}
	rt, ok := s.refreshTokens[form.Get("refresh_token")]
	var refusal, desc string
	var tok tokenJSON
	switch {
	case form.Get("refresh_token") == "":
		refusal, desc = "invalid_request", "Missing parameter: refresh_token"
	case !ok || !s.clock.now().Before(rt.expires):
		refusal, desc = "invalid_grant", "Token is not active"
	case rt.clientID != clientID:
		refusal, desc = "invalid_grant", "Invalid refresh token. Token client and authorized client don't match"
	default:
		if _, exists := s.users[rt.userID]; !exists {
			refusal, desc = "invalid_grant", "User not found"
			break
		}
		tok = s.issuePersonTokensLocked(rt.userID, clientID, rt.scope)
	}
	s.mu.Unlock()
	if refusal != "" {
		writeOAuthError(w, http.StatusBadRequest, refusal, desc)
		return
	}
	writeJSON(w, http.StatusOK, tok)
}

// issuePersonTokensLocked mints an access token and a refresh token for a
// person signed in with clientID, granting scope. s.mu is held.
func (s *Server) issuePersonTokensLocked(userID, clientID, scope string) tokenJSON {
	refresh := newToken()
	s.refreshTokens[refresh] = refreshToken{userID: userID, clientID: clientID, scope: scope, expires: s.clock.now().Add(RefreshTokenTTL)}
	return tokenJSON{
		AccessToken: s.issueExpiringLocked(userID), TokenType: "Bearer", ExpiresIn: int64(s.tokenTTL / time.Second),
		RefreshToken: refresh, RefreshExpiresIn: int64(RefreshTokenTTL / time.Second), Scope: scope,
	}
}

func (s *Server) forgetDeviceLocked(d *deviceLogin) {
	delete(s.devices, d.code)
	delete(s.userCodes, normalUserCode(d.userCode))
}

// ApproveDevice approves the pending device login with userCode (as shown
// to the person; case, dashes and spaces do not matter) as the person with
// userID, as if they had signed in at the verification page and typed the
// code: the client's next poll gets an access token and a refresh token
// for them. It fails for an unknown, expired, already approved or denied
// code, and for a userID that is not a person (user type "user") the
// server holds.
func (s *Server) ApproveDevice(userCode, userID string) error {
	id, okID := parseUUID(userID)
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.pendingDeviceLocked(userCode)
	if err != nil {
		return fmt.Errorf("arthurtest: ApproveDevice: %w", err)
	}
	rec, exists := s.users[id]
	switch {
	case !okID || !exists:
		return fmt.Errorf("arthurtest: ApproveDevice: no user %q", userID)
	case rec.user.UserType != arthur.UserTypeUser:
		return fmt.Errorf("arthurtest: ApproveDevice: user %s is a %s: only people sign in with the device flow", id, rec.user.UserType)
	}
	d.userID = id
	return nil
}

// DenyDevice refuses the pending device login with userCode, as a person
// who clicked "deny" at the verification page would: the client's next
// poll gets access_denied. It fails for an unknown, expired, already
// approved or denied code.
func (s *Server) DenyDevice(userCode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.pendingDeviceLocked(userCode)
	if err != nil {
		return fmt.Errorf("arthurtest: DenyDevice: %w", err)
	}
	d.denied = true
	return nil
}

// pendingDeviceLocked finds the device login waiting for a decision on
// userCode. s.mu is held.
func (s *Server) pendingDeviceLocked(userCode string) (*deviceLogin, error) {
	d, ok := s.userCodes[normalUserCode(userCode)]
	switch {
	case !ok:
		return nil, fmt.Errorf("no device login with user code %q", userCode)
	case !s.clock.now().Before(d.expires):
		return nil, fmt.Errorf("the user code %q has expired", userCode)
	case d.denied:
		return nil, fmt.Errorf("the device login with user code %q was denied", userCode)
	case d.userID != "":
		return nil, fmt.Errorf("the device login with user code %q is already approved", userCode)
	}
	return d, nil
}

// readForm reads an application/x-www-form-urlencoded body, or answers
// invalid_request.
func readForm(x *exchange) (url.Values, bool) {
	if mt, _, err := mime.ParseMediaType(x.r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		writeOAuthError(x.w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return nil, false
	}
	form, err := url.ParseQuery(string(x.body))
	if err != nil {
		writeOAuthError(x.w, http.StatusBadRequest, "invalid_request", "the body is not a valid form")
		return nil, false
	}
	return form, true
}

// baseOf is the server's base URL by the host the client used to reach it.
func baseOf(r *http.Request, fallback string) string {
	if r.Host != "" {
		return "http://" + r.Host
	}
	return fallback
}
