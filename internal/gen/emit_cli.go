package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// cliFile is the command table of the arthur command, in internal/cli.
const cliFile = "internal/cli/ops_gen.go"

// cliGroup is a group of commands: one service.
type cliGroup struct {
	name string // kebab case: alert-rules
	svc  *service
	cmds []*cliCommand
}

// cliCommand is the command of one operation.
type cliCommand struct {
	name string // kebab case: list, get-runs
	x    *op
}

// cliGroupName is the command group of a tag: "Alert Rules V1" is
// alert-rules.
func cliGroupName(tag string) string {
	words := strings.Fields(strings.TrimSuffix(strings.TrimSpace(tag), " V1"))
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, "-")
}

// singular and plural are the two forms of an English noun, roughly.
func singular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies"):
		return strings.TrimSuffix(w, "ies") + "y"
	case strings.HasSuffix(w, "sses"):
		return strings.TrimSuffix(w, "es")
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return strings.TrimSuffix(w, "s")
	}
	return w
}

func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "y") && !strings.HasSuffix(w, "ay") && !strings.HasSuffix(w, "ey"):
		return strings.TrimSuffix(w, "y") + "ies"
	case strings.HasSuffix(w, "ss"):
		return w + "es"
	case strings.HasSuffix(w, "s"):
		return w
	}
	return w + "s"
}

// cliCommandName is the command of operation id in group: the id's words
// without the group's noun (singular or plural), with a get of a list
// named list. It is "" when nothing is left.
func cliCommandName(group, id string, list bool) string {
	gw := strings.Split(group, "-")
	last := gw[len(gw)-1]
	var forms [][]string
	for _, l := range []string{plural(singular(last)), singular(last)} {
		f := append(append([]string{}, gw[:len(gw)-1]...), l)
		forms = append(forms, f)
	}
	words := strings.Split(strings.ToLower(id), "_")
	for _, f := range forms {
		if i := indexWords(words, f); i >= 0 {
			words = append(append([]string{}, words[:i]...), words[i+len(f):]...)
			break
		}
	}
	if len(words) == 0 {
		return ""
	}
	if list && words[0] == "get" {
		words[0] = "list"
	}
	return strings.Join(words, "-")
}

func indexWords(words, sub []string) int {
	for i := 0; i+len(sub) <= len(words); i++ {
		match := true
		for j, w := range sub {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// cliGroups names every operation's command. Names that two operations of
// a group would share fall back to the operation ids, in kebab case.
func (a *api) cliGroups() []*cliGroup {
	var groups []*cliGroup
	for _, s := range a.services {
		g := &cliGroup{name: cliGroupName(s.tag), svc: s}
		for _, x := range s.ops {
			list := x.paged != nil || (x.result != nil && x.result.kind == kArray)
			name := cliCommandName(g.name, fastAPIBase(x.id, x.method, x.path), list)
			if name == "" {
				name = cliFullName(x)
			}
			g.cmds = append(g.cmds, &cliCommand{name: name, x: x})
		}
		for {
			count := map[string]int{}
			for _, c := range g.cmds {
				count[c.name]++
			}
			changed := false
			for _, c := range g.cmds {
				if full := cliFullName(c.x); count[c.name] > 1 && c.name != full {
					c.name, changed = full, true
				}
			}
			if !changed {
				break
			}
		}
		sort.SliceStable(g.cmds, func(i, j int) bool { return g.cmds[i].name < g.cmds[j].name })
		groups = append(groups, g)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].name < groups[j].name })
	return groups
}

// cliFullName is the command of an operation whose short name is taken:
// its id in kebab case.
func cliFullName(x *op) string { return strings.ToLower(strings.ReplaceAll(x.id, "_", "-")) }

// cliReserved are the flags every command of arthur has, which a query
// parameter's flag must not take.
var cliReserved = map[string]bool{
	"host": true, "token": true, "o": true, "output": true, "demo": true, "timeout": true,
	"all": true, "body": true, "body-file": true, "reveal": true, "help": true, "h": true,
}

// cliFlagName is the flag of a query parameter: page_size is --page-size.
func cliFlagName(p *param) string {
	name := strings.ToLower(strings.ReplaceAll(p.name, "_", "-"))
	if cliReserved[name] {
		name = "param-" + name
	}
	return name
}

// cliArgName is the placeholder of a path parameter: DATASET_ID.
func cliArgName(p *param) string {
	return strings.ToUpper(strings.ReplaceAll(p.name, "-", "_"))
}

// cliText is one line of the spec's prose, without backquotes (which
// flag's usage reads as a placeholder).
func cliText(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "`", "'")), " ")
}

