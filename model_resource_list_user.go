package arthur

import "encoding/json"

// ResourceListUser is one page of users (the spec's ResourceList[User]).
type ResourceListUser struct {
	// Records are the users on this page.
	Records []User `json:"records"`
	// Pagination tells where this page sits among all pages.
	Pagination Pagination `json:"pagination"`
}

// UnmarshalJSON requires records and pagination.
func (r *ResourceListUser) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var w struct {
		Records    *[]User     `json:"records"`
		Pagination *Pagination `json:"pagination"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	var missing []string
	if w.Records == nil {
		missing = append(missing, "records")
	}
	if w.Pagination == nil {
		missing = append(missing, "pagination")
	}
	if len(missing) > 0 {
		return missingFieldsError("ResourceList[User]", missing)
	}
	r.Records, r.Pagination = *w.Records, *w.Pagination
	return nil
}
