package arthur

import "strings"

// InviteNewUser is the body of PostOrganizationUserInvite.
type InviteNewUser struct {
	// Email is the invited user's email. Required.
	Email string `json:"email"`
	// RoleBinding is a role to grant the user once they accept. Optional.
	RoleBinding *PostGlobalRoleBinding `json:"role_binding,omitzero"`
	// GroupIDs are groups to add the user to once they accept. Optional.
	GroupIDs []string `json:"group_ids,omitzero"`
}

func (b InviteNewUser) validate(op string) error {
	if strings.TrimSpace(b.Email) == "" {
		return argError(op, "body.Email", "is required")
	}
	if b.RoleBinding != nil {
		return b.RoleBinding.validate(op, "body.RoleBinding")
	}
	return nil
}
