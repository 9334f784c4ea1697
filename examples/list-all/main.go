// List-all writes every user of an Arthur organization as CSV, streaming
// the pages with GetOrganizationUsersIter. It reads ARTHUR_HOST and
// ARTHUR_ACCESS_TOKEN (or ARTHUR_CLIENT_ID and ARTHUR_CLIENT_SECRET); with
// no ARTHUR_HOST it lists the sample users of an in-memory fake Arthur.
//
//	go run ./examples/list-all > users.csv
package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "list-all:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	cfg, err := arthur.ConfigurationFromEnv()
	if err != nil {
		return err
	}
	if os.Getenv(arthur.EnvHost) == "" {
		srv, err := arthurtest.Start()
		if err != nil {
			return err
		}
		defer srv.Close()
		if err := arthurtest.SeedDemo(srv); err != nil {
			return err
		}
		cfg = srv.Configuration()
	}
	client := arthur.NewAPIClient(cfg)

	w := csv.NewWriter(out)
	if err := w.Write([]string{"id", "user_type", "first_name", "last_name", "email", "created_at"}); err != nil {
		return err
	}
	params := &arthur.GetOrganizationUsersParams{
		UserTypes: arthur.AllUserTypeValues, // data planes too, which the server leaves out by default
		Sort:      arthur.UserSortCreatedAt,
		PageSize:  500,
	}
	for u, err := range client.UsersV1API.GetOrganizationUsersIter(ctx, params) {
		if err != nil {
			return err
		}
		if err := w.Write([]string{u.ID, string(u.UserType), u.FirstName, deref(u.LastName), deref(u.Email),
			u.CreatedAt.Format(time.RFC3339)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
