package arthur

import (
	"log/slog"
	"time"
)

// SensitiveUser is a User with freshly issued credentials, as returned by
// PostUserCreds. The credentials are shown once: the API never returns them
// again.
type SensitiveUser struct {
	// CreatedAt is the time of record creation.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is the time of the last record update.
	UpdatedAt time.Time `json:"updated_at"`
	// OrganizationID is the ID of the Arthur organization the user belongs to.
	OrganizationID string `json:"organization_id"`
	// ID is the unique user ID assigned by Arthur (a UUID).
	ID string `json:"id"`
	// FirstName is the user's first name (a service account's name).
	FirstName string `json:"first_name"`
	// LastName is the user's last name; nil when the server sends null.
	LastName *string `json:"last_name"`
	// Email is the user's email, if provided.
	Email *string `json:"email"`
	// Picture is a URL to the user's profile picture, if one exists.
	Picture *string `json:"picture"`
	// UserType is the type of user.
	UserType UserType `json:"user_type"`
	// DataPlaneID is the Arthur data plane ID. Only set for data plane users.
	DataPlaneID *string `json:"data_plane_id"`
	// ClientID is the Arthur client ID. Only set for service accounts.
	ClientID *string `json:"client_id"`
	// OrganizationName is the name of the user's Arthur organization.
	OrganizationName string `json:"organization_name"`
	// Credentials are the new credentials: a client ID and secret for a
	// service account, a one-time password for a person.
	Credentials Credentials `json:"credentials"`
}

// User returns the user part of s, without the credentials.
func (s SensitiveUser) User() User {
	return User{
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, OrganizationID: s.OrganizationID, ID: s.ID,
		FirstName: s.FirstName, LastName: s.LastName, Email: s.Email, Picture: s.Picture,
		UserType: s.UserType, DataPlaneID: s.DataPlaneID, ClientID: s.ClientID,
		OrganizationName: s.OrganizationName,
	}
}

func (s *SensitiveUser) setUser(u User) {
	s.CreatedAt, s.UpdatedAt, s.OrganizationID, s.ID = u.CreatedAt, u.UpdatedAt, u.OrganizationID, u.ID
	s.FirstName, s.LastName, s.Email, s.Picture = u.FirstName, u.LastName, u.Email, u.Picture
	s.UserType, s.DataPlaneID, s.ClientID = u.UserType, u.DataPlaneID, u.ClientID
	s.OrganizationName = u.OrganizationName
}

// UnmarshalJSON decodes a SensitiveUser like User, and requires credentials.
func (s *SensitiveUser) UnmarshalJSON(data []byte) error {
	return decodeWith(data, func(w *wireDecoder) error { return w.sensitiveUser(s) })
}

// LogValue logs the user with its credentials redacted.
func (s SensitiveUser) LogValue() slog.Value {
	return slog.GroupValue(append(userLogAttrs(s.User()), slog.Any("credentials", s.Credentials))...)
}

// userLogAttrs is what a log line shows of a user that carries credentials.
func userLogAttrs(u User) []slog.Attr {
	return []slog.Attr{
		slog.String("id", u.ID),
		slog.String("user_type", string(u.UserType)),
		slog.String("first_name", u.FirstName),
		slog.String("organization_id", u.OrganizationID),
	}
}
