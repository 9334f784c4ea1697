package test

import (
	"encoding/json"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// IDs the proxy scenarios pass where a call needs an existing resource
// that the scenario does not create: arthurtest synthesizes its answer for
// any well-formed ID.
const (
	scenarioModel     = "5ab17d5d-af9d-4b98-8cd3-6e7f8091a2b3"
	scenarioConnector = "6bc28e6e-b0ae-4ca9-9de4-7f8091a2b3c4"
	scenarioWorkspace = "0b6b2f0e-5a4f-4c43-9d8e-1f2a3b4c5d6e"
	scenarioProject   = "1c7c3f1f-6b5f-4d54-8e9f-2a3b4c5d6e7f"
	scenarioGroup     = "7cd39f7f-c1bf-4dba-8ee4-8091a2b3c4d6"
	scenarioUser      = "2d8d4a2a-7c6a-4e65-9fa0-3b4c5d6e7f80"
	scenarioRole      = "3e9e5b3b-8d7b-4f76-8ab1-4c5d6e7f8091"
	scenarioDataPlane = "4fa06c4c-9e8c-4a87-9bc2-5d6e7f8091a2"
)

// all walks seq to its end and returns its items; an error fails t.
func all[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func scenarioUsers(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	users := api.UsersV1API
	me, err := users.GetUsersMe(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Admin", me.FirstName)

	ada, err := users.PostOrganizationUser(ctx, arthur.PostEndUser{
		FirstName: "Ada", LastName: arthur.Ptr("Lovelace"), Email: "ada@example.com", Password: "pw-Secr3t!",
	})
	require.NoError(t, err)
	ada, err = users.PatchUser(ctx, ada.ID, arthur.PatchUser{LastName: arthur.Null[string](), Picture: arthur.Value("https://example.com/ada.png")})
	require.NoError(t, err)
	assert.Nil(t, ada.LastName)

	sa, err := users.PostOrganizationServiceAccount(ctx, arthur.PostServiceAccount{Name: "ci-bot"})
	require.NoError(t, err)
	assert.NotEmpty(t, sa.Credentials.ClientSecret.Reveal(), "the client secret, shown once")
	_, err = users.PatchServiceAccountUser(ctx, sa.ID, arthur.PatchServiceAccountUser{Name: arthur.Value("ci-robot")})
	require.NoError(t, err)
	creds, err := users.PostUserCreds(ctx, sa.ID)
	require.NoError(t, err)
	assert.Equal(t, sa.ID, creds.ID)

	_, err = users.PostOrganizationUserInvite(ctx, arthur.InviteNewUser{Email: "grace@example.com"})
	require.NoError(t, err)
	require.NoError(t, users.AcceptMyInvites(ctx))

	var names []string
	for u, err := range users.GetOrganizationUsersIter(ctx, &arthur.GetOrganizationUsersParams{PageSize: 2}) {
		require.NoError(t, err)
		names = append(names, u.FirstName)
	}
	assert.Subset(t, names, []string{"Admin", "Ada", "ci-robot"})

	require.NoError(t, users.DeleteUser(ctx, ada.ID))
	_, err = users.PatchUser(ctx, ada.ID, arthur.PatchUser{FirstName: arthur.Value("Ada")})
	var nf *arthur.NotFoundError
	require.ErrorAs(t, err, &nf, "a deleted user")
}

func scenarioHealth(t *testing.T, api *arthur.APIClient) {
	h, err := api.HealthAPI.HealthCheck(t.Context())
	require.NoError(t, err)
	require.NotNil(t, h)
}

func scenarioFeatureFlags(t *testing.T, api *arthur.APIClient) {
	_, err := api.FeatureFlagsV1API.GetFeatureFlags(t.Context())
	require.NoError(t, err)
}

func scenarioOAuth(t *testing.T, api *arthur.APIClient) {
	cfg, err := api.OAuthV1API.GetOpenIDConfiguration(t.Context())
	require.NoError(t, err)
	assert.Contains(t, cfg, "token_endpoint")
}

func scenarioMetricFunctions(t *testing.T, api *arthur.APIClient) {
	_, err := api.MetricFunctionsV1API.GetMetricFunctionsAggregations(t.Context())
	require.NoError(t, err)
}

func scenarioConnectorSchemas(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	_, err := api.ConnectorSchemasV1API.GetConnectorTypes(ctx)
	require.NoError(t, err)
	_, err = api.ConnectorSchemasV1API.GetConnectorSchemaByType(ctx, arthur.ConnectorTypeS3)
	require.NoError(t, err)
}

func scenarioRoles(t *testing.T, api *arthur.APIClient) {
	r, err := api.RolesV1API.GetRole(t.Context(), scenarioRole)
	require.NoError(t, err)
	assert.NotEmpty(t, r.ID)
}

func scenarioRegistration(t *testing.T, api *arthur.APIClient) {
	_, err := api.RegistrationV1API.PostSignUpUser(t.Context(), arthur.RegisterUser{Email: "lin@example.com"})
	require.NoError(t, err)
}

func scenarioUpsolve(t *testing.T, api *arthur.APIClient) {
	_, err := api.UpsolveV1API.PostTenant(t.Context(), arthur.PostUpsolveTenant{
		ResourceKind: arthur.ResourceKindWorkspace, ResourceID: scenarioWorkspace,
	})
	require.NoError(t, err)
}

func scenarioOrganizations(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	orgs := api.OrganizationsV1API
	org, err := orgs.GetUsersOrganization(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, org.ID)
	_, err = orgs.PatchOrganization(ctx, arthur.PatchOrganization{Name: arthur.Value("Analytical Engines")})
	require.NoError(t, err)
	require.NoError(t, orgs.DeleteOrganization(ctx))
}

func scenarioWorkspaces(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ws := api.WorkspacesV1API
	w, err := ws.PostWorkspace(ctx, arthur.PostWorkspace{Name: "research"})
	require.NoError(t, err)
	_, err = ws.GetWorkspace(ctx, w.ID)
	require.NoError(t, err)
	_, err = ws.PatchWorkspace(ctx, w.ID, arthur.PatchWorkspace{Name: arthur.Value("research-2")})
	require.NoError(t, err)
	_, err = ws.WorkspaceGetStatistics(ctx, w.ID)
	require.NoError(t, err)
	all(t, ws.GetWorkspacesIter(ctx, &arthur.GetWorkspacesParams{PageSize: 2}))
	require.NoError(t, ws.DeleteWorkspace(ctx, w.ID))
}

func scenarioProjects(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ps := api.ProjectsV1API
	p, err := ps.PostProject(ctx, scenarioWorkspace, arthur.PostProject{Name: "fraud", Description: arthur.Ptr("card fraud models")})
	require.NoError(t, err)
	_, err = ps.GetProject(ctx, p.ID)
	require.NoError(t, err)
	_, err = ps.PatchProject(ctx, p.ID, arthur.PatchProject{Description: arthur.Null[string]()})
	require.NoError(t, err)
	all(t, ps.GetProjectsIter(ctx, scenarioWorkspace, &arthur.GetProjectsParams{PageSize: 2}))
	require.NoError(t, ps.DeleteProject(ctx, p.ID))
}

func scenarioGroups(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	gs := api.GroupsV1API
	g, err := gs.PostGroup(ctx, arthur.PostGroup{Name: "analysts"})
	require.NoError(t, err)
	_, err = gs.GetGroup(ctx, g.ID)
	require.NoError(t, err)
	_, err = gs.PatchGroup(ctx, g.ID, arthur.PatchGroup{Description: arthur.Value("people who read dashboards")})
	require.NoError(t, err)
	_, err = gs.AssignUsersToGroup(ctx, g.ID, arthur.PostGroupMembership{UserIDs: []string{scenarioUser}})
	require.NoError(t, err)
	all(t, gs.GetGroupUsersIter(ctx, g.ID, &arthur.GetGroupUsersParams{PageSize: 2}))
	all(t, gs.SearchGroupMembershipsIter(ctx, &arthur.SearchGroupMembershipsParams{PageSize: 2}))
	_, err = gs.RemoveUsersFromGroup(ctx, g.ID, arthur.DeleteGroupMembership{UserIDs: []string{scenarioUser}})
	require.NoError(t, err)
	all(t, gs.GetGroupsIter(ctx, &arthur.GetGroupsParams{PageSize: 2}))
	require.NoError(t, gs.DeleteGroup(ctx, g.ID))
}

func scenarioWebhooks(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	whs := api.WebhooksV1API
	body := arthur.PostWebhook{
		Name: "pager", URL: "https://hooks.example.com/arthur",
		Headers: map[string][]string{"X-Team": {"ml"}}, Body: `{"text":"{{alert}}"}`,
	}
	_, err := whs.PostTestWebhook(ctx, scenarioWorkspace, body)
	require.NoError(t, err)
	w, err := whs.PostWebhook(ctx, scenarioWorkspace, body)
	require.NoError(t, err)
	_, err = whs.GetWebhook(ctx, w.ID)
	require.NoError(t, err)
	_, err = whs.PatchWebhook(ctx, w.ID, arthur.PatchWebhook{Headers: arthur.Null[map[string][]string]()})
	require.NoError(t, err)
	all(t, whs.GetWorkspaceWebhooksIter(ctx, scenarioWorkspace, &arthur.GetWorkspaceWebhooksParams{PageSize: 2}))
	require.NoError(t, whs.DeleteWebhook(ctx, w.ID))
}

func scenarioDataPlanes(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	dps := api.DataPlanesV1API
	_, err := dps.GetInfrastructures(ctx)
	require.NoError(t, err)
	dp, err := dps.PostDataPlane(ctx, scenarioWorkspace, arthur.PostDataPlane{Name: "eu-engine", Description: "the engine in eu-west-1"})
	require.NoError(t, err)
	assert.NotEmpty(t, dp.ClientSecret.Reveal(), "the client secret, shown once")
	_, err = dps.GetDataPlane(ctx, dp.ID)
	require.NoError(t, err)
	_, err = dps.PatchDataPlane(ctx, dp.ID, arthur.PatchDataPlane{Description: arthur.Value("the engine in eu-central-1")})
	require.NoError(t, err)
	_, err = dps.PostDataPlaneCredSet(ctx, dp.ID)
	require.NoError(t, err)
	all(t, dps.GetDataPlanesIter(ctx, scenarioWorkspace, &arthur.GetDataPlanesParams{PageSize: 2}))
	require.NoError(t, dps.DeleteDataPlane(ctx, dp.ID))
}

func scenarioDataPlaneAssociations(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	as := api.DataPlaneAssociationsV1API
	a, err := as.PostDataPlaneAssociation(ctx, scenarioWorkspace, arthur.PostDataPlaneAssociation{
		DataPlaneID: scenarioDataPlane, ProjectID: scenarioProject,
	})
	require.NoError(t, err)
	all(t, as.GetDataPlaneProjectAssociationsIter(ctx, scenarioDataPlane, &arthur.GetDataPlaneProjectAssociationsParams{PageSize: 2}))
	all(t, as.GetProjectDataPlaneAssociationsIter(ctx, scenarioProject, &arthur.GetProjectDataPlaneAssociationsParams{PageSize: 2}))
	all(t, as.GetWorkspaceDataPlaneAssociationsIter(ctx, scenarioWorkspace, &arthur.GetWorkspaceDataPlaneAssociationsParams{PageSize: 2}))
	require.NoError(t, as.DeleteDataPlaneAssociation(ctx, a.ID))
}

func scenarioConnectors(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	cs := api.ConnectorsV1API
	c, err := cs.PostConnector(ctx, scenarioProject, arthur.PostConnectorSpec{
		ConnectorType: arthur.ConnectorTypeS3, Name: "landing", DataPlaneID: scenarioDataPlane,
		Fields: []arthur.ConnectorSpecField{{Key: "bucket", Value: "landing-zone"}, {Key: "secret_access_key", Value: "s3-Secr3t"}},
	})
	require.NoError(t, err)
	_, err = cs.GetConnector(ctx, c.ID)
	require.NoError(t, err)
	_, err = cs.GetSensitiveConnector(ctx, c.ID)
	require.NoError(t, err)
	_, err = cs.PatchConnector(ctx, c.ID, arthur.PatchConnectorSpec{Name: arthur.Value("landing-2")})
	require.NoError(t, err)
	require.NoError(t, cs.PutConnectorCheckResults(ctx, c.ID, arthur.ConnectorCheckResult{
		ConnectionCheckOutcome: arthur.ConnectorCheckOutcomeFailed, FailureReason: arthur.Ptr("access denied"),
	}))
	all(t, cs.GetConnectorsIter(ctx, scenarioProject, &arthur.GetConnectorsParams{PageSize: 2}))
	require.NoError(t, cs.DeleteConnector(ctx, c.ID))
}

func scenarioAuthorization(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	az := api.AuthorizationV1API
	_, err := az.CheckPermissions(ctx, arthur.PermissionsRequest{Permissions: []arthur.PermissionRequestItem{{
		ResourceKind: arthur.ResourceKindWorkspace, ResourceID: scenarioWorkspace, PermissionName: arthur.PermissionNameOrganizationRead,
	}}})
	require.NoError(t, err)
	all(t, az.ListPermissionsLibraryIter(ctx, &arthur.ListPermissionsLibraryParams{PageSize: 2}))
	all(t, az.ListRolesIter(ctx, &arthur.ListRolesParams{PageSize: 2}))
	rb, err := az.PostOrgRoleBinding(ctx, arthur.PostRoleBinding{RoleID: scenarioRole, UserID: arthur.Ptr(scenarioUser)})
	require.NoError(t, err)
	_, err = az.PostWorkspaceRoleBinding(ctx, scenarioWorkspace, arthur.PostRoleBinding{RoleID: scenarioRole, UserID: arthur.Ptr(scenarioUser)})
	require.NoError(t, err)
	_, err = az.PostProjectRoleBinding(ctx, scenarioProject, arthur.PostRoleBinding{RoleID: scenarioRole, UserID: arthur.Ptr(scenarioUser)})
	require.NoError(t, err)
	all(t, az.ListOrgRoleBindingsIter(ctx, &arthur.ListOrgRoleBindingsParams{PageSize: 2}))
	all(t, az.ListWorkspaceRoleBindingsIter(ctx, scenarioWorkspace, &arthur.ListWorkspaceRoleBindingsParams{PageSize: 2}))
	all(t, az.ListProjectRoleBindingsIter(ctx, scenarioProject, &arthur.ListProjectRoleBindingsParams{PageSize: 2}))
	all(t, az.ListGroupRoleBindingsIter(ctx, scenarioGroup, &arthur.ListGroupRoleBindingsParams{PageSize: 2}))
	all(t, az.ListUserRoleBindingsIter(ctx, scenarioUser, &arthur.ListUserRoleBindingsParams{PageSize: 2}))
	require.NoError(t, az.DeleteRoleBinding(ctx, rb.ID))
}

// scenarioStart is the start of the time ranges the scenarios ask for.
var scenarioStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func scenarioAgents(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ag := api.AgentsV1API
	all(t, ag.ListAgentLLMModelsForOrganizationIter(ctx, &arthur.ListAgentLLMModelsForOrganizationParams{PageSize: 2}))
	all(t, ag.ListAgentToolsForOrganizationIter(ctx, &arthur.ListAgentToolsForOrganizationParams{PageSize: 2}))
	all(t, ag.ListUnregisteredAgentsForOrganizationIter(ctx, &arthur.ListUnregisteredAgentsForOrganizationParams{PageSize: 2}))
	all(t, ag.ListAgentsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.ListAgentsForWorkspaceParams{PageSize: 2}))
	all(t, ag.ListDataSourcesForWorkspaceIter(ctx, scenarioWorkspace, &arthur.ListDataSourcesForWorkspaceParams{PageSize: 2}))
	all(t, ag.ListLLMModelsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.ListLLMModelsForWorkspaceParams{PageSize: 2}))
	all(t, ag.ListSubAgentsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.ListSubAgentsForWorkspaceParams{PageSize: 2}))
	all(t, ag.ListToolsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.ListToolsForWorkspaceParams{PageSize: 2}))
	unregistered := all(t, ag.ListUnregisteredAgentsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.ListUnregisteredAgentsForWorkspaceParams{PageSize: 2}))
	put, err := ag.PutAgents(ctx, scenarioWorkspace, arthur.PutAgents{Agents: []arthur.Agent{{
		Name: "support-bot", DataPlaneID: scenarioDataPlane, TaskID: "7cd39f7f-c1bf-4dba-8ee4-8091a2b3c4d5",
		CreationSource: arthur.AgentCreationSource{ManualAgentCreationSource: &arthur.ManualAgentCreationSource{}},
	}}})
	require.NoError(t, err)
	require.NotNil(t, put)
	id := "8de4a080-d2c0-4ecb-9ff5-91a2b3c4d5e6"
	if len(unregistered) > 0 {
		id = unregistered[0].ID
	}
	_, err = ag.UpdateUnregisteredAgent(ctx, id, arthur.PatchUnregisteredAgentRequest{MutedUntil: arthur.Value(scenarioStart.AddDate(0, 1, 0))})
	require.NoError(t, err)
	_, err = ag.GetRegisteredAgentByID(ctx, id)
	require.NoError(t, err)
}

