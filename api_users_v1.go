package arthur

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// GetOrganizationUsersParams are the query parameters of
// GetOrganizationUsers. A zero field is not sent, so the server's default
// applies: sort by name, ascending, page 1, 20 per page, people and service
// accounts. A nil *GetOrganizationUsersParams means all defaults.
type GetOrganizationUsersParams struct {
	// Sort is the field to sort by.
	Sort UserSort
	// Order is the sort direction.
	Order SortOrder
	// UserTypes limits the results to these user types, sent as repeated
	// user_types keys.
	UserTypes []UserType
	// Search matches users by name or email.
	Search string
	// UserIDs limits the results to these user IDs, sent as repeated
	// user_ids keys.
	UserIDs []string
	// Page is the page to return, from 1 to total_pages.
	Page int
	// PageSize is the number of records per page, from 1 to 1000.
	PageSize int
}

// encode validates p and returns its query string.
func (p *GetOrganizationUsersParams) encode(op string) (string, error) {
	if p == nil {
		return "", nil
	}
	if p.Page < 0 {
		return "", argError(op, "params.Page", "must not be negative, got "+strconv.Itoa(p.Page))
	}
	if p.PageSize < 0 || p.PageSize > 1000 {
		return "", argError(op, "params.PageSize", "must be between 1 and 1000, got "+strconv.Itoa(p.PageSize))
	}
	q := make(url.Values, 7)
	if p.Sort != "" {
		q.Set("sort", string(p.Sort))
	}
	if p.Order != "" {
		q.Set("order", string(p.Order))
	}
	for i, t := range p.UserTypes {
		if t == "" {
			return "", argError(op, "params.UserTypes["+strconv.Itoa(i)+"]", "must not be empty")
		}
		q.Add("user_types", string(t))
	}
	if p.Search != "" {
		q.Set("search", p.Search)
	}
	for i, id := range p.UserIDs {
		if strings.TrimSpace(id) == "" {
			return "", argError(op, "params.UserIDs["+strconv.Itoa(i)+"]", "must not be empty")
		}
		q.Add("user_ids", id)
	}
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(p.PageSize))
	}
	return q.Encode(), nil
}

// userPath checks a user ID and returns the escaped path under
// /api/v1/users/. An ID must be one path segment: a "/" is refused rather
// than escaped, since servers and proxies that decode %2F would route
// "<id>/credentials" to another operation, or a 404 that reads as "no
// such user".
func userPath(op, userID, suffix string) (string, error) {
	switch strings.TrimSpace(userID) {
	case "":
		return "", argError(op, "userID", "must not be empty")
	case ".", "..":
		return "", argError(op, "userID", "is not a user ID: "+strconv.Quote(userID))
	}
	if strings.Contains(userID, "/") {
		return "", argError(op, "userID", "must not contain \"/\": "+strconv.Quote(userID))
	}
	return "/api/v1/users/" + url.PathEscape(userID) + suffix, nil
}

// result runs cl and returns the decoded T.
func result[T any](ctx context.Context, c *APIClient, cl *call) (*T, error) {
	out := new(T)
	if err := c.do(ctx, cl, out); err != nil {
		return nil, err
	}
	return out, nil
}

// withBody writes body into cl.
func withBody(cl *call, body wireEncodable) *call {
	cl.body = marshalWire(body)
	return cl
}

// AcceptMyInvites accepts every pending invite of the calling user.
//
// Operation accept_my_invites: POST /api/v1/users/me/accept-invite (204).
func (s *UsersV1APIService) AcceptMyInvites(ctx context.Context) error {
	return s.apiClient().do(ctx, &call{op: "AcceptMyInvites", method: http.MethodPost, path: "/api/v1/users/me/accept-invite"}, nil)
}

