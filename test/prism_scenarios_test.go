package test

import (
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	arthur "github.com/arthur-sdk/arthur-go"
)

// IDs the proxy scenarios pass where a call needs an existing resource
// that the scenario does not create: arthurtest synthesizes its answer for
// any well-formed ID.
const (
	scenarioWorkspace = "0b6b2f0e-5a4f-4c43-9d8e-1f2a3b4c5d6e"
	scenarioProject   = "1c7c3f1f-6b5f-4d54-8e9f-2a3b4c5d6e7f"
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
	all(t, az.ListUserRoleBindingsIter(ctx, scenarioUser, &arthur.ListUserRoleBindingsParams{PageSize: 2}))
	require.NoError(t, az.DeleteRoleBinding(ctx, rb.ID))
}
