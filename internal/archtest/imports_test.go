package archtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The import rule of the design card: imports point one way,
//
//	cmd → internal/app → api → domains → internal/{db, storage, audit, errs, live, mail, input, notify, workdays}
//
// adapters (documents/dav, meetings/oparl, meetings/render) import their domain and
// never the other way round, and no domain imports fiber, huma or net/http. Every
// package of the module belongs to exactly one class below; a package that belongs to
// none fails the test, so a new folder has to be placed deliberately.

type class string

const (
	main     class = "main"     // cmd/...
	wiring   class = "wiring"   // internal/app, internal/cli: builds and starts everything
	httpAPI  class = "api"      // api
	domain   class = "domain"   // the modules
	adapter  class = "adapter"  // a domain's protocol adapter
	infra    class = "infra"    // what domains build on
	tooling  class = "tooling"  // tests, fault and load programs, conformance runners
	embedded class = "embedded" // the built web app
)

// domains are the modules at the top (and the sub-packages that are part of them).
var domains = []string{
	"tenant", "tenant/auth", "tenant/auth/password",
	"documents", "documents/extract",
	"meetings", "meetings/publication",
	"workspaces", "workspaces/contacts", "workspaces/consultations", "tasks", "wiki",
}

// adapters, each with the domain it adapts.
var adapters = map[string]string{
	"documents/dav":                     "documents",
	"meetings/oparl":                    "meetings",
	"meetings/render":                   "meetings",
	"workspaces/consultations/synopsis": "workspaces/consultations",
}

// infrastructure a domain may import.
var infrastructure = []string{
	"internal/db", "internal/storage", "internal/audit", "internal/errs",
	"internal/live", "internal/mail", "internal/input", "internal/notify", "internal/pdffont",
	"internal/workdays",
}

// infrastructure no domain imports: the configuration (read by the wiring only) and
// the embedded migrations (read by internal/db only).
var wiringInfra = []string{"internal/config", "internal/db/migrations"}

// tools: test support and programs that drive the whole system; they may import
// anything, and nothing but tests and other tools imports them.
var tools = []string{
	"internal/testenv", "internal/crashtest", "internal/bench", "internal/litmus",
	"internal/archtest", "internal/db/dbtest", "internal/db/sqlscope", "internal/storage/storagetest",
}

// forbiddenInDomains are the HTTP stacks no domain package may import.
var forbiddenInDomains = []string{"net/http", "github.com/gofiber/", "github.com/danielgtaylor/huma", "github.com/valyala/fasthttp"}

// sniffOnly: documents/extract takes one function of net/http, the WHATWG MIME
// sniffing algorithm (http.DetectContentType), and nothing that speaks HTTP; the test
// checks that no other name of net/http is used there.
var sniffOnly = map[string][]string{"documents/extract": {"DetectContentType"}}

func classify(rel string) (class, bool) {
	under := func(list []string) bool {
		return slices.ContainsFunc(list, func(p string) bool { return rel == p || strings.HasPrefix(rel, p+"/") })
	}
	switch {
	case rel == "cmd" || strings.HasPrefix(rel, "cmd/"):
		return main, true
	case rel == "internal/app" || rel == "internal/cli":
		return wiring, true
	case rel == "api":
		return httpAPI, true
	case rel == "frontend":
		return embedded, true
	case under(tools):
		return tooling, true
	case adapters[rel] != "":
		return adapter, true
	case slices.Contains(domains, rel):
		return domain, true
	case slices.Contains(infrastructure, rel) || slices.Contains(wiringInfra, rel):
		return infra, true
	}
	return "", false
}

