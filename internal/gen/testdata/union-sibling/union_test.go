package arthur

import (
	"encoding/json"
	"testing"
)

// The fixture's own tests, which TestFixturesBuild runs against what the
// generator writes for it.

func TestSiblingPicksBranch(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		check    func(c *RuleResponseConfig) bool
	}{
		{"type first", `{"id":"i","name":"n","type":"ToxicityRule","config":{"threshold":0.5}}`,
			func(c *RuleResponseConfig) bool { return c.ToxicityConfig != nil && *c.ToxicityConfig.Threshold == 0.5 }},
		{"type after config", `{"id":"i","name":"n","config":{"threshold":0.5},"type":"PIIDataRule"}`,
			func(c *RuleResponseConfig) bool { return c.PIIConfig != nil }},
		{"unknown type", `{"id":"i","name":"n","type":"NewRule","config":{"threshold":0.5}}`,
			func(c *RuleResponseConfig) bool { return string(c.Other) == `{"threshold":0.5}` }},
		{"null config", `{"id":"i","name":"n","type":"PromptInjectionRule","config":null}`,
			func(c *RuleResponseConfig) bool { return c == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r RuleResponse
			if err := json.Unmarshal([]byte(tc.in), &r); err != nil {
				t.Fatal(err)
			}
			if !tc.check(r.Config) {
				t.Fatalf("%+v", r.Config)
			}
		})
	}
}

func TestSiblingErrors(t *testing.T) {
	var r RuleResponse
	// The type's branch is the branch, whose required keys the object lacks.
	if err := json.Unmarshal([]byte(`{"id":"i","name":"n","type":"KeywordRule","config":{"threshold":0.5}}`), &r); err == nil {
		t.Fatal("no error")
	}
}

func TestSiblingDefault(t *testing.T) {
	var e Eval
	if err := json.Unmarshal([]byte(`{"name":"e","config":{"temperature":0.2}}`), &e); err != nil {
		t.Fatal(err)
	}
	if e.Config.LLMBaseConfigSettings == nil || *e.Config.LLMBaseConfigSettings.Temperature != 0.2 {
		t.Fatalf("%+v", e.Config)
	}
	var ml Eval
	in := `{"config":{"labels":["a"]},"eval_kind":"pii","name":"e"}`
	if err := json.Unmarshal([]byte(in), &ml); err != nil {
		t.Fatal(err)
	}
	if string(ml.Config.Other) != `{"labels":["a"]}` {
		t.Fatalf("%+v", ml.Config)
	}
	out, err := json.Marshal(ml.Config)
	if err != nil || string(out) != `{"labels":["a"]}` {
		t.Fatalf("%s, %v", out, err)
	}
}

func TestSiblingAlone(t *testing.T) {
	// Without its owner, a union reads by its keys.
	var c NewRuleRequestConfig
	if err := json.Unmarshal([]byte(`{"regex_patterns":["x"]}`), &c); err != nil || c.RegexConfig == nil {
		t.Fatalf("%+v, %v", c, err)
	}
	var e EvalConfig
	if err := json.Unmarshal([]byte(`{"temperature":1}`), &e); err != nil || e.LLMBaseConfigSettings == nil {
		t.Fatalf("%+v, %v", e, err)
	}
}
