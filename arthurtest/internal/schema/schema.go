// Package schema reads the OpenAPI 3.1 document the SDK is generated from
// into the small model arthurtest needs: the operations, their parameters
// and bodies, and the JSON Schemas to validate requests against and to
// synthesize answers from.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Schema is one JSON Schema of the document, with the keywords the
// document uses.
type Schema struct {
	Ref   string   // "#/components/schemas/Name"; the other fields are then unset
	Types []string // "type", a string or (3.1) an array; "null" among them
	AnyOf []*Schema
	OneOf []*Schema
	AllOf []*Schema

	Enum     []any
	Const    any
	HasConst bool
	Format   string
	Pattern  string

	Properties map[string]*Schema
	Order      []string // the properties in the document's order
	Required   []string
	// Additional is the schema of additionalProperties (nil: any);
	// NoAdditional is additionalProperties: false.
	Additional   *Schema
	NoAdditional bool
	// PropertyNames is the schema of a map's keys, nil for any string.
	PropertyNames *Schema
	Items         *Schema

	Minimum, Maximum                   *float64
	ExclusiveMinimum, ExclusiveMaximum *float64
	MinLength, MaxLength               *int
	MinItems, MaxItems                 *int
	UniqueItems                        bool

	Default    any
	HasDefault bool
	ReadOnly   bool
	WriteOnly  bool
	Nullable   bool // OpenAPI 3.0's nullable: true
}

