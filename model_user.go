package arthur

import (
	"encoding/json"
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
	if isJSONNull(data) {
		return nil
	}
	var w userWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	return w.decode("User", u)
}

// userWire is the JSON shape shared by User, SensitiveUser and
// UserServiceAccountCredentials. Pointers tell a missing field from a zero one.
type userWire struct {
	CreatedAt        *wireTime `json:"created_at"`
	UpdatedAt        *wireTime `json:"updated_at"`
	OrganizationID   *string   `json:"organization_id"`
	ID               *string   `json:"id"`
	FirstName        *string   `json:"first_name"`
	LastName         *string   `json:"last_name"`
	Email            *string   `json:"email"`
	Picture          *string   `json:"picture"`
	UserType         *UserType `json:"user_type"`
	DataPlaneID      *string   `json:"data_plane_id"`
	ClientID         *string   `json:"client_id"`
	OrganizationName *string   `json:"organization_name"`
}

// decode copies w into u after checking the fields the spec requires and
// does not allow to be null. last_name is required but nullable, so an
// absent last_name reads as null.
func (w *userWire) decode(model string, u *User) error {
	var missing []string
	if w.CreatedAt == nil {
		missing = append(missing, "created_at")
	}
	if w.UpdatedAt == nil {
		missing = append(missing, "updated_at")
	}
	if w.OrganizationID == nil {
		missing = append(missing, "organization_id")
	}
	if w.ID == nil {
		missing = append(missing, "id")
	}
	if w.FirstName == nil {
		missing = append(missing, "first_name")
	}
	if w.UserType == nil {
		missing = append(missing, "user_type")
	}
	if w.OrganizationName == nil {
		missing = append(missing, "organization_name")
	}
	if len(missing) > 0 {
		return missingFieldsError(model, missing)
	}
	*u = User{
		CreatedAt:        time.Time(*w.CreatedAt),
		UpdatedAt:        time.Time(*w.UpdatedAt),
		OrganizationID:   *w.OrganizationID,
		ID:               *w.ID,
		FirstName:        *w.FirstName,
		LastName:         w.LastName,
		Email:            w.Email,
		Picture:          w.Picture,
		UserType:         *w.UserType,
		DataPlaneID:      w.DataPlaneID,
		ClientID:         w.ClientID,
		OrganizationName: *w.OrganizationName,
	}
	return nil
}

func missingFieldsError(model string, fields []string) error {
	return fmt.Errorf("%s: missing required field(s) %s", model, strings.Join(fields, ", "))
}

func isJSONNull(data []byte) bool {
	return strings.TrimSpace(string(data)) == "null"
}
