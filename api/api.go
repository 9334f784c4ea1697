// Package api holds the documents the SDK is generated from, for the code
// that reads them at run time (arthurtest).
package api

import _ "embed"

// OpenAPI is api/openapi.json, the OpenAPI 3.1 document of the Arthur
// platform that the SDK is generated from.
//
//go:embed openapi.json
var OpenAPI []byte

// Overrides is api/overrides.json, the generator's corrections to the
// document: names, docs, and the unions a sibling property tells apart.
//
//go:embed overrides.json
var Overrides []byte
