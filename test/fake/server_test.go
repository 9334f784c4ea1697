package fake

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestNewServerSeedsAnAdmin(t *testing.T) {
	srv := arthurtest.NewServer(t)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	assert.NotEmpty(t, srv.Token)

	org := srv.Organization()
	assert.Regexp(t, uuid4RE, org.ID)
	assert.Equal(t, "Arthur Test Organization", org.Name)

	me, err := newClient(t, srv).UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	admin, ok := srv.Admin()
	require.True(t, ok)
	assert.Equal(t, admin, *me)
	assert.Equal(t, "Admin", me.FirstName)
	assert.Equal(t, arthur.Ptr("Arthur"), me.LastName)
	assert.Equal(t, arthur.Ptr("admin@example.com"), me.Email)
	assert.Equal(t, arthur.UserTypeUser, me.UserType)
	assert.Equal(t, org.ID, me.OrganizationID)
	assert.Equal(t, org.Name, me.OrganizationName)
	assert.Regexp(t, uuid4RE, me.ID)
	assert.Equal(t, []arthur.User{admin}, srv.Users())
}

func TestClientAndConfigurationAreForTheAdmin(t *testing.T) {
	srv := arthurtest.NewServer(t)
	cfg := srv.Configuration()
	assert.Equal(t, srv.URL, cfg.Host)
	assert.Equal(t, srv.Token, cfg.AccessToken)

	got := srv.Client().GetConfig()
	assert.Equal(t, srv.URL, got.Host)
	assert.Equal(t, srv.Token, got.AccessToken)
	assert.Nil(t, got.HTTPClient, "Client uses the SDK's default HTTP client")
}

func TestAddUserFillsWhatIsMissing(t *testing.T) {
	srv := arthurtest.NewServer(t)
	start := time.Now().Add(-time.Second)
	ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})

	assert.Regexp(t, uuid4RE, ada.ID)
	assert.Equal(t, arthur.UserTypeUser, ada.UserType)
	assert.Equal(t, srv.Organization().ID, ada.OrganizationID)
	assert.Equal(t, srv.Organization().Name, ada.OrganizationName)
	assert.Nil(t, ada.LastName)
	assert.Nil(t, ada.Picture)
	assert.Nil(t, ada.ClientID)
	assert.Nil(t, ada.DataPlaneID)
	assert.True(t, ada.CreatedAt.After(start))
	assert.Equal(t, ada.CreatedAt, ada.UpdatedAt)
	assert.Equal(t, time.UTC, ada.CreatedAt.Location())
	assert.Zero(t, ada.CreatedAt.Nanosecond()%1000, "timestamps are kept to the microsecond")

	got, ok := srv.User(ada.ID)
	require.True(t, ok)
	assert.Equal(t, ada, got)
	got, ok = srv.User(strings.ToUpper(strings.ReplaceAll(ada.ID, "-", "")))
	require.True(t, ok, "User reads any UUID form")
	assert.Equal(t, ada, got)
	_, ok = srv.User(unknownID)
	assert.False(t, ok)
	_, ok = srv.User("nope")
	assert.False(t, ok)

	page, err := newClient(t, srv).UsersV1API.GetOrganizationUsers(context.Background(), &arthur.GetOrganizationUsersParams{Search: "ada"})
	require.NoError(t, err)
	assert.Equal(t, []arthur.User{ada}, page.Records)
}

