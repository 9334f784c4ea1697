package test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

const (
	validationBody = `{"detail":[` +
		`{"loc":["body","email"],"msg":"value is not a valid email address","type":"value_error","input":"nope","ctx":{"reason":"no @"}},` +
		`{"loc":["query","user_ids",0],"msg":"Input should be a valid UUID","type":"uuid_parsing","input":"x"}]}`
	badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n"
)

// errorCase is one error answer and what the SDK must make of it.
type errorCase struct {
	status      int
	body        string
	contentType string
	sentinel    error
	detail      string // APIError.Detail
	model       func(t *testing.T, err error)
}

func errorCaseFor(status int) errorCase {
	noModel := func(t *testing.T, err error) {
		t.Helper()
		var bre *arthur.BadRequestError
		var nfe *arthur.NotFoundError
		var ce *arthur.ConflictError
		var ise *arthur.InternalServerError
		var hve *arthur.HTTPValidationError
		assert.False(t, errors.As(err, &bre), "no BadRequestError")
		assert.False(t, errors.As(err, &nfe), "no NotFoundError")
		assert.False(t, errors.As(err, &ce), "no ConflictError")
		assert.False(t, errors.As(err, &ise), "no InternalServerError")
		assert.False(t, errors.As(err, &hve), "no HTTPValidationError")
	}
	switch status {
	case 400:
		return errorCase{status: 400, body: `{"detail":"Role binding targets another organization"}`, sentinel: arthur.ErrBadRequest,
			detail: "Role binding targets another organization",
			model: func(t *testing.T, err error) {
				var m *arthur.BadRequestError
				require.True(t, errors.As(err, &m))
				assert.Equal(t, "Role binding targets another organization", m.Detail)
			}}
	case 401:
		return errorCase{status: 401, body: `{"detail":"Not authenticated"}`, sentinel: arthur.ErrUnauthorized,
			detail: "Not authenticated", model: noModel}
	case 403:
		return errorCase{status: 403, body: `{"detail":"Missing permission organization_list_users"}`, sentinel: arthur.ErrForbidden,
			detail: "Missing permission organization_list_users", model: noModel}
	case 404:
		return errorCase{status: 404, body: `{"detail":"User not found"}`, sentinel: arthur.ErrNotFound, detail: "User not found",
			model: func(t *testing.T, err error) {
				var m *arthur.NotFoundError
				require.True(t, errors.As(err, &m))
				assert.Equal(t, "User not found", m.Detail)
			}}
	case 409:
		return errorCase{status: 409, body: `{"detail":"A user with this email already exists"}`, sentinel: arthur.ErrConflict,
			detail: "A user with this email already exists",
			model: func(t *testing.T, err error) {
				var m *arthur.ConflictError
				require.True(t, errors.As(err, &m))
				assert.Equal(t, "A user with this email already exists", m.Detail)
			}}
	case 422:
		return errorCase{status: 422, body: validationBody, sentinel: arthur.ErrValidation,
			detail: "body.email: value is not a valid email address; query.user_ids.0: Input should be a valid UUID",
			model: func(t *testing.T, err error) {
				var m *arthur.HTTPValidationError
				require.True(t, errors.As(err, &m))
				require.Len(t, m.Detail, 2)
				assert.Equal(t, []any{"body", "email"}, m.Detail[0].Loc)
				assert.Equal(t, "value is not a valid email address", m.Detail[0].Msg)
				assert.Equal(t, "value_error", m.Detail[0].Type)
				assert.Equal(t, "nope", m.Detail[0].Input)
				assert.Equal(t, map[string]any{"reason": "no @"}, m.Detail[0].Ctx)
				require.Len(t, m.Detail[1].Loc, 3)
				assert.IsType(t, "", m.Detail[1].Loc[1])
				assert.IsType(t, 0, m.Detail[1].Loc[2], "an integer loc item is an int")
				assert.Equal(t, []any{"query", "user_ids", 0}, m.Detail[1].Loc)
				assert.Nil(t, m.Detail[1].Ctx)
			}}
	case 429:
		return errorCase{status: 429, body: `{"detail":"Too many requests"}`, sentinel: arthur.ErrRateLimited,
			detail: "Too many requests", model: noModel}
	case 500:
		return errorCase{status: 500, body: `{"detail":"Internal server error"}`, sentinel: arthur.ErrServer,
			detail: "Internal server error",
			model: func(t *testing.T, err error) {
				var m *arthur.InternalServerError
				require.True(t, errors.As(err, &m))
				assert.Equal(t, "Internal server error", m.Detail)
			}}
	case 502:
		return errorCase{status: 502, body: badGatewayHTML, contentType: "text/html", sentinel: arthur.ErrServer, model: noModel}
	}
	panic("no error case for " + strconv.Itoa(status))
}

