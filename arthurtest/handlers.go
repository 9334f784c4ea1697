package arthurtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
)

var (
	userSortValues   = []string{"name", "email", "created_at", "updated_at"}
	sortOrderValues  = []string{"asc", "desc"}
	userTypeValues   = []string{"user", "data_plane", "service_account"}
	defaultUserTypes = []string{"user", "service_account"}
	resourceKinds    = []string{"organization", "workspace", "project", "data_plane"}
)

// listUsers is get_organization_users.
func (s *Server) listUsers(x *exchange) {
	q := x.r.URL.Query()
	var c checker
	sortBy := c.queryEnum(q, "sort", userSortValues, "name")
	order := c.queryEnum(q, "order", sortOrderValues, "asc")
	types := c.queryEnumList(q, "user_types", userTypeValues, defaultUserTypes)
	search, _ := lastValue(q, "search")
	ids := c.queryUUIDList(q, "user_ids")
	page := c.queryInt(q, "page", 1, 1, -1)
	pageSize := c.queryInt(q, "page_size", 20, 1, 1000)
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}

	search = strings.ToLower(search)
	s.mu.Lock()
	found := make([]arthur.User, 0, len(s.users))
	for _, rec := range s.users {
		u := &rec.user
		if slices.Contains(types, string(u.UserType)) &&
			(len(ids) == 0 || slices.Contains(ids, u.ID)) &&
			(search == "" || matchesSearch(u, search)) {
			found = append(found, cloneUser(*u))
		}
	}
	s.mu.Unlock()

	slices.SortFunc(found, userOrder(sortBy, order == "desc"))
	total := len(found)
	totalPages := (total + pageSize - 1) / pageSize
	records := []arthur.User{}
	if page <= totalPages {
		records = found[(page-1)*pageSize : min(page*pageSize, total)]
	}
	writeModel(x.w, http.StatusOK, arthur.ResourceListUser{Records: records, Pagination: arthur.Pagination{
		Page: page, PageSize: pageSize, TotalPages: totalPages, TotalRecords: total,
	}})
}

// matchesSearch reports whether the lowercased term is in u's first name,
// last name, full name or email, ignoring case.
func matchesSearch(u *arthur.User, term string) bool {
	fields := []string{u.FirstName}
	if u.LastName != nil {
		fields = append(fields, *u.LastName, u.FirstName+" "+*u.LastName)
	}
	if u.Email != nil {
		fields = append(fields, *u.Email)
	}
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), term) {
			return true
		}
	}
	return false
}

