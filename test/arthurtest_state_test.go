package test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// TestArthurtestDatasetScenario: a dataset created through the SDK is
// what arthurtest then gets, lists, patches and, once deleted, answers
// with the typed NotFoundError; each request and answer valid by the
// contract.
func TestArthurtestDatasetScenario(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client, tr := contractClientOf(t, srv)
	ctx := t.Context()
	created, err := client.DatasetsV1API.PostProjectDataset(ctx, scenProjectID, arthur.PostDataset{
		Name: arthur.Ptr("inferences"), ModelProblemType: arthur.ModelProblemTypeRegression,
	})
	require.NoError(t, err)
	assert.Equal(t, scenProjectID, created.ProjectID)
	assert.Equal(t, arthur.ModelProblemTypeRegression, created.ModelProblemType)

	got, err := client.DatasetsV1API.GetDataset(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	list, err := client.DatasetsV1API.GetDatasets(ctx, scenProjectID, nil)
	require.NoError(t, err)
	require.Len(t, list.Records, 1)
	assert.Equal(t, created.ID, list.Records[0].ID)
	assert.Equal(t, 1, list.Pagination.TotalRecords)

	patched, err := client.DatasetsV1API.PatchDataset(ctx, created.ID, arthur.PatchDataset{Name: arthur.Null[string]()})
	require.NoError(t, err)
	assert.Nil(t, patched.Name)
	assert.Equal(t, created.DatasetSchema, patched.DatasetSchema)

	require.NoError(t, client.DatasetsV1API.DeleteDataset(ctx, created.ID))
	_, err = client.DatasetsV1API.GetDataset(ctx, created.ID)
	var nf *arthur.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.ErrorIs(t, err, arthur.ErrNotFound)
	list, err = client.DatasetsV1API.GetDatasets(ctx, scenProjectID, nil)
	require.NoError(t, err)
	assert.Empty(t, list.Records)
	assert.Positive(t, tr.Checked())
}

// TestArthurtestJobAgentScenario: the job agent's loop, end to end
// through the SDK against arthurtest: submit a batch, dequeue, get, run,
// log, complete, and find the queue empty.
func TestArthurtestJobAgentScenario(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client, _ := contractClientOf(t, srv)
	ctx := t.Context()
	batch, err := client.JobsV1API.PostSubmitJobsBatch(ctx, scenProjectID, arthur.PostJobBatch{Jobs: []arthur.PostJob{{
		Kind:    arthur.PostJobKindConnectorCheck,
		JobSpec: arthur.PostJobJobSpec{ConnectorCheckJobSpec: &arthur.ConnectorCheckJobSpec{ConnectorID: scenConnectorID}},
	}}})
	require.NoError(t, err)
	require.Len(t, batch.Jobs, 1)
	job := batch.Jobs[0]
	assert.Equal(t, arthur.JobStateQueued, job.State)

	dequeue := arthur.JobDequeueParameters{MemoryLimitMB: 2048}
	run, err := client.JobsV1API.PostDequeueJob(ctx, scenDataPlaneID, dequeue)
	require.NoError(t, err)
	require.NotNil(t, run)
	assert.Equal(t, job.ID, run.JobID)

	got, err := client.JobsV1API.GetJob(ctx, job.ID)
	require.NoError(t, err)
	assert.Equal(t, arthur.Ptr(scenDataPlaneID), got.DataPlaneID)

	state := func(s arthur.JobState) *arthur.Job {
		t.Helper()
		j, err := client.JobsV1API.PutJobState(ctx, job.ID, &arthur.PutJobStateParams{JobRunID: run.ID}, arthur.PutJobState{JobState: s})
		require.NoError(t, err)
		return j
	}
	assert.Equal(t, arthur.JobStateRunning, state(arthur.JobStateRunning).State)
	at := time.Date(2025, 6, 1, 12, 0, 0, 123456000, time.UTC)
	require.NoError(t, client.JobsV1API.PostJobLogs(ctx, job.ID, run.ID, arthur.JobLogs{Logs: []arthur.JobLog{
		{LogLevel: arthur.JobLogLevelInfo, Log: "connected", LogTimestamp: at},
	}}))
	logs, err := client.JobsV1API.GetJobLogs(ctx, job.ID, run.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []arthur.JobLog{{LogLevel: arthur.JobLogLevelInfo, Log: "connected", LogTimestamp: at}}, logs.Records)
	done := state(arthur.JobStateCompleted)
	assert.Equal(t, arthur.JobStateCompleted, done.State)
	assert.NotNil(t, done.FinishedAt)

	none, err := client.JobsV1API.PostDequeueJob(ctx, scenDataPlaneID, dequeue)
	require.NoError(t, err)
	assert.Nil(t, none, "an empty queue answers 204")
}

// TestArthurtestModelScenario: a model created on a dataset of the
// server's, its metric config put, patched, listed and deleted; each
// request and answer valid by the contract.
func TestArthurtestModelScenario(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client, _ := contractClientOf(t, srv)
	ctx := t.Context()
	ds := srv.AddDataset(arthur.Dataset{ProjectID: scenProjectID, Name: arthur.Ptr("prompts"), ModelProblemType: arthur.ModelProblemTypeAgenticTrace})
	model, err := client.ModelsV1API.PostModel(ctx, scenProjectID, arthur.PostModel{Name: "assistant", DatasetIDs: []string{ds.ID}})
	require.NoError(t, err)
	assert.Equal(t, []arthur.ModelProblemType{arthur.ModelProblemTypeAgenticTrace}, model.ModelProblemTypes)
	require.Len(t, model.Datasets, 1)
	assert.Equal(t, "prompts", model.Datasets[0].DatasetName)

	spec := arthur.PutModelMetricSpec{AggregationSpecs: []arthur.AggregationSpec{{
		AggregationID: scenAggCount, AggregationInitArgs: []arthur.MetricsArgSpec{}, AggregationArgs: []arthur.MetricsArgSpec{},
	}}}
	require.NoError(t, client.ModelsV1API.PutModelMetricConfig(ctx, model.ID, spec))
	got, err := client.ModelsV1API.GetModel(ctx, model.ID)
	require.NoError(t, err)
	require.Len(t, got.MetricConfig.AggregationSpecs, 1)
	assert.Equal(t, scenAggCount, got.MetricConfig.AggregationSpecs[0].AggregationID)

	patched, err := client.ModelsV1API.PatchModel(ctx, model.ID, arthur.PatchModel{Description: arthur.Value("answers")})
	require.NoError(t, err)
	assert.Equal(t, arthur.Ptr("answers"), patched.Description)
	list, err := client.ModelsV1API.GetModels(ctx, scenProjectID, &arthur.GetModelsParams{Name: "ASSIST"})
	require.NoError(t, err)
	require.Len(t, list.Records, 1)
	assert.Equal(t, model.ID, list.Records[0].ID)

	require.NoError(t, client.ModelsV1API.DeleteModel(ctx, model.ID))
	_, err = client.ModelsV1API.GetModel(ctx, model.ID)
	var nf *arthur.NotFoundError
	require.ErrorAs(t, err, &nf)
}
