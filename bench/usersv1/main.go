// Command usersv1 writes the Users V1 part of api/openapi.json to standard
// output: the operations tagged "Users V1" and the schemas they reach, with
// the document's security schemes. bench/peers.sh generates the peer
// clients from it, so that they are measured on the API the benchmarks
// call, whatever else the whole document holds.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

const tag = "Users V1"

func main() {
	path := "api/openapi.json"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	if err := run(path); err != nil {
		fmt.Fprintln(os.Stderr, "usersv1:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Info       json.RawMessage                       `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas         map[string]json.RawMessage `json:"schemas"`
			SecuritySchemes json.RawMessage            `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	paths := map[string]map[string]json.RawMessage{}
	var todo []string
	for p, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				Tags []string `json:"tags"`
			}
			if json.Unmarshal(raw, &op) != nil || len(op.Tags) == 0 || op.Tags[0] != tag {
				continue
			}
			if paths[p] == nil {
				paths[p] = map[string]json.RawMessage{}
			}
			paths[p][method] = raw
			todo = append(todo, refs(raw)...)
		}
	}
	if len(paths) == 0 {
		return fmt.Errorf("%s: no operation is tagged %q", path, tag)
	}
	schemas := map[string]json.RawMessage{}
	for len(todo) > 0 {
		name := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if _, done := schemas[name]; done {
			continue
		}
		s, ok := doc.Components.Schemas[name]
		if !ok {
			return fmt.Errorf("%s: no schema %s", path, name)
		}
		schemas[name] = s
		todo = append(todo, refs(s)...)
	}
	out := map[string]any{
		"openapi": doc.OpenAPI,
		"info":    doc.Info,
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": doc.Components.SecuritySchemes,
		},
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// refs are the names of the component schemas that raw refers to.
func refs(raw json.RawMessage) []string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "$ref" {
					out = append(out, strings.TrimPrefix(s, "#/components/schemas/"))
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}
