package main

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fixture generates every file of the spec in testdata/docs.
func fixture(t *testing.T) (*api, map[string][]byte) {
	t.Helper()
	return generated(t, "testdata/docs")
}

// generated loads and generates the spec and overrides in dir.
func generated(t *testing.T, dir string) (*api, map[string][]byte) {
	t.Helper()
	spec, err := os.ReadFile(filepath.Join(dir, "openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := os.ReadFile(filepath.Join(dir, "overrides.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := load(spec, ov)
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(spec, ov)
	if err != nil {
		t.Fatal(err)
	}
	return a, files
}

// page is a generated page, failing the test when there is none.
func page(t *testing.T, files map[string][]byte, name string) string {
	t.Helper()
	data, ok := files[name]
	if !ok {
		t.Fatalf("%s is not generated", name)
	}
	return string(data)
}

// hasLines checks that each of want is a whole line of the page, in order.
func hasLines(t *testing.T, name, text string, want ...string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	i := 0
	for _, w := range want {
		for i < len(lines) && lines[i] != w {
			i++
		}
		if i == len(lines) {
			t.Errorf("%s: no line %q (after the lines before it in the list)\n%s", name, w, text)
			return
		}
		i++
	}
}

// contains checks that the page holds each of want.
func contains(t *testing.T, name, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: does not contain %q\n%s", name, w, text)
		}
	}
}

func TestDocsPageHead(t *testing.T) {
	_, files := fixture(t)
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		title := strings.TrimSuffix(filepath.Base(name), ".md")
		head := mdHeader + "\n# " + title + "\n\n[README](../README.md) · "
		if !bytes.HasPrefix(data, []byte(head)) {
			t.Errorf("%s does not start with the mark, its title and the nav line:\n%s", name, data)
		}
		if !bytes.HasSuffix(data, []byte("\n")) || bytes.HasSuffix(data, []byte("\n\n")) {
			t.Errorf("%s does not end with exactly one newline", name)
		}
	}
}

func TestDocsEnumPage(t *testing.T) {
	_, files := fixture(t)
	p := page(t, files, "docs/Color.md")
	hasLines(t, "Color.md", p,
		"# Color",
		"[README](../README.md) · [ThingsV1API](ThingsV1API.md)",
		"## Where it is used",
		"- A field of [Thing](Thing.md) (`Color`).",
		"- A parameter in [ListThingsParams](ListThingsParams.md) (`Colors`).",
		"## Values",
		"| Constant | JSON value |",
		"| `arthur.ColorRed` | `\"red\"` |",
		"| `arthur.ColorGreen` | `\"green\"` |",
		"`arthur.AllColorValues` lists them in the spec's order, and `IsValid() bool` reports whether a value is one of them.",
		"## Example",
		"```go",
		"\tif err := json.Unmarshal([]byte(`\"not_a_color\"`), &v); err != nil {",
		"```text",
		"[red green]",
		"true true",
		"not_a_color false",
		"```",
	)
	contains(t, "Color.md", p, "**Unknown values decode without error**")
}

func TestDocsPatchBodyPage(t *testing.T) {
	_, files := fixture(t)
	p := page(t, files, "docs/PatchThing.md")
	hasLines(t, "PatchThing.md", p,
		"# PatchThing",
		"- The request body of [PatchThing](ThingsV1API.md#patchthing).",
		"| Go field | Go type | JSON name | Required | Nullable | Description |",
		"| `Name` | [`Nullable[string]`](Nullable.md) | `name` | no | yes | The new name. |",
		"| `Size` | [`Nullable[int]`](Nullable.md) | `size` | no | yes | The new size. |",
		"| State | Built with | Sent as | The server |",
		"| null | `arthur.Null[T]()` | `\"key\": null` | clears the value |",
		"\tv := arthur.PatchThing{",
		"\t\tName: arthur.Value(\"name\"),",
		"\t\tSize: arthur.Value(1),",
		"\tb, err = json.Marshal(arthur.PatchThing{Name: arthur.Null[string]()})",
		"```text",
		`{"name":"name","size":1}`,
		`{"name":null}`,
		"```",
		"A call with it: `client.ThingsV1API.PatchThing(ctx, thingID, params, v)`.",
	)
}