// allowed reports whether package from (of class cf) may import package to (of class
// ct), and why not.
func allowed(from string, cf class, to string, ct class) (bool, string) {
	switch cf {
	case tooling:
		return true, ""
	case main:
		if ct == wiring || ct == infra || ct == embedded {
			return true, ""
		}
		return false, "cmd only starts internal/app or internal/cli"
	case wiring:
		if ct == tooling || ct == main {
			return false, "the wiring never imports tests or main"
		}
		return true, ""
	case httpAPI:
		switch ct {
		case domain, adapter, embedded:
			return true, ""
		case infra:
			switch to {
			case "internal/config":
				return false, "the API gets its settings from the wiring, not from internal/config"
			case "internal/db":
				return false, "the API reaches the database only through the domain services"
			}
			return true, ""
		}
		return false, "api imports domains, their adapters and infrastructure only"
	case domain:
		switch ct {
		case domain:
			return true, ""
		case infra:
			if slices.Contains(infrastructure, to) {
				return true, ""
			}
			return false, "a domain does not read the configuration itself"
		case adapter:
			return false, "a domain never imports an adapter (adapters import their domain)"
		}
		return false, "a domain imports other domains and internal/{db, storage, audit, errs, live, mail, input, notify} only"
	case adapter:
		switch ct {
		case domain, infra:
			if to == "internal/config" {
				return false, "an adapter gets its settings from the wiring"
			}
			return true, ""
		case adapter:
			return false, "adapters do not import each other"
		}
		return false, "an adapter imports its domain and infrastructure only"
	case infra:
		if ct == infra && to != "internal/config" {
			return true, ""
		}
		return false, "infrastructure knows no domain, adapter, API or wiring"
	case embedded:
		return false, "the web app embeds files only"
	}
	return false, "unknown class"
}

type pkg struct {
	ImportPath string
	Imports    []string
	Module     *struct{ Path string }
	Standard   bool
}

// listPackages runs `go list -deps -json ./...` in the module root and returns the
// module's own packages.
func listPackages(t *testing.T) (root, module string, pkgs []pkg) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-deps", "-json", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -json ./...: %v\n%s", err, stderr.String())
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(mod), "\n")
	module = strings.TrimSpace(strings.TrimPrefix(first, "module"))
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Module != nil && p.Module.Path == module {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found only %d packages of %s", len(pkgs), module)
	}
	return root, module, pkgs
}

// usesOnly returns a violation for every name of the package imp that the non-test
// files of the package rel use beyond names.
func usesOnly(root, rel, imp string, names []string) []string {
	var bad []string
	files, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(rel), "*.go"))
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return append(bad, fmt.Sprintf("%s: %v", f, err))
		}
		local := ""
		for _, im := range af.Imports {
			if p, _ := strconv.Unquote(im.Path.Value); p == imp {
				local = path.Base(imp)
				if im.Name != nil {
					local = im.Name.Name
				}
			}
		}
		if local == "" {
			continue
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && !slices.Contains(names, sel.Sel.Name) {
					bad = append(bad, fmt.Sprintf("%s uses %s.%s: a domain speaks no HTTP (only %s may be used there)",
						fset.Position(sel.Pos()), imp, sel.Sel.Name, strings.Join(names, ", ")))
				}
			}
			return true
		})
	}
	return bad
}

// check returns every violation of the rule among pkgs (paths relative to the module).
func check(root, module string, pkgs []pkg) []string {
	var bad []string
	for _, p := range pkgs {
		from := strings.TrimPrefix(p.ImportPath, module+"/")
		cf, ok := classify(from)
		if !ok {
			bad = append(bad, fmt.Sprintf("%s: belongs to no layer of the design card (place it in imports_test.go)", from))
			continue
		}
		for _, imp := range p.Imports {
			if rel, own := strings.CutPrefix(imp, module+"/"); own {
				ct, ok := classify(rel)
				if !ok {
					continue // reported as the package itself
				}
				if ok, why := allowed(from, cf, rel, ct); !ok {
					bad = append(bad, fmt.Sprintf("%s imports %s: %s", from, rel, why))
				}
				if cf == domain && ct == domain && !slices.Contains(domains, rel) {
					bad = append(bad, fmt.Sprintf("%s imports %s: not a domain package", from, rel))
				}
				continue
			}
			if cf == domain && slices.ContainsFunc(forbiddenInDomains, func(f string) bool { return imp == f || strings.HasPrefix(imp, f) }) {
				if names, ok := sniffOnly[from]; ok && imp == "net/http" {
					bad = append(bad, usesOnly(root, from, imp, names)...)
					continue
				}
				bad = append(bad, fmt.Sprintf("%s imports %s: a domain speaks no HTTP", from, imp))
			}
		}
		if cf == adapter {
			// an adapter's domain never imports it (checked above through the class), and
			// the adapter must import the domain it adapts (otherwise it is misplaced).
			if !slices.Contains(p.Imports, module+"/"+adapters[from]) {
				bad = append(bad, fmt.Sprintf("%s: an adapter of %s that does not import it", from, adapters[from]))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

func TestImportsFollowTheDesignCard(t *testing.T) {
	root, module, pkgs := listPackages(t)
	for _, v := range check(root, module, pkgs) {
		t.Error(v)
	}
}

// TestTopLevelIsTheCard: the top of the tree holds the modules of the design card and
// nothing else that is Go code.
func TestTopLevelIsTheCard(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"api", "cmd", "deploy", "documents", "frontend", "internal", "meetings", "tasks", "tenant", "wiki", "workspaces"}
	other := []string{"docs", "scripts", "test-artifacts", "node_modules", "data"}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
		case !e.IsDir():
			if strings.HasSuffix(name, ".go") {
				t.Errorf("Go file %s at the top level", name)
			}
		case slices.Contains(other, name):
			if goFiles(t, filepath.Join(root, name)) {
				t.Errorf("%s/ holds Go code; it belongs under internal/ or in its domain", name)
			}
		default:
			got = append(got, name)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("the top level lacks %s/", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("%s/ stands at the top level but is no folder of the design card", g)
		}
	}
}

func goFiles(t *testing.T, dir string) bool {
	t.Helper()
	found := false
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipDir
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".go") {
			found = true
		}
		return nil
	})
	return found
}

