package arthur

// UserType is the kind of an Arthur user: a person, a data plane (an engine's identity) or a service account.
//
// A value the SDK does not know decodes without error (the server may add
// one); IsValid reports whether the value is one of the constants below.
type UserType string

// The values of UserType.
const (
	UserTypeUser           UserType = "user"
	UserTypeDataPlane      UserType = "data_plane"
	UserTypeServiceAccount UserType = "service_account"
)

// AllUserTypeValues lists every UserType the SDK knows, in the spec's order.
var AllUserTypeValues = []UserType{UserTypeUser, UserTypeDataPlane, UserTypeServiceAccount}

// IsValid reports whether v is one of the known UserType values.
func (v UserType) IsValid() bool {
	switch v {
	case UserTypeUser, UserTypeDataPlane, UserTypeServiceAccount:
		return true
	}
	return false
}
