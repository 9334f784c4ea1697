package arthur

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRunEnd puts every byte at every place of strings of up to 20 bytes:
// runEnd finds the first byte that ends a run exactly where a byte-by-byte
// loop does.
func TestRunEnd(t *testing.T) {
	slow := func(b []byte) int {
		for i, c := range b {
			if strStop[c] {
				return i
			}
		}
		return len(b)
	}
	for n := 0; n <= 20; n++ {
		for at := 0; at < n; at++ {
			for c := range 256 {
				b := make([]byte, n)
				for i := range b {
					b[i] = byte('a' + i%26)
					if i%5 == 4 {
						b[i] = 0xc3 // bytes above 0x7f stand for themselves
					}
				}
				b[at] = byte(c)
				if got, want := runEnd(b), slow(b); got != want {
					assert.Equal(t, want, got, "byte %#x at %d of %d", c, at, n)
				}
			}
		}
	}
}
