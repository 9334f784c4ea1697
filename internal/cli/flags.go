package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// runner runs a command with its positional arguments, after its flags
// are parsed.
type runner func(ctx context.Context, x *invocation, args []string) error

// command is a node of the command tree: a group with subs, or a leaf with
// setup.
type command struct {
	name     string
	args     []string // names of the positional arguments, such as "ID"
	summary  string   // one line, for the parent's list of commands
	help     string   // a paragraph, for the command's own usage
	examples []string
	// setup registers the command's flags on fs and returns its runner.
	setup func(fs *flag.FlagSet) runner
	// offline is set on a command that reads no environment variable and
	// calls no API: its help leaves out the Environment section.
	offline bool
	// op is the operation a command of arthur calls: get_dataset.
	op string
	// tool is set on a root: the program the tree is.
	tool   *tool
	subs   []*command
	parent *command
}

func (c *command) sub(name string) *command {
	for _, s := range c.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// path is the command line that names c: "arthur-users users list".
func (c *command) path() string {
	if c.parent == nil {
		return c.name
	}
	return c.parent.path() + " " + c.name
}

// top is the root of c's tree.
func (c *command) top() *command {
	for c.parent != nil {
		c = c.parent
	}
	return c
}

// link sets the parent of every command below c.
func (c *command) link() *command {
	for _, s := range c.subs {
		s.parent = c
		s.link()
	}
	return c
}

// exec parses a leaf command's flags and arguments and runs it.
func (c *command) exec(ctx context.Context, x *invocation, args []string) error {
	fs := newFlagSet(c)
	run := c.setup(fs)
	x.g.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return parseError(err)
	}
	switch {
	case len(pos) < len(c.args):
		return usageErrorf("missing argument %s", strings.Join(c.args[len(pos):], " "))
	case len(pos) > len(c.args):
		return usageErrorf("unexpected argument %q", pos[len(c.args)])
	}
	for i, a := range pos {
		if strings.TrimSpace(a) == "" {
			return usageErrorf("argument %s must not be empty", c.args[i])
		}
	}
	if x.g.timeout <= 0 {
		return run(ctx, x, pos)
	}
	d := time.Duration(x.g.timeout)
	ctx, cancel := context.WithTimeoutCause(ctx, d, errTimeout)
	defer cancel()
	x.ctx = ctx // the renewals of a saved sign-in end with the command too
	err = run(ctx, x, pos)
	if err != nil && errors.Is(context.Cause(ctx), errTimeout) {
		return &timeoutError{after: d, err: err}
	}
	return err
}

// errTimeout is the cause of a context that --timeout ended.
var errTimeout = errors.New("--timeout reached")

// timeoutError is a command that --timeout stopped.
type timeoutError struct {
	after time.Duration
	err   error // what the command returned when its context ended
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out after %s (--timeout): %v", e.after, e.err)
}

func (e *timeoutError) Unwrap() error { return e.err }

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.path(), flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by Main
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses flags that come before, between or after the
// positional arguments, which it returns. Everything after "--" is
// positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseError turns an error of flag.FlagSet.Parse into a usage error that
// names flags as they are written, --name.
func parseError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	msg := err.Error()
	for _, p := range []struct{ prefix, replace string }{
		{"flag provided but not defined: -", "unknown flag -"},
		{"flag needs an argument: -", "flag needs a value: -"},
		{"for flag -", "for flag -"},
		{"for -", "for -"},
	} {
		i := strings.Index(msg, p.prefix)
		if i < 0 {
			continue
		}
		rest := msg[i+len(p.prefix):]
		name := rest
		if j := strings.IndexByte(rest, ':'); j >= 0 {
			name = rest[:j]
		}
		dash := ""
		if len(name) > 1 && !strings.HasPrefix(name, "-") {
			dash = "-"
		}
		msg = msg[:i] + p.replace + dash + rest
		break
	}
	return &usageError{msg: msg}
}

// Output formats.
const (
	outputTable = "table"
	outputJSON  = "json"
	outputRaw   = "raw"
)

// globals are the flags every command takes, before or after its name.
type globals struct {
	tool    *tool
	host    string
	token   string
	output  outputFormat
	demo    bool
	timeout timeout
}

// timeout is --timeout: how long the whole command may take; 0 is no
// limit.
type timeout time.Duration

func (d *timeout) String() string {
	if d == nil || *d == 0 {
		return ""
	}
	return time.Duration(*d).String()
}

func (d *timeout) Set(s string) error {
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return errors.New("must be a duration, such as 30s or 5m")
	}
	if v < 0 {
		return errors.New("must not be negative")
	}
	*d = timeout(v)
	return nil
}

type outputFormat string

// outputFlag is -o: one of the tool's formats.
type outputFlag struct{ g *globals }

func (o outputFlag) String() string {
	if o.g == nil {
		return ""
	}
	return string(o.g.output)
}

func (o outputFlag) Set(s string) error {
	if !slices.Contains(o.g.tool.outputs, s) {
		f := o.g.tool.outputs
		return errors.New("must be " + strings.Join(f[:len(f)-1], ", ") + " or " + f[len(f)-1])
	}
	o.g.output = outputFormat(s)
	return nil
}

