package arthur

// ResourceListUser is one page of users (the spec's ResourceList[User]).
type ResourceListUser struct {
	// Records are the users on this page.
	Records []User `json:"records"`
	// Pagination tells where this page sits among all pages.
	Pagination Pagination `json:"pagination"`
}

// UnmarshalJSON requires records and pagination.
func (r *ResourceListUser) UnmarshalJSON(data []byte) error {
	return decodeWith(data, func(w *wireDecoder) error { return w.resourceListUser(r) })
}
