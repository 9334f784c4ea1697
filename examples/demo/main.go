// Demo is a guided tour of the arthur SDK: it starts arthurtest, the
// in-memory fake of Arthur's Users V1 API, and calls every operation
// against it, naming each one as it goes. No account, no network.
//
//	go run ./examples/demo   (or: make demo)
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run tours the SDK on a fake server of its own, writing what it does to
// out.
func run(ctx context.Context, out io.Writer) error {
	return tour(ctx, out, nil)
}

// tour is run with the HTTP client every SDK client of the tour uses; nil
// means the SDK's default.
func tour(ctx context.Context, out io.Writer, hc *http.Client) error {
	start := time.Now()
	srv, err := arthurtest.Start()
	if err != nil {
		return err
	}
	defer srv.Close()

	cfg := srv.Configuration() // Host: srv.URL, AccessToken: the admin's token
	cfg.HTTPClient = hc
	t := &guide{out: out, api: arthur.NewAPIClient(cfg).UsersV1API, srv: srv, hc: hc}

	t.printf("Arthur Go SDK tour, against arthurtest (an in-memory fake of the Users V1 API) at %s\n", srv.URL)
	t.printf("client := arthur.NewAPIClient(cfg)  // cfg.Host = the server's URL, cfg.AccessToken = the admin's token\n")

	for _, step := range []func(context.Context) error{
		t.whoAmI, t.createPeople, t.list, t.patch, t.invite, t.serviceAccount, t.regenerate, t.typedErrors, t.remove,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	t.printf("\nDone in %s.\n", time.Since(start).Round(time.Millisecond))
	return t.err
}

// guide holds the tour's state and writes its story.
type guide struct {
	out io.Writer
	err error // the first write error
	api *arthur.UsersV1APIService
	srv *arthurtest.Server
	hc  *http.Client

	people []*arthur.User // created in createPeople
	sa     *arthur.UserServiceAccountCredentials
}

func (g *guide) printf(format string, args ...any) {
	if g.err == nil {
		_, g.err = fmt.Fprintf(g.out, format, args...)
	}
}

// section starts a step of the tour.
func (g *guide) section(title string) { g.printf("\n%s\n%s\n", title, strings.Repeat("-", len(title))) }

// call names the SDK operation about to be called.
func (g *guide) call(op, format string, args ...any) {
	g.printf("→ %s", op)
	if format != "" {
		g.printf("  "+format, args...)
	}
	g.printf("\n")
}

// say tells what a call returned.
func (g *guide) say(format string, args ...any) { g.printf("    "+format+"\n", args...) }

// preview shows the first characters of a secret: enough to tell two
// apart, never the whole of it.
func preview(s arthur.Secret) string {
	v := s.Reveal()
	if len(v) < 12 {
		return "…"
	}
	return v[:4] + "…"
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

func name(u arthur.User) string {
	if u.LastName == nil {
		return u.FirstName
	}
	return u.FirstName + " " + *u.LastName
}

func str(p *string) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprintf("%q", *p)
}

func (g *guide) whoAmI(ctx context.Context) error {
	g.section("1. Who am I")
	g.call("GetUsersMe", "")
	me, err := g.api.GetUsersMe(ctx)
	if err != nil {
		return err
	}
	g.say("%s <%s>, %s, organization %q", name(*me), *me.Email, me.UserType, me.OrganizationName)
	return nil
}

func (g *guide) createPeople(ctx context.Context) error {
	g.section("2. Create people")
	for _, p := range []struct{ first, last, email, picture string }{
		{"Ada", "Lovelace", "ada@analytical.example", "https://img.example.com/ada.png"},
		{"Grace", "Hopper", "grace@cobol.example", ""},
		{"Alan", "Turing", "alan@bletchley.example", ""},
		{"Katherine", "Johnson", "katherine@nasa.example", ""},
		{"Edsger", "Dijkstra", "edsger@eindhoven.example", ""},
		{"Barbara", "Liskov", "barbara@mit.example", ""},
	} {
		body := arthur.PostEndUser{
			FirstName: p.first,
			LastName:  arthur.Ptr(p.last),
			Email:     p.email,
			Password:  arthur.Secret(rand.Text()), // an arthur.Secret prints as [REDACTED]
		}
		if p.picture != "" {
			body.Picture = arthur.Ptr(p.picture)
		}
		g.call("PostOrganizationUser", "%s %s <%s>, Password: %v", p.first, p.last, p.email, body.Password)
		u, err := g.api.PostOrganizationUser(ctx, body)
		if err != nil {
			return err
		}
		g.say("id %s, created %s", short(u.ID), u.CreatedAt.Format(time.RFC3339))
		g.people = append(g.people, u)
	}
	return nil
}

func (g *guide) list(ctx context.Context) error {
	g.section("3. List: search, sort, pagination, iterator")

	g.call("GetOrganizationUsers", `Search: "lovelace"`)
	page, err := g.api.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Search: "lovelace"})
	if err != nil {
		return err
	}
	g.say("%d match: %s", page.Pagination.TotalRecords, names(page.Records))

	p := &arthur.GetOrganizationUsersParams{
		Sort: arthur.UserSortCreatedAt, Order: arthur.SortOrderDesc,
		UserTypes: []arthur.UserType{arthur.UserTypeUser}, PageSize: 3,
	}
	for _, n := range []int{1, 2} {
		p.Page = n
		g.call("GetOrganizationUsers", "Sort: created_at, Order: desc, UserTypes: [user], PageSize: 3, Page: %d", n)
		page, err := g.api.GetOrganizationUsers(ctx, p)
		if err != nil {
			return err
		}
		g.say("page %d of %d (%d people): %s", page.Pagination.Page, page.Pagination.TotalPages,
			page.Pagination.TotalRecords, names(page.Records))
	}

	g.call("GetOrganizationUsersIter", "Sort: name, PageSize: 2: every user of every page, the pages after the first fetched ahead of the loop, several at once")
	n := 0
	for u, err := range g.api.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{Sort: arthur.UserSortName, PageSize: 2}) {
		if err != nil {
			return err
		}
		n++
		g.say("%d. %-20s %s", n, name(u), u.UserType)
	}
	return nil
}

