package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
)

// writeJSON writes v as indented JSON. A Secret in v is written as its
// value: only the commands that get one from the API pass one here.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// orDash shows a null or absent field as "-".
func orDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func fullName(u arthur.User) string {
	if u.LastName == nil || *u.LastName == "" {
		return u.FirstName
	}
	return u.FirstName + " " + *u.LastName
}

// field is one row of a record's table.
type field struct{ name, value string }

// userFields are the rows that show one user.
func userFields(u arthur.User) []field {
	f := []field{
		{"ID", u.ID},
		{"First name", u.FirstName},
		{"Last name", orDash(u.LastName)},
		{"Email", orDash(u.Email)},
		{"Picture", orDash(u.Picture)},
		{"Type", string(u.UserType)},
	}
	if u.ClientID != nil {
		f = append(f, field{"Client ID", *u.ClientID})
	}
	if u.DataPlaneID != nil {
		f = append(f, field{"Data plane ID", *u.DataPlaneID})
	}
	return append(f,
		field{"Organization", u.OrganizationName + " (" + u.OrganizationID + ")"},
		field{"Created", stamp(u.CreatedAt)},
		field{"Updated", stamp(u.UpdatedAt)},
	)
}

// writeRecord writes fields as a two-column table.
func writeRecord(w io.Writer, fields []field) error {
	tw := newTable(w)
	for _, f := range fields {
		fmt.Fprintf(tw, "%s\t%s\n", f.name, f.value)
	}
	return tw.Flush()
}

// writeUser writes one user, as JSON or as a record.
func (x *invocation) writeUser(u *arthur.User) error {
	if x.g.json() {
		return writeJSON(x.env.Stdout, u)
	}
	return writeRecord(x.env.Stdout, userFields(*u))
}

// writeStatus writes the outcome of an operation that returns nothing: a
// sentence for people, v for scripts.
func (x *invocation) writeStatus(v any, format string, args ...any) error {
	if x.g.json() {
		return writeJSON(x.env.Stdout, v)
	}
	_, err := fmt.Fprintf(x.env.Stdout, format+"\n", args...)
	return err
}

// warnShownOnce tells, on stderr, that a secret on stdout will not be shown
// again.
func (x *invocation) warnShownOnce(what string) {
	fmt.Fprintf(x.env.Stderr, "warning: store the %s now: it is shown this once and cannot be shown again\n", what)
}

// userTable writes users as rows of a table: ID, NAME, EMAIL, TYPE,
// CREATED. With pad, the NAME, EMAIL and TYPE cells are padded to a minimum
// width, so that tables flushed page by page line up.
type userTable struct {
	tw  *tabwriter.Writer
	pad bool
}

const (
	nameWidth  = 24
	emailWidth = 32
	typeWidth  = len(arthur.UserTypeServiceAccount)
)

func newUserTable(w io.Writer, pad bool) *userTable {
	t := &userTable{tw: newTable(w), pad: pad}
	t.row("ID", "NAME", "EMAIL", "TYPE", "CREATED")
	return t
}

func (t *userTable) add(u arthur.User) {
	t.row(u.ID, fullName(u), orDash(u.Email), string(u.UserType), stamp(u.CreatedAt))
}

func (t *userTable) row(id, name, email, typ, created string) {
	if t.pad {
		name = padRight(name, nameWidth)
		email = padRight(email, emailWidth)
		typ = padRight(typ, typeWidth)
	}
	fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\n", id, name, email, typ, created)
}

func (t *userTable) flush() error { return t.tw.Flush() }

func padRight(s string, n int) string {
	if w := len([]rune(s)); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
