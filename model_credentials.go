package arthur

import (
	"encoding/json"
	"errors"
	"log/slog"
)

// Credentials are the credentials PostUserCreds issues: the spec's anyOf of
// ServiceAccountCredentials and UserCredentials. After decoding, exactly one
// of the two is set, chosen by the keys the server sent: client_id and
// client_secret for a service account, password for a person.
type Credentials struct {
	ServiceAccount *ServiceAccountCredentials
	User           *UserCredentials
}

// MarshalJSON writes whichever of the two is set.
func (c Credentials) MarshalJSON() ([]byte, error) {
	switch {
	case c.ServiceAccount != nil && c.User != nil:
		return nil, errors.New("Credentials: both ServiceAccount and User are set")
	case c.ServiceAccount != nil:
		return json.Marshal(c.ServiceAccount)
	case c.User != nil:
		return json.Marshal(c.User)
	}
	return nil, errors.New("Credentials: neither ServiceAccount nor User is set")
}

// UnmarshalJSON picks the variant by its keys.
func (c *Credentials) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var w struct {
		ClientID     *string `json:"client_id"`
		ClientSecret *Secret `json:"client_secret"`
		Password     *Secret `json:"password"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	switch {
	case w.ClientID != nil && w.ClientSecret != nil:
		*c = Credentials{ServiceAccount: &ServiceAccountCredentials{ClientID: *w.ClientID, ClientSecret: *w.ClientSecret}}
	case w.Password != nil:
		*c = Credentials{User: &UserCredentials{Password: *w.Password}}
	default:
		return errors.New("Credentials: neither client_id and client_secret (ServiceAccountCredentials) nor password (UserCredentials)")
	}
	return nil
}

// LogValue logs which kind of credentials these are, with the secret redacted.
func (c Credentials) LogValue() slog.Value {
	switch {
	case c.ServiceAccount != nil:
		return c.ServiceAccount.LogValue()
	case c.User != nil:
		return c.User.LogValue()
	}
	return slog.StringValue("none")
}
