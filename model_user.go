package arthur

import (
	"fmt"
	"strings"
	"time"
)

// User is an Arthur user: a person, a data plane or a service account.
type User struct {
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
}

// UnmarshalJSON decodes a User, accepting unknown fields, unknown user types
// and every timestamp form the API writes, and failing when a required
// field is missing.
func (u *User) UnmarshalJSON(data []byte) error {
	return decodeWith(data, func(w *wireDecoder) error { return w.user("User", u, nil) })
}

func missingFieldsError(model string, fields []string) error {
	return fmt.Errorf("%s: missing required field(s) %s", model, strings.Join(fields, ", "))
}

func isJSONNull(data []byte) bool {
	return strings.TrimSpace(string(data)) == "null"
}