// UnmarshalJSON reads a schema, keeping the order of its properties.
func (s *Schema) UnmarshalJSON(b []byte) error {
	var raw struct {
		Ref                  string                     `json:"$ref"`
		Type                 json.RawMessage            `json:"type"`
		AnyOf                []*Schema                  `json:"anyOf"`
		OneOf                []*Schema                  `json:"oneOf"`
		AllOf                []*Schema                  `json:"allOf"`
		Enum                 []any                      `json:"enum"`
		Const                json.RawMessage            `json:"const"`
		Format               string                     `json:"format"`
		Pattern              string                     `json:"pattern"`
		Properties           map[string]json.RawMessage `json:"properties"`
		Required             []string                   `json:"required"`
		AdditionalProperties json.RawMessage            `json:"additionalProperties"`
		PropertyNames        *Schema                    `json:"propertyNames"`
		Items                *Schema                    `json:"items"`
		Minimum              *float64                   `json:"minimum"`
		Maximum              *float64                   `json:"maximum"`
		ExclusiveMinimum     json.RawMessage            `json:"exclusiveMinimum"`
		ExclusiveMaximum     json.RawMessage            `json:"exclusiveMaximum"`
		MinLength            *int                       `json:"minLength"`
		MaxLength            *int                       `json:"maxLength"`
		MinItems             *int                       `json:"minItems"`
		MaxItems             *int                       `json:"maxItems"`
		UniqueItems          bool                       `json:"uniqueItems"`
		Default              json.RawMessage            `json:"default"`
		ReadOnly             bool                       `json:"readOnly"`
		WriteOnly            bool                       `json:"writeOnly"`
		Nullable             bool                       `json:"nullable"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = Schema{
		Ref: raw.Ref, AnyOf: raw.AnyOf, OneOf: raw.OneOf, AllOf: raw.AllOf, Enum: raw.Enum,
		Format: raw.Format, Pattern: raw.Pattern, Required: raw.Required, Items: raw.Items,
		Minimum: raw.Minimum, Maximum: raw.Maximum, MinLength: raw.MinLength, MaxLength: raw.MaxLength,
		MinItems: raw.MinItems, MaxItems: raw.MaxItems, UniqueItems: raw.UniqueItems, PropertyNames: raw.PropertyNames,
		ReadOnly: raw.ReadOnly, WriteOnly: raw.WriteOnly, Nullable: raw.Nullable,
	}
	if len(raw.Type) > 0 {
		var one string
		if err := json.Unmarshal(raw.Type, &one); err == nil {
			s.Types = []string{one}
		} else if err := json.Unmarshal(raw.Type, &s.Types); err != nil {
			return fmt.Errorf("type: %w", err)
		}
	}
	if len(raw.Const) > 0 {
		s.HasConst = true
		if err := json.Unmarshal(raw.Const, &s.Const); err != nil {
			return err
		}
	}
	if len(raw.Default) > 0 {
		s.HasDefault = true
		if err := json.Unmarshal(raw.Default, &s.Default); err != nil {
			return err
		}
	}
	for _, x := range []struct {
		raw json.RawMessage
		dst **float64
		inc **float64
	}{{raw.ExclusiveMinimum, &s.ExclusiveMinimum, &s.Minimum}, {raw.ExclusiveMaximum, &s.ExclusiveMaximum, &s.Maximum}} {
		if len(x.raw) == 0 || string(x.raw) == "false" {
			continue
		}
		if string(x.raw) == "true" { // OpenAPI 3.0: the bound itself is exclusive
			*x.dst, *x.inc = *x.inc, nil
			continue
		}
		var f float64
		if err := json.Unmarshal(x.raw, &f); err != nil {
			return err
		}
		*x.dst = &f
	}
	switch ap := bytes.TrimSpace(raw.AdditionalProperties); {
	case len(ap) == 0, string(ap) == "true":
	case string(ap) == "false":
		s.NoAdditional = true
	default:
		s.Additional = new(Schema)
		if err := json.Unmarshal(ap, s.Additional); err != nil {
			return fmt.Errorf("additionalProperties: %w", err)
		}
	}
	if raw.Properties != nil {
		s.Properties = make(map[string]*Schema, len(raw.Properties))
		for name, pb := range raw.Properties {
			p := new(Schema)
			if err := json.Unmarshal(pb, p); err != nil {
				return fmt.Errorf("property %s: %w", name, err)
			}
			s.Properties[name] = p
		}
		order, err := keyOrder(b, "properties")
		if err != nil {
			return err
		}
		s.Order = order
	}
	return nil
}

// keyOrder is the order of the keys of the object under key in the
// object b.
func keyOrder(b []byte, key string) ([]string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(top[key]))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Is reports whether the schema's type includes t.
func (s *Schema) Is(t string) bool { return slices.Contains(s.Types, t) }

// Param is a path or query parameter of an operation.
type Param struct {
	Name     string
	In       string // "path" or "query"
	Required bool
	Schema   *Schema
}

// Operation is one operation of the document.
type Operation struct {
	ID     string
	Method string // GET
	Path   string // the template: /api/v1/jobs/{job_id}
	Params []Param
	// Body is the JSON request body's schema, nil for none.
	Body         *Schema
	BodyRequired bool
	// Status is the success status; Result its body's schema, nil for
	// none (a 204).
	Status int
	Result *Schema
	// Auth reports whether the operation needs a bearer token.
	Auth bool
}

// Sibling is a union property that another property of the same object
// tells apart (api/overrides.json): Tag's value names the branch.
type Sibling struct {
	Tag     string
	Mapping map[string]string // tag value → the branch's schema name
}

// Doc is the loaded document.
type Doc struct {
	Schemas    map[string]*Schema
	Operations map[string]*Operation
	// Siblings are the sibling-tagged unions, by model name and property.
	Siblings map[string]map[string]Sibling
}

type rawOp struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name     string  `json:"name"`
		In       string  `json:"in"`
		Required bool    `json:"required"`
		Schema   *Schema `json:"schema"`
	} `json:"parameters"`
	RequestBody *struct {
		Required bool `json:"required"`
		Content  map[string]struct {
			Schema *Schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *Schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
	Security *[]map[string][]string `json:"security"`
}

// Load reads an OpenAPI document and, when overrides is not empty, the
// sibling-tagged unions of api/overrides.json.
func Load(openapi, overrides []byte) (*Doc, error) {
	var raw struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Security   []map[string][]string                 `json:"security"`
		Components struct {
			Schemas map[string]*Schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapi, &raw); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	d := &Doc{Schemas: raw.Components.Schemas, Operations: map[string]*Operation{}, Siblings: map[string]map[string]Sibling{}}
	for path, item := range raw.Paths {
		for method, rb := range item {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			var ro rawOp
			if err := json.Unmarshal(rb, &ro); err != nil {
				return nil, fmt.Errorf("schema: %s %s: %w", method, path, err)
			}
			op := &Operation{ID: ro.OperationID, Method: strings.ToUpper(method), Path: path}
			for _, p := range ro.Parameters {
				if p.Schema == nil {
					p.Schema = &Schema{}
				}
				op.Params = append(op.Params, Param{Name: p.Name, In: p.In, Required: p.Required, Schema: p.Schema})
			}
			if ro.RequestBody != nil {
				if mt, ok := ro.RequestBody.Content["application/json"]; ok {
					op.Body, op.BodyRequired = mt.Schema, ro.RequestBody.Required
					if op.Body == nil {
						op.Body = &Schema{}
					}
				}
			}
			// The success is the 2xx status with a body, else the first one.
			var codes []int
			for code := range ro.Responses {
				if n, err := strconv.Atoi(code); err == nil && n >= 200 && n <= 299 {
					codes = append(codes, n)
				}
			}
			sort.Ints(codes)
			for _, n := range codes {
				mt, ok := ro.Responses[strconv.Itoa(n)].Content["application/json"]
				if ok && op.Result == nil {
					op.Status, op.Result = n, mt.Schema
					if op.Result == nil {
						op.Result = &Schema{}
					}
				}
			}
			if op.Status == 0 && len(codes) > 0 {
				op.Status = codes[0]
			}
			security := raw.Security
			if ro.Security != nil {
				security = *ro.Security
			}
			op.Auth = len(security) > 0 && !slices.ContainsFunc(security, func(r map[string][]string) bool { return len(r) == 0 })
			d.Operations[op.ID] = op
		}
	}
	if len(overrides) > 0 {
		var ov struct {
			Unions map[string]struct {
				Discriminator string            `json:"discriminator"`
				Mapping       map[string]string `json:"mapping"`
			} `json:"unions"`
		}
		if err := json.Unmarshal(overrides, &ov); err != nil {
			return nil, fmt.Errorf("schema: overrides: %w", err)
		}
		for key, u := range ov.Unions {
			model, prop, ok := strings.Cut(key, ".")
			if !ok || u.Discriminator == "" || strings.ContainsAny(prop, "[]") {
				continue
			}
			if d.Siblings[model] == nil {
				d.Siblings[model] = map[string]Sibling{}
			}
			d.Siblings[model][prop] = Sibling{Tag: u.Discriminator, Mapping: u.Mapping}
		}
	}
	return d, nil
}

const refPrefix = "#/components/schemas/"

// Resolve follows $refs to the schema they name; an unknown one resolves
// to the empty schema, which any value fits.
func (d *Doc) Resolve(s *Schema) *Schema {
	for i := 0; s != nil && s.Ref != "" && i < 32; i++ {
		t, ok := d.Schemas[strings.TrimPrefix(s.Ref, refPrefix)]
		if !ok {
			return &Schema{}
		}
		s = t
	}
	if s == nil {
		return &Schema{}
	}
	return s
}

// RefName is the component name s refers to, "" for none.
func RefName(s *Schema) string {
	if s == nil {
		return ""
	}
	return strings.TrimPrefix(s.Ref, refPrefix)
}

// nonNull splits a union into its branches other than {"type": "null"}
// and whether it has that one.
func (d *Doc) nonNull(branches []*Schema) (rest []*Schema, null bool) {
	for _, b := range branches {
		r := d.Resolve(b)
		if len(r.Types) == 1 && r.Types[0] == "null" && len(r.AnyOf) == 0 {
			null = true
			continue
		}
		rest = append(rest, b)
	}
	return rest, null
}
