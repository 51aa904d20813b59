package audit_test

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kollab/kollab/internal/audit"
)

// source is the module's Go code (tests excluded), parsed, by package directory.
type source struct {
	t      *testing.T
	root   string // module root directory
	module string // module path
	fset   *token.FileSet
	pkgs   map[string][]*ast.File // directory (relative to root) -> files
	consts map[string]map[string]string
}

func loadSource(t *testing.T) *source {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	s := &source{t: t, root: root, module: modulePath(t, root), fset: token.NewFileSet(),
		pkgs: map[string][]*ast.File{}, consts: map[string]map[string]string{}}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "frontend" || name == "node_modules" || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(s.fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(p))
		s.pkgs[dir] = append(s.pkgs[dir], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Package-level string constants, per package.
	for dir, files := range s.pkgs {
		s.consts[dir] = map[string]string{}
		for _, f := range files {
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								s.consts[dir][n.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			}
		}
	}
	// Constants defined as another package's constant (const X = audit.Y).
	for dir, files := range s.pkgs {
		for _, f := range files {
			for _, decl := range f.Decls {
				if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST {
					for _, spec := range g.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								if sel, ok := vs.Values[i].(*ast.SelectorExpr); ok {
									if v, ok := s.selector(dir, f, sel); ok {
										s.consts[dir][n.Name] = v
									}
								}
							}
						}
					}
				}
			}
		}
	}
	return s
}

func modulePath(t *testing.T, root string) string {
	f, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m, ok := strings.CutPrefix(sc.Text(), "module "); ok {
			return strings.TrimSpace(m)
		}
	}
	t.Fatal("go.mod names no module")
	return ""
}

// importDir is the directory of the package a file imports under name ("" if none of this module).
func (s *source) importDir(f *ast.File, name string) string {
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		local := filepath.Base(path)
		if im.Name != nil {
			local = im.Name.Name
		}
		if local == name {
			if rel, ok := strings.CutPrefix(path, s.module+"/"); ok {
				return filepath.FromSlash(rel)
			}
			return ""
		}
	}
	return ""
}

// selector resolves pkg.Const to the constant's value.
func (s *source) selector(dir string, f *ast.File, sel *ast.SelectorExpr) (string, bool) {
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", false
	}
	d := s.importDir(f, x.Name)
	if d == "" {
		return "", false
	}
	v, ok := s.consts[d][sel.Sel.Name]
	return v, ok
}

// use is one place where code hands over an action or target type.
type use struct {
	pos   token.Position
	value string
}

// helpers are a package's functions that take an action (or target type)
// as a string parameter named param and put it into an audit.Entry,
// directly or through another such helper (of this package, or a method
// helper of another package in seed: tenant.Actor.Record): name ->
// parameter index. methods are those of them that are methods.
func (s *source) helpers(dir string, files []*ast.File, field, param string, seed map[string]int) (out, methods map[string]int) {
	index := map[*ast.FuncDecl]int{}
	for _, f := range files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			i := 0
			for _, fl := range fd.Type.Params.List {
				if len(fl.Names) == 0 {
					i++
				}
				for _, n := range fl.Names {
					if n.Name == param {
						index[fd] = i
					}
					i++
				}
			}
		}
	}
	out, methods = maps.Clone(seed), map[string]int{}
	if out == nil {
		out = map[string]int{}
	}
	for changed := true; changed; {
		changed = false
		for _, f := range files {
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok {
					continue
				}
				i, has := index[fd]
				if _, done := out[fd.Name.Name]; !has || done {
					continue
				}
				isParam := func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == param }
				passes := false
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.CompositeLit:
						if s.isEntry(dir, f, n.Type) {
							for _, el := range n.Elts {
								if kv, ok := el.(*ast.KeyValueExpr); ok {
									if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field && isParam(kv.Value) {
										passes = true
									}
								}
							}
						}
					case *ast.CallExpr:
						if j, ok := out[s.callee(f, n)]; ok && j < len(n.Args) && isParam(n.Args[j]) {
							passes = true
						}
					}
					return true
				})
				if passes {
					out[fd.Name.Name] = i
					if fd.Recv != nil {
						methods[fd.Name.Name] = i
					}
					changed = true
				}
			}
		}
	}
	return out, methods
}

