package arthur

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
	return decodeWith(data, func(w *wireDecoder) error { return w.pagination(p) })
}
