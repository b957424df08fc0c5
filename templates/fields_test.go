package templates

import (
	"go/ast"
	"sort"
	"strconv"
	"testing"
	"text/template/parse"
)

// dataArgs are where the data of a key's template is, by function: T, Text,
// Render and render take (lang, key, data), Say (ctx, r, key, data, kb),
// crm.Invalid (field, key, args).
var dataArgs = map[string]int{"T": 2, "Text": 2, "Render": 2, "render": 2, "Say": 3, "Invalid": 2, "NewError": 2}

// rootFields are the fields a template reads from its data (the first
// name of each .Field chain outside range and with, and $.Field inside
// them), following {{template "x" .}}.
func (s *Set) rootFields(lang, name string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]bool{}
	var walk func(n parse.Node, atRoot bool)
	walkTree := func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if t := s.byLang[lang].Lookup(name); t != nil && t.Tree != nil {
			walk(t.Tree.Root, true)
		}
	}
	args := func(p *parse.PipeNode, atRoot bool) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			for _, a := range c.Args {
				walk(a, atRoot)
			}
		}
	}
	walk = func(n parse.Node, atRoot bool) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c, atRoot)
				}
			}
		case *parse.ActionNode:
			args(n.Pipe, atRoot)
		case *parse.PipeNode:
			args(n, atRoot)
		case *parse.FieldNode:
			if atRoot {
				out[n.Ident[0]] = true
			}
		case *parse.VariableNode:
			if n.Ident[0] == "$" && len(n.Ident) > 1 {
				out[n.Ident[1]] = true
			}
		case *parse.ChainNode:
			walk(n.Node, atRoot)
		case *parse.IfNode:
			args(n.Pipe, atRoot)
			walk(n.List, atRoot)
			walk(n.ElseList, atRoot)
		case *parse.RangeNode:
			args(n.Pipe, atRoot)
			walk(n.List, false)
			walk(n.ElseList, atRoot)
		case *parse.WithNode:
			args(n.Pipe, atRoot)
			walk(n.List, false)
			walk(n.ElseList, atRoot)
		case *parse.TemplateNode:
			if n.Pipe != nil && len(n.Pipe.Cmds) == 1 && len(n.Pipe.Cmds[0].Args) == 1 {
				if _, dot := n.Pipe.Cmds[0].Args[0].(*parse.DotNode); dot && atRoot {
					walkTree(n.Name)
				}
			}
			args(n.Pipe, atRoot)
		}
	}
	walkTree(name)
	return out
}

// suppliedKeys are the keys a call's data certainly holds: the keys of a
// map literal, or of the literal a local variable is made from plus those
// set on it unconditionally (at the top of the function). ok is false when
// the data cannot be read statically (a struct, a value from elsewhere).
func (src *source) suppliedKeys(sf *srcFile, fd *ast.FuncDecl, e ast.Expr, depth int) (map[string]bool, bool) {
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return map[string]bool{}, true
	}
	if cl, ok := e.(*ast.CompositeLit); ok {
		return mapLiteralKeys(cl)
	}
	if call, ok := e.(*ast.CallExpr); ok && depth < 3 {
		// A helper of the package that builds the data: reminderData(…).
		if hf, hfd := src.funcDecl(sf.dir, calleeName(call)); hfd != nil {
			if ret, ok := hfd.Body.List[len(hfd.Body.List)-1].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
				return src.suppliedKeys(hf, hfd, ret.Results[0], depth+1)
			}
		}
		return nil, false
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil, false
	}
	as := assignments(fd.Body, id.Name)
	if len(as) != 1 {
		return nil, false
	}
	keys, ok := src.suppliedKeys(sf, fd, as[0], depth+1)
	if !ok {
		return nil, false
	}
	for _, st := range fd.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok {
			continue
		}
		for _, l := range as.Lhs {
			if ix, ok := l.(*ast.IndexExpr); ok {
				if x, ok := ix.X.(*ast.Ident); ok && x.Name == id.Name {
					if k, ok := stringLit(ix.Index); ok {
						keys[k] = true
					}
				}
			}
		}
	}
	return keys, true
}

