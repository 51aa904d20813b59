package sqlscope_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/kollab/kollab/internal/db/sqlscope"
)

// The packages whose SQL reaches tenant tables.
var domainDirs = []string{
	"tenant", "tenant/auth",
	"documents", "documents/dav",
	"meetings", "meetings/publication", "meetings/oparl",
	"internal/audit", "internal/notify",
	"workspaces", "workspaces/consultations", "workspaces/contacts",
}

// crossTenant are the functions that read a user's own memberships across
// tenants, outside any tenant transaction; their statements are exempt.
var crossTenant = map[string]string{
	"tenant.TenantsOfUser": "the user's memberships in every tenant, under DB.AsUser (member_self policy on PostgreSQL)",
	"auth.loadPrincipal":   "a credential's account with its memberships in every tenant (member_self policy via app.user_id)",
	"meetings.FeedMembers": "the feed owner's memberships in every tenant, under DB.AsUser",
}

func tenantTables(t *testing.T) map[string]bool {
	t.Helper()
	pg, err := sqlscope.TenantTables(migrations.FS, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	lite, err := sqlscope.TenantTables(migrations.FS, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	// SQLite lacks the PostgreSQL-only lexicon table; take both.
	maps.Copy(pg, lite)
	return pg
}

// Every SQL string in the domain packages filters each tenant table it
// touches by the bound tenant (see package sqlscope for the rule).
func TestDomainSQLIsTenantScoped(t *testing.T) {
	tables := tenantTables(t)
	for _, must := range []string{"documents", "folders", "meetings", "memberships", "audit_events"} {
		if !tables[must] {
			t.Fatalf("tenant tables from the migrations lack %s: %v", must, tables)
		}
	}
	var findings []string
	n := 0
	exempt := map[string]bool{}
	for _, dir := range domainDirs {
		fs, k := scanDir(t, filepath.Join("..", "..", "..", dir), tables)
		for _, f := range fs {
			if _, ok := crossTenant[f.fn]; ok {
				exempt[f.fn] = true
				continue
			}
			findings = append(findings, f.text)
		}
		n += k
	}
	for fn := range crossTenant {
		if !exempt[fn] {
			t.Errorf("crossTenant lists %s, which reads no tenant table unfiltered: remove it", fn)
		}
	}
	if n < 150 {
		t.Fatalf("only %d SQL strings found: the scan is broken", n)
	}
	for _, f := range findings {
		t.Error(f)
	}
	t.Logf("%d SQL strings checked", n)
}

type scanner struct {
	funcs   map[string]string // function → anchor of the Table chain it returns
	fset    *token.FileSet
	consts  map[string]map[string]ast.Expr // package name → const → value
	tables  map[string]bool
	pkg     string
	fn      string
	anchors map[ast.Expr]string // call arguments in a chain started by tx.Table(name)
	vars    map[string]string   // variable → anchor, within the current function
	checked int
	out     []finding
}

// finding is a statement that misses its tenant filter, in function fn
// (package.Function).
type finding struct{ fn, text string }

func scanDir(t *testing.T, dir string, tables map[string]bool) ([]finding, int) {
	t.Helper()
	s := &scanner{fset: token.NewFileSet(), consts: map[string]map[string]ast.Expr{}, tables: tables}
	// Constants of every scanned package, for constant concatenations
	// across packages (publication.TombstonesTable).
	var files []*ast.File
	for _, d := range domainDirs {
		ents, err := os.ReadDir(filepath.Join("..", "..", "..", d))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			name := e.Name()
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(s.fset, filepath.Join("..", "..", "..", d, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			s.collectConsts(f)
			if filepath.Join("..", "..", "..", d) == dir {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	// Functions that return a chain started by tx.Table(name) (memberQuery).
	s.funcs = map[string]string{}
	for _, f := range files {
		s.pkg = f.Name.Name
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Recv != nil {
				continue
			}
			s.vars = map[string]string{}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
						if id, ok := n.Lhs[0].(*ast.Ident); ok {
							if a := s.chainAnchor(n.Rhs[0]); a != "" {
								s.vars[id.Name] = a
							}
						}
					}
				case *ast.ReturnStmt:
					if len(n.Results) == 1 {
						if a := s.chainAnchor(n.Results[0]); a != "" {
							s.funcs[fd.Name.Name] = a
						}
					}
				}
				return true
			})
		}
	}
	for _, f := range files {
		s.pkg = f.Name.Name
		for _, decl := range f.Decls {
			s.fn = ""
			if fd, ok := decl.(*ast.FuncDecl); ok {
				s.fn = fd.Name.Name
			}
			s.anchors, s.vars = map[ast.Expr]string{}, map[string]string{}
			ast.Inspect(decl, s.visit)
		}
	}
	return s.out, s.checked
}

func (s *scanner) collectConsts(f *ast.File) {
	m := s.consts[f.Name.Name]
	if m == nil {
		m = map[string]ast.Expr{}
		s.consts[f.Name.Name] = m
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if g, ok := n.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						m[name.Name] = vs.Values[i]
					}
				}
			}
		}
		return true
	})
}

