package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// tool is one program built on this package: arthur-users or arthur.
type tool struct {
	name       string
	root       func() *command
	output     outputFormat // the default of -o
	outputs    []string     // what -o takes
	outputHelp string
	demoHelp   string
}

// name is the program's name, as messages tell the user to run it.
func (x *invocation) name() string { return x.g.tool.name }

// PlatformName is the name of the arthur command.
const PlatformName = "arthur"

// platformTool is arthur: a command for every operation of the platform.
var platformTool = &tool{
	name:       PlatformName,
	root:       platformRoot,
	output:     outputJSON,
	outputs:    []string{outputJSON, outputRaw, outputTable},
	outputHelp: "print in `FORMAT`: json (indented), raw (one line) or table (default json)",
	demoHelp: "run against an embedded fake Arthur seeded with sample users: no account, no network\n" +
		"\t(users, datasets, models and jobs with state; every other operation answered from the spec)",
}

// MainPlatform runs the command line args of arthur (without the program
// name) and returns the exit code, as Main does for arthur-users.
func MainPlatform(ctx context.Context, args []string, env Env) int {
	return run(ctx, platformTool, args, env)
}

// PlatformCommands are the commands of arthur that call an operation:
// the command's words after "arthur" (such as ["datasets", "get"]), by the
// operation's id.
func PlatformCommands() map[string][]string {
	out := map[string][]string{}
	var walk func(c *command, words []string)
	walk = func(c *command, words []string) {
		if c.op != "" {
			out[c.op] = words
		}
		for _, s := range c.subs {
			walk(s, append(append([]string{}, words...), s.name))
		}
	}
	walk(platformRoot(), nil)
	return out
}

// platformRoot is the command tree of arthur.
func platformRoot() *command {
	subs := []*command{loginCommand(PlatformName, "users get-me"), logoutCommand(PlatformName)}
	subs = append(subs, opGroups()...)
	subs = append(subs, &command{name: "help", summary: "Show the help of a command: help datasets get"})
	return (&command{
		name: PlatformName,
		help: fmt.Sprintf("arthur calls the Arthur platform: a command for each of its %d operations, grouped by\n"+
			"service. Path parameters are arguments, query parameters are flags, a request body is JSON\n"+
			"(--body or --body-file); answers print as JSON.", opCount),
		examples: []string{
			PlatformName + " --demo users get-me",
			PlatformName + " login --host https://platform.arthur.ai",
			PlatformName + " datasets get DATASET_ID",
			PlatformName + " jobs list PROJECT_ID --all -o raw",
			PlatformName + " models post PROJECT_ID --body-file model.json",
		},
		subs: subs,
	}).link()
}

// bodyFlags are --body and --body-file, the request body of an operation.
type bodyFlags struct {
	text, file string
}

func (b *bodyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.text, "body", "", "the request body, as `JSON` (or --body-file)")
	fs.StringVar(&b.file, "body-file", "", "read the request body, as JSON, from `FILE`; - reads stdin")
}

// decode reads the body into v with its UnmarshalJSON, so that a body the
// model refuses is a usage error, before any request.
func (b *bodyFlags) decode(x *invocation, v any) error {
	var data []byte
	switch {
	case b.text != "" && b.file != "":
		return usageErrorf("--body and --body-file cannot be used together")
	case b.text != "":
		data = []byte(b.text)
	case b.file == "-":
		var err error
		if data, err = io.ReadAll(io.LimitReader(x.env.Stdin, 64<<20)); err != nil {
			return fmt.Errorf("read the body from stdin: %w", err)
		}
	case b.file != "":
		var err error
		if data, err = os.ReadFile(b.file); err != nil {
			return usageErrorf("--body-file: %v", err)
		}
	default:
		return usageErrorf("missing request body: pass --body JSON or --body-file FILE (- for stdin)")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return usageErrorf("the request body is empty")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return usageErrorf("the request body: %s", strings.TrimPrefix(err.Error(), "arthur: "))
	}
	return nil
}

// requireFlags is a usage error naming the first of names not given.
func requireFlags(fs *flag.FlagSet, names ...string) error {
	set := explicit(fs)
	for _, n := range names {
		if !set[n] {
			return usageErrorf("missing required flag --%s", n)
		}
	}
	return nil
}

// intArg is a path argument that is a whole number.
func intArg(name, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, usageErrorf("argument %s must be a whole number", name)
	}
	return n, nil
}