// TestTheRuleCatches: the rule refuses what the design review found in the tree before
// the layout change (mail composing meeting mails, domains speaking HTTP), and what the
// layout forbids beyond it.
func TestTheRuleCatches(t *testing.T) {
	const m = "example.org/k"
	p := func(from string, imports ...string) pkg {
		for i, imp := range imports {
			if !strings.Contains(imp, ".") && !strings.Contains(imp, "/http") {
				imports[i] = m + "/" + imp
			}
		}
		return pkg{ImportPath: m + "/" + from, Imports: imports}
	}
	for _, c := range []struct {
		p    pkg
		want string
	}{
		{p("internal/mail", "meetings"), "internal/mail imports meetings"},
		{p("internal/mail", "tenant"), "internal/mail imports tenant"},
		{p("tenant/auth", "net/http"), "tenant/auth imports net/http"},
		{p("meetings", "github.com/gofiber/fiber/v2"), "meetings imports github.com/gofiber/fiber/v2"},
		{p("documents", "github.com/danielgtaylor/huma/v2"), "documents imports github.com/danielgtaylor/huma/v2"},
		{p("meetings", "meetings/oparl"), "a domain never imports an adapter"},
		{p("documents", "api"), "documents imports api"},
		{p("api", "internal/config"), "api imports internal/config"},
		{p("api", "internal/db"), "api imports internal/db"},
		{p("cmd/kollab", "api"), "cmd only starts"},
		{p("meetings/oparl", "documents/dav", "meetings"), "adapters do not import each other"},
		{p("meetings/render"), "an adapter of meetings that does not import it"},
		{p("internal/db", "documents"), "internal/db imports documents"},
		{p("committees"), "committees: belongs to no layer"},
		{p("auth"), "auth: belongs to no layer"},
	} {
		got := check(t.TempDir(), m, []pkg{c.p})
		if !slices.ContainsFunc(got, func(v string) bool { return strings.Contains(v, c.want) }) {
			t.Errorf("%s importing %v: want a violation %q, got %q", c.p.ImportPath, c.p.Imports, c.want, got)
		}
	}
	// and lets the right shape pass
	ok := []pkg{
		p("cmd/kollab", "internal/cli"), p("internal/cli", "internal/app", "internal/config"),
		p("internal/app", "api", "meetings", "internal/config"), p("api", "meetings", "meetings/oparl", "documents/dav", "internal/errs"),
		p("meetings", "documents", "tenant", "internal/db", "internal/mail", "meetings/publication"),
		p("meetings/oparl", "meetings", "documents", "net/http"), p("internal/mail", "internal/errs"),
	}
	if got := check(t.TempDir(), m, ok); len(got) > 0 {
		t.Errorf("the design card's shape refused: %q", got)
	}
}

// TestAPIActsForPeopleOnly: the HTTP layer builds every tenant.Actor from an
// authenticated membership; the operator's actor (tenant.Operator), which has
// the admin role without a membership, is for the server's own commands only.
func TestAPIActsForPeopleOnly(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "api", "*.go"))
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(af, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Operator" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "tenant" {
					t.Errorf("%s: the API acts for authenticated members only, never as tenant.Operator", fset.Position(sel.Pos()))
				}
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("only %d files of api read", checked)
	}
}
