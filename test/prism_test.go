package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
	"github.com/arthur-sdk/arthur-go/internal/optable"
	"github.com/arthur-sdk/arthur-go/test/internal/oas"
	"github.com/arthur-sdk/arthur-go/test/internal/synth"
)

// How many calls TestPrism makes of each operation against the mock:
// successes, and answers of each declared error status.
const (
	prismSuccesses = 5
	prismErrors    = 2
)

// prismStripped are the operations whose success answer holds a required
// writeOnly property. Prism leaves writeOnly properties out of what it
// generates, as OpenAPI 3.0 has a server do, although api/openapi.json is
// a 3.1 document whose answers carry them (it leaves them in the branches
// of a union, post_user_creds' credentials). The SDK refuses such an
// answer, and must refuse it with exactly this error: a
// *arthur.DecodeError naming the missing properties, one of the messages
// listed. An answer that has them is checked as any other. The list is
// checked against the spec.
var prismStripped = map[string][]string{
	"get_task_connection_info":          {"TaskValidationAPIKey: missing required field(s) key"},
	"put_task_connection_info":          {"TaskValidationAPIKey: missing required field(s) key"},
	"post_data_plane":                   {"SensitiveDataPlane: missing required field(s) client_id, client_secret"},
	"post_data_plane_cred_set":          {"SensitiveDataPlane: missing required field(s) client_id, client_secret"},
	"post_organization_service_account": {"ServiceAccountCredentials: missing required field(s) client_secret"},
	"post_user_creds": {
		"ServiceAccountCredentials: missing required field(s) client_secret",
		"UserCredentials: missing required field(s) password",
	},
}

// prismTries bounds the calls made for one check where Prism itself
// fails: json-schema-faker 0.5.8 (inside Prism 5.14.2) throws "Cannot read
// properties of undefined (reading 'items')" on some of the values it
// makes for the custom aggregation, metric function and available dataset
// schemas, and
// Prism answers a 500 of type .../prism/errors#UNKNOWN. A call so answered
// is made again, and counted.
const prismTries = 50

// TestPrism checks the SDK against Stoplight Prism, a mock server and
// validating proxy that the project did not write, run on api/openapi.json.
// It runs under make conformance, which installs Prism and names its
// binary in ARTHUR_PRISM; without it the test is skipped.
//
// Against prism mock --dynamic (random answers, valid by the spec but where
// Prism says otherwise) it calls
// every operation of the operation table: each request must pass Prism's
// validation, each success answer must decode and write back to the same
// value, and each declared error status, asked for with Prefer: code=N,
// must give an *arthur.APIError with its typed model. Through prism proxy
// --errors in front of arthurtest it runs a scenario per service, the
// scenarios calling every operation between them: no request of the SDK
// and no answer of arthurtest may violate the spec.
func TestPrism(t *testing.T) {
	bin := os.Getenv("ARTHUR_PRISM")
	if bin == "" {
		t.Skip("ARTHUR_PRISM names no Prism binary: make conformance runs this test")
	}
	t.Run("mock", func(t *testing.T) { testPrismMock(t, bin) })
	t.Run("proxy", func(t *testing.T) { testPrismProxy(t, bin) })
}

// prismCounts is what TestPrism checked, for its log.
type prismCounts struct {
	mu                              sync.Mutex
	operations, successes, failures int
	stripped, refused, unpaired     int
	checks, failed                  int
	crashes, invalid, invalidOK     int
}

func (n *prismCounts) add(f func(n *prismCounts)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	f(n)
}

// check counts one call checked, and a failed one when t has failed at
// its end.
func (n *prismCounts) check(t *testing.T) {
	n.add(func(n *prismCounts) { n.checks++ })
	t.Cleanup(func() {
		if t.Failed() {
			n.add(func(n *prismCounts) { n.failed++ })
		}
	})
}