func TestAddUserKeepsWhatIsGiven(t *testing.T) {
	srv := arthurtest.NewServer(t)
	const id = "0B8E2A4C-1D3F-4A5B-8C7D-9E0F1A2B3C4D"
	created := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("X", 3600))
	updated := created.Add(time.Hour)
	u := srv.AddUser(arthur.User{
		ID: id, FirstName: "Grace", LastName: arthur.Ptr("Hopper"), Email: arthur.Ptr("Grace@Navy.MIL"),
		Picture: arthur.Ptr("https://example.com/g.png"), CreatedAt: created, UpdatedAt: updated,
		OrganizationID: "ignored", OrganizationName: "ignored",
	})
	assert.Equal(t, strings.ToLower(id), u.ID)
	assert.Equal(t, "Grace@navy.mil", *u.Email, "the domain is normalized, as pydantic does")
	assert.Equal(t, time.Date(2024, 5, 6, 6, 8, 9, 123456000, time.UTC), u.CreatedAt)
	assert.Equal(t, time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC), u.UpdatedAt)
	assert.Equal(t, srv.Organization().ID, u.OrganizationID)

	sa := srv.AddUser(arthur.User{FirstName: "robot", UserType: arthur.UserTypeServiceAccount})
	require.NotNil(t, sa.ClientID)
	assert.NotEmpty(t, *sa.ClientID)
	assert.Nil(t, sa.DataPlaneID)

	dp := srv.AddUser(arthur.User{FirstName: "engine", UserType: arthur.UserTypeDataPlane})
	require.NotNil(t, dp.DataPlaneID)
	assert.Regexp(t, uuid4RE, *dp.DataPlaneID)
	assert.Nil(t, dp.ClientID)

	dp2 := srv.AddUser(arthur.User{FirstName: "engine2", UserType: arthur.UserTypeDataPlane, DataPlaneID: arthur.Ptr("{6C8E0A2B-4D6F-1B1C-A3E5-7F9B1D3E5A7C}")})
	assert.Equal(t, "6c8e0a2b-4d6f-1b1c-a3e5-7f9b1d3e5a7c", *dp2.DataPlaneID)

	assert.Len(t, srv.Users(), 5)
}

func TestTryAddUserRefusesBadInput(t *testing.T) {
	srv := arthurtest.NewServer(t)
	srv.AddUser(arthur.User{ID: "0b8e2a4c-1d3f-4a5b-8c7d-9e0f1a2b3c4d", FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
	srv.AddUser(arthur.User{FirstName: "sa", UserType: arthur.UserTypeServiceAccount, ClientID: arthur.Ptr("client-1")})
	cases := map[string]arthur.User{
		"empty first name":        {FirstName: " "},
		"id not a uuid":           {FirstName: "X", ID: "nope"},
		"id not version 4":        {FirstName: "X", ID: "0b8e2a4c-1d3f-1a5b-8c7d-9e0f1a2b3c4d"},
		"id taken":                {FirstName: "X", ID: "0B8E2A4C1D3F4A5B8C7D9E0F1A2B3C4D"},
		"invalid email":           {FirstName: "X", Email: arthur.Ptr("not-an-email")},
		"email taken":             {FirstName: "X", Email: arthur.Ptr("ADA@example.com")},
		"reserved email domain":   {FirstName: "X", Email: arthur.Ptr("x@host.test")},
		"unknown user type":       {FirstName: "X", UserType: "robot"},
		"person with client id":   {FirstName: "X", ClientID: arthur.Ptr("c")},
		"person with data plane":  {FirstName: "X", DataPlaneID: arthur.Ptr(unknownID)},
		"account with data plane": {FirstName: "X", UserType: arthur.UserTypeServiceAccount, DataPlaneID: arthur.Ptr(unknownID)},
		"client id taken":         {FirstName: "X", UserType: arthur.UserTypeServiceAccount, ClientID: arthur.Ptr("client-1")},
		"blank client id":         {FirstName: "X", UserType: arthur.UserTypeServiceAccount, ClientID: arthur.Ptr(" ")},
		"data plane with client":  {FirstName: "X", UserType: arthur.UserTypeDataPlane, ClientID: arthur.Ptr("c")},
		"data plane id not uuid":  {FirstName: "X", UserType: arthur.UserTypeDataPlane, DataPlaneID: arthur.Ptr("dp")},
	}
	for name, u := range cases {
		t.Run(name, func(t *testing.T) {
			before := snapshot(srv)
			got, err := srv.TryAddUser(u)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "arthurtest: AddUser:")
			assert.Zero(t, got)
			unchanged(t, srv, before)
		})
	}
}

func TestAddUserReportsToTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	srv := arthurtest.NewServer(rec)
	got := srv.AddUser(arthur.User{FirstName: ""})
	assert.Zero(t, got)
	require.Len(t, rec.reported(), 1)
	assert.Contains(t, rec.reported()[0], "FirstName must not be empty")
	assert.Len(t, srv.Users(), 1)
}

