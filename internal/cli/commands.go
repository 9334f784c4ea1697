package cli

import (
	"context"
	"flag"
)

// usersTool is arthur-users.
var usersTool = &tool{
	name:       Name,
	root:       root,
	output:     outputTable,
	outputs:    []string{outputTable, outputJSON},
	outputHelp: "print in `FORMAT`: table or json (default table)",
	demoHelp:   "run against an embedded fake Arthur seeded with sample users: no account, no network",
}

// root is the command tree of arthur-users.
func root() *command {
	return (&command{
		name: Name,
		help: "arthur-users manages the users and service accounts of an Arthur organization through the\n" +
			"Users V1 API. Tables are for people; -o json is for scripts.",
		examples: []string{
			Name + " --demo users list",
			Name + " login --host https://platform.arthur.ai",
			"ARTHUR_HOST=https://platform.arthur.ai ARTHUR_ACCESS_TOKEN=... " + Name + " me",
			Name + " users list --search lovelace --sort created_at --order desc -o json",
			Name + " fake-server --addr 127.0.0.1:8080",
		},
		subs: []*command{
			loginCommand(Name, "me"),
			logoutCommand(Name),
			meCommand(),
			{
				name:    "users",
				summary: "List, create, change, delete and invite users",
				help:    "List, create, change, delete and invite the organization's users.",
				subs: []*command{
					usersListCommand(),
					usersCreateCommand(),
					usersPatchCommand(),
					usersDeleteCommand(),
					usersInviteCommand(),
				},
			},
			{
				name:    "service-accounts",
				summary: "Create and rename service accounts",
				help:    "Create and rename service accounts: users that sign in with a client ID and secret.",
				subs: []*command{
					serviceAccountsCreateCommand(),
					serviceAccountsRenameCommand(),
				},
			},
			{
				name:    "credentials",
				summary: "Issue new credentials for a user",
				help:    "Issue new credentials for a user.",
				subs:    []*command{credentialsRegenerateCommand()},
			},
			{
				name:    "invites",
				summary: "Accept your pending invites",
				help:    "Accept the invites sent to the calling user.",
				subs:    []*command{invitesAcceptCommand()},
			},
			fakeServerCommand(),
			{
				name:    "help",
				summary: "Show the help of a command: help users list",
			},
		},
	}).link()
}

// envHelp lists the environment variables the commands read.
const envHelp = `
Environment:
  ARTHUR_HOST                 API host, when --host is not given
  ARTHUR_ACCESS_TOKEN         bearer token, when --token is not given
  ARTHUR_CLIENT_ID            a service account's client ID, with ARTHUR_CLIENT_SECRET,
  ARTHUR_CLIENT_SECRET        when there is no token: the tool gets its own tokens
  ARTHUR_ALLOW_INSECURE_HTTP  true to send credentials over plain http:// to a host that is
                              not loopback, on a network you trust (default false: refused)
  ARTHUR_CONFIG_DIR           where login saves the sign-in (default: the arthur directory
                              of your config directory, such as ~/.config/arthur)
`

const rootFooter = envHelp + `
Signing in:
  With no token and no service account credentials, commands use the sign-in that
  "login" saved, renewing it as it expires; its host is the default for --host.

Exit codes:
  0  success
  1  the call failed: an API error (with its status and detail), a network error, a refused
     token, --timeout reached
  2  usage error: an unknown flag or command, a bad or missing value, no host or credentials,
     credentials refused over plain http:// (see ARTHUR_ALLOW_INSECURE_HTTP)
`

func meCommand() *command {
	return &command{
		name:     "me",
		summary:  "Show the calling user",
		help:     "Show the user the token belongs to (GetUsersMe).",
		examples: []string{Name + " me", Name + " me -o json"},
		setup: func(*flag.FlagSet) runner {
			return func(ctx context.Context, x *invocation, _ []string) error {
				c, err := x.api()
				if err != nil {
					return err
				}
				me, err := c.UsersV1API.GetUsersMe(ctx)
				if err != nil {
					return err
				}
				return x.writeUser(me)
			}
		},
	}
}

func invitesAcceptCommand() *command {
	return &command{
		name:     "accept",
		summary:  "Accept the calling user's pending invites",
		help:     "Accept every pending invite of the calling user (AcceptMyInvites).",
		examples: []string{Name + " invites accept"},
		setup: func(*flag.FlagSet) runner {
			return func(ctx context.Context, x *invocation, _ []string) error {
				c, err := x.api()
				if err != nil {
					return err
				}
				if err := c.UsersV1API.AcceptMyInvites(ctx); err != nil {
					return err
				}
				return x.writeStatus(struct {
					Accepted bool `json:"accepted"`
				}{true}, "Accepted your pending invites.")
			}
		},
	}
}
