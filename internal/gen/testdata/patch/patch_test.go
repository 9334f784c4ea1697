package arthur

import (
	"errors"
	"testing"
)

// The fixture's own tests, which TestFixturesBuild runs against what the
// generator writes for it.

func TestPatchNullOnlyWhereTheSpecAllowsIt(t *testing.T) {
	if err := (PatchNote{Title: Null[string]()}).validate("PatchNote", "body"); err != nil {
		t.Fatalf("a nullable field set to null: %v", err)
	}
	err := (PatchNote{Pinned: Null[bool]()}).validate("PatchNote", "body")
	var ae *ArgumentError
	if !errors.As(err, &ae) || ae.Argument != "body.Pinned" {
		t.Fatalf("null for a field the spec does not let be null: %v", err)
	}
	if err := (PatchNote{Pinned: Value(false)}).validate("PatchNote", "body"); err != nil {
		t.Fatalf("a value: %v", err)
	}
}

// Author is reached by the PATCH body alone, so its fields are PATCH fields
// too: a nested field can be cleared.
func TestPatchNestedModelSendsNull(t *testing.T) {
	out, err := PatchNote{Author: Value(Author{Name: Null[string]()})}.MarshalJSON()
	if err != nil || string(out) != `{"author":{"name":null}}` {
		t.Fatalf("%s, %v", out, err)
	}
}
