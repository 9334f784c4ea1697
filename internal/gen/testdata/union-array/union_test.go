package arthur

import (
	"encoding/json"
	"strings"
	"testing"
)

// The fixture's own tests, which TestFixturesBuild runs against what the
// generator writes for it.

func TestArrayOfUnions(t *testing.T) {
	in := `{"query":"q","result_filter":{"and":[{"column":"a","op":"equals","value":1},{"or":[{"column":"b","op":"in","value":["x"]},{"and":[]}]}]}}`
	var q PostMetricsQuery
	if err := json.Unmarshal([]byte(in), &q); err != nil {
		t.Fatal(err)
	}
	and := q.ResultFilter.PostMetricsQueryResultFilterAndGroup
	if and == nil || len(and.And) != 2 || and.And[0].PostMetricsQueryResultFilter == nil || and.And[1].PostMetricsQueryResultFilterOrGroup == nil {
		t.Fatalf("%+v", q.ResultFilter)
	}
	or := and.And[1].PostMetricsQueryResultFilterOrGroup.Or
	if or[1].PostMetricsQueryResultFilterAndGroup == nil || or[0].PostMetricsQueryResultFilter.Op != MetricsResultFilterOpIn {
		t.Fatalf("%+v", or)
	}
	if err := q.validate("PostMetricsQuery", "body"); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(q)
	if err != nil || string(out) != in {
		t.Fatalf("%s, %v", out, err)
	}
	or[1] = PostMetricsQueryResultFilterOrGroupOrItem{}
	err = q.validate("PostMetricsQuery", "body")
	if err == nil || !strings.Contains(err.Error(), "body.ResultFilter.PostMetricsQueryResultFilterAndGroup.And[1].PostMetricsQueryResultFilterOrGroup.Or[1]") {
		t.Fatalf("err = %v", err)
	}
}

func TestArrayOfUnionsByKeys(t *testing.T) {
	var m MetricsUpload
	if err := json.Unmarshal([]byte(`{"metrics":[{"name":"a","sketch_series":["s"]},{"name":"b","numeric_series":[1]},null]}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.Metrics[0].SketchMetric == nil || m.Metrics[1].NumericMetric == nil || m.Metrics[2] != (MetricsUploadMetricsItem{}) {
		t.Fatalf("%+v", m.Metrics)
	}
	if err := json.Unmarshal([]byte(`{"metrics":[{"name":"a"}]}`), &m); err == nil {
		t.Fatal("no error")
	}
}
