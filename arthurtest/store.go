package arthurtest

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// record is a stored user. Its pointer fields are owned by the store: every
// user handed out is a copy.
type record struct {
	user   arthur.User
	seq    int64
	secret string // a service account's current client secret
}

// token is an issued bearer token.
type token struct {
	userID  string
	expires time.Time // zero: never
}

// clock is the server's time: the real time plus an offset, or a stopped
// time once SetNow has been called.
type clock struct {
	stopped bool
	at      time.Time
	offset  time.Duration
}

func (c *clock) now() time.Time {
	if c.stopped {
		return c.at
	}
	return time.Now().Add(c.offset)
}

func (c *clock) set(t time.Time) { c.stopped, c.at = true, t }

func (c *clock) advance(d time.Duration) {
	if c.stopped {
		c.at = c.at.Add(d)
		return
	}
	c.offset += d
}

// Now returns the server's current time: the real time, unless SetNow or
// Advance changed it. Timestamps and token expiry follow it.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock.now()
}

// SetNow stops the server's clock at t: every timestamp it writes is t
// until SetNow or Advance moves it. (A user's updated_at still moves
// forward on each change: by a microsecond when the clock has not.)
func (s *Server) SetNow(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock.set(t)
}

// Advance moves the server's clock by d, whether it is stopped or running:
// Advance(301 * time.Second) expires the tokens of the token endpoint.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock.advance(d)
}

// stamp is the clock's time as the API writes it: UTC, to the microsecond.
func (s *Server) stamp() time.Time { return s.clock.now().UTC().Truncate(time.Microsecond) }

// touch sets u's updated_at to now, or a microsecond past its last value
// when the clock has not moved, so that updated_at moves on every change.
func (s *Server) touch(u *arthur.User) {
	now := s.stamp()
	if !now.After(u.UpdatedAt) {
		now = u.UpdatedAt.Add(time.Microsecond)
	}
	u.UpdatedAt = now
}

// AddUser stores u, as a test's setup, and returns the stored user. It
// fills what u leaves empty: ID (a new version 4 UUID), CreatedAt (now),
// UpdatedAt (CreatedAt), UserType ("user"), a service account's ClientID, a
// data plane's DataPlaneID; it always sets the organization. It checks what
// the live API would refuse; on bad input (a FirstName that is empty, an
// ID that is not a version 4 UUID or is taken, an invalid or taken email,
// ...) it reports the error to the test that made the server with
// t.Errorf, changes nothing and returns a zero User. Servers made by Start
// have no test to report to: they should use TryAddUser.
//
// A service account added this way has a client secret nobody knows:
// AddServiceAccount returns one, and PostUserCreds issues a new one.
func (s *Server) AddUser(u arthur.User) arthur.User {
	if s.tb != nil {
		s.tb.Helper()
	}
	out, err := s.TryAddUser(u)
	if err != nil {
		s.report(err)
	}
	return out
}

// TryAddUser is AddUser that returns the error.
func (s *Server) TryAddUser(u arthur.User) (arthur.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, _, err := s.addUserLocked(u)
	if err != nil {
		return arthur.User{}, fmt.Errorf("arthurtest: AddUser: %w", err)
	}
	return cloneUser(rec.user), nil
}

// AddServiceAccount creates a service account named name, as
// PostOrganizationServiceAccount would, and returns it with its client ID
// and secret.
func (s *Server) AddServiceAccount(name string) (arthur.UserServiceAccountCredentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, secret, err := s.addUserLocked(arthur.User{FirstName: name, UserType: arthur.UserTypeServiceAccount})
	if err != nil {
		return arthur.UserServiceAccountCredentials{}, fmt.Errorf("arthurtest: AddServiceAccount: %w", err)
	}
	return serviceAccountCredentials(rec.user, secret), nil
}

func serviceAccountCredentials(u arthur.User, secret string) arthur.UserServiceAccountCredentials {
	u = cloneUser(u)
	return arthur.UserServiceAccountCredentials{
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, OrganizationID: u.OrganizationID, ID: u.ID,
		FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Picture: u.Picture,
		UserType: u.UserType, DataPlaneID: u.DataPlaneID, ClientID: u.ClientID,
		OrganizationName: u.OrganizationName,
		Credentials:      arthur.ServiceAccountCredentials{ClientID: *u.ClientID, ClientSecret: arthur.Secret(secret)},
	}
}

