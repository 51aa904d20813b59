package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The house plan's size limits: no Go file longer than maxFileLines, no
// function (outside tests) longer than maxFuncLines. Tests may tell a long
// journey in one function; production code splits along its seams.
const (
	maxFileLines = 600
	maxFuncLines = 80
)

// sizeViolations walks the Go files below root and names every file and
// function over the limits.
func sizeViolations(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "frontend", ".cache", ".git", "test-artifacts":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if n := strings.Count(string(src), "\n"); n > maxFileLines {
			out = append(out, rel+": file has "+itoa(n)+" lines")
		}
		if strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			if n > maxFuncLines {
				out = append(out, rel+": func "+fd.Name.Name+" has "+itoa(n)+" lines")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestFilesAndFunctionsStaySmall(t *testing.T) {
	for _, v := range sizeViolations(t, repoRoot(t)) {
		t.Error(v)
	}
}

// TestTheSizeRuleCatches shows the walk would see an oversized function.
func TestTheSizeRuleCatches(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("package x\n\nfunc long() {\n")
	for i := 0; i < maxFuncLines; i++ {
		b.WriteString("\t_ = 1\n")
	}
	b.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	got := sizeViolations(t, dir)
	if len(got) != 1 || !strings.Contains(got[0], "func long has 82 lines") {
		t.Fatalf("size rule missed an 82-line function: %v", got)
	}
}
