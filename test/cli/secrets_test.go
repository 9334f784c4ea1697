package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
)

// credentialsJSON is the part of a create or regenerate answer that holds
// the secret.
type credentialsJSON struct {
	ID          string `json:"id"`
	Credentials struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Password     string `json:"password"`
	} `json:"credentials"`
}

// tableValue returns the value of a row of a record table.
func tableValue(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, name+"  ") {
			return strings.TrimSpace(strings.TrimPrefix(line, name))
		}
	}
	t.Fatalf("no %q row in:\n%s", name, out)
	return ""
}

// signIn runs "me" as the service account, with its client credentials in
// the environment, and returns the result.
func signIn(t *testing.T, inv invocation, clientID, secret string) result {
	t.Helper()
	inv.env = map[string]string{
		arthur.EnvHost: inv.srv.URL, arthur.EnvClientID: clientID, arthur.EnvClientSecret: secret,
	}
	r := inv.run(t, "me", "-o", "json")
	assert.NotContains(t, r.stdout+r.stderr, secret, "signing in never prints the secret")
	return r
}

// TestSecretShownOnce: the client secret of a new service account, and the
// credentials of a regeneration, are printed by those commands (JSON and
// table), with a warning on stderr; they work; and no other command prints
// them.
func TestSecretShownOnce(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	inv := invocation{srv: srv}
	var secrets []string

	// Create, as JSON.
	r := run(t, srv, "service-accounts", "create", "--name", "deploy-bot", "-o", "json")
	out := ok(t, r)
	var sa credentialsJSON
	require.NoError(t, json.Unmarshal([]byte(out), &sa))
	first := sa.Credentials.ClientSecret
	require.NotEmpty(t, first)
	secrets = append(secrets, first)
	assert.Equal(t, "warning: store the client secret now: it is shown this once and cannot be shown again\n", r.stderr)
	golden(t, "service_accounts_create_json", normalize(out, first))
	me := ok(t, signIn(t, inv, sa.Credentials.ClientID, first))
	assert.Contains(t, me, `"first_name": "deploy-bot"`, "the secret printed is the real one")

	// Create, as a table.
	r = run(t, srv, "service-accounts", "create", "--name", "report-bot")
	out = ok(t, r)
	tableSecret := tableValue(t, out, "Client secret")
	secrets = append(secrets, tableSecret)
	assert.Contains(t, r.stderr, "warning: store the client secret now")
	assert.NotContains(t, r.stderr, tableSecret)
	golden(t, "service_accounts_create_table", normalize(out, tableSecret))
	me = ok(t, signIn(t, inv, tableValue(t, out, "Client ID"), tableSecret))
	assert.Contains(t, me, `"first_name": "report-bot"`)

	// Regenerate a service account's, as JSON: the old secret stops working.
	r = run(t, srv, "credentials", "regenerate", sa.ID, "-o", "json")
	out = ok(t, r)
	var regen credentialsJSON
	require.NoError(t, json.Unmarshal([]byte(out), &regen))
	second := regen.Credentials.ClientSecret
	require.NotEmpty(t, second)
	require.NotEqual(t, first, second)
	secrets = append(secrets, second)
	assert.Contains(t, r.stderr, "warning: store the client secret now")
	golden(t, "credentials_regenerate_service_account_json", normalize(out, second))
	ok(t, signIn(t, inv, regen.Credentials.ClientID, second))
	refused := signIn(t, inv, regen.Credentials.ClientID, first)
	assert.Equal(t, arthurcli.ExitError, refused.code, "the old secret is retired")
	assert.Contains(t, refused.stderr, "401")

	// Regenerate a service account's, as a table.
	r = run(t, srv, "credentials", "regenerate", botID)
	out = ok(t, r)
	botSecret := tableValue(t, out, "Client secret")
	secrets = append(secrets, botSecret)
	golden(t, "credentials_regenerate_service_account_table", normalize(out, botSecret))
	ok(t, signIn(t, inv, botClientID, botSecret))

	// Regenerate a person's: a one-time password.
	r = run(t, srv, "credentials", "regenerate", graceID)
	out = ok(t, r)
	password := tableValue(t, out, "One-time password")
	secrets = append(secrets, password)
	assert.Equal(t, "warning: store the one-time password now: it is shown this once and cannot be shown again\n", r.stderr)
	golden(t, "credentials_regenerate_user_table", normalize(out, password))

	r = run(t, srv, "credentials", "regenerate", adaID, "-o", "json")
	out = ok(t, r)
	var person credentialsJSON
	require.NoError(t, json.Unmarshal([]byte(out), &person))
	require.NotEmpty(t, person.Credentials.Password)
	secrets = append(secrets, person.Credentials.Password)
	golden(t, "credentials_regenerate_user_json", normalize(out, person.Credentials.Password))

	// No other command shows them.
	for _, args := range [][]string{
		{"users", "list", "--all"},
		{"users", "list", "--all", "-o", "json", "--type", "service_account"},
		{"users", "list", "-o", "json", "--id", sa.ID},
		{"service-accounts", "rename", sa.ID, "--name", "deploy-bot-2"},
		{"service-accounts", "rename", sa.ID, "--name", "deploy-bot-3", "-o", "json"},
		{"users", "patch", graceID, "--first-name", "Grace B."},
		{"me", "-o", "json"},
		{"users", "delete", sa.ID},
	} {
		r := run(t, srv, args...)
		ok(t, r)
		for _, s := range secrets {
			assert.NotContains(t, r.stdout+r.stderr, s, "%v prints no secret", args)
		}
		assert.NotContains(t, r.stderr, "warning", "%v warns of nothing", args)
	}
}