func scenarioAlertRules(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ars := api.AlertRulesV1API
	query := "SELECT ts, value FROM metrics_numeric_latest_version WHERE metric_name = 'rmse'"
	_, err := ars.PostAlertRuleQueryValidationStatic(ctx, arthur.ValidateAlertRuleQueryReq{Query: query})
	require.NoError(t, err)
	_, err = ars.PostAlertRuleQueryValidation(ctx, scenarioModel, arthur.ValidateAlertRuleQueryReq{Query: query})
	require.NoError(t, err)
	r, err := ars.PostModelAlertRule(ctx, scenarioModel, arthur.PostAlertRule{
		Name: "rmse too high", Threshold: 0.4, Bound: arthur.AlertBoundUpperBound, Query: query, MetricName: "rmse",
		Interval: arthur.AlertRuleInterval{Unit: arthur.IntervalUnitHours, Count: 1},
	})
	require.NoError(t, err)
	_, err = ars.GetAlertRule(ctx, r.ID)
	require.NoError(t, err)
	_, err = ars.PatchAlertRule(ctx, r.ID, arthur.PatchAlertRule{Threshold: arthur.Value(0.5), Description: arthur.Null[string]()})
	require.NoError(t, err)
	all(t, ars.GetModelAlertRulesIter(ctx, scenarioModel, &arthur.GetModelAlertRulesParams{PageSize: 2}))
	all(t, ars.GetAlertRulesInWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetAlertRulesInWorkspaceParams{PageSize: 2}))
	require.NoError(t, ars.DeleteAlertRule(ctx, r.ID))
}

