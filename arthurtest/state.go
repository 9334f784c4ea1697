package arthurtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/arthur-sdk/arthur-go/arthurtest/internal/schema"
	"github.com/arthur-sdk/arthur-go/internal/optable"
)

// resource is a stored record of a stateful operation (a dataset, a
// model, a job), kept as the JSON object the API answers: it fits the
// spec's schema of the record.
type resource struct {
	obj schema.Object
	seq int64
}

// get is the string member key of the record ("" if absent or not a
// string).
func (r *resource) get(key string) string {
	v, _ := r.obj.Get(key)
	s, _ := v.(string)
	return s
}

// checked validates the request of an operation against the spec, as
// FastAPI would, for the stateful and the synthesized ones; on a bad one
// it answers 422 and returns false.
func (s *Server) checked(x *exchange) (*schema.Doc, *schema.Operation, bool) {
	doc, err := spec()
	if err != nil {
		writeDetail(x.w, http.StatusInternalServerError, "Internal server error")
		return nil, nil, false
	}
	o := doc.Operations[x.op]
	if o == nil {
		s.notImplemented(x)
		return nil, nil, false
	}
	if errs := validateRequest(doc, o, x); len(errs) > 0 {
		writeValidation(x.w, errs)
		return nil, nil, false
	}
	return doc, o, true
}

// bodyObject is the request's JSON body as an object (already validated).
func bodyObject(x *exchange) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(x.body))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	return m
}

// newRecord is a record that fits the schema res, with values made from
// it (seeded by id), its "id" set to id.
func newRecord(doc *schema.Doc, res *schema.Schema, id string) schema.Object {
	obj, _ := doc.NewSynth(seed("record", id, nil)).Value(res).(schema.Object)
	obj.Set("id", id)
	return obj
}