// Every declared error status of every operation, plus what a real
// deployment also answers: 401, 403, 429 and a proxy's HTML 502.
func TestErrorStatuses(t *testing.T) {
	for _, op := range operations() {
		statuses := append(slices.Clone(op.declared), 401, 403, 429, 502)
		slices.Sort(statuses)
		for _, status := range statuses {
			ec := errorCaseFor(status)
			t.Run(fmt.Sprintf("%s/%d", op.name, status), func(t *testing.T) {
				m := newMockAPI(t, noRetry())
				hdr := []string{"X-Request-Id", "req-" + strconv.Itoa(status), "X-Extra", "kept"}
				if ec.contentType != "" {
					hdr = append(hdr, "Content-Type", ec.contentType)
				}
				m.on(op.method, op.path, respond(status, ec.body, hdr...))

				got, err := op.call(t.Context(), m.api)
				require.Error(t, err)
				assert.Nil(t, got)
				assert.Equal(t, 1, m.calls())

				var apiErr *arthur.APIError
				require.True(t, errors.As(err, &apiErr), "errors.As *APIError: %v", err)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Equal(t, ec.body, string(apiErr.Body), "Body kept verbatim")
				assert.False(t, apiErr.BodyTruncated)
				assert.Equal(t, "kept", apiErr.Header.Get("X-Extra"))
				assert.Equal(t, "req-"+strconv.Itoa(status), apiErr.RequestID)
				assert.Equal(t, ec.detail, apiErr.Detail)
				assert.Equal(t, op.method, apiErr.Method)
				assert.Equal(t, op.path, apiErr.Path)
				assert.Equal(t, strings.TrimSuffix(op.name, "Iter"), apiErr.Operation)

				assert.ErrorIs(t, err, ec.sentinel)
				for _, other := range []error{arthur.ErrBadRequest, arthur.ErrUnauthorized, arthur.ErrForbidden,
					arthur.ErrNotFound, arthur.ErrConflict, arthur.ErrValidation, arthur.ErrRateLimited,
					arthur.ErrServer, arthur.ErrInvalidArgument} {
					if other != ec.sentinel {
						assert.NotErrorIs(t, err, other)
					}
				}
				ec.model(t, err)

				msg := err.Error()
				assert.Contains(t, msg, op.method+" "+op.path)
				assert.Contains(t, msg, strconv.Itoa(status))
				assertNoToken(t, err)
			})
		}
	}
}

// assertNoToken checks the token appears in no rendering of err.
func assertNoToken(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, s, testToken)
	}
}

func TestErrorWithoutRequestID(t *testing.T) {
	m := newMockAPI(t, noRetry())
	m.on("GET", "/api/v1/users/me", respond(500, `{"detail":"boom"}`))
	_, err := m.api.GetUsersMe(t.Context())
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Empty(t, apiErr.RequestID)
	assert.NotContains(t, err.Error(), "request id")
}

func TestErrorWithEmptyBody(t *testing.T) {
	m := newMockAPI(t, noRetry())
	m.on("DELETE", "/api/v1/users/"+adaID, respond(403, ""))
	err := m.api.DeleteUser(t.Context(), adaID)
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Empty(t, apiErr.Body)
	assert.Empty(t, apiErr.Detail)
	assert.ErrorIs(t, err, arthur.ErrForbidden)
}