// wrapText wraps prose at width columns, keeping its paragraphs.
func wrapText(s string, width int) string {
	var paras []string
	for _, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		var lines []string
		line := ""
		for _, w := range strings.Fields(strings.ReplaceAll(para, "`", "'")) {
			if line != "" && len(line)+1+len(w) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		if line != "" {
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			paras = append(paras, strings.Join(lines, "\n"))
		}
	}
	return strings.Join(paras, "\n\n")
}

// emitCLI writes the commands of the arthur command, one per operation.
func (a *api) emitCLI() ([]byte, error) {
	f := newGoFile("cli")
	f.use("context")
	f.use("flag")
	f.use("github.com/arthur-sdk/arthur-go")
	groups := a.cliGroups()
	n := 0
	for _, g := range groups {
		n += len(g.cmds)
	}
	f.p("// opCount is the number of operations, one command each.")
	f.p("const opCount = %d", n)
	f.p("")
	f.p("// opGroups are the commands of the operations, a group per service.")
	f.p("func opGroups() []*command {")
	f.p("\treturn []*command{")
	for _, g := range groups {
		tag := strings.TrimSuffix(g.svc.tag, " V1")
		f.p("\t\t{")
		f.p("\t\t\tname: %q,", g.name)
		f.p("\t\t\tsummary: %q,", fmt.Sprintf("%s: %s of the %s API", tag, count(len(g.cmds), "operation"), g.svc.tag))
		f.p("\t\t\thelp: %q,", fmt.Sprintf("The operations of the %s API (client.%sAPI), a command each.", g.svc.tag, g.svc.goName))
		f.p("\t\t\tsubs: []*command{")
		for _, c := range g.cmds {
			f.p("\t\t\t\t%s(),", cliFunc(c.x))
		}
		f.p("\t\t\t},")
		f.p("\t\t},")
	}
	f.p("\t}")
	f.p("}")
	for _, g := range groups {
		for _, c := range g.cmds {
			if err := a.emitCLICommand(f, g, c); err != nil {
				return nil, fmt.Errorf("%s: %w", c.x.id, err)
			}
		}
	}
	if cliUsesIntEnums(groups) {
		f.use("errors")
		f.use("slices")
		f.use("strconv")
		f.use("strings")
		f.p("")
		f.body.WriteString(cliIntEnums)
	}
	f.p("")
	f.p("// secretModels are the models that hold a Secret: an object of the output of")
	f.p("// an operation that answers with credentials is taken for one when it has every")
	f.p("// key the model requires, and the values of its Secret keys are redacted.")
	f.p("var secretModels = []secretModel{")
	for _, m := range a.models {
		var keys, required []string
		for _, fl := range m.fields {
			t := fl.t
			for t.elem != nil {
				t = t.elem
			}
			if t.kind == kSecret {
				keys = append(keys, strconv.Quote(fl.json))
			}
			if fl.required {
				required = append(required, strconv.Quote(fl.json))
			}
		}
		if len(keys) > 0 {
			f.p("\t{required: []string{%s}, secret: []string{%s}}, // %s", strings.Join(required, ", "), strings.Join(keys, ", "), m.goName)
		}
	}
	f.p("}")
	return f.bytes()
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// cliIntEnums are the flag and argument helpers of integer enums, which
// the command table holds when an operation takes one.
const cliIntEnums = `// intEnumValue is a flag whose value must be one of allowed, whole
// numbers; with list, it is repeatable and a value may list several,
// separated by commas.
type intEnumValue[T ~int] struct {
	one     *T
	list    *[]T
	allowed []T
}

func intEnumFlag[T ~int](fs *flag.FlagSet, p *T, name string, allowed []T, usage string) {
	fs.Var(&intEnumValue[T]{one: p, allowed: allowed}, name, usage)
}

func intEnumListFlag[T ~int](fs *flag.FlagSet, p *[]T, name string, allowed []T, usage string) {
	fs.Var(&intEnumValue[T]{list: p, allowed: allowed}, name, usage)
}

func (e *intEnumValue[T]) String() string {
	if e == nil {
		return ""
	}
	var s []string
	switch {
	case e.one != nil && *e.one != 0:
		s = append(s, strconv.Itoa(int(*e.one)))
	case e.list != nil:
		for _, v := range *e.list {
			s = append(s, strconv.Itoa(int(v)))
		}
	}
	return strings.Join(s, ",")
}

func (e *intEnumValue[T]) Set(s string) error {
	parts := []string{s}
	if e.list != nil {
		parts = strings.Split(s, ",")
	}
	for _, part := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || !slices.Contains(e.allowed, T(n)) {
			return errors.New("must be " + oneOfInts(e.allowed))
		}
		if e.list != nil {
			*e.list = append(*e.list, T(n))
		} else {
			*e.one = T(n)
		}
	}
	return nil
}

func oneOfInts[T ~int](allowed []T) string {
	s := make([]string, len(allowed))
	for i, v := range allowed {
		s[i] = strconv.Itoa(int(v))
	}
	return oneOf(s)
}

// intEnumArg is a path argument that must be one of allowed, whole numbers.
func intEnumArg[T ~int](name, s string, allowed []T) (T, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || !slices.Contains(allowed, T(n)) {
		return 0, usageErrorf("argument %s must be %s", name, oneOfInts(allowed))
	}
	return T(n), nil
}
`

// cliUsesIntEnums reports whether a parameter of an operation is an
// integer enum, or a list of them.
func cliUsesIntEnums(groups []*cliGroup) bool {
	for _, g := range groups {
		for _, c := range g.cmds {
			for _, p := range append(append([]*param{}, c.x.pathParams...), c.x.query...) {
				t := p.t
				if t.kind == kArray {
					t = t.elem
				}
				if t.kind == kEnum && t.intEnum {
					return true
				}
			}
		}
	}
	return false
}

// cliPathOrder is x's path parameters in the order the path names them:
// the order of the command's arguments.
func cliPathOrder(x *op) []*param {
	ordered := slices.Clone(x.pathParams)
	sort.SliceStable(ordered, func(i, j int) bool {
		return strings.Index(x.path, "{"+ordered[i].name+"}") < strings.Index(x.path, "{"+ordered[j].name+"}")
	})
	return ordered
}

func cliFunc(x *op) string { return "op" + x.goName }

func (a *api) emitCLICommand(f *goFile, g *cliGroup, c *cliCommand) error {
	x := c.x
	summary := strings.TrimSuffix(cliText(x.summary), ".")
	if summary == "" {
		summary = x.goName
	}
	help := fmt.Sprintf("%s: %s %s (%s, client.%sAPI.%s).", strings.TrimSuffix(summary, "."), x.method, x.path, x.id, g.svc.goName, x.goName)
	if x.desc != "" {
		help += "\n\n" + wrapText(x.desc, 100)
	}
	var notes []string
	if x.body != nil {
		notes = append(notes, fmt.Sprintf("The body, a %s, comes from --body JSON or --body-file FILE (- for stdin).", x.body.title))
	}
	if x.paged != nil {
		notes = append(notes, "--all prints every page as one JSON array of the records, streamed as the pages arrive.")
	}
	if x.secret {
		notes = append(notes, "The answer holds credentials: they print as [REDACTED] unless --reveal is given.")
	}
	if len(notes) > 0 {
		help += "\n\n" + wrapText(strings.Join(notes, " "), 100)
	}
	var args []string
	ordered := cliPathOrder(x)
	for _, p := range ordered {
		args = append(args, strconv.Quote(cliArgName(p)))
	}
	example := "arthur " + g.name + " " + c.name
	for _, p := range ordered {
		example += " " + cliArgName(p)
	}
	if x.body != nil {
		example += " --body-file body.json"
	}
	if x.paged != nil {
		example += " --all"
	}

	f.p("")
	f.p("func %s() *command {", cliFunc(x))
	f.p("\treturn &command{")
	f.p("\t\tname: %q,", c.name)
	f.p("\t\top: %q,", x.id)
	f.p("\t\tsummary: %q,", summary)
	f.p("\t\thelp: %q,", help)
	if len(args) > 0 {
		f.p("\t\targs: []string{%s},", strings.Join(args, ", "))
	}
	f.p("\t\texamples: []string{%q},", example)
	f.p("\t\tsetup: func(fs *flag.FlagSet) runner {")
	var required []string
	if len(x.query) > 0 {
		f.p("\t\t\tvar p arthur.%sParams", x.goName)
		for _, q := range x.query {
			name := cliFlagName(q)
			usage := cliText(q.doc)
			if usage == "" {
				usage = q.name
			}
			if q.required {
				usage += " (required)"
				required = append(required, strconv.Quote(name))
			}
			if err := a.emitCLIFlag(f, q, name, usage); err != nil {
				return err
			}
		}
	}
	if x.body != nil {
		f.p("\t\t\tvar bf bodyFlags")
		f.p("\t\t\tbf.register(fs)")
	}
	if x.paged != nil {
		f.p("\t\t\tvar all bool")
		f.p("\t\t\tfs.BoolVar(&all, \"all\", false, \"every page, from --page on, as one JSON array of the records\")")
	}
	if x.secret {
		f.p("\t\t\tvar reveal bool")
		f.p("\t\t\tfs.BoolVar(&reveal, \"reveal\", false, \"print the credentials in the answer (default [REDACTED])\")")
	}
	argsName := "_"
	var callArgs []string
	if len(x.pathParams) > 0 {
		argsName = "args"
	}
	f.p("\t\t\treturn func(ctx context.Context, x *invocation, %s []string) error {", argsName)
	if len(required) > 0 {
		f.p("\t\t\t\tif err := requireFlags(fs, %s); err != nil {", strings.Join(required, ", "))
		f.p("\t\t\t\t\treturn err")
		f.p("\t\t\t\t}")
	}
	for _, p := range x.pathParams {
		i := slices.Index(ordered, p) // the argument's place; the method takes the spec's order
		switch p.t.kind {
		case kString:
			callArgs = append(callArgs, fmt.Sprintf("args[%d]", i))
		case kEnum:
			fn := "enumArg"
			if p.t.intEnum {
				fn = "intEnumArg"
			}
			v := fmt.Sprintf("a%d", i)
			f.p("\t\t\t\t%s, err := %s(%q, args[%d], arthur.All%sValues)", v, fn, cliArgName(p), i, p.t.name)
			f.p("\t\t\t\tif err != nil {")
			f.p("\t\t\t\t\treturn err")
			f.p("\t\t\t\t}")
			callArgs = append(callArgs, v)
		case kInt:
			v := fmt.Sprintf("a%d", i)
			f.p("\t\t\t\t%s, err := intArg(%q, args[%d])", v, cliArgName(p), i)
			f.p("\t\t\t\tif err != nil {")
			f.p("\t\t\t\t\treturn err")
			f.p("\t\t\t\t}")
			callArgs = append(callArgs, v)
		default:
			return fmt.Errorf("path parameter %s: kind %d", p.name, p.t.kind)
		}
	}
	if x.body != nil {
		f.p("\t\t\t\tvar body arthur.%s", x.body.goName)
		f.p("\t\t\t\tif err := bf.decode(x, &body); err != nil {")
		f.p("\t\t\t\t\treturn err")
		f.p("\t\t\t\t}")
	}
	f.p("\t\t\t\tc, err := x.api()")
	f.p("\t\t\t\tif err != nil {")
	f.p("\t\t\t\t\treturn err")
	f.p("\t\t\t\t}")
	secret := "false"
	if x.secret {
		secret = "!reveal"
	}
	call := "c." + g.svc.goName + "API." + x.goName
	if x.paged != nil {
		f.p("\t\t\t\tif all {")
		f.p("\t\t\t\t\treturn writeAll(x, %sIter(ctx, %s), %s)", call, strings.Join(append(append([]string{}, callArgs...), "&p"), ", "), secret)
		f.p("\t\t\t\t}")
	}
	if len(x.query) > 0 {
		callArgs = append(callArgs, "&p")
	}
	if x.body != nil {
		callArgs = append(callArgs, "body")
	}
	if x.resultType() == "" {
		f.p("\t\t\t\treturn %s(%s)", call, strings.Join(append([]string{"ctx"}, callArgs...), ", "))
	} else {
		f.p("\t\t\t\tv, err := %s(%s)", call, strings.Join(append([]string{"ctx"}, callArgs...), ", "))
		f.p("\t\t\t\tif err != nil {")
		f.p("\t\t\t\t\treturn err")
		f.p("\t\t\t\t}")
		f.p("\t\t\t\treturn x.writeResult(v, %s)", secret)
	}
	f.p("\t\t\t}")
	f.p("\t\t},")
	f.p("\t}")
	f.p("}")
	return nil
}

// emitCLIFlag registers the flag of query parameter q on fs, into p.
func (a *api) emitCLIFlag(f *goFile, q *param, name, usage string) error {
	t, ptr := queryField(q)
	dst := "&p." + q.goName
	switch k := q.t.kind; {
	case k == kString && !ptr:
		f.p("\t\t\tfs.StringVar(%s, %q, \"\", %q)", dst, name, "`TEXT`: "+usage)
	case k == kEnum && !q.t.intEnum && !ptr:
		f.p("\t\t\tenumFlag(fs, %s, %q, arthur.All%sValues, %q+oneOf(arthur.All%sValues)+\")\")", dst, name, q.t.name, "`VALUE`: "+usage+" (", q.t.name)
	case k == kEnum && q.t.intEnum && !ptr:
		f.p("\t\t\tintEnumFlag(fs, %s, %q, arthur.All%sValues, %q+oneOfInts(arthur.All%sValues)+\")\")", dst, name, q.t.name, "`N`: "+usage+" (", q.t.name)
	case k == kArray && q.t.elem.kind == kEnum && q.t.elem.intEnum:
		e := q.t.elem.name
		f.p("\t\t\tintEnumListFlag(fs, %s, %q, arthur.All%sValues, %q+oneOfInts(arthur.All%sValues)+\")\")", dst, name, e, "`N`: "+usage+" (repeatable; ", e)
	case k == kTime && !ptr:
		f.p("\t\t\tfs.Var(timeValue{%s}, %q, %q)", dst, name, "`TIME` (RFC 3339): "+usage)
	case k == kInt && !ptr:
		f.p("\t\t\tfs.Var(intValue{%s}, %q, %q)", dst, name, "`N`: "+usage)
	case k == kInt && ptr:
		f.p("\t\t\tfs.Var(intPtrValue{%s}, %q, %q)", dst, name, "`N`: "+usage)
	case k == kFloat && !ptr:
		f.p("\t\t\tfs.Float64Var(%s, %q, 0, %q)", dst, name, "`X`: "+usage)
	case k == kFloat && ptr:
		f.p("\t\t\tfs.Var(floatPtrValue{%s}, %q, %q)", dst, name, "`X`: "+usage)
	case k == kBool && !ptr:
		f.p("\t\t\tfs.BoolVar(%s, %q, false, %q)", dst, name, usage)
	case k == kBool && ptr:
		f.p("\t\t\tfs.Var(boolPtrValue{%s}, %q, %q)", dst, name, usage+" (--"+name+"=false sends false)")
	case k == kArray && q.t.elem.kind == kString:
		f.p("\t\t\tfs.Var(listValue{%s}, %q, %q)", dst, name, "`TEXT`: "+usage+" (repeatable)")
	case k == kArray && q.t.elem.kind == kEnum && !q.t.elem.intEnum:
		e := q.t.elem.name
		f.p("\t\t\tenumListFlag(fs, %s, %q, arthur.All%sValues, %q+oneOf(arthur.All%sValues)+\")\")", dst, name, e, "`VALUE`: "+usage+" (repeatable; ", e)
	default:
		return fmt.Errorf("query parameter %s: no flag for %s", q.name, t)
	}
	return nil
}
