package arthur

// Ptr returns a pointer to v, for the optional fields of request and
// response models: arthur.Ptr("ada@example.com").
func Ptr[T any](v T) *T { return &v }
