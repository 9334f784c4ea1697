package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
)

func usersListCommand() *command {
	return &command{
		name:    "list",
		summary: "List the organization's users",
		help: "List the organization's users (GetOrganizationUsers): one page, or with --all every page,\n" +
			"printed as it arrives (GetOrganizationUsersIter). The server's defaults: sort by name, ascending,\n" +
			"page 1, 20 per page, people and service accounts.\n\n" +
			"With -o json, one page prints {\"records\": [...], \"pagination\": {...}} as the API returns it;\n" +
			"--all prints an array of users, closed even when a page fails midway (then the exit code is 1).",
		examples: []string{
			Name + " users list --search lovelace",
			Name + " users list --sort created_at --order desc --page 2 --page-size 50",
			Name + " users list --type service_account --type data_plane",
			Name + " users list --all -o json",
		},
		setup: func(fs *flag.FlagSet) runner {
			var p arthur.GetOrganizationUsersParams
			var all bool
			fs.StringVar(&p.Search, "search", "", "list users whose name or email matches `TEXT`")
			enumFlag(fs, &p.Sort, "sort", arthur.AllUserSortValues, "sort by `FIELD`: "+oneOf(arthur.AllUserSortValues)+" (server default: name)")
			enumFlag(fs, &p.Order, "order", arthur.AllSortOrderValues, "sort in `ORDER`: asc or desc (server default: asc)")
			enumListFlag(fs, &p.UserTypes, "type", arthur.AllUserTypeValues,
				"list users of `TYPE`: "+oneOf(arthur.AllUserTypeValues)+
					" (repeatable;\n\tserver default: user and service_account)")
			fs.Var(listValue{&p.UserIDs}, "id", "list the user with this `ID` (repeatable)")
			fs.Var(intRange{&p.Page, 1, math.MaxInt}, "page", "show page `N`, from 1 (server default: 1)")
			fs.Var(intRange{&p.PageSize, 1, 1000}, "page-size", "show `N` users per page, 1 to 1000 (server default: 20)")
			fs.BoolVar(&all, "all", false, "every page, from --page on, printed as it arrives")
			return func(ctx context.Context, x *invocation, _ []string) error {
				c, err := x.api()
				if err != nil {
					return err
				}
				if all {
					return x.listAll(ctx, c, &p)
				}
				page, err := c.UsersV1API.GetOrganizationUsers(ctx, &p)
				if err != nil {
					return err
				}
				if x.g.json() {
					return writeJSON(x.env.Stdout, page)
				}
				if len(page.Records) == 0 && page.Pagination.TotalRecords == 0 {
					_, err := fmt.Fprintln(x.env.Stdout, "No users found.")
					return err
				}
				t := newUserTable(x.env.Stdout, false)
				for _, u := range page.Records {
					t.add(u)
				}
				if err := t.flush(); err != nil {
					return err
				}
				pg := page.Pagination
				_, err = fmt.Fprintf(x.env.Stdout, "\nPage %d of %d, %s, %d per page.\n",
					pg.Page, pg.TotalPages, plural(pg.TotalRecords, "user"), pg.PageSize)
				return err
			}
		},
	}
}

// listAll streams every user of every page: table rows are flushed page
// by page, JSON is an array written element by element. Progress goes to
// stderr when it is a terminal. When a page fails, what was written stays
// whole (the table flushed, the JSON array closed) and the error says how
// many users it holds.
func (x *invocation) listAll(ctx context.Context, c *arthur.APIClient, p *arthur.GetOrganizationUsersParams) error {
	pageSize := p.PageSize
	if pageSize == 0 {
		pageSize = 20
	}
	out := x.env.Stdout
	progress := x.env.IsTerminal(x.env.Stderr)
	clearProgress := func() {
		if progress {
			fmt.Fprint(x.env.Stderr, "\r\033[K")
		}
	}
	var t *userTable
	if !x.g.json() {
		t = newUserTable(out, true)
	}
	n := 0
	for u, err := range c.UsersV1API.GetOrganizationUsersIter(ctx, p) {
		if err != nil {
			clearProgress()
			if t != nil {
				_ = t.flush()
			} else {
				_ = closeArray(out, n)
			}
			return &partialError{err: err, written: plural(n, "user")}
		}
		n++
		if t != nil {
			t.add(u)
		} else if err := writeArrayItem(out, n == 1, u); err != nil {
			return err
		}
		if n%pageSize == 0 {
			clearProgress()
			if t != nil {
				if err := t.flush(); err != nil {
					return err
				}
			}
			if progress {
				fmt.Fprintf(x.env.Stderr, "%s so far, fetching the next page…", plural(n, "user"))
			}
		}
	}
	clearProgress()
	if t == nil {
		return closeArray(out, n)
	}
	if n == 0 {
		_, err := fmt.Fprintln(out, "No users found.")
		return err
	}
	if err := t.flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\n%s.\n", plural(n, "user"))
	return err
}

