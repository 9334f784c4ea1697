package arthur

import "testing"

// Hooks for the tests of package arthur_test that import what imports
// arthur (internal/benchkit), and so cannot be inside the package.

// CheckModel runs FuzzModels's checks on in: decoded as the model of v, a
// pointer to a model of the registry, it decodes as the reference decodes
// it, and encodes and decodes back to itself.
func CheckModel(t *testing.T, v any, in []byte) {
	t.Helper()
	spec := specOf(t)
	checkModel(t, spec, spec.model(v), in)
}
