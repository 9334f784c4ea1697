package arthur

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests, fuzz targets and benchmarks if any
// leaves a goroutine behind: a connection not closed, a page fetch still
// running, a timer not stopped.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
