package fake

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// Malformed JSON is located as Python's json module locates it: the
// character offset and message of its JSONDecodeError (recorded from
// CPython 3).
func TestMalformedJSONIsLocatedAsPythonDoes(t *testing.T) {
	srv := arthurtest.NewServer(t)
	cases := []struct {
		body string
		pos  int
		msg  string
	}{
		{`{"a":1`, 6, "Expecting ',' delimiter"},
		{`{"a":`, 5, "Expecting value"},
		{`{"a"`, 4, "Expecting ':' delimiter"},
		{`{`, 1, "Expecting property name enclosed in double quotes"},
		{`[`, 1, "Expecting value"},
		{`[1`, 2, "Expecting ',' delimiter"},
		{`[1,`, 3, "Expecting value"},
		{`"abc`, 0, "Unterminated string starting at"},
		{`nul`, 0, "Expecting value"},
		{`   `, 3, "Expecting value"},
		{`{"a":tru`, 5, "Expecting value"},
		{`{"a":1 "b":2}`, 7, "Expecting ',' delimiter"},
		{`{"a" 1}`, 5, "Expecting ':' delimiter"},
		{`{"a":}`, 5, "Expecting value"},
		{`[1 2]`, 3, "Expecting ',' delimiter"},
		{"{\"a\":\"x\ny\"}", 7, "Invalid control character at"},
		{`{"a":1}}`, 7, "Extra data"},
		{`{"a":-`, 5, "Expecting value"},
		{`{"é":"ü",`, 9, "Expecting property name enclosed in double quotes"},
		{`{"a":[1,2`, 9, "Expecting ',' delimiter"},
		{`{"a":{"b":1}`, 12, "Expecting ',' delimiter"},
	}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			before := snapshot(srv)
			r := api(t, srv, http.MethodPost, "/api/v1/organization/service_accounts", tc.body)
			errs := validationErrors(t, r)
			require.Len(t, errs, 1)
			assert.Equal(t, valErr{Type: "json_invalid", Loc: loc("body", tc.pos), Msg: "JSON decode error",
				Input: map[string]any{}, Ctx: map[string]any{"error": tc.msg}}, errs[0])
			unchanged(t, srv, before)
		})
	}
}
