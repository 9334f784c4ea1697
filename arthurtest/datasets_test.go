package arthurtest_test

import (
	"errors"
	"net/http"
	"testing"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestDatasetLifecycle(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	ctx := t.Context()
	created, err := client.DatasetsV1API.PostProjectDataset(ctx, projectID, arthur.PostDataset{
		Name: arthur.Ptr("inferences"), ModelProblemType: arthur.ModelProblemTypeBinaryClassification, IsStatic: arthur.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ProjectID != projectID || created.Name == nil || *created.Name != "inferences" || !created.IsStatic ||
		created.ModelProblemType != arthur.ModelProblemTypeBinaryClassification || created.ID == "" || created.CreatedAt.IsZero() {
		t.Errorf("created %+v", created)
	}
	got, err := client.DatasetsV1API.GetDataset(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != created.ID || *got.Name != "inferences" || !got.UpdatedAt.Equal(created.UpdatedAt) {
		t.Errorf("got %+v; want the created %+v", got, created)
	}
	other := srv.AddDataset(arthur.Dataset{ProjectID: projectID, Name: arthur.Ptr("added")})
	srv.AddDataset(arthur.Dataset{ProjectID: datasetID, Name: arthur.Ptr("elsewhere")})
	list, err := client.DatasetsV1API.GetDatasets(ctx, projectID, &arthur.GetDatasetsParams{Order: arthur.SortOrderAsc})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Records) != 2 || list.Records[0].ID != created.ID || list.Records[1].ID != other.ID || list.Pagination.TotalRecords != 2 {
		t.Errorf("the project lists %+v", list)
	}

	srv.Advance(1e9)
	patched, err := client.DatasetsV1API.PatchDataset(ctx, created.ID, arthur.PatchDataset{Name: arthur.Value("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if *patched.Name != "renamed" || !patched.UpdatedAt.After(created.UpdatedAt) || !patched.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("patched %+v", patched)
	}
	if d, ok := srv.Dataset(created.ID); !ok || *d.Name != "renamed" {
		t.Errorf("srv.Dataset: %+v, %v", d, ok)
	}

	if err := client.DatasetsV1API.DeleteDataset(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = client.DatasetsV1API.GetDataset(ctx, created.ID)
	var nf *arthur.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("get after delete: %v; want a NotFoundError", err)
	}
	resp := do(t, srv, http.MethodGet, "/api/v1/datasets/"+created.ID, "")
	if resp.status != http.StatusNotFound || string(resp.body) != `{"detail":"Resource not found"}` {
		t.Errorf("get after delete answered %d %s", resp.status, resp.body)
	}
	if n := len(srv.Datasets()); n != 2 {
		t.Errorf("the server holds %d datasets; want 2", n)
	}
}

// Respond and Handle replace a stateful operation too.
func TestRespondOverridesState(t *testing.T) {
	srv := arthurtest.NewServer(t)
	d := srv.AddDataset(arthur.Dataset{ProjectID: projectID, Name: arthur.Ptr("held")})
	if err := srv.Respond(arthurtest.OpGetDataset, http.StatusNotFound, map[string]string{"detail": "canned"}); err != nil {
		t.Fatal(err)
	}
	resp := do(t, srv, http.MethodGet, "/api/v1/datasets/"+d.ID, "")
	if resp.status != http.StatusNotFound || string(resp.body) != `{"detail":"canned"}` {
		t.Errorf("Respond: %d %s", resp.status, resp.body)
	}
	_ = srv.HandleFunc(arthurtest.OpPostDequeueJob, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	if resp := do(t, srv, http.MethodPost, "/api/v1/data_planes/"+dataPlaneID+"/jobs/next", `{"memory_limit_mb":1}`); resp.status != http.StatusTeapot {
		t.Errorf("Handle: %d", resp.status)
	}
	_ = srv.Handle(arthurtest.OpGetDataset, nil)
	if resp := do(t, srv, http.MethodGet, "/api/v1/datasets/"+d.ID, ""); resp.status != http.StatusOK {
		t.Errorf("given back: %d %s", resp.status, resp.body)
	}
}

// A dataset made on a connector names it, the same for each of its
// datasets.
func TestConnectorDataset(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	const connectorID = "c0cc0cc0-1111-4222-8333-444455556666"
	var conns []*arthur.DatasetConnector
	for range 2 {
		d, err := client.DatasetsV1API.PostConnectorDataset(t.Context(), connectorID, arthur.PostDataset{ModelProblemType: arthur.ModelProblemTypeRegression})
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, d.Connector)
	}
	if conns[0] == nil || conns[0].ID != connectorID || conns[1] == nil || *conns[0] != *conns[1] {
		t.Errorf("the connectors: %+v, %+v", conns[0], conns[1])
	}
}
