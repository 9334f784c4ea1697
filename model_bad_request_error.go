package arthur

// BadRequestError is the API's 400 error body, {"detail": "..."}. An *APIError
// whose body decodes as this model also unwraps to it:
//
//	var e *arthur.BadRequestError
//	if errors.As(err, &e) { log.Print(e.Detail) }
type BadRequestError struct {
	// Detail says what went wrong. The spec's default is "Bad Request".
	Detail string `json:"detail"`
}

// Error returns the detail.
func (e *BadRequestError) Error() string { return e.Detail }
