package arthur

// UserSort is the field GetOrganizationUsers sorts by. The server's default is name.
//
// A value the SDK does not know decodes without error (the server may add
// one); IsValid reports whether the value is one of the constants below.
type UserSort string

// The values of UserSort.
const (
	UserSortName      UserSort = "name"
	UserSortEmail     UserSort = "email"
	UserSortCreatedAt UserSort = "created_at"
	UserSortUpdatedAt UserSort = "updated_at"
)

// AllUserSortValues lists every UserSort the SDK knows, in the spec's order.
var AllUserSortValues = []UserSort{UserSortName, UserSortEmail, UserSortCreatedAt, UserSortUpdatedAt}

// IsValid reports whether v is one of the known UserSort values.
func (v UserSort) IsValid() bool {
	switch v {
	case UserSortName, UserSortEmail, UserSortCreatedAt, UserSortUpdatedAt:
		return true
	}
	return false
}
