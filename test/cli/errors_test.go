package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
)

// TestUsageErrors: a bad command line exits 2 with a message and the
// command's usage on stderr, and sends nothing.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct {
		name    string
		args    []string
		command string
		msg     string
	}{
		{"unknown flag", []string{"users", "list", "--frobnicate"}, "users list", "unknown flag --frobnicate"},
		{"unknown short flag", []string{"me", "-x"}, "me", "unknown flag -x"},
		{"unknown global flag before the command", []string{"--frobnicate", "me"}, "", "unknown flag --frobnicate"},
		{"bad sort", []string{"users", "list", "--sort", "age"}, "users list",
			`invalid value "age" for flag --sort: must be one of name, email, created_at or updated_at`},
		{"bad order", []string{"users", "list", "--order", "up"}, "users list", `invalid value "up" for flag --order: must be one of asc or desc`},
		{"bad type", []string{"users", "list", "--type", "user,robot"}, "users list", `invalid value "user,robot" for flag --type`},
		{"bad resource kind", []string{"users", "invite", "--email", "a@acme.example", "--resource-kind", "galaxy"}, "users invite",
			`invalid value "galaxy" for flag --resource-kind`},
		{"bad output", []string{"me", "-o", "yaml"}, "me", `invalid value "yaml" for flag -o: must be table or json`},
		{"page size too big", []string{"users", "list", "--page-size", "5000"}, "users list",
			`invalid value "5000" for flag --page-size: must be between 1 and 1000`},
		{"page size zero", []string{"users", "list", "--page-size", "0"}, "users list", "must be between 1 and 1000"},
		{"page zero", []string{"users", "list", "--page", "0"}, "users list", `invalid value "0" for flag --page: must be at least 1`},
		{"page not a number", []string{"users", "list", "--page", "two"}, "users list", "must be a whole number"},
		{"negative timeout", []string{"me", "--timeout", "-1s"}, "me", `invalid value "-1s" for flag --timeout: must not be negative`},
		{"timeout without a unit", []string{"--timeout", "30", "me"}, "", `invalid value "30" for flag --timeout: must be a duration, such as 30s or 5m`},
		{"flag without its value", []string{"users", "list", "--search"}, "users list", "flag needs a value: --search"},
		{"empty id", []string{"users", "list", "--id", ""}, "users list", "must not be empty"},
		{"missing first name", []string{"users", "create", "--email", "a@acme.example", "--password", "pw"}, "users create",
			"missing required flag --first-name"},
		{"missing email", []string{"users", "create", "--first-name", "A", "--password", "pw"}, "users create", "missing required flag --email"},
		{"missing password", []string{"users", "create", "--first-name", "A", "--email", "a@acme.example"}, "users create",
			"missing required flag --password or --password-stdin"},
		{"two passwords", []string{"users", "create", "--first-name", "A", "--email", "a@acme.example", "--password", "pw", "--password-stdin"},
			"users create", "--password and --password-stdin cannot be used together"},
		{"empty password on stdin", []string{"users", "create", "--first-name", "A", "--email", "a@acme.example", "--password-stdin"},
			"users create", "the password must not be empty"},
		{"missing name", []string{"service-accounts", "create"}, "service-accounts create", "missing required flag --name"},
		{"missing new name", []string{"service-accounts", "rename", botID}, "service-accounts rename", "missing required flag --name"},
		{"missing invite email", []string{"users", "invite", "--group-id", unknownID}, "users invite", "missing required flag --email"},
		{"half a role binding", []string{"users", "invite", "--email", "a@acme.example", "--role-id", unknownID}, "users invite",
			"--role-id, --resource-kind and --resource-id go together: missing --resource-kind"},
		{"set and clear", []string{"users", "patch", adaID, "--email", "a@acme.example", "--clear-email"}, "users patch",
			"--email and --clear-email cannot be used together"},
		{"set and clear last name", []string{"users", "patch", adaID, "--clear-last-name", "--last-name", "L"}, "users patch",
			"--last-name and --clear-last-name cannot be used together"},
		{"nothing to patch", []string{"users", "patch", adaID}, "users patch", "nothing to change"},
		{"no first-name clearing", []string{"users", "patch", adaID, "--clear-first-name"}, "users patch", "unknown flag --clear-first-name"},
		{"missing id", []string{"users", "delete"}, "users delete", "missing argument ID"},
		{"extra argument", []string{"users", "delete", adaID, graceID}, "users delete", `unexpected argument "` + graceID + `"`},
		{"blank id", []string{"credentials", "regenerate", " "}, "credentials regenerate", "argument ID must not be empty"},
		{"refused by the SDK", []string{"users", "delete", ".."}, "users delete", "DeleteUser: userID is not a user ID"},
		{"unknown command", []string{"groups", "list"}, "", `unknown command "groups"`},
		{"unknown subcommand", []string{"users", "promote"}, "users", `unknown command "promote"`},
		{"missing subcommand", []string{"users"}, "users", "missing command"},
		{"no command", nil, "", "missing command"},
		{"unknown help topic", []string{"help", "users", "promote"}, "users", `unknown command "promote"`},
		{"demo with a host", []string{"--demo", "--host", "http://127.0.0.1:1", "me"}, "me", "--demo runs against an embedded server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Requests())
			r := run(t, srv, tc.args...)
			cmd := "arthur-users"
			if tc.command != "" {
				cmd += " " + tc.command
			}
			usage(t, r, tc.command, tc.msg)
			assert.True(t, strings.HasPrefix(r.stderr, cmd+": "), "the message names the command: %s", r.stderr)
			assert.Len(t, srv.Requests(), before, "a usage error sends nothing")
		})
	}
}

