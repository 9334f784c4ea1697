package synth

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// SiblingsOf reads, from overrides (api/overrides.json), the unions that a
// sibling property tells apart, by the schema of the object that holds
// them, for WithSiblings.
func SiblingsOf(doc *openapi3.T, overrides []byte) (map[*openapi3.Schema][]Sibling, error) {
	var o struct {
		Unions map[string]struct {
			Discriminator string            `json:"discriminator"`
			Mapping       map[string]string `json:"mapping"`
		} `json:"unions"`
	}
	if err := json.Unmarshal(overrides, &o); err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	out := map[*openapi3.Schema][]Sibling{}
	for at, u := range o.Unions {
		if u.Discriminator == "" {
			continue
		}
		owner, prop, ok := strings.Cut(at, ".")
		if !ok {
			return nil, fmt.Errorf("union %s: not Schema.property", at)
		}
		s := doc.Components.Schemas[owner]
		if s == nil {
			return nil, fmt.Errorf("union %s: no schema %s", at, owner)
		}
		for _, p := range []string{prop, u.Discriminator} {
			if s.Value.Properties[p] == nil {
				return nil, fmt.Errorf("union %s: %s has no property %s", at, owner, p)
			}
		}
		values := map[string]string{}
		for tag, branch := range u.Mapping {
			values["#/components/schemas/"+branch] = tag
		}
		out[s.Value] = append(out[s.Value], Sibling{Union: prop, Tag: u.Discriminator, Values: values})
	}
	return out, nil
}
