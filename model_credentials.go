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
	return decodeWith(data, func(w *wireDecoder) error { return w.credentials(c) })
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
