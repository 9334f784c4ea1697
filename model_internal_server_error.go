package arthur

// InternalServerError is the API's 500 error body, {"detail": "..."}. An *APIError
// whose body decodes as this model also unwraps to it:
//
//	var e *arthur.InternalServerError
//	if errors.As(err, &e) { log.Print(e.Detail) }
type InternalServerError struct {
	// Detail says what went wrong. The spec's default is "Internal server error".
	Detail string `json:"detail"`
}

// Error returns the detail.
func (e *InternalServerError) Error() string { return e.Detail }
