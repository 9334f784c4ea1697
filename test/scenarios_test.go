package test

// Scenario tests: the stories that Arthur's own callers (the ML engine's job
// agent, onboarding scripts) live through, told against a loopback server
// with canned answers written by hand, each request and answer checked
// against api/openapi.json. Each test asserts what its user sees: the
// requests on the wire, the typed values decoded, the errors returned.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
)

// The IDs of the scenarios' platform: a project in a workspace, its data
// plane (an engine), a model, its dataset and connector.
const (
	scenWorkspaceID   = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	scenProjectID     = "4b9a4c3e-2f1d-4e8b-9a7c-6d5e4f3a2b1c"
	scenDataPlaneID   = "d7e6f5a4-b3c2-4d1e-9f8a-7b6c5d4e3f2a"
	scenDataPlaneUser = "e8f7a6b5-c4d3-4e2f-8a9b-0c1d2e3f4a5b"
	scenModelID       = "0f1e2d3c-4b5a-4968-8776-655443322110"
	scenDatasetID     = "da7a5e70-3c2b-4d1e-8f9a-0b1c2d3e4f50"
	scenConnectorID   = "c0cc0cc0-1111-4222-8333-444455556666"
	scenScheduleID    = "5c4ed01e-9a8b-4c7d-b6e5-f4a3b2c1d0e9"
	scenJobID         = "c0ffee00-1234-4abc-8def-0123456789ab"
	scenJobID2        = "c0ffee00-1234-4abc-8def-0123456789ac"
	scenJobID3        = "c0ffee00-1234-4abc-8def-0123456789ad"
	scenJobRunID      = "5eed5eed-abcd-4ef0-9123-456789abcdef"
	scenUserID        = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
	scenOrgID         = "0a9b8c7d-6e5f-4a3b-8c1d-0e9f8a7b6c5d"
	scenMetricSpecID  = "3e5f7a9b-1c3d-4e5f-a7b9-c1d3e5f7a9b1"
	scenCustomAggID   = "ca0ca0ca-7b6a-4958-8a7b-6c5d4e3f2a1b"
	scenPolicyID      = "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b"
	scenPolicyID2     = "9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5c"
	scenGroupID       = "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"
	scenWebhookID     = "8b7a6f5e-4d3c-4b2a-9f8e-7d6c5b4a3f2e"
	scenAlertRuleID   = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
	scenAlertID       = "2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e"
	scenAlertID2      = "2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7f"
	scenAlertID3      = "2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d80"

	// The columns of the dataset, and the default aggregations the model's
	// metric config refers to.
	scenColTimestamp = "11111111-2222-4333-8444-555555555551"
	scenColPrompt    = "11111111-2222-4333-8444-555555555552"
	scenColInference = "11111111-2222-4333-8444-555555555553"
	scenColEmbedding = "11111111-2222-4333-8444-555555555554"
	scenAggCount     = "00000000-0000-4000-8000-00000000000a"
	scenAggNullCount = "00000000-0000-4000-8000-00000000000b"
)

// scenUser is a user as the API embeds it (triggered_by_user,
// last_updated_by_user, authored_by).
const scenUser = `{"created_at":"2024-11-02T08:15:00.120391Z","updated_at":"2025-01-20T13:44:02.918273Z",
	"organization_id":"` + scenOrgID + `","id":"` + scenUserID + `","first_name":"Grace","last_name":"Hopper",
	"email":"grace@acme.example","picture":null,"user_type":"user","data_plane_id":null,"client_id":null,
	"organization_name":"Acme"}`

// ---------------------------------------------------------------------------
// The loopback platform.

// scenRequest is one request as the server received it.
type scenRequest struct {
	Method, Path, Query string
	Auth                string
	Body                []byte
}

// scenServer is a loopback Arthur: a few handlers with canned answers, a
// record of every request, and a client whose traffic the contract
// validator checks both ways.
type scenServer struct {
	t      *testing.T
	mux    *http.ServeMux
	srv    *httptest.Server
	client *arthur.APIClient

	mu   sync.Mutex
	reqs []scenRequest
}

func newScenServer(t *testing.T) *scenServer {
	t.Helper()
	s := &scenServer{t: t, mux: http.NewServeMux()}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the server has no handler for %s %s", r.Method, r.URL.RequestURI())
		w.WriteHeader(http.StatusTeapot)
	})
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)

	cfg := arthur.NewConfiguration()
	cfg.Host = s.srv.URL
	cfg.AllowInsecureHTTP = true
	cfg.AccessToken = testToken
	cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
	tr := oas.NewTransport(t, s.srv.Client().Transport)
	cfg.HTTPClient = &http.Client{Transport: tr}
	s.client = arthur.NewAPIClient(cfg)
	t.Cleanup(func() {
		assert.Equal(t, int64(len(s.requests())), tr.Checked(), "requests checked against the contract")
	})
	return s
}

func (s *scenServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("read request body: %v", err)
	}
	if len(body) == 0 {
		body = nil
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, scenRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Auth: r.Header.Get("Authorization"), Body: body})
	s.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mux.ServeHTTP(w, r)
}

// on answers pattern ("GET /api/v1/jobs/{job_id}") with the answers in turn,
// the last one again for any further call.
func (s *scenServer) on(pattern string, answers ...scenAnswer) {
	var mu sync.Mutex
	n := 0
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		if a.body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	})
}

// onPages answers the list at pattern with pages[n-1] for ?page=n (1 when
// absent), as a paged list does whatever was asked before.
func (s *scenServer) onPages(pattern string, pages ...string) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		n := 1
		if q := r.URL.Query().Get("page"); q != "" {
			var err error
			if n, err = strconv.Atoi(q); err != nil || n < 1 || n > len(pages) {
				s.t.Errorf("%s: no page %q", pattern, q)
				w.WriteHeader(http.StatusTeapot)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, pages[n-1])
	})
}

func (s *scenServer) requests() []scenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

type scenAnswer struct {
	status int
	body   string
}

func scenOK(body string) scenAnswer { return scenAnswer{http.StatusOK, body} }

func scenNoContent() scenAnswer { return scenAnswer{status: http.StatusNoContent} }

func scenFail(status int, body string) scenAnswer { return scenAnswer{status, body} }

// wire checks one received request: method, escaped path, raw query, the
// bearer token, and the body (JSON-equal to body, or none when body is "").
func scenWire(t *testing.T, r scenRequest, method, path, query, body string) {
	t.Helper()
	assert.Equal(t, method, r.Method, "method")
	assert.Equal(t, path, r.Path, "path")
	assert.Equal(t, query, r.Query, "query of %s %s", method, path)
	assert.Equal(t, "Bearer "+testToken, r.Auth, "Authorization")
	if body == "" {
		assert.Empty(t, r.Body, "body of %s %s", method, path)
		return
	}
	assert.JSONEq(t, body, string(r.Body), "body of %s %s", method, path)
}

// scenTime parses a timestamp of the canned answers.
func scenTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

func scenInstant(t *testing.T, want string, got time.Time, what string) {
	t.Helper()
	assert.Truef(t, scenTime(t, want).Equal(got), "%s: want %s, got %s", what, want, got.Format(time.RFC3339Nano))
}

// requireArgumentError checks that err is the SDK's refusal of arg, before
// anything was sent.
func scenArgumentError(t *testing.T, err error, op, arg string) *arthur.ArgumentError {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, arthur.ErrInvalidArgument)
	var ae *arthur.ArgumentError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, op, ae.Operation)
	assert.Equal(t, arg, ae.Argument)
	var apiErr *arthur.APIError
	assert.False(t, errors.As(err, &apiErr), "an argument error is not an answer of the API")
	return ae
}

// requireAPIError checks that err is the API's answer status to op.
func scenAPIError(t *testing.T, err error, op string, status int, sentinel error) *arthur.APIError {
	t.Helper()
	require.Error(t, err)
	var ae *arthur.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, op, ae.Operation)
	assert.Equal(t, status, ae.StatusCode)
	assert.ErrorIs(t, err, sentinel)
	return ae
}

// ---------------------------------------------------------------------------
// Jobs: the data plane's agent and a project's submitted jobs.

// scenJob is a metrics calculation job of the project in state, as the API
// writes it; startedAt and finishedAt are JSON (a quoted timestamp or null).
func scenJob(id, state, startedAt, finishedAt, durationSec string) string {
	return `{"id":"` + id + `","kind":"metrics_calculation",
	"job_spec":{"job_type":"metrics_calculation","scope_model_id":"` + scenModelID + `",
		"start_timestamp":"2025-03-14T00:00:00Z","end_timestamp":"2025-03-15T00:00:00Z","policy_assignment_id":null},
	"state":"` + state + `","project_id":"` + scenProjectID + `","data_plane_id":"` + scenDataPlaneID + `",
	"queued_at":"2025-03-15T00:00:03.412518Z","ready_at":"2025-03-15T00:00:03.412518Z",
	"started_at":` + startedAt + `,"finished_at":` + finishedAt + `,"duration_sec":` + durationSec + `,
	"error_count":null,"trigger_type":"schedule","triggered_by_user":null,"schedule_id":"` + scenScheduleID + `",
	"attempts":1,"max_attempts":3,"nonce":null,"memory_requirements_mb":1024,"job_priority":200}`
}

