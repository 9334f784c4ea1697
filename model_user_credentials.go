package arthur

import (
	"encoding/json"
	"log/slog"
)

// UserCredentials are a person's one-time password, issued by PostUserCreds.
type UserCredentials struct {
	// Password is the user's one-time password.
	Password Secret `json:"password"`
}

// UnmarshalJSON requires password.
func (c *UserCredentials) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var w struct {
		Password *Secret `json:"password"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	if w.Password == nil {
		return missingFieldsError("UserCredentials", []string{"password"})
	}
	c.Password = *w.Password
	return nil
}

// LogValue logs a redacted password.
func (c UserCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("password", c.Password))
}
