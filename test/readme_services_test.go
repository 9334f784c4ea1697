package test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/arthur-sdk/arthur-go/internal/optable"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeServicesTable holds the README's table of services to the
// operation table and the spec's tags: one row per APIClient field, its
// tag, its number of operations and its page.
func TestReadmeServicesTable(t *testing.T) {
	root := repoRoot(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	const marker = "<!-- services:"
	_, after, ok := strings.Cut(string(readme), marker)
	require.True(t, ok, "README.md has no %q table", marker)
	var got []string
	for _, line := range strings.Split(after, "\n")[1:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		got = append(got, line)
	}
	require.Greater(t, len(got), 2, "the services table has no rows")
	got = got[2:] // the header and its rule

	raw, err := os.ReadFile(filepath.Join(root, "api", "openapi.json"))
	require.NoError(t, err)
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(raw, &spec))
	tagOf := map[string]string{}
	for _, ops := range spec.Paths {
		for _, o := range ops {
			var op struct {
				ID   string   `json:"operationId"`
				Tags []string `json:"tags"`
			}
			if json.Unmarshal(o, &op) != nil || op.ID == "" {
				continue // a path's parameters, not an operation
			}
			tagOf[op.ID] = ""
			if len(op.Tags) > 0 {
				tagOf[op.ID] = op.Tags[0]
			}
		}
	}

	count := map[string]int{}
	tags := map[string]map[string]bool{}
	for _, op := range optable.Operations {
		tag, ok := tagOf[op.ID]
		require.True(t, ok, "%s is not an operation of api/openapi.json", op.ID)
		count[op.Service]++
		if tags[op.Service] == nil {
			tags[op.Service] = map[string]bool{}
		}
		tags[op.Service][tag] = true
	}
	services := make([]string, 0, len(count))
	for s := range count {
		services = append(services, s)
	}
	sort.Strings(services)
	var want []string
	for _, s := range services {
		var names []string
		for tag := range tags[s] {
			if tag == "" {
				names = append(names, "(untagged)")
			} else {
				names = append(names, "`"+tag+"`")
			}
		}
		sort.Strings(names)
		want = append(want, fmt.Sprintf("| `%s` | %s | %d | [docs/%s.md](docs/%s.md) |", s, strings.Join(names, ", "), count[s], s, s))
		assert.FileExists(t, filepath.Join(root, "docs", s+".md"))
	}
	assert.Equal(t, strings.Join(want, "\n"), strings.Join(got, "\n"), "README.md's services table differs from internal/optable")
}
