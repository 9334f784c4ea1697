package arthur

import (
	"log/slog"
	"time"
)

// UserServiceAccountCredentials is a new service account with its
// credentials, as returned by PostOrganizationServiceAccount. The client
// secret is shown once: store it, the API never returns it again.
type UserServiceAccountCredentials struct {
	// CreatedAt is the time of record creation.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is the time of the last record update.
	UpdatedAt time.Time `json:"updated_at"`
	// OrganizationID is the ID of the Arthur organization the user belongs to.
	OrganizationID string `json:"organization_id"`
	// ID is the unique user ID assigned by Arthur (a UUID).
	ID string `json:"id"`
	// FirstName is the service account's name.
	FirstName string `json:"first_name"`
	// LastName is the user's last name; nil when the server sends null.
	LastName *string `json:"last_name"`
	// Email is the user's email, if provided.
	Email *string `json:"email"`
	// Picture is a URL to the user's profile picture, if one exists.
	Picture *string `json:"picture"`
	// UserType is the type of user (service_account).
	UserType UserType `json:"user_type"`
	// DataPlaneID is the Arthur data plane ID. Only set for data plane users.
	DataPlaneID *string `json:"data_plane_id"`
	// ClientID is the Arthur client ID of the service account.
	ClientID *string `json:"client_id"`
	// OrganizationName is the name of the user's Arthur organization.
	OrganizationName string `json:"organization_name"`
	// Credentials are the service account's client ID and secret.
	Credentials ServiceAccountCredentials `json:"credentials"`
}

// User returns the user part of s, without the credentials.
func (s UserServiceAccountCredentials) User() User {
	return User{
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, OrganizationID: s.OrganizationID, ID: s.ID,
		FirstName: s.FirstName, LastName: s.LastName, Email: s.Email, Picture: s.Picture,
		UserType: s.UserType, DataPlaneID: s.DataPlaneID, ClientID: s.ClientID,
		OrganizationName: s.OrganizationName,
	}
}

func (s *UserServiceAccountCredentials) setUser(u User) {
	s.CreatedAt, s.UpdatedAt, s.OrganizationID, s.ID = u.CreatedAt, u.UpdatedAt, u.OrganizationID, u.ID
	s.FirstName, s.LastName, s.Email, s.Picture = u.FirstName, u.LastName, u.Email, u.Picture
	s.UserType, s.DataPlaneID, s.ClientID = u.UserType, u.DataPlaneID, u.ClientID
	s.OrganizationName = u.OrganizationName
}

// UnmarshalJSON decodes a UserServiceAccountCredentials like User, and
// requires the credentials.
func (s *UserServiceAccountCredentials) UnmarshalJSON(data []byte) error {
	return decodeWith(data, func(w *wireDecoder) error { return w.userServiceAccountCredentials(s) })
}

// LogValue logs the service account with its secret redacted.
func (s UserServiceAccountCredentials) LogValue() slog.Value {
	return slog.GroupValue(append(userLogAttrs(s.User()), slog.Any("credentials", s.Credentials))...)
}
