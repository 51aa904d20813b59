package errs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	messageID = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$`)
	fmtVerb   = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
)

// TestMessageCatalog reads every message the module declares (errs.M with
// literal id, German and English text) and checks that each id is
// well-formed and names one pair of texts, that both texts are there and
// that they have the same fmt verbs (Msg.Format fills both).
func TestMessageCatalog(t *testing.T) {
	type texts struct{ de, en, at string }
	seen := map[string]texts{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "frontend", "testdata", ".git", ".cache":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		af, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inErrs := af.Name.Name == "errs"
		ast.Inspect(af, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch f := c.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := f.X.(*ast.Ident); !ok || x.Name != "errs" || f.Sel.Name != "M" {
					return true
				}
			case *ast.Ident:
				if !inErrs || f.Name != "M" {
					return true
				}
			default:
				return true
			}
			at := fset.Position(c.Pos()).String()
			var args []string
			for _, a := range c.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: a message's id and texts are string literals", at)
					return true
				}
				s, _ := strconv.Unquote(lit.Value)
				args = append(args, s)
			}
			if len(args) != 3 {
				return true
			}
			id, de, en := args[0], args[1], args[2]
			switch {
			case !messageID.MatchString(id):
				t.Errorf("%s: message id %q is not of the form domain.some-words", at, id)
			case strings.TrimSpace(de) == "" || strings.TrimSpace(en) == "":
				t.Errorf("%s: message %s lacks its German or English text", at, id)
			case !slices.Equal(verbs(de), verbs(en)):
				t.Errorf("%s: message %s: the German and English texts have different fmt verbs", at, id)
			}
			if prev, ok := seen[id]; ok && (prev.de != de || prev.en != en) {
				t.Errorf("%s: message id %s has other texts than at %s", at, id, prev.at)
			} else if !ok {
				seen[id] = texts{de, en, at}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 200 {
		t.Fatalf("only %d message ids found: is the scan broken?", len(seen))
	}
}

func verbs(s string) []string {
	v := fmtVerb.FindAllString(s, -1)
	slices.Sort(v)
	return v
}

// TestCodeTable checks that every Code declared in errs.go has its row in
// the table: an error status, a title and a default detail.
func TestCodeTable(t *testing.T) {
	af, err := parser.ParseFile(token.NewFileSet(), "errs.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range af.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for _, v := range vs.Values {
				s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
				c := Code(s)
				n++
				switch {
				case !c.Known():
					t.Errorf("code %s has no row in the table", c)
				case c.Status() < 400 || c.Status() > 599:
					t.Errorf("code %s: status %d is no error status", c, c.Status())
				case c.Title().IsZero() || c.Detail().IsZero():
					t.Errorf("code %s lacks its title or default detail", c)
				}
			}
		}
	}
	if n != len(codes) {
		t.Errorf("%d codes declared, %d in the table", n, len(codes))
	}
}