func TestUsageErrorGolden(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	r := run(t, srv, "users", "list", "--sort", "age")
	assert.Equal(t, arthurcli.ExitUsage, r.code)
	golden(t, "usage_error_sort.stderr", r.stderr)
}

// TestConfigurationErrors: without a host or credentials there is nothing
// to call: a usage error.
func TestConfigurationErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		msg  string
	}{
		{"no host", map[string]string{arthur.EnvAccessToken: "t"}, []string{"me"}, "no API host: pass --host or set ARTHUR_HOST"},
		{"no credentials", map[string]string{arthur.EnvHost: srv.URL}, []string{"me"}, "no credentials: pass --token or set ARTHUR_ACCESS_TOKEN"},
		{"half a client", map[string]string{arthur.EnvHost: srv.URL, arthur.EnvClientID: "x"}, []string{"me"},
			"ARTHUR_CLIENT_ID and ARTHUR_CLIENT_SECRET must be set together"},
		{"bad host flag", map[string]string{}, []string{"me", "--host", "ftp://example.com", "--token", "t"}, "--host: must start with http:// or https://"},
		{"bad host variable", map[string]string{arthur.EnvHost: "platform.arthur.ai", arthur.EnvAccessToken: "t"}, []string{"me"},
			"ARTHUR_HOST: must start with http:// or https://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := invocation{env: tc.env, srv: srv}.run(t, tc.args...)
			usage(t, r, "me", tc.msg)
		})
	}
}

// TestAPIErrors: an error answer exits 1 with its status and detail.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)

	r := run(t, srv, "users", "delete", unknownID)
	apiError(t, r, "arthur-users users delete: DeleteUser failed: 404 Not Found: ")
	assert.Contains(t, r.stderr, unknownID)
	assert.Contains(t, r.stderr, "request id: ")

	r = run(t, srv, "users", "patch", unknownID, "--first-name", "X")
	apiError(t, r, "PatchUser failed: 404 Not Found")

	r = run(t, srv, "users", "create", "--first-name", "Ada", "--email", "ada@acme.example", "--password", "pw-123456")
	apiError(t, r, "arthur-users users create: PostOrganizationUser failed: 409 Conflict: ")
	assert.Contains(t, r.stderr, "ada@acme.example")

	r = run(t, srv, "users", "create", "--first-name", "Ada", "--email", "ada@localhost", "--password", "pw-123456")
	apiError(t, r, "PostOrganizationUser failed: 422 Unprocessable Entity\n  body.email: value is not a valid email address")

	r = run(t, srv, "credentials", "regenerate", engineID)
	apiError(t, r, "PostUserCreds failed: 400 Bad Request")

	r = invocation{srv: srv, env: map[string]string{arthur.EnvHost: srv.URL, arthur.EnvAccessToken: "not-a-token"}}.run(t, "me")
	apiError(t, r, "GetUsersMe failed: 401 Unauthorized: Not authenticated")
	assert.NotContains(t, r.stderr, "not-a-token")

	require.NoError(t, srv.FailNext(arthurtest.OpPostOrganizationServiceAccount, 1, 500, 0))
	r = run(t, srv, "service-accounts", "create", "--name", "x", "-o", "json")
	apiError(t, r, "PostOrganizationServiceAccount failed: 500 Internal Server Error")
	assert.NotContains(t, r.stderr, "warning", "no secret, no warning")
}

// TestNetworkError: a host that does not answer exits 1.
func TestNetworkError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	url := srv.URL
	srv.Close()
	r := invocation{env: map[string]string{arthur.EnvHost: url, arthur.EnvAccessToken: "t"}}.run(t, "me")
	assert.Equal(t, arthurcli.ExitError, r.code)
	assert.Contains(t, r.stderr, "arthur-users me: ")
	assert.NotContains(t, r.stderr, "Usage:")
}

// TestHelpEverywhere: --help and -h work on every command and group,
// print to stdout and exit 0.
func TestHelpEverywhere(t *testing.T) {
	t.Parallel()
	for _, path := range []string{
		"", "me", "users", "users list", "users create", "users patch", "users delete", "users invite",
		"service-accounts", "service-accounts create", "service-accounts rename",
		"credentials", "credentials regenerate", "invites", "invites accept", "fake-server",
	} {
		for _, flag := range []string{"--help", "-h", "-help"} {
			args := append(strings.Fields(path), flag)
			r := invocation{}.run(t, args...)
			want := strings.TrimSpace("arthur-users " + path)
			require.Equal(t, arthurcli.ExitOK, r.code, "%v: %s", args, r.stderr)
			assert.True(t, strings.HasPrefix(r.stdout, "Usage: "+want+" "), "%v: %s", args, r.stdout)
			assert.Contains(t, r.stdout, "--demo", "global flags are listed")
			assert.Empty(t, r.stderr)
		}
		r := invocation{}.run(t, append([]string{"help"}, strings.Fields(path)...)...)
		assert.Equal(t, arthurcli.ExitOK, r.code)
		assert.True(t, strings.HasPrefix(r.stdout, strings.TrimSpace("Usage: arthur-users "+path)+" "), r.stdout)
	}
	r := invocation{}.run(t, "help", "--help")
	assert.Equal(t, arthurcli.ExitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "Usage: arthur-users <command> "), r.stdout)
	// Help wins over the rest of the command line.
	r = invocation{}.run(t, "users", "create", "--help", "--frobnicate")
	assert.Equal(t, arthurcli.ExitOK, r.code)
}
