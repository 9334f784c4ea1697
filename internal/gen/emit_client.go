package main

// emitClient writes api_client.go: the APIClient, with a field per
// service of the spec, and what makes them.
func (a *api) emitClient() ([]byte, error) {
	f := newGoFile("arthur")
	f.p("// APIClient talks to the Arthur API: each field is the service of one tag of the API, with a")
	f.p("// method per operation. Make one with NewAPIClient and share it: it is safe for concurrent use,")
	f.p("// and reusing it reuses connections.")
	f.p("type APIClient struct {")
	for _, s := range a.services {
		f.p("\t// %sAPI holds the %s operations.", s.goName, s.tag)
		f.p("\t%sAPI *%sAPIService", s.goName, s.goName)
	}
	f.p("")
	f.p("\tclientState")
	f.p("}")
	f.p("")
	f.p("// initServices gives c its services, which share c.")
	f.p("func (c *APIClient) initServices() {")
	for _, s := range a.services {
		f.p("\tc.%sAPI = &%sAPIService{client: c}", s.goName, s.goName)
	}
	f.p("}")
	return f.bytes()
}