func names(users []arthur.User) string {
	s := make([]string, len(users))
	for i, u := range users {
		s[i] = name(u)
	}
	return strings.Join(s, ", ")
}

func (g *guide) patch(ctx context.Context) error {
	g.section("4. Patch: set a value, clear a field to null, keep the rest")
	ada := g.people[0]
	body := arthur.PatchUser{
		FirstName: arthur.Value("Augusta Ada"),
		Picture:   arthur.Null[string](), // sent as null: clears it
		// LastName and Email are unset: left out, kept as they are
	}
	wire, _ := json.Marshal(body)
	g.call("PatchUser", "%s, FirstName: arthur.Value(\"Augusta Ada\"), Picture: arthur.Null[string]()", short(ada.ID))
	g.say("body on the wire: %s", wire)
	u, err := g.api.PatchUser(ctx, ada.ID, body)
	if err != nil {
		return err
	}
	g.say("first_name %q, last_name %s (kept), picture %s (was %s)", u.FirstName, str(u.LastName), str(u.Picture), str(ada.Picture))
	return nil
}

func (g *guide) invite(ctx context.Context) error {
	g.section("5. Invite, then accept as the invited person")
	group := "8d0f2b4c-6e8a-4c1d-b3f5-9a1c3e5f7b9d"
	g.call("PostOrganizationUserInvite", `Email: "hedy@lamarr.example", GroupIDs: [%s]`, short(group))
	if _, err := g.api.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{Email: "hedy@lamarr.example", GroupIDs: []string{group}}); err != nil {
		return err
	}
	g.say("201 Created; the invite waits for Hedy")

	g.call("PostOrganizationUser", "Hedy Lamarr <hedy@lamarr.example>")
	hedy, err := g.api.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: "Hedy", LastName: arthur.Ptr("Lamarr"),
		Email: "hedy@lamarr.example", Password: arthur.Secret(rand.Text())})
	if err != nil {
		return err
	}
	g.say("id %s", short(hedy.ID))
	token, err := g.srv.IssueToken(hedy.ID) // the fake signs Hedy in; a real backend gets her token from her login
	if err != nil {
		return err
	}
	g.call("AcceptMyInvites", "as Hedy: one client, her token on the call's context with arthur.WithAccessToken")
	if err := g.api.AcceptMyInvites(arthur.WithAccessToken(ctx, token)); err != nil {
		return err
	}
	for _, inv := range g.srv.Invites() {
		g.say("invite for %s: accepted %t", inv.Email, inv.Accepted)
	}
	return nil
}

// serviceAccountClient is a client that signs in with a service account's
// client credentials: it finds the token endpoint through OIDC discovery
// on Host, and gets, caches and renews its own tokens.
func (g *guide) serviceAccountClient(clientID string, secret arthur.Secret) *arthur.UsersV1APIService {
	cfg := arthur.NewConfiguration()
	cfg.Host = g.srv.URL
	cfg.ClientID = clientID
	cfg.ClientSecret = secret
	cfg.HTTPClient = g.hc
	cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
	return arthur.NewAPIClient(cfg).UsersV1API
}

func (g *guide) serviceAccount(ctx context.Context) error {
	g.section("6. Service account: create, sign in with its client credentials, rename")
	g.call("PostOrganizationServiceAccount", `Name: "ci-pipeline"`)
	sa, err := g.api.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: "ci-pipeline"})
	if err != nil {
		return err
	}
	g.sa = sa
	g.say("id %s, client_id %s, client_secret %s (the API shows it this once: store it)",
		short(sa.ID), short(sa.Credentials.ClientID), preview(sa.Credentials.ClientSecret))
	g.say("fmt.Sprint(sa.Credentials.ClientSecret) = %v", sa.Credentials.ClientSecret)

	g.call("GetUsersMe", "as the service account: cfg.ClientID and cfg.ClientSecret, token by OIDC discovery and client_credentials")
	me, err := g.serviceAccountClient(sa.Credentials.ClientID, sa.Credentials.ClientSecret).GetUsersMe(ctx)
	if err != nil {
		return err
	}
	g.say("signed in as %q (%s)", me.FirstName, me.UserType)

	g.call("PatchServiceAccountUser", `%s, Name: arthur.Value("ci-pipeline-prod")`, short(sa.ID))
	u, err := g.api.PatchServiceAccountUser(ctx, sa.ID, arthur.PatchServiceAccountUser{Name: arthur.Value("ci-pipeline-prod")})
	if err != nil {
		return err
	}
	g.say("renamed to %q", u.FirstName)
	return nil
}