func TestDocsUnionPage(t *testing.T) {
	_, files := fixture(t)
	p := page(t, files, "docs/Shape.md")
	hasLines(t, "Shape.md", p,
		"# Shape",
		"`arthur.Shape` is a circle or a square. It is the `anyOf` of the spec's `Thing.shape` property: a struct with one pointer per branch, exactly one of them set.",
		"- A field of [Thing](Thing.md) (`Shape`).",
		"## Branches",
		"| `Circle` | [`*Circle`](Circle.md) | `radius` |",
		"| `Square` | [`*Square`](Square.md) | `side` |",
		"\t\t`{\"radius\":1.5}`,",
		"\t\t`{\"side\":1}`,",
		"\t\tcase v.Circle != nil:",
		"```text",
		"Circle set",
		"Square set",
	)
	contains(t, "Shape.md", p, "the first branch, in the order above, whose required keys the JSON object has")
	hasLines(t, "Circle.md", page(t, files, "docs/Circle.md"),
		"- A field of [Shape](Shape.md) (`Circle`, one of its branches).",
		"| `Radius` | `float64` | `radius` | yes | no | The radius. | at least 0 |")
}

func TestDocsListPage(t *testing.T) {
	_, files := fixture(t)
	p := page(t, files, "docs/ThingList.md")
	hasLines(t, "ThingList.md", p,
		"# ThingList",
		"- Returned by [ListThings](ThingsV1API.md#listthings).",
		"| `Records` | [`[]Thing`](Thing.md) | `records` | yes | no | — |",
		"| `Pagination` | [`Pagination`](Pagination.md) | `pagination` | yes | no | — |",
		"\tfmt.Println(\"len(Records):\", len(v.Records))",
		"\tfmt.Println(\"Pagination.Page:\", v.Pagination.Page)",
		"len(Records): 1",
		"Pagination.Page: 1",
	)
	contains(t, "ThingList.md", p, "whose `Model` is `\"ThingList\"`")
	hasLines(t, "Thing.md", page(t, files, "docs/Thing.md"),
		"- The values of [ListThingsIter](ThingsV1API.md#listthingsiter).",
		"| `Key` | [`Secret`](Secret.md) | `key` | yes | no | Its key. | — |",
		"Key: [REDACTED]")
	hasLines(t, "Pagination.md", page(t, files, "docs/Pagination.md"),
		"- **Defaults.** When a key is absent, decoding applies the spec's default: `page` is `1`.")
}

