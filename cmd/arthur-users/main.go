// Command arthur-users manages the users and service accounts of an Arthur
// organization through the Users V1 API. Run "arthur-users --help".
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
	code := cli.Main(ctx, os.Args[1:], cli.Env{
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