// userOrder sorts as the live API's database does: text ignoring case,
// nulls last when ascending (first when descending), and the ID, ascending,
// to break ties.
func userOrder(by string, desc bool) func(a, b arthur.User) int {
	return func(a, b arthur.User) int {
		var c int
		switch by {
		case "email":
			c = compareNullText(a.Email, b.Email)
		case "created_at":
			c = a.CreatedAt.Compare(b.CreatedAt)
		case "updated_at":
			c = a.UpdatedAt.Compare(b.UpdatedAt)
		default: // name
			c = compareText(a.FirstName, b.FirstName)
			if c == 0 {
				c = compareNullText(a.LastName, b.LastName)
			}
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		return c
	}
}

func compareText(a, b string) int {
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

func compareNullText(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return compareText(*a, *b)
}

// createUser is post_organization_user.
func (s *Server) createUser(x *exchange) {
	var c checker
	var in arthur.User
	if v, ok := c.decodeBody(x.r, x.body); ok {
		if obj, ok := c.object(bodyLoc, v); ok {
			if first, ok := c.requiredString(obj, bodyLoc, "first_name"); ok && c.notEmpty(at(bodyLoc, "first_name"), first) {
				in.FirstName = first
			}
			in.LastName = c.optionalString(obj, bodyLoc, "last_name").ptr()
			if email, ok := c.requiredString(obj, bodyLoc, "email"); ok {
				email, _ = c.email(at(bodyLoc, "email"), email)
				in.Email = &email
			}
			if password, ok := c.requiredString(obj, bodyLoc, "password"); ok {
				c.notEmpty(at(bodyLoc, "password"), password)
			}
			in.Picture = c.optionalString(obj, bodyLoc, "picture").ptr()
		}
	}
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}

	s.mu.Lock()
	if _, taken := s.byEmail[strings.ToLower(*in.Email)]; taken {
		s.mu.Unlock()
		writeDetail(x.w, http.StatusConflict, fmt.Sprintf("A user with email %s already exists.", *in.Email))
		return
	}
	rec, _, err := s.addUserLocked(in)
	var out arthur.User
	if err == nil {
		out = cloneUser(rec.user)
	}
	s.mu.Unlock()
	if err != nil {
		writeDetail(x.w, http.StatusInternalServerError, "Internal server error")
		return
	}
	writeModel(x.w, http.StatusOK, out)
}

// createServiceAccount is post_organization_service_account.
func (s *Server) createServiceAccount(x *exchange) {
	var c checker
	var name string
	if v, ok := c.decodeBody(x.r, x.body); ok {
		if obj, ok := c.object(bodyLoc, v); ok {
			if n, ok := c.requiredString(obj, bodyLoc, "name"); ok && c.notEmpty(at(bodyLoc, "name"), n) {
				name = n
			}
		}
	}
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}

	s.mu.Lock()
	rec, secret, err := s.addUserLocked(arthur.User{FirstName: name, UserType: arthur.UserTypeServiceAccount})
	var out arthur.User
	if err == nil {
		out = cloneUser(rec.user)
	}
	s.mu.Unlock()
	if err != nil {
		writeDetail(x.w, http.StatusInternalServerError, "Internal server error")
		return
	}
	created := withUser[arthur.UserServiceAccountCredentials](out)
	created.Credentials = arthur.ServiceAccountCredentials{ClientID: *out.ClientID, ClientSecret: arthur.Secret(secret)}
	writeModel(x.w, http.StatusOK, created)
}

// inviteUser is post_organization_user_invite.
func (s *Server) inviteUser(x *exchange) {
	var c checker
	inv := Invite{InvitedBy: x.caller.user.ID}
	if v, ok := c.decodeBody(x.r, x.body); ok {
		if obj, ok := c.object(bodyLoc, v); ok {
			if email, ok := c.requiredString(obj, bodyLoc, "email"); ok {
				inv.Email, _ = c.email(at(bodyLoc, "email"), email)
			}
			inv.RoleBinding = c.roleBinding(obj["role_binding"], at(bodyLoc, "role_binding"))
			inv.GroupIDs = c.groupIDs(obj["group_ids"], at(bodyLoc, "group_ids"))
		}
	}
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}

	s.mu.Lock()
	inv.CreatedAt = s.stamp()
	s.invites = append(s.invites, inv)
	s.mu.Unlock()
	writeJSON(x.w, http.StatusCreated, nil)
}

// roleBinding reads v, an Optional[PostGlobalRoleBinding] at loc.
func (c *checker) roleBinding(v any, loc []any) *arthur.PostGlobalRoleBinding {
	if v == nil {
		return nil
	}
	obj, ok := c.object(loc, v)
	if !ok {
		return nil
	}
	var rb arthur.PostGlobalRoleBinding
	if v, ok := c.required(obj, loc, "role_id"); ok {
		rb.RoleID, _ = c.uuid(at(loc, "role_id"), v)
	}
	if v, ok := c.required(obj, loc, "bound_resource_kind"); ok {
		kind, _ := c.enum(at(loc, "bound_resource_kind"), v, resourceKinds)
		rb.BoundResourceKind = arthur.BoundResourceKind(kind)
	}
	if v, ok := c.required(obj, loc, "resource_id"); ok {
		rb.ResourceID, _ = c.uuid(at(loc, "resource_id"), v)
	}
	return &rb
}