func TestDocsServicePage(t *testing.T) {
	_, files := fixture(t)
	p := page(t, files, "docs/ThingsV1API.md")
	hasLines(t, "ThingsV1API.md", p,
		"# ThingsV1API",
		"[README](../README.md) · [Calling the API](Calling.md)",
		"| Go method | HTTP request | Summary |",
		"| [DeleteThing](#deletething) | **DELETE** /api/v1/things/{thing_id} | Delete Thing |",
		"| [ListThings](#listthings) | **GET** /api/v1/things | List Things |",
		"| [ListThingsIter](#listthingsiter) | **GET** /api/v1/things (every page) | Every Thing that ListThings finds, across all pages |",
		"| [PatchThing](#patchthing) | **PATCH** /api/v1/things/{thing_id} | Patch Thing |",

		"## DeleteThing",
		"Any caller with a valid token: the spec names no permission for it.",
		"None: `err == nil` means the server answered 204.",

		"## ListThings",
		"## ListThingsIter",
		"func (s *ThingsV1APIService) ListThingsIter(ctx context.Context, params *ListThingsParams) iter.Seq2[Thing, error]",
		"\tfor v, err := range client.ThingsV1API.ListThingsIter(ctx, params) {",

		"## PatchThing",
		"```go",
		"func (s *ThingsV1APIService) PatchThing(ctx context.Context, thingID string, params *PatchThingParams, body PatchThing) (*Thing, error)",
		"```",
		"**Patch Thing.** Changes a thing.",
		"Operation `patch_thing`: `PATCH /api/v1/things/{thing_id}`, answered with 200 OK.",
		"### Permission",
		"The caller, a person or a service account, needs the `thing_update` permission (the OAuth2 scopes the spec gives the operation).",
		"### Parameters",
		"| `thingID` | `string` | — | required; path `{thing_id}`; format `uuid`; one path segment, path-escaped by the SDK |",
		"| `params` | [`*PatchThingParams`](PatchThingParams.md) | The query parameters, below. | optional: nil means all defaults |",
		"| `body` | [`PatchThing`](PatchThing.md) | The request body. | required |",
		"| `Notify` | `*bool` | `notify` | no | Tell the owner. | default `false` |",
		"### Result",
		"[`*Thing`](Thing.md), from the 200 body. It holds credentials that the API shows once: store them before anything else. A [`*DecodeError`](DecodeError.md) of this call keeps no body.",
		"### Errors",
		"| 404 | `arthur.ErrNotFound` | [`*arthur.APIError`](APIError.md), [`*arthur.NotFoundError`](NotFoundError.md) | Something the request names does not exist; `Detail` says what. |",
		"| — | `arthur.ErrInvalidArgument` | [`*arthur.ArgumentError`](ArgumentError.md) | Refused before sending: `ctx` is nil or `thingID` is not one path segment (it is blank, `.` or `..`, or holds a `/`). Nothing was sent. |",
		"| 200 | — | [`*arthur.DecodeError`](DecodeError.md) | The server answered 200, but the body is not a `Thing`. |",
		"### Retries",
		"### Example",
		"\tcfg.AccessToken = os.Getenv(\"ARTHUR_ACCESS_TOKEN\")",
		"\tthingID := \"d517dece-2554-44ef-b14e-ed88169d9e2d\"",
		"\t\tNotify: arthur.Ptr(false),",
		"\tthing, err := client.ThingsV1API.PatchThing(ctx, thingID, params, body)",
		"\t\tcase errors.Is(err, arthur.ErrNotFound):",
		"\t\t\tlog.Fatal(\"the caller lacks the thing_update permission\")",
		"\tfmt.Println(\"ID:\", thing.ID)",
	)
}

