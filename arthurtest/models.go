package arthurtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest/internal/schema"
)

// createModel is post_model: the model made from the body is stored, for
// get_model, get_models, patch_model, put_model_metric_config and
// delete_model. Its datasets are those of dataset_ids, named as the
// server holds them.
func (s *Server) createModel(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	project, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)["project_id"])
	body := bodyObject(x)
	obj := newRecord(doc, o.Result, newUUID())
	overlay(doc, o.Result, &obj, body, nil)
	if plane, ok := obj.Get("data_plane"); ok {
		if p, ok := plane.(schema.Object); ok {
			if id, ok := p.Get("id"); ok {
				obj.Set("data_plane_id", id)
			}
		}
	}
	obj.Set("project_id", project)
	obj.Set("schedule", nil)
	obj.Set("agent_id", nil)
	s.mu.Lock()
	now := s.stampJSON()
	obj.Set("created_at", now)
	obj.Set("updated_at", now)
	obj.Set("last_updated_by_user", userObject(x.caller))
	if put, ok := body["metric_config"].(map[string]any); ok {
		if spec := metricSpec(put); doc.FitsAnswer(ref("ModelMetricSpec"), objectMap(spec)) {
			obj.Set("metric_config", spec)
		}
	}
	s.setModelDatasetsLocked(&obj, body["dataset_ids"])
	s.seq++
	rec := &resource{obj: inOrder(doc, o.Result, obj), seq: s.seq}
	s.models[rec.get("id")] = rec
	s.modelProjects[project] = true
	answer := slices.Clone(rec.obj)
	s.mu.Unlock()
	writeRecord(x, o.Status, answer)
}

// userObject is a user as the API embeds it.
func userObject(rec *record) any {
	if rec == nil {
		return nil
	}
	var u map[string]any
	_ = json.Unmarshal(apiJSON(cloneUser(rec.user)), &u)
	return u
}

// metricSpec is the ModelMetricSpec a PutModelMetricSpec sets: its
// aggregations, with a new ID.
func metricSpec(put map[string]any) schema.Object {
	specs := put["aggregation_specs"]
	if specs == nil {
		specs = []any{}
	}
	return schema.Object{{Key: "aggregation_specs", Value: specs}, {Key: "id", Value: newUUID()}}
}

// setModelDatasetsLocked sets a model's datasets, and its problem types,
// from dataset_ids. A dataset the server does not hold is referred to
// without a name. s.mu is held.
func (s *Server) setModelDatasetsLocked(obj *schema.Object, ids any) {
	list, ok := ids.([]any)
	if !ok {
		return
	}
	refs := []any{}
	types := []any{}
	for _, v := range list {
		id, _ := parseUUID(fmt.Sprint(v))
		ref := schema.Object{{Key: "dataset_id", Value: id}, {Key: "dataset_name", Value: ""}, {Key: "dataset_connector_type", Value: nil}}
		if d, ok := s.datasets[id]; ok {
			ref.Set("dataset_name", d.get("name"))
			if c, ok := d.obj.Get("connector"); ok {
				if co, ok := c.(schema.Object); ok {
					t, _ := co.Get("connector_type")
					ref.Set("dataset_connector_type", t)
				}
			}
			if t := d.get("model_problem_type"); t != "" && !slices.Contains(types, any(t)) {
				types = append(types, t)
			}
		}
		refs = append(refs, ref)
	}
	obj.Set("datasets", refs)
	obj.Set("model_problem_types", types)
}

// getModel is get_model.
func (s *Server) getModel(x *exchange) {
	s.onRecord(x, s.models, "model_id", func(_ *schema.Doc, _ *schema.Operation, rec *resource) (schema.Object, bool) {
		return slices.Clone(rec.obj), false
	})
}

// patchModel is patch_model: name, description, agent_id and the
// datasets of dataset_ids change.
func (s *Server) patchModel(x *exchange) {
	s.onRecord(x, s.models, "model_id", func(doc *schema.Doc, o *schema.Operation, rec *resource) (schema.Object, bool) {
		body := bodyObject(x)
		changed := overlay(doc, o.Result, &rec.obj, body, nil)
		if ids, ok := body["dataset_ids"].([]any); ok {
			s.setModelDatasetsLocked(&rec.obj, ids)
			changed = true
		}
		if changed {
			s.touchRecord(rec)
			rec.obj.Set("last_updated_by_user", userObject(x.caller))
		}
		rec.obj = inOrder(doc, o.Result, rec.obj)
		return slices.Clone(rec.obj), false
	})
}

// putModelMetricConfig is put_model_metric_config: the model's
// metric_config becomes the body's aggregations, with a new ID.
func (s *Server) putModelMetricConfig(x *exchange) {
	s.onRecord(x, s.models, "model_id", func(doc *schema.Doc, _ *schema.Operation, rec *resource) (schema.Object, bool) {
		if spec := metricSpec(bodyObject(x)); doc.FitsAnswer(ref("ModelMetricSpec"), objectMap(spec)) {
			rec.obj.Set("metric_config", spec)
			s.touchRecord(rec)
		}
		return nil, false
	})
}

// deleteModel is delete_model.
func (s *Server) deleteModel(x *exchange) {
	s.onRecord(x, s.models, "model_id", func(*schema.Doc, *schema.Operation, *resource) (schema.Object, bool) {
		return nil, true
	})
}

// listModels is get_models: a project the server holds models of lists
// them, filtered by dataset_id, name (a part of it, in any case),
// onboarding_identifier and model_problem_type; the others are
// synthesized.
func (s *Server) listModels(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	q := x.r.URL.Query()
	project, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)["project_id"])
	datasetID, byDataset := lastValue(q, "dataset_id")
	datasetID, _ = parseUUID(datasetID)
	name, byName := lastValue(q, "name")
	onboarding, byOnboarding := lastValue(q, "onboarding_identifier")
	problem, byProblem := lastValue(q, "model_problem_type")
	s.mu.Lock()
	held := s.modelProjects[project]
	var recs []*resource
	for _, m := range s.models {
		if m.get("project_id") != project ||
			byName && !strings.Contains(strings.ToLower(m.get("name")), strings.ToLower(name)) ||
			byOnboarding && m.get("onboarding_identifier") != onboarding ||
			byDataset && !modelHas(m, "datasets", func(v any) bool { return getString(asObject(v), "dataset_id") == datasetID }) ||
			byProblem && !modelHas(m, "model_problem_types", func(v any) bool { return v == problem }) {
			continue
		}
		recs = append(recs, &resource{obj: slices.Clone(m.obj), seq: m.seq})
	}
	s.mu.Unlock()
	if !held {
		s.synthAnswer(x, doc, o)
		return
	}
	listPage(x, doc, o, recs, "created_at", true)
}

func asObject(v any) schema.Object {
	o, _ := v.(schema.Object)
	return o
}

// modelHas reports whether an item of the list member key fits match.
func modelHas(m *resource, key string, match func(any) bool) bool {
	v, _ := m.obj.Get(key)
	list, _ := v.([]any)
	return slices.ContainsFunc(list, match)
}

// Models returns the models the server holds, in the order they were
// created.
func (s *Server) Models() []arthur.Model {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeRecords[arthur.Model](s.models)
}

// Model returns the model with id and whether the server holds it.
func (s *Server) Model(id string) (arthur.Model, bool) {
	key, ok := parseUUID(id)
	if !ok {
		return arthur.Model{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.models[key]
	if !ok {
		return arthur.Model{}, false
	}
	return decodeRecord[arthur.Model](rec.obj), true
}