func testPrismMock(t *testing.T, bin string) {
	contract := oas.MustLoad(t)
	ops := contractOperations(t, contract.Doc)
	siblings, secrets := readOverrides(t, contract.Doc)
	assert.Equal(t, strippedOperations(ops), slices.Sorted(maps.Keys(prismStripped)),
		"prismStripped: the operations whose answer holds a required writeOnly property")

	base := startPrism(t, bin, "mock", "--dynamic", "api/openapi.json")
	tr := freshTransport(t)
	t.Run("flags a bad request", func(t *testing.T) { checkPrismFlags(t, newPrismClient(base, tr, testToken)) })
	var n prismCounts
	for _, op := range optable.Operations {
		t.Run(op.ID, func(t *testing.T) {
			co, ok := ops[op.ID]
			require.True(t, ok, "operation %s of the table is not in the spec", op.ID)
			c := &conformance{op: op, co: co, n: &conformanceCounts{}, siblings: siblings, secrets: secrets, tally: &synth.Tally{}}
			c.bind(t)
			n.add(func(n *prismCounts) { n.operations++ })
			for v := range prismSuccesses {
				t.Run(fmt.Sprintf("ok/%d", v), func(t *testing.T) { prismSuccess(t, c, base, tr, v, &n) })
			}
			for _, status := range op.Errors {
				for v := range prismErrors {
					t.Run(fmt.Sprintf("%d/%d", status, v), func(t *testing.T) {
						prismFailure(t, c, base, tr, status, v, &n)
					})
				}
			}
		})
	}
	t.Logf("prism mock: %d operations; %d checks (%d successes, %d error answers), %d failed; "+
		"%d answers without the writeOnly properties Prism leaves out, refused as listed; "+
		"%d answers whose union Prism made up apart from its sibling tag, refused as such; "+
		"%d answers the SDK refuses as DESIGN.md allows (an untyped result it types as map[string]any); "+
		"%d answers that break the spec by Prism's own validator (%d of them decoded and written back all the same, the others refused); "+
		"%d calls made again after Prism failed (prismTries)",
		n.operations, n.checks, n.successes, n.failures, n.failed, n.stripped, n.unpaired, n.refused, n.invalid, n.invalidOK, n.crashes)
}

// prismSuccess makes call v of c's operation and checks the answer that
// Prism made up.
func prismSuccess(t *testing.T, c *conformance, base string, tr http.RoundTripper, v int, n *prismCounts) {
	n.check(t)
	n.add(func(n *prismCounts) { n.successes++ })
	outs, ans, err := prismCall(t, c, base, tr, "", v, v%2 == 0, n)
	if want, ok := prismStripped[c.op.ID]; ok && err != nil {
		var de *arthur.DecodeError
		require.ErrorAs(t, err, &de, "answer %d %s", ans.status, ans.body)
		assert.Contains(t, want, de.Err.Error(), "the answer lacks the writeOnly properties Prism leaves out, and nothing else: %s", ans.body)
		n.add(func(n *prismCounts) { n.stripped++ })
		return
	}
	if c.co.result != nil && err != nil && ans.status == c.op.Status {
		var want any
		require.NoError(t, json.Unmarshal(ans.body, &want), "answer %s", ans.body)
		if models := unpaired(c.co.result, want, c.siblings); len(models) > 0 {
			// The spec does not tie a union to its sibling tag (the
			// overrides do), and Prism makes up each on its own: the
			// SDK decodes the union as the branch the tag names, which
			// refuses it.
			var de *arthur.DecodeError
			require.ErrorAs(t, err, &de, "answer %s", ans.body)
			assert.True(t, slices.ContainsFunc(models, func(m string) bool { return strings.HasPrefix(de.Err.Error(), m+": ") }),
				"the SDK refuses the answer as a %s, as its tag says, and for nothing else: %v\nanswer %s", models, err, ans.body)
			n.add(func(n *prismCounts) { n.unpaired++ })
			return
		}
	}
	if len(ans.invalid) > 0 {
		// An answer that breaks the spec: the SDK may refuse it, as a
		// DecodeError; if it takes it, it must write it back faithfully.
		n.add(func(n *prismCounts) { n.invalid++ })
		if err != nil {
			var de *arthur.DecodeError
			require.ErrorAs(t, err, &de, "an answer that breaks the spec (%s): %s", ans.invalid, ans.body)
			return
		}
		n.add(func(n *prismCounts) { n.invalidOK++ })
	}
	if slices.Contains(c.co.empty, ans.status) {
		// Another success status, without a body (post_dequeue_job's
		// 204): no result, and no error.
		require.NoError(t, err, "answer %d", ans.status)
		for _, o := range outs {
			assert.True(t, o.IsZero(), "the result of a %d: %v", ans.status, o)
		}
		return
	}
	require.Equal(t, c.op.Status, ans.status, "status; answer %s", ans.body)
	if c.result == nil {
		require.NoError(t, err)
		return
	}
	var want any
	require.NoError(t, json.Unmarshal(ans.body, &want), "answer %s", ans.body)
	if _, isObject := want.(map[string]any); c.result.Kind() == reflect.Map && !isObject && want != nil {
		// DESIGN.md types this untyped result as a map: a spec-valid
		// answer that is no object is refused, and said so.
		var de *arthur.DecodeError
		require.ErrorAs(t, err, &de, "answer %s", ans.body)
		n.add(func(n *prismCounts) { n.refused++ })
		return
	}
	require.NoError(t, err, "answer %d %s", ans.status, ans.body)
	res := outs[0].Interface()
	if c.result.Kind() == reflect.Pointer {
		require.False(t, outs[0].IsNil(), "a nil result")
	}
	diffs := synth.Diff(c.co.result, want, reencode(t, res), true)
	assert.Empty(t, diffs, "the %s written back differs from Prism's answer:\nanswer     %s\nwritten as %s", c.op.Result, ans.body, mustJSON(t, res))
}