// funcDecl is the one function or method called name in package dir.
func (src *source) funcDecl(dir, name string) (*srcFile, *ast.FuncDecl) {
	var file *srcFile
	var found *ast.FuncDecl
	for _, sf := range src.files {
		if sf.dir != dir {
			continue
		}
		for _, d := range sf.file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name && fd.Body != nil && len(fd.Body.List) > 0 {
				if found != nil {
					return nil, nil // two of that name: cannot tell which
				}
				file, found = sf, fd
			}
		}
	}
	return file, found
}

func mapLiteralKeys(cl *ast.CompositeLit) (map[string]bool, bool) {
	if _, ok := cl.Type.(*ast.MapType); !ok {
		return nil, false
	}
	keys := map[string]bool{}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, false
		}
		k, ok := stringLit(kv.Key)
		if !ok {
			return nil, false
		}
		keys[k] = true
	}
	return keys, true
}

// TestCallSitesSupplyTemplateFields: where a template's data is a map the
// code builds in view (a literal, or a local map filled at the top of the
// function), it holds every field the template reads, in every locale; a
// field set only on some paths must be in the literal too (as nil), since
// missingkey=error fails the render on the paths without it. Data the
// walker cannot read (structs, maps from elsewhere) is left to
// missingkey=error and the end-to-end tests, which fail on any render
// error through OnError.
func TestCallSitesSupplyTemplateFields(t *testing.T) {
	s := MustLoad()
	src := loadSource(t, "..")
	src.findWrappers()
	checked, skipped := 0, 0
	for _, sf := range src.files {
		for _, d := range sf.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := calleeName(call)
				ki, ok1 := src.keyArgs[name]
				di, ok2 := dataArgs[name]
				if !ok1 || !ok2 || di >= len(call.Args) {
					return true
				}
				key, ok := stringLit(call.Args[ki])
				if !ok {
					return true
				}
				keys, ok := src.suppliedKeys(sf, fd, call.Args[di], 0)
				if !ok {
					skipped++
					return true
				}
				checked++
				for _, l := range Languages {
					var missing []string
					for f := range s.rootFields(l, key) {
						if !keys[f] {
							missing = append(missing, strconv.Quote(f))
						}
					}
					sort.Strings(missing)
					if len(missing) > 0 {
						t.Errorf("%s: %s/%s reads %v, which the data does not supply", src.fset.Position(call.Pos()), l, key, missing)
					}
				}
				return true
			})
		}
	}
	t.Logf("%d call sites checked statically, %d left to missingkey=error at run time", checked, skipped)
}

// TestPluralCallsHaveTheirLanguagesForms: every plural call in every
// template, on every branch (not only those the golden fixture takes),
// gives as many forms as its language has (pluralForms).
func TestPluralCallsHaveTheirLanguagesForms(t *testing.T) {
	s := MustLoad()
	calls := 0
	for _, l := range Languages {
		for _, tpl := range s.byLang[l].Templates() {
			if tpl.Tree == nil {
				continue
			}
			inspect(tpl.Tree.Root, func(c *parse.CommandNode) {
				id, ok := c.Args[0].(*parse.IdentifierNode)
				if !ok || id.Ident != "plural" {
					return
				}
				calls++
				if forms := len(c.Args) - 2; forms != pluralForms[l] {
					t.Errorf("%s/%s: %s gives %d forms, %s takes %d", l, tpl.Name(), c, forms, l, pluralForms[l])
				}
			})
		}
	}
	if calls == 0 {
		t.Fatal("no plural call found: is the walker broken?")
	}
}

// inspect calls fn with every command under n, nested pipelines included.
func inspect(n parse.Node, fn func(*parse.CommandNode)) {
	var pipe func(p *parse.PipeNode)
	pipe = func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			fn(c)
			for _, a := range c.Args {
				if sub, ok := a.(*parse.PipeNode); ok {
					pipe(sub)
				}
			}
		}
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			inspect(c, fn)
		}
	case *parse.ActionNode:
		pipe(n.Pipe)
	case *parse.IfNode:
		pipe(n.Pipe)
		inspect(n.List, fn)
		inspect(n.ElseList, fn)
	case *parse.RangeNode:
		pipe(n.Pipe)
		inspect(n.List, fn)
		inspect(n.ElseList, fn)
	case *parse.WithNode:
		pipe(n.Pipe)
		inspect(n.List, fn)
		inspect(n.ElseList, fn)
	case *parse.TemplateNode:
		pipe(n.Pipe)
	}
}