const scenJobRun = `{"id":"` + scenJobRunID + `","job_id":"` + scenJobID + `","state":"running","job_attempt":1,
	"start_timestamp":"2025-03-15T00:00:05.031337Z","end_timestamp":null}`

// TestScenarioJobAgentLoop is the engine's job agent: it asks the data
// plane's queue for the next job that fits its memory, reads the job, marks
// it running, posts its logs, marks it completed, and asks again until the
// queue answers 204: no job.
func TestScenarioJobAgentLoop(t *testing.T) {
	s := newScenServer(t)
	s.on("POST /api/v1/data_planes/{data_plane_id}/jobs/next", scenOK(scenJobRun), scenNoContent())
	s.on("GET /api/v1/jobs/{job_id}", scenOK(scenJob(scenJobID, "queued", "null", "null", "null")))
	s.on("PUT /api/v1/jobs/{job_id}/state",
		scenOK(scenJob(scenJobID, "running", `"2025-03-15T00:00:05.031337Z"`, "null", "null")),
		scenOK(scenJob(scenJobID, "completed", `"2025-03-15T00:00:05.031337Z"`, `"2025-03-15T00:01:17.5Z"`, "72")))
	s.on("POST /api/v1/jobs/{job_id}/runs/{job_run_id}/logs", scenNoContent())

	ctx := context.Background()
	jobs := s.client.JobsV1API
	logAt := time.Date(2025, 3, 15, 0, 0, 6, 250000000, time.UTC)
	var done []*arthur.Job
	for {
		run, err := jobs.PostDequeueJob(ctx, scenDataPlaneID, arthur.JobDequeueParameters{MemoryLimitMB: 4096})
		require.NoError(t, err)
		if run == nil {
			break
		}
		assert.Equal(t, arthur.JobStateRunning, run.State)
		assert.Equal(t, 1, run.JobAttempt)
		scenInstant(t, "2025-03-15T00:00:05.031337Z", run.StartTimestamp, "run start")
		assert.Nil(t, run.EndTimestamp, "a running run has no end")

		job, err := jobs.GetJob(ctx, run.JobID)
		require.NoError(t, err)
		spec := job.JobSpec.MetricsCalculationJobSpec
		require.NotNil(t, spec, "the job_type tag picks the metrics calculation branch")
		assert.Equal(t, arthur.JobJobSpec{MetricsCalculationJobSpec: spec}, job.JobSpec, "one branch only")
		assert.Equal(t, scenModelID, spec.ScopeModelID)
		scenInstant(t, "2025-03-14T00:00:00Z", spec.StartTimestamp, "spec start")
		scenInstant(t, "2025-03-15T00:00:00Z", spec.EndTimestamp, "spec end")
		assert.Nil(t, spec.PolicyAssignmentID)
		assert.Equal(t, arthur.JobKindMetricsCalculation, job.Kind)
		assert.Equal(t, arthur.JobStateQueued, job.State)
		assert.Equal(t, arthur.JobTriggerSchedule, job.TriggerType)
		assert.Equal(t, arthur.JobPriority200, job.JobPriority, "an integer enum")
		assert.Equal(t, arthur.Ptr(scenScheduleID), job.ScheduleID)
		assert.Equal(t, arthur.Ptr(scenDataPlaneID), job.DataPlaneID)
		assert.Nil(t, job.StartedAt)
		assert.Nil(t, job.FinishedAt)
		assert.Nil(t, job.DurationSec)
		assert.Nil(t, job.TriggeredByUser)

		job, err = jobs.PutJobState(ctx, job.ID, &arthur.PutJobStateParams{JobRunID: run.ID},
			arthur.PutJobState{JobState: arthur.JobStateRunning})
		require.NoError(t, err)
		assert.Equal(t, arthur.JobStateRunning, job.State)
		require.NotNil(t, job.StartedAt)
		scenInstant(t, "2025-03-15T00:00:05.031337Z", *job.StartedAt, "started_at")

		err = jobs.PostJobLogs(ctx, job.ID, run.ID, arthur.JobLogs{Logs: []arthur.JobLog{
			{LogLevel: arthur.JobLogLevelInfo, Log: "fetched 18204 inferences", LogTimestamp: logAt},
			{LogLevel: arthur.JobLogLevelWarning, Log: "3 rows without a timestamp were skipped", LogTimestamp: logAt.Add(time.Second)},
		}})
		require.NoError(t, err)

		job, err = jobs.PutJobState(ctx, job.ID, &arthur.PutJobStateParams{JobRunID: run.ID},
			arthur.PutJobState{JobState: arthur.JobStateCompleted})
		require.NoError(t, err)
		done = append(done, job)
	}

	require.Len(t, done, 1)
	assert.Equal(t, arthur.JobStateCompleted, done[0].State)
	require.NotNil(t, done[0].FinishedAt)
	scenInstant(t, "2025-03-15T00:01:17.5Z", *done[0].FinishedAt, "finished_at")
	assert.Equal(t, arthur.Ptr(72), done[0].DurationSec)

	reqs := s.requests()
	require.Len(t, reqs, 6)
	dequeue := `{"memory_limit_mb":4096}`
	scenWire(t, reqs[0], "POST", "/api/v1/data_planes/"+scenDataPlaneID+"/jobs/next", "", dequeue)
	scenWire(t, reqs[1], "GET", "/api/v1/jobs/"+scenJobID, "", "")
	scenWire(t, reqs[2], "PUT", "/api/v1/jobs/"+scenJobID+"/state", "job_run_id="+scenJobRunID, `{"job_state":"running"}`)
	scenWire(t, reqs[3], "POST", "/api/v1/jobs/"+scenJobID+"/runs/"+scenJobRunID+"/logs", "", `{"logs":[
		{"log_level":"info","log":"fetched 18204 inferences","log_timestamp":"2025-03-15T00:00:06.25Z"},
		{"log_level":"warning","log":"3 rows without a timestamp were skipped","log_timestamp":"2025-03-15T00:00:07.25Z"}]}`)
	scenWire(t, reqs[4], "PUT", "/api/v1/jobs/"+scenJobID+"/state", "job_run_id="+scenJobRunID, `{"job_state":"completed"}`)
	scenWire(t, reqs[5], "POST", "/api/v1/data_planes/"+scenDataPlaneID+"/jobs/next", "", dequeue)
}