// prismFailure makes call v of c's operation with Prefer: code=status,
// and checks the error that the SDK makes of Prism's answer.
func prismFailure(t *testing.T, c *conformance, base string, tr http.RoundTripper, status, v int, n *prismCounts) {
	n.check(t)
	n.add(func(n *prismCounts) { n.failures++ })
	outs, ans, err := prismCall(t, c, base, tr, "code="+strconv.Itoa(status), v, v == 0, n)
	require.Equal(t, status, ans.status, "the status asked for; answer %s", ans.body)
	require.Error(t, err, "answer %d %s", status, ans.body)
	for _, o := range outs {
		assert.True(t, o.IsZero(), "a result with an error: %v", o)
	}
	checkAPIError(t, err, status, c.co.errors[status], ans.body, c.op.ID)
}

// prismCall makes call v of c's operation, with a Prefer header unless
// prefer is "", and returns its results and Prism's answer. Prism must find
// the request valid; a call that Prism fails on is made again, up to
// prismTries times.
func prismCall(t *testing.T, c *conformance, base string, tr http.RoundTripper, prefer string, v int, withParams bool, n *prismCounts) ([]reflect.Value, prismAnswer, error) {
	t.Helper()
	a := c.args(t, v, withParams)
	for range prismTries {
		pc := newPrismClient(base, tr, testToken)
		pc.prefer = prefer
		outs, err := invoke(t, c.method(t, pc.api, c.op.Method), a)
		ans := pc.only(t, err)
		if ans.status == http.StatusInternalServerError && bytes.Contains(ans.body, []byte(`"https://stoplight.io/prism/errors#UNKNOWN"`)) {
			n.add(func(n *prismCounts) { n.crashes++ })
			continue
		}
		return outs, ans, err
	}
	t.Fatalf("Prism fails on every one of %d calls", prismTries)
	return nil, prismAnswer{}, nil
}

// unpaired are the branches, by model name, that the sibling tags in v (a
// value of s) name and that their union's value does not fit.
func unpaired(s *openapi3.SchemaRef, v any, siblings map[*openapi3.Schema][]synth.Sibling) []string {
	var out []string
	synth.Walk(s, v, func(s *openapi3.Schema, v any) {
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		for _, sib := range siblings[s] {
			tag, _ := obj[sib.Tag].(string)
			value := obj[sib.Union]
			u := s.Properties[sib.Union]
			if value == nil || u == nil || u.Value == nil {
				continue
			}
			for _, b := range slices.Concat(u.Value.AnyOf, u.Value.OneOf) {
				if sib.Values[b.Ref] == tag && !synth.Fits(b, value) {
					out = append(out, strings.TrimPrefix(b.Ref, "#/components/schemas/"))
				}
			}
		}
	})
	return out
}

