package arthurtest

import (
	"slices"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest/internal/schema"
)

// job is a stored job with its runs.
type job struct {
	resource
	runs []*jobRun
}

// jobRun is one run of a job, handed out by post_dequeue_job, with the
// logs posted for it.
type jobRun struct {
	obj  schema.Object
	logs []*resource
}

func ref(name string) *schema.Schema { return &schema.Schema{Ref: "#/components/schemas/" + name} }

// terminal reports whether a job state ends a run.
func terminal(state string) bool {
	return state == "completed" || state == "failed" || state == "cancelled"
}

// open reports whether the job has a run handed out and not ended.
func (j *job) open() bool {
	return len(j.runs) > 0 && !terminal(getString(j.runs[len(j.runs)-1].obj, "state"))
}

func getString(obj schema.Object, key string) string {
	v, _ := obj.Get(key)
	s, _ := v.(string)
	return s
}

// submitJobs is post_submit_jobs_batch: each job is stored, queued, for
// post_dequeue_job to hand out.
func (s *Server) submitJobs(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	project, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)["project_id"])
	items, _ := bodyObject(x)["jobs"].([]any)
	s.mu.Lock()
	user := userObject(x.caller)
	now := s.stampJSON()
	out := make([]schema.Object, 0, len(items))
	for _, item := range items {
		in, _ := item.(map[string]any)
		obj := newRecord(doc, ref("Job"), newUUID())
		overlay(doc, ref("Job"), &obj, in, nil)
		if v, _ := obj.Get("ready_at"); in["ready_at"] == nil || v == nil {
			obj.Set("ready_at", now)
		}
		for k, v := range map[string]any{
			"state": "queued", "project_id": project, "data_plane_id": nil, "queued_at": now,
			"started_at": nil, "finished_at": nil, "duration_sec": nil, "error_count": nil,
			"trigger_type": "user", "triggered_by_user": user, "attempts": 0,
		} {
			obj.Set(k, v)
		}
		if _, ok := in["schedule_id"]; !ok {
			obj.Set("schedule_id", nil)
		}
		if _, ok := in["nonce"]; !ok {
			obj.Set("nonce", nil)
		}
		s.seq++
		j := &job{resource: resource{obj: inOrder(doc, ref("Job"), obj), seq: s.seq}}
		s.jobs[j.get("id")] = j
		out = append(out, slices.Clone(j.obj))
	}
	s.jobProjects[project] = true
	s.mu.Unlock()
	writeRecord(x, o.Status, schema.Object{{Key: "jobs", Value: out}})
}

// dequeueJob is post_dequeue_job: the oldest queued job that is ready and
// has no run under way gets a run, handed out; with none, 204. A server
// that holds no job synthesizes the answer.
func (s *Server) dequeueJob(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	plane, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)["data_plane_id"])
	s.mu.Lock()
	if len(s.jobs) == 0 {
		s.mu.Unlock()
		s.synthAnswer(x, doc, o)
		return
	}
	now := s.clock.now()
	var next *job
	for _, j := range s.jobs {
		ready, err := time.Parse(time.RFC3339Nano, j.get("ready_at"))
		if j.get("state") != "queued" || j.open() || (err == nil && ready.After(now)) {
			continue
		}
		if next == nil || j.seq < next.seq {
			next = j
		}
	}
	var run schema.Object
	if next != nil {
		attempts, _ := next.obj.Get("attempts")
		n := 1
		if a, ok := attempts.(int); ok {
			n = a + 1
		}
		next.obj.Set("attempts", n)
		next.obj.Set("data_plane_id", plane)
		run = schema.Object{
			{Key: "id", Value: newUUID()}, {Key: "job_id", Value: next.get("id")}, {Key: "state", Value: "queued"},
			{Key: "job_attempt", Value: n}, {Key: "start_timestamp", Value: s.stampJSON()}, {Key: "end_timestamp", Value: nil},
		}
		next.runs = append(next.runs, &jobRun{obj: run})
		run = slices.Clone(run)
	}
	s.mu.Unlock()
	if run == nil {
		writeNoContent(x.w)
		return
	}
	writeRecord(x, o.Status, run)
}