func scenarioAlerts(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	as := api.AlertsV1API
	rule := "9ef5b191-e3d1-4fdc-8a06-a2b3c4d5e6f7"
	created, err := as.PostModelAlerts(ctx, scenarioModel, arthur.PostAlerts{Alerts: []arthur.PostAlert{{
		Description: arthur.Ptr("rmse above 0.4"), Timestamp: scenarioStart, Value: 0.47, Threshold: 0.4,
		Bound: arthur.AlertBoundUpperBound, Interval: arthur.AlertRuleInterval{Unit: arthur.IntervalUnitHours, Count: 1},
		Dimensions: map[string]json.RawMessage{"region": json.RawMessage(`"eu"`)}, AlertRuleID: rule,
	}}})
	require.NoError(t, err)
	require.NotNil(t, created)
	_, err = as.PostModelAlertLogs(ctx, scenarioModel, arthur.PostAlertLogs{Logs: []arthur.PostAlertLog{{
		AlertRuleID: rule, Status: arthur.AlertLogStatusFired, Timestamp: scenarioStart,
	}}})
	require.NoError(t, err)
	alerts := all(t, as.GetModelAlertsIter(ctx, scenarioModel, &arthur.GetModelAlertsParams{PageSize: 2}))
	all(t, as.GetModelAlertLogsIter(ctx, scenarioModel, &arthur.GetModelAlertLogsParams{PageSize: 2}))
	all(t, as.GetAlertsInWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetAlertsInWorkspaceParams{PageSize: 2}))
	all(t, as.GetGroupedAlertsInWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetGroupedAlertsInWorkspaceParams{PageSize: 2}))
	id := "af06c2a2-f4e2-4aed-9b17-b3c4d5e6f708"
	if len(alerts) > 0 {
		id = alerts[0].ID
	}
	_, err = as.GetAlert(ctx, id)
	require.NoError(t, err)
}