// register adds the global flags to fs, keeping the values already parsed.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.host, "host", g.host, "call the Arthur API at `URL`, such as https://platform.arthur.ai (default $ARTHUR_HOST)")
	fs.StringVar(&g.token, "token", g.token,
		"send the bearer `TOKEN` (default $ARTHUR_ACCESS_TOKEN, else a service account's\n\t$ARTHUR_CLIENT_ID and $ARTHUR_CLIENT_SECRET, else the sign-in saved by login)")
	fs.Var(outputFlag{g}, "o", g.tool.outputHelp)
	fs.Var(outputFlag{g}, "output", g.tool.outputHelp)
	fs.BoolVar(&g.demo, "demo", g.demo, g.tool.demoHelp)
	fs.Var(&g.timeout, "timeout", "give up the whole command after `DURATION`, such as 30s or 5m (default none;\n\teach request still gives up after 60 s)")
}

func (g *globals) json() bool { return g.output == outputJSON }

// raw reports -o raw: compact JSON, one document a line.
func (g *globals) raw() bool { return g.output == outputRaw }

// enumValue is a flag whose value must be one of allowed.
type enumValue[T ~string] struct {
	p       *T
	allowed []T
}

func enumFlag[T ~string](fs *flag.FlagSet, p *T, name string, allowed []T, usage string) {
	fs.Var(&enumValue[T]{p: p, allowed: allowed}, name, usage)
}

func (e *enumValue[T]) String() string {
	if e == nil || e.p == nil {
		return ""
	}
	return string(*e.p)
}

func (e *enumValue[T]) Set(s string) error {
	if !slices.Contains(e.allowed, T(s)) {
		return errors.New("must be " + oneOf(e.allowed))
	}
	*e.p = T(s)
	return nil
}

// enumList is a repeatable enumValue; a value may also list several,
// separated by commas.
type enumList[T ~string] struct {
	p       *[]T
	allowed []T
}

func enumListFlag[T ~string](fs *flag.FlagSet, p *[]T, name string, allowed []T, usage string) {
	fs.Var(&enumList[T]{p: p, allowed: allowed}, name, usage)
}

func (e *enumList[T]) String() string {
	if e == nil || e.p == nil {
		return ""
	}
	s := make([]string, len(*e.p))
	for i, v := range *e.p {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

func (e *enumList[T]) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(e.allowed, T(v)) {
			return errors.New("must be " + oneOf(e.allowed))
		}
		*e.p = append(*e.p, T(v))
	}
	return nil
}

func oneOf[T ~string](allowed []T) string {
	q := make([]string, len(allowed))
	for i, a := range allowed {
		q[i] = string(a)
	}
	if len(q) == 1 {
		return q[0]
	}
	return "one of " + strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// listValue is a repeatable string flag; a value may also list several,
// separated by commas.
type listValue struct{ p *[]string }

func (l listValue) String() string {
	if l.p == nil {
		return ""
	}
	return strings.Join(*l.p, ",")
}

func (l listValue) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return errors.New("must not be empty")
		}
		*l.p = append(*l.p, v)
	}
	return nil
}

// wholeNumber is the int a flag's value s spells, spaces around it allowed.
func wholeNumber(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New("must be a whole number")
	}
	return n, nil
}

// intRange is an int flag with bounds.
type intRange struct {
	p        *int
	min, max int
}

func (r intRange) String() string {
	if r.p == nil || *r.p == 0 {
		return ""
	}
	return strconv.Itoa(*r.p)
}

func (r intRange) Set(s string) error {
	n, err := wholeNumber(s)
	if err != nil {
		return err
	}
	if n < r.min || n > r.max {
		if r.max == math.MaxInt {
			return fmt.Errorf("must be at least %d", r.min)
		}
		return fmt.Errorf("must be between %d and %d", r.min, r.max)
	}
	*r.p = n
	return nil
}

// explicit returns the names of the flags set on the command line.
func explicit(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// printUsage writes the command's help.
func (c *command) printUsage(w io.Writer) {
	var b strings.Builder
	line := c.path()
	if len(c.subs) > 0 {
		line += " <command>"
	}
	for _, a := range c.args {
		line += " " + a
	}
	fmt.Fprintf(&b, "Usage: %s [flags]\n", line)
	if c.help != "" {
		fmt.Fprintf(&b, "\n%s\n", c.help)
	}
	if len(c.subs) > 0 {
		b.WriteString("\nCommands:\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, s := range c.subs {
			fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.summary)
		}
		_ = tw.Flush()
	}
	if c.setup != nil {
		fs := newFlagSet(c)
		c.setup(fs)
		if hasFlags(fs) {
			b.WriteString("\nFlags:\n")
			writeFlags(&b, fs)
		}
	}
	b.WriteString("\nGlobal flags (before or after the command):\n")
	gfs := flag.NewFlagSet("", flag.ContinueOnError)
	(&globals{tool: c.top().tool}).register(gfs)
	gfs.Bool("help", false, "show this help")
	writeFlags(&b, gfs)
	if len(c.examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(&b, "  %s\n", e)
		}
	}
	switch {
	case c.parent == nil:
		b.WriteString(rootFooter)
	case c.setup != nil && !c.offline:
		b.WriteString(envHelp)
	}
	if len(c.subs) > 0 {
		fmt.Fprintf(&b, "\nRun \"%s <command> --help\" for a command's flags.\n", c.path())
	}
	_, _ = io.WriteString(w, b.String())
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// writeFlags lists the flags of fs, one a line, in --name form.
func writeFlags(w io.Writer, fs *flag.FlagSet) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "output" {
			return // listed with -o
		}
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		switch f.Name {
		case "o":
			name = "-o, --output"
		case "help":
			name = "-h, --help"
		}
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
			arg = ""
		}
		if arg != "" {
			name += " " + arg
		}
		if d := f.DefValue; d != "" && d != "0" && d != "false" && !strings.Contains(usage, "(default") {
			usage += " (default " + d + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, usage)
	})
	_ = tw.Flush()
}
