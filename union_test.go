package arthur

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The branches of a union as the generator writes them, for the tests of
// the reader's choice of branch: a tagged family whose tag may be absent.
var (
	testTags     = []string{"circle", "square", "rect"}
	testBranches = []unionBranch{
		{"Circle", []string{"radius"}},
		{"Square", []string{"side"}},
		{"Rect", []string{"width", "height"}},
	}
)

func TestTaggedBranch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		err  string
	}{
		{`{"kind":"square","side":1}`, 1, ""},
		{`{"side":1,"kind":"rect"}`, 2, ""},                     // the tag wins over the keys, wherever it is
		{`{"kind":"circle"}`, 0, ""},                            // the tag's branch, whatever keys it has
		{`{"kind":"hexagon","n":6}`, 3, ""},                     // another tag: len(branches), for Other
		{`{"kind":"","radius":1}`, 3, ""},                       // an empty tag is another tag
		{`{"width":1,"height":2}`, 2, ""},                       // no tag: the keys
		{`{"kind":null,"radius":1}`, 0, ""},                     // a null tag is none
		{`{"kind":"circle","kind":"square"}`, 1, ""},            // the last one counts
		{`{"kind":"circle","kind":null,"side":1}`, 1, ""},       // null again: the keys
		{`{"radius":null,"side":1}`, 1, ""},                     // a null key is no key
		{`{"kind":"x\u0020y"}`, 3, ""},                          // escapes read as ever
		{`{"kind":"squ\u0061re"}`, 1, ""},                       //
		{`{"width":1}`, -1, "the keys of no branch"},            // no tag, no branch's keys
		{`{"kind":7,"radius":1}`, -1, "expected a string"},      // a tag is a string
		{`[1]`, -1, "expected an object"},                       //
		{`{"kind":"circle",}`, -1, "looking for an object key"}, // the look-ahead checks the object
	} {
		r := newReader([]byte(tc.in))
		got := r.taggedBranch("Shape", "kind", testTags, testBranches)
		if got != tc.want || (tc.err == "") != (r.err == nil) || r.err != nil && !strings.Contains(r.err.Error(), tc.err) {
			t.Errorf("%s: %d, %v; want %d, %q", tc.in, got, r.err, tc.want, tc.err)
			continue
		}
		if r.err == nil && r.pos != 0 {
			t.Errorf("%s: the look-ahead read up to %d", tc.in, r.pos)
		}
	}
}

func TestKeyBranches(t *testing.T) {
	for _, tc := range []struct {
		in           string
		want, orElse int // of branch, and of branchElse
	}{
		{`{"radius":1}`, 0, 0},
		{`{"side":1,"radius":1}`, 0, 0}, // the first branch whose keys the object has
		{`{"height":1,"width":2}`, 2, 2},
		{`{"kind":"square"}`, -1, 3}, // no tag here: keys alone; branchElse takes any object
		{`{}`, -1, 3},
	} {
		r := newReader([]byte(tc.in))
		if got := r.branch("Shape", testBranches); got != tc.want || (got < 0) != (r.err != nil) {
			t.Errorf("branch %s: %d, %v; want %d", tc.in, got, r.err, tc.want)
		}
		r = newReader([]byte(tc.in))
		if got := r.branchElse("Shape", testBranches); got != tc.orElse || r.err != nil {
			t.Errorf("branchElse %s: %d, %v; want %d", tc.in, got, r.err, tc.orElse)
		}
	}
}

func TestSiblingBranch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{`{"kind":"rect","shape":{"width":1}}`, 2},
		{`{"shape":{"kind":"circle"},"kind":"square"}`, 1}, // the owner's member, not the union's
		{`{"shape":{}}`, -1},
		{`{"kind":null}`, -1},
		{`{"kind":"hexagon"}`, 3},
	} {
		r := newReader([]byte(tc.in))
		if got := r.siblingBranch("kind", testTags); got != tc.want || r.err != nil || r.pos != 0 {
			t.Errorf("%s: %d, %v at %d; want %d", tc.in, got, r.err, r.pos, tc.want)
		}
	}
}

// otherUnion is a union's Other, as the generator writes it.
type otherUnion struct{ Other json.RawMessage }

func (v *otherUnion) decodeJSON(r *reader) {
	if r.taggedBranch("Shape", "kind", testTags, testBranches) == len(testBranches) {
		v.Other = r.raw()
	}
}

func (v otherUnion) encodeJSON(w *writer) { w.raw(v.Other) }