func TestDocsParamsPage(t *testing.T) {
	_, files := fixture(t)
	p := page(t, files, "docs/ListThingsParams.md")
	hasLines(t, "ListThingsParams.md", p,
		"# ListThingsParams",
		"[README](../README.md) · [ThingsV1API](ThingsV1API.md)",
		"`arthur.ListThingsParams` holds the query parameters of [ListThings](ThingsV1API.md#listthings) and [ListThingsIter](ThingsV1API.md#listthingsiter). It is not a schema of the spec but the operation's query parameters, gathered in a struct.",
		"| `Colors` | [`[]Color`](Color.md) | `colors`, repeated | no | Only things of these colors. | — |",
		"| `Page` | `int` | `page` | no | The page, from 1. | default `1`; at least 1 |",
		"| `PageSize` | `int` | `page_size` | no | Records per page. | default `10`; 1 to 100 |",
		"- A list is sent as repeated keys, in the order of the slice: `colors=red`.",
		"## Checked before sending",
		"```text",
		"?",
		"?colors=red&page=1&page_size=10",
		"arthur: ListThings: params.Page must be at least 1, got -1",
	)
	if _, ok := files["docs/DeleteThingParams.md"]; ok {
		t.Error("an operation without query parameters has a params page")
	}
}

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```\n")

// TestDocsGoBlocks checks the Go of every generated page, for the fixture
// and for the SDK's own spec: each block is gofmt-clean and parses, and
// each signature is the generated method's, word for word.
func TestDocsGoBlocks(t *testing.T) {
	for _, dir := range []string{"testdata/docs", "../../api"} {
		_, files := generated(t, dir)
		var code strings.Builder
		for name, data := range files {
			if strings.HasSuffix(name, ".go") {
				code.Write(data)
			}
		}
		for name, data := range files {
			if !strings.HasSuffix(name, ".md") {
				continue
			}
			for _, m := range goBlock.FindAllStringSubmatch(string(data), -1) {
				src := m[1]
				if strings.HasPrefix(src, "func ") && !strings.Contains(src, "{") {
					if !strings.Contains(code.String(), "\n"+strings.TrimSpace(src)+" {\n") {
						t.Errorf("%s %s: signature is not in the generated code: %s", dir, name, src)
					}
					continue
				}
				got, err := format.Source([]byte(src))
				switch {
				case err != nil:
					t.Errorf("%s %s: a Go block does not parse: %v\n%s", dir, name, err, src)
				case string(got) != src:
					t.Errorf("%s %s: a Go block is not gofmt-clean:\n%s", dir, name, src)
				default:
					for _, imp := range unusedImports(t, src) {
						t.Errorf("%s %s: a Go block imports %s and does not use it:\n%s", dir, name, imp, src)
					}
				}
			}
		}
	}
}

// unusedImports are the imports of a Go file that it does not use.
func unusedImports(t *testing.T, src string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	var out []string
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if !used[name] {
			out = append(out, path)
		}
	}
	return out
}

var mdLink = regexp.MustCompile(`\]\(([A-Za-z0-9_]+\.md)(#[a-z0-9-]+)?\)`)

var mdHeading = regexp.MustCompile(`(?m)^#+ (.+)$`)

// TestDocsLinks checks that every link between pages of docs/, generated
// from the SDK's spec or written by hand, leads to a page and a heading
// that exist.
func TestDocsLinks(t *testing.T) {
	_, files := generated(t, "../../api")
	pages := map[string]string{}
	disk, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range disk {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(mdHeader)) {
			pages[filepath.Base(path)] = string(data)
		}
	}
	for name, data := range files {
		if strings.HasPrefix(name, "docs/") {
			pages[strings.TrimPrefix(name, "docs/")] = string(data)
		}
	}
	anchors := map[string]map[string]bool{}
	for name, text := range pages {
		anchors[name] = map[string]bool{}
		for _, h := range mdHeading.FindAllStringSubmatch(text, -1) {
			anchors[name][githubAnchor(h[1])] = true
		}
	}
	for name, text := range pages {
		for _, l := range mdLink.FindAllStringSubmatch(text, -1) {
			target, frag := l[1], strings.TrimPrefix(l[2], "#")
			switch {
			case anchors[target] == nil:
				t.Errorf("%s links to %s, which is not a page", name, target)
			case frag != "" && !anchors[target][frag]:
				t.Errorf("%s links to %s#%s, which is not a heading of it", name, target, frag)
			}
		}
	}
}

// githubAnchor is the anchor GitHub gives a heading.
func githubAnchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || isLower(r) || isDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestDocsDeterministic(t *testing.T) {
	_, a := generated(t, "../../api")
	_, b := generated(t, "../../api")
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func TestExampleValues(t *testing.T) {
	a, _ := fixture(t)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if u := exampleUUID("thing_id"); !uuid.MatchString(u) || u != exampleUUID("thing_id") || u == exampleUUID("id") {
		t.Errorf("exampleUUID: %s is not a fixed version 4 UUID of its seed", u)
	}
	thing := a.byName["Thing"]
	want := `{
  "id": "` + exampleUUID("id") + `",
  "name": "name",
  "color": "red",
  "note": "note",
  "created_at": "2025-01-02T15:04:05Z",
  "shape": {
    "radius": 1.5
  },
  "key": "key"
}`
	if got := a.exampleModel(thing).json(""); got != want {
		t.Errorf("the example of Thing:\n%s\nwant\n%s", got, want)
	}
	if got := a.exampleModel(thing).wire(); !strings.HasPrefix(got, `{"id":"`) || strings.Contains(got, " ") {
		t.Errorf("the wire form of Thing is not compact: %s", got)
	}

	ten, tenF, one := 10, 10.0, 1.0
	cases := []struct {
		t    *goType
		name string
		s    *schema
		def  string
		want string
	}{
		{&goType{kind: kString}, "first_name", &schema{}, "", `"first name"`},
		{&goType{kind: kString}, "first_name", &schema{MaxLength: new(int)}, "", `""`},
		{&goType{kind: kString}, "x", &schema{MinLength: &ten}, "", `"xxxxxxxxxx"`},
		{&goType{kind: kString, format: "email"}, "contact", &schema{}, "", `"ada@example.com"`},
		{&goType{kind: kString}, "sort", &schema{}, `"name"`, `"name"`},
		{&goType{kind: kTime}, "at", &schema{}, "", `"2025-01-02T15:04:05Z"`},
		{&goType{kind: kInt}, "n", &schema{Minimum: &tenF}, "", `10`},
		{&goType{kind: kInt}, "n", &schema{ExclusiveMaximum: &one}, "", `0`},
		{&goType{kind: kInt}, "n", &schema{}, "20", `20`},
		{&goType{kind: kFloat}, "r", &schema{}, "", `1.5`},
		{&goType{kind: kBool}, "b", &schema{}, "", `true`},
		{&goType{kind: kEnum, name: "Color"}, "c", &schema{}, "", `"red"`},
		{&goType{kind: kArray, elem: &goType{kind: kEnum, name: "Color"}}, "c", &schema{}, `["green","red"]`, `["green", "red"]`},
		{&goType{kind: kMap, elem: &goType{kind: kAny}}, "ctx", &schema{}, "", "{\n  \"key\": \"ctx\"\n}"},
		{&goType{kind: kRaw}, "raw", &schema{}, "", `{}`},
	}
	for _, c := range cases {
		var def []byte
		if c.def != "" {
			def = []byte(c.def)
		}
		if got := a.exampleOf(c.t, c.name, c.s, def).json(""); got != c.want {
			t.Errorf("example of %s %s (default %s): %s, want %s", c.t.expr(), c.name, c.def, got, c.want)
		}
	}
}

func TestExampleGoExpressions(t *testing.T) {
	a, _ := fixture(t)
	imp := goImports{}
	got := a.goValue(a.exampleModel(a.byName["Thing"]), imp)
	for _, want := range []string{
		"arthur.Thing{\n",
		"Color: arthur.ColorRed,\n",
		"Note: arthur.Ptr(\"note\"),\n",
		"CreatedAt: time.Date(2025, time.January, 2, 15, 4, 5, 0, time.UTC),\n",
		"Shape: arthur.Shape{Circle: &arthur.Circle{\nRadius: 1.5,\n}},\n",
		"Key: arthur.Secret(\"key\"),\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the Go example of Thing has no %q:\n%s", want, got)
		}
	}
	if !imp["time"] {
		t.Error("the Go example of Thing uses time but does not import it")
	}
}

func TestProse(t *testing.T) {
	for in, want := range map[string]string{
		"an *APIError whose body decodes":     "an `*APIError` whose body decodes",
		"returns *User.":                      "returns `*User`.",
		"*Note* that emphasis stays":          "*Note* that emphasis stays",
		"two\n  lines":                        "two lines",
		"a `*Code` span is not touched again": "a `*Code` span is not touched again",
	} {
		if got := prose(in); got != want {
			t.Errorf("prose(%q) = %q, want %q", in, got, want)
		}
	}
}
