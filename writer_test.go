package arthur

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The writer's numbers and raw values are what encoding/json writes for
// them.
func TestWriterFloatAsEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.5, 1e-6, 1e-7, 123456789, 1e20, 1e21, 1.5e300, -2.5e-300,
		math.SmallestNonzeroFloat64, math.MaxFloat64, 0.1 + 0.2, math.Copysign(0, -1)} {
		var w writer
		w.float(f)
		require.NoError(t, w.err)
		want, err := json.Marshal(f)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(w.Bytes()), "%v", f)
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		var w writer
		w.float(f)
		assert.Error(t, w.err, "%v", f)
	}
}

func TestWriterRaw(t *testing.T) {
	for raw, want := range map[string]string{`{"a":[1,true,null]}`: `{"a":[1,true,null]}`, `"x"`: `"x"`} {
		var w writer
		w.raw(json.RawMessage(raw))
		require.NoError(t, w.err)
		assert.Equal(t, want, string(w.Bytes()))
	}
	var w writer
	w.raw(nil)
	assert.Equal(t, "null", string(w.Bytes()))
	var bad writer
	bad.raw(json.RawMessage(`{"a":`))
	assert.Error(t, bad.err)
}
