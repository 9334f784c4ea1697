package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// TestGolden runs read-only commands and compares stdout with golden files.
func TestGolden(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"me_table", []string{"me"}},
		{"me_json", []string{"me", "-o", "json"}},
		{"users_list_table", []string{"users", "list"}},
		{"users_list_json", []string{"users", "list", "-o", "json"}},
		{"users_list_page2_table", []string{"users", "list", "--page-size", "2", "--page", "2"}},
		{"users_list_sorted_table", []string{"users", "list", "--sort", "created_at", "--order", "desc", "--type", "user,data_plane"}},
		{"users_list_search_table", []string{"users", "list", "--search", "ACME.example", "--type", "user", "--id", adaID, "--id", alanID}},
		{"users_list_empty_table", []string{"users", "list", "--search", "nobody"}},
		{"users_list_all_table", []string{"users", "list", "--all", "--page-size", "2"}},
		{"users_list_all_json", []string{"users", "list", "--all", "--page-size", "3", "--type", "service_account", "--type", "data_plane", "-o", "json"}},
		{"users_list_all_empty_json", []string{"users", "list", "--all", "--search", "nobody", "-o", "json"}},
		{"help_root", []string{"--help"}},
		{"help_users", []string{"users", "-h"}},
		{"help_users_list", []string{"help", "users", "list"}},
		{"help_users_patch", []string{"users", "patch", "--help"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, srv, tc.args...)
			golden(t, tc.name, ok(t, r))
			assert.Empty(t, r.stderr)
		})
	}
}

// TestGlobalFlagsAnywhere: global flags may come before the command or
// after it, and flags may follow the positional argument.
func TestGlobalFlagsAnywhere(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	before := ok(t, run(t, srv, "-o", "json", "users", "list", "--page-size", "2"))
	after := ok(t, run(t, srv, "users", "list", "--page-size", "2", "--output", "json"))
	between := ok(t, run(t, srv, "users", "--output=json", "list", "--page-size=2"))
	assert.Equal(t, before, after)
	assert.Equal(t, before, between)

	env := map[string]string{arthur.EnvHost: "http://127.0.0.1:1", arthur.EnvAccessToken: "wrong"}
	viaFlags := invocation{env: env, srv: srv}.run(t, "me", "--host", srv.URL, "--token", srv.Token)
	assert.Contains(t, ok(t, viaFlags), "admin@acme.example", "--host and --token win over the environment")

	first := ok(t, run(t, srv, "users", "patch", "--first-name", "Augusta", adaID, "-o", "json"))
	assert.Contains(t, first, `"first_name": "Augusta"`)
}