// groupIDs reads v, an Optional[list[UUID]] at loc.
func (c *checker) groupIDs(v any, loc []any) []string {
	if v == nil {
		return nil
	}
	items, ok := c.list(loc, v)
	if !ok {
		return nil
	}
	ids := make([]string, 0, len(items))
	for i, item := range items {
		if id, ok := c.uuid(at(loc, i), item); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// getMe is get_users_me.
func (s *Server) getMe(x *exchange) {
	s.mu.Lock()
	me := cloneUser(x.caller.user)
	s.mu.Unlock()
	writeModel(x.w, http.StatusOK, me)
}

// acceptInvites is accept_my_invites: the caller's pending invitations, by
// email, become accepted.
func (s *Server) acceptInvites(x *exchange) {
	s.mu.Lock()
	if email := x.caller.user.Email; email != nil {
		now := s.stamp()
		for i := range s.invites {
			inv := &s.invites[i]
			if !inv.Accepted && strings.EqualFold(inv.Email, *email) {
				inv.Accepted, inv.AcceptedAt, inv.AcceptedBy = true, now, x.caller.user.ID
			}
		}
	}
	s.mu.Unlock()
	writeNoContent(x.w)
}

// deleteUser is delete_user.
func (s *Server) deleteUser(x *exchange) {
	var c checker
	id := c.pathUserID(x.userID)
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}
	s.mu.Lock()
	rec, ok := s.users[id]
	if ok {
		s.deleteLocked(rec)
	}
	s.mu.Unlock()
	if !ok {
		writeDetail(x.w, http.StatusNotFound, userNotFound(id))
		return
	}
	writeNoContent(x.w)
}

func userNotFound(id string) string { return fmt.Sprintf("User %s not found.", id) }

// patchUser is patch_user: for each field, absent keeps, null clears and a
// value sets. first_name cannot be cleared.
func (s *Server) patchUser(x *exchange) {
	var c checker
	id := c.pathUserID(x.userID)
	var first, last, email, picture nullable
	if v, ok := c.decodeBody(x.r, x.body); ok {
		if obj, ok := c.object(bodyLoc, v); ok {
			first = c.optionalString(obj, bodyLoc, "first_name")
			if loc := at(bodyLoc, "first_name"); first.set && c.notNull(loc, first) {
				c.notEmpty(loc, first.value)
			}
			last = c.optionalString(obj, bodyLoc, "last_name")
			email = c.optionalString(obj, bodyLoc, "email")
			if email.set && !email.null {
				email.value, _ = c.email(at(bodyLoc, "email"), email.value)
			}
			picture = c.optionalString(obj, bodyLoc, "picture")
		}
	}
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}

	s.mu.Lock()
	rec, status, detail := s.findForPatchLocked(id, arthur.UserTypeUser)
	if status == http.StatusOK && email.set && !email.null {
		if other, taken := s.byEmail[strings.ToLower(email.value)]; taken && other != id {
			status, detail = http.StatusBadRequest, fmt.Sprintf("A user with email %s already exists.", email.value)
		}
	}
	var out arthur.User
	if status == http.StatusOK {
		u := &rec.user
		changed := false
		if first.set && first.value != u.FirstName {
			u.FirstName, changed = first.value, true
		}
		if last.set && !equalPtr(last.ptr(), u.LastName) {
			u.LastName, changed = last.ptr(), true
		}
		if email.set && !equalPtr(email.ptr(), u.Email) {
			s.setEmailLocked(rec, email.ptr())
			changed = true
		}
		if picture.set && !equalPtr(picture.ptr(), u.Picture) {
			u.Picture, changed = picture.ptr(), true
		}
		if changed {
			s.touch(u)
		}
		out = cloneUser(*u)
	}
	s.mu.Unlock()
	if status != http.StatusOK {
		writeDetail(x.w, status, detail)
		return
	}
	writeModel(x.w, http.StatusOK, out)
}