func scenarioDataRetrieval(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	dr := api.DataRetrievalV1API
	dataset, available := "b017d3b3-a5f3-4bfe-8c28-c4d5e6f70819", "c128e4c4-b6a4-4c0f-9d39-d5e6f708192a"
	window := arthur.PostDataRetrievalOperation{StartTimestamp: scenarioStart, EndTimestamp: scenarioStart.Add(24 * time.Hour)}

	op, err := dr.PostDataRetrievalOperation(ctx, dataset, window)
	require.NoError(t, err)
	_, err = dr.PutDataRetrievalData(ctx, dataset, op.ID, arthur.PutRetrievedData{Content: `[{"id":1}]`})
	require.NoError(t, err)
	_, err = dr.GetDataRetrievalData(ctx, op.ID, dataset)
	require.NoError(t, err)
	require.NoError(t, dr.DeleteDataRetrievalData(ctx, op.ID, dataset))

	op, err = dr.PostAvailableDataRetrievalOperation(ctx, available, window)
	require.NoError(t, err)
	_, err = dr.PutAvailableDataRetrievalData(ctx, available, op.ID, arthur.PutRetrievedData{Content: `[{"id":2}]`})
	require.NoError(t, err)
	_, err = dr.GetAvailableDataRetrievalData(ctx, op.ID, available)
	require.NoError(t, err)
	require.NoError(t, dr.DeleteAvailableDataRetrievalData(ctx, op.ID, available))
}