// strippedOperations are the operations whose success answer holds a
// required writeOnly property, at a place that every answer has: the
// result itself, a required property, a union's every branch.
func strippedOperations(ops map[string]*contractOperation) []string {
	var out []string
	for id, co := range ops {
		if requiresWriteOnly(co.result, map[*openapi3.Schema]bool{}) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func requiresWriteOnly(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) bool {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return false
	}
	s := ref.Value
	seen[s] = true
	defer delete(seen, s)
	if branches := slices.Concat(s.AnyOf, s.OneOf); len(branches) > 0 {
		for _, b := range branches {
			if !requiresWriteOnly(b, seen) {
				return false
			}
		}
		return true
	}
	for _, name := range s.Required {
		p := s.Properties[name]
		if p != nil && p.Value != nil && (p.Value.WriteOnly || requiresWriteOnly(p, seen)) {
			return true
		}
	}
	return false
}

// testPrismProxy runs a scenario per service through prism proxy --errors
// in front of arthurtest: Prism validates each request on its way in and
// each answer on its way back, and turns a violation into an error answer
// with an sl-violations header, which fails the call.
func testPrismProxy(t *testing.T, bin string) {
	srv, err := arthurtest.Start()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	base := startPrism(t, bin, "proxy", "--errors", "api/openapi.json", srv.URL)

	services := map[string]bool{}
	for _, op := range optable.Operations {
		services[op.Service] = true
	}
	covered := slices.Sorted(maps.Keys(proxyScenarios))
	assert.Equal(t, slices.Sorted(maps.Keys(services)), covered, "every service has a scenario in proxyScenarios")

	tr := freshTransport(t)
	t.Run("flags a bad request", func(t *testing.T) { checkPrismFlags(t, newPrismClient(base, tr, srv.Token)) })
	t.Run("flags a bad answer", func(t *testing.T) { checkPrismFlagsAnswer(t, srv, newPrismClient(base, tr, srv.Token)) })
	srv.ResetRequests()
	var calls, failed, ran int
	for _, service := range covered {
		t.Run(service, func(t *testing.T) {
			ran++
			pc := newPrismClient(base, tr, srv.Token)
			proxyScenarios[service](t, pc.api)
			calls += len(pc.answers)
			for _, a := range pc.answers {
				if kind := prismProblem(a); kind != "" || a.header.Get("sl-violations") != "" {
					failed++
					t.Errorf("a violation (%s): %d %s\n%s", kind, a.status, a.header.Get("sl-violations"), a.body)
				}
			}
		})
	}
	reached := map[string]bool{}
	for _, r := range srv.Requests() {
		reached[r.Operation] = true
	}
	var missed []string
	for _, op := range optable.Operations {
		if !reached[op.ID] {
			missed = append(missed, op.ID)
		}
	}
	if ran == len(covered) { // not when -run picks some scenarios
		assert.Empty(t, missed, "operations that no scenario calls through the proxy")
	}
	t.Logf("prism proxy: %d services with a scenario; %d calls through the proxy, %d with a violation; %d of %d operations reached arthurtest",
		len(covered), calls, failed, len(optable.Operations)-len(missed), len(optable.Operations))
}

// proxyScenarios call the operations of a service, by APIClient field, as
// a user would chain them against arthurtest.
var proxyScenarios = map[string]func(t *testing.T, api *arthur.APIClient){
	"AgentsV1API":                 scenarioAgents,
	"AlertRulesV1API":             scenarioAlertRules,
	"AlertsV1API":                 scenarioAlerts,
	"AuthorizationV1API":          scenarioAuthorization,
	"ConnectorSchemasV1API":       scenarioConnectorSchemas,
	"ConnectorsV1API":             scenarioConnectors,
	"CustomAggregationTestsV1API": scenarioCustomAggregationTests,
	"CustomAggregationsV1API":     scenarioCustomAggregations,
	"DataPlaneAssociationsV1API":  scenarioDataPlaneAssociations,
	"DataPlanesV1API":             scenarioDataPlanes,
	"DataRetrievalV1API":          scenarioDataRetrieval,
	"DatasetsV1API":               scenarioDatasets,
	"FeatureFlagsV1API":           scenarioFeatureFlags,
	"GroupsV1API":                 scenarioGroups,
	"HealthAPI":                   scenarioHealth,
	"JobsV1API":                   scenarioJobs,
	"MetricFunctionsV1API":        scenarioMetricFunctions,
	"MetricsV1API":                scenarioMetrics,
	"ModelsV1API":                 scenarioModels,
	"OAuthV1API":                  scenarioOAuth,
	"OrganizationsV1API":          scenarioOrganizations,
	"PoliciesV1API":               scenarioPolicies,
	"ProjectsV1API":               scenarioProjects,
	"RegistrationV1API":           scenarioRegistration,
	"RolesV1API":                  scenarioRoles,
	"TasksV1API":                  scenarioTasks,
	"UpsolveV1API":                scenarioUpsolve,
	"UsersV1API":                  scenarioUsers,
	"WebhooksV1API":               scenarioWebhooks,
	"WorkspacesV1API":             scenarioWorkspaces,
}

// prismProblem is the type of an answer that Prism made of a violation
// or a failure of its own (a problem document of type
// https://stoplight.io/prism/errors#...), "" for any other answer.
func prismProblem(a prismAnswer) string {
	var p struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(a.body, &p) != nil {
		return ""
	}
	if kind, ok := strings.CutPrefix(p.Type, "https://stoplight.io/prism/errors#"); ok {
		return kind
	}
	return ""
}

// checkPrismFlags checks that Prism finds a request that breaks the spec
// invalid, and says so as the checks read it: a user_id that is no uuid.
// The mock says so in the sl-violations header of the spec's 422; the
// proxy answers a problem document of its own.
func checkPrismFlags(t *testing.T, pc *prismClient) {
	err := pc.api.UsersV1API.DeleteUser(t.Context(), "not-a-uuid")
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, pc.answers, 1)
	a := pc.answers[0]
	require.Equal(t, http.StatusUnprocessableEntity, a.status, "answer %s", a.body)
	if header := a.header.Get("sl-violations"); header != "" {
		v := parseViolations(t, header)
		assert.Equal(t, []any{"request", "path", "user_id"}, v[0].Location, "%s", header)
		return
	}
	assert.Equal(t, "UNPROCESSABLE_ENTITY", prismProblem(a), "answer %s", a.body)
	var p struct {
		Validation []violation `json:"validation"`
	}
	require.NoError(t, json.Unmarshal(a.body, &p))
	require.NotEmpty(t, p.Validation, "answer %s", a.body)
	assert.Equal(t, []any{"path", "user_id"}, p.Validation[0].Location, "answer %s", a.body)
}