// constString evaluates a constant string expression.
func (s *scanner) constString(e ast.Expr, depth int) (string, bool) {
	if depth > 20 {
		return "", false
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		v, err := strconv.Unquote(e.Value)
		return v, err == nil
	case *ast.ParenExpr:
		return s.constString(e.X, depth+1)
	case *ast.Ident:
		if v, ok := s.consts[s.pkg][e.Name]; ok {
			return s.constString(v, depth+1)
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if v, ok := s.consts[x.Name][e.Sel.Name]; ok {
				saved := s.pkg
				s.pkg = x.Name
				defer func() { s.pkg = saved }()
				return s.constString(v, depth+1)
			}
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, ok1 := s.constString(e.X, depth+1)
			b, ok2 := s.constString(e.Y, depth+1)
			return a + b, ok1 && ok2
		}
	}
	return "", false
}

// flatten lays out a string concatenation: constant parts as text,
// everything else as a hole (and those are scanned on their own).
func (s *scanner) flatten(e ast.Expr, b *strings.Builder, rest *[]ast.Expr) {
	if v, ok := s.constString(e, 0); ok {
		b.WriteString(v)
		return
	}
	if be, ok := e.(*ast.BinaryExpr); ok && be.Op == token.ADD {
		s.flatten(be.X, b, rest)
		s.flatten(be.Y, b, rest)
		return
	}
	if p, ok := e.(*ast.ParenExpr); ok {
		s.flatten(p.X, b, rest)
		return
	}
	b.WriteString(" " + sqlscope.Hole + " ")
	*rest = append(*rest, e)
}

// chainAnchor is the table of a gorm chain started by tx.Table(name) (not
// through Unscoped or DB.Global), or of a variable holding one.
func (s *scanner) chainAnchor(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return s.vars[x.Name]
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok {
				return s.funcs[id.Name]
			}
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok {
				return ""
			}
			if sel.Sel.Name == "Table" && len(x.Args) == 1 {
				if recv, ok := sel.X.(*ast.CallExpr); ok {
					if rs, ok := recv.Fun.(*ast.SelectorExpr); ok && (rs.Sel.Name == "Unscoped" || rs.Sel.Name == "Global") {
						return ""
					}
				}
				v, ok := s.constString(x.Args[0], 0)
				if !ok || strings.ContainsAny(v, " ,") {
					return ""
				}
				return v
			}
			e = sel.X
		default:
			return ""
		}
	}
}

