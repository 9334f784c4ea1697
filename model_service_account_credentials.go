package arthur

import (
	"encoding/json"
	"log/slog"
)

// ServiceAccountCredentials are a service account's OAuth2 client
// credentials. The secret is shown once, at creation or regeneration.
type ServiceAccountCredentials struct {
	// ClientID is the service account client ID.
	ClientID string `json:"client_id"`
	// ClientSecret is the service account client secret.
	ClientSecret Secret `json:"client_secret"`
}

// UnmarshalJSON requires client_id and client_secret.
func (c *ServiceAccountCredentials) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var w struct {
		ClientID     *string `json:"client_id"`
		ClientSecret *Secret `json:"client_secret"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	var missing []string
	if w.ClientID == nil {
		missing = append(missing, "client_id")
	}
	if w.ClientSecret == nil {
		missing = append(missing, "client_secret")
	}
	if len(missing) > 0 {
		return missingFieldsError("ServiceAccountCredentials", missing)
	}
	*c = ServiceAccountCredentials{ClientID: *w.ClientID, ClientSecret: *w.ClientSecret}
	return nil
}

// LogValue logs the client ID and a redacted secret.
func (c ServiceAccountCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.Any("client_secret", c.ClientSecret))
}