// heldJob is the job of the request's {job_id} and, with runParam, its run
// of {job_run_id} or of the query's job_run_id (or its last run, when the
// query names none). It answers a job the server does not hold with the
// synthesized answer, and an unknown run with 404, and then returns
// false. On true, s.mu is held.
func (s *Server) heldJob(x *exchange, doc *schema.Doc, o *schema.Operation, runParam bool) (*job, *jobRun, bool) {
	params := pathParams(o.Path, x.r.URL.Path)
	id, _ := parseUUID(params["job_id"])
	s.mu.Lock()
	j, ok := s.jobs[id]
	if !ok {
		s.mu.Unlock()
		s.synthAnswer(x, doc, o)
		return nil, nil, false
	}
	if !runParam {
		return j, nil, true
	}
	runID, named := params["job_run_id"]
	if !named {
		runID, named = lastValue(x.r.URL.Query(), "job_run_id")
	}
	runID, _ = parseUUID(runID)
	for i := len(j.runs) - 1; i >= 0; i-- {
		if !named || getString(j.runs[i].obj, "id") == runID {
			return j, j.runs[i], true
		}
	}
	if !named {
		return j, nil, true
	}
	s.mu.Unlock()
	notFound(x)
	return nil, nil, false
}

// getJob is get_job.
func (s *Server) getJob(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	j, _, ok := s.heldJob(x, doc, o, false)
	if !ok {
		return
	}
	obj := slices.Clone(j.obj)
	s.mu.Unlock()
	writeRecord(x, o.Status, obj)
}

// putJobState is put_job_state: the job and its run (the query's
// job_run_id, or its last) take the state; running starts the job, a
// terminal state (completed, failed, cancelled) ends it and its run.
func (s *Server) putJobState(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	j, run, ok := s.heldJob(x, doc, o, true)
	if !ok {
		return
	}
	state, _ := bodyObject(x)["job_state"].(string)
	now := s.stampJSON()
	j.obj.Set("state", state)
	switch {
	case state == "running":
		if v, _ := j.obj.Get("started_at"); v == nil {
			j.obj.Set("started_at", now)
		}
		j.obj.Set("finished_at", nil)
		j.obj.Set("duration_sec", nil)
	case terminal(state):
		j.obj.Set("finished_at", now)
		dur := 0
		if start, err := parseStamp(j.get("started_at")); err == nil {
			dur = int(s.stamp().Sub(start) / time.Second)
		}
		j.obj.Set("duration_sec", dur)
		j.obj.Set("error_count", 0)
	}
	if run != nil {
		run.obj.Set("state", state)
		if terminal(state) {
			run.obj.Set("end_timestamp", now)
		}
	}
	obj := slices.Clone(j.obj)
	s.mu.Unlock()
	writeRecord(x, o.Status, obj)
}

// postJobLogs is post_job_logs: the logs are kept with the run.
func (s *Server) postJobLogs(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	_, run, ok := s.heldJob(x, doc, o, true)
	if !ok {
		return
	}
	items, _ := bodyObject(x)["logs"].([]any)
	for _, item := range items {
		in, _ := item.(map[string]any)
		log := schema.Object{}
		overlay(doc, ref("JobLog"), &log, in, nil)
		if doc.FitsAnswer(ref("JobLog"), map[string]any(objectMap(log))) {
			s.seq++
			run.logs = append(run.logs, &resource{obj: inOrder(doc, ref("JobLog"), log), seq: s.seq})
		}
	}
	s.mu.Unlock()
	writeNoContent(x.w)
}

// objectMap is an object as the validator reads it (its members' values
// as they are).
func objectMap(o schema.Object) map[string]any {
	m := make(map[string]any, len(o))
	for _, kv := range o {
		m[kv.Key] = kv.Value
	}
	return m
}