// callee is the name of the function of this package a call calls ("" for another package's).
func (s *source) callee(f *ast.File, call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok && s.importDir(f, x.Name) != "" {
			return ""
		}
		return fn.Sel.Name
	}
	return ""
}

// uses finds every value the code passes as an audit.Entry's field (Action
// or TargetType) or as the parameter param of a helper that builds one.
// An expression it cannot trace to string constants fails the test.
func (s *source) uses(field, param string) []use {
	var out []use
	// Method helpers (tenant.Actor.Record) are called from other packages.
	methods := map[string]int{}
	for dir, files := range s.pkgs {
		_, m := s.helpers(dir, files, field, param, nil)
		maps.Copy(methods, m)
	}
	for dir, files := range s.pkgs {
		help, _ := s.helpers(dir, files, field, param, methods)
		for _, f := range files {
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					var exprs []ast.Expr
					switch n := n.(type) {
					case *ast.CompositeLit:
						if s.isEntry(dir, f, n.Type) {
							for _, el := range n.Elts {
								if kv, ok := el.(*ast.KeyValueExpr); ok {
									if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field {
										exprs = append(exprs, kv.Value)
									}
								}
							}
						}
					case *ast.CallExpr:
						if i, ok := help[s.callee(f, n)]; ok && i < len(n.Args) {
							exprs = append(exprs, n.Args[i])
						}
					}
					for _, e := range exprs {
						vals, err := s.values(dir, f, fd, e, param, 0)
						if err != nil {
							s.t.Errorf("%s: %v", s.fset.Position(e.Pos()), err)
						}
						for _, v := range vals {
							out = append(out, use{s.fset.Position(e.Pos()), v})
						}
					}
					return true
				})
			}
		}
	}
	return out
}

func (s *source) isEntry(dir string, f *ast.File, typ ast.Expr) bool {
	switch t := typ.(type) {
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		return ok && t.Sel.Name == "Entry" && s.importDir(f, x.Name) == filepath.Join("internal", "audit")
	case *ast.Ident:
		return dir == filepath.Join("internal", "audit") && t.Name == "Entry"
	}
	return false
}

// values traces e to the string constants it can hold.
func (s *source) values(dir string, f *ast.File, fd *ast.FuncDecl, e ast.Expr, param string, depth int) ([]string, error) {
	if depth > 5 {
		return nil, fmt.Errorf("cannot trace %s", exprString(e))
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			v, _ := strconv.Unquote(x.Value)
			return []string{v}, nil
		}
	case *ast.ParenExpr:
		return s.values(dir, f, fd, x.X, param, depth+1)
	case *ast.SelectorExpr:
		if v, ok := s.selector(dir, f, x); ok {
			return []string{v}, nil
		}
	case *ast.Ident:
		if v, ok := s.consts[dir][x.Name]; ok {
			return []string{v}, nil
		}
		// The helper's own parameter: its callers are checked instead.
		for _, field := range fd.Type.Params.List {
			for _, n := range field.Names {
				if n.Name == x.Name && n.Name == param {
					return nil, nil
				}
			}
		}
		// A local variable: every value assigned to it.
		var out []string
		var errs []error
		assigned := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch a := n.(type) {
			case *ast.AssignStmt:
				for i, l := range a.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == x.Name && len(a.Rhs) == len(a.Lhs) {
						assigned = true
						v, err := s.values(dir, f, fd, a.Rhs[i], param, depth+1)
						out, errs = append(out, v...), append(errs, err)
					}
				}
			case *ast.ValueSpec:
				for i, id := range a.Names {
					if id.Name == x.Name && i < len(a.Values) {
						assigned = true
						v, err := s.values(dir, f, fd, a.Values[i], param, depth+1)
						out, errs = append(out, v...), append(errs, err)
					}
				}
			}
			return true
		})
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		if assigned {
			return out, nil
		}
	}
	return nil, fmt.Errorf("cannot trace %s to string constants: use a constant, or a helper parameter named %q", exprString(e), param)
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

var actionKey = regexp.MustCompile(`^[a-z]+(\.[a-z_]+)+$`)

