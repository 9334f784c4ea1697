package arthur

import (
	"log/slog"
	"strings"
)

// PostEndUser is the body of PostOrganizationUser: a person to create.
// FirstName, Email and Password are required.
type PostEndUser struct {
	// FirstName is the user's first name. Required.
	FirstName string `json:"first_name"`
	// LastName is the user's last name. Optional.
	LastName *string `json:"last_name,omitzero"`
	// Email is the user's email. Required.
	Email string `json:"email"`
	// Password is a one-time password for the user. Required.
	Password Secret `json:"password"`
	// Picture is a URL to the user's profile picture. Optional.
	Picture *string `json:"picture,omitzero"`
}

func (b PostEndUser) validate(op string) error {
	switch {
	case strings.TrimSpace(b.FirstName) == "":
		return argError(op, "body.FirstName", "is required")
	case strings.TrimSpace(b.Email) == "":
		return argError(op, "body.Email", "is required")
	case b.Password == "":
		return argError(op, "body.Password", "is required")
	}
	return nil
}

// LogValue logs the new user with the password redacted.
func (b PostEndUser) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("first_name", b.FirstName),
		slog.String("email", b.Email),
		slog.Any("password", b.Password),
	)
}