// TestScenarioJobAgentErrors is what goes wrong for the agent: a state put
// without its run, which the SDK refuses itself; a job deleted meanwhile;
// logs the server refuses.
func TestScenarioJobAgentErrors(t *testing.T) {
	s := newScenServer(t)
	s.on("GET /api/v1/jobs/{job_id}", scenFail(http.StatusNotFound, `{"detail":"Job not found"}`))
	s.on("POST /api/v1/jobs/{job_id}/runs/{job_run_id}/logs", scenFail(http.StatusUnprocessableEntity,
		`{"detail":[{"loc":["body","logs",0,"log"],"msg":"String should have at most 65536 characters",
		"type":"string_too_long","input":"...","ctx":{"max_length":65536}}]}`))
	ctx := context.Background()
	jobs := s.client.JobsV1API

	_, err := jobs.PutJobState(ctx, scenJobID, nil, arthur.PutJobState{JobState: arthur.JobStateRunning})
	scenArgumentError(t, err, "PutJobState", "params")
	_, err = jobs.PutJobState(ctx, scenJobID, &arthur.PutJobStateParams{}, arthur.PutJobState{JobState: arthur.JobStateRunning})
	scenArgumentError(t, err, "PutJobState", "params.JobRunID")
	_, err = jobs.PutJobState(ctx, scenJobID, &arthur.PutJobStateParams{JobRunID: scenJobRunID}, arthur.PutJobState{})
	scenArgumentError(t, err, "PutJobState", "body.JobState")
	_, err = jobs.GetJob(ctx, "")
	scenArgumentError(t, err, "GetJob", "jobID")
	err = jobs.PostJobLogs(ctx, scenJobID, scenJobRunID, arthur.JobLogs{Logs: []arthur.JobLog{{LogLevel: arthur.JobLogLevelInfo, Log: "no time"}}})
	scenArgumentError(t, err, "PostJobLogs", "body.Logs[0].LogTimestamp")
	assert.Empty(t, s.requests(), "nothing is sent for a refused argument")

	_, err = jobs.GetJob(ctx, scenJobID)
	apiErr := scenAPIError(t, err, "GetJob", http.StatusNotFound, arthur.ErrNotFound)
	assert.Equal(t, "Job not found", apiErr.Detail)
	var nf *arthur.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "Job not found", nf.Detail)
	assert.Contains(t, err.Error(), "GET /api/v1/jobs/"+scenJobID)

	err = jobs.PostJobLogs(ctx, scenJobID, scenJobRunID, arthur.JobLogs{Logs: []arthur.JobLog{{
		LogLevel: arthur.JobLogLevelDebug, Log: "...", LogTimestamp: time.Date(2025, 3, 15, 0, 0, 6, 0, time.UTC)}}})
	scenAPIError(t, err, "PostJobLogs", http.StatusUnprocessableEntity, arthur.ErrValidation)
	var ve *arthur.HTTPValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Detail, 1)
	assert.Equal(t, []any{"body", "logs", 0, "log"}, ve.Detail[0].Loc, "a list index is an int")
	assert.Equal(t, "string_too_long", ve.Detail[0].Type)
	assert.Equal(t, "String should have at most 65536 characters", ve.Detail[0].Msg)
	assert.Equal(t, map[string]any{"max_length": float64(65536)}, ve.Detail[0].Ctx)
	assert.ErrorContains(t, err, "String should have at most 65536 characters")

	reqs := s.requests()
	require.Len(t, reqs, 2)
	scenWire(t, reqs[0], "GET", "/api/v1/jobs/"+scenJobID, "", "")
	scenWire(t, reqs[1], "POST", "/api/v1/jobs/"+scenJobID+"/runs/"+scenJobRunID+"/logs", "",
		`{"logs":[{"log_level":"debug","log":"...","log_timestamp":"2025-03-15T00:00:06Z"}]}`)
}

// TestScenarioSubmitJobsBatch is an onboarding script that submits a
// connector check and a backfill of metrics in one batch, then follows the
// project's queued jobs of those kinds with the Iter, page after page.
func TestScenarioSubmitJobsBatch(t *testing.T) {
	s := newScenServer(t)
	connectorCheck := `{"id":"` + scenJobID2 + `","kind":"connector_check",
		"job_spec":{"job_type":"connector_check","connector_id":"` + scenConnectorID + `"},
		"state":"queued","project_id":"` + scenProjectID + `","data_plane_id":null,
		"queued_at":"2025-03-15T09:30:00.000001Z","ready_at":"2025-03-15T09:30:00.000001Z",
		"started_at":null,"finished_at":null,"duration_sec":null,"error_count":null,
		"trigger_type":"user","triggered_by_user":` + scenUser + `,"schedule_id":null,
		"attempts":0,"max_attempts":1,"nonce":"onboard-prod-s3","memory_requirements_mb":256,"job_priority":300}`
	backfill := scenJob(scenJobID, "queued", "null", "null", "null")
	s.on("POST /api/v1/projects/{project_id}/jobs", scenOK(`{"jobs":[`+connectorCheck+`,`+backfill+`]}`))
	s.onPages("GET /api/v1/projects/{project_id}/jobs",
		`{"records":[`+connectorCheck+`,`+backfill+`],"pagination":{"page":1,"page_size":2}}`,
		`{"records":[`+scenJob(scenJobID3, "queued", "null", "null", "null")+`],"pagination":{"page":2,"page_size":2}}`)
	ctx := context.Background()
	jobs := s.client.JobsV1API

	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	batch, err := jobs.PostSubmitJobsBatch(ctx, scenProjectID, arthur.PostJobBatch{Jobs: []arthur.PostJob{
		{
			Kind: arthur.PostJobKindConnectorCheck,
			JobSpec: arthur.PostJobJobSpec{ConnectorCheckJobSpec: &arthur.ConnectorCheckJobSpec{
				JobType: arthur.Ptr("connector_check"), ConnectorID: scenConnectorID}},
			Nonce:       arthur.Ptr("onboard-prod-s3"),
			JobPriority: arthur.Ptr(arthur.JobPriority300),
		},
		{
			Kind: arthur.PostJobKindMetricsCalculation,
			JobSpec: arthur.PostJobJobSpec{MetricsCalculationJobSpec: &arthur.MetricsCalculationJobSpec{
				JobType: arthur.Ptr("metrics_calculation"), ScopeModelID: scenModelID,
				StartTimestamp: from, EndTimestamp: from.AddDate(0, 0, 14)}},
			ReadyAt: arthur.Ptr(time.Date(2025, 3, 15, 9, 30, 0, 0, time.UTC)),
		},
	}})
	require.NoError(t, err)
	require.Len(t, batch.Jobs, 2)
	check := batch.Jobs[0]
	require.NotNil(t, check.JobSpec.ConnectorCheckJobSpec)
	assert.Nil(t, check.JobSpec.MetricsCalculationJobSpec)
	assert.Equal(t, scenConnectorID, check.JobSpec.ConnectorCheckJobSpec.ConnectorID)
	assert.Equal(t, arthur.JobKindConnectorCheck, check.Kind)
	assert.Equal(t, arthur.JobPriority300, check.JobPriority)
	assert.Nil(t, check.DataPlaneID, "not picked up yet")
	require.NotNil(t, check.TriggeredByUser)
	assert.Equal(t, "Grace", check.TriggeredByUser.FirstName)
	assert.Equal(t, arthur.UserTypeUser, check.TriggeredByUser.UserType)
	assert.Equal(t, arthur.Ptr("onboard-prod-s3"), check.Nonce)
	require.NotNil(t, batch.Jobs[1].JobSpec.MetricsCalculationJobSpec)

	var ids []string
	params := &arthur.GetJobsParams{
		Kinds:    []arthur.JobKind{arthur.JobKindConnectorCheck, arthur.JobKindMetricsCalculation},
		States:   []arthur.JobState{arthur.JobStateQueued},
		PageSize: 2,
	}
	for job, err := range jobs.GetJobsIter(ctx, scenProjectID, params) {
		require.NoError(t, err)
		ids = append(ids, job.ID)
	}
	assert.Equal(t, []string{scenJobID2, scenJobID, scenJobID3}, ids, "every page, until a short one")
	assert.Equal(t, 0, params.Page, "the Iter works on a copy of params")

	reqs := s.requests()
	require.Len(t, reqs, 3)
	scenWire(t, reqs[0], "POST", "/api/v1/projects/"+scenProjectID+"/jobs", "", `{"jobs":[
		{"kind":"connector_check","job_spec":{"job_type":"connector_check","connector_id":"`+scenConnectorID+`"},
		 "nonce":"onboard-prod-s3","job_priority":300},
		{"kind":"metrics_calculation","job_spec":{"job_type":"metrics_calculation","scope_model_id":"`+scenModelID+`",
		 "start_timestamp":"2025-03-01T00:00:00Z","end_timestamp":"2025-03-15T00:00:00Z"},
		 "ready_at":"2025-03-15T09:30:00Z"}]}`)
	query := "kinds=connector_check&kinds=metrics_calculation&page=%d&page_size=2&states=queued"
	scenWire(t, reqs[1], "GET", "/api/v1/projects/"+scenProjectID+"/jobs", fmt.Sprintf(query, 1), "")
	scenWire(t, reqs[2], "GET", "/api/v1/projects/"+scenProjectID+"/jobs", fmt.Sprintf(query, 2), "")

	// A script that only wants the first job stops the Iter: no further page.
	for job, err := range jobs.GetJobsIter(ctx, scenProjectID, params) {
		require.NoError(t, err)
		assert.Equal(t, scenJobID2, job.ID)
		break
	}
	assert.Len(t, s.requests(), 4, "breaking out of the loop fetches nothing more")

	_, err = jobs.PostSubmitJobsBatch(ctx, scenProjectID, arthur.PostJobBatch{Jobs: []arthur.PostJob{{
		Kind: arthur.PostJobKindConnectorCheck}}})
	scenArgumentError(t, err, "PostSubmitJobsBatch", "body.Jobs[0].JobSpec")
	assert.Len(t, s.requests(), 4, "nothing is sent for a refused body")
}

// ---------------------------------------------------------------------------
// Datasets and models.