// writeArrayItem writes one element of a JSON array that is being
// streamed: "[" before the first, "," between them.
func writeArrayItem(w io.Writer, first bool, v any) error {
	var b strings.Builder
	if first {
		b.WriteString("[\n  ")
	} else {
		b.WriteString(",\n  ")
	}
	var item strings.Builder
	if err := writeJSON(&item, v); err != nil {
		return err
	}
	b.WriteString(strings.ReplaceAll(strings.TrimRight(item.String(), "\n"), "\n", "\n  "))
	_, err := io.WriteString(w, b.String())
	return err
}

// closeArray ends a JSON array of n elements that writeArrayItem wrote.
func closeArray(w io.Writer, n int) error {
	end := "\n]\n"
	if n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(w, end)
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func usersCreateCommand() *command {
	return &command{
		name:    "create",
		summary: "Create a person",
		help: "Create a person in the organization (PostOrganizationUser). --first-name, --email and a\n" +
			"password are required; --password-stdin reads the password from the first line of stdin,\n" +
			"which keeps it out of the shell's history and the process list.",
		examples: []string{
			"printf '%s\\n' \"$PASSWORD\" | " + Name + " users create --first-name Ada --last-name Lovelace --email ada@example.com --password-stdin",
		},
		setup: func(fs *flag.FlagSet) runner {
			var body arthur.PostEndUser
			var lastName, picture, password string
			var passwordStdin bool
			fs.StringVar(&body.FirstName, "first-name", "", "the first `NAME` (required)")
			fs.StringVar(&lastName, "last-name", "", "the last `NAME`")
			fs.StringVar(&body.Email, "email", "", "the email `ADDRESS` (required)")
			fs.StringVar(&picture, "picture", "", "`URL` of a profile picture")
			fs.StringVar(&password, "password", "", "the initial `PASSWORD` (or --password-stdin)")
			fs.BoolVar(&passwordStdin, "password-stdin", false, "read the initial password from the first line of stdin")
			return func(ctx context.Context, x *invocation, _ []string) error {
				set := explicit(fs)
				switch {
				case strings.TrimSpace(body.FirstName) == "":
					return usageErrorf("missing required flag --first-name")
				case strings.TrimSpace(body.Email) == "":
					return usageErrorf("missing required flag --email")
				case set["password"] && passwordStdin:
					return usageErrorf("--password and --password-stdin cannot be used together")
				case !set["password"] && !passwordStdin:
					return usageErrorf("missing required flag --password or --password-stdin")
				}
				if passwordStdin {
					var err error
					if password, err = readLine(x.env.Stdin); err != nil {
						return err
					}
				}
				if password == "" {
					return usageErrorf("the password must not be empty")
				}
				body.Password = arthur.Secret(password)
				if set["last-name"] {
					body.LastName = &lastName
				}
				if set["picture"] {
					body.Picture = &picture
				}
				c, err := x.api()
				if err != nil {
					return err
				}
				u, err := c.UsersV1API.PostOrganizationUser(ctx, body)
				if err != nil {
					return err
				}
				return x.writeUser(u)
			}
		},
	}
}

// readLine reads the first line of r, without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func usersPatchCommand() *command {
	return &command{
		name:    "patch",
		summary: "Change a person's name, email or picture",
		help: "Change a person's fields (PatchUser). A --FIELD flag sets the field, a --clear-FIELD flag\n" +
			"clears it (sends null); fields not named are kept.",
		args: []string{"ID"},
		examples: []string{
			Name + " users patch 0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d --first-name Augusta --clear-picture",
		},
		setup: func(fs *flag.FlagSet) runner {
			type patchField struct {
				name  string
				value string
				clear bool
				dst   *arthur.Nullable[string]
			}
			var body arthur.PatchUser
			fields := []*patchField{
				{name: "first-name", dst: &body.FirstName},
				{name: "last-name", dst: &body.LastName},
				{name: "email", dst: &body.Email},
				{name: "picture", dst: &body.Picture},
			}
			hints := map[string]string{"first-name": "first `NAME`", "last-name": "last `NAME`",
				"email": "email `ADDRESS`", "picture": "`URL` of a profile picture"}
			for _, f := range fields {
				fs.StringVar(&f.value, f.name, "", "set the "+hints[f.name])
			}
			for _, f := range fields[1:] { // the server refuses a null first name
				fs.BoolVar(&f.clear, "clear-"+f.name, false, "clear the "+strings.ReplaceAll(f.name, "-", " "))
			}
			return func(ctx context.Context, x *invocation, args []string) error {
				set := explicit(fs)
				changed := false
				for _, f := range fields {
					switch {
					case set[f.name] && f.clear:
						return usageErrorf("--%s and --clear-%s cannot be used together", f.name, f.name)
					case set[f.name]:
						*f.dst, changed = arthur.Value(f.value), true
					case f.clear:
						*f.dst, changed = arthur.Null[string](), true
					}
				}
				if !changed {
					return usageErrorf("nothing to change: pass at least one of --first-name, --last-name, --email, --picture or a --clear-... flag")
				}
				c, err := x.api()
				if err != nil {
					return err
				}
				u, err := c.UsersV1API.PatchUser(ctx, args[0], body)
				if err != nil {
					return err
				}
				return x.writeUser(u)
			}
		},
	}
}

