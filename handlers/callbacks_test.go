package handlers

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestParsePress(t *testing.T) {
	for _, tc := range []struct {
		name, data   string
		want         action
		arg0, arg1   string
		wantArgCount int
	}{
		{"action only", "x:csv", action{prefixExport, "csv"}, "", "", 0},
		{"one id", "cu:o:abc", action{prefixCustomer, "o"}, "abc", "", 1},
		{"id and value", "or:s:abc:delivered", action{prefixOrder, "s"}, "abc", "delivered", 2},
		{"prefix alone", "rp", action{prefix: prefixReport}, "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parsePress(tc.data)
			if p.action != tc.want || p.arg(0) != tc.arg0 || p.arg(1) != tc.arg1 || len(p.args) != tc.wantArgCount {
				t.Fatalf("parsePress(%q) = %+v", tc.data, p)
			}
			if got := p.action.data(p.args...); got != tc.data && tc.wantArgCount > 0 {
				t.Fatalf("data round trip: %q, want %q", got, tc.data)
			}
		})
	}
}

// TestEveryActionNamedOnceAndTested reads callbacks.go: no two actions
// share a prefix and name (a press would reach the wrong feature), every
// action's prefix is a declared prefix, and every action appears in one of
// the wire-format tests (*_callbacks_test.go), which check its data, that
// it parses back and that it fits Telegram's 64 bytes.
func TestEveryActionNamedOnceAndTested(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "callbacks.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	prefixes := map[string]bool{}
	actions := map[string]string{} // var name → "prefix:name"
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range g.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			for i, name := range vs.Names {
				if g.Tok == token.CONST && strings.HasPrefix(name.Name, "prefix") {
					prefixes[name.Name] = true
					continue
				}
				if i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.CompositeLit)
				if !ok || fmt.Sprint(lit.Type) != "action" {
					continue
				}
				var parts []string
				for _, e := range lit.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						e = kv.Value
					}
					switch x := e.(type) {
					case *ast.Ident:
						if !prefixes[x.Name] {
							t.Errorf("%s: %s is not a declared prefix", name.Name, x.Name)
						}
						parts = append(parts, x.Name)
					case *ast.BasicLit:
						parts = append(parts, x.Value)
					}
				}
				actions[name.Name] = strings.Join(parts, ":")
			}
		}
	}
	if len(actions) < 40 {
		t.Fatalf("found %d actions in callbacks.go; the parse is broken", len(actions))
	}
	seen := map[string]string{}
	for v, key := range actions {
		if other, ok := seen[key]; ok && !strings.HasSuffix(key, ":") {
			t.Errorf("%s and %s are the same action (%s)", v, other, key)
		}
		seen[key] = v
	}
	tests, err := filepath.Glob("*_callbacks_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, name := range tests {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	used := regexp.MustCompile(`\b\w+\b`).FindAllString(src.String(), -1)
	inTests := map[string]bool{}
	for _, w := range used {
		inTests[w] = true
	}
	var untested []string
	for v := range actions {
		if !inTests[v] {
			untested = append(untested, v)
		}
	}
	sort.Strings(untested)
	if len(untested) > 0 {
		t.Errorf("actions no wire-format test checks: %s", strings.Join(untested, ", "))
	}
}

// wireCase is one button's data: the action, its arguments and the bytes
// buttons already in chats carry.
type wireCase struct {
	name string
	a    action
	args []string
	want string
}

// checkWire runs wire-format cases: the data is byte for byte what older
// buttons carry, fits Telegram's 64 bytes, and parses back to its action
// and arguments.
func checkWire(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.a.data(tc.args...)
			if got != tc.want {
				t.Fatalf("data %q, want %q", got, tc.want)
			}
			if len(got) > 64 {
				t.Fatalf("%q is %d bytes, over Telegram's 64", got, len(got))
			}
			p := parsePress(got)
			if !p.is(tc.a) || len(p.args) != len(tc.args) {
				t.Fatalf("parsePress(%q) = %+v", got, p)
			}
			for i, a := range tc.args {
				if p.arg(i) != a {
					t.Fatalf("arg %d = %q, want %q", i, p.arg(i), a)
				}
			}
		})
	}
}
