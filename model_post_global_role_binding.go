package arthur

import "strings"

// PostGlobalRoleBinding grants a role on a resource.
type PostGlobalRoleBinding struct {
	// RoleID is the ID of the bound role. Required.
	RoleID string `json:"role_id"`
	// BoundResourceKind is the kind of the bound resource. Required.
	BoundResourceKind BoundResourceKind `json:"bound_resource_kind"`
	// ResourceID is the ID of the bound resource. Required.
	ResourceID string `json:"resource_id"`
}

func (b PostGlobalRoleBinding) validate(op, arg string) error {
	switch {
	case strings.TrimSpace(b.RoleID) == "":
		return argError(op, arg+".RoleID", "is required")
	case b.BoundResourceKind == "":
		return argError(op, arg+".BoundResourceKind", "is required")
	case strings.TrimSpace(b.ResourceID) == "":
		return argError(op, arg+".ResourceID", "is required")
	}
	return nil
}