// addUserLocked checks u, fills its blanks and stores it. It returns the
// record and, for a service account, its client secret. s.mu is held.
func (s *Server) addUserLocked(in arthur.User) (*record, string, error) {
	u := cloneUser(in)
	if u.UserType == "" {
		u.UserType = arthur.UserTypeUser
	}
	if !u.UserType.IsValid() {
		return nil, "", fmt.Errorf("UserType %q is not one of user, data_plane, service_account", u.UserType)
	}
	if strings.TrimSpace(u.FirstName) == "" {
		return nil, "", errors.New("FirstName must not be empty")
	}
	if u.ID == "" {
		u.ID = newUUID()
	} else {
		id, ok := uuid4(u.ID)
		if !ok {
			return nil, "", fmt.Errorf("ID %q is not a version 4 UUID", u.ID)
		}
		u.ID = id
		if _, taken := s.users[u.ID]; taken {
			return nil, "", fmt.Errorf("ID %s is taken", u.ID)
		}
	}
	if u.Email != nil {
		email, reason := checkEmail(*u.Email)
		if reason != "" {
			return nil, "", fmt.Errorf("invalid Email %q: %s", *u.Email, reason)
		}
		if _, taken := s.byEmail[strings.ToLower(email)]; taken {
			return nil, "", fmt.Errorf("the Email %s is taken", email)
		}
		u.Email = &email
	}
	var secret string
	switch u.UserType {
	case arthur.UserTypeServiceAccount:
		if u.DataPlaneID != nil {
			return nil, "", errors.New("a service account has no DataPlaneID")
		}
		if u.ClientID == nil {
			u.ClientID = arthur.Ptr(newUUID())
		} else if strings.TrimSpace(*u.ClientID) == "" {
			return nil, "", errors.New("ClientID must not be empty")
		} else if _, taken := s.byClient[*u.ClientID]; taken {
			return nil, "", fmt.Errorf("ClientID %s is taken", *u.ClientID)
		}
		secret = newSecret()
	case arthur.UserTypeDataPlane:
		if u.ClientID != nil {
			return nil, "", errors.New("only a service account has a ClientID")
		}
		if u.DataPlaneID == nil {
			u.DataPlaneID = arthur.Ptr(newUUID())
		} else if id, ok := parseUUID(*u.DataPlaneID); !ok {
			return nil, "", fmt.Errorf("DataPlaneID %q is not a UUID", *u.DataPlaneID)
		} else {
			u.DataPlaneID = &id
		}
	default:
		if u.ClientID != nil || u.DataPlaneID != nil {
			return nil, "", errors.New("a person has neither a ClientID nor a DataPlaneID")
		}
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.stamp()
	}
	u.CreatedAt = u.CreatedAt.UTC().Truncate(time.Microsecond)
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	u.UpdatedAt = u.UpdatedAt.UTC().Truncate(time.Microsecond)
	u.OrganizationID, u.OrganizationName = s.org.ID, s.org.Name

	s.seq++
	rec := &record{user: u, seq: s.seq, secret: secret}
	s.users[u.ID] = rec
	if u.Email != nil {
		s.byEmail[strings.ToLower(*u.Email)] = u.ID
	}
	if u.UserType == arthur.UserTypeServiceAccount {
		s.byClient[*u.ClientID] = u.ID
	}
	return rec, secret, nil
}

// deleteLocked removes a user with its indexes and tokens. s.mu is held.
func (s *Server) deleteLocked(rec *record) {
	delete(s.users, rec.user.ID)
	if rec.user.Email != nil {
		delete(s.byEmail, strings.ToLower(*rec.user.Email))
	}
	if rec.user.ClientID != nil {
		delete(s.byClient, *rec.user.ClientID)
	}
	for t, tok := range s.tokens {
		if tok.userID == rec.user.ID {
			delete(s.tokens, t)
		}
	}
	for t, rt := range s.refreshTokens {
		if rt.userID == rec.user.ID {
			delete(s.refreshTokens, t)
		}
	}
}

// setEmailLocked changes a user's email and the index. s.mu is held.
func (s *Server) setEmailLocked(rec *record, email *string) {
	if rec.user.Email != nil {
		delete(s.byEmail, strings.ToLower(*rec.user.Email))
	}
	rec.user.Email = email
	if email != nil {
		s.byEmail[strings.ToLower(*email)] = rec.user.ID
	}
}

// Users returns every user the server holds, of every type, in the order
// they were created.
func (s *Server) Users() []arthur.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := make([]*record, 0, len(s.users))
	for _, r := range s.users {
		recs = append(recs, r)
	}
	slices.SortFunc(recs, func(a, b *record) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]arthur.User, len(recs))
	for i, r := range recs {
		out[i] = cloneUser(r.user)
	}
	return out
}

// User returns the user with id (in any case, with or without hyphens) and
// whether there is one.
func (s *Server) User(id string) (arthur.User, bool) {
	key, ok := parseUUID(id)
	if !ok {
		return arthur.User{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.users[key]
	if !ok {
		return arthur.User{}, false
	}
	return cloneUser(rec.user), true
}

// IssueToken returns a new bearer token that authenticates as the user
// with userID, of any type, until that user is deleted. It lets a test act
// as someone other than the admin: GetUsersMe, AcceptMyInvites.
func (s *Server) IssueToken(userID string) (string, error) {
	key, ok := parseUUID(userID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.users[key]; !ok || !exists {
		return "", fmt.Errorf("arthurtest: IssueToken: no user %q", userID)
	}
	t := newToken()
	s.tokens[t] = token{userID: key}
	return t, nil
}

// issueExpiringLocked mints a token from the token endpoint. s.mu is held.
func (s *Server) issueExpiringLocked(userID string) string {
	t := newToken()
	s.tokens[t] = token{userID: userID, expires: s.clock.now().Add(s.tokenTTL)}
	return t
}

// callerLocked returns the user a bearer token authenticates, if the token
// is known, unexpired and its user exists. s.mu is held.
func (s *Server) callerLocked(bearer string) (*record, bool) {
	tok, ok := s.tokens[bearer]
	if !ok {
		return nil, false
	}
	if !tok.expires.IsZero() && !s.clock.now().Before(tok.expires) {
		delete(s.tokens, bearer)
		return nil, false
	}
	rec, ok := s.users[tok.userID]
	return rec, ok
}

// cloneUser copies u with its pointer fields, so that the copy shares no
// memory with the store.
func cloneUser(u arthur.User) arthur.User {
	v := reflect.ValueOf(&u).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			c := reflect.New(f.Type().Elem())
			c.Elem().Set(f.Elem())
			f.Set(c)
		}
	}
	return u
}