// scenarioSchema is a dataset schema of two columns.
func scenarioSchema() arthur.PutDatasetSchema {
	return arthur.PutDatasetSchema{
		AliasMask: map[string]string{},
		Columns: []arthur.DatasetColumn{
			{SourceName: "ts", Definition: arthur.DatasetType{DatasetScalarType: &arthur.DatasetScalarType{DType: arthur.DTypeTimestamp}}},
			{SourceName: "amount", Definition: arthur.DatasetType{DatasetScalarType: &arthur.DatasetScalarType{DType: arthur.DTypeFloat}}},
		},
	}
}

func scenarioDatasets(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ds := api.DatasetsV1API
	schema := scenarioSchema()
	d, err := ds.PostProjectDataset(ctx, scenarioProject, arthur.PostDataset{
		Name: arthur.Ptr("transactions"), DatasetSchema: &schema, ModelProblemType: arthur.ModelProblemTypeRegression,
	})
	require.NoError(t, err)
	_, err = ds.GetDataset(ctx, d.ID)
	require.NoError(t, err)
	_, err = ds.PatchDataset(ctx, d.ID, arthur.PatchDataset{Name: arthur.Value("transactions-eu")})
	require.NoError(t, err)
	_, err = ds.PutDatasetSchema(ctx, d.ID, schema)
	require.NoError(t, err)
	all(t, ds.GetDatasetsIter(ctx, scenarioProject, &arthur.GetDatasetsParams{PageSize: 2}))
	all(t, ds.GetDatasetsInWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetDatasetsInWorkspaceParams{PageSize: 2}))
	require.NoError(t, ds.DeleteDataset(ctx, d.ID))

	c, err := ds.PostConnectorDataset(ctx, scenarioConnector, arthur.PostDataset{ModelProblemType: arthur.ModelProblemTypeBinaryClassification})
	require.NoError(t, err)
	_, err = ds.GetConnectorDatasets(ctx, scenarioConnector)
	require.NoError(t, err)
	require.NoError(t, ds.DeleteDataset(ctx, c.ID))

	a, err := ds.PostAvailableDataset(ctx, scenarioConnector, arthur.PutAvailableDataset{Name: arthur.Ptr("raw_events")})
	require.NoError(t, err)
	_, err = ds.GetAvailableDataset(ctx, a.ID)
	require.NoError(t, err)
	_, err = ds.PutAvailableDatasetSchema(ctx, a.ID, schema)
	require.NoError(t, err)
	_, err = ds.PostProjectAvailableDataset(ctx, scenarioProject, arthur.PutAvailableDataset{Name: arthur.Ptr("uploads")})
	require.NoError(t, err)
	require.NoError(t, ds.PutConnectorAvailableDatasets(ctx, scenarioConnector, arthur.PutAvailableDatasets{
		AvailableDatasets: []arthur.PutAvailableDataset{{Name: arthur.Ptr("raw_events"), DatasetSchema: &schema}},
	}))
	all(t, ds.GetConnectorAvailableDatasetsIter(ctx, scenarioConnector, &arthur.GetConnectorAvailableDatasetsParams{PageSize: 2}))
}

func scenarioModels(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ms := api.ModelsV1API
	dataset := "d239f5d5-c7b5-4d10-8e4a-e6f708192a3b"
	spec, err := ms.GenerateMetricsSpec(ctx, scenarioProject, arthur.GenerateMetricsSpecRequest{DatasetIDs: []string{dataset}})
	require.NoError(t, err)
	m, err := ms.PostModel(ctx, scenarioProject, arthur.PostModel{Name: "fraud-v1", DatasetIDs: []string{dataset}})
	require.NoError(t, err)
	_, err = ms.GetModel(ctx, m.ID)
	require.NoError(t, err)
	_, err = ms.PatchModel(ctx, m.ID, arthur.PatchModel{Description: arthur.Value("card fraud, first cut")})
	require.NoError(t, err)
	require.NoError(t, ms.PutModelMetricConfig(ctx, m.ID, *spec))
	_, err = ms.PutModelMetricsSchedule(ctx, m.ID, arthur.PutModelMetricsSchedule{Cron: "0 * * * *", LookbackPeriodSeconds: 3600})
	require.NoError(t, err)
	require.NoError(t, ms.DeleteModelMetricsSchedule(ctx, m.ID))
	all(t, ms.GetModelsIter(ctx, scenarioProject, &arthur.GetModelsParams{PageSize: 2}))
	all(t, ms.GetModelsInWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetModelsInWorkspaceParams{PageSize: 2}))
	all(t, ms.GetOrganizationModelsIter(ctx, &arthur.GetOrganizationModelsParams{PageSize: 2}))
	require.NoError(t, ms.DeleteModel(ctx, m.ID))
}

