package arthur

// NotFoundError is the API's 404 error body, {"detail": "..."}. An *APIError
// whose body decodes as this model also unwraps to it:
//
//	var e *arthur.NotFoundError
//	if errors.As(err, &e) { log.Print(e.Detail) }
type NotFoundError struct {
	// Detail says what went wrong. The spec's default is "Resource not found".
	Detail string `json:"detail"`
}

// Error returns the detail.
func (e *NotFoundError) Error() string { return e.Detail }
