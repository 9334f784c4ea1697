package arthurtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// A fake Arthur outside a test, as a demo or a local server: Start it,
// seed it, call it, Close it.
func ExampleStart() {
	srv, err := arthurtest.Start(arthurtest.WithOrganization("", "Acme"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	if err := arthurtest.SeedDemo(srv); err != nil {
		log.Fatal(err)
	}

	client := srv.Client()
	page, err := client.UsersV1API.GetOrganizationUsers(context.Background(), &arthur.GetOrganizationUsersParams{Search: "ada"})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range page.Records {
		fmt.Println(u.FirstName, *u.LastName, *u.Email, u.OrganizationName)
	}
	// Output:
	// Ada Hopper ada.hopper20@example.com Acme
	// Ada Lovelace ada.lovelace@example.com Acme
}

// Injected failures let a test see how its code copes with an outage.
func ExampleServer_FailNext() {
	srv, err := arthurtest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	_ = srv.FailNext(arthurtest.OpGetUsersMe, 1, 500, 0)

	cfg := srv.Configuration()
	cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
	_, err = arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(context.Background())
	var apiErr *arthur.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, arthur.ErrServer), apiErr.StatusCode, apiErr.Detail)
	}
	// Output:
	// true 500 Internal Server Error (injected by arthurtest)
}