func scenarioMetrics(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	mv := api.MetricsV1API
	v, err := mv.PostModelMetricsVersion(ctx, scenarioModel, arthur.PostMetricsVersions{RangeStart: scenarioStart, RangeEnd: scenarioStart.Add(time.Hour)})
	require.NoError(t, err)
	_, err = mv.PostModelMetricsByVersion(ctx, scenarioModel, v.VersionNum, arthur.MetricsUpload{Metrics: []arthur.MetricsUploadMetricsItem{{
		NumericMetric: &arthur.NumericMetric{Name: "rmse", NumericSeries: []arthur.NumericTimeSeries{{
			Dimensions: []arthur.Dimension{{Name: "region", Value: "eu"}},
			Values:     []arthur.NumericPoint{{Timestamp: scenarioStart, Value: 0.31}},
		}}},
	}}})
	require.NoError(t, err)
	_, err = mv.PostModelMetricsQuery(ctx, scenarioModel, arthur.PostMetricsQuery{
		Query:     "SELECT ts, value FROM metrics_numeric_latest_version WHERE metric_name = 'rmse'",
		TimeRange: arthur.PostMetricsQueryTimeRange{Start: scenarioStart, End: scenarioStart.Add(time.Hour)},
	})
	require.NoError(t, err)
	all(t, mv.GetModelMetricsVersionsIter(ctx, scenarioModel, &arthur.GetModelMetricsVersionsParams{PageSize: 2}))
}

func scenarioJobs(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	js := api.JobsV1API
	batch, err := js.PostSubmitJobsBatch(ctx, scenarioProject, arthur.PostJobBatch{Jobs: []arthur.PostJob{{
		Kind:    arthur.PostJobKindConnectorCheck,
		JobSpec: arthur.PostJobJobSpec{ConnectorCheckJobSpec: &arthur.ConnectorCheckJobSpec{ConnectorID: scenarioConnector}},
	}}})
	require.NoError(t, err)
	require.NotEmpty(t, batch.Jobs)
	job := batch.Jobs[0].ID
	_, err = js.GetJob(ctx, job)
	require.NoError(t, err)
	_, err = js.UpdateJob(ctx, job, arthur.PatchJob{MaxAttempts: arthur.Value(3)})
	require.NoError(t, err)
	all(t, js.GetJobsIter(ctx, scenarioProject, &arthur.GetJobsParams{PageSize: 2}))

	// The job agent's loop: take a job, report on its run, finish it.
	run, err := js.PostDequeueJob(ctx, scenarioDataPlane, arthur.JobDequeueParameters{MemoryLimitMB: 2048})
	require.NoError(t, err)
	if run == nil {
		return // no job queued for the data plane
	}
	require.NoError(t, js.PostJobLogs(ctx, run.JobID, run.ID, arthur.JobLogs{Logs: []arthur.JobLog{{
		LogLevel: arthur.JobLogLevelInfo, Log: "checking the connector", LogTimestamp: scenarioStart,
	}}}))
	require.NoError(t, js.PostJobErrors(ctx, run.JobID, run.ID, arthur.JobErrors{Errors: []arthur.JobError{{Error: "bucket not found"}}}))
	_, err = js.GetJobLogs(ctx, run.JobID, run.ID, &arthur.GetJobLogsParams{})
	require.NoError(t, err)
	_, err = js.GetJobErrors(ctx, run.JobID, run.ID)
	require.NoError(t, err)
	_, err = js.GetJobRuns(ctx, run.JobID)
	require.NoError(t, err)
	_, err = js.PutJobState(ctx, run.JobID, &arthur.PutJobStateParams{JobRunID: run.ID}, arthur.PutJobState{JobState: arthur.JobStateFailed})
	require.NoError(t, err)
}

// scenarioAggregation is the SQL and the parameters of a custom
// aggregation: a count of rows per hour.
func scenarioAggregation() ([]arthur.ReportedCustomAggregation, []arthur.BaseParameterSchema, string) {
	reported := []arthur.ReportedCustomAggregation{{
		MetricName: "row_count", Description: "rows per hour", ValueColumn: "n", TimestampColumn: "ts",
		MetricKind: arthur.AggregationMetricTypeNumeric, DimensionColumns: []string{},
	}}
	args := []arthur.BaseParameterSchema{{BaseLiteralParameterSchema: &arthur.BaseLiteralParameterSchema{
		ParameterKey: "min_amount", FriendlyName: "Minimum amount", Description: "rows below it are left out", ParameterDType: arthur.DTypeFloat,
	}}}
	return reported, args, "SELECT time_bucket(INTERVAL '1 hour', ts) AS ts, count(*) AS n FROM {{dataset}} WHERE amount >= {{min_amount}} GROUP BY 1"
}

func scenarioCustomAggregations(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	cas := api.CustomAggregationsV1API
	reported, args, sql := scenarioAggregation()
	post := arthur.PostCustomAggregationSpecSchema{ReportedAggregations: reported, AggregateArgs: args, SQL: sql, Name: "row count"}
	_, err := cas.ValidateCustomAggregation(ctx, scenarioWorkspace, post)
	require.NoError(t, err)
	a, err := cas.PostCustomAggregation(ctx, scenarioWorkspace, post)
	require.NoError(t, err)
	_, err = cas.GetCustomAggregation(ctx, a.ID, &arthur.GetCustomAggregationParams{Latest: arthur.Ptr(true)})
	require.NoError(t, err)
	_, err = cas.PutCustomAggregation(ctx, a.ID, arthur.PutCustomAggregationSpecSchema{ReportedAggregations: reported, AggregateArgs: args, SQL: sql})
	require.NoError(t, err)
	_, err = cas.PatchCustomAggregation(ctx, a.ID, arthur.PatchCustomAggregationSpecSchema{Description: arthur.Value("rows per hour")})
	require.NoError(t, err)
	all(t, cas.GetCustomAggregationsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetCustomAggregationsForWorkspaceParams{PageSize: arthur.Ptr(2)}))
	require.NoError(t, cas.DeleteCustomAggregation(ctx, a.ID))
}