// DeleteUser deletes a user.
//
// Operation delete_user: DELETE /api/v1/users/{user_id} (204). A user that
// does not exist answers ErrNotFound.
func (s *UsersV1APIService) DeleteUser(ctx context.Context, userID string) error {
	const op = "DeleteUser"
	path, err := userPath(op, userID, "")
	if err != nil {
		return err
	}
	return s.apiClient().do(ctx, &call{op: op, method: http.MethodDelete, path: path}, nil)
}

// GetOrganizationUsers returns one page of the organization's users.
// GetOrganizationUsersIter returns them all.
//
// Operation get_organization_users: GET /api/v1/organization/users.
func (s *UsersV1APIService) GetOrganizationUsers(ctx context.Context, params *GetOrganizationUsersParams) (*ResourceListUser, error) {
	return s.getOrganizationUsers(ctx, params, nil)
}

// getOrganizationUsers is GetOrganizationUsers, calling received (when
// set) once the page's body is in memory and only decoding is left.
func (s *UsersV1APIService) getOrganizationUsers(ctx context.Context, params *GetOrganizationUsersParams, received func()) (*ResourceListUser, error) {
	const op = "GetOrganizationUsers"
	q, err := params.encode(op)
	if err != nil {
		return nil, err
	}
	return result[ResourceListUser](ctx, s.apiClient(), &call{op: op, method: http.MethodGet,
		path: "/api/v1/organization/users", query: q, model: "ResourceList[User]", received: received})
}

// GetOrganizationUsersIter returns every user that GetOrganizationUsers
// finds with params, across all pages, in order, starting at params.Page
// (or 1).
//
// It works on a copy of params. Once the first page has told how many
// pages there are (total_pages), it fetches the others concurrently,
// Configuration.PageConcurrency requests at a time (8 by default, 64 at
// most), sending them in page order so that the page the loop needs next
// never waits behind later ones, and yields their records in page order;
// memory holds at most twice that many pages. It stops fetching as soon
// as the loop breaks, ctx ends or a page fails. A failure is yielded once,
// with a zero User, after the records of the pages before it, and ends the
// sequence. Once ctx has ended, the next value yielded is that failure,
// matching ctx.Err() through errors.Is, not the records already in memory.
// Pages are fetched independently, so a list that changes while it is
// walked may show a user twice or not at all.
//
//	for u, err := range client.UsersV1API.GetOrganizationUsersIter(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(u.ID)
//	}
func (s *UsersV1APIService) GetOrganizationUsersIter(ctx context.Context, params *GetOrganizationUsersParams) iter.Seq2[User, error] {
	var p GetOrganizationUsersParams
	if params != nil {
		p = *params
		p.UserTypes = slices.Clone(params.UserTypes)
		p.UserIDs = slices.Clone(params.UserIDs)
	}
	return func(yield func(User, error) bool) {
		p := p // each range over the sequence starts afresh
		if p.Page == 0 {
			p.Page = 1
		}
		first, err := s.GetOrganizationUsers(ctx, &p)
		if err != nil {
			yield(User{}, err)
			return
		}
		s.yieldPages(ctx, p, first, yield)
	}
}