// writeResult prints an operation's answer as JSON; with redact, the
// values of secretKeys are [REDACTED].
func (x *invocation) writeResult(v any, redact bool) error {
	data, err := x.encode(v, redact)
	if err != nil {
		return err
	}
	if x.g.output == outputTable {
		n, err := parseDocument(data)
		if err != nil {
			return err
		}
		if i := n.index("records"); i >= 0 && n.values[i].array {
			return writeNodeTable(x.env.Stdout, n.values[i].values)
		}
		if n.array {
			return writeNodeTable(x.env.Stdout, n.values)
		}
		return writeNodeRecord(x.env.Stdout, n)
	}
	_, err = x.env.Stdout.Write(data)
	return err
}

// parseDocument parses one JSON document, keeping the order of keys.
func parseDocument(data []byte) (*jsonNode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return parseJSON(dec)
}

// index is the place of key in an object, -1 when it has none.
func (n *jsonNode) index(key string) int {
	if !n.object {
		return -1
	}
	return slices.Index(n.keys, key)
}

// cell is n in a table: a string as it is, null as "-", anything else as
// compact JSON.
func (n *jsonNode) cell() string {
	if string(n.scalar) == "null" {
		return "-"
	}
	if len(n.scalar) > 0 {
		var s string
		if json.Unmarshal(n.scalar, &s) == nil {
			return s
		}
		return string(n.scalar)
	}
	var b bytes.Buffer
	n.write(&b)
	return b.String()
}

// writeNodeRecord writes an object as a two-column table: key, value.
func writeNodeRecord(w io.Writer, n *jsonNode) error {
	if !n.object {
		_, err := fmt.Fprintln(w, n.cell())
		return err
	}
	tw := newTable(w)
	for i, k := range n.keys {
		fmt.Fprintf(tw, "%s\t%s\n", k, n.values[i].cell())
	}
	return tw.Flush()
}

