package arthur

// PatchUser is the body of PatchUser. Each field is a Nullable: leave it
// unset to keep the current value, set it to Null to clear it, or to Value
// to change it.
//
//	arthur.PatchUser{FirstName: arthur.Value("Ada"), Picture: arthur.Null[string]()}
//
// sends {"first_name":"Ada","picture":null}.
type PatchUser struct {
	// FirstName is the user's first name. The server refuses null.
	FirstName Nullable[string] `json:"first_name,omitzero"`
	// LastName is the user's last name.
	LastName Nullable[string] `json:"last_name,omitzero"`
	// Email is the user's email.
	Email Nullable[string] `json:"email,omitzero"`
	// Picture is a URL to the user's profile picture.
	Picture Nullable[string] `json:"picture,omitzero"`
}