func (g *guide) regenerate(ctx context.Context) error {
	g.section("7. Regenerate credentials")
	old := g.sa.Credentials
	g.call("PostUserCreds", "the service account %s", short(g.sa.ID))
	su, err := g.api.PostUserCreds(ctx, g.sa.ID)
	if err != nil {
		return err
	}
	if su.Credentials.ServiceAccount == nil {
		return errors.New("PostUserCreds gave a service account no client credentials")
	}
	fresh := *su.Credentials.ServiceAccount
	g.say("new client_secret %s (shown once); the old one, %s, is retired", preview(fresh.ClientSecret), preview(old.ClientSecret))

	g.call("GetUsersMe", "signing in with the old secret")
	_, err = g.serviceAccountClient(old.ClientID, old.ClientSecret).GetUsersMe(ctx)
	if err == nil {
		return errors.New("the retired client secret still signs in")
	}
	var authErr *arthur.AuthError
	g.say("refused: errors.Is(err, arthur.ErrUnauthorized) = %t, errors.As(err, &authErr) = %t (*arthur.AuthError, step %q)",
		errors.Is(err, arthur.ErrUnauthorized), errors.As(err, &authErr), authStep(authErr))
	g.call("GetUsersMe", "signing in with the new secret")
	me, err := g.serviceAccountClient(fresh.ClientID, fresh.ClientSecret).GetUsersMe(ctx)
	if err != nil {
		return err
	}
	g.say("signed in as %q", me.FirstName)

	grace := g.people[1]
	g.call("PostUserCreds", "a person, %s", name(*grace))
	su, err = g.api.PostUserCreds(ctx, grace.ID)
	if err != nil {
		return err
	}
	if su.Credentials.User == nil {
		return errors.New("PostUserCreds gave a person no password")
	}
	g.say("one-time password %s (shown once)", preview(su.Credentials.User.Password))
	return nil
}

func authStep(e *arthur.AuthError) string {
	if e == nil {
		return ""
	}
	return e.Step
}

func (g *guide) typedErrors(ctx context.Context) error {
	g.section("8. Typed errors")
	ada := g.people[0]
	g.call("PostOrganizationUser", "the email %s again", *ada.Email)
	_, err := g.api.PostOrganizationUser(ctx, arthur.PostEndUser{FirstName: "Ada", Email: *ada.Email, Password: arthur.Secret(rand.Text())})
	var conflict *arthur.ConflictError
	if !errors.As(err, &conflict) {
		return fmt.Errorf("a duplicate email: want a *arthur.ConflictError, got %v", err)
	}
	g.say("*arthur.ConflictError: %s (errors.Is(err, arthur.ErrConflict) = %t)", conflict.Detail, errors.Is(err, arthur.ErrConflict))

	g.call("DeleteUser", `"not-a-uuid"`)
	err = g.api.DeleteUser(ctx, "not-a-uuid")
	var invalid *arthur.HTTPValidationError
	if !errors.As(err, &invalid) {
		return fmt.Errorf("a non-UUID id: want a *arthur.HTTPValidationError, got %v", err)
	}
	for _, v := range invalid.Detail {
		g.say("*arthur.HTTPValidationError: %s", v)
	}
	var apiErr *arthur.APIError
	if errors.As(err, &apiErr) {
		g.say("*arthur.APIError: status %d, request id %s", apiErr.StatusCode, short(apiErr.RequestID))
	}

	err = g.api.DeleteUser(ctx, "")
	var argErr *arthur.ArgumentError
	if errors.As(err, &argErr) {
		g.say("DeleteUser(ctx, \"\") sends nothing: *arthur.ArgumentError: %s %s", argErr.Argument, argErr.Reason)
	}
	return nil
}

func (g *guide) remove(ctx context.Context) error {
	g.section("9. Delete")
	alan := g.people[2]
	g.call("DeleteUser", "%s (%s)", short(alan.ID), name(*alan))
	if err := g.api.DeleteUser(ctx, alan.ID); err != nil {
		return err
	}
	g.say("204 No Content")
	g.call("DeleteUser", "%s again", short(alan.ID))
	err := g.api.DeleteUser(ctx, alan.ID)
	g.say("errors.Is(err, arthur.ErrNotFound) = %t", errors.Is(err, arthur.ErrNotFound))

	g.call("GetOrganizationUsers", "")
	page, err := g.api.GetOrganizationUsers(ctx, nil)
	if err != nil {
		return err
	}
	g.say("%d users left, people and service accounts (the server's default filter)", page.Pagination.TotalRecords)
	return nil
}
