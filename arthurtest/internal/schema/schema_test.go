package schema_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/arthur-sdk/arthur-go/api"
	"github.com/arthur-sdk/arthur-go/arthurtest/internal/schema"
)

func load(t *testing.T) *schema.Doc {
	t.Helper()
	d, err := schema.Load(api.OpenAPI, api.Overrides)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Every value made for a schema of the document passes the validation of
// that schema, and is the same for the same seed.
func TestSynthesizedValuesValidate(t *testing.T) {
	d := load(t)
	if len(d.Schemas) < 300 || len(d.Operations) < 200 {
		t.Fatalf("%d schemas and %d operations: the document did not load", len(d.Schemas), len(d.Operations))
	}
	for name := range d.Schemas {
		ref := &schema.Schema{Ref: "#/components/schemas/" + name}
		for seed := range uint64(5) {
			v := d.NewSynth(seed).Value(ref)
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			again, _ := json.Marshal(d.NewSynth(seed).Value(ref))
			if string(b) != string(again) {
				t.Errorf("%s, seed %d: two values:\n%s\n%s", name, seed, b, again)
			}
			var back any
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if errs := d.Validate(ref, back, []any{"body"}); len(errs) > 0 {
				t.Errorf("%s, seed %d: %s does not validate: %+v", name, seed, b, errs)
			}
		}
	}
}

func TestValidateReportsPydanticErrors(t *testing.T) {
	d := load(t)
	ref := &schema.Schema{Ref: "#/components/schemas/PutJobState"}
	for _, c := range []struct {
		body string
		want string
	}{
		{`{"job_state": "nope"}`, "enum body.job_state"},
		{`[]`, "model_attributes_type body"},
		{`{}`, "missing body.job_state"},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.body), &v); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range d.Validate(ref, v, []any{"body"}) {
			loc := make([]string, len(e.Loc))
			for i, l := range e.Loc {
				loc[i] = fmt.Sprint(l)
			}
			got = append(got, e.Type+" "+strings.Join(loc, "."))
		}
		if strings.Join(got, "; ") != c.want {
			t.Errorf("%s: %q; want %q", c.body, got, c.want)
		}
	}
	p := schema.Param{Name: "page_size", In: "query", Schema: &schema.Schema{Types: []string{"integer"}, Maximum: ptr(1000.0)}}
	for raw, want := range map[string]string{"10": "", "1001": "less_than_equal", "ten": "int_parsing", "2.5": "int_parsing"} {
		errs := d.ValidateParam(p, []string{raw})
		got := ""
		if len(errs) > 0 {
			got = errs[0].Type
		}
		if got != want {
			t.Errorf("page_size=%s: %q; want %q", raw, got, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// FitsAnswer is strict where a request's validation is lax: an answer
// has its required readOnly properties, and its numbers and booleans are
// no strings.
func TestFitsAnswer(t *testing.T) {
	d := load(t)
	ref := func(name string) *schema.Schema { return &schema.Schema{Ref: "#/components/schemas/" + name} }
	decode := func(s string) any {
		var v any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	const uuid = "5d6c3f5e-1b2a-4c3d-8e4f-0a1b2c3d4e5f"
	withoutNames := decode(`{"alias_mask":{},"columns":[]}`)
	if len(d.Validate(ref("DatasetSchema"), withoutNames, nil)) != 0 {
		t.Error("a request may leave out the readOnly column_names")
	}
	for _, c := range []struct {
		schema, value string
		fits          bool
	}{
		{"DatasetSchema", `{"alias_mask":{},"columns":[]}`, false},
		{"DatasetSchema", `{"alias_mask":{},"columns":[],"column_names":{}}`, true},
		{"JobDequeueParameters", `{"memory_limit_mb":512}`, true},
		{"JobDequeueParameters", `{"memory_limit_mb":"512"}`, false},
		{"DatasetReference", `{"dataset_id":"` + uuid + `","dataset_name":"d","dataset_connector_type":null}`, true},
	} {
		if got := d.FitsAnswer(ref(c.schema), decode(c.value)); got != c.fits {
			t.Errorf("FitsAnswer(%s, %s) = %v", c.schema, c.value, got)
		}
	}
	if d.FitsAnswer(&schema.Schema{Types: []string{"boolean"}}, "true") || !d.FitsAnswer(&schema.Schema{Types: []string{"boolean"}}, true) {
		t.Error(`FitsAnswer takes "true" for a boolean, or not true`)
	}
}
