package arthurtest_test

import (
	"errors"
	"testing"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestModelLifecycle(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	ctx := t.Context()
	ds := srv.AddDataset(arthur.Dataset{ProjectID: projectID, Name: arthur.Ptr("inferences"), ModelProblemType: arthur.ModelProblemTypeRegression})
	created, err := client.ModelsV1API.PostModel(ctx, projectID, arthur.PostModel{
		Name: "churn", Description: arthur.Ptr("who leaves"), DatasetIDs: []string{ds.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := srv.Admin()
	if created.Name != "churn" || *created.Description != "who leaves" || created.ProjectID != projectID ||
		len(created.Datasets) != 1 || created.Datasets[0].DatasetID != ds.ID || created.Datasets[0].DatasetName != "inferences" ||
		len(created.ModelProblemTypes) != 1 || created.ModelProblemTypes[0] != arthur.ModelProblemTypeRegression ||
		created.DataPlaneID != created.DataPlane.ID || created.LastUpdatedByUser == nil || created.LastUpdatedByUser.ID != admin.ID {
		t.Errorf("created %+v", created)
	}
	other, err := client.ModelsV1API.PostModel(ctx, projectID, arthur.PostModel{Name: "fraud", DatasetIDs: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.ModelsV1API.GetModel(ctx, created.ID)
	if err != nil || got.ID != created.ID || got.Name != "churn" {
		t.Fatalf("got %+v, %v", got, err)
	}
	list, err := client.ModelsV1API.GetModels(ctx, projectID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Records) != 2 || list.Records[0].ID != other.ID || list.Records[1].ID != created.ID {
		t.Errorf("the project lists %+v; want the newest first", list.Records)
	}
	byDataset, err := client.ModelsV1API.GetModels(ctx, projectID, &arthur.GetModelsParams{DatasetID: ds.ID})
	if err != nil || len(byDataset.Records) != 1 || byDataset.Records[0].ID != created.ID {
		t.Errorf("the models of the dataset: %+v, %v", byDataset, err)
	}

	patched, err := client.ModelsV1API.PatchModel(ctx, created.ID, arthur.PatchModel{Name: arthur.Value("churn-v2"), DatasetIDs: arthur.Value([]string{})})
	if err != nil {
		t.Fatal(err)
	}
	if patched.Name != "churn-v2" || len(patched.Datasets) != 0 || *patched.Description != "who leaves" {
		t.Errorf("patched %+v", patched)
	}
	spec := arthur.PutModelMetricSpec{AggregationSpecs: []arthur.AggregationSpec{{
		AggregationID: "00000000-0000-4000-8000-00000000000a", AggregationInitArgs: []arthur.MetricsArgSpec{}, AggregationArgs: []arthur.MetricsArgSpec{},
	}}}
	if err := client.ModelsV1API.PutModelMetricConfig(ctx, created.ID, spec); err != nil {
		t.Fatal(err)
	}
	got, err = client.ModelsV1API.GetModel(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if specs := got.MetricConfig.AggregationSpecs; len(specs) != 1 || specs[0].AggregationID != "00000000-0000-4000-8000-00000000000a" || got.MetricConfig.ID == "" {
		t.Errorf("the metric config: %+v", got.MetricConfig)
	}

	if err := client.ModelsV1API.DeleteModel(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ModelsV1API.GetModel(ctx, created.ID); !errors.Is(err, arthur.ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if err := client.ModelsV1API.PutModelMetricConfig(ctx, created.ID, spec); !errors.Is(err, arthur.ErrNotFound) {
		t.Errorf("metric config after delete: %v", err)
	}
	if ms := srv.Models(); len(ms) != 1 || ms[0].ID != other.ID {
		t.Errorf("the server holds %+v", ms)
	}
}