// writeNodeTable writes records as rows; the columns are the keys of the
// first record whose values are neither objects nor lists.
func writeNodeTable(w io.Writer, records []*jsonNode) error {
	if len(records) == 0 {
		_, err := fmt.Fprintln(w, "No records.")
		return err
	}
	var cols []string
	first := records[0]
	for i, k := range first.keys {
		if v := first.values[i]; !v.object && !v.array {
			cols = append(cols, k)
		}
	}
	if len(cols) == 0 {
		for _, r := range records {
			if _, err := fmt.Fprintln(w, r.cell()); err != nil {
				return err
			}
		}
		return nil
	}
	tw := newTable(w)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = strings.ToUpper(c)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range records {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = "-"
			if j := r.index(c); j >= 0 {
				row[i] = r.values[j].cell()
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// encode is v as -o asks (JSON for a table), with a final newline.
func (x *invocation) encode(v any, redact bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if redact {
		var err error
		if data, err = redactJSON(data); err != nil {
			return nil, err
		}
	}
	if x.g.raw() {
		return append(bytes.TrimSpace(data), '\n'), nil
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// writeAll streams every record of seq as a JSON array (-o json), or one
// record a line (-o raw). When a page fails, what was written stays whole
// (the array closed) and the error says how many records it holds.
func writeAll[T any](x *invocation, seq iter.Seq2[T, error], redact bool) error {
	out := x.env.Stdout
	table := x.g.output == outputTable
	var rows []*jsonNode
	n := 0
	for v, err := range seq {
		if err != nil {
			switch {
			case table && len(rows) > 0:
				_ = writeNodeTable(out, rows)
			case !table && !x.g.raw():
				_ = closeArray(out, n)
			}
			return &partialError{err: err, written: plural(n, "record")}
		}
		data, err := x.encode(v, redact)
		if err != nil {
			return err
		}
		n++
		if table {
			r, err := parseDocument(data)
			if err != nil {
				return err
			}
			rows = append(rows, r)
			continue
		}
		if x.g.raw() {
			if _, err := out.Write(data); err != nil {
				return err
			}
			continue
		}
		var b strings.Builder
		if n == 1 {
			b.WriteString("[\n  ")
		} else {
			b.WriteString(",\n  ")
		}
		b.WriteString(strings.ReplaceAll(strings.TrimRight(string(data), "\n"), "\n", "\n  "))
		if _, err := io.WriteString(out, b.String()); err != nil {
			return err
		}
	}
	switch {
	case table:
		return writeNodeTable(out, rows)
	case x.g.raw():
		return nil
	}
	return closeArray(out, n)
}

// secretModel is a model that holds a Secret, as the output knows it:
// the keys it requires and the keys of its Secret fields.
type secretModel struct {
	required, secret []string
}

// jsonNode is a JSON value that keeps the order of an object's keys.
type jsonNode struct {
	keys   []string // of an object
	values []*jsonNode
	object bool
	array  bool
	scalar json.RawMessage // of anything else
}

func parseJSON(dec *json.Decoder) (*jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		var b bytes.Buffer
		writeToken(&b, tok)
		return &jsonNode{scalar: b.Bytes()}, nil
	}
	n := &jsonNode{object: d == '{', array: d == '['}
	for dec.More() {
		if n.object {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := k.(string)
			n.keys = append(n.keys, key)
		}
		v, err := parseJSON(dec)
		if err != nil {
			return nil, err
		}
		n.values = append(n.values, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return n, nil
}

// redact replaces the strings of n's Secret keys with [REDACTED], in n and
// below it.
func (n *jsonNode) redact() {
	if n.object {
		has := map[string]bool{}
		for _, k := range n.keys {
			has[k] = true
		}
		secret := map[string]bool{}
		for _, m := range secretModels {
			if !containsAll(has, m.required) {
				continue
			}
			for _, k := range m.secret {
				secret[k] = true
			}
		}
		for i, k := range n.keys {
			if secret[k] {
				n.values[i].redactStrings()
			}
		}
	}
	for _, v := range n.values {
		v.redact()
	}
}

func containsAll(has map[string]bool, keys []string) bool {
	for _, k := range keys {
		if !has[k] {
			return false
		}
	}
	return true
}

// redactStrings replaces the strings of n (a string, or a list or map of
// them) with [REDACTED].
func (n *jsonNode) redactStrings() {
	if len(n.scalar) > 0 && n.scalar[0] == '"' {
		n.scalar = json.RawMessage(`"[REDACTED]"`)
	}
	for _, v := range n.values {
		v.redactStrings()
	}
}

func (n *jsonNode) write(out *bytes.Buffer) {
	switch {
	case n.object:
		out.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				out.WriteByte(',')
			}
			writeToken(out, k)
			out.WriteByte(':')
			n.values[i].write(out)
		}
		out.WriteByte('}')
	case n.array:
		out.WriteByte('[')
		for i, v := range n.values {
			if i > 0 {
				out.WriteByte(',')
			}
			v.write(out)
		}
		out.WriteByte(']')
	default:
		out.Write(n.scalar)
	}
}

// redactJSON rewrites a JSON document with the values of the Secret keys
// of secretModels replaced by [REDACTED], keeping the order of the keys.
func redactJSON(data []byte) ([]byte, error) {
	n, err := parseDocument(data)
	if err != nil {
		return nil, err
	}
	n.redact()
	var out bytes.Buffer
	n.write(&out)
	return out.Bytes(), nil
}

func writeToken(out *bytes.Buffer, tok any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(tok)
	out.Write(bytes.TrimRight(b.Bytes(), "\n"))
}

// intValue is an int flag.
type intValue struct{ p *int }

func (v intValue) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.Itoa(*v.p)
}

func (v intValue) Set(s string) error {
	n, err := wholeNumber(s)
	if err != nil {
		return err
	}
	*v.p = n
	return nil
}

// intPtrValue is an int flag that is sent only when given.
type intPtrValue struct{ p **int }

func (v intPtrValue) String() string {
	if v.p == nil || *v.p == nil {
		return ""
	}
	return strconv.Itoa(**v.p)
}

func (v intPtrValue) Set(s string) error {
	n, err := wholeNumber(s)
	if err != nil {
		return err
	}
	*v.p = &n
	return nil
}

// floatPtrValue is a number flag that is sent only when given.
type floatPtrValue struct{ p **float64 }

func (v floatPtrValue) String() string {
	if v.p == nil || *v.p == nil {
		return ""
	}
	return strconv.FormatFloat(**v.p, 'g', -1, 64)
}

func (v floatPtrValue) Set(s string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return errors.New("must be a number")
	}
	*v.p = &f
	return nil
}

// boolPtrValue is a bool flag that is sent only when given: --x sends
// true, --x=false sends false.
type boolPtrValue struct{ p **bool }

func (v boolPtrValue) IsBoolFlag() bool { return true }

func (v boolPtrValue) String() string {
	if v.p == nil || *v.p == nil {
		return ""
	}
	return strconv.FormatBool(**v.p)
}

func (v boolPtrValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("must be true or false")
	}
	*v.p = &b
	return nil
}

// timeValue is an instant flag, in RFC 3339.
type timeValue struct{ p *time.Time }

func (v timeValue) String() string {
	if v.p == nil || v.p.IsZero() {
		return ""
	}
	return v.p.Format(time.RFC3339Nano)
}

func (v timeValue) Set(s string) error {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return errors.New("must be an RFC 3339 time, such as 2025-03-04T12:00:00Z")
	}
	*v.p = t
	return nil
}

// enumArg is a path argument that must be one of allowed.
func enumArg[T ~string](name, s string, allowed []T) (T, error) {
	if !slices.Contains(allowed, T(s)) {
		return "", usageErrorf("argument %s must be %s", name, oneOf(allowed))
	}
	return T(s), nil
}
