package arthur

// ConflictError is the API's 409 error body, {"detail": "..."}. An *APIError
// whose body decodes as this model also unwraps to it:
//
//	var e *arthur.ConflictError
//	if errors.As(err, &e) { log.Print(e.Detail) }
type ConflictError struct {
	// Detail says what went wrong. The spec's default is "Conflict".
	Detail string `json:"detail"`
}

// Error returns the detail.
func (e *ConflictError) Error() string { return e.Detail }
