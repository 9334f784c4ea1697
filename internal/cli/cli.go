// Package cli is arthur-users, a command-line tool for the Arthur Users V1
// API built on the arthur SDK. cmd/arthur-users is a thin main around Main;
// everything a test needs to inject (streams, environment, HTTP client,
// terminal detection) comes in through Env.
//
// Exit codes: 0 on success, 1 when a call fails (an API error, a network
// error, a refused token, --timeout reached), 2 on a usage error (an
// unknown flag, a bad value, a missing argument, a missing or refused
// configuration).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	arthur "github.com/arthur-sdk/arthur-go"
)

// Exit codes returned by Main.
const (
	ExitOK    = 0 // the command succeeded
	ExitError = 1 // a call failed: an API error, a network error, a refused token
	ExitUsage = 2 // the command line or configuration is wrong
)

// Name is the command's name, as it prints it.
const Name = "arthur-users"

// Env is everything Main takes from the process, so that tests can supply
// their own.
type Env struct {
	// Stdin is read by --password-stdin.
	Stdin io.Reader
	// Stdout receives the command's output: tables or JSON.
	Stdout io.Writer
	// Stderr receives errors, warnings, usage help after a usage error,
	// and progress.
	Stderr io.Writer
	// Getenv reads ARTHUR_HOST, ARTHUR_ACCESS_TOKEN, ARTHUR_CLIENT_ID,
	// ARTHUR_CLIENT_SECRET, ARTHUR_ALLOW_INSECURE_HTTP and
	// ARTHUR_CONFIG_DIR. Nil means os.Getenv.
	Getenv func(string) string
	// HTTPClient sends the API calls, in --demo mode too. Nil means the
	// SDK's default client.
	HTTPClient *http.Client
	// IsTerminal reports whether w is an interactive terminal; progress is
	// shown on Stderr only when it is. Nil means IsTerminal.
	IsTerminal func(w io.Writer) bool
	// UserConfigDir returns the user's config directory, under which
	// login saves the sign-in (in arthur/token.json) unless
	// ARTHUR_CONFIG_DIR names another directory. Nil means
	// os.UserConfigDir.
	UserConfigDir func() (string, error)
}

// IsTerminal reports whether w is an *os.File open on a character device,
// such as a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (e Env) withDefaults() Env {
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
	}
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	if e.IsTerminal == nil {
		e.IsTerminal = IsTerminal
	}
	if e.UserConfigDir == nil {
		e.UserConfigDir = os.UserConfigDir
	}
	return e
}

// usageError is a mistake on the command line or in the configuration:
// exit code 2, with the command's usage on stderr.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Main runs the command line args (without the program name) and returns
// the exit code. It returns when the command is done or, for fake-server,
// when ctx ends.
func Main(ctx context.Context, args []string, env Env) int {
	return run(ctx, usersTool, args, env)
}

// run runs args as t's command line.
func run(ctx context.Context, t *tool, args []string, env Env) int {
	env = env.withDefaults()
	x := &invocation{ctx: ctx, env: env, g: &globals{tool: t, output: t.output}}
	defer x.close()

	top := t.root()
	top.tool = t
	cmd, rest, err := resolve(top, args, x)
	if err != nil {
		return x.fail(cmd, err)
	}
	if err := cmd.exec(ctx, x, rest); err != nil {
		return x.fail(cmd, err)
	}
	return ExitOK
}

// resolve walks args down the command tree, parsing the global flags found
// before each command name, and returns the command to run with the
// arguments left for it.
func resolve(c *command, args []string, x *invocation) (*command, []string, error) {
	for len(c.subs) > 0 {
		fs := newFlagSet(c)
		x.g.register(fs)
		if err := fs.Parse(args); err != nil {
			return c, nil, parseError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return c, nil, usageErrorf("missing command")
		}
		name := args[0]
		if c.parent == nil && name == "help" {
			return helpTarget(c, args[1:])
		}
		sub := c.sub(name)
		if sub == nil {
			return c, nil, usageErrorf("unknown command %q", name)
		}
		c, args = sub, args[1:]
	}
	return c, args, nil
}

// helpTarget is "help [command...]": the usage of that command.
func helpTarget(c *command, names []string) (*command, []string, error) {
	for _, name := range names {
		if strings.HasPrefix(name, "-") {
			continue // help --help, help users -o json
		}
		sub := c.sub(name)
		if sub == nil {
			return c, nil, usageErrorf("unknown command %q", name)
		}
		c = sub
	}
	return c, nil, flag.ErrHelp
}

// fail reports err for cmd and returns the exit code.
func (x *invocation) fail(cmd *command, err error) int {
	var argErr *arthur.ArgumentError
	var uerr *usageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		cmd.printUsage(x.env.Stdout)
		return ExitOK
	case errors.As(err, &uerr), errors.As(err, &argErr), errors.Is(err, arthur.ErrInvalidConfiguration):
		fmt.Fprintf(x.env.Stderr, "%s: %s\n\n", cmd.path(), strings.TrimPrefix(err.Error(), "arthur: "))
		cmd.printUsage(x.env.Stderr)
		return ExitUsage
	}
	msg := describe(err)
	var partial *partialError
	if errors.As(err, &partial) {
		msg += "\n  " + partial.written + " written before the failure"
	}
	fmt.Fprintf(x.env.Stderr, "%s: %s\n", cmd.path(), msg)
	return ExitError
}

// partialError is a failure after part of the output was written.
type partialError struct {
	err     error
	written string // what was written, such as "40 users"
}

func (e *partialError) Error() string { return e.err.Error() }
func (e *partialError) Unwrap() error { return e.err }

// describe writes an error for people: the status and the server's detail
// for an API error, each problem on a line of its own for a 422.
func describe(err error) string {
	var te *timeoutError
	if errors.As(err, &te) {
		return fmt.Sprintf("timed out after %s (--timeout)", te.after)
	}
	var apiErr *arthur.APIError
	if !errors.As(err, &apiErr) {
		return strings.TrimPrefix(err.Error(), "arthur: ")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: %d %s", apiErr.Operation, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
	var invalid *arthur.HTTPValidationError
	switch {
	case errors.As(err, &invalid) && len(invalid.Detail) > 0:
		for _, v := range invalid.Detail {
			b.WriteString("\n  ")
			b.WriteString(v.String())
		}
	case apiErr.Detail != "":
		b.WriteString(": ")
		b.WriteString(apiErr.Detail)
	case len(apiErr.Body) > 0 && len(apiErr.Body) <= 200 && !strings.Contains(apiErr.Header.Get("Content-Type"), "html"):
		b.WriteString(": ")
		b.WriteString(strings.TrimSpace(string(apiErr.Body)))
	}
	if apiErr.RequestID != "" {
		fmt.Fprintf(&b, "\n  request id: %s", apiErr.RequestID)
	}
	return b.String()
}
