package arthur

// Ptr returns a pointer to v, for the optional fields of request and
// response models: arthur.Ptr("ada@example.com").
func Ptr[T any](v T) *T { return &v }

// duplicate finds the first item of s that equals an earlier one, for the
// lists the spec wants unique: it returns the earlier one's index and its.
func duplicate[T comparable](s []T) (first, again int, ok bool) {
	seen := make(map[T]int, len(s))
	for i, v := range s {
		if j, dup := seen[v]; dup {
			return j, i, true
		}
		seen[v] = i
	}
	return 0, 0, false
}
