package main

import (
	"path/filepath"
	"testing"
)

func TestCLIGroupName(t *testing.T) {
	for _, c := range []struct{ tag, want string }{
		{"Datasets V1", "datasets"},
		{"Alert Rules V1", "alert-rules"},
		{"Health", "health"},
		{"OAuth V1", "oauth"},
	} {
		if got := cliGroupName(c.tag); got != c.want {
			t.Errorf("cliGroupName(%q) = %q, want %q", c.tag, got, c.want)
		}
	}
}

func TestCLICommandName(t *testing.T) {
	for _, c := range []struct {
		group, id string
		list      bool
		want      string
	}{
		{"datasets", "get_dataset", false, "get"},
		{"jobs", "get_jobs", true, "list"},
		{"jobs", "get_job_runs", false, "get-runs"},
		{"jobs", "get_job_runs", true, "list-runs"},
		{"alert-rules", "get_alert_rules_in_workspace", true, "list-in-workspace"},
		{"alert-rules", "delete_alert_rule", false, "delete"},
		{"policies", "get_policy", false, "get"},
		{"policies", "list_policies", true, "list"},
		{"users", "get_users_me", false, "get-me"},
		{"datasets", "get_available_dataset", false, "get-available"},
		{"health", "Health_Check", false, "check"},
		{"datasets", "datasets", true, ""},
	} {
		if got := cliCommandName(c.group, c.id, c.list); got != c.want {
			t.Errorf("cliCommandName(%q, %q, %t) = %q, want %q", c.group, c.id, c.list, got, c.want)
		}
	}
}

// TestCLIGroupsOfTheSpec names a command for every operation of
// api/openapi.json, once, and gives the commands that the README shows
// the names it shows.
func TestCLIGroupsOfTheSpec(t *testing.T) {
	a, _ := generated(t, filepath.Join(repoRoot, "api"))
	n := 0
	byOp := map[string]string{}
	for _, g := range a.cliGroups() {
		names := map[string]bool{}
		for _, c := range g.cmds {
			if names[c.name] {
				t.Errorf("%s: two commands named %q", g.name, c.name)
			}
			names[c.name] = true
			byOp[c.x.id] = g.name + " " + c.name
			n++
		}
	}
	ops := 0
	for _, s := range a.services {
		ops += len(s.ops)
	}
	if n != ops {
		t.Errorf("%d commands for %d operations", n, ops)
	}
	for id, want := range map[string]string{
		"get_dataset":             "datasets get",
		"get_jobs":                "jobs list",
		"get_users_me":            "users get-me",
		"get_organization_users":  "users list-organization",
		"post_model":              "models post",
		"get_alert_rule":          "alert-rules get",
		"get_connector":           "connectors get",
		"get_sensitive_connector": "connectors get-sensitive",

		"Health_check_api_health_get": "health check",
	} {
		if byOp[id] != want {
			t.Errorf("%s: command %q, want %q", id, byOp[id], want)
		}
	}
}
