package csvio

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/templates"
)

// TestErrorKeysInEveryLocale reads the source of csvio and contact and
// checks that every message key they give a *crm.Error (crm.Invalid(field,
// key, …) or crm.Error{Key: …}) is a template in every locale: a file's
// problem is shown to the consultant in her language, never as a key.
func TestErrorKeysInEveryLocale(t *testing.T) {
	tpl := templates.MustLoad()
	keys := map[string]string{} // key -> where
	for _, dir := range []string{".", "../contact"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			collectKeys(t, file, keys)
		}
	}
	if len(keys) < 10 {
		t.Fatalf("found only %d keys: is the scan broken? %v", len(keys), keys)
	}
	for key, where := range keys {
		for _, lang := range templates.Languages {
			if !tpl.Has(lang, key) {
				t.Errorf("%s: key %q has no %s template", where, key, lang)
			}
		}
	}
}

func collectKeys(t *testing.T, file string, keys map[string]string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	literal := func(e ast.Expr) {
		where := fset.Position(e.Pos()).String()
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: an error key that is not a string literal cannot be checked", where)
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		keys[s] = where
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && isCRM(sel.X) && sel.Sel.Name == "Invalid" && len(n.Args) >= 2 {
				literal(n.Args[1])
			}
		case *ast.CompositeLit:
			if sel, ok := n.Type.(*ast.SelectorExpr); ok && isCRM(sel.X) && sel.Sel.Name == "Error" {
				for _, el := range n.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Key" {
							literal(kv.Value)
						}
					}
				}
			}
		}
		return true
	})
}

func isCRM(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "crm"
}