// findForPatchLocked finds the user to patch and checks its type: the
// person patch and the service-account patch each take only their own
// kind. s.mu is held.
func (s *Server) findForPatchLocked(id string, want arthur.UserType) (*record, int, string) {
	rec, ok := s.users[id]
	switch {
	case !ok:
		return nil, http.StatusNotFound, userNotFound(id)
	case rec.user.UserType == want:
		return rec, http.StatusOK, ""
	case rec.user.UserType == arthur.UserTypeServiceAccount:
		return nil, http.StatusBadRequest, fmt.Sprintf(
			"User %s is a service account: change it with PATCH /api/v1/users/%s/service_account.", id, id)
	case want == arthur.UserTypeServiceAccount && rec.user.UserType == arthur.UserTypeUser:
		return nil, http.StatusBadRequest, fmt.Sprintf(
			"User %s is not a service account: change it with PATCH /api/v1/users/%s.", id, id)
	}
	return nil, http.StatusBadRequest, fmt.Sprintf("User %s is a %s user, which cannot be changed.", id, rec.user.UserType)
}

func equalPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// patchServiceAccount is patch_service_account_user: name renames the
// service account (its first_name); absent keeps it, null is refused.
func (s *Server) patchServiceAccount(x *exchange) {
	var c checker
	id := c.pathUserID(x.userID)
	var name nullable
	if v, ok := c.decodeBody(x.r, x.body); ok {
		if obj, ok := c.object(bodyLoc, v); ok {
			name = c.optionalString(obj, bodyLoc, "name")
			if loc := at(bodyLoc, "name"); name.set && c.notNull(loc, name) {
				c.notEmpty(loc, name.value)
			}
		}
	}
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}

	s.mu.Lock()
	rec, status, detail := s.findForPatchLocked(id, arthur.UserTypeServiceAccount)
	var out arthur.User
	if status == http.StatusOK {
		if name.set && name.value != rec.user.FirstName {
			rec.user.FirstName = name.value
			s.touch(&rec.user)
		}
		out = cloneUser(rec.user)
	}
	s.mu.Unlock()
	if status != http.StatusOK {
		writeDetail(x.w, status, detail)
		return
	}
	writeModel(x.w, http.StatusOK, out)
}

// regenerateCredentials is post_user_creds: a service account gets a new
// client secret (the old one stops working at the token endpoint), a
// person a one-time password.
func (s *Server) regenerateCredentials(x *exchange) {
	var c checker
	id := c.pathUserID(x.userID)
	if c.failed() {
		writeValidation(x.w, c.errs)
		return
	}
	s.mu.Lock()
	rec, ok := s.users[id]
	var out arthur.SensitiveUser
	status, detail := http.StatusOK, ""
	switch {
	case !ok:
		status, detail = http.StatusNotFound, userNotFound(id)
	case rec.user.UserType == arthur.UserTypeServiceAccount:
		rec.secret = newSecret()
		out = withUser[arthur.SensitiveUser](rec.user)
		out.Credentials.ServiceAccount = &arthur.ServiceAccountCredentials{ClientID: *rec.user.ClientID, ClientSecret: arthur.Secret(rec.secret)}
	case rec.user.UserType == arthur.UserTypeUser:
		out = withUser[arthur.SensitiveUser](rec.user)
		out.Credentials.User = &arthur.UserCredentials{Password: arthur.Secret(newSecret())}
	default:
		status, detail = http.StatusBadRequest, fmt.Sprintf("User %s is a %s user, whose credentials cannot be regenerated.", id, rec.user.UserType)
	}
	s.mu.Unlock()
	if status != http.StatusOK {
		writeDetail(x.w, status, detail)
		return
	}
	writeModel(x.w, http.StatusOK, out)
}
