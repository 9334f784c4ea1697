package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func fakeServerCommand() *command {
	return &command{
		name:    "fake-server",
		summary: "Run a fake Arthur API with sample users, for local development",
		offline: true,
		help: "Run arthurtest, the in-memory fake of the Users V1 API, seeded with 24 people, two service\n" +
			"accounts and a data plane user. It prints its URL and the admin's token, and serves until\n" +
			"interrupted (Ctrl-C or SIGTERM). Its state lives in memory and ends with it. It approves every\n" +
			"device login (" + Name + " login --host URL) at once, as the admin.",
		examples: []string{
			Name + " fake-server --addr 127.0.0.1:8080",
			Name + " fake-server --addr 127.0.0.1:0 --admin-token dev-token -o json",
		},
		setup: func(fs *flag.FlagSet) runner {
			var addr, adminToken string
			var logRequests bool
			fs.StringVar(&addr, "addr", "127.0.0.1:8080", "`ADDRESS` to listen on; port 0 picks a free one")
			fs.StringVar(&adminToken, "admin-token", "", "the admin's bearer `TOKEN` (default: a random one)")
			fs.BoolVar(&logRequests, "log", false, "log each request on stderr")
			return func(ctx context.Context, x *invocation, _ []string) error {
				opts := []arthurtest.Option{arthurtest.WithAddr(addr), arthurtest.WithDeviceAutoApprove()}
				if adminToken != "" {
					opts = append(opts, arthurtest.WithAdminToken(adminToken))
				}
				if logRequests {
					opts = append(opts, arthurtest.WithLogger(slog.New(slog.NewTextHandler(x.env.Stderr, nil))))
				}
				srv, err := arthurtest.Start(opts...)
				if err != nil {
					return err
				}
				defer srv.Close()
				if err := arthurtest.SeedDemo(srv); err != nil {
					return err
				}
				if err := x.writeServer(srv); err != nil {
					return err
				}
				<-ctx.Done()
				srv.Close()
				fmt.Fprintln(x.env.Stderr, "fake-server: stopped")
				return nil
			}
		},
	}
}

// writeServer tells where the fake server listens and how to call it.
func (x *invocation) writeServer(srv *arthurtest.Server) error {
	org := srv.Organization()
	if x.g.json() {
		return writeJSON(x.env.Stdout, map[string]string{
			"url":               srv.URL,
			"token":             srv.Token,
			"token_url":         srv.TokenURL(),
			"organization_id":   org.ID,
			"organization_name": org.Name,
		})
	}
	w := x.env.Stdout
	fmt.Fprintf(w, "Fake Arthur API listening on %s\n", srv.URL)
	count := map[arthur.UserType]int{}
	for _, u := range srv.Users() {
		count[u.UserType]++
	}
	fmt.Fprintf(w, "Seeded with %s (the admin included), %s and %s. Ctrl-C stops it.\n",
		people(count[arthur.UserTypeUser]), plural(count[arthur.UserTypeServiceAccount], "service account"),
		plural(count[arthur.UserTypeDataPlane], "data plane user"))
	fmt.Fprintln(w)
	if err := writeRecord(w, []field{
		{"URL", srv.URL},
		{"Admin token", srv.Token},
		{"Token URL", srv.TokenURL()},
		{"Organization", org.Name + " (" + org.ID + ")"},
	}); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nTry:\n  export ARTHUR_HOST=%s ARTHUR_ACCESS_TOKEN=%s\n  %s users list\n", srv.URL, srv.Token, Name)
	return err
}

func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}
