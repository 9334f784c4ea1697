package arthur

// BoundResourceKind is the kind of resource a role binding applies to.
//
// A value the SDK does not know decodes without error (the server may add
// one); IsValid reports whether the value is one of the constants below.
type BoundResourceKind string

// The values of BoundResourceKind.
const (
	BoundResourceKindOrganization BoundResourceKind = "organization"
	BoundResourceKindWorkspace    BoundResourceKind = "workspace"
	BoundResourceKindProject      BoundResourceKind = "project"
	BoundResourceKindDataPlane    BoundResourceKind = "data_plane"
)

// AllBoundResourceKindValues lists every BoundResourceKind the SDK knows, in the spec's order.
var AllBoundResourceKindValues = []BoundResourceKind{BoundResourceKindOrganization, BoundResourceKindWorkspace, BoundResourceKindProject, BoundResourceKindDataPlane}

// IsValid reports whether v is one of the known BoundResourceKind values.
func (v BoundResourceKind) IsValid() bool {
	switch v {
	case BoundResourceKindOrganization, BoundResourceKindWorkspace, BoundResourceKindProject, BoundResourceKindDataPlane:
		return true
	}
	return false
}
