package fake

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func TestSeedUsers(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	a := arthurtest.NewServer(t, arthurtest.WithNow(now))
	b := arthurtest.NewServer(t)
	ua, err := arthurtest.SeedUsers(a, 45)
	require.NoError(t, err)
	ub, err := arthurtest.SeedUsers(b, 45)
	require.NoError(t, err)
	require.Len(t, ua, 45)

	emails := map[string]bool{}
	for i, u := range ua {
		assert.Equal(t, u.FirstName, ub[i].FirstName, "the same names every time")
		assert.Equal(t, *u.Email, *ub[i].Email)
		assert.NotNil(t, u.LastName)
		assert.False(t, emails[*u.Email], "emails are unique")
		emails[*u.Email] = true
		assert.Equal(t, now.Add(-time.Duration(44-i)*time.Minute), u.CreatedAt)
	}
	assert.Equal(t, "Ada", ua[0].FirstName)
	assert.Equal(t, "ada.lovelace@example.com", *ua[0].Email)
	assert.Len(t, a.Users(), 46)

	more, err := arthurtest.SeedUsers(a, 3)
	require.NoError(t, err, "seeding twice finds free emails")
	assert.Len(t, more, 3)

	none, err := arthurtest.SeedUsers(a, -1)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestSeedDemo(t *testing.T) {
	srv := arthurtest.NewServer(t)
	require.NoError(t, arthurtest.SeedDemo(srv))
	count := map[arthur.UserType]int{}
	for _, u := range srv.Users() {
		count[u.UserType]++
	}
	assert.Equal(t, map[arthur.UserType]int{arthur.UserTypeUser: 25, arthur.UserTypeServiceAccount: 2, arthur.UserTypeDataPlane: 1}, count)

	page, err := newClient(t, srv).UsersV1API.GetOrganizationUsers(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 27, page.Pagination.TotalRecords, "the data plane is not listed by default")
}
