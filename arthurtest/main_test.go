package arthurtest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any leaves a goroutine behind: a
// server not closed, a connection still open.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
