// Package arthur is a Go client for the Arthur platform's Users V1 API.
//
// The first lines a program writes:
//
//	cfg := arthur.NewConfiguration()
//	cfg.Host = "https://platform.arthur.ai"
//	cfg.AccessToken = os.Getenv("ARTHUR_ACCESS_TOKEN")
//	client := arthur.NewAPIClient(cfg)
//	me, err := client.UsersV1API.GetUsersMe(ctx)
//
// Every operation of the API is a method of [UsersV1APIService], with ctx
// first and a typed result. [UsersV1APIService.GetOrganizationUsersIter]
// ranges over every user of every page.
//
// # Paged lists
//
// A list operation whose answer is a page (records and a pagination with
// total_pages) has an Iter method, such as
// [UsersV1APIService.GetOrganizationUsersIter], that returns every record
// of every page, in order, starting at params.Page (or 1), as an
// iter.Seq2[T, error]. Once the first page has told how many pages there
// are, it fetches the others concurrently, Configuration.PageConcurrency
// requests at a time (8 by default, 64 at most), sending them in page order
// so that the page the loop needs next never waits behind later ones, and
// yields their records in page order; memory holds at most twice that many
// pages. It stops fetching as soon as the loop breaks, ctx ends or a page
// fails. A failure is yielded once, with a zero record, after the records
// of the pages before it, and ends the sequence. Once ctx has ended, the
// next value yielded is that failure, matching ctx.Err() through
// errors.Is, not the records already in memory. Pages are fetched
// independently, so a list that changes while it is walked may show a
// record twice or not at all.
//
// # Signing in
//
// A call's bearer token comes from [WithAccessToken], then
// [Configuration].TokenSource, then AccessToken; a service account can
// instead set ClientID and ClientSecret, and the client gets its own tokens.
// A person signs in with the OAuth2 device flow: [StartDeviceLogin] returns
// a page and a code to show them, [DeviceAuthorization.Wait] returns the
// token once they have approved, and [DeviceTokenSource] renews it for
// Configuration.TokenSource.
//
// # Errors
//
// A non-2xx answer is an [*APIError] that keeps the status, headers, body
// and request ID. errors.Is matches it against a sentinel of its status
// ([ErrNotFound], [ErrConflict], [ErrServer], ...), and errors.As reaches
// the spec's error model where the body is one ([*NotFoundError],
// [*HTTPValidationError], ...). Bad input is refused before any request is
// sent with an [*ArgumentError] that names the argument. A 2xx answer whose
// body is not the expected model is a [*DecodeError]. A redirect that would
// turn a write into a GET, or send a request body to another origin, is
// not followed: it is a [*RedirectError]. A Configuration that cannot work
// gives errors matching [ErrInvalidConfiguration].
//
// # PATCH bodies and secrets
//
// [Nullable] fields tell "leave as is" (unset), "clear" ([Null]) and "set"
// ([Value]) apart, so a PATCH can send JSON null. [Secret] values (passwords,
// client secrets) print as [REDACTED] through fmt and log/slog and marshal
// to their real value on the wire.
//
// # Retries
//
// GET calls are retried on connection errors, 429 and 5xx, with capped
// exponential backoff and jitter; any call is retried on 429 or 503 with
// Retry-After, or when the connection failed before the request was sent.
// A write that may have reached the server is never repeated. See
// [RetryPolicy].
//
// # Testing
//
// Package arthurtest runs an in-memory fake of the API for tests.
package arthur

// The models, services, docs pages and operation table are generated from
// api/openapi.json and api/overrides.json; see internal/gen.
//
//go:generate go run ./internal/gen
