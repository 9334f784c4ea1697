// Command otel traces the SDK's calls with OpenTelemetry. The SDK has no
// tracing of its own: it sends every request through
// Configuration.HTTPClient, so wrapping that client's Transport with
// otelhttp makes each attempt (retries included) a client span, child of
// whatever span the call's context carries, with the W3C traceparent
// header sent along. The spans go to stdout; the SDK's own debug log, one
// record per attempt, goes to stderr.
//
// It runs against arthurtest, the in-memory fake of the Users V1 API, so it
// needs no account:
//
//	cd examples/otel && go run .
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"

	arthur "github.com/arthur-sdk/arthur-go"
	"github.com/arthur-sdk/arthur-go/arthurtest"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// run calls a few operations through a traced client and writes the spans
// to spans and the SDK's log records to logs.
func run(ctx context.Context, spans, logs io.Writer) error {
	// A tracer provider that prints each span as it ends.
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(spans), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSyncer(exporter),
		sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName("arthur-otel-example"))),
	)
	defer func() { _ = tp.Shutdown(context.Background()) }()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})

	// The fake Arthur; its first list call fails with a 503, to show a
	// retry as a span of its own.
	srv, err := arthurtest.Start(arthurtest.WithOrganization("", "Acme"))
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := arthurtest.SeedUsers(srv, 8); err != nil {
		return err
	}
	if err := srv.FailNext(arthurtest.OpGetOrganizationUsers, 1, http.StatusServiceUnavailable, 0); err != nil {
		return err
	}

	// The SDK's client, with otelhttp's RoundTripper as its transport.
	cfg := srv.Configuration()
	cfg.HTTPClient = &http.Client{
		Timeout:   30 * time.Second,
		Transport: otelhttp.NewTransport(http.DefaultTransport),
	}
	cfg.Retry = arthur.RetryPolicy{InitialBackoff: 50 * time.Millisecond}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	api := arthur.NewAPIClient(cfg).UsersV1API

	// One span of the application's own around the calls: the SDK's
	// requests become its children.
	ctx, span := tp.Tracer("github.com/arthur-sdk/arthur-go/examples/otel").Start(ctx, "rename-first-user")
	defer span.End()

	me, err := api.GetUsersMe(ctx)
	if err != nil {
		return err
	}
	page, err := api.GetOrganizationUsers(ctx, &arthur.GetOrganizationUsersParams{
		Sort: arthur.UserSortCreatedAt, UserTypes: []arthur.UserType{arthur.UserTypeUser}, PageSize: 5,
	})
	if err != nil {
		return err
	}
	first := page.Records[0]
	if first.ID == me.ID {
		first = page.Records[1]
	}
	renamed, err := api.PatchUser(ctx, first.ID, arthur.PatchUser{FirstName: arthur.Value("Augusta " + first.FirstName)})
	if err != nil {
		return err
	}
	span.SetAttributes(attribute.String("arthur.user_id", renamed.ID))
	fmt.Fprintf(logs, "signed in as %s; renamed %s to %q\n", me.FirstName, renamed.ID, renamed.FirstName)
	return nil
}
