package arthur_test

import (
	"testing"

	"github.com/arthur-sdk/arthur-go/internal/benchkit"
)

// BenchmarkClient runs every benchmark case with the SDK and with a
// hand-written net/http + encoding/json client; `make bench` compares them
// with benchstat.
func BenchmarkClient(b *testing.B) {
	benchkit.Run(b, benchkit.NetHTTP, benchkit.SDK, benchkit.SDKPages(1), benchkit.SDKPages(16))
}
