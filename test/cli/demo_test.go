package cli

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	arthurcli "github.com/arthur-sdk/arthur-go/internal/cli"
)

// TestDemoMode: --demo needs no host, no token and no network beyond
// loopback, and works with every command.
func TestDemoMode(t *testing.T) {
	t.Parallel()
	empty := invocation{env: map[string]string{}}

	r := empty.run(t, "--demo", "users", "list")
	out := ok(t, r)
	assert.Contains(t, out, "ada.lovelace@example.com")
	assert.Contains(t, out, "Page 1 of 2, 27 users, 20 per page.")
	assert.Contains(t, r.stderr, "demo: ")

	out = ok(t, empty.run(t, "users", "list", "--all", "--demo", "--type", "data_plane", "-o", "json"))
	var users []arthur.User
	require.NoError(t, json.Unmarshal([]byte(out), &users))
	require.Len(t, users, 1)
	assert.Equal(t, "engine-1", users[0].FirstName)

	out = ok(t, empty.run(t, "me", "--demo"))
	assert.Contains(t, out, "admin@example.com")

	r = empty.run(t, "--demo", "service-accounts", "create", "--name", "demo-bot")
	assert.Contains(t, ok(t, r), "Client secret")
	assert.Contains(t, r.stderr, "warning: store the client secret now")

	r = empty.run(t, "--demo", "users", "delete", unknownID)
	apiError(t, r, "DeleteUser failed: 404 Not Found")
}

// TestFakeServer: fake-server listens where it is told, prints its URL and
// token, answers the API as the seeded admin, and stops cleanly when its
// context ends.
func TestFakeServer(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"json", "table"} {
		t.Run(format, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr syncBuffer
			done := make(chan int, 1)
			go func() {
				done <- arthurcli.Main(ctx, []string{"fake-server", "--addr", "127.0.0.1:0", "-o", format}, arthurcli.Env{
					Stdout: &stdout,
					Stderr: &stderr,
					Getenv: func(string) string { return "" },
				})
			}()

			var url, token string
			require.Eventually(t, func() bool {
				url, token = serverInfo(stdout.String(), format)
				return url != "" && token != ""
			}, 10*time.Second, 10*time.Millisecond, "the URL and the token are printed")
			assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)

			// The printed values work: with the SDK, and with the CLI itself.
			cfg := arthur.NewConfiguration()
			cfg.Host, cfg.AccessToken = url, token
			cfg.HTTPClient = contractClient(t, nil)
			client := arthur.NewAPIClient(cfg)
			me, err := client.UsersV1API.GetUsersMe(ctx)
			require.NoError(t, err)
			assert.Equal(t, "Admin", me.FirstName)
			page, err := client.UsersV1API.GetOrganizationUsers(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, 27, page.Pagination.TotalRecords, "seeded with the demo users")
			r := invocation{env: map[string]string{arthur.EnvHost: url, arthur.EnvAccessToken: token}}.run(t, "users", "list", "--search", "lovelace")
			assert.Contains(t, ok(t, r), "ada.lovelace@example.com")

			cancel()
			select {
			case code := <-done:
				assert.Equal(t, arthurcli.ExitOK, code, "stderr: %s", stderr.String())
			case <-time.After(10 * time.Second):
				t.Fatal("fake-server did not stop when its context ended")
			}
			assert.Contains(t, stderr.String(), "fake-server: stopped")

			_, err = client.UsersV1API.GetUsersMe(context.Background())
			var apiErr *arthur.APIError
			assert.Error(t, err, "the server is gone")
			assert.False(t, errors.As(err, &apiErr), "nothing answers: %v", err)
		})
	}
}

// serverInfo reads the URL and the token fake-server printed, once it has.
func serverInfo(out, format string) (url, token string) {
	if format == "json" {
		var info struct {
			URL   string `json:"url"`
			Token string `json:"token"`
		}
		if !strings.HasSuffix(out, "}\n") || json.Unmarshal([]byte(out), &info) != nil {
			return "", ""
		}
		return info.URL, info.Token
	}
	if !strings.Contains(out, "users list\n") {
		return "", ""
	}
	for _, line := range strings.Split(out, "\n") {
		fields := strings.Fields(line)
		switch {
		case len(fields) == 2 && fields[0] == "URL":
			url = fields[1]
		case len(fields) == 3 && fields[0] == "Admin" && fields[1] == "token":
			token = fields[2]
		}
	}
	return url, token
}

// TestFakeServerAddressInUse: a taken address is an error, not a hang.
func TestFakeServerAddressInUse(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	r := invocation{env: map[string]string{}}.run(t, "fake-server", "--addr", addr)
	assert.Equal(t, arthurcli.ExitError, r.code)
	assert.Contains(t, r.stderr, "listen on "+addr)
	assert.Empty(t, r.stdout)
}
