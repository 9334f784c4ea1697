package arthur

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPatchUserThreeStates(t *testing.T) {
	cases := []struct {
		name string
		body PatchUser
		want string
	}{
		{"all unset", PatchUser{}, `{}`},
		{"value", PatchUser{FirstName: Value("Ada")}, `{"first_name":"Ada"}`},
		{"null", PatchUser{LastName: Null[string]()}, `{"last_name":null}`},
		{"empty string is a value", PatchUser{Picture: Value("")}, `{"picture":""}`},
		{"mixed", PatchUser{FirstName: Value("A"), LastName: Null[string](), Email: Value("a@example.com")},
			`{"first_name":"A","last_name":null,"email":"a@example.com"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.body)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
		})
	}
}

func TestNullableZeroValuesAreSent(t *testing.T) {
	type body struct {
		B Nullable[bool] `json:"b,omitzero"`
		N Nullable[int]  `json:"n,omitzero"`
	}
	b, err := json.Marshal(body{B: Value(false), N: Value(0)})
	require.NoError(t, err)
	assert.Equal(t, `{"b":false,"n":0}`, string(b))
}

func TestNullableStates(t *testing.T) {
	var unset Nullable[string]
	assert.True(t, unset.IsZero())
	assert.False(t, unset.IsNull())
	assert.False(t, unset.IsSet())
	assert.Equal(t, "unset", unset.String())

	n := Null[string]()
	assert.False(t, n.IsZero())
	assert.True(t, n.IsNull())
	_, ok := n.Get()
	assert.False(t, ok)
	assert.Equal(t, "null", fmt.Sprint(n))

	v := Value("x")
	got, ok := v.Get()
	assert.True(t, ok)
	assert.Equal(t, "x", got)
	assert.Equal(t, "x", v.String())
}

func TestNullableUnmarshal(t *testing.T) {
	var p PatchUser
	require.NoError(t, json.Unmarshal([]byte(`{"first_name":"A","last_name":null}`), &p))
	assert.Equal(t, Value("A"), p.FirstName)
	assert.Equal(t, Null[string](), p.LastName)
	assert.True(t, p.Email.IsZero())

	var n Nullable[int]
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &n))
}

func TestPtr(t *testing.T) {
	p := Ptr("a")
	require.NotNil(t, p)
	assert.Equal(t, "a", *p)
}