// TestWrites runs the commands that change things, in order, against one
// server, and compares their output with golden files.
func TestWrites(t *testing.T) {
	t.Parallel()
	srv := newServer(t)

	created := ok(t, invocation{srv: srv, stdin: "s3cret-Passw0rd\n"}.run(t, "users", "create",
		"--first-name", "Hedy", "--last-name", "Lamarr", "--email", "hedy@acme.example", "--password-stdin"))
	golden(t, "users_create_table", normalize(created))
	hedy := findUser(t, srv, "hedy@acme.example")
	body := string(lastRequest(t, srv, arthurtest.OpPostOrganizationUser).Body)
	assert.Contains(t, body, `"password":"s3cret-Passw0rd"`, "--password-stdin sends the first line, without its newline")
	assert.NotContains(t, created, "s3cret-Passw0rd")

	createdJSON := ok(t, run(t, srv, "users", "create", "--first-name", "Radia", "--email", "radia@acme.example",
		"--password", "pw-123456", "--picture", "https://img.acme.example/radia.png", "-o", "json"))
	golden(t, "users_create_json", normalize(createdJSON))

	patched := ok(t, run(t, srv, "users", "patch", adaID, "--first-name", "Augusta Ada", "--clear-picture", "--clear-email"))
	golden(t, "users_patch_table", patched)
	assert.Equal(t, `{"first_name":"Augusta Ada","email":null,"picture":null}`,
		string(lastRequest(t, srv, arthurtest.OpPatchUser).Body), "set a value, clear to null, leave the rest out")

	patchedJSON := ok(t, run(t, srv, "users", "patch", graceID, "--last-name", "", "--email", "grace.hopper@acme.example", "-o", "json"))
	golden(t, "users_patch_json", patchedJSON)
	assert.Equal(t, `{"last_name":"","email":"grace.hopper@acme.example"}`,
		string(lastRequest(t, srv, arthurtest.OpPatchUser).Body), "an empty value is a value")

	renamed := ok(t, run(t, srv, "service-accounts", "rename", botID, "--name", "ci-bot-prod"))
	golden(t, "service_accounts_rename_table", renamed)

	invited := ok(t, run(t, srv, "users", "invite", "--email", "joan@acme.example",
		"--role-id", "2b4d6f8a-1c3e-4a5b-8d7f-9e1a2b3c4d5e", "--resource-kind", "workspace",
		"--resource-id", "6c8e0a2b-4d6f-4b1c-a3e5-7f9b1d3e5a7c", "--group-id", "8d0f2b4c-6e8a-4c1d-b3f5-9a1c3e5f7b9d"))
	golden(t, "users_invite_table", invited)
	invitedJSON := ok(t, run(t, srv, "users", "invite", "--email", "ken@acme.example", "-o", "json"))
	golden(t, "users_invite_json", invitedJSON)
	invites := srv.Invites()
	require.Len(t, invites, 2)
	require.NotNil(t, invites[0].RoleBinding)
	assert.Equal(t, arthur.BoundResourceKindWorkspace, invites[0].RoleBinding.BoundResourceKind)
	assert.Equal(t, []string{"8d0f2b4c-6e8a-4c1d-b3f5-9a1c3e5f7b9d"}, invites[0].GroupIDs)
	assert.Nil(t, invites[1].RoleBinding)

	accepted := ok(t, run(t, srv, "invites", "accept"))
	golden(t, "invites_accept_table", accepted)
	acceptedJSON := ok(t, run(t, srv, "invites", "accept", "-o", "json"))
	golden(t, "invites_accept_json", acceptedJSON)

	deleted := ok(t, run(t, srv, "users", "delete", hedy.ID))
	golden(t, "users_delete_table", normalize(deleted))
	deletedJSON := ok(t, run(t, srv, "users", "delete", alanID, "-o", "json"))
	golden(t, "users_delete_json", deletedJSON)
	_, stillThere := srv.User(alanID)
	assert.False(t, stillThere)
}

func findUser(t *testing.T, srv *arthurtest.Server, email string) arthur.User {
	t.Helper()
	for _, u := range srv.Users() {
		if u.Email != nil && strings.EqualFold(*u.Email, email) {
			return u
		}
	}
	t.Fatalf("no user with email %s", email)
	return arthur.User{}
}

func lastRequest(t *testing.T, srv *arthurtest.Server, op string) arthurtest.Request {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Operation == op {
			return reqs[i]
		}
	}
	t.Fatalf("no %s request", op)
	return arthurtest.Request{}
}

// TestProgress: --all shows progress on stderr only when it is a terminal.
func TestProgress(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	quiet := invocation{srv: srv}.run(t, "users", "list", "--all", "--page-size", "2")
	ok(t, quiet)
	assert.Empty(t, quiet.stderr)

	shown := invocation{srv: srv, terminal: true}.run(t, "users", "list", "--all", "--page-size", "2")
	assert.Equal(t, quiet.stdout, ok(t, shown), "progress never reaches stdout")
	assert.Contains(t, shown.stderr, "2 users so far")
	assert.Contains(t, shown.stderr, "6 users so far")
	assert.True(t, strings.HasSuffix(shown.stderr, "\r\033[K"), "the progress line is cleared at the end")
}

// TestListAllJSONIsOneDocument: the streamed array parses as the users of
// every page.
func TestListAllJSONIsOneDocument(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var users []arthur.User
	require.NoError(t, json.Unmarshal([]byte(ok(t, run(t, srv, "users", "list", "--all", "--page-size", "2", "-o", "json"))), &users))
	var page arthur.ResourceListUser
	require.NoError(t, json.Unmarshal([]byte(ok(t, run(t, srv, "users", "list", "--page-size", "1000", "-o", "json"))), &page))
	assert.Equal(t, page.Records, users)
	assert.Len(t, users, 6, "people and service accounts, the server's default")
}