// Every action any package records, and every Action… constant any package
// declares, is in the catalogue with a German and an English label; every
// target type is a catalogued type. Adding an audit event without its
// labels fails here.
func TestEveryRecordedActionIsCatalogued(t *testing.T) {
	src := loadSource(t)
	known := map[string]bool{}
	for _, a := range audit.Actions() {
		known[a.Key] = true
	}
	emitted := map[string]bool{}
	for _, u := range src.uses("Action", "action") {
		emitted[u.value] = true
		if !known[u.value] {
			t.Errorf("%s: action %q is recorded but not in the audit catalogue (audit/catalog.go): add it with a German and an English label", u.pos, u.value)
		}
	}
	declared := map[string]bool{}
	for dir, consts := range src.consts {
		for name, v := range consts {
			if strings.HasPrefix(name, "Action") && actionKey.MatchString(v) {
				declared[v] = true
				if !known[v] {
					t.Errorf("%s: constant %s = %q is not in the audit catalogue (audit/catalog.go)", dir, name, v)
				}
			}
		}
	}
	// The scanner sees the emitters it must see (through variables and helpers too).
	for _, want := range []string{"auth.login.succeeded", "tenant.member.deactivated", "tenant.member.reactivated",
		"tenant.group.member_added", "documents.revision.restored", "documents.document.lock_broken",
		"documents.document.legal_hold_set", "committees.poll.ballot_cast", "committees.minutes.filed"} {
		if !emitted[want] {
			t.Errorf("the source scan did not find where %s is recorded", want)
		}
	}
	if len(emitted) < 80 {
		t.Errorf("the source scan found only %d recorded actions", len(emitted))
	}
	// No catalogue entry is a typo: each is declared or recorded somewhere.
	for k := range known {
		if !emitted[k] && !declared[k] {
			t.Errorf("catalogued action %q is neither recorded nor declared anywhere", k)
		}
	}

	types := map[string]bool{}
	for _, ty := range audit.Types() {
		types[ty.Key] = true
	}
	targets := src.uses("TargetType", "targetType")
	if len(targets) < 50 {
		t.Errorf("the source scan found only %d target types", len(targets))
	}
	for _, u := range targets {
		if !types[u.value] {
			t.Errorf("%s: target type %q is not in the audit catalogue's types", u.pos, u.value)
		}
	}
}

// The catalogue itself: unique keys, a known module, both labels, known
// object types for names and references.
func TestCatalogueIsComplete(t *testing.T) {
	mods := map[string]bool{}
	for _, m := range audit.Modules() {
		if m.Label.DE == "" || m.Label.EN == "" || mods[m.Key] {
			t.Errorf("module %+v", m)
		}
		mods[m.Key] = true
	}
	types := map[string]bool{}
	for _, ty := range audit.Types() {
		if ty.Label.DE == "" || ty.Label.EN == "" || types[ty.Key] {
			t.Errorf("type %+v", ty)
		}
		types[ty.Key] = true
	}
	seen := map[string]bool{}
	for _, a := range audit.Actions() {
		switch {
		case seen[a.Key]:
			t.Errorf("%s twice", a.Key)
		case !actionKey.MatchString(a.Key):
			t.Errorf("%s: not an action key", a.Key)
		case !mods[a.Module()]:
			t.Errorf("%s: unknown module %q", a.Key, a.Module())
		case strings.TrimSpace(a.Label.DE) == "" || strings.TrimSpace(a.Label.EN) == "" || a.Label.DE == a.Label.EN && !slices.Contains([]string{"OParl"}, a.Label.DE):
			t.Errorf("%s: labels %+v", a.Key, a.Label)
		case strings.Contains(a.Label.DE, a.Key) || strings.Contains(a.Label.EN, a.Key):
			t.Errorf("%s: the label shows the key", a.Key)
		}
		for k, ty := range a.Refs {
			if !types[ty] {
				t.Errorf("%s: detail %s names unknown type %q", a.Key, k, ty)
			}
		}
		seen[a.Key] = true
		if got, ok := audit.LookupAction(a.Key); !ok || got.Key != a.Key {
			t.Errorf("LookupAction(%s) = %+v, %v", a.Key, got, ok)
		}
	}
	if _, ok := audit.LookupAction("auth."); ok {
		t.Error("a prefix is not an action")
	}
}
