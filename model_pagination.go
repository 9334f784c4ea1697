package arthur

import "encoding/json"

// Pagination describes a page of a list.
type Pagination struct {
	// Page is the current page number. Page 1 is the first page.
	Page int `json:"page"`
	// PageSize is the number of records per page.
	PageSize int `json:"page_size"`
	// TotalPages is the total number of pages.
	TotalPages int `json:"total_pages"`
	// TotalRecords is the total number of records across all pages.
	TotalRecords int `json:"total_records"`
}

// UnmarshalJSON requires total_pages and total_records; page and page_size
// take the spec's defaults (1 and 20) when absent.
func (p *Pagination) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	w := struct {
		Page         int  `json:"page"`
		PageSize     int  `json:"page_size"`
		TotalPages   *int `json:"total_pages"`
		TotalRecords *int `json:"total_records"`
	}{Page: 1, PageSize: 20}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	var missing []string
	if w.TotalPages == nil {
		missing = append(missing, "total_pages")
	}
	if w.TotalRecords == nil {
		missing = append(missing, "total_records")
	}
	if len(missing) > 0 {
		return missingFieldsError("Pagination", missing)
	}
	*p = Pagination{Page: w.Page, PageSize: w.PageSize, TotalPages: *w.TotalPages, TotalRecords: *w.TotalRecords}
	return nil
}