// checkPrismFlagsAnswer checks that the proxy finds an answer of
// arthurtest that breaks the spec invalid, and says so as the scenarios
// read it: a workspace without its required fields, its id no uuid,
// turned into a problem document of Prism's with the violations of the
// response in its sl-violations header.
func checkPrismFlagsAnswer(t *testing.T, srv *arthurtest.Server, pc *prismClient) {
	require.NoError(t, srv.Respond(arthurtest.OpGetWorkspace, http.StatusOK, json.RawMessage(`{"id":"not-a-uuid"}`)))
	defer func() { require.NoError(t, srv.Handle(arthurtest.OpGetWorkspace, nil)) }()
	_, err := pc.api.WorkspacesV1API.GetWorkspace(t.Context(), scenarioWorkspace)
	var apiErr *arthur.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Len(t, pc.answers, 1)
	a := pc.answers[0]
	assert.Equal(t, "VIOLATIONS", prismProblem(a), "answer %d %s", a.status, a.body)
	header := a.header.Get("sl-violations")
	require.NotEmpty(t, header, "answer %d %s", a.status, a.body)
	var locations [][]any
	for _, v := range parseViolations(t, header) {
		locations = append(locations, v.Location)
	}
	assert.Contains(t, locations, []any{"response", "body", "id"}, "%s", header)
}

// prismAnswer is one answer as it reached the SDK.
type prismAnswer struct {
	status int
	header http.Header
	body   []byte
	// invalid are the violations of the spec that Prism's validator finds
	// in the answer that its generator made: a required property left out
	// of an object deep in a recursive union, map keys that are not the
	// uuids of propertyNames, a const not kept.
	invalid []string
}