// overlay sets in obj each member of src (renamed by rename, when it
// names it) that is a property of the object schema res and whose value
// fits that property's schema; a member that does not fit keeps the
// record's value. It returns whether it changed anything.
func overlay(doc *schema.Doc, res *schema.Schema, obj *schema.Object, src map[string]any, rename map[string]string) bool {
	res = doc.Resolve(res)
	changed := false
	for k, v := range src {
		if to, ok := rename[k]; ok {
			k = to
		}
		p := res.Properties[k]
		if p == nil || !doc.FitsAnswer(p, v) {
			continue
		}
		if old, ok := obj.Get(k); !ok || !jsonEqual(old, v) {
			obj.Set(k, v)
			changed = true
		}
	}
	return changed
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// inOrder puts obj's members in the order of res's properties.
func inOrder(doc *schema.Doc, res *schema.Schema, obj schema.Object) schema.Object {
	order := doc.Resolve(res).Order
	slices.SortStableFunc(obj, func(a, b schema.Member) int {
		i, j := slices.Index(order, a.Key), slices.Index(order, b.Key)
		if i < 0 {
			i = len(order)
		}
		if j < 0 {
			j = len(order)
		}
		return cmp.Compare(i, j)
	})
	return obj
}

// stampJSON is the server's time as the API writes it.
func (s *Server) stampJSON() string { return formatTime(s.stamp()) }

// touchRecord moves a record's updated_at forward, by a microsecond when
// the clock has not moved.
func (s *Server) touchRecord(r *resource) {
	now := s.stamp()
	if prev, err := parseStamp(r.get("updated_at")); err == nil && !now.After(prev) {
		now = prev.Add(1000)
	}
	r.obj.Set("updated_at", formatTime(now))
}

// onRecord answers a call on the record of coll that the path parameter
// param names. fn changes a held record, with s.mu held, and returns the
// answer's body (nil: none, 204) and whether to remove the record. A
// record removed before is a 404 (notFound); one the server never held
// gets the synthesized answer.
func (s *Server) onRecord(x *exchange, coll map[string]*resource, param string,
	fn func(doc *schema.Doc, o *schema.Operation, rec *resource) (answer schema.Object, remove bool)) {
	doc, o, ok := s.checked(x)
	if !ok {
		return
	}
	id, _ := parseUUID(pathParams(o.Path, x.r.URL.Path)[param])
	s.mu.Lock()
	rec, held := coll[id]
	gone := s.gone[id]
	var answer schema.Object
	if held {
		var remove bool
		answer, remove = fn(doc, o, rec)
		if remove {
			delete(coll, id)
			s.gone[id] = true
		}
	}
	s.mu.Unlock()
	switch {
	case held && answer == nil:
		writeNoContent(x.w)
	case held:
		writeRecord(x, o.Status, answer)
	case gone:
		notFound(x)
	default:
		s.synthAnswer(x, doc, o)
	}
}

// writeRecord answers a record.
func writeRecord(x *exchange, status int, obj schema.Object) {
	body, err := json.Marshal(obj)
	if err != nil {
		writeDetail(x.w, http.StatusInternalServerError, "Internal server error")
		return
	}
	writeBody(x.w, status, body)
}

// notFound answers a record the server does not hold (any more): 404 with
// the spec's NotFoundError body, or 400 for an operation that declares no
// 404 (delete_dataset).
func notFound(x *exchange) {
	status := http.StatusBadRequest
	for _, o := range optable.Operations {
		if o.ID == x.op && slices.Contains(o.Errors, http.StatusNotFound) {
			status = http.StatusNotFound
		}
	}
	writeDetail(x.w, status, "Resource not found")
}

// listPage answers the page page and page_size of q ask for of records,
// sorted by q's sort (default by) and order (default desc or asc), with a
// pagination of the shape of the operation's result.
func listPage(x *exchange, doc *schema.Doc, o *schema.Operation, recs []*resource, by string, desc bool) {
	q := x.r.URL.Query()
	if v := q.Get("sort"); v != "" {
		by = v
	}
	if v, ok := lastValue(q, "order"); ok {
		desc = v != "asc"
	}
	slices.SortStableFunc(recs, func(a, b *resource) int {
		c := compareMember(a, b, by)
		if c == 0 {
			c = cmp.Compare(a.seq, b.seq) // the older first, or last when descending
		}
		if desc {
			c = -c
		}
		return c
	})
	page, size := queryNumber(o, q, "page", 1), queryNumber(o, q, "page_size", 20)
	total := len(recs)
	records := []schema.Object{}
	if size > 0 && page >= 1 && (page-1)*size < total {
		for _, r := range recs[(page-1)*size : min(page*size, total)] {
			records = append(records, r.obj)
		}
	}
	pagination := schema.Object{{Key: "page", Value: page}, {Key: "page_size", Value: size}}
	res := doc.Resolve(o.Result)
	if _, ok := doc.Resolve(res.Properties["pagination"]).Properties["total_pages"]; ok {
		pagination = append(pagination,
			schema.Member{Key: "total_pages", Value: (total + size - 1) / max(size, 1)},
			schema.Member{Key: "total_records", Value: total})
	}
	writeRecord(x, o.Status, schema.Object{{Key: "records", Value: records}, {Key: "pagination", Value: pagination}})
}

// compareMember orders two records by a member: text (timestamps are
// written in one layout, so they compare as text), or numbers.
func compareMember(a, b *resource, key string) int {
	x, _ := a.obj.Get(key)
	y, _ := b.obj.Get(key)
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return 1
	case y == nil:
		return -1
	}
	xs, xok := x.(string)
	ys, yok := y.(string)
	if xok && yok {
		return compareText(xs, ys)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return cmp.Compare(string(xb), string(yb))
}

// parseStamp reads a timestamp the fake wrote.
func parseStamp(v string) (time.Time, error) { return time.Parse(timeLayout, v) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// decodeRecord is a record as the SDK decodes it.
func decodeRecord[T any](obj schema.Object) T {
	var out T
	b, err := json.Marshal(obj)
	if err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

// decodeRecords is the records of m, in the order they were stored.
func decodeRecords[T any](m map[string]*resource) []T {
	recs := make([]*resource, 0, len(m))
	for _, r := range m {
		recs = append(recs, r)
	}
	slices.SortFunc(recs, func(a, b *resource) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]T, len(recs))
	for i, r := range recs {
		out[i] = decodeRecord[T](r.obj)
	}
	return out
}