func scenarioCustomAggregationTests(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	cts := api.CustomAggregationTestsV1API
	reported, args, sql := scenarioAggregation()
	ct, err := cts.PostCustomAggregationTest(ctx, scenarioWorkspace, arthur.PostCustomAggregationTest{
		ReportedAggregations: reported, AggregateArgs: args, SQL: sql, Name: "row count, tried",
		AggregationArgConfiguration: []arthur.MetricsArgSpec{{ArgKey: "min_amount", ArgValue: json.RawMessage(`10.5`)}},
		StartTimestamp:              scenarioStart, EndTimestamp: scenarioStart.Add(24 * time.Hour),
		DatasetID: "e34a06e6-d8c6-4e21-9f5b-f708192a3b4c",
	})
	require.NoError(t, err)
	_, err = cts.GetCustomAggregationTest(ctx, ct.ID)
	require.NoError(t, err)
	_, err = cts.PostCustomAggregationTestResults(ctx, ct.ID, arthur.MetricsUpload{Metrics: []arthur.MetricsUploadMetricsItem{{
		NumericMetric: &arthur.NumericMetric{Name: "row_count", NumericSeries: []arthur.NumericTimeSeries{{
			Dimensions: []arthur.Dimension{}, Values: []arthur.NumericPoint{{Timestamp: scenarioStart, Value: 42}},
		}}},
	}}})
	require.NoError(t, err)
	all(t, cts.GetCustomAggregationTestResultsIter(ctx, ct.ID, &arthur.GetCustomAggregationTestResultsParams{PageSize: arthur.Ptr(2)}))
	all(t, cts.GetCustomAggregationTestsForWorkspaceIter(ctx, scenarioWorkspace, &arthur.GetCustomAggregationTestsForWorkspaceParams{PageSize: arthur.Ptr(2)}))
	require.NoError(t, cts.DeleteCustomAggregationTest(ctx, ct.ID))
}

func scenarioTasks(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ts := api.TasksV1API
	_, err := ts.ProjectCreateModelTask(ctx, scenarioProject, arthur.PostTaskRequest{
		Name: "support-guardrails", ConnectorID: scenarioConnector,
		RulesToAdd: []arthur.NewRuleRequest{{Name: "no pii", Type: string(arthur.RuleTypePIIDataRule), ApplyToPrompt: true, ApplyToResponse: true}},
	})
	require.NoError(t, err)
	_, err = ts.ProjectCreateModelLinkTask(ctx, scenarioProject, arthur.PostLinkTaskRequest{
		TaskID: "f45b17f7-e9d7-4f32-8a6c-08192a3b4c5d", ConnectorID: scenarioConnector,
	})
	require.NoError(t, err)
	_, err = ts.PatchTask(ctx, scenarioModel, arthur.PatchTaskRequest{RulesToDisable: arthur.Value([]string{"0a6c28a8-fae8-4a43-9b7d-192a3b4c5d6e"})})
	require.NoError(t, err)
	_, err = ts.SyncTask(ctx, scenarioModel)
	require.NoError(t, err)
	_, err = ts.PutTaskConnectionInfo(ctx, scenarioModel, arthur.PutTaskConnectionInfo{
		ValidationKey: arthur.PostTaskValidationAPIKey{ID: "1b7d39b9-0bf9-4b54-8c8e-2a3b4c5d6e7f", Name: "engine", Key: "vk-Secr3t"},
		APIHost:       "https://shield.example.com",
	})
	require.NoError(t, err)
	_, err = ts.GetTaskConnectionInfo(ctx, scenarioModel)
	require.NoError(t, err)
	_, err = ts.PostRegenerateValidationKey(ctx, scenarioModel)
	require.NoError(t, err)
	require.NoError(t, ts.PutTaskStateCache(ctx, scenarioModel, arthur.PutTaskStateCacheRequest{Task: arthur.TaskResponse{
		ID: "f45b17f7-e9d7-4f32-8a6c-08192a3b4c5d", Name: "support-guardrails", CreatedAt: 1772323200000, UpdatedAt: 1772323200000, Rules: []arthur.RuleResponse{},
	}}))
	_, err = ts.GetTaskStateCache(ctx, scenarioModel)
	require.NoError(t, err)
	require.NoError(t, ts.DeleteConnectionInfo(ctx, scenarioModel))
	_, err = ts.DeleteTask(ctx, scenarioModel)
	require.NoError(t, err)
}