// A huge error body is cut at 1 MiB and flagged.
func TestErrorBodyIsBounded(t *testing.T) {
	m := newMockAPI(t, noRetry())
	big := strings.Repeat("x", 2<<20)
	m.on("GET", "/api/v1/users/me", respond(503, big, "Content-Type", "text/plain"))
	_, err := m.api.GetUsersMe(t.Context())
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, apiErr.BodyTruncated)
	assert.Len(t, apiErr.Body, 1<<20)
	assert.ErrorIs(t, err, arthur.ErrServer)
}

// ---------------------------------------------------------------------------
// Bad input is refused before any request.

func TestBadInputIsRefusedWithoutARequest(t *testing.T) {
	type call func(context.Context, *arthur.UsersV1APIService) error
	userIDCalls := map[string]func(string) call{
		"DeleteUser": func(id string) call {
			return func(ctx context.Context, api *arthur.UsersV1APIService) error { return api.DeleteUser(ctx, id) }
		},
		"PatchUser": func(id string) call {
			return func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PatchUser(ctx, id, arthur.PatchUser{FirstName: arthur.Value("x")})
				return err
			}
		},
		"PatchServiceAccountUser": func(id string) call {
			return func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PatchServiceAccountUser(ctx, id, arthur.PatchServiceAccountUser{Name: arthur.Value("x")})
				return err
			}
		},
		"PostUserCreds": func(id string) call {
			return func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PostUserCreds(ctx, id)
				return err
			}
		},
	}
	type tcase struct {
		name, op, arg string
		call          call
	}
	var cases []tcase
	for _, op := range []string{"DeleteUser", "PatchUser", "PatchServiceAccountUser", "PostUserCreds"} {
		for _, id := range []string{"", " ", "\t\n", ".", "..", "a/b", adaID + "/extra", "../admin", "/", adaID + "/"} {
			cases = append(cases, tcase{fmt.Sprintf("%s userID %q", op, id), op, "userID", userIDCalls[op](id)})
		}
	}
	postUser := func(b arthur.PostEndUser) call {
		return func(ctx context.Context, api *arthur.UsersV1APIService) error {
			_, err := api.PostOrganizationUser(ctx, b)
			return err
		}
	}
	list := func(p arthur.GetOrganizationUsersParams) call {
		return func(ctx context.Context, api *arthur.UsersV1APIService) error {
			_, err := api.GetOrganizationUsers(ctx, &p)
			return err
		}
	}
	iter := func(p arthur.GetOrganizationUsersParams) call {
		return func(ctx context.Context, api *arthur.UsersV1APIService) error {
			n := 0
			var first error
			for _, err := range api.GetOrganizationUsersIter(ctx, &p) {
				n++
				if first == nil {
					first = err
				}
			}
			if n != 1 {
				return fmt.Errorf("the sequence yielded %d times, want once", n)
			}
			return first
		}
	}
	cases = append(cases,
		tcase{"PostOrganizationUser no FirstName", "PostOrganizationUser", "body.FirstName",
			postUser(arthur.PostEndUser{Email: "a@example.com", Password: "p"})},
		tcase{"PostOrganizationUser blank FirstName", "PostOrganizationUser", "body.FirstName",
			postUser(arthur.PostEndUser{FirstName: "  ", Email: "a@example.com", Password: "p"})},
		tcase{"PostOrganizationUser no Email", "PostOrganizationUser", "body.Email",
			postUser(arthur.PostEndUser{FirstName: "A", Password: "p"})},
		tcase{"PostOrganizationUser no Password", "PostOrganizationUser", "body.Password",
			postUser(arthur.PostEndUser{FirstName: "A", Email: "a@example.com"})},
		tcase{"PostOrganizationServiceAccount no Name", "PostOrganizationServiceAccount", "body.Name",
			func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{})
				return err
			}},
		tcase{"PostOrganizationServiceAccount blank Name", "PostOrganizationServiceAccount", "body.Name",
			func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: " "})
				return err
			}},
		tcase{"PostOrganizationUserInvite no Email", "PostOrganizationUserInvite", "body.Email",
			func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{GroupIDs: []string{groupID1}})
				return err
			}},
		tcase{"PostOrganizationUserInvite incomplete RoleBinding", "PostOrganizationUserInvite", "body.RoleBinding.RoleID",
			func(ctx context.Context, api *arthur.UsersV1APIService) error {
				_, err := api.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{Email: "g@example.com",
					RoleBinding: &arthur.PostGlobalRoleBinding{BoundResourceKind: arthur.BoundResourceKindProject, ResourceID: resourceID}})
				return err
			}},
		tcase{"GetOrganizationUsers PageSize 1001", "GetOrganizationUsers", "params.PageSize",
			list(arthur.GetOrganizationUsersParams{PageSize: 1001})},
		tcase{"GetOrganizationUsers PageSize -1", "GetOrganizationUsers", "params.PageSize",
			list(arthur.GetOrganizationUsersParams{PageSize: -1})},
		tcase{"GetOrganizationUsers Page -1", "GetOrganizationUsers", "params.Page",
			list(arthur.GetOrganizationUsersParams{Page: -1})},
		tcase{"GetOrganizationUsers empty user ID", "GetOrganizationUsers", "params.UserIDs[1]",
			list(arthur.GetOrganizationUsersParams{UserIDs: []string{adaID, ""}})},
		tcase{"GetOrganizationUsers empty user type", "GetOrganizationUsers", "params.UserTypes[0]",
			list(arthur.GetOrganizationUsersParams{UserTypes: []arthur.UserType{""}})},
		tcase{"GetOrganizationUsersIter PageSize 1001", "GetOrganizationUsers", "params.PageSize",
			iter(arthur.GetOrganizationUsersParams{PageSize: 1001})},
		tcase{"GetOrganizationUsersIter PageSize -1", "GetOrganizationUsers", "params.PageSize",
			iter(arthur.GetOrganizationUsersParams{PageSize: -1})},
		tcase{"GetOrganizationUsersIter Page -1", "GetOrganizationUsers", "params.Page",
			iter(arthur.GetOrganizationUsersParams{Page: -1})},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
			err := tc.call(t.Context(), m.api)
			require.Error(t, err)
			assert.Equal(t, 0, m.mock.GetTotalCallCount(), "no request may be sent")
			assert.ErrorIs(t, err, arthur.ErrInvalidArgument)
			var argErr *arthur.ArgumentError
			require.ErrorAs(t, err, &argErr)
			assert.Equal(t, tc.arg, argErr.Argument)
			assert.Equal(t, tc.op, argErr.Operation)
			assert.Contains(t, err.Error(), tc.arg)
			assert.Contains(t, err.Error(), tc.op)
			var apiErr *arthur.APIError
			assert.False(t, errors.As(err, &apiErr))
		})
	}
}

