package fake

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

// Many clients at once, under -race: every create lands once, every list
// is consistent, and the test tools may be used meanwhile.
func TestConcurrentUse(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv)
	ctx := context.Background()
	const workers, perWorker = 10, 15

	errs := make(chan error, workers*perWorker*4)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				u, err := client.UsersV1API.PostOrganizationUser(ctx, arthur.PostEndUser{
					FirstName: fmt.Sprintf("W%d", w), LastName: arthur.Ptr(fmt.Sprint(i)),
					Email: fmt.Sprintf("w%d.u%d@example.com", w, i), Password: "p"})
				if err != nil {
					errs <- err
					continue
				}
				if _, err := client.UsersV1API.PatchUser(ctx, u.ID, arthur.PatchUser{Picture: arthur.Value("p")}); err != nil {
					errs <- err
				}
				page, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Search: fmt.Sprintf("w%d.", w), PageSize: 1000})
				if err != nil {
					errs <- err
				} else if want := i + 1 - (i+4)/5; page.Pagination.TotalRecords != want || len(page.Records) != want {
					// Only this worker touches its users: it has made i+1
					// and deleted one in five of the earlier ones.
					errs <- fmt.Errorf("worker %d saw %d of its users, want %d", w, page.Pagination.TotalRecords, want)
				}
				if i%5 == 0 {
					if err := client.UsersV1API.DeleteUser(ctx, u.ID); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	// The test tools, meanwhile.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			_ = srv.Users()
			_ = srv.Requests()
			_ = srv.Invites()
			_ = srv.Now()
			srv.SetLatency(0)
			srv.Advance(time.Microsecond)
			if _, err := srv.TryAddUser(arthur.User{FirstName: "side"}); err != nil {
				errs <- err
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}

	deleted := workers * (perWorker / 5)
	users := srv.Users()
	assert.Len(t, users, 1+50+workers*perWorker-deleted)
	seen := map[string]bool{}
	for _, u := range users {
		assert.False(t, seen[u.ID], "IDs are unique")
		seen[u.ID] = true
	}
	page, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{PageSize: 1000})
	require.NoError(t, err)
	assert.Equal(t, len(users), page.Pagination.TotalRecords)
}

func TestConcurrentDuplicateEmailsCreateOneUser(t *testing.T) {
	srv := arthurtest.NewServer(t)
	client := newClient(t, srv, noRetry)
	const n = 20
	results := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := client.UsersV1API.PostOrganizationUser(context.Background(), arthur.PostEndUser{FirstName: "Same", Email: "same@example.com", Password: "p"})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	created, conflicts := 0, 0
	for err := range results {
		switch {
		case err == nil:
			created++
		case assert.ErrorIs(t, err, arthur.ErrConflict):
			conflicts++
		}
	}
	assert.Equal(t, 1, created)
	assert.Equal(t, n-1, conflicts)
	assert.Len(t, srv.Users(), 2)
}
