package arthur

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/arthur-sdk/arthur-go/internal/optable"
)

// driftSchema is what the drift test reads of a schema.
type driftSchema struct {
	Enum       []json.RawMessage        `json:"enum"`
	Properties map[string]driftProperty `json:"properties"`
}

type driftProperty struct {
	AnyOf []struct {
		Ref string `json:"$ref"`
	} `json:"anyOf"`
}

// TestSpecHasGoCounterparts reads api/openapi.json with encoding/json, not
// with the generator, and fails for every schema, property, enum value and
// operation that has no Go counterpart in the package as it is built: the
// committed generated code has fallen behind the spec.
func TestSpecHasGoCounterparts(t *testing.T) {
	data, err := os.ReadFile("api/openapi.json")
	require.NoError(t, err)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]driftSchema `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))

	bySchema := map[string]registeredModel{}
	for _, m := range modelRegistry {
		bySchema[m.schema] = m
		for _, w := range m.alsoAt {
			bySchema[w] = m
		}
	}
	checked := 0
	for name, s := range doc.Components.Schemas {
		m, ok := bySchema[name]
		if !assert.True(t, ok, "schema %s has no Go model", name) {
			continue
		}
		typ := reflect.TypeOf(m.newValue()).Elem()
		if len(s.Enum) > 0 {
			for _, v := range s.Enum {
				x := reflect.New(typ)
				if assert.NoError(t, json.Unmarshal(v, x.Interface()), "enum value %s.%s", name, v) {
					valid := x.Elem().MethodByName("IsValid").Call(nil)[0].Bool()
					assert.True(t, valid, "enum value %s.%s is not one of the constants of %s", name, v, typ.Name())
				}
				checked++
			}
			continue
		}
		tags := map[string]bool{}
		for i := range typ.NumField() {
			tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			tags[tag] = true
		}
		for prop, p := range s.Properties {
			assert.True(t, tags[prop], "property %s.%s has no field of %s", name, prop, typ.Name())
			checked++
			objects := 0
			for _, b := range p.AnyOf {
				if b.Ref != "" {
					objects++
				}
			}
			if objects > 1 {
				_, ok := bySchema[name+"."+prop]
				assert.True(t, ok, "the union %s.%s has no Go type", name, prop)
			}
		}
	}

	byID := map[string]optable.Operation{}
	for _, o := range optable.Operations {
		byID[o.ID] = o
	}
	client := reflect.ValueOf(NewAPIClient(nil)).Elem()
	ops := 0
	for path, methods := range doc.Paths {
		for method, o := range methods {
			op, ok := byID[o.OperationID]
			if !assert.True(t, ok, "operation %s is not in the operation table", o.OperationID) {
				continue
			}
			assert.Equal(t, strings.ToUpper(method)+" "+path, op.HTTP+" "+op.Path, o.OperationID)
			svc := client.FieldByName(op.Service)
			if assert.True(t, svc.IsValid(), "APIClient has no field %s, for %s", op.Service, o.OperationID) {
				assert.True(t, svc.MethodByName(op.Method).IsValid(), "%s has no method %s, for %s", op.Service, op.Method, o.OperationID)
				if op.Paged {
					assert.True(t, svc.MethodByName(op.Method+"Iter").IsValid(), "%s has no method %sIter", op.Service, op.Method)
				}
			}
			ops++
		}
	}
	assert.Len(t, optable.Operations, ops, "the operation table has operations the spec does not")
	checked += ops
	t.Logf("%d schemas, properties, enum values and operations have their Go counterparts", checked)
}