func scenarioPolicies(t *testing.T, api *arthur.APIClient) {
	ctx := t.Context()
	ps := api.PoliciesV1API
	query := "SELECT ts, value FROM metrics_numeric_latest_version WHERE metric_name = 'rmse'"
	p, err := ps.CreatePolicy(ctx, arthur.PostPolicy{
		Name: "model risk", OwnerGroupID: "2c8e4aca-1c0a-4c65-8d9f-3b4c5d6e7f80", WebhookID: "3d9f5bdb-2d1b-4d76-9ea0-4c5d6e7f8091",
		EnforcementDelayDays: 14,
	})
	require.NoError(t, err)
	_, err = ps.GetPolicy(ctx, p.ID)
	require.NoError(t, err)
	_, err = ps.UpdatePolicy(ctx, p.ID, arthur.PatchPolicy{EnforcementDelayDays: arthur.Value(7)})
	require.NoError(t, err)
	all(t, ps.ListPoliciesIter(ctx, &arthur.ListPoliciesParams{PageSize: 2}))

	ar, err := ps.CreatePolicyAlertRule(ctx, p.ID, arthur.PostPolicyAlertRule{
		Name: "rmse", Threshold: 0.4, Bound: arthur.AlertBoundUpperBound, Query: query, MetricName: "rmse",
	})
	require.NoError(t, err)
	_, err = ps.GetPolicyAlertRule(ctx, ar.ID)
	require.NoError(t, err)
	_, err = ps.UpdatePolicyAlertRule(ctx, ar.ID, arthur.PatchPolicyAlertRule{Threshold: arthur.Value(0.5)})
	require.NoError(t, err)
	all(t, ps.ListPolicyAlertRulesIter(ctx, p.ID, &arthur.ListPolicyAlertRulesParams{PageSize: 2}))

	at, err := ps.CreatePolicyAttestationRule(ctx, p.ID, arthur.PostPolicyAttestationRule{Name: "model card reviewed", ValidityPeriodDays: 90})
	require.NoError(t, err)
	_, err = ps.GetPolicyAttestationRule(ctx, at.ID)
	require.NoError(t, err)
	_, err = ps.UpdatePolicyAttestationRule(ctx, at.ID, arthur.PatchPolicyAttestationRule{Description: arthur.Value("every quarter")})
	require.NoError(t, err)
	all(t, ps.ListPolicyAttestationRulesIter(ctx, p.ID, &arthur.ListPolicyAttestationRulesParams{PageSize: 2}))

	assigned, err := ps.CreatePolicyAssignments(ctx, p.ID, arthur.CreatePolicyAssignmentsRequest{ModelIDs: []string{scenarioModel}})
	require.NoError(t, err)
	assignment := "4ea06cec-3e2c-4e87-8fb1-5d6e7f8091a2"
	if len(assigned.Records) > 0 {
		assignment = assigned.Records[0].ID
	}
	_, err = ps.GetPolicyAssignment(ctx, assignment)
	require.NoError(t, err)
	_, err = ps.CreateAttestation(ctx, assignment, arthur.PostAttestationRecord{AttestationRuleID: at.ID, Notes: "reviewed with the model owners"})
	require.NoError(t, err)
	_, err = ps.SetComplianceStatus(ctx, assignment, arthur.SetComplianceStatusRequest{ComplianceStatus: arthur.ComplianceStatusDetail{
		Status: arthur.ComplianceStatusCompliant,
	}})
	require.NoError(t, err)
	_, err = ps.UpdateAssignmentJobChain(ctx, assignment, arthur.PolicyAssignmentJobChainPatch{ComplianceJobID: arthur.Value("5fb17dfd-4f3d-4f98-9ac2-6e7f8091a2b3")})
	require.NoError(t, err)
	all(t, ps.ListAssignmentAttestationsIter(ctx, assignment, &arthur.ListAssignmentAttestationsParams{PageSize: 2}))
	all(t, ps.ListPolicyAssignmentsIter(ctx, p.ID, &arthur.ListPolicyAssignmentsParams{PageSize: 2}))
	all(t, ps.ListModelPolicyAssignmentsIter(ctx, scenarioModel, &arthur.ListModelPolicyAssignmentsParams{PageSize: 2}))
	all(t, ps.ListWorkspacePolicyAssignmentsIter(ctx, scenarioWorkspace, &arthur.ListWorkspacePolicyAssignmentsParams{PageSize: 2}))
	all(t, ps.ListOrganizationPolicyAssignmentsIter(ctx, &arthur.ListOrganizationPolicyAssignmentsParams{PageSize: 2}))
	all(t, ps.ListModelAttestationsIter(ctx, scenarioModel, &arthur.ListModelAttestationsParams{PageSize: 2}))

	window := arthur.MetricsCalculationJobSpec{ScopeModelID: scenarioModel, StartTimestamp: scenarioStart, EndTimestamp: scenarioStart.Add(24 * time.Hour)}
	_, err = ps.CheckPolicyCompliance(ctx, p.ID, window)
	require.NoError(t, err)
	_, err = ps.CheckAssignmentCompliance(ctx, assignment, window)
	require.NoError(t, err)
	_, err = ps.CheckModelCompliance(ctx, scenarioModel, window)
	require.NoError(t, err)
	_, err = ps.CheckWorkspacePoliciesCompliance(ctx, scenarioWorkspace, window)
	require.NoError(t, err)
	all(t, ps.ListOrganizationComplianceIter(ctx, &arthur.ListOrganizationComplianceParams{PageSize: 2}))
	all(t, ps.ListWorkspaceComplianceIter(ctx, scenarioWorkspace, &arthur.ListWorkspaceComplianceParams{PageSize: 2}))
	all(t, ps.ListPolicyComplianceHistoryIter(ctx, p.ID, &arthur.ListPolicyComplianceHistoryParams{PageSize: 2}))

	require.NoError(t, ps.DeletePolicyAssignment(ctx, assignment))
	require.NoError(t, ps.DeletePolicyAttestationRule(ctx, at.ID))
	require.NoError(t, ps.DeletePolicyAlertRule(ctx, ar.ID))
	require.NoError(t, ps.DeletePolicy(ctx, p.ID))
}
