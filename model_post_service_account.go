package arthur

import "strings"

// PostServiceAccount is the body of PostOrganizationServiceAccount.
type PostServiceAccount struct {
	// Name is the service account's name. Required.
	Name string `json:"name"`
}

func (b PostServiceAccount) validate(op string) error {
	if strings.TrimSpace(b.Name) == "" {
		return argError(op, "body.Name", "is required")
	}
	return nil
}
