package arthurtest

import (
	"encoding/json"
	"fmt"
	"slices"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest/internal/schema"
)

// datasetRename maps PostDataset's members to Dataset's.
var datasetRename = map[string]string{"dataset_join_spec": "join_spec"}

// createDataset is post_project_dataset and post_connector_dataset: the
// dataset made from the body is stored, for get_dataset, get_datasets,
// patch_dataset and delete_dataset.
func (s *Server) createDataset(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	params := pathParams(o.Path, x.r.URL.Path)
	id := newUUID()
	obj := newRecord(doc, o.Result, id)
	overlay(doc, o.Result, &obj, bodyObject(x), datasetRename)
	if p, ok := parseUUID(params["project_id"]); ok {
		obj.Set("project_id", p)
	}
	if c, ok := parseUUID(params["connector_id"]); ok {
		// The connector's name and type are made from its ID: the same for
		// each of its datasets.
		obj.Set("connector", newRecord(doc, ref("DatasetConnector"), c))
	}
	s.mu.Lock()
	now := s.stampJSON()
	obj.Set("created_at", now)
	obj.Set("updated_at", now)
	rec := s.storeDatasetLocked(inOrder(doc, o.Result, obj))
	s.mu.Unlock()
	writeRecord(x, o.Status, slices.Clone(rec.obj))
}

// storeDatasetLocked stores a dataset record. s.mu is held.
func (s *Server) storeDatasetLocked(obj schema.Object) *resource {
	s.seq++
	rec := &resource{obj: obj, seq: s.seq}
	s.datasets[rec.get("id")] = rec
	s.datasetProjects[rec.get("project_id")] = true
	return rec
}

// getDataset is get_dataset.
func (s *Server) getDataset(x *exchange) {
	s.onRecord(x, s.datasets, "dataset_id", func(_ *schema.Doc, _ *schema.Operation, rec *resource) (schema.Object, bool) {
		return slices.Clone(rec.obj), false
	})
}

// patchDataset is patch_dataset: a member of the body sets the dataset's,
// null clears it where the spec lets it be null.
func (s *Server) patchDataset(x *exchange) {
	s.onRecord(x, s.datasets, "dataset_id", func(doc *schema.Doc, o *schema.Operation, rec *resource) (schema.Object, bool) {
		if overlay(doc, o.Result, &rec.obj, bodyObject(x), nil) {
			s.touchRecord(rec)
		}
		rec.obj = inOrder(doc, o.Result, rec.obj)
		return slices.Clone(rec.obj), false
	})
}

// deleteDataset is delete_dataset.
func (s *Server) deleteDataset(x *exchange) {
	s.onRecord(x, s.datasets, "dataset_id", func(*schema.Doc, *schema.Operation, *resource) (schema.Object, bool) {
		return nil, true
	})
}

// listDatasets is get_datasets: a project the server holds datasets of
// (it has been given one) lists them, the others are synthesized.
func (s *Server) listDatasets(x *exchange) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	project, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)["project_id"])
	s.mu.Lock()
	held := s.datasetProjects[project]
	var recs []*resource
	for _, r := range s.datasets {
		if r.get("project_id") == project {
			recs = append(recs, &resource{obj: slices.Clone(r.obj), seq: r.seq})
		}
	}
	s.mu.Unlock()
	if !held {
		s.synthAnswer(x, doc, o)
		return
	}
	listPage(x, doc, o, recs, "created_at", true)
}

// AddDataset stores d, as a test's setup, as if it had been created, and
// returns the stored dataset. ProjectID must be set; what d leaves zero
// (ID, CreatedAt, UpdatedAt, DataPlaneID, ...) or sets to a value the
// spec does not allow is filled as a created dataset's is. It reports an
// error to the test that made the server, and returns a zero Dataset, when
// ProjectID is not a UUID or ID is taken.
func (s *Server) AddDataset(d arthur.Dataset) arthur.Dataset {
	if s.tb != nil {
		s.tb.Helper()
	}
	out, err := s.addDataset(d)
	if err != nil {
		s.report(err)
	}
	return out
}

func (s *Server) addDataset(d arthur.Dataset) (arthur.Dataset, error) {
	doc, err := spec()
	if err != nil {
		return arthur.Dataset{}, err
	}
	project, ok := parseUUID(d.ProjectID)
	if !ok {
		return arthur.Dataset{}, fmt.Errorf("arthurtest: AddDataset: ProjectID %q is not a UUID", d.ProjectID)
	}
	id := newUUID()
	if d.ID != "" {
		if id, ok = parseUUID(d.ID); !ok {
			return arthur.Dataset{}, fmt.Errorf("arthurtest: AddDataset: ID %q is not a UUID", d.ID)
		}
	}
	res := doc.Operations[OpGetDataset].Result
	var given map[string]any
	dec := json.NewDecoder(bytesReader(apiJSON(d)))
	dec.UseNumber()
	_ = dec.Decode(&given)
	delete(given, "id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.datasets[id]; taken {
		return arthur.Dataset{}, fmt.Errorf("arthurtest: AddDataset: ID %s is taken", id)
	}
	now := s.stampJSON()
	if d.CreatedAt.IsZero() {
		delete(given, "created_at")
	}
	if d.UpdatedAt.IsZero() {
		delete(given, "updated_at")
	}
	obj := newRecord(doc, res, id)
	obj.Set("created_at", now)
	obj.Set("updated_at", now)
	overlay(doc, res, &obj, given, nil)
	obj.Set("project_id", project)
	delete(s.gone, id)
	rec := s.storeDatasetLocked(inOrder(doc, res, obj))
	return decodeRecord[arthur.Dataset](rec.obj), nil
}

// Datasets returns the datasets the server holds, in the order they were
// created or added.
func (s *Server) Datasets() []arthur.Dataset {
	s.mu.Lock()
	defer s.mu.Unlock()
	return decodeRecords[arthur.Dataset](s.datasets)
}

// Dataset returns the dataset with id and whether the server holds it.
func (s *Server) Dataset(id string) (arthur.Dataset, bool) {
	key, ok := parseUUID(id)
	if !ok {
		return arthur.Dataset{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.datasets[key]
	if !ok {
		return arthur.Dataset{}, false
	}
	return decodeRecord[arthur.Dataset](rec.obj), true
}
