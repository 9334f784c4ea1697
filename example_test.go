package arthur_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// startFake starts the in-memory fake Arthur that the examples call in
// place of the real API. Against Arthur itself, build the client with
// NewConfiguration, Host and AccessToken instead (see Example).
func startFake() *arthurtest.Server {
	srv, err := arthurtest.Start(arthurtest.WithOrganization("", "Acme"))
	if err != nil {
		log.Fatal(err)
	}
	if err := arthurtest.SeedDemo(srv); err != nil {
		log.Fatal(err)
	}
	return srv
}

// The first lines of a program that calls Arthur.
func Example() {
	srv := startFake()
	defer srv.Close()

	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL // "https://platform.arthur.ai" for Arthur's SaaS
	cfg.AccessToken = srv.Token
	client := arthur.NewAPIClient(cfg)

	me, err := client.UsersV1API.GetUsersMe(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.UserType, me.OrganizationName)
	// Output: user Acme
}

func ExampleUsersV1APIService_GetOrganizationUsers() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()

	page, err := client.UsersV1API.GetOrganizationUsers(context.Background(), &arthur.GetOrganizationUsersParams{
		Search:   "lovelace",
		PageSize: 10,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range page.Records {
		fmt.Println(u.FirstName, *u.LastName)
	}
	fmt.Println(page.Pagination.TotalRecords, "found")
	// Output:
	// Ada Lovelace
	// 1 found
}

func ExampleUsersV1APIService_GetOrganizationUsersIter() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()

	n := 0
	params := &arthur.GetOrganizationUsersParams{UserTypes: []arthur.UserType{arthur.UserTypeServiceAccount}, PageSize: 1}
	for u, err := range client.UsersV1API.GetOrganizationUsersIter(context.Background(), params) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.FirstName)
		n++
	}
	fmt.Println(n, "service accounts, one page each")
	// Output:
	// ci-pipeline
	// nightly-export
	// 2 service accounts, one page each
}

func ExampleUsersV1APIService_PostOrganizationUser() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()

	u, err := client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{
		FirstName: "Grace",
		LastName:  arthur.Ptr("Murray"),
		Email:     "grace.murray@example.com",
		Password:  "initial-Passw0rd",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.FirstName, *u.LastName, *u.Email, u.UserType)

	// The same email again is a conflict.
	_, err = client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{
		FirstName: "Grace", Email: "Grace.Murray@example.com", Password: "another-Passw0rd",
	})
	var conflict *arthur.ConflictError
	fmt.Println(errors.As(err, &conflict), errors.Is(err, arthur.ErrConflict))
	// Output:
	// Grace Murray grace.murray@example.com user
	// true true
}

func ExampleUsersV1APIService_PatchUser() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()
	u := srv.AddUser(arthur.User{FirstName: "Ada", LastName: arthur.Ptr("Byron"), Email: arthur.Ptr("ada@example.org"),
		Picture: arthur.Ptr("https://img.example.org/ada.png")})

	changed, err := client.UsersV1API.PatchUser(context.Background(), u.ID, arthur.PatchUser{
		LastName: arthur.Value("Lovelace"), // set
		Picture:  arthur.Null[string](),    // clear
		// FirstName and Email unset: kept
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(changed.FirstName, *changed.LastName, *changed.Email, changed.Picture == nil)
	// Output: Ada Lovelace ada@example.org true
}

func ExampleUsersV1APIService_PostOrganizationServiceAccount() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()

	sa, err := client.UsersV1API.PostOrganizationServiceAccount(context.Background(), arthur.PostServiceAccount{Name: "reports"})
	if err != nil {
		log.Fatal(err)
	}
	// The secret is shown this once: store it. It never prints by mistake.
	fmt.Println(sa.FirstName, sa.UserType, sa.Credentials.ClientID == *sa.ClientID)
	fmt.Println(sa.Credentials.ClientSecret, len(sa.Credentials.ClientSecret.Reveal()) > 0)

	// Sign in as the service account with its client credentials.
	cfg := arthur.NewConfiguration()
	cfg.Host = srv.URL
	cfg.ClientID = sa.Credentials.ClientID
	cfg.ClientSecret = sa.Credentials.ClientSecret
	me, err := arthur.NewAPIClient(cfg).UsersV1API.GetUsersMe(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("signed in as", me.FirstName)
	// Output:
	// reports service_account true
	// [REDACTED] true
	// signed in as reports
}

func ExampleUsersV1APIService_DeleteUser() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()
	u := srv.AddUser(arthur.User{FirstName: "Temp", Email: arthur.Ptr("temp@example.com")})

	fmt.Println(client.UsersV1API.DeleteUser(context.Background(), u.ID))
	err := client.UsersV1API.DeleteUser(context.Background(), u.ID)
	fmt.Println(errors.Is(err, arthur.ErrNotFound))
	err = client.UsersV1API.DeleteUser(context.Background(), "")
	fmt.Println(err)
	// Output:
	// <nil>
	// true
	// arthur: DeleteUser: userID must not be empty
}

func ExampleHTTPValidationError() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()

	_, err := client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{
		FirstName: "Bad", Email: "not-an-email", Password: "Passw0rd!",
	})
	var invalid *arthur.HTTPValidationError
	if errors.As(err, &invalid) {
		for _, v := range invalid.Detail {
			fmt.Println(v.Loc, v.Type)
		}
	}
	fmt.Println(errors.Is(err, arthur.ErrValidation))
	// Output:
	// [body email] value_error
	// true
}

func ExampleSecret() {
	s := arthur.Secret("s3cr3t")
	fmt.Println(s, fmt.Sprintf("%#v", s), s.Reveal())

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("creating", "user", arthur.PostEndUser{FirstName: "Ada", Email: "ada@example.com", Password: s})
	// Output:
	// [REDACTED] arthur.Secret("[REDACTED]") s3cr3t
	// level=INFO msg=creating user.first_name=Ada user.last_name=<nil> user.email=ada@example.com user.password=[REDACTED] user.picture=<nil>
}

func ExampleNull() {
	body := arthur.PatchUser{FirstName: arthur.Value(""), Picture: arthur.Null[string]()}
	b, _ := body.MarshalJSON()
	fmt.Println(string(b))
	// Output: {"first_name":"","picture":null}
}

// The status and headers of an answer that succeeded, read through the
// call's context.
func ExampleWithResponseMetadata() {
	srv := startFake()
	defer srv.Close()
	client := srv.Client()

	var meta arthur.ResponseMetadata
	me, err := client.UsersV1API.GetUsersMe(arthur.WithResponseMetadata(context.Background(), &meta))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.FirstName != "", meta.StatusCode, meta.Attempts, meta.Header.Get("Content-Type"))
	// Output: true 200 1 application/json
}
