package test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/internal/optable"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// contractClientOf is a client of srv whose every request and answer is
// validated against the contract, failures reported to t.
func contractClientOf(t *testing.T, srv *arthurtest.Server) (*arthur.APIClient, *oas.Transport) {
	t.Helper()
	tr := oas.NewTransport(t, freshTransport(t))
	cfg := srv.Configuration()
	cfg.HTTPClient = &http.Client{Transport: tr}
	cfg.Retry = arthurtest.FastRetryPolicy()
	return arthur.NewAPIClient(cfg), tr
}

// TestArthurtestAnswersEveryOperation calls every operation of the
// operation table through the SDK against arthurtest, with arguments
// synthesized from the spec, each request and answer validated against
// the contract: every call succeeds, and every paged list's Iter walks
// pages of two records to the end.
func TestArthurtestAnswersEveryOperation(t *testing.T) {
	contract := oas.MustLoad(t)
	ops := contractOperations(t, contract.Doc)
	siblings, secrets := readOverrides(t, contract.Doc)
	srv := arthurtest.NewServer(t)
	calls, checked, walks, longWalks := 0, int64(0), 0, 0
	for _, op := range optable.Operations {
		t.Run(op.ID, func(t *testing.T) {
			co, ok := ops[op.ID]
			require.True(t, ok, "operation %s of the table is not in the spec", op.ID)
			c := &conformance{op: op, co: co, siblings: siblings, secrets: secrets}
			c.bind(t)
			client, tr := contractClientOf(t, srv)
			for v := range 3 {
				a := c.args(t, v, v != 0)
				if len(co.pathParams) == 1 && co.pathParams[0].Name == "user_id" {
					// The users are arthurtest's state: the call names one it holds.
					kind := arthur.UserTypeUser
					if op.ID == arthurtest.OpPatchServiceAccountUser {
						kind = arthur.UserTypeServiceAccount
					}
					u := srv.AddUser(arthur.User{FirstName: "Grace", UserType: kind})
					a.in[0] = reflect.ValueOf(u.ID).Convert(a.in[0].Type())
				}
				outs, err := invoke(t, c.method(t, client, op.Method), a)
				require.NoError(t, err, "variant %d", v)
				calls++
				if c.result != nil && c.result.Kind() == reflect.Pointer {
					assert.False(t, outs[0].IsNil(), "variant %d: a nil result", v)
				}
			}
			if op.Paged {
				walks++
				if walkPages(t, c, client) > 2 {
					longWalks++
				}
			}
			checked += tr.Checked()
		})
	}
	t.Logf("arthurtest: %d operations, %d calls, %d requests and their answers validated against the contract; "+
		"%d Iter walks, %d of them over more than one page", len(optable.Operations), calls, checked, walks, longWalks)
}

// walkPages walks a paged list of arthurtest two records a page: the Iter
// ends, having yielded the records of the whole list, which one page of
// 20 holds (arthurtest's lists are shorter).
func walkPages(t *testing.T, c *conformance, client *arthur.APIClient) int {
	t.Helper()
	withPageSize := func(size int) callArgs {
		a := c.args(t, 0, true)
		params := a.in[len(c.co.pathParams)]
		if f := params.Elem().FieldByName("Page"); f.IsValid() {
			f.Set(reflect.Zero(f.Type()))
		}
		f := params.Elem().FieldByName("PageSize")
		require.True(t, f.IsValid(), "%sParams has no PageSize", c.op.Method)
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.New(f.Type().Elem()))
			f = f.Elem()
		}
		f.SetInt(int64(size))
		return a
	}
	outs, err := invoke(t, c.method(t, client, c.op.Method), withPageSize(20))
	require.NoError(t, err)
	records, _, _, _ := pagedShape(c.co.result)
	var all int
	for i := range outs[0].Elem().NumField() {
		if normName(outs[0].Elem().Type().Field(i).Name) == normName(records) {
			all = outs[0].Elem().Field(i).Len()
		}
	}
	a := withPageSize(2)
	iter := c.service(t, client).MethodByName(c.op.Method + "Iter")
	seq := iter.Call(append([]reflect.Value{reflect.ValueOf(t.Context())}, a.in...))[0]
	n := 0
	yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
		if !args[1].IsNil() {
			t.Errorf("Iter: %v", args[1].Interface())
			return []reflect.Value{reflect.ValueOf(false)}
		}
		n++
		return []reflect.Value{reflect.ValueOf(n < 100)}
	})
	seq.Call([]reflect.Value{yield})
	assert.Equal(t, all, n, "the records the Iter yields, two a page")
	return n
}

