package arthurtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

const (
	datasetID = "5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f"
	projectID = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
)

func TestSynthesizedAnswerIsStable(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	first, err := client.DatasetsV1API.GetDataset(t.Context(), datasetID)
	if err != nil {
		t.Fatal(err)
	}
	again, err := client.DatasetsV1API.GetDataset(t.Context(), datasetID)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	if !bytes.Equal(a, b) {
		t.Errorf("two answers to the same call:\n%s\n%s", a, b)
	}
	if first.ID == "" || first.CreatedAt.IsZero() {
		t.Errorf("a dataset without its required fields: %s", a)
	}
	// Another server answers the same.
	other, err := arthurtest.NewServer(t).Client().DatasetsV1API.GetDataset(t.Context(), datasetID)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := json.Marshal(other); !bytes.Equal(a, c) {
		t.Errorf("another server answers otherwise:\n%s\n%s", a, c)
	}
}

func TestSynthesizedListPagesAgree(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	first, err := client.DatasetsV1API.GetDatasets(t.Context(), projectID, &arthur.GetDatasetsParams{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	p := first.Pagination
	if want := (p.TotalRecords + 1) / 2; p.TotalPages != want || p.PageSize != 2 {
		t.Errorf("pagination %+v: want page_size 2 and %d pages", p, want)
	}
	n := 0
	for _, err := range client.DatasetsV1API.GetDatasetsIter(t.Context(), projectID, &arthur.GetDatasetsParams{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != p.TotalRecords {
		t.Errorf("Iter yields %d datasets; total_records is %d", n, p.TotalRecords)
	}
}

func TestSynthesizedNoContent(t *testing.T) {
	srv := arthurtest.NewServer(t)
	if err := srv.Client().DatasetsV1API.DeleteDataset(t.Context(), datasetID); err != nil {
		t.Fatal(err)
	}
	resp := do(t, srv, http.MethodDelete, "/api/v1/datasets/"+datasetID, "")
	if resp.status != http.StatusNoContent || len(resp.body) != 0 {
		t.Errorf("DELETE answered %d %q; want 204 without a body", resp.status, resp.body)
	}
}

func TestSynthesizedNeedsAToken(t *testing.T) {
	srv := arthurtest.NewServer(t)
	resp, err := http.Get(srv.URL + "/api/v1/datasets/" + datasetID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || string(body) != `{"detail":"Not authenticated"}` {
		t.Errorf("without a token: %d %s", resp.StatusCode, body)
	}
	// The health check needs none.
	resp, err = http.Get(srv.URL + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/health without a token: %d", resp.StatusCode)
	}
}

func TestSynthesizedValidatesTheRequest(t *testing.T) {
	srv := arthurtest.NewServer(t)
	for _, c := range []struct {
		method, path, body string
		want               string
	}{
		{"GET", "/api/v1/datasets/nope", "", `{"detail":[{"type":"uuid_parsing","loc":["path","dataset_id"],"msg":"Input should be a valid UUID, invalid character: expected an optional prefix of ` + "`urn:uuid:`" + ` followed by [0-9a-fA-F-], found ` + "`n`" + ` at 1","input":"nope","ctx":{"error":"invalid character: expected an optional prefix of ` + "`urn:uuid:`" + ` followed by [0-9a-fA-F-], found ` + "`n`" + ` at 1"}}]}`},
		{"GET", "/api/v1/projects/" + projectID + "/datasets?page_size=1001", "", `{"detail":[{"type":"less_than_equal","loc":["query","page_size"],"msg":"Input should be less than or equal to 1000","input":"1001","ctx":{"le":1000}}]}`},
		{"GET", "/api/v1/projects/" + projectID + "/datasets?order=up", "", `{"detail":[{"type":"enum","loc":["query","order"],"msg":"Input should be 'asc' or 'desc'","input":"up","ctx":{"expected":"'asc' or 'desc'"}}]}`},
		{"PUT", "/api/v1/jobs/" + datasetID + "/state?job_run_id=" + projectID, `{}`, `{"detail":[{"type":"missing","loc":["body","job_state"],"msg":"Field required","input":{}}]}`},
		{"PUT", "/api/v1/jobs/" + datasetID + "/state", `{"job_state":"done"}`, ""},
		{"PUT", "/api/v1/jobs/" + datasetID + "/state?job_run_id=" + projectID, `{"job_state":`, `{"detail":[{"type":"json_invalid","loc":["body",13],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}`},
	} {
		resp := do(t, srv, c.method, c.path, c.body)
		if resp.status != http.StatusUnprocessableEntity {
			t.Errorf("%s %s %s: %d %s; want 422", c.method, c.path, c.body, resp.status, resp.body)
			continue
		}
		if c.want != "" && string(resp.body) != c.want {
			t.Errorf("%s %s %s:\n got %s\nwant %s", c.method, c.path, c.body, resp.body, c.want)
		}
	}
}

func TestHandleReplacesAnOperation(t *testing.T) {
	srv := arthurtest.NewServer(t)
	var got []byte
	err := srv.HandleFunc(arthurtest.OpPatchWorkspace, func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z","id":"`+datasetID+
			`","name":"renamed","organization_id":"`+projectID+`"}`)
	})
	if err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	ws, err := client.WorkspacesV1API.PatchWorkspace(t.Context(), datasetID, arthur.PatchWorkspace{Name: arthur.Value("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if ws.Name != "renamed" || !strings.Contains(string(got), `"renamed"`) {
		t.Errorf("the handler's answer: %+v; it read %s", ws, got)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Operation != arthurtest.OpPatchWorkspace || string(reqs[0].Body) != string(got) {
		t.Errorf("Requests: %+v", reqs)
	}
	// nil gives the operation back.
	if err := srv.Handle(arthurtest.OpPatchWorkspace, nil); err != nil {
		t.Fatal(err)
	}
	ws, err = client.WorkspacesV1API.PatchWorkspace(t.Context(), datasetID, arthur.PatchWorkspace{Name: arthur.Value("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if ws.Name == "renamed" {
		t.Errorf("still the handler's answer after Handle(op, nil)")
	}
}

func TestRespondCannedAnswers(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	if err := srv.Respond(arthurtest.OpGetDataset, http.StatusNotFound, map[string]string{"detail": "Dataset not found."}); err != nil {
		t.Fatal(err)
	}
	_, err := client.DatasetsV1API.GetDataset(t.Context(), datasetID)
	var apiErr *arthur.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, arthur.ErrNotFound) || apiErr.Detail != "Dataset not found." {
		t.Errorf("GetDataset: %v; want the canned 404", err)
	}
	// A json.RawMessage is written as it is; so is a Users V1 operation's.
	if err := srv.Respond(arthurtest.OpGetUsersMe, http.StatusOK, json.RawMessage(`{"detail": "not a user"}`)); err != nil {
		t.Fatal(err)
	}
	resp := do(t, srv, http.MethodGet, "/api/v1/users/me", "")
	if resp.status != http.StatusOK || string(resp.body) != `{"detail": "not a user"}` || resp.header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /api/v1/users/me: %d %s %v", resp.status, resp.body, resp.header)
	}
	// nil: no body.
	if err := srv.Respond(arthurtest.OpDeleteDataset, http.StatusAccepted, nil); err != nil {
		t.Fatal(err)
	}
	resp = do(t, srv, http.MethodDelete, "/api/v1/datasets/"+datasetID, "")
	if resp.status != http.StatusAccepted || len(resp.body) != 0 {
		t.Errorf("DELETE: %d %q", resp.status, resp.body)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("Requests holds %d requests; want 3", n)
	}
}

func TestHandleAndRespondRefuseMistakes(t *testing.T) {
	srv, err := arthurtest.Start() // no test to report to: the errors are returned
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Handle("get_datasets_please", http.NotFoundHandler()); err == nil || !strings.Contains(err.Error(), `"get_datasets_please"`) {
		t.Errorf("Handle of an unknown operation: %v", err)
	}
	if err := srv.Respond("nope", 200, nil); err == nil {
		t.Error("Respond of an unknown operation: no error")
	}
	if err := srv.Respond(arthurtest.OpGetDataset, 99, nil); err == nil {
		t.Error("Respond with status 99: no error")
	}
	if err := srv.Respond(arthurtest.OpGetDataset, 200, func() {}); err == nil {
		t.Error("Respond with a body encoding/json refuses: no error")
	}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request as the seeded admin.
func do(t *testing.T, srv *arthurtest.Server, method, path, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}