func (s *scanner) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.GenDecl:
		if n.Tok == token.CONST {
			return false // constants are checked where they are used
		}
	case *ast.AssignStmt:
		if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
			if id, ok := n.Lhs[0].(*ast.Ident); ok {
				if a := s.chainAnchor(n.Rhs[0]); a != "" {
					s.vars[id.Name] = a
				}
			}
		}
	case *ast.CallExpr:
		if a := s.chainAnchor(n); a != "" {
			for c := ast.Expr(n); ; {
				call, ok := c.(*ast.CallExpr)
				if !ok {
					break
				}
				for _, arg := range call.Args {
					s.anchors[arg] = a
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					break
				}
				c = sel.X
			}
		}
	case *ast.BinaryExpr:
		if n.Op != token.ADD {
			return true
		}
		var b strings.Builder
		var rest []ast.Expr
		s.flatten(n, &b, &rest)
		if strings.Trim(b.String(), " "+sqlscope.Hole) == "" {
			return true // no constant text: not a string concatenation
		}
		s.check(n, b.String())
		for _, r := range rest {
			ast.Inspect(r, s.visit)
		}
		return false
	case *ast.BasicLit, *ast.Ident, *ast.SelectorExpr:
		if v, ok := s.constString(n.(ast.Expr), 0); ok {
			s.check(n.(ast.Expr), v)
		}
		if _, ok := n.(*ast.SelectorExpr); ok {
			return true
		}
	}
	return true
}

func (s *scanner) check(e ast.Expr, q string) {
	if !sqlscope.LooksLikeSQL(q) {
		return
	}
	s.checked++
	var anchors []string
	if a := s.anchors[e]; a != "" {
		anchors = append(anchors, a)
	}
	for _, p := range sqlscope.Check(q, s.tables, anchors...) {
		pos := s.fset.Position(e.Pos())
		short := strings.Join(strings.Fields(strings.ReplaceAll(q, sqlscope.Hole, "…")), " ")
		if len(short) > 160 {
			short = short[:160] + "…"
		}
		s.out = append(s.out, finding{s.pkg + "." + s.fn,
			fmt.Sprintf("%s:%d (%s): %s\n\t%s", strings.TrimPrefix(pos.Filename, "../../../"), pos.Line, s.fn, p, short)})
	}
}

// unscoped are the callers of Tx.Unscoped in non-test code, by file and
// function: global tables and statements that read no table. Anything that
// touches a tenant table goes through Tx.Table, Create, Raw, Exec or Expr.
var unscoped = map[string]string{
	"tenant/auth/tokens.go:RevokeTenantToken":   "api_tokens is global (a user's token, checked against the owner)",
	"tenant/invitations.go:InvitationByToken":   "users is global: is the invited address already an account",
	"tenant/invitations.go:AcceptInvitation":    "users is global: the accepting account, or a new one",
	"tenant/guests.go:EndSessions":              "sessions and api_tokens are global: a guest's sessions and tokens end",
	"tenant/members.go:lockTenant":              "tenants is global: row lock on the tenant row",
	"tenant/service.go:UpdateSettings":          "tenants is global: the tenant's own settings row",
	"tenant/service.go:SettingsOf":              "tenants is global: the tenant's own settings row, read",
	"meetings/polls_count.go:secretTotals":      "secret_ballot_tally(): a security-definer function that filters by the tenant setting itself",
	"meetings/invitations.go:tenantNames":       "tenants is global: the tenant's slug and name",
	"meetings/cast.go:lockPoll":                 "advisory lock, no table",
	"meetings/publication/watch.go:readBody":    "tenants is global: the tenant row as OParl body",
	"internal/audit/names.go:lookupTenant":      "tenants is global: the tenant's name",
	"internal/live/hub.go:Changed":              "pg_notify, no table",
	"documents/search_postgres.go:pgLocal":      "SET LOCAL and set_config, no table",
	"documents/search_postgres.go:pgTSQuery":    "to_tsvector over the search terms, no table",
	"documents/search_sqlite.go:sqliteSnippets": "FTS5 snippets of the tenant's own hits by rowid (the FTS tables have no tenant column)",
}

func TestUnscopedCallers(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	got := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "frontend" || rel == filepath.Join("internal", "db")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && len(c.Args) == 0 {
					if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Unscoped" {
						got[filepath.ToSlash(rel)+":"+fd.Name.Name] = true
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range got {
		if _, ok := unscoped[k]; !ok {
			t.Errorf("%s calls Tx.Unscoped and is not listed: reach tenant tables through Tx.Raw/Exec/Table, or list it with its reason", k)
		}
	}
	for k := range unscoped {
		if !got[k] {
			t.Errorf("%s is listed but no longer calls Tx.Unscoped: remove it from the list", k)
		}
	}
}
