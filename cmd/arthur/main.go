// Command arthur calls the Arthur platform: a command for every operation
// of its API, grouped by service. Run "arthur --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/arthur-sdk/arthur-go/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the process at once
	}()
	code := cli.MainPlatform(ctx, os.Args[1:], cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		// HTTPClient nil: the SDK's default client.
		IsTerminal: cli.IsTerminal,
	})
	stop()
	os.Exit(code)
}
