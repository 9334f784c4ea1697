package arthur

import (
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
	return decodeWith(data, func(w *wireDecoder) error { return w.serviceAccountCredentials(c) })
}

// LogValue logs the client ID and a redacted secret.
func (c ServiceAccountCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.Any("client_secret", c.ClientSecret))
}
