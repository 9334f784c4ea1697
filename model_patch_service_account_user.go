package arthur

// PatchServiceAccountUser is the body of PatchServiceAccountUser. Leave Name
// unset to keep the current name, or set it with arthur.Value.
type PatchServiceAccountUser struct {
	// Name is the name of the service account user. The server refuses null.
	Name Nullable[string] `json:"name,omitzero"`
}