func TestNilContextIsRefused(t *testing.T) {
	m := newMockAPI(t)
	m.mock.RegisterNoResponder(respond(200, adaDoc().json()))
	for _, op := range operations() {
		t.Run(op.name, func(t *testing.T) {
			_, err := op.call(nil, m.api) //nolint:staticcheck // a nil ctx is what is tested
			require.Error(t, err)
			assert.ErrorIs(t, err, arthur.ErrInvalidArgument)
			var argErr *arthur.ArgumentError
			require.ErrorAs(t, err, &argErr)
			assert.Equal(t, "ctx", argErr.Argument)
		})
	}
	assert.Equal(t, 0, m.calls())
}

// A user ID is path-escaped (one with a "/" is refused, see
// TestBadInputIsRefusedWithoutARequest). The contract only admits UUIDs here, so these
// requests would be refused by the validator: this is the one test whose
// transport does not validate, and it checks the raw URL instead.
func TestUserIDIsPathEscaped(t *testing.T) {
	cases := []struct {
		id, want string
	}{
		{"a?b=c", "/api/v1/users/a%3Fb=c"},
		{"..%2Fadmin", "/api/v1/users/..%252Fadmin"},
		{"50%", "/api/v1/users/50%25"},
		{"a b#c", "/api/v1/users/a%20b%23c"},
	}
	ops := []struct {
		name   string
		suffix string
		call   func(context.Context, *arthur.UsersV1APIService, string) error
	}{
		{"DeleteUser", "", func(ctx context.Context, api *arthur.UsersV1APIService, id string) error {
			return api.DeleteUser(ctx, id)
		}},
		{"PatchUser", "", func(ctx context.Context, api *arthur.UsersV1APIService, id string) error {
			_, err := api.PatchUser(ctx, id, arthur.PatchUser{})
			return err
		}},
		{"PatchServiceAccountUser", "/service_account", func(ctx context.Context, api *arthur.UsersV1APIService, id string) error {
			_, err := api.PatchServiceAccountUser(ctx, id, arthur.PatchServiceAccountUser{})
			return err
		}},
		{"PostUserCreds", "/credentials", func(ctx context.Context, api *arthur.UsersV1APIService, id string) error {
			_, err := api.PostUserCreds(ctx, id)
			return err
		}},
	}
	for _, op := range ops {
		for _, tc := range cases {
			t.Run(op.name+" "+tc.id, func(t *testing.T) {
				var mu sync.Mutex
				var gotPath, gotRawQuery, gotRequestURI string
				raw := roundTripFunc(func(req *http.Request) (*http.Response, error) {
					mu.Lock()
					gotPath, gotRawQuery, gotRequestURI = req.URL.EscapedPath(), req.URL.RawQuery, req.URL.RequestURI()
					mu.Unlock()
					return response(req, 404, `{"detail":"User not found"}`), nil
				})
				cfg := arthur.NewConfiguration()
				cfg.Host = testHost
				cfg.AccessToken = testToken
				cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
				cfg.HTTPClient = &http.Client{Transport: raw}
				err := op.call(t.Context(), arthur.NewAPIClient(cfg).UsersV1API, tc.id)
				require.ErrorIs(t, err, arthur.ErrNotFound)
				mu.Lock()
				defer mu.Unlock()
				assert.Equal(t, tc.want+op.suffix, gotPath)
				assert.Empty(t, gotRawQuery, "nothing of the ID may leak into the query")
				assert.Equal(t, tc.want+op.suffix, gotRequestURI)
			})
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// ---------------------------------------------------------------------------
// 2xx bodies that do not decode.

// badBodies are 2xx bodies that break the contract; the responses go
// through unchecked (newMockAPIRequestOnly) since that is the point.
func badBodies(op operation) map[string]string {
	bodies := map[string]string{
		"not JSON":   `<html><body>maintenance</body></html>`,
		"truncated":  strings.TrimSuffix(op.response, "}"),
		"null":       `null`,
		"empty":      ``,
		"JSON array": `[]`,
	}
	switch op.model {
	case "User":
		bodies["wrong type"] = adaDoc().with("first_name", 42).json()
		bodies["bad timestamp"] = adaDoc().with("created_at", "yesterday").json()
		bodies["missing required"] = adaDoc().without("id", "organization_name").json()
	case "ResourceList[User]":
		bodies["wrong type"] = listDoc(1, 20, 1, 1).with("records", "none").json()
		bodies["wrong type in a record"] = listDoc(1, 20, 1, 1, adaDoc().with("user_type", 3)).json()
		bodies["missing required"] = doc{"records": []doc{}}.json()
		bodies["missing in pagination"] = doc{"records": []doc{}, "pagination": doc{"page": 1}}.json()
		bodies["missing in a record"] = listDoc(1, 20, 1, 1, adaDoc().without("created_at")).json()
	case "UserServiceAccountCredentials":
		bodies["wrong type"] = saDoc().with("credentials", doc{"client_id": 7, "client_secret": "s"}).json()
		bodies["missing required"] = saDoc().json()
		bodies["missing secret"] = saDoc().with("credentials", doc{"client_id": saClientID}).json()
	case "SensitiveUser":
		bodies["wrong type"] = saDoc().with("credentials", "secret").json()
		bodies["missing required"] = saDoc().json()
		bodies["credentials of neither kind"] = saDoc().with("credentials", doc{}).json()
	case "object":
		bodies = map[string]string{"not JSON": `created`, "JSON array": `[1,2]`, "JSON string": `"sent"`}
	}
	return bodies
}

func TestSuccessBodiesThatDoNotDecode(t *testing.T) {
	for _, op := range operations() {
		if op.model == "" {
			continue
		}
		for name, body := range badBodies(op) {
			t.Run(op.name+"/"+name, func(t *testing.T) {
				m := newMockAPIRequestOnly(t)
				m.on(op.method, op.path, respond(op.status, body, "Content-Type", "application/json"))
				got, err := op.call(t.Context(), m.api)
				require.Error(t, err)
				assert.Nil(t, got)
				assert.Equal(t, 1, m.calls(), "a body that does not decode is not retried")
				var de *arthur.DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, strings.TrimSuffix(op.name, "Iter"), de.Operation)
				assert.Equal(t, op.status, de.StatusCode)
				assert.Equal(t, op.model, de.Model)
				assert.Equal(t, op.method, de.Method)
				assert.Equal(t, op.path, de.Path)
				if op.model == "UserServiceAccountCredentials" || op.model == "SensitiveUser" {
					assert.Nil(t, de.Body, "an answer that carries credentials is not kept")
				} else {
					assert.Equal(t, body, string(de.Body))
				}
				assert.Error(t, de.Err)
				msg := err.Error()
				for _, label := range []string{"callback:", "str:", "elem:"} {
					assert.NotContains(t, msg, label, "the codec's own labels say nothing to a user")
				}
				var syntax *json.SyntaxError
				if body != "" && !json.Valid([]byte(body)) {
					require.ErrorAs(t, err, &syntax, "a body that is not JSON is a JSON syntax error")
					assert.Same(t, syntax, de.Err)
					assert.Contains(t, msg, "offset "+strconv.FormatInt(syntax.Offset, 10))
				} else {
					assert.False(t, errors.As(err, &syntax), "valid JSON is no syntax error")
				}
				assert.Contains(t, msg, strings.TrimSuffix(op.name, "Iter"))
				assert.Contains(t, msg, strconv.Itoa(op.status))
				assert.Contains(t, msg, op.model)
				var apiErr *arthur.APIError
				assert.False(t, errors.As(err, &apiErr), "a 2xx is not an APIError")
				assertNoToken(t, err)
			})
		}
	}
}

// A body that is not JSON is a *json.SyntaxError whose Offset tells
// where; one of the wrong shape says what was expected.
func TestDecodeErrorSaysWhereAndWhat(t *testing.T) {
	cases := []struct {
		name, body string
		offset     int64  // of the *json.SyntaxError, 0 for none
		want       string // the end of the message
	}{
		{"HTML", `<html>maintenance</html>`, 1, "invalid character '<' looking for beginning of value (at offset 1)"},
		{"cut short", `{"id": "x", "first_name": "Ad`, 29, "unexpected end of JSON input (at offset 29)"},
		{"trailing data", adaDoc().json() + ` x`, int64(len(adaDoc().json()) + 2), "invalid character 'x' after top-level value (at offset " +
			strconv.Itoa(len(adaDoc().json())+2) + ")"},
		{"an array", `[]`, 0, `cannot decode body as User: expected an object at offset 0, found an array`},
		{"a number for a string", adaDoc().with("first_name", 42).json(), 0, "cannot decode body as User: expected a string at offset 121, found the number 42"},
		{"a bad timestamp", adaDoc().with("created_at", "yesterday").json(), 0, `cannot decode body as User: invalid date-time "yesterday"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMockAPIRequestOnly(t) // the bodies break the contract on purpose
			m.on("GET", "/api/v1/users/me", respond(200, tc.body))
			_, err := m.api.GetUsersMe(t.Context())
			var de *arthur.DecodeError
			require.ErrorAs(t, err, &de)
			var syntax *json.SyntaxError
			if tc.offset > 0 {
				require.ErrorAs(t, err, &syntax)
				assert.Equal(t, tc.offset, syntax.Offset)
				assert.True(t, strings.HasSuffix(err.Error(), tc.want), err.Error())
			} else {
				assert.False(t, errors.As(err, &syntax))
				assert.Contains(t, err.Error(), tc.want)
			}
			assert.NotContains(t, err.Error(), "callback")
		})
	}
}

// A missing required field is named in the error.
func TestDecodeErrorNamesMissingFields(t *testing.T) {
	m := newMockAPIRequestOnly(t)
	m.on("GET", "/api/v1/users/me", respond(200, adaDoc().without("id", "user_type").json()))
	_, err := m.api.GetUsersMe(t.Context())
	var de *arthur.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, de.Err.Error(), "id")
	assert.Contains(t, de.Err.Error(), "user_type")
}
