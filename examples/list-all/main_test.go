package main

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	t.Setenv("ARTHUR_HOST", "")
	t.Setenv("ARTHUR_CLIENT_ID", "")
	t.Setenv("ARTHUR_CLIENT_SECRET", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+28, "a header, then every user: 25 people, 2 service accounts, a data plane")
	assert.Equal(t, []string{"id", "user_type", "first_name", "last_name", "email", "created_at"}, rows[0])
}