// TestArthurtestSynthesizedAnswersAreStable: the same call gets the same
// answer, another path another one.
func TestArthurtestSynthesizedAnswersAreStable(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client, _ := contractClientOf(t, srv)
	const id = "5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f"
	first, err := client.DatasetsV1API.GetDataset(t.Context(), id)
	require.NoError(t, err)
	again, err := client.DatasetsV1API.GetDataset(t.Context(), id)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	other, err := client.DatasetsV1API.GetDataset(t.Context(), "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, other.ID)
}

// TestArthurtestSynthesizedNeedsAToken: an operation with security
// answers 401 without a bearer token; one without security answers.
func TestArthurtestSynthesizedNeedsAToken(t *testing.T) {
	srv := arthurtest.NewServer(t)
	cfg := srv.Configuration()
	cfg.AccessToken = ""
	cfg.Retry = arthurtest.FastRetryPolicy()
	client := arthur.NewAPIClient(cfg)
	_, err := client.DatasetsV1API.GetDataset(t.Context(), "5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f")
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, string(apiErr.Body))

	resp, err := http.Get(srv.URL + "/api/v1/datasets/5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "Bearer", resp.Header.Get("WWW-Authenticate"))
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, string(body))

	health, err := client.HealthAPI.HealthCheck(t.Context())
	require.NoError(t, err)
	assert.NotNil(t, health)
}

// TestArthurtestSynthesizedValidates: a bad request gets FastAPI's 422,
// each error at its place.
func TestArthurtestSynthesizedValidates(t *testing.T) {
	srv := arthurtest.NewServer(t)
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp.StatusCode, out
	}
	locs := func(out map[string]any) []string {
		var ls []string
		for _, e := range out["detail"].([]any) {
			e := e.(map[string]any)
			parts := []string{e["type"].(string)}
			for _, l := range e["loc"].([]any) {
				b, _ := json.Marshal(l)
				parts = append(parts, strings.Trim(string(b), `"`))
			}
			ls = append(ls, strings.Join(parts, " "))
		}
		return ls
	}
	status, out := do("GET", "/api/v1/datasets/not-a-uuid", "")
	assert.Equal(t, 422, status)
	assert.Equal(t, []string{"uuid_parsing path dataset_id"}, locs(out))

	status, out = do("GET", "/api/v1/workspaces/5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f/alerts?page=0&page_size=x&order=sideways", "")
	assert.Equal(t, 422, status)
	assert.ElementsMatch(t, []string{"greater_than_equal query page", "int_parsing query page_size", "enum query order"}, locs(out))

	status, out = do("PATCH", "/api/v1/jobs/5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f", `{"max_attempts": "many", "other": 1}`)
	assert.Equal(t, 422, status)
	assert.Equal(t, []string{"int_parsing body max_attempts"}, locs(out))

	status, out = do("PATCH", "/api/v1/jobs/5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f", `{}`)
	assert.Equal(t, 422, status)
	assert.Equal(t, []string{"missing body max_attempts"}, locs(out))

	status, out = do("PUT", "/api/v1/jobs/5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f/state", `{`)
	assert.Equal(t, 422, status)
	assert.Equal(t, []string{"json_invalid body 1"}, locs(out))
}
