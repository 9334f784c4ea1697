package arthur

import (
	"log/slog"
)

// UserCredentials are a person's one-time password, issued by PostUserCreds.
type UserCredentials struct {
	// Password is the user's one-time password.
	Password Secret `json:"password"`
}

// UnmarshalJSON requires password.
func (c *UserCredentials) UnmarshalJSON(data []byte) error {
	return decodeWith(data, func(w *wireDecoder) error { return w.userCredentials(c) })
}

// LogValue logs a redacted password.
func (c UserCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("password", c.Password))
}
