package arthurtest_test

import (
	"net/http"
	"testing"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

const dataPlaneID = "d7e6f5a4-b3c2-4d1e-9f8a-7b6c5d4e3f2a"

// The job agent's loop: jobs submitted wait in the queue, a data plane
// dequeues each once, moves its state and posts its logs; an empty queue
// answers 204.
func TestJobAgentLoop(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := srv.Client()
	ctx := t.Context()
	const connectorID = "c0cc0cc0-1111-4222-8333-444455556666"
	batch, err := client.JobsV1API.PostSubmitJobsBatch(ctx, projectID, arthur.PostJobBatch{Jobs: []arthur.PostJob{
		{Kind: arthur.PostJobKindConnectorCheck, JobSpec: arthur.PostJobJobSpec{ConnectorCheckJobSpec: &arthur.ConnectorCheckJobSpec{ConnectorID: connectorID}}},
		{Kind: arthur.PostJobKindListDatasets, JobSpec: arthur.PostJobJobSpec{ListDatasetsJobSpec: &arthur.ListDatasetsJobSpec{ConnectorID: connectorID}}, Nonce: arthur.Ptr("n-1")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(batch.Jobs) != 2 {
		t.Fatalf("%d jobs submitted; want 2", len(batch.Jobs))
	}
	first, second := batch.Jobs[0], batch.Jobs[1]
	if first.State != arthur.JobStateQueued || first.Kind != arthur.JobKindConnectorCheck || first.ProjectID != projectID ||
		first.JobSpec.ConnectorCheckJobSpec == nil || first.JobSpec.ConnectorCheckJobSpec.ConnectorID != connectorID ||
		second.Nonce == nil || *second.Nonce != "n-1" || first.Attempts != 0 || first.DataPlaneID != nil {
		t.Errorf("submitted %+v and %+v", first, second)
	}

	params := arthur.JobDequeueParameters{MemoryLimitMB: 4096}
	run, err := client.JobsV1API.PostDequeueJob(ctx, dataPlaneID, params)
	if err != nil {
		t.Fatal(err)
	}
	if run == nil || run.JobID != first.ID || run.JobAttempt != 1 {
		t.Fatalf("dequeued %+v; want the first job's first attempt", run)
	}
	got, err := client.JobsV1API.GetJob(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DataPlaneID == nil || *got.DataPlaneID != dataPlaneID || got.Attempts != 1 || got.State != arthur.JobStateQueued {
		t.Errorf("the dequeued job %+v", got)
	}
	running, err := client.JobsV1API.PutJobState(ctx, first.ID, &arthur.PutJobStateParams{JobRunID: run.ID}, arthur.PutJobState{JobState: arthur.JobStateRunning})
	if err != nil {
		t.Fatal(err)
	}
	if running.State != arthur.JobStateRunning || running.StartedAt == nil {
		t.Errorf("running: %+v", running)
	}
	stamp := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	logs := []arthur.JobLog{
		{LogLevel: arthur.JobLogLevelInfo, Log: "checking", LogTimestamp: stamp},
		{LogLevel: arthur.JobLogLevelWarning, Log: "slow", LogTimestamp: stamp.Add(time.Second)},
	}
	if err := client.JobsV1API.PostJobLogs(ctx, first.ID, run.ID, arthur.JobLogs{Logs: logs}); err != nil {
		t.Fatal(err)
	}
	got2, err := client.JobsV1API.GetJobLogs(ctx, first.ID, run.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got2.Records) != 2 || got2.Records[0].Log != "checking" || got2.Records[1].LogLevel != arthur.JobLogLevelWarning ||
		!got2.Records[0].LogTimestamp.Equal(stamp) {
		t.Errorf("the logs: %+v", got2.Records)
	}
	srv.Advance(3 * time.Second)
	done, err := client.JobsV1API.PutJobState(ctx, first.ID, &arthur.PutJobStateParams{JobRunID: run.ID}, arthur.PutJobState{JobState: arthur.JobStateCompleted})
	if err != nil {
		t.Fatal(err)
	}
	if done.State != arthur.JobStateCompleted || done.FinishedAt == nil || done.DurationSec == nil || *done.DurationSec < 3 {
		t.Errorf("completed: %+v", done)
	}
	if runs := srv.JobRuns(first.ID); len(runs) != 1 || runs[0].State != arthur.JobStateCompleted || runs[0].EndTimestamp == nil {
		t.Errorf("the runs: %+v", runs)
	}

	next, err := client.JobsV1API.PostDequeueJob(ctx, dataPlaneID, params)
	if err != nil || next == nil || next.JobID != second.ID {
		t.Fatalf("the second dequeue: %+v, %v; want the second job", next, err)
	}
	if _, err := client.JobsV1API.PutJobState(ctx, second.ID, &arthur.PutJobStateParams{JobRunID: next.ID}, arthur.PutJobState{JobState: arthur.JobStateFailed}); err != nil {
		t.Fatal(err)
	}
	none, err := client.JobsV1API.PostDequeueJob(ctx, dataPlaneID, params)
	if err != nil || none != nil {
		t.Errorf("an empty queue: %+v, %v; want no run", none, err)
	}
	resp := do(t, srv, http.MethodPost, "/api/v1/data_planes/"+dataPlaneID+"/jobs/next", `{"memory_limit_mb":1}`)
	if resp.status != http.StatusNoContent || len(resp.body) != 0 {
		t.Errorf("an empty queue answered %d %q", resp.status, resp.body)
	}

	failed, err := client.JobsV1API.GetJobs(ctx, projectID, &arthur.GetJobsParams{States: []arthur.JobState{arthur.JobStateFailed}})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed.Records) != 1 || failed.Records[0].ID != second.ID {
		t.Errorf("the failed jobs: %+v", failed.Records)
	}
	var ids []string
	for j, err := range client.JobsV1API.GetJobsIter(ctx, projectID, &arthur.GetJobsParams{Kinds: []arthur.JobKind{arthur.JobKindConnectorCheck, arthur.JobKindListDatasets}, PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	if len(ids) != 2 || ids[0] != second.ID || ids[1] != first.ID {
		t.Errorf("the jobs, newest first, a page each: %v", ids)
	}
	if n := len(srv.Jobs()); n != 2 {
		t.Errorf("the server holds %d jobs", n)
	}
}

// A run the job does not have is a 404; a job the server does not hold is
// synthesized.
func TestJobUnknownRun(t *testing.T) {
	srv := arthurtest.NewServer(t)
	batch, err := srv.Client().JobsV1API.PostSubmitJobsBatch(t.Context(), projectID, arthur.PostJobBatch{Jobs: []arthur.PostJob{
		{Kind: arthur.PostJobKindConnectorCheck, JobSpec: arthur.PostJobJobSpec{ConnectorCheckJobSpec: &arthur.ConnectorCheckJobSpec{ConnectorID: datasetID}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	resp := do(t, srv, http.MethodGet, "/api/v1/jobs/"+batch.Jobs[0].ID+"/runs/"+datasetID+"/logs", "")
	if resp.status != http.StatusNotFound {
		t.Errorf("the logs of an unknown run: %d %s", resp.status, resp.body)
	}
	resp = do(t, srv, http.MethodGet, "/api/v1/jobs/"+datasetID, "")
	if resp.status != http.StatusOK {
		t.Errorf("a job the server does not hold: %d %s", resp.status, resp.body)
	}
}
