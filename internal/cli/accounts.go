package cli

import (
	"context"
	"flag"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
)

func serviceAccountsCreateCommand() *command {
	return &command{
		name:    "create",
		summary: "Create a service account and show its client secret, once",
		help: "Create a service account (PostOrganizationServiceAccount). The answer holds its client ID\n" +
			"and secret: the API shows the secret this once, so store it.",
		examples: []string{Name + " service-accounts create --name ci-pipeline -o json"},
		setup: func(fs *flag.FlagSet) runner {
			var name string
			fs.StringVar(&name, "name", "", "the service account's `NAME` (required)")
			return func(ctx context.Context, x *invocation, _ []string) error {
				if strings.TrimSpace(name) == "" {
					return usageErrorf("missing required flag --name")
				}
				c, err := x.api()
				if err != nil {
					return err
				}
				sa, err := c.UsersV1API.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: name})
				if err != nil {
					return err
				}
				x.warnShownOnce("client secret")
				if x.g.json() {
					return writeJSON(x.env.Stdout, sa)
				}
				f := withClientID(userFields(sa.User()), sa.ClientID, sa.Credentials.ClientID)
				return writeRecord(x.env.Stdout, append(f, field{"Client secret", sa.Credentials.ClientSecret.Reveal()}))
			}
		},
	}
}

func serviceAccountsRenameCommand() *command {
	return &command{
		name:     "rename",
		summary:  "Rename a service account",
		help:     "Rename a service account (PatchServiceAccountUser).",
		args:     []string{"ID"},
		examples: []string{Name + " service-accounts rename 3c9d5e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f --name ci-pipeline-2"},
		setup: func(fs *flag.FlagSet) runner {
			var name string
			fs.StringVar(&name, "name", "", "the new `NAME` (required)")
			return func(ctx context.Context, x *invocation, args []string) error {
				if strings.TrimSpace(name) == "" {
					return usageErrorf("missing required flag --name")
				}
				c, err := x.api()
				if err != nil {
					return err
				}
				u, err := c.UsersV1API.PatchServiceAccountUser(ctx, args[0], arthur.PatchServiceAccountUser{Name: arthur.Value(name)})
				if err != nil {
					return err
				}
				return x.writeUser(u)
			}
		},
	}
}

func credentialsRegenerateCommand() *command {
	return &command{
		name:    "regenerate",
		summary: "Issue new credentials for a user and show them, once",
		help: "Issue new credentials for a user (PostUserCreds), retiring the old ones: a new client secret\n" +
			"for a service account, a one-time password for a person. The API shows them this once.",
		args:     []string{"ID"},
		examples: []string{Name + " credentials regenerate 3c9d5e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f -o json"},
		setup: func(*flag.FlagSet) runner {
			return func(ctx context.Context, x *invocation, args []string) error {
				c, err := x.api()
				if err != nil {
					return err
				}
				su, err := c.UsersV1API.PostUserCreds(ctx, args[0])
				if err != nil {
					return err
				}
				f := userFields(su.User())
				switch cr := su.Credentials; {
				case cr.ServiceAccount != nil:
					x.warnShownOnce("client secret")
					f = withClientID(f, su.ClientID, cr.ServiceAccount.ClientID)
					f = append(f, field{"Client secret", cr.ServiceAccount.ClientSecret.Reveal()})
				case cr.User != nil:
					x.warnShownOnce("one-time password")
					f = append(f, field{"One-time password", cr.User.Password.Reveal()})
				}
				if x.g.json() {
					return writeJSON(x.env.Stdout, su)
				}
				return writeRecord(x.env.Stdout, f)
			}
		},
	}
}

// withClientID adds the client ID of new credentials to a user's fields,
// unless the user's own Client ID row already shows it.
func withClientID(f []field, userClientID *string, clientID string) []field {
	switch {
	case userClientID == nil:
		return append(f, field{"Client ID", clientID})
	case *userClientID != clientID:
		return append(f, field{"New client ID", clientID})
	}
	return f
}