// yieldPages yields the records of first, the page at p.Page, and of the
// pages after it up to total_pages, in page order. At most
// Configuration.PageConcurrency requests are on the wire at once, and
// places on the wire go to pages strictly in page order, so the page the
// loop needs next is never queued behind later ones: a request gives its
// place to the next page as soon as its body has arrived, while it is
// decoded. At most twice that many pages are fetched ahead of the loop
// (one, with PageConcurrency 1), and never past total_pages, which bounds
// memory. The fetches start before first's records are yielded, so a slow
// loop overlaps them. Once ctx ends, the loop gets its error next, not the
// records in memory.
func (s *UsersV1APIService) yieldPages(ctx context.Context, p GetOrganizationUsersParams, first *ResourceListUser, yield func(User, error) bool) {
	left := 0 // pages after p.Page that are still to be fetched
	if last := first.Pagination.TotalPages; last > p.Page && len(first.Records) > 0 {
		left = last - p.Page // an empty first page ends the list
	}
	if left == 0 {
		yieldRecords(ctx, first.Records, yield)
		return
	}
	ahead := 2 * s.client.pages
	if s.client.pages == 1 {
		ahead = 1 // one page after another, none read ahead but the next
	}
	ahead = min(ahead, left)

	type fetch struct {
		params GetOrganizationUsersParams
		result chan pageResult
	}
	fetchCtx, cancel := context.WithCancel(ctx)
	queue := make(chan fetch, ahead)             // in page order
	wire := make(chan struct{}, s.client.pages)  // a place on the wire
	pending := make([]chan pageResult, 0, ahead) // in page order
	var wg sync.WaitGroup
	defer func() {
		cancel() // stops the fetches still in flight
		close(queue)
		wg.Wait()
	}()
	// One goroutine hands out the places on the wire, to the queued pages
	// in the order they were queued; fetches that raced each other for a
	// place could let later pages take every place while the page the loop
	// needs next waits.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for f := range queue {
			if fetchCtx.Err() == nil {
				select {
				case wire <- struct{}{}:
					wg.Add(1)
					go func() {
						defer wg.Done()
						var once sync.Once
						leave := func() { once.Do(func() { <-wire }) }
						page, err := s.getOrganizationUsers(fetchCtx, &f.params, leave)
						leave()
						f.result <- pageResult{page, err}
					}()
					continue
				case <-fetchCtx.Done():
				}
			}
			f.result <- pageResult{nil, fetchCtx.Err()}
		}
	}()
	queued := 0
	enqueue := func() {
		queued++
		q := p
		q.Page = p.Page + queued // at most total_pages: no overflow
		ch := make(chan pageResult, 1)
		pending = append(pending, ch)
		queue <- fetch{q, ch}
	}
	for queued < ahead {
		enqueue()
	}
	if !yieldRecords(ctx, first.Records, yield) {
		return
	}
	done := ctx.Done()
	for len(pending) > 0 {
		var r pageResult
		select {
		case r = <-pending[0]:
		case <-done:
		}
		if err := ctx.Err(); err != nil {
			yield(User{}, iterCtxError(err))
			return
		}
		pending = pending[1:]
		if r.err != nil {
			yield(User{}, r.err)
			return
		}
		if len(r.page.Records) == 0 {
			return // the list shrank: the pages after this one are empty too
		}
		if !yieldRecords(ctx, r.page.Records, yield) {
			return
		}
		if queued < left {
			enqueue()
		}
	}
}

// pageResult is a page that GetOrganizationUsersIter fetched, or why not.
type pageResult struct {
	page *ResourceListUser
	err  error
}

// yieldRecords yields records in order until the loop breaks or ctx ends,
// checking ctx before each one: once it has ended, its error is yielded
// instead of the records left. It reports whether the loop goes on.
func yieldRecords(ctx context.Context, records []User, yield func(User, error) bool) bool {
	done := ctx.Done()
	for i := range records {
		select {
		case <-done:
			yield(User{}, iterCtxError(ctx.Err()))
			return false
		default:
		}
		if !yield(records[i], nil) {
			return false
		}
	}
	return true
}

// iterCtxError is the error GetOrganizationUsersIter yields once its ctx
// has ended, worded as the pages' own errors are.
func iterCtxError(err error) error {
	return ctxError(&call{op: "GetOrganizationUsers", method: http.MethodGet, path: "/api/v1/organization/users"}, err, nil)
}

// GetUsersMe returns the calling user.
//
// Operation get_users_me: GET /api/v1/users/me.
func (s *UsersV1APIService) GetUsersMe(ctx context.Context) (*User, error) {
	return result[User](ctx, s.apiClient(), &call{op: "GetUsersMe", method: http.MethodGet,
		path: "/api/v1/users/me", model: "User"})
}

