package arthur

import "strings"

// HTTPValidationError is the API's 422 error body: FastAPI's list of what
// was wrong with the request. An *APIError whose body decodes as this model
// also unwraps to it.
type HTTPValidationError struct {
	// Detail lists each problem found.
	Detail []ValidationError `json:"detail"`
}

// Error joins the problems: "body.email: value is not a valid email address".
func (e *HTTPValidationError) Error() string {
	parts := make([]string, len(e.Detail))
	for i, d := range e.Detail {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}