func TestAddServiceAccountReturnsItsSecret(t *testing.T) {
	srv := arthurtest.NewServer(t)
	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	assert.Equal(t, "ci", sa.FirstName)
	assert.Equal(t, arthur.UserTypeServiceAccount, sa.UserType)
	require.NotNil(t, sa.ClientID)
	assert.Equal(t, *sa.ClientID, sa.Credentials.ClientID)
	assert.NotEmpty(t, sa.Credentials.ClientSecret.Reveal())
	got, ok := srv.User(sa.ID)
	require.True(t, ok)
	assert.Equal(t, sa.User(), got)

	tok := clientCredentialsToken(t, srv, sa.Credentials.ClientID, sa.Credentials.ClientSecret.Reveal())
	me, err := newClient(t, srv).UsersV1API.GetUsersMe(arthur.WithAccessToken(context.Background(), tok))
	require.NoError(t, err)
	assert.Equal(t, sa.ID, me.ID)

	_, err = srv.AddServiceAccount("")
	assert.Error(t, err)
}

func TestIssueTokenActsAsAnotherUser(t *testing.T) {
	srv := arthurtest.NewServer(t)
	ada := srv.AddUser(arthur.User{FirstName: "Ada"})
	tok, err := srv.IssueToken(ada.ID)
	require.NoError(t, err)
	me, err := newClient(t, srv).UsersV1API.GetUsersMe(arthur.WithAccessToken(context.Background(), tok))
	require.NoError(t, err)
	assert.Equal(t, ada, *me)

	_, err = srv.IssueToken(unknownID)
	assert.Error(t, err)
	_, err = srv.IssueToken("nope")
	assert.Error(t, err)
}

func TestOptions(t *testing.T) {
	const orgID = "5f0c1a3e-8b2d-4c6e-9f10-1a2b3c4d5e6f"
	now := time.Date(2025, 1, 2, 3, 4, 5, 678901234, time.UTC)
	var logs bytes.Buffer
	srv := arthurtest.NewServer(t,
		arthurtest.WithOrganization(strings.ToUpper(orgID), "Acme"),
		arthurtest.WithAdmin(arthur.User{FirstName: "Root", Email: arthur.Ptr("root@acme.example")}),
		arthurtest.WithAdminToken("demo-token"),
		arthurtest.WithTokenTTL(1500*time.Millisecond),
		arthurtest.WithNow(now),
		arthurtest.WithAddr("127.0.0.1:0"),
		arthurtest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
	)
	assert.Equal(t, arthurtest.Organization{ID: orgID, Name: "Acme"}, srv.Organization())
	assert.Equal(t, "demo-token", srv.Token)

	me, err := newClient(t, srv).UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Root", me.FirstName)
	assert.Nil(t, me.LastName)
	assert.Equal(t, orgID, me.OrganizationID)
	assert.Equal(t, "Acme", me.OrganizationName)
	assert.Equal(t, now.Truncate(time.Microsecond), me.CreatedAt)
	assert.Equal(t, now, srv.Now())

	sa, err := srv.AddServiceAccount("ci")
	require.NoError(t, err)
	r := tokenRequest(t, srv, "grant_type=client_credentials&client_id="+sa.Credentials.ClientID+"&client_secret="+sa.Credentials.ClientSecret.Reveal(), "")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, string(r.Body), `"expires_in":2`, "the TTL is rounded up to whole seconds")

	assert.Contains(t, logs.String(), "operation=get_users_me")
	assert.Contains(t, logs.String(), "status=200")
	assert.Contains(t, logs.String(), "path=/api/v1/users/me")
}

