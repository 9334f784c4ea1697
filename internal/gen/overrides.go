package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// overrides are the names and choices the spec cannot give, read from
// api/overrides.json.
type overrides struct {
	// Initialisms are the words written in capitals in Go names: "ID",
	// "IDs", "URL".
	Initialisms []string `json:"initialisms"`
	// Services name the Go service of a tag, where the tag's own words
	// do not.
	Services map[string]string `json:"services"`
	// Models, by the spec's schema name.
	Models map[string]modelOverride `json:"models"`
	// Unions rename the anyOf of objects, by "Schema.property" (an
	// array's items "Schema.property[]", a map's values
	// "Schema.property{}") or by the schema's name: the Go type and the
	// field of each branch, by the branch's schema. Discriminator names a
	// sibling property whose value picks the branch.
	Unions map[string]unionOverride `json:"unions"`
	// Fields set the Go type of a property, by "Schema.property", where
	// the generator's own choice is not the SDK's: "any".
	Fields map[string]fieldOverride `json:"fields"`
	// Operations, by operation id.
	Operations map[string]operationOverride `json:"operations"`

	initialism map[string]string
}

type modelOverride struct {
	Name string `json:"name"` // the Go name
	Doc  string `json:"doc"`  // the type's doc comment, where the spec has none
	// Base is a model whose fields this one has, all of them: the model
	// gets a method, named after the base, that returns them.
	Base string `json:"base"`
}

type unionOverride struct {
	Name     string            `json:"name"`
	Doc      string            `json:"doc"`
	Branches map[string]string `json:"branches"`
	// Discriminator is a property of the union's owner whose string value
	// picks the branch, as Mapping says: value to the branch's schema. A
	// value Mapping does not list is a branch the SDK does not know.
	Discriminator string            `json:"discriminator"`
	Mapping       map[string]string `json:"mapping"`
}

type fieldOverride struct {
	// Type is "any" (what encoding/json decodes into interface{}),
	// "map[string]any" (an object of such values, where the generator
	// writes map[string]json.RawMessage) or "secret" (a Secret, for a
	// password the spec does not mark as one).
	Type string `json:"type"`
	Doc  string `json:"doc"`
}

type operationOverride struct {
	// Result is the Go type of an untyped result: "map[string]any".
	Result string `json:"result"`
	// Doc is said of the method after the spec's summary.
	Doc string `json:"doc"`
	// Name is the method's Go name, where the operation id's is not one.
	Name string `json:"name"`
	// Tag is the tag whose service has the operation, for one the spec
	// gives none.
	Tag string `json:"tag"`
}

func parseOverrides(data []byte) (*overrides, error) {
	var o overrides
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	o.initialism = make(map[string]string, len(o.Initialisms))
	for _, w := range o.Initialisms {
		o.initialism[strings.ToLower(w)] = w
	}
	return &o, nil
}
