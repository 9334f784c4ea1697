package arthurtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// timeLayout is how pydantic writes an aware UTC datetime, here always with
// its six fractional digits.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// userJSON is the User schema in pydantic's field order, with the nullable
// fields written as explicit nulls.
type userJSON struct {
	CreatedAt        string          `json:"created_at"`
	UpdatedAt        string          `json:"updated_at"`
	OrganizationID   string          `json:"organization_id"`
	ID               string          `json:"id"`
	FirstName        string          `json:"first_name"`
	LastName         *string         `json:"last_name"`
	Email            *string         `json:"email"`
	Picture          *string         `json:"picture"`
	UserType         arthur.UserType `json:"user_type"`
	DataPlaneID      *string         `json:"data_plane_id"`
	ClientID         *string         `json:"client_id"`
	OrganizationName string          `json:"organization_name"`
}

func toJSON(u arthur.User) userJSON {
	return userJSON{
		CreatedAt: formatTime(u.CreatedAt), UpdatedAt: formatTime(u.UpdatedAt),
		OrganizationID: u.OrganizationID, ID: u.ID, FirstName: u.FirstName, LastName: u.LastName,
		Email: u.Email, Picture: u.Picture, UserType: u.UserType, DataPlaneID: u.DataPlaneID,
		ClientID: u.ClientID, OrganizationName: u.OrganizationName,
	}
}

// userWithCredentials is SensitiveUser and UserServiceAccountCredentials.
type userWithCredentials struct {
	userJSON
	Credentials any `json:"credentials"`
}

type clientCredentialsJSON struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

type passwordJSON struct {
	Password string `json:"password"`
}

type pageJSON struct {
	Records    []userJSON     `json:"records"`
	Pagination paginationJSON `json:"pagination"`
}

type paginationJSON struct {
	Page         int `json:"page"`
	PageSize     int `json:"page_size"`
	TotalPages   int `json:"total_pages"`
	TotalRecords int `json:"total_records"`
}

// detailJSON is FastAPI's HTTPException body.
type detailJSON struct {
	Detail string `json:"detail"`
}

// validationJSON is FastAPI's 422 body.
type validationJSON struct {
	Detail []fieldError `json:"detail"`
}

// fieldError is one pydantic error, in FastAPI's key order. A null input
// is left out: the contract's validators read the untyped input schema as
// not nullable.
type fieldError struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input,omitempty"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// oauthErrorJSON is an RFC 6749 error response.
type oauthErrorJSON struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// marshal writes v compactly, without escaping <, > and & (as Python's json
// does not).
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only the fake's own types reach here; a failure is a bug, answered
		// as the live API answers one.
		return []byte(`{"detail":"Internal server error"}`)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, detailJSON{Detail: detail})
}

func writeValidation(w http.ResponseWriter, errs []fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, validationJSON{Detail: errs})
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
