package arthur

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// The fixture's own tests, which TestFixturesBuild runs against what the
// generator writes for it.

func TestTagPicksBranch(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       string
	}{
		{"tag first", `{"job_type":"list_datasets","connector_id":"c"}`, "ListDatasetsJobSpec"},
		{"tag last", `{"connector_id":"c","job_type":"list_datasets"}`, "ListDatasetsJobSpec"},
		{"tag over keys", `{"job_type":"connector_check","connector_id":"c","start_timestamp":"s","end_timestamp":"e","operation_id":"o"}`, "ConnectorCheckJobSpec"},
		{"absent tag: the first branch by keys", `{"connector_id":"c"}`, "ConnectorCheckJobSpec"},
		{"absent tag: keys", `{"start_timestamp":"2024-01-01T00:00:00Z","end_timestamp":"2024-01-02T00:00:00Z","operation_id":"o"}`, "FetchDataJobSpec"},
		{"null tag: keys", `{"job_type":null,"connector_id":"c"}`, "ConnectorCheckJobSpec"},
		{"last tag counts", `{"job_type":"connector_check","job_type":"list_datasets","connector_id":"c"}`, "ListDatasetsJobSpec"},
		{"unknown tag", `{"job_type":"train_model","epochs":3}`, "Other"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v JobJobSpec
			if err := json.Unmarshal([]byte(tc.spec), &v); err != nil {
				t.Fatal(err)
			}
			if got := setBranch(v); got != tc.want {
				t.Fatalf("branch %s, want %s", got, tc.want)
			}
		})
	}
}

func setBranch(v JobJobSpec) string {
	var set []string
	if v.FetchDataJobSpec != nil {
		set = append(set, "FetchDataJobSpec")
	}
	if v.ConnectorCheckJobSpec != nil {
		set = append(set, "ConnectorCheckJobSpec")
	}
	if v.ListDatasetsJobSpec != nil {
		set = append(set, "ListDatasetsJobSpec")
	}
	if v.Other != nil {
		set = append(set, "Other")
	}
	return strings.Join(set, "+")
}

func TestTagErrors(t *testing.T) {
	for _, spec := range []string{
		`{"job_type":"fetch_data","connector_id":"c"}`, // the tag's branch misses its keys
		`{"job_type":3,"connector_id":"c"}`,            // a tag is a string
		`{"dataset_id":"d"}`,                           // no tag, and the keys of no branch
		`[]`,
	} {
		var v JobJobSpec
		if err := json.Unmarshal([]byte(spec), &v); err == nil {
			t.Errorf("%s: no error", spec)
		}
	}
}

func TestUnknownTagRoundTrips(t *testing.T) {
	in := `{"id":"j","job_spec":{ "job_type" : "train_model", "epochs": [1, 2.50, {"a": null}] },"state":"queued"}`
	var j Job
	if err := json.Unmarshal([]byte(in), &j); err != nil {
		t.Fatal(err)
	}
	const spec = `{ "job_type" : "train_model", "epochs": [1, 2.50, {"a": null}] }`
	if string(j.JobSpec.Other) != spec {
		t.Fatalf("Other = %s, want %s", j.JobSpec.Other, spec)
	}
	out, err := marshalJSON(j.JobSpec)
	if err != nil || string(out) != spec {
		t.Fatalf("encoded %s, %v; want %s", out, err, spec)
	}
}

func TestUnionEncodeAndValidate(t *testing.T) {
	one := PostJobJobSpec{ListDatasetsJobSpec: &ListDatasetsJobSpec{ConnectorID: "c"}}
	if err := (PostJob{JobSpec: one}).validate("PostJob", "body"); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(PostJob{JobSpec: one})
	if err != nil || string(out) != `{"job_spec":{"job_type":"list_datasets","connector_id":"c"}}` {
		t.Fatalf("%s, %v: the branch's tag is written where it is unset", out, err)
	}
	if one.ListDatasetsJobSpec.JobType != nil {
		t.Fatal("encoding set the caller's tag")
	}
	wrong := "fetch_data"
	mislabelled := PostJobJobSpec{ListDatasetsJobSpec: &ListDatasetsJobSpec{ConnectorID: "c", JobType: &wrong}}
	err = (PostJob{JobSpec: mislabelled}).validate("PostJob", "body")
	var ae *ArgumentError
	if !errors.As(err, &ae) || ae.Argument != "body.JobSpec.ListDatasetsJobSpec.JobType" {
		t.Fatalf("a branch with another's tag: %v", err)
	}
	right := "list_datasets"
	labelled := PostJobJobSpec{ListDatasetsJobSpec: &ListDatasetsJobSpec{ConnectorID: "c", JobType: &right}}
	if err := (PostJob{JobSpec: labelled}).validate("PostJob", "body"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []PostJobJobSpec{{}, {ListDatasetsJobSpec: one.ListDatasetsJobSpec, Other: json.RawMessage(`{}`)}} {
		if err := (PostJob{JobSpec: bad}).validate("PostJob", "body"); err == nil {
			t.Errorf("%+v: no error", bad)
		}
		if _, err := json.Marshal(bad); err == nil {
			t.Errorf("%+v: encoded", bad)
		}
	}
	other := PostJobJobSpec{Other: json.RawMessage(`{"job_type":"new"}`)}
	if err := (PostJob{JobSpec: other}).validate("PostJob", "body"); err != nil {
		t.Fatal(err)
	}
}
