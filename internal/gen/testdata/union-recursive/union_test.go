package arthur

import (
	"encoding/json"
	"strings"
	"testing"
)

// The fixture's own tests, which TestFixturesBuild runs against what the
// generator writes for it.

func TestRecursiveUnion(t *testing.T) {
	in := `{"columns":[{"source_name":"c","definition":{"items":{"object":{"a":{"dtype":"int"},"b":{"items":{"dtype":"str"}}}}}}]}`
	var s DatasetSchema
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	list := s.Columns[0].Definition.DatasetListType
	if list == nil || list.Items.DatasetObjectType == nil {
		t.Fatalf("%+v", s.Columns[0].Definition)
	}
	obj := list.Items.DatasetObjectType.Object
	if obj["a"].DatasetScalarType == nil || obj["a"].DatasetScalarType.Dtype != DTypeInt {
		t.Fatalf("a: %+v", obj["a"])
	}
	if b := obj["b"].DatasetListType; b == nil || b.Items.DatasetScalarType.Dtype != DTypeStr {
		t.Fatalf("b: %+v", obj["b"])
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var again DatasetSchema
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if out2, _ := json.Marshal(again); string(out2) != string(out) {
		t.Fatalf("%s, then %s", out, out2)
	}
}

// The three places of the same anyOf share one Go type, so one function
// walks a column's type.
func TestRecursiveUnionIsOneType(t *testing.T) {
	var col DatasetColumn
	if err := json.Unmarshal([]byte(`{"source_name":"c","definition":{"object":{"a":{"items":{"dtype":"str"}}}}}`), &col); err != nil {
		t.Fatal(err)
	}
	var walk func(v DatasetColumnDefinition) string
	walk = func(v DatasetColumnDefinition) string {
		switch {
		case v.DatasetScalarType != nil:
			return string(v.DatasetScalarType.Dtype)
		case v.DatasetListType != nil:
			return "[" + walk(v.DatasetListType.Items) + "]"
		default:
			return "{a:" + walk(v.DatasetObjectType.Object["a"]) + "}"
		}
	}
	if got := walk(col.Definition); got != "{a:[str]}" {
		t.Fatalf("walk = %s", got)
	}
}

func TestRecursiveUnionNoBranch(t *testing.T) {
	var v DatasetColumnDefinition
	err := json.Unmarshal([]byte(`{"items":{"nullable":true}}`), &v)
	if err == nil || !strings.Contains(err.Error(), "keys of no branch") {
		t.Fatalf("err = %v", err)
	}
}

// deepList is a list of lists n deep, of an int.
func deepList(n int) string {
	return strings.Repeat(`{"items":`, n) + `{"dtype":"int"}` + strings.Repeat(`}`, n)
}

func TestRecursiveUnionDepth(t *testing.T) {
	var v DatasetColumnDefinition
	if err := json.Unmarshal([]byte(deepList(9000)), &v); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 9000; i++ {
		if v.DatasetListType == nil {
			t.Fatalf("level %d is not a list", i)
		}
		v = v.DatasetListType.Items
	}
	if v.DatasetScalarType == nil || v.DatasetScalarType.Dtype != "int" {
		t.Fatalf("the innermost value is %+v", v)
	}
	var w DatasetColumnDefinition
	if err := w.UnmarshalJSON([]byte(deepList(maxDepth))); err == nil || !strings.Contains(err.Error(), "nest deeper") {
		t.Fatalf("err = %v", err)
	}
}