const scenDataset = `{"created_at":"2025-02-01T12:00:00.5Z","updated_at":"2025-03-10T07:45:31.004512Z",
	"id":"` + scenDatasetID + `","name":"chat-inferences",
	"dataset_locator":{"fields":[{"key":"bucket","value":"acme-ml-prod"},{"key":"file_prefix","value":"inferences/%Y/%m/%d"}]},
	"dataset_schema":{
		"alias_mask":{"` + scenColEmbedding + `":"prompt_embedding"},
		"columns":[
			{"id":"` + scenColTimestamp + `","source_name":"timestamp",
			 "definition":{"tag_hints":["primary_timestamp"],"nullable":false,"dtype":"timestamp"}},
			{"id":"` + scenColPrompt + `","source_name":"prompt",
			 "definition":{"tag_hints":["llm_prompt"],"nullable":true,"dtype":"str"}},
			{"id":"` + scenColInference + `","source_name":"inference",
			 "definition":{"tag_hints":[],"nullable":false,"object":{
				"latency_ms":{"tag_hints":["continuous"],"nullable":false,"dtype":"float"},
				"model":{"tag_hints":["categorical","possible_segmentation"],"nullable":false,"dtype":"str"},
				"tools":{"tag_hints":[],"nullable":true,"items":{"tag_hints":[],"nullable":false,"object":{
					"name":{"tag_hints":[],"nullable":false,"dtype":"str"},
					"args":{"tag_hints":[],"nullable":true,"dtype":"json"}}}}}}},
			{"id":"` + scenColEmbedding + `","source_name":"embedding",
			 "definition":{"tag_hints":[],"nullable":true,"items":{"tag_hints":[],"nullable":false,
				"items":{"tag_hints":[],"nullable":false,"dtype":"float"}}}}],
		"column_names":{"` + scenColTimestamp + `":"timestamp","` + scenColPrompt + `":"prompt",
			"` + scenColInference + `":"inference","` + scenColEmbedding + `":"embedding"}},
	"data_plane_id":"` + scenDataPlaneID + `",
	"connector":{"id":"` + scenConnectorID + `","name":"prod-s3","connector_type":"S3"},
	"project_id":"` + scenProjectID + `","join_spec":null,"model_problem_type":"custom"}`

// schemaLines lists a schema node and everything under it, one "path: type"
// line each, the way a user walks a dataset's column types: a scalar's
// dtype (with its tags, and "?" when nullable), an object's fields in name
// order, a list's items under "[]". A column's definition, a list's items
// and an object's values are all one type, arthur.DatasetType.
func schemaLines(path string, t arthur.DatasetType) []string {
	scalar, object, list := t.DatasetScalarType, t.DatasetObjectType, t.DatasetListType
	switch {
	case scalar != nil:
		line := path + ": " + string(scalar.DType)
		if scalar.Nullable != nil && *scalar.Nullable {
			line += "?"
		}
		if len(scalar.TagHints) > 0 {
			tags := make([]string, len(scalar.TagHints))
			for i, tag := range scalar.TagHints {
				tags[i] = string(tag)
			}
			line += " [" + strings.Join(tags, ",") + "]"
		}
		return []string{line}
	case object != nil:
		lines := []string{path + ": object"}
		names := make([]string, 0, len(object.Object))
		for name := range object.Object {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			lines = append(lines, schemaLines(path+"."+name, object.Object[name])...)
		}
		return lines
	case list != nil:
		return append([]string{path + ": list"}, schemaLines(path+"[]", list.Items)...)
	}
	return []string{path + ": none of the branches is set"}
}

// TestScenarioDatasetSchemaWalk is a script that fetches a dataset and
// lists its columns' types, nested objects and lists included, as the
// schema's recursive unions (scalar, object, list) decode them.
func TestScenarioDatasetSchemaWalk(t *testing.T) {
	s := newScenServer(t)
	s.on("GET /api/v1/datasets/{dataset_id}", scenOK(scenDataset))
	ctx := context.Background()

	ds, err := s.client.DatasetsV1API.GetDataset(ctx, scenDatasetID)
	require.NoError(t, err)
	var lines []string
	for _, col := range ds.DatasetSchema.Columns {
		d := col.Definition
		set := 0
		for _, b := range []bool{d.DatasetScalarType != nil, d.DatasetObjectType != nil, d.DatasetListType != nil} {
			if b {
				set++
			}
		}
		assert.Equal(t, 1, set, "column %s: exactly one branch", col.SourceName)
		lines = append(lines, schemaLines(col.SourceName, d)...)
	}
	assert.Equal(t, []string{
		"timestamp: timestamp [primary_timestamp]",
		"prompt: str? [llm_prompt]",
		"inference: object",
		"inference.latency_ms: float [continuous]",
		"inference.model: str [categorical,possible_segmentation]",
		"inference.tools: list",
		"inference.tools[]: object",
		"inference.tools[].args: json?",
		"inference.tools[].name: str",
		"embedding: list",
		"embedding[]: list",
		"embedding[][]: float",
	}, lines)

	cols := ds.DatasetSchema.Columns
	require.Len(t, cols, 4)
	assert.Equal(t, arthur.Ptr(scenColTimestamp), cols[0].ID)
	assert.Equal(t, "timestamp", ds.DatasetSchema.ColumnNames[scenColTimestamp])
	assert.Equal(t, map[string]string{scenColEmbedding: "prompt_embedding"}, ds.DatasetSchema.AliasMask)
	assert.Equal(t, arthur.Ptr(true), cols[3].Definition.DatasetListType.Nullable)

	assert.Equal(t, arthur.Ptr("chat-inferences"), ds.Name)
	require.NotNil(t, ds.DatasetLocator)
	assert.Equal(t, []arthur.DatasetLocatorField{{Key: "bucket", Value: "acme-ml-prod"},
		{Key: "file_prefix", Value: "inferences/%Y/%m/%d"}}, ds.DatasetLocator.Fields)
	assert.Equal(t, &arthur.DatasetConnector{ID: scenConnectorID, Name: "prod-s3", ConnectorType: arthur.ConnectorTypeS3}, ds.Connector)
	assert.Nil(t, ds.JoinSpec, "not a joined dataset")
	assert.Equal(t, arthur.ModelProblemTypeCustom, ds.ModelProblemType)
	assert.False(t, ds.IsStatic, "is_static absent: the spec's default")
	scenInstant(t, "2025-03-10T07:45:31.004512Z", ds.UpdatedAt, "updated_at")

	reqs := s.requests()
	require.Len(t, reqs, 1)
	scenWire(t, reqs[0], "GET", "/api/v1/datasets/"+scenDatasetID, "", "")
}

// scenModel is the model with the given metric_config aggregation specs (a
// JSON array).
func scenModel(aggregationSpecs string) string {
	return `{"created_at":"2025-02-01T12:05:00Z","updated_at":"2025-03-12T16:20:11.73Z",
	"id":"` + scenModelID + `","project_id":"` + scenProjectID + `","name":"support-assistant",
	"description":null,"onboarding_identifier":"support-assistant-prod","last_updated_by_user":` + scenUser + `,
	"metric_config":{"aggregation_specs":` + aggregationSpecs + `,"id":"` + scenMetricSpecID + `"},
	"schedule":{"cron":"0 * * * *","lookback_period_seconds":3600,"name":null,"id":"` + scenScheduleID + `"},
	"model_problem_types":["custom"],
	"datasets":[{"dataset_id":"` + scenDatasetID + `","dataset_name":"chat-inferences","dataset_connector_type":"S3"}],
	"data_plane_id":"` + scenDataPlaneID + `",
	"data_plane":{"created_at":"2024-12-01T00:00:00Z","updated_at":"2025-03-15T00:00:00Z","id":"` + scenDataPlaneID + `",
		"name":"engine-eu-1","workspace_id":"` + scenWorkspaceID + `","description":"EU engine on EKS",
		"user_id":"` + scenDataPlaneUser + `","infrastructure":"Kubernetes",
		"last_check_in_time":"2025-03-15T09:29:58.1Z","capabilities":{"gen_ai_enabled":true}},
	"agent_id":null,"project_name":"Support"}`
}

