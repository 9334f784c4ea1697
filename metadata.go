package arthur

import (
	"context"
	"net/http"
	"sync"
)

// ResponseMetadata is what the API's answer to a call said besides its
// body, and how many requests the call took. A call fills one in when its
// context comes from WithResponseMetadata; the methods' results stay what
// they are.
type ResponseMetadata struct {
	// StatusCode is the HTTP status of the last answer the call got, a 2xx
	// or not; 0 when no answer came (the connection failed, or the call
	// was refused before anything was sent).
	StatusCode int
	// Header holds the headers of that answer.
	Header http.Header
	// RequestID is the server's request ID from those headers, as in
	// APIError.RequestID; empty when there is none.
	RequestID string
	// Attempts is how many requests the call sent: 1, or more after
	// retries and after a 401 that renewed the token.
	Attempts int
}

type metadataKey struct{}

// metadataSink is where the calls of one context record their metadata;
// the lock keeps concurrent calls, such as the page fetches of
// GetOrganizationUsersIter, from writing at once.
type metadataSink struct {
	mu  sync.Mutex
	dst *ResponseMetadata
}

func (s *metadataSink) store(m ResponseMetadata) {
	s.mu.Lock()
	*s.dst = m
	s.mu.Unlock()
}

// WithResponseMetadata returns a context whose calls record in m the
// status, headers and request ID of their answer and the number of
// requests they sent, for a 2xx as for an error:
//
//	var meta arthur.ResponseMetadata
//	me, err := client.UsersV1API.GetUsersMe(arthur.WithResponseMetadata(ctx, &meta))
//	log.Printf("%d, request id %s", meta.StatusCode, meta.RequestID)
//
// Each call through the context overwrites m when it returns; read m once
// the call has returned, and not while a call through the context is under
// way. GetOrganizationUsersIter records each page it fetches, so after the
// loop m holds the answer of one of its pages. A nil m records nothing.
// A context without it costs a call nothing.
func WithResponseMetadata(ctx context.Context, m *ResponseMetadata) context.Context {
	if ctx == nil || m == nil {
		return ctx
	}
	return context.WithValue(ctx, metadataKey{}, &metadataSink{dst: m})
}

func metadataFrom(ctx context.Context) *metadataSink {
	s, _ := ctx.Value(metadataKey{}).(*metadataSink)
	return s
}