// PatchServiceAccountUser changes a service account: set body.Name to rename it.
//
// Operation patch_service_account_user:
// PATCH /api/v1/users/{user_id}/service_account.
func (s *UsersV1APIService) PatchServiceAccountUser(ctx context.Context, userID string, body PatchServiceAccountUser) (*User, error) {
	const op = "PatchServiceAccountUser"
	path, err := userPath(op, userID, "/service_account")
	if err != nil {
		return nil, err
	}
	cl := withBody(&call{op: op, method: http.MethodPatch, path: path, model: "User"}, body)
	return result[User](ctx, s.apiClient(), cl)
}

// PatchUser changes a person's fields. Unset fields of body are kept, null
// ones cleared, and set ones changed.
//
// Operation patch_user: PATCH /api/v1/users/{user_id}.
func (s *UsersV1APIService) PatchUser(ctx context.Context, userID string, body PatchUser) (*User, error) {
	const op = "PatchUser"
	path, err := userPath(op, userID, "")
	if err != nil {
		return nil, err
	}
	cl := withBody(&call{op: op, method: http.MethodPatch, path: path, model: "User"}, body)
	return result[User](ctx, s.apiClient(), cl)
}

// PostOrganizationServiceAccount creates a service account. The result holds
// its client secret, which the API shows this once: store it.
//
// Operation post_organization_service_account:
// POST /api/v1/organization/service_accounts.
func (s *UsersV1APIService) PostOrganizationServiceAccount(ctx context.Context, body PostServiceAccount) (*UserServiceAccountCredentials, error) {
	const op = "PostOrganizationServiceAccount"
	if err := body.validate(op); err != nil {
		return nil, err
	}
	cl := withBody(&call{op: op, method: http.MethodPost, path: "/api/v1/organization/service_accounts",
		model: "UserServiceAccountCredentials", secret: true}, body)
	return result[UserServiceAccountCredentials](ctx, s.apiClient(), cl)
}

// PostOrganizationUser creates a person in the organization. An email that
// is already taken answers ErrConflict.
//
// Operation post_organization_user: POST /api/v1/organization/users.
func (s *UsersV1APIService) PostOrganizationUser(ctx context.Context, body PostEndUser) (*User, error) {
	const op = "PostOrganizationUser"
	if err := body.validate(op); err != nil {
		return nil, err
	}
	cl := withBody(&call{op: op, method: http.MethodPost, path: "/api/v1/organization/users", model: "User"}, body)
	return result[User](ctx, s.apiClient(), cl)
}

// PostOrganizationUserInvite invites a person by email, optionally granting
// a role and groups once they accept. The API answers 201 with a body it
// does not describe: the result is that body as a map, or nil when it is
// null or empty.
//
// Operation post_organization_user_invite:
// POST /api/v1/organization/users/invite-user (201).
func (s *UsersV1APIService) PostOrganizationUserInvite(ctx context.Context, body InviteNewUser) (map[string]any, error) {
	const op = "PostOrganizationUserInvite"
	if err := body.validate(op); err != nil {
		return nil, err
	}
	cl := withBody(&call{op: op, method: http.MethodPost, path: "/api/v1/organization/users/invite-user",
		model: "object", allowNull: true}, body)
	out, err := result[map[string]any](ctx, s.apiClient(), cl)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// PostUserCreds issues new credentials for a user, retiring the old ones: a
// new client secret for a service account, a one-time password for a
// person. The API shows them this once.
//
// Operation post_user_creds: POST /api/v1/users/{user_id}/credentials.
func (s *UsersV1APIService) PostUserCreds(ctx context.Context, userID string) (*SensitiveUser, error) {
	const op = "PostUserCreds"
	path, err := userPath(op, userID, "/credentials")
	if err != nil {
		return nil, err
	}
	return result[SensitiveUser](ctx, s.apiClient(), &call{op: op, method: http.MethodPost, path: path,
		model: "SensitiveUser", secret: true})
}