// getJobLogs is get_job_logs.
func (s *Server) getJobLogs(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	_, run, ok := s.heldJob(x, doc, o, true)
	if !ok {
		return
	}
	recs := make([]*resource, len(run.logs))
	for i, l := range run.logs {
		recs[i] = &resource{obj: slices.Clone(l.obj), seq: l.seq}
	}
	s.mu.Unlock()
	listPage(x, doc, o, recs, "log_timestamp", false)
}

// getJobRuns is get_job_runs.
func (s *Server) getJobRuns(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	j, _, ok := s.heldJob(x, doc, o, false)
	if !ok {
		return
	}
	recs := make([]*resource, len(j.runs))
	for i, r := range j.runs {
		recs[i] = &resource{obj: slices.Clone(r.obj), seq: int64(i)}
	}
	s.mu.Unlock()
	listPage(x, doc, o, recs, "start_timestamp", false)
}

// jobFilters are get_jobs' filters the fake applies: the query parameter
// and the job's member it must equal (for a list, be among).
var jobFilters = []struct {
	param, member string
	list, exclude bool
}{
	{"kinds", "kind", true, false},
	{"exclude_kinds", "kind", true, true},
	{"states", "state", true, false},
	{"data_plane_id", "data_plane_id", false, false},
	{"schedule_id", "schedule_id", false, false},
	{"trigger_type", "trigger_type", false, false},
	{"nonce", "nonce", false, false},
}

// listJobs is get_jobs: a project the server holds jobs of lists them,
// with the filters of jobFilters, sorted and paged; the others are
// synthesized.
func (s *Server) listJobs(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	q := x.r.URL.Query()
	project, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)["project_id"])
	s.mu.Lock()
	held := s.jobProjects[project]
	var recs []*resource
	for _, j := range s.jobs {
		if j.get("project_id") != project {
			continue
		}
		keep := true
		for _, f := range jobFilters {
			vs := q[f.param]
			if len(vs) == 0 {
				continue
			}
			v := j.get(f.member)
			if f.member == "data_plane_id" || f.member == "schedule_id" {
				for i := range vs {
					vs[i], _ = parseUUID(vs[i])
				}
			}
			if !f.list {
				vs = vs[len(vs)-1:]
			}
			if slices.Contains(vs, v) == f.exclude {
				keep = false
			}
		}
		if keep {
			recs = append(recs, &resource{obj: slices.Clone(j.obj), seq: j.seq})
		}
	}
	s.mu.Unlock()
	if !held {
		s.synthAnswer(x, doc, o)
		return
	}
	listPage(x, doc, o, recs, "queued_at", true)
}

// Jobs returns the jobs the server holds, in the order they were
// submitted.
func (s *Server) Jobs() []arthur.Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]*resource, len(s.jobs))
	for id, j := range s.jobs {
		m[id] = &j.resource
	}
	return decodeRecords[arthur.Job](m)
}

// JobRuns returns the runs of the job with jobID, oldest first: those
// post_dequeue_job handed out.
func (s *Server) JobRuns(jobID string) []arthur.JobRun {
	id, _ := parseUUID(jobID)
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return nil
	}
	out := make([]arthur.JobRun, len(j.runs))
	for i, r := range j.runs {
		out[i] = decodeRecord[arthur.JobRun](r.obj)
	}
	return out
}

// JobLogs returns the logs posted for a run of a job, in the order they
// were posted.
func (s *Server) JobLogs(jobID, runID string) []arthur.JobLog {
	id, _ := parseUUID(jobID)
	rid, _ := parseUUID(runID)
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return nil
	}
	for _, r := range j.runs {
		if getString(r.obj, "id") == rid {
			out := make([]arthur.JobLog, len(r.logs))
			for i, l := range r.logs {
				out[i] = decodeRecord[arthur.JobLog](l.obj)
			}
			return out
		}
	}
	return nil
}
