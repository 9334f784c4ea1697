package arthur

import (
	"encoding/json"
	"testing"
)

// The fixture's own tests, which TestFixturesBuild runs against what the
// generator writes for it.

func TestComponentUnion(t *testing.T) {
	var a Agent
	if err := json.Unmarshal([]byte(`{"name":"a","creation_source":{"type":"OTEL","service_names":["s"]}}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.CreationSource.OTELAgentCreationSource == nil {
		t.Fatalf("%+v", a.CreationSource)
	}
	// With no type, an object of none of GCP's keys is the first branch
	// that requires none.
	var s AgentCreationSource
	if err := json.Unmarshal([]byte(`{}`), &s); err != nil || s.OTELAgentCreationSource == nil {
		t.Fatalf("%+v, %v", s, err)
	}
	if err := json.Unmarshal([]byte(`{"type":"AZURE","region":"x"}`), &s); err != nil || string(s.Other) != `{"type":"AZURE","region":"x"}` {
		t.Fatalf("%+v, %v", s, err)
	}
	if err := (PostAgent{Name: "a"}).validate("PostAgent", "body"); err == nil {
		t.Fatal("an unset union validates")
	}
	body := PostAgent{Name: "a", CreationSource: AgentCreationSource{ManualAgentCreationSource: &ManualAgentCreationSource{}}}
	if err := body.validate("PostAgent", "body"); err != nil {
		t.Fatal(err)
	}
}
