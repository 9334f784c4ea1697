package arthur

// SortOrder is the direction of a sort. The server's default is asc.
//
// A value the SDK does not know decodes without error (the server may add
// one); IsValid reports whether the value is one of the constants below.
type SortOrder string

// The values of SortOrder.
const (
	SortOrderAsc  SortOrder = "asc"
	SortOrderDesc SortOrder = "desc"
)

// AllSortOrderValues lists every SortOrder the SDK knows, in the spec's order.
var AllSortOrderValues = []SortOrder{SortOrderAsc, SortOrderDesc}

// IsValid reports whether v is one of the known SortOrder values.
func (v SortOrder) IsValid() bool {
	switch v {
	case SortOrderAsc, SortOrderDesc:
		return true
	}
	return false
}
