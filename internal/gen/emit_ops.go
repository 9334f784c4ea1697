package main

import (
	"fmt"
	"strconv"
)

// emitOperations writes the operation table: every operation of the spec,
// for the tests and arthurtest.
func (a *api) emitOperations() ([]byte, error) {
	f := newGoFile("optable")
	f.doc = "Package optable lists the operations of api/openapi.json, for the tests and arthurtest, so\n" +
		"that an operation added to the spec reaches them without a hand edit.\n\n" +
		"It is generated with the SDK; see internal/gen."
	f.p("// Operation is one operation of the spec and the SDK method that calls it.")
	f.p("type Operation struct {")
	f.p("\tID      string // the spec's operationId: get_users_me")
	f.p("\tService string // the APIClient field: UsersV1API")
	f.p("\tMethod  string // the SDK method: GetUsersMe")
	f.p("\tHTTP    string // GET")
	f.p("\tPath    string // /api/v1/users/me")
	f.p("\tStatus  int    // the success status")
	f.p("\tErrors  []int  // the error statuses the spec declares")
	f.p("\tAuth    bool   // sends a bearer token")
	f.p("\tBody    string // the request body's model, \"\" for none")
	f.p("\tResult  string // the result's model, \"\" for none")
	f.p("\tSecret  bool   // the result holds credentials")
	f.p("\tPaged   bool   // has an Iter method")
	f.p("}")
	f.p("")
	f.p("// Operations are the spec's operations, by service and method.")
	f.p("var Operations = []Operation{")
	for _, s := range a.services {
		for _, x := range s.ops {
			codes := ""
			for i, e := range x.errors {
				if i > 0 {
					codes += ", "
				}
				codes += strconv.Itoa(e.code)
			}
			body, result := "", ""
			if x.body != nil {
				body = x.body.goName
			}
			if x.result != nil {
				result = x.result.expr()
			} else if x.resultExpr != "" {
				result = x.resultExpr
			}
			f.p("\t{ID: %q, Service: %q, Method: %q, HTTP: %q, Path: %q, Status: %d, Errors: []int{%s}, Auth: %t, Body: %q, Result: %q, Secret: %t, Paged: %t},",
				x.id, s.goName+"API", x.goName, x.method, x.path, x.status, codes, x.auth, body, result, x.secret, x.paged != nil)
		}
	}
	f.p("}")
	return f.bytes()
}

// emitOpConstants writes arthurtest's operation IDs: one constant per
// operation of the spec, named after its SDK method, for FailNext, Handle,
// Respond and Request.Operation.
func (a *api) emitOpConstants() ([]byte, error) {
	f := newGoFile("arthurtest")
	f.p("// Operation IDs of api/openapi.json, one per operation, named after the")
	f.p("// SDK method that calls it. FailNext, Handle and Respond take them, and")
	f.p("// Request.Operation holds them.")
	f.p("const (")
	seen := map[string]string{}
	for i, s := range a.services {
		if i > 0 {
			f.p("")
		}
		f.p("\t// %s", s.goName+"API")
		for _, x := range s.ops {
			if other, dup := seen[x.goName]; dup {
				return nil, fmt.Errorf("operations %s and %s both give the constant Op%s", other, x.id, x.goName)
			}
			seen[x.goName] = x.id
			f.p("\tOp%s = %q // %s %s", x.goName, x.id, x.method, x.path)
		}
	}
	f.p(")")
	return f.bytes()
}