// prismClient is an SDK client for a Prism server that keeps Prism's
// answers and adds a Prefer header, when set, to each request.
type prismClient struct {
	next   http.RoundTripper
	prefer string
	api    *arthur.APIClient

	mu      sync.Mutex
	answers []prismAnswer
}

// newPrismClient is a client for the Prism server at base, through next,
// with the bearer token given and no retries.
func newPrismClient(base string, next http.RoundTripper, token string) *prismClient {
	pc := &prismClient{next: next}
	cfg := arthur.NewConfiguration()
	cfg.Host = base
	cfg.AllowInsecureHTTP = true
	cfg.AccessToken = token
	cfg.Retry = arthur.RetryPolicy{MaxAttempts: 1}
	cfg.HTTPClient = &http.Client{Transport: pc}
	pc.api = arthur.NewAPIClient(cfg)
	return pc
}

func (pc *prismClient) RoundTrip(req *http.Request) (*http.Response, error) {
	if pc.prefer != "" {
		req = req.Clone(req.Context())
		req.Header.Set("Prefer", pc.prefer)
	}
	resp, err := pc.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	pc.mu.Lock()
	pc.answers = append(pc.answers, prismAnswer{status: resp.StatusCode, header: resp.Header.Clone(), body: body})
	pc.mu.Unlock()
	return resp, nil
}

// only is the one answer of a call that returned err. Prism must have
// found no violation in the request; those it finds in the answer are
// kept.
func (pc *prismClient) only(t *testing.T, err error) prismAnswer {
	t.Helper()
	pc.mu.Lock()
	defer pc.mu.Unlock()
	require.Len(t, pc.answers, 1, "answers; the call returned %v", err)
	a := pc.answers[0]
	header := a.header.Get("sl-violations")
	if header == "" {
		return a
	}
	for _, v := range parseViolations(t, header) {
		if len(v.Location) == 0 || v.Location[0] != "response" {
			t.Fatalf("Prism finds the request invalid: %s (%v at %v)\nanswer %d %s", v.Message, v.Code, v.Location, a.status, a.body)
		}
		a.invalid = append(a.invalid, v.Message)
	}
	return a
}

// violation is one entry of Prism's sl-violations header.
type violation struct {
	Location []any `json:"location"`
	Code     any   `json:"code"`
	Message  string
}

// parseViolations reads an sl-violations header. Prism cuts a long one
// (past 8 KiB: "Too many violations! " and the list's start): the
// violations before the cut are read, and the half at the cut is left.
func parseViolations(t *testing.T, header string) []violation {
	t.Helper()
	list, cut := strings.CutPrefix(header, "Too many violations! ")
	dec := json.NewDecoder(strings.NewReader(list))
	tok, err := dec.Token()
	require.NoError(t, err, "sl-violations %s", header)
	require.Equal(t, json.Delim('['), tok, "sl-violations %s", header)
	var out []violation
	for dec.More() {
		var v violation
		if err := dec.Decode(&v); err != nil {
			require.True(t, cut, "sl-violations %s: %v", header, err)
			break
		}
		out = append(out, v)
	}
	require.NotEmpty(t, out, "sl-violations %s", header)
	return out
}

// startPrism runs prism with args (a document path is from the
// repository's root) on a free loopback port until the test ends, and
// returns its URL once it accepts connections.
func startPrism(t *testing.T, bin string, args ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	var out lockedBuffer
	cmd := exec.Command(bin, append(args, "--host", "127.0.0.1", "--port", port, "--verboseLevel", "warn")...)
	cmd.Dir = ".."
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("prism %s said:\n%s", args[0], out.tail(8000))
		}
	})
	// Prism reads the document before it listens; a bounded wait for that.
	for range 1200 {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("prism %s ended before it listened: %v\n%s", args[0], err, out.tail(8000))
		default:
		}
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = conn.Close()
			return "http://" + addr
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("prism %s does not listen on %s after 2 minutes:\n%s", args[0], addr, out.tail(8000))
	return ""
}

// lockedBuffer is a bytes.Buffer that a process's output goes to while
// the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail is the last n bytes written.
func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}