func usersDeleteCommand() *command {
	return &command{
		name:     "delete",
		summary:  "Delete a user",
		help:     "Delete a user (DeleteUser).",
		args:     []string{"ID"},
		examples: []string{Name + " users delete 0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d"},
		setup: func(*flag.FlagSet) runner {
			return func(ctx context.Context, x *invocation, args []string) error {
				c, err := x.api()
				if err != nil {
					return err
				}
				if err := c.UsersV1API.DeleteUser(ctx, args[0]); err != nil {
					return err
				}
				return x.writeStatus(struct {
					ID      string `json:"id"`
					Deleted bool   `json:"deleted"`
				}{args[0], true}, "Deleted user %s.", args[0])
			}
		},
	}
}

func usersInviteCommand() *command {
	return &command{
		name:    "invite",
		summary: "Invite a person by email",
		help: "Invite a person by email (PostOrganizationUserInvite), optionally granting a role\n" +
			"(--role-id, --resource-kind and --resource-id, together) and groups once they accept.",
		examples: []string{
			Name + " users invite --email grace@example.com",
			Name + " users invite --email grace@example.com --role-id ROLE --resource-kind workspace --resource-id WS --group-id G1 --group-id G2",
		},
		setup: func(fs *flag.FlagSet) runner {
			var body arthur.InviteNewUser
			var rb arthur.PostGlobalRoleBinding
			fs.StringVar(&body.Email, "email", "", "invite the email `ADDRESS` (required)")
			fs.StringVar(&rb.RoleID, "role-id", "", "grant the role with this `ID`")
			enumFlag(fs, &rb.BoundResourceKind, "resource-kind", arthur.AllBoundResourceKindValues,
				"grant the role on a resource of `KIND`: "+oneOf(arthur.AllBoundResourceKindValues))
			fs.StringVar(&rb.ResourceID, "resource-id", "", "grant the role on the resource with this `ID`")
			fs.Var(listValue{&body.GroupIDs}, "group-id", "add the user to the group with this `ID` (repeatable)")
			return func(ctx context.Context, x *invocation, _ []string) error {
				if strings.TrimSpace(body.Email) == "" {
					return usageErrorf("missing required flag --email")
				}
				if rb != (arthur.PostGlobalRoleBinding{}) {
					for _, f := range []struct{ name, value string }{
						{"role-id", rb.RoleID}, {"resource-kind", string(rb.BoundResourceKind)}, {"resource-id", rb.ResourceID},
					} {
						if strings.TrimSpace(f.value) == "" {
							return usageErrorf("--role-id, --resource-kind and --resource-id go together: missing --%s", f.name)
						}
					}
					body.RoleBinding = &rb
				}
				c, err := x.api()
				if err != nil {
					return err
				}
				resp, err := c.UsersV1API.PostOrganizationUserInvite(ctx, body)
				if err != nil {
					return err
				}
				return x.writeStatus(struct {
					Email    string         `json:"email"`
					Invited  bool           `json:"invited"`
					Response map[string]any `json:"response"` // the API's answer, null when it sends none
				}{body.Email, true, resp}, "Invited %s.", body.Email)
			}
		},
	}
}
