package oas

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const userJSON = `{"created_at":"2025-01-01T10:11:12.123456Z","updated_at":"2025-01-01T10:11:12.123456+00:00",
"organization_id":"5f0c1a3e-8b2d-4c6e-9f10-1a2b3c4d5e6f","id":"0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d",
"first_name":"Ada","last_name":null,"email":"ada@example.com","picture":null,"user_type":"user",
"data_plane_id":null,"client_id":null,"organization_name":"Acme"}`

func req(t *testing.T, method, target, body string) (*http.Request, []byte) {
	t.Helper()
	r := httptest.NewRequest(method, "http://localhost"+target, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer t0k")
	var b []byte
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
		b = []byte(body)
	}
	return r, b
}

// The validator must catch what breaks the contract, or it proves nothing.
func TestContractCatchesViolations(t *testing.T) {
	c := MustLoad(t)
	cases := []struct {
		name, method, target, body string
		ok                         bool
	}{
		{"valid list", "GET", "/api/v1/organization/users?user_types=user&user_types=service_account&page_size=5", "", true},
		{"page_size over max", "GET", "/api/v1/organization/users?page_size=1001", "", false},
		{"unknown sort", "GET", "/api/v1/organization/users?sort=age", "", false},
		{"unknown path", "GET", "/api/v1/organization/people", "", false},
		{"valid create", "POST", "/api/v1/organization/users", `{"first_name":"A","email":"a@example.com","password":"p"}`, true},
		{"create without email", "POST", "/api/v1/organization/users", `{"first_name":"A","password":"p"}`, false},
		{"create with bad email", "POST", "/api/v1/organization/users", `{"first_name":"A","email":"nope","password":"p"}`, false},
		{"patch with null", "PATCH", "/api/v1/users/0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", `{"last_name":null}`, true},
		{"non-uuid user id", "DELETE", "/api/v1/users/not-a-uuid", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, b := req(t, tc.method, tc.target, tc.body)
			_, err := c.ValidateRequest(r, b)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}

	t.Run("missing token", func(t *testing.T) {
		r, _ := req(t, "GET", "/api/v1/users/me", "")
		r.Header.Del("Authorization")
		_, err := c.ValidateRequest(r, nil)
		assert.Error(t, err)
	})

	r, _ := req(t, "GET", "/api/v1/users/me", "")
	in, err := c.ValidateRequest(r, nil)
	require.NoError(t, err)
	h := http.Header{"Content-Type": {"application/json"}}
	assert.NoError(t, c.ValidateResponse(in, 200, h, []byte(userJSON)))
	assert.Error(t, c.ValidateResponse(in, 200, h, []byte(`{"id":"x"}`)), "missing required fields")
	assert.Error(t, c.ValidateResponse(in, 200, h, []byte(strings.Replace(userJSON, `"user_type":"user"`, `"user_type":7`, 1))))
	assert.NoError(t, c.ValidateResponse(in, 500, h, []byte(`{"detail":"boom"}`)))
	assert.Error(t, c.ValidateResponse(in, 500, h, []byte(`{"detail":["boom"]}`)))
	assert.NoError(t, c.ValidateResponse(in, 401, h, []byte(`<html>`)), "undeclared status is not checked")
}
