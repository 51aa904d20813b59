package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every German detail that a domain package passes to an errs constructor
// (directly or through a variable named detail) has an English translation.
func TestEveryDomainDetailHasEnglish(t *testing.T) {
	var missing []string
	check := func(file string, e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !strings.Contains(s, " ") {
			return // empty details and identifiers
		}
		if _, ok := detailsEN[s]; !ok {
			missing = append(missing, filepath.Base(file)+": "+s)
		}
	}
	fset := token.NewFileSet()
	found := 0
	for _, dir := range []string{"../tenant", "../tenant/auth", "../api", "../internal/audit", "../documents", "../meetings", "../internal/input"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
						if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "errs" {
							for _, a := range x.Args {
								found++
								check(f, a)
							}
						}
					}
				case *ast.AssignStmt:
					for i, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && id.Name == "detail" && i < len(x.Rhs) {
							check(f, x.Rhs[i])
						}
					}
				}
				return true
			})
		}
	}
	if found < 30 {
		t.Fatalf("only %d errs arguments found: is the scan broken?", found)
	}
	if len(missing) > 0 {
		t.Fatalf("details without English translation in problem_en.go:\n%s", strings.Join(missing, "\n"))
	}
}
