// Package arthurtest is an in-memory fake of the Arthur platform's API, for
// the tests of code that uses arthur-go, for demos and for local
// development. It answers every operation of api/openapi.json: the Users
// V1 API, datasets, models and the job queue with state, the others with
// answers synthesized from the spec.
//
// A test starts one with NewServer; it listens on a loopback port and is
// closed when the test ends:
//
//	func TestOnboarding(t *testing.T) {
//		srv := arthurtest.NewServer(t)
//		ada := srv.AddUser(arthur.User{FirstName: "Ada", Email: arthur.Ptr("ada@example.com")})
//
//		client := srv.Client() // the seeded admin, token already set
//		page, err := client.UsersV1API.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{Search: "ada"})
//		...
//		_ = ada.ID
//		_ = srv.Users() // what the server holds now
//	}
//
// The client of srv.Client() retries with FastRetryPolicy: the SDK's
// attempts, with waits of milliseconds, so that a test that injects
// failures (FailNext) runs fast. Code that builds its own client uses
// srv.URL and srv.Token, or starts from srv.Configuration(), which keeps
// the SDK's default policy; set its Retry to FastRetryPolicy() for the
// same speed. Outside tests, Start returns a Server that the
// caller closes; WithAddr picks its address and SeedDemo fills it with
// sample users.
//
// # What it serves
//
// Stateful: the ten Users V1 operations of api/openapi.json: listing with
// the live defaults (sort name, order asc, page 1, page_size 20, people and
// service accounts), search, sort, filters and pagination; creating,
// patching (unset keeps, null clears, a value sets) and deleting users;
// service accounts whose client secret is shown once; credential
// regeneration; invites; the calling user. Every response is encoded as the
// live API's pydantic models write it: explicit nulls, timestamps in UTC
// with microseconds.
//
// Stateful too: the records real callers chain, datasets, models and
// jobs. A dataset made by post_project_dataset or post_connector_dataset
// (or AddDataset) is what get_dataset returns, get_datasets lists for its
// project, patch_dataset changes and delete_dataset removes; a model made
// by post_model likewise for get_model, get_models, patch_model,
// put_model_metric_config and delete_model, its datasets named from the
// datasets the server holds. After a delete, the ID answers 404 with
// {"detail":"Resource not found"} (400 where the spec declares no 404,
// delete_dataset). Jobs submitted by post_submit_jobs_batch wait in a
// queue: post_dequeue_job hands out the oldest one that is queued, ready
// (ready_at has passed on the Server's clock) and not already handed out,
// as a new JobRun (its attempt, the job's data plane set to the caller's),
// or answers 204 when none is; put_job_state moves the job and the run
// (running starts it, completed, failed and cancelled end it, with its
// duration); post_job_logs keeps the run's logs for get_job_logs;
// get_job_runs lists the runs, get_jobs the project's jobs, filtered by
// kinds, exclude_kinds, states, data_plane_id, schedule_id, trigger_type
// and nonce, sorted and paged. The server sets what the live API fills
// (IDs, created_at, updated_at, project_id, queued_at, the user who last
// updated a model or triggered a job); a field of the request whose shape
// differs from the record's (a dataset's schema) and what the request
// does not say are made from the spec, as a synthesized answer is. Every
// answer is valid by the spec. An ID or a project the server has never
// held is answered as a synthesized operation is (below), so a test that
// calls get_dataset on an ID of its own still gets a dataset; so does
// post_dequeue_job while the server holds no job.
//
// Synthesized: every other operation (alerts, metrics, policies, ...;
// the constants of ops.go name them all). A call is checked as the live
// API checks it: a bearer token where the operation has security (all but
// the health check, OIDC discovery, sign-up and feature flags), then its
// path parameters, query and JSON body against the spec, with FastAPI's
// 422 for a bad one. Its answer is the operation's success status with a
// body made from the spec's schema of it: every required field, some
// optional ones, UUIDs, timestamps and emails where the spec says so, a
// union's branch with its tag; no optional writeOnly field. The answer is
// the same for the same operation, path and query, on any Server, and
// depends on nothing else: a create does not make what a later get
// returns, the body of a request is validated and then forgotten. A paged
// list holds up to seven records over all its pages, whatever page and
// page_size ask for, with a pagination consistent with them, so that an
// Iter ends; a 204 answers no body. Where a test needs particular data,
// Respond or Handle gives it, for a stateful operation too.
//
// It also serves the OIDC discovery document at
// GET /api/v1/auth/oidc/.well-known/openid-configuration and an OAuth2
// token endpoint (Server.TokenURL) that grants client_credentials to the
// fake's service accounts; the bearer tokens it issues expire (WithTokenTTL,
// 300 s by default, measured on the Server's clock) and authenticate as
// that service account.
//
// People sign in with the device flow (RFC 8628) of the public client
// arthur.DefaultDeviceClientID ("scope-cli-client"): the device
// authorization endpoint (Server.DeviceAuthorizationURL) hands out a device
// code and a user code such as "WDJB-MJHT", valid for DeviceCodeTTL, with
// an interval of DefaultDeviceInterval (WithDeviceInterval). A test decides
// for the person: ApproveDevice(userCode, userID) or DenyDevice(userCode);
// WithDeviceAutoApprove approves every code as the seeded admin. Until then
// the token endpoint answers the device_code grant with
// authorization_pending, or slow_down to a poll sooner than the interval
// after the previous one; then access_denied, expired_token once the
// Server's clock passes the code's expiry, or an access token with a
// refresh token (valid for RefreshTokenTTL) for the person who approved.
// The refresh_token grant gives new tokens for the same person.
//
// # Errors
//
// Every API call needs a valid bearer token: without one the answer is 401
// {"detail":"Not authenticated"}. A bad request gets the error the live
// FastAPI service gives, and changes nothing: 422 with pydantic's
// {"detail":[{"type","loc","msg","input","ctx"}]} for a missing field, a
// wrong type, an invalid email, an unknown enum value, malformed JSON, an
// out-of-range query parameter or a user ID that is not a UUID; 404 for an
// unknown user; 409 for a duplicate email on creation; 400 for a patch of
// the wrong kind of user. No input makes it panic.
//
// # Tools for tests
//
// Requests returns what the server received, for every operation;
// AddDataset stores a dataset; Datasets, Dataset, Models, Model, Jobs,
// JobRuns and JobLogs show the records the server holds;
// Respond makes an operation answer a canned status and body, and Handle
// hands its requests to an http.Handler of the test's, in place of the
// fake's answer (stateful or synthesized); FailNext makes the next calls
// of an operation fail with a chosen status and Retry-After; SetLatency
// slows every answer; SetNow and Advance control the clock behind
// timestamps and token expiry; Invites shows the invitations sent;
// IssueToken returns a token for any user, to act as them; ApproveDevice
// and DenyDevice answer a device login.
//
// # Where it differs from the live API
//
//   - No permissions or scopes: every valid token may call every operation.
//   - Stateful datasets, models and jobs check no references: a project,
//     connector or data plane need not exist, a model's dataset_ids may
//     name datasets the server does not hold (their references then have
//     an empty name). get_datasets and get_models filter as said above
//     and ignore their other parameters; get_jobs ignores its time and
//     duration filters, model_id and the triggering user. Deleting a
//     dataset leaves the models that refer to it as they are.
//   - The job queue hands jobs out in the order they were submitted,
//     whatever their priority and memory_requirements_mb (memory_limit_mb
//     is not compared); a job put to failed is not retried, whatever its
//     max_attempts; put_job_state takes any state in any order, and
//     error_count is 0 (post_job_errors is synthesized).
//   - A synthesized answer is valid by the spec but knows nothing of the
//     fake's state or of the request beyond its path and query: no 404 for
//     an unknown ID, no 409, an answer that does not echo the body sent.
//     Its 422s follow pydantic's types and locations; a value that fits no
//     branch of a union reports the errors of the closest branch, where
//     pydantic lists every branch's. A required writeOnly field (a secret
//     the API shows once, such as a data plane's client_secret) is in the
//     answer, as the live API sends it.
//   - One organization, with one seeded admin. Its token (Server.Token)
//     never expires; nor do tokens from IssueToken.
//   - Invitations send no email and create no user. They are recorded
//     (Invites); AcceptMyInvites marks the caller's pending invitations
//     accepted and answers 204 even when there are none.
//   - Passwords, set at creation or issued by credential regeneration, are
//     kept nowhere: the fake has no password login and no sign-in page.
//     The verification_uri of the device flow is not served (404): tests
//     approve codes with ApproveDevice. The authorization-code flow is not
//     served (its endpoint answers 400).
//   - The device flow knows one public client, arthur.DefaultDeviceClientID;
//     any other client ID is refused (a service account's with
//     unauthorized_client). Only people (user type "user") can approve a
//     code. The spacing of polls is measured in real time, not on the
//     Server's clock, and a slow_down does not lengthen the interval the
//     fake asks for. It knows the scopes openid, profile, email and
//     offline_access, and refuses any other with invalid_scope; every
//     token answer grants "openid profile email", with offline_access
//     when it was asked for. It gives a refresh token either way, as
//     Keycloak does.
//   - A refresh token stays valid for RefreshTokenTTL after it was issued,
//     even once it has been used (Keycloak's default, without refresh token
//     rotation); deleting the user revokes it.
//   - Bearer tokens are opaque random strings, not JWTs; the JWKS is empty.
//     Tokens issued before a client secret is regenerated stay valid until
//     they expire; deleting a user revokes its tokens at once.
//   - The detail strings of 400, 404 and 409 answers are the fake's own.
//     422 bodies follow pydantic's types and locations; the message texts
//     of email and UUID errors are close to, not always equal to, the live
//     ones; an error whose input is null leaves "input" out, where pydantic
//     writes "input": null.
//   - Data plane users exist only when added with AddUser; regenerating
//     their credentials answers 400.
//   - Regenerating credentials does not move updated_at.
//   - No rate limiting, no proxy in front (unless injected with FailNext),
//     no redirect of a trailing slash (it answers 404), and the state lives
//     in memory until Close.
package arthurtest