// TestScenarioModelMetricConfig is an onboarding script that reads a model,
// puts its metric config (an inference count and a null count of the
// prompt column) and reads the model back to see the config it put.
func TestScenarioModelMetricConfig(t *testing.T) {
	s := newScenServer(t)
	put := `[
		{"aggregation_id":"` + scenAggCount + `","aggregation_init_args":[],
		 "aggregation_args":[{"arg_key":"dataset","arg_value":"` + scenDatasetID + `"},
			{"arg_key":"timestamp_col","arg_value":"` + scenColTimestamp + `"}],
		 "aggregation_kind":"default","aggregation_version":1},
		{"aggregation_id":"` + scenAggNullCount + `","aggregation_init_args":[{"arg_key":"bucket_minutes","arg_value":60}],
		 "aggregation_args":[{"arg_key":"dataset","arg_value":"` + scenDatasetID + `"},
			{"arg_key":"timestamp_col","arg_value":"` + scenColTimestamp + `"},
			{"arg_key":"nullable_col","arg_value":"` + scenColPrompt + `"},
			{"arg_key":"segments","arg_value":["` + scenColInference + `"]}]}]`
	s.on("GET /api/v1/models/{model_id}", scenOK(scenModel(`[]`)), scenOK(scenModel(put)))
	s.on("PUT /api/v1/models/{model_id}/metric_config", scenNoContent())
	ctx := context.Background()
	models := s.client.ModelsV1API

	m, err := models.GetModel(ctx, scenModelID)
	require.NoError(t, err)
	assert.Equal(t, "support-assistant", m.Name)
	assert.Nil(t, m.Description, "description: null")
	assert.Equal(t, arthur.Ptr("support-assistant-prod"), m.OnboardingIdentifier)
	assert.Empty(t, m.MetricConfig.AggregationSpecs)
	assert.Equal(t, scenMetricSpecID, m.MetricConfig.ID)
	require.NotNil(t, m.Schedule)
	assert.Equal(t, arthur.ModelMetricsSchedule{Cron: "0 * * * *", LookbackPeriodSeconds: 3600, ID: scenScheduleID}, *m.Schedule)
	assert.Equal(t, []arthur.ModelProblemType{arthur.ModelProblemTypeCustom}, m.ModelProblemTypes)
	require.Len(t, m.Datasets, 1)
	assert.Equal(t, arthur.Ptr(arthur.ConnectorTypeS3), m.Datasets[0].DatasetConnectorType)
	assert.Equal(t, arthur.InfrastructureKubernetes, m.DataPlane.Infrastructure)
	assert.Equal(t, arthur.Ptr(true), m.DataPlane.Capabilities.GenAIEnabled)
	require.NotNil(t, m.DataPlane.LastCheckInTime)
	scenInstant(t, "2025-03-15T09:29:58.1Z", *m.DataPlane.LastCheckInTime, "last_check_in_time")
	require.NotNil(t, m.LastUpdatedByUser)
	assert.Equal(t, scenUserID, m.LastUpdatedByUser.ID)
	assert.Nil(t, m.AgentID)

	str := func(s string) json.RawMessage { return json.RawMessage(`"` + s + `"`) }
	config := arthur.PutModelMetricSpec{AggregationSpecs: []arthur.AggregationSpec{
		{
			AggregationID:       scenAggCount,
			AggregationInitArgs: []arthur.MetricsArgSpec{},
			AggregationArgs: []arthur.MetricsArgSpec{
				{ArgKey: "dataset", ArgValue: str(scenDatasetID)},
				{ArgKey: "timestamp_col", ArgValue: str(scenColTimestamp)},
			},
			AggregationKind:    arthur.Ptr(arthur.AggregationKindDefault),
			AggregationVersion: arthur.Ptr(1),
		},
		{
			AggregationID:       scenAggNullCount,
			AggregationInitArgs: []arthur.MetricsArgSpec{{ArgKey: "bucket_minutes", ArgValue: json.RawMessage(`60`)}},
			AggregationArgs: []arthur.MetricsArgSpec{
				{ArgKey: "dataset", ArgValue: str(scenDatasetID)},
				{ArgKey: "timestamp_col", ArgValue: str(scenColTimestamp)},
				{ArgKey: "nullable_col", ArgValue: str(scenColPrompt)},
				{ArgKey: "segments", ArgValue: json.RawMessage(`["` + scenColInference + `"]`)},
			},
		},
	}}
	require.NoError(t, models.PutModelMetricConfig(ctx, scenModelID, config))

	m, err = models.GetModel(ctx, scenModelID)
	require.NoError(t, err)
	got := m.MetricConfig.AggregationSpecs
	require.Len(t, got, 2)
	for i, want := range config.AggregationSpecs {
		assert.Equal(t, want.AggregationID, got[i].AggregationID)
		assert.Equal(t, want.AggregationKind, got[i].AggregationKind)
		assert.Equal(t, want.AggregationVersion, got[i].AggregationVersion)
		for _, args := range [][2][]arthur.MetricsArgSpec{{want.AggregationArgs, got[i].AggregationArgs},
			{want.AggregationInitArgs, got[i].AggregationInitArgs}} {
			require.Len(t, args[1], len(args[0]))
			for j := range args[0] {
				assert.Equal(t, args[0][j].ArgKey, args[1][j].ArgKey)
				assert.JSONEq(t, string(args[0][j].ArgValue), string(args[1][j].ArgValue), "arg %s", args[0][j].ArgKey)
			}
		}
	}
	var segments []string
	require.NoError(t, json.Unmarshal(got[1].AggregationArgs[3].ArgValue, &segments))
	assert.Equal(t, []string{scenColInference}, segments)

	reqs := s.requests()
	require.Len(t, reqs, 3)
	scenWire(t, reqs[0], "GET", "/api/v1/models/"+scenModelID, "", "")
	scenWire(t, reqs[1], "PUT", "/api/v1/models/"+scenModelID+"/metric_config", "", `{"aggregation_specs":`+put+`}`)
	scenWire(t, reqs[2], "GET", "/api/v1/models/"+scenModelID, "", "")

	err = models.PutModelMetricConfig(ctx, scenModelID, arthur.PutModelMetricSpec{AggregationSpecs: []arthur.AggregationSpec{
		config.AggregationSpecs[0], {AggregationID: " "}}})
	scenArgumentError(t, err, "PutModelMetricConfig", "body.AggregationSpecs[1].AggregationID")
	assert.Len(t, s.requests(), 3, "nothing is sent for a refused body")
}

// ---------------------------------------------------------------------------
// Custom aggregations.

const scenP95SQL = `SELECT time_bucket(INTERVAL '1 hour', {{timestamp_col}}) AS ts, ` +
	`quantile_cont({{latency_col}}, {{quantile}}) AS p FROM {{dataset}} GROUP BY ts`

var scenAggregateArgsJSON = `[
	{"parameter_key":"dataset","friendly_name":"Dataset","description":"The inference dataset.","parameter_type":"dataset"},
	{"parameter_key":"timestamp_col","friendly_name":"Timestamp","description":"Column bucketed by hour.",
	 "parameter_type":"column","source_dataset_parameter_key":"dataset","tag_hints":["primary_timestamp"],
	 "allowed_column_types":[{"dtype":"timestamp"}]},
	{"parameter_key":"latency_col","friendly_name":"Latency","description":"Latency in milliseconds.",
	 "parameter_type":"column","source_dataset_parameter_key":"dataset",
	 "allowed_column_types":[{"dtype":"float"},{"dtype":"int"}]},
	{"parameter_key":"quantile","friendly_name":"Quantile","description":"Between 0 and 1.",
	 "parameter_type":"literal","parameter_dtype":"float"}]`

const scenReportedJSON = `[{"metric_name":"latency_quantile","description":"Latency at the quantile, per hour.",
	"value_column":"p","timestamp_column":"ts","metric_kind":"numeric","dimension_columns":[]}]`

func scenCustomAgg(description string) string {
	return `{"id":"` + scenCustomAggID + `","name":"latency quantile","description":` + description + `,
	"workspace_id":"` + scenWorkspaceID + `","latest_version":1,"deleted_at":null,"is_deleted":false,
	"versions":[{"custom_aggregation_id":"` + scenCustomAggID + `","version":1,"authored_by":` + scenUser + `,
		"created_at":"2025-03-15T10:00:00.25Z","reported_aggregations":` + scenReportedJSON + `,
		"aggregate_args":` + scenAggregateArgsJSON + `,"sql":` + scenJSON(scenP95SQL) + `}]}`
}

func scenJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestScenarioCustomAggregations is a workspace admin who writes a latency
// quantile aggregation in SQL, creates it, reads its latest version back and
// finds it in the workspace's list.
func TestScenarioCustomAggregations(t *testing.T) {
	s := newScenServer(t)
	desc := "Latency at a quantile, hourly."
	s.on("POST /api/v1/workspaces/{workspace_id}/custom_aggregations", scenOK(scenCustomAgg(scenJSON(desc))))
	s.on("GET /api/v1/custom_aggregations/{custom_aggregation_id}", scenOK(scenCustomAgg(scenJSON(desc))))
	s.on("GET /api/v1/workspaces/{workspace_id}/custom_aggregations",
		scenOK(`{"records":[`+scenCustomAgg("null")+`],"pagination":{"page":1,"page_size":50,"total_pages":1,"total_records":1}}`))
	ctx := context.Background()
	aggs := s.client.CustomAggregationsV1API

	scalar := func(d arthur.DType) arthur.ColumnType {
		return arthur.ColumnType{ScalarType: &arthur.ScalarType{DType: d}}
	}
	created, err := aggs.PostCustomAggregation(ctx, scenWorkspaceID, arthur.PostCustomAggregationSpecSchema{
		Name: "latency quantile", Description: arthur.Ptr(desc), SQL: scenP95SQL,
		ReportedAggregations: []arthur.ReportedCustomAggregation{{
			MetricName: "latency_quantile", Description: "Latency at the quantile, per hour.",
			ValueColumn: "p", TimestampColumn: "ts", MetricKind: arthur.AggregationMetricTypeNumeric,
			DimensionColumns: []string{},
		}},
		AggregateArgs: []arthur.BaseParameterSchema{
			{BaseDatasetParameterSchema: &arthur.BaseDatasetParameterSchema{
				ParameterKey: "dataset", FriendlyName: "Dataset", Description: "The inference dataset.",
				ParameterType: arthur.Ptr("dataset")}},
			{BaseColumnParameterSchema: &arthur.BaseColumnParameterSchema{
				ParameterKey: "timestamp_col", FriendlyName: "Timestamp", Description: "Column bucketed by hour.",
				ParameterType: arthur.Ptr("column"), SourceDatasetParameterKey: "dataset",
				TagHints:           []arthur.ScopeSchemaTag{arthur.ScopeSchemaTagPrimaryTimestamp},
				AllowedColumnTypes: []arthur.ColumnType{scalar(arthur.DTypeTimestamp)}}},
			{BaseColumnParameterSchema: &arthur.BaseColumnParameterSchema{
				ParameterKey: "latency_col", FriendlyName: "Latency", Description: "Latency in milliseconds.",
				ParameterType: arthur.Ptr("column"), SourceDatasetParameterKey: "dataset",
				AllowedColumnTypes: []arthur.ColumnType{
					scalar(arthur.DTypeFloat), scalar(arthur.DTypeInt)}}},
			{BaseLiteralParameterSchema: &arthur.BaseLiteralParameterSchema{
				ParameterKey: "quantile", FriendlyName: "Quantile", Description: "Between 0 and 1.",
				ParameterType: arthur.Ptr("literal"), ParameterDType: arthur.DTypeFloat}},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, scenCustomAggID, created.ID)
	assert.Equal(t, 1, created.LatestVersion)
	assert.Nil(t, created.DeletedAt)

	latest, err := aggs.GetCustomAggregation(ctx, scenCustomAggID, &arthur.GetCustomAggregationParams{Latest: arthur.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, latest.Versions, 1)
	v := latest.Versions[0]
	assert.Equal(t, scenP95SQL, v.SQL)
	require.NotNil(t, v.AuthoredBy)
	assert.Equal(t, "grace@acme.example", *v.AuthoredBy.Email)
	scenInstant(t, "2025-03-15T10:00:00.25Z", v.CreatedAt, "version created_at")
	assert.Equal(t, arthur.AggregationMetricTypeNumeric, v.ReportedAggregations[0].MetricKind)
	require.Len(t, v.AggregateArgs, 4)
	var kinds []string
	for _, a := range v.AggregateArgs {
		switch {
		case a.BaseDatasetParameterSchema != nil:
			kinds = append(kinds, "dataset:"+a.BaseDatasetParameterSchema.ParameterKey)
		case a.BaseColumnParameterSchema != nil:
			c := a.BaseColumnParameterSchema
			var types []string
			for _, ct := range c.AllowedColumnTypes {
				require.NotNil(t, ct.ScalarType, "a scalar column type")
				types = append(types, string(ct.ScalarType.DType))
			}
			kinds = append(kinds, "column:"+c.ParameterKey+" of "+c.SourceDatasetParameterKey+" "+strings.Join(types, "|"))
		case a.BaseLiteralParameterSchema != nil:
			kinds = append(kinds, "literal:"+a.BaseLiteralParameterSchema.ParameterKey+" "+string(a.BaseLiteralParameterSchema.ParameterDType))
		default:
			kinds = append(kinds, "other:"+string(a.Other))
		}
	}
	assert.Equal(t, []string{"dataset:dataset", "column:timestamp_col of dataset timestamp",
		"column:latency_col of dataset float|int", "literal:quantile float"}, kinds)

	list, err := aggs.GetCustomAggregationsForWorkspace(ctx, scenWorkspaceID,
		&arthur.GetCustomAggregationsForWorkspaceParams{Search: "latency", PageSize: arthur.Ptr(50)})
	require.NoError(t, err)
	require.Len(t, list.Records, 1)
	assert.Nil(t, list.Records[0].Description, "description: null")
	assert.Equal(t, arthur.Pagination{Page: 1, PageSize: 50, TotalPages: 1, TotalRecords: 1}, list.Pagination)

	reqs := s.requests()
	require.Len(t, reqs, 3)
	scenWire(t, reqs[0], "POST", "/api/v1/workspaces/"+scenWorkspaceID+"/custom_aggregations", "",
		`{"name":"latency quantile","description":`+scenJSON(desc)+`,"sql":`+scenJSON(scenP95SQL)+`,
		"reported_aggregations":`+scenReportedJSON+`,"aggregate_args":`+scenAggregateArgsJSON+`}`)
	scenWire(t, reqs[1], "GET", "/api/v1/custom_aggregations/"+scenCustomAggID, "latest=true", "")
	scenWire(t, reqs[2], "GET", "/api/v1/workspaces/"+scenWorkspaceID+"/custom_aggregations", "page_size=50&search=latency", "")

	_, err = aggs.PostCustomAggregation(ctx, scenWorkspaceID, arthur.PostCustomAggregationSpecSchema{
		Name: "no sql", ReportedAggregations: []arthur.ReportedCustomAggregation{},
		AggregateArgs: []arthur.BaseParameterSchema{{}}, SQL: "SELECT 1"})
	scenArgumentError(t, err, "PostCustomAggregation", "body.AggregateArgs[0]")
	assert.Len(t, s.requests(), 3, "nothing is sent for a refused body")
}

// ---------------------------------------------------------------------------
// Connectors.

func scenConnector(name, checkResult string) string {
	return `{"created_at":"2025-02-01T11:58:00Z","updated_at":"2025-03-15T10:30:00.5Z",
	"id":"` + scenConnectorID + `","connector_type":"S3","name":"` + name + `","temporary":false,
	"fields":[{"key":"bucket","value":"acme-ml-prod","d_type":"string","is_sensitive":false},
		{"key":"region","value":"eu-west-1","d_type":"string","is_sensitive":false},
		{"key":"access_key_id","value":"AKIAIOSFODNN7EXAMPLE","d_type":"string","is_sensitive":false},
		{"key":"secret_access_key","value":"**********","d_type":"string","is_sensitive":true}],
	"last_updated_by_user":` + scenUser + `,"connector_check_result":` + checkResult + `,
	"project_id":"` + scenProjectID + `","data_plane_id":"` + scenDataPlaneID + `"}`
}

// TestScenarioConnectors is an onboarding script that creates an S3
// connector, reads its check result, renames it, and lists the project's S3
// connectors.
func TestScenarioConnectors(t *testing.T) {
	s := newScenServer(t)
	failed := `{"connection_check_outcome":"failed","failure_reason":"AccessDenied: s3:ListBucket on acme-ml-prod"}`
	s.on("POST /api/v1/projects/{project_id}/connectors", scenOK(scenConnector("prod-s3", "null")))
	s.on("GET /api/v1/connectors/{connector_id}", scenOK(scenConnector("prod-s3", failed)))
	s.on("PATCH /api/v1/connectors/{connector_id}", scenOK(scenConnector("prod-s3-eu", failed)))
	page := func(n int) string {
		return `{"records":[` + scenConnector(fmt.Sprintf("s3-%d", n), "null") + `],
			"pagination":{"page":` + fmt.Sprint(n) + `,"page_size":1,"total_pages":2,"total_records":2}}`
	}
	s.onPages("GET /api/v1/projects/{project_id}/connectors", page(1), page(2))
	ctx := context.Background()
	conns := s.client.ConnectorsV1API

	fields := []arthur.ConnectorSpecField{
		{Key: "bucket", Value: "acme-ml-prod"}, {Key: "region", Value: "eu-west-1"},
		{Key: "access_key_id", Value: "AKIAIOSFODNN7EXAMPLE"},
		{Key: "secret_access_key", Value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
	}
	spec := arthur.PostConnectorSpec{
		ConnectorType: arthur.ConnectorTypeS3, Name: "prod-s3", Fields: fields, DataPlaneID: scenDataPlaneID}
	for _, text := range []string{fmt.Sprint(spec), fmt.Sprintf("%+v", spec), fmt.Sprintf("%#v", fields)} {
		assert.NotContains(t, text, "wJalrXUtnFEMI", "a connector's field values are secrets in print")
	}
	c, err := conns.PostConnector(ctx, scenProjectID, spec)
	require.NoError(t, err)
	assert.Equal(t, scenConnectorID, c.ID)
	assert.Nil(t, c.ConnectorCheckResult, "not checked yet")
	require.Len(t, c.Fields, 4)
	assert.Equal(t, arthur.ConnectorSpecFieldWithMetadata{Key: "secret_access_key", Value: "**********",
		DType: arthur.ConnectorFieldDataTypeString, IsSensitive: true}, c.Fields[3])

	c, err = conns.GetConnector(ctx, scenConnectorID)
	require.NoError(t, err)
	require.NotNil(t, c.ConnectorCheckResult)
	assert.Equal(t, arthur.ConnectorCheckOutcomeFailed, c.ConnectorCheckResult.ConnectionCheckOutcome)
	assert.Equal(t, arthur.Ptr("AccessDenied: s3:ListBucket on acme-ml-prod"), c.ConnectorCheckResult.FailureReason)

	c, err = conns.PatchConnector(ctx, scenConnectorID, arthur.PatchConnectorSpec{
		Name: arthur.Value("prod-s3-eu"), Temporary: arthur.Null[bool]()})
	require.NoError(t, err)
	assert.Equal(t, "prod-s3-eu", c.Name)

	var names []string
	for c, err := range conns.GetConnectorsIter(ctx, scenProjectID, &arthur.GetConnectorsParams{
		ConnectorType: arthur.ConnectorTypeS3, Sort: arthur.ConnectorsSortName, Order: arthur.SortOrderAsc, PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"s3-1", "s3-2"}, names, "total_pages pages")

	reqs := s.requests()
	require.Len(t, reqs, 5)
	scenWire(t, reqs[0], "POST", "/api/v1/projects/"+scenProjectID+"/connectors", "", `{"connector_type":"S3","name":"prod-s3",
		"fields":[{"key":"bucket","value":"acme-ml-prod"},{"key":"region","value":"eu-west-1"},
		{"key":"access_key_id","value":"AKIAIOSFODNN7EXAMPLE"},
		{"key":"secret_access_key","value":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}],
		"data_plane_id":"`+scenDataPlaneID+`"}`)
	scenWire(t, reqs[1], "GET", "/api/v1/connectors/"+scenConnectorID, "", "")
	scenWire(t, reqs[2], "PATCH", "/api/v1/connectors/"+scenConnectorID, "", `{"name":"prod-s3-eu","temporary":null}`)
	query := "connector_type=S3&order=asc&page=%d&page_size=1&sort=name"
	scenWire(t, reqs[3], "GET", "/api/v1/projects/"+scenProjectID+"/connectors", fmt.Sprintf(query, 1), "")
	scenWire(t, reqs[4], "GET", "/api/v1/projects/"+scenProjectID+"/connectors", fmt.Sprintf(query, 2), "")

	_, err = conns.PostConnector(ctx, scenProjectID, arthur.PostConnectorSpec{
		ConnectorType: arthur.ConnectorTypeS3, Name: "prod-s3", Fields: fields})
	scenArgumentError(t, err, "PostConnector", "body.DataPlaneID")
	_, err = conns.PostConnector(ctx, "", arthur.PostConnectorSpec{
		ConnectorType: arthur.ConnectorTypeS3, Name: "prod-s3", Fields: fields, DataPlaneID: scenDataPlaneID})
	scenArgumentError(t, err, "PostConnector", "projectID")
	_, err = conns.GetConnectors(ctx, scenProjectID, &arthur.GetConnectorsParams{PageSize: -1})
	scenArgumentError(t, err, "GetConnectors", "params.PageSize")
	assert.Len(t, s.requests(), 5, "nothing is sent for a refused argument")
}

// TestScenarioConnectorNotFound is a script that reads a connector another
// admin deleted.
func TestScenarioConnectorNotFound(t *testing.T) {
	s := newScenServer(t)
	s.on("GET /api/v1/connectors/{connector_id}", scenFail(http.StatusNotFound, `{"detail":"Connector not found."}`))

	_, err := s.client.ConnectorsV1API.GetConnector(context.Background(), scenConnectorID)
	scenAPIError(t, err, "GetConnector", http.StatusNotFound, arthur.ErrNotFound)
	assert.NotErrorIs(t, err, arthur.ErrServer)
	var nf *arthur.NotFoundError
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, "Connector not found.", nf.Detail)
	reqs := s.requests()
	require.Len(t, reqs, 1)
	scenWire(t, reqs[0], "GET", "/api/v1/connectors/"+scenConnectorID, "", "")
}

// ---------------------------------------------------------------------------
// Policies.

func scenPolicy(id, name string) string {
	return `{"created_at":"2025-01-10T09:00:00Z","updated_at":"2025-03-01T09:00:00.75Z","id":"` + id + `",
	"organization_id":"` + scenOrgID + `","name":"` + name + `","description":"Hallucination rate under 5%.",
	"owner_group_id":"` + scenGroupID + `","webhook_id":"` + scenWebhookID + `","enforcement_delay_days":14,
	"alert_rules":[{"created_at":"2025-01-10T09:00:00Z","updated_at":"2025-01-10T09:00:00Z",
		"id":"` + scenAlertRuleID + `","policy_id":"` + id + `","name":"hallucination rate","description":null,
		"threshold":0.05,"bound":"upper_bound","query":"SELECT ts, rate FROM hallucinations","metric_name":"rate",
		"interval":{"unit":"days","count":1},"dependent_resource":null}],
	"attestation_rules":[],"last_updated_by_user":null}`
}

// TestScenarioPolicies is a compliance officer's script: create a policy
// with an alert rule, list the organization's non-compliant EU policies,
// read one, and meet a server failure.
func TestScenarioPolicies(t *testing.T) {
	s := newScenServer(t)
	s.on("POST /api/v1/organization/policies", scenOK(`{"id":"`+scenPolicyID+`","name":"EU AI Act","description":"Hallucination rate under 5%."}`))
	s.onPages("GET /api/v1/organization/policies",
		`{"records":[`+scenPolicy(scenPolicyID, "EU AI Act")+`],"pagination":{"page":1,"page_size":1,"total_pages":2,"total_records":2}}`,
		`{"records":[`+scenPolicy(scenPolicyID2, "EU GDPR")+`],"pagination":{"page":2,"page_size":1,"total_pages":2,"total_records":2}}`)
	s.on("GET /api/v1/policies/{policy_id}", scenOK(scenPolicy(scenPolicyID, "EU AI Act")),
		scenFail(http.StatusInternalServerError, `{"detail":"Internal Server Error"}`))
	ctx := context.Background()
	policies := s.client.PoliciesV1API

	summary, err := policies.CreatePolicy(ctx, arthur.PostPolicy{
		Name: "EU AI Act", Description: arthur.Ptr("Hallucination rate under 5%."),
		OwnerGroupID: scenGroupID, WebhookID: scenWebhookID, EnforcementDelayDays: 14,
		AlertRules: []arthur.PostPolicyAlertRule{{
			Name: "hallucination rate", Threshold: 0.05, Bound: arthur.AlertBoundUpperBound,
			Query: "SELECT ts, rate FROM hallucinations", MetricName: "rate",
			Interval: &arthur.AlertRuleInterval{Unit: arthur.IntervalUnitDays, Count: 1},
		}},
	})
	require.NoError(t, err)
	assert.Equal(t, &arthur.PolicySummary{ID: scenPolicyID, Name: "EU AI Act", Description: arthur.Ptr("Hallucination rate under 5%.")}, summary)

	var names []string
	for p, err := range policies.ListPoliciesIter(ctx, &arthur.ListPoliciesParams{
		Name: "EU", ComplianceStatus: arthur.ComplianceStatusNonCompliant, PageSize: 1}) {
		require.NoError(t, err)
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"EU AI Act", "EU GDPR"}, names)

	p, err := policies.GetPolicy(ctx, scenPolicyID)
	require.NoError(t, err)
	require.Len(t, p.AlertRules, 1)
	rule := p.AlertRules[0]
	assert.Equal(t, 0.05, rule.Threshold)
	assert.Equal(t, arthur.AlertBoundUpperBound, rule.Bound)
	assert.Equal(t, arthur.AlertRuleInterval{Unit: arthur.IntervalUnitDays, Count: 1}, rule.Interval)
	assert.Nil(t, rule.Description)
	assert.Nil(t, rule.DependentResource)
	assert.Empty(t, p.AttestationRules)
	assert.NotNil(t, p.AttestationRules, "an empty list, not null")
	assert.Nil(t, p.LastUpdatedByUser)
	assert.Equal(t, 14, p.EnforcementDelayDays)

	_, err = policies.GetPolicy(ctx, scenPolicyID)
	scenAPIError(t, err, "GetPolicy", http.StatusInternalServerError, arthur.ErrServer)
	var ise *arthur.InternalServerError
	require.ErrorAs(t, err, &ise)
	assert.Equal(t, "Internal Server Error", ise.Detail)

	reqs := s.requests()
	require.Len(t, reqs, 5)
	scenWire(t, reqs[0], "POST", "/api/v1/organization/policies", "", `{"name":"EU AI Act",
		"description":"Hallucination rate under 5%.","owner_group_id":"`+scenGroupID+`","webhook_id":"`+scenWebhookID+`",
		"enforcement_delay_days":14,"alert_rules":[{"name":"hallucination rate","threshold":0.05,"bound":"upper_bound",
		"query":"SELECT ts, rate FROM hallucinations","metric_name":"rate","interval":{"unit":"days","count":1}}]}`)
	query := "compliance_status=NON_COMPLIANT&name=EU&page=%d&page_size=1"
	scenWire(t, reqs[1], "GET", "/api/v1/organization/policies", fmt.Sprintf(query, 1), "")
	scenWire(t, reqs[2], "GET", "/api/v1/organization/policies", fmt.Sprintf(query, 2), "")
	scenWire(t, reqs[3], "GET", "/api/v1/policies/"+scenPolicyID, "", "")
	scenWire(t, reqs[4], "GET", "/api/v1/policies/"+scenPolicyID, "", "")
}

// ---------------------------------------------------------------------------
// Alerts.

func scenAlert(id, timestamp string, value float64) string {
	return `{"description":"rate above 0.05","timestamp":"` + timestamp + `","value":` + fmt.Sprint(value) + `,
	"threshold":0.05,"bound":"upper_bound","interval":{"unit":"hours","count":1},
	"dimensions":{"model":"gpt-4o","region":"eu"},"alert_rule_id":"` + scenAlertRuleID + `","job_id":"` + scenJobID + `",
	"created_at":"2025-03-15T10:05:00.1Z","updated_at":"2025-03-15T10:05:00.1Z","id":"` + id + `",
	"model_id":"` + scenModelID + `","alert_rule_name":"hallucination rate","alert_rule_metric_name":"rate",
	"is_duplicate_of":null}`
}

// TestScenarioAlerts is the engine's alert check: it posts the alerts its
// rule fired for a model, learns which webhooks were called, and a script
// then lists the model's upper-bound alerts since a time.
func TestScenarioAlerts(t *testing.T) {
	s := newScenServer(t)
	quietAlert := strings.NewReplacer(`"description":"rate above 0.05"`, `"description":null`,
		`"job_id":"`+scenJobID+`"`, `"job_id":null`,
		`"dimensions":{"model":"gpt-4o","region":"eu"}`, `"dimensions":null`).Replace(scenAlert(scenAlertID, "2025-03-15T09:00:00Z", 0.083))
	s.on("POST /api/v1/models/{model_id}/alerts",
		scenOK(`{"alerts":[`+scenAlert(scenAlertID, "2025-03-15T09:00:00Z", 0.083)+`],
		"webhooks_called":[{"webhook_id":"`+scenWebhookID+`","webhook_name":"pagerduty",
			"webhook_result":{"error":null,"response":{"status_code":202,"response":"{\"status\":\"success\"}"}}}]}`),
		scenOK(`{"alerts":[`+quietAlert+`],"webhooks_called":[]}`))
	s.onPages("GET /api/v1/models/{model_id}/alerts",
		`{"records":[`+scenAlert(scenAlertID, "2025-03-15T09:00:00Z", 0.083)+`,`+
			scenAlert(scenAlertID2, "2025-03-15T08:00:00Z", 0.061)+`],"pagination":{"page":1,"page_size":2}}`,
		`{"records":[`+scenAlert(scenAlertID3, "2025-03-15T07:00:00Z", 0.052)+`],"pagination":{"page":2,"page_size":2}}`)
	ctx := context.Background()
	alerts := s.client.AlertsV1API

	fired := arthur.PostAlert{
		Description: arthur.Ptr("rate above 0.05"), Timestamp: time.Date(2025, 3, 15, 9, 0, 0, 0, time.UTC),
		Value: 0.083, Threshold: 0.05, Bound: arthur.AlertBoundUpperBound,
		Interval:    arthur.AlertRuleInterval{Unit: arthur.IntervalUnitHours, Count: 1},
		Dimensions:  map[string]json.RawMessage{"model": json.RawMessage(`"gpt-4o"`), "region": json.RawMessage(`"eu"`)},
		AlertRuleID: scenAlertRuleID, JobID: arthur.Ptr(scenJobID),
	}
	created, err := alerts.PostModelAlerts(ctx, scenModelID, arthur.PostAlerts{Alerts: []arthur.PostAlert{fired}})
	require.NoError(t, err)
	require.Len(t, created.Alerts, 1)
	a := created.Alerts[0]
	assert.Equal(t, scenAlertID, a.ID)
	assert.Nil(t, a.IsDuplicateOf)
	assert.Equal(t, arthur.Ptr(scenJobID), a.JobID)
	assert.JSONEq(t, `"gpt-4o"`, string(a.Dimensions["model"]))
	require.Len(t, created.WebhooksCalled, 1)
	hook := created.WebhooksCalled[0]
	assert.Equal(t, "pagerduty", hook.WebhookName)
	assert.Nil(t, hook.WebhookResult.Error)
	require.NotNil(t, hook.WebhookResult.Response)
	assert.Equal(t, arthur.Ptr(202), hook.WebhookResult.Response.StatusCode)
	assert.Equal(t, arthur.Ptr(`{"status":"success"}`), hook.WebhookResult.Response.Response)

	var values []float64
	since := time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC)
	for a, err := range alerts.GetModelAlertsIter(ctx, scenModelID, &arthur.GetModelAlertsParams{
		Bound: arthur.AlertBoundUpperBound, TimeFrom: since, AlertRuleIDs: []string{scenAlertRuleID}, PageSize: 2}) {
		require.NoError(t, err)
		values = append(values, a.Value)
	}
	assert.Equal(t, []float64{0.083, 0.061, 0.052}, values)

	reqs := s.requests()
	require.Len(t, reqs, 3)
	scenWire(t, reqs[0], "POST", "/api/v1/models/"+scenModelID+"/alerts", "", `{"alerts":[{"description":"rate above 0.05",
		"timestamp":"2025-03-15T09:00:00Z","value":0.083,"threshold":0.05,"bound":"upper_bound",
		"interval":{"unit":"hours","count":1},"dimensions":{"model":"gpt-4o","region":"eu"},
		"alert_rule_id":"`+scenAlertRuleID+`","job_id":"`+scenJobID+`"}]}`)
	query := "alert_rule_ids=" + scenAlertRuleID + "&bound=upper_bound&page=%d&page_size=2&time_from=2025-03-15T00%%3A00%%3A00Z"
	scenWire(t, reqs[1], "GET", "/api/v1/models/"+scenModelID+"/alerts", fmt.Sprintf(query, 1), "")
	scenWire(t, reqs[2], "GET", "/api/v1/models/"+scenModelID+"/alerts", fmt.Sprintf(query, 2), "")

	// An alert without a description, a job or dimensions is sent with
	// null for the keys the contract requires; one without its rule is
	// refused.
	quiet := fired
	quiet.Description, quiet.JobID, quiet.Dimensions = nil, nil, nil
	created, err = alerts.PostModelAlerts(ctx, scenModelID, arthur.PostAlerts{Alerts: []arthur.PostAlert{quiet}})
	require.NoError(t, err)
	require.Len(t, created.Alerts, 1)
	assert.Nil(t, created.Alerts[0].Description)
	assert.Nil(t, created.Alerts[0].JobID)
	assert.Nil(t, created.Alerts[0].Dimensions)
	assert.Empty(t, created.WebhooksCalled)
	reqs = s.requests()
	require.Len(t, reqs, 4)
	scenWire(t, reqs[3], "POST", "/api/v1/models/"+scenModelID+"/alerts", "", `{"alerts":[{"description":null,
		"timestamp":"2025-03-15T09:00:00Z","value":0.083,"threshold":0.05,"bound":"upper_bound",
		"interval":{"unit":"hours","count":1},"dimensions":null,"alert_rule_id":"`+scenAlertRuleID+`"}]}`)

	unruled := fired
	unruled.AlertRuleID = ""
	_, err = alerts.PostModelAlerts(ctx, scenModelID, arthur.PostAlerts{Alerts: []arthur.PostAlert{quiet, unruled}})
	scenArgumentError(t, err, "PostModelAlerts", "body.Alerts[1].AlertRuleID")
	assert.Len(t, s.requests(), 4, "nothing is sent for a refused body")
}