func TestStartRefusesBadOptions(t *testing.T) {
	cases := map[string]arthurtest.Option{
		"org id not uuid":      arthurtest.WithOrganization("acme", "Acme"),
		"org id not version 4": arthurtest.WithOrganization("5f0c1a3e-8b2d-1c6e-9f10-1a2b3c4d5e6f", "Acme"),
		"org without name":     arthurtest.WithOrganization("", " "),
		"admin without name":   arthurtest.WithAdmin(arthur.User{}),
		"admin bad email":      arthurtest.WithAdmin(arthur.User{FirstName: "A", Email: arthur.Ptr("a")}),
		"token with space":     arthurtest.WithAdminToken("a b"),
		"zero ttl":             arthurtest.WithTokenTTL(0),
		"bad address":          arthurtest.WithAddr("not an address"),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			srv, err := arthurtest.Start(opt)
			require.Error(t, err)
			assert.Nil(t, srv)
			assert.Contains(t, err.Error(), "arthurtest:")
		})
	}
}

func TestStartAndCloseWithoutATest(t *testing.T) {
	srv, err := arthurtest.Start(nil) // a nil Option is ignored
	require.NoError(t, err)
	me, err := newClient(t, srv).UsersV1API.GetUsersMe(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Admin", me.FirstName)

	srv.Close()
	srv.Close() // twice is harmless
	_, err = http.Get(srv.URL + "/api/v1/users/me")
	assert.Error(t, err, "a closed server refuses connections")

	// With no test to report to, misuse is only returned.
	assert.Zero(t, srv.AddUser(arthur.User{}))
	assert.Error(t, srv.FailNext("nope", 1, 500, 0))
}

func TestNewServerFailsTheTestWhenItCannotStart(t *testing.T) {
	rec := &fatalTB{TB: t}
	srv := arthurtest.NewServer(rec, arthurtest.WithAddr("not an address"))
	assert.Nil(t, srv)
	assert.Contains(t, rec.fatal, "listen")
}

// fatalTB records Fatal instead of stopping the test.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Fatal(args ...any) {
	for _, a := range args {
		f.fatal += a.(error).Error()
	}
}

func TestClock(t *testing.T) {
	srv := arthurtest.NewServer(t)
	real := time.Now()
	assert.WithinDuration(t, real, srv.Now(), time.Second, "the clock runs on real time by default")

	srv.Advance(time.Hour)
	assert.WithinDuration(t, real.Add(time.Hour), srv.Now(), time.Second, "Advance moves a running clock")

	stopped := time.Date(2030, 6, 7, 8, 9, 10, 0, time.UTC)
	srv.SetNow(stopped)
	time.Sleep(2 * time.Millisecond)
	assert.Equal(t, stopped, srv.Now(), "SetNow stops the clock")
	u := srv.AddUser(arthur.User{FirstName: "Ada"})
	assert.Equal(t, stopped, u.CreatedAt)

	srv.Advance(90 * time.Second)
	assert.Equal(t, stopped.Add(90*time.Second), srv.Now())
	v := srv.AddUser(arthur.User{FirstName: "Bob"})
	assert.Equal(t, stopped.Add(90*time.Second), v.CreatedAt)

	// The clock is stopped, yet updated_at moves on each change.
	client := newClient(t, srv)
	p1, err := client.UsersV1API.PatchUser(context.Background(), v.ID, arthur.PatchUser{LastName: arthur.Value("B")})
	require.NoError(t, err)
	p2, err := client.UsersV1API.PatchUser(context.Background(), v.ID, arthur.PatchUser{LastName: arthur.Value("C")})
	require.NoError(t, err)
	assert.True(t, p1.UpdatedAt.After(v.UpdatedAt))
	assert.True(t, p2.UpdatedAt.After(p1.UpdatedAt))
	assert.Equal(t, time.Microsecond, p2.UpdatedAt.Sub(p1.UpdatedAt))
	assert.Equal(t, v.CreatedAt, p2.CreatedAt)
}

func TestUsersReturnsCopies(t *testing.T) {
	srv := arthurtest.NewServer(t)
	srv.AddUser(arthur.User{FirstName: "Ada", LastName: arthur.Ptr("Lovelace")})
	users := srv.Users()
	*users[1].LastName = "changed"
	users[1].FirstName = "changed"
	assert.Equal(t, "Lovelace", *srv.Users()[1].LastName)
	assert.Equal(t, "Ada", srv.Users()[1].FirstName)
}