func TestOtherRoundTrip(t *testing.T) {
	for _, in := range []string{
		`{"kind":"hexagon","n":6}`,
		`{ "n" : [1, 2.50, 1e3, {"a": null}], "kind" : "hex\u0061gon", "s": "\u00e9\ud83d\ude00" }`,
		"{\"kind\":\"tri\",\n\t\"sides\":[3]}",
	} {
		var v otherUnion
		if err := decodeAll([]byte(in), v.decodeJSON); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if string(v.Other) != in {
			t.Fatalf("Other = %s, want %s", v.Other, in)
		}
		out, err := marshalJSON(v)
		if err != nil || string(out) != in {
			t.Fatalf("encoded %s, %v; want %s", out, err, in)
		}
	}
	// What Other holds is the caller's: the input's buffer can be reused.
	in := []byte(`{"kind":"hexagon"}`)
	var v otherUnion
	if err := decodeAll(in, v.decodeJSON); err != nil {
		t.Fatal(err)
	}
	copy(in, "xxxxxxxxxxxxxxxxxx")
	if string(v.Other) != `{"kind":"hexagon"}` {
		t.Fatalf("Other = %s", v.Other)
	}
}

// TestLookAheadDepth holds a look-ahead to the reader's limit of depth:
// one that nests too deep is an error, not a crash.
func TestLookAheadDepth(t *testing.T) {
	deep := `{"side":` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`
	r := newReader([]byte(deep))
	if got := r.taggedBranch("Shape", "kind", testTags, testBranches); got != -1 || r.err == nil || !strings.Contains(r.err.Error(), "nest deeper") {
		t.Fatalf("%d, %v", got, r.err)
	}
	ok := `{"side":` + strings.Repeat("[", maxDepth-1) + strings.Repeat("]", maxDepth-1) + `}`
	r = newReader([]byte(ok))
	if got := r.taggedBranch("Shape", "kind", testTags, testBranches); got != 1 || r.err != nil {
		t.Fatalf("%d, %v", got, r.err)
	}
}

func TestOtherIsSetAndRedacted(t *testing.T) {
	if isSetRaw(nil) != 0 || isSetRaw(json.RawMessage(`{}`)) != 1 {
		t.Fatal("isSetRaw")
	}
	// The Other of a union that holds a Secret prints redacted: a branch
	// the SDK does not know may hold one too.
	other := json.RawMessage(`{"kind":"token","secret":"hunter2"}`)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, redactedRaw(other)); strings.Contains(s, "hunter2") {
			t.Errorf("%s: %s", verb, s)
		}
	}
	if r, ok := redactedRaw(nil).(json.RawMessage); !ok || r != nil {
		t.Error("a nil Other prints as nil")
	}
}

// TestUnionSamples holds the seeds of the union fuzzing to what they are
// for: a sample of each branch of each union decodes, to one branch set,
// the branch its tag names where it has one; the sample of a branch that
// can hold the union again does, nested.
func TestUnionSamples(t *testing.T) {
	spec := specOf(t)
	unions := 0
	for _, u := range spec.models {
		if u.reg.kind != "union" {
			continue
		}
		unions += 1 + len(u.reg.alsoAt) // one type for the anyOfs of the same branches
		samples := unionSamples(spec, u)
		for i := range u.arity() {
			nested, recursive := 0, false
			for _, sample := range samples[3*i : 3*i+3] {
				p := u.reg.newValue()
				if !assert.NoError(t, sdkUnmarshal(p, []byte(sample)), "%s, branch %d: %s", u.reg.schema, i, sample) {
					continue
				}
				v := reflect.ValueOf(p).Elem()
				var set []int
				for j := range v.NumField() {
					if !v.Field(j).IsNil() {
						set = append(set, j)
					}
				}
				if !assert.Len(t, set, 1, "%s, branch %d: %s", u.reg.schema, i, sample) {
					continue
				}
				if u.tag != nil && !u.tag.sibling {
					assert.Equal(t, u.branches[i].index, set[0], "%s: the sample of branch %d", u.reg.schema, i)
				}
				if set[0] != u.other && reaches(v.Field(set[0]).Type(), u.typ, map[reflect.Type]bool{}) {
					recursive = true
					nested += countOf(v.Field(set[0]), u.typ)
				}
			}
			if recursive {
				assert.Positive(t, nested, "%s, branch %d: no nested %s in %s", u.reg.schema, i, u.typ.Name(), samples[3*i:3*i+3])
			}
		}
	}
	assert.Equal(t, 27, unions, "the places of api/openapi.json with a union")
}

// reaches reports whether a value of type t can hold one of type want.
func reaches(t, want reflect.Type, seen map[reflect.Type]bool) bool {
	if t == want {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return reaches(t.Elem(), want, seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if reaches(t.Field(i).Type, want, seen) {
				return true
			}
		}
	}
	return false
}

// countOf counts the values of type want in v.
func countOf(v reflect.Value, want reflect.Type) int {
	n := 0
	if v.Type() == want {
		n++
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			n += countOf(v.Elem(), want)
		}
	case reflect.Slice:
		for i := range v.Len() {
			n += countOf(v.Index(i), want)
		}
	case reflect.Map:
		for iter := v.MapRange(); iter.Next(); {
			n += countOf(iter.Value(), want)
		}
	case reflect.Struct:
		if v.Type() != timeType {
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					n += countOf(v.Field(i), want)
				}
			}
		}
	}
	return n
}
