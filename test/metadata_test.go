package test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// The status, headers and request ID of a 2xx reach the caller through the
// context, whatever the operation; its result is unchanged.
func TestResponseMetadataOfASuccessfulCall(t *testing.T) {
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(op.method, op.path, respond(op.status, op.response,
				"X-Request-Id", "req-"+op.name, "X-RateLimit-Remaining", "41"))
			var meta arthur.ResponseMetadata
			got, err := op.call(arthur.WithResponseMetadata(t.Context(), &meta), m.api)
			require.NoError(t, err)
			if op.check != nil {
				op.check(t, got)
			}
			assert.Equal(t, op.status, meta.StatusCode)
			assert.Equal(t, "req-"+op.name, meta.RequestID)
			assert.Equal(t, "41", meta.Header.Get("X-RateLimit-Remaining"))
			assert.Equal(t, 1, meta.Attempts)
		})
	}
}

// After retries, the metadata is the final answer's, and Attempts counts
// every request.
func TestResponseMetadataAfterRetries(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/users/me", sequence(
		respond(503, `{"detail":"busy"}`, "X-Request-Id", "req-1"),
		respond(502, `{"detail":"bad gateway"}`, "X-Request-Id", "req-2"),
		respond(200, adaDoc().json(), "X-Request-Id", "req-3")))
	var meta arthur.ResponseMetadata
	_, err := m.api.GetUsersMe(arthur.WithResponseMetadata(t.Context(), &meta))
	require.NoError(t, err)
	assert.Equal(t, arthur.ResponseMetadata{StatusCode: 200, Header: meta.Header, RequestID: "req-3", Attempts: 3}, meta)
	assert.Equal(t, "application/json", meta.Header.Get("Content-Type"))
}

// An error answer is recorded too, as its *APIError tells it.
func TestResponseMetadataOfAnErrorAnswer(t *testing.T) {
	m := newMockAPI(t, noRetry())
	m.on("DELETE", "/api/v1/users/"+adaID, respond(404, `{"detail":"User not found"}`, "X-Request-Id", "req-404"))
	var meta arthur.ResponseMetadata
	err := m.api.DeleteUser(arthur.WithResponseMetadata(t.Context(), &meta), adaID)
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, apiErr.StatusCode, meta.StatusCode)
	assert.Equal(t, apiErr.RequestID, meta.RequestID)
	assert.Equal(t, apiErr.Header, meta.Header)
	assert.Equal(t, 1, meta.Attempts)
}

// Without an answer there is no status, and the attempts are still told;
// a call refused before sending records none.
func TestResponseMetadataWithoutAnAnswer(t *testing.T) {
	m := newMockAPI(t, withRetry(arthur.RetryPolicy{MaxAttempts: 2, InitialBackoff: fastRetry.InitialBackoff}))
	m.on("GET", "/api/v1/users/me", fail(errors.New("connection reset by peer")))
	meta := arthur.ResponseMetadata{StatusCode: 299, RequestID: "from an earlier call"}
	ctx := arthur.WithResponseMetadata(t.Context(), &meta)
	_, err := m.api.GetUsersMe(ctx)
	require.Error(t, err)
	assert.Equal(t, arthur.ResponseMetadata{Attempts: 2}, meta, "each call starts afresh")

	c := arthur.NewAPIClient(&arthur.Configuration{Host: "ftp://api.arthur.test"})
	_, err = c.UsersV1API.GetUsersMe(ctx)
	require.ErrorIs(t, err, arthur.ErrInvalidConfiguration)
	assert.Equal(t, arthur.ResponseMetadata{}, meta)
}

// One context serves call after call, each overwriting the last's metadata.
func TestResponseMetadataIsOverwrittenByEachCall(t *testing.T) {
	m := newMockAPI(t)
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().json(), "X-Request-Id", "req-me"))
	m.on("POST", "/api/v1/users/me/accept-invite", respond(204, "", "X-Correlation-Id", "corr-accept"))
	var meta arthur.ResponseMetadata
	ctx := arthur.WithResponseMetadata(t.Context(), &meta)
	_, err := m.api.GetUsersMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, "req-me", meta.RequestID)
	require.NoError(t, m.api.AcceptMyInvites(ctx))
	assert.Equal(t, 204, meta.StatusCode)
	assert.Equal(t, "corr-accept", meta.RequestID)
}

// The iterator's concurrent page fetches record their answers without a
// data race (the race detector checks); after the loop the metadata is one
// page's.
func TestResponseMetadataOfTheIterator(t *testing.T) {
	const pages = 12
	m := newMockAPI(t, func(c *arthur.Configuration) { c.PageConcurrency = 4 })
	m.on("GET", "/api/v1/organization/users", func(req *http.Request) (*http.Response, error) {
		page, _ := strconv.Atoi(req.URL.Query().Get("page"))
		return response(req, 200, listDoc(page, 1, pages, pages, adaDoc()).json(), "X-Request-Id", "page-"+strconv.Itoa(page)), nil
	})
	var meta arthur.ResponseMetadata
	n := 0
	for _, err := range m.api.GetOrganizationUsersIter(arthur.WithResponseMetadata(t.Context(), &meta), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, pages, n)
	assert.Equal(t, 200, meta.StatusCode)
	assert.True(t, strings.HasPrefix(meta.RequestID, "page-"), meta.RequestID)
	assert.Equal(t, 1, meta.Attempts)
}

func TestWithResponseMetadataOfNothing(t *testing.T) {
	ctx := t.Context()
	assert.Equal(t, ctx, arthur.WithResponseMetadata(ctx, nil), "a nil ResponseMetadata records nothing")
	var meta arthur.ResponseMetadata
	var nilCtx context.Context
	assert.Nil(t, arthur.WithResponseMetadata(nilCtx, &meta), "a nil context stays nil, for the call to refuse")
	m := newMockAPI(t)
	m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
	_, err := m.api.GetUsersMe(arthur.WithResponseMetadata(nilCtx, &meta)) //nolint:staticcheck // a nil ctx is what is tested
	require.ErrorIs(t, err, arthur.ErrInvalidArgument)
	assert.Equal(t, 0, m.calls())
}
