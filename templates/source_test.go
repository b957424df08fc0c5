package templates

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// This file reads the repository's Go sources (every non-test .go file
// under the module root) for the text keys they use, so a key missing in
// one locale fails a test even when no end-to-end test reaches it.

// keyArgs are the functions whose argument at the index is a text key.
// Wrappers (a function or closure passing one of its parameters straight
// to one of these) are found by the walker and added.
var keyArgs = map[string]int{"T": 1, "Text": 1, "Render": 1, "render": 1, "Say": 2, "Invalid": 1, "NewError": 1}

// keyFields are the struct fields that hold a text key rendered later, by
// field: bot.Field's Prompt and Label, a list view's Title in any struct;
// Key only in a crm.Error (a bson.E has a Key too).
var keyFields = map[string]string{"Prompt": "", "Label": "", "Title": "", "Key": "Error"}

func isKeyField(lit *ast.CompositeLit, field string) bool {
	typ, ok := keyFields[field]
	return ok && (typ == "" || typeName(lit.Type) == typ)
}

// srcFile is one parsed Go file of the module.
type srcFile struct {
	path string // relative to the module root
	dir  string // package directory, relative
	file *ast.File
}

// source is the module's Go code, parsed.
type source struct {
	fset  *token.FileSet
	files []*srcFile
	// keyArgs are keyArgs and the wrappers found (findWrappers).
	keyArgs map[string]int
	// consts are the values of the string constants of each named type
	// ("OrderStatus": new, unprocessed…), across every package.
	consts map[string][]string
}

// keyUse is one place a text key is used: a literal key, or a prefix
// concatenated with a value ("status."+s) expanded over a domain.
type keyUse struct {
	pos            string
	dyn            bool
	key            string // a literal key
	prefix, suffix string // a dynamic key: prefix + value + suffix
	rhs            ast.Expr
	fn             *ast.FuncDecl
	file           *srcFile
}

func (u keyUse) dynamic() bool { return u.dyn }

// pattern names a dynamic key for messages and the domain table:
// "status.%s", "followup.text.%d".
func (u keyUse) pattern() string { return u.prefix + "*" + u.suffix }

func loadSource(t *testing.T, root string) *source {
	t.Helper()
	src := &source{fset: token.NewFileSet(), consts: map[string][]string{}, keyArgs: maps.Clone(keyArgs)}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(src.fset, p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		src.files = append(src.files, &srcFile{path: rel, dir: filepath.Dir(rel), file: f})
		return nil
	})
	if err != nil {
		t.Fatalf("read the module's sources: %v", err)
	}
	for _, sf := range src.files {
		for _, d := range sf.file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok {
				src.addConsts(gd)
			}
		}
	}
	return src
}

// addConsts records typed string constants: `StatusNew OrderStatus = "new"`.
func (src *source) addConsts(d *ast.GenDecl) {
	if d.Tok != token.CONST {
		return
	}
	for _, spec := range d.Specs {
		vs := spec.(*ast.ValueSpec)
		typ := typeName(vs.Type)
		if typ == "" {
			continue
		}
		for _, v := range vs.Values {
			if s, ok := stringLit(v); ok {
				src.consts[typ] = append(src.consts[typ], s)
			}
		}
	}
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}

func calleeName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// findWrappers adds to src.keyArgs every function that passes one of its
// parameters straight into a key argument or a key field, until no more
// are found.
func (src *source) findWrappers() {
	for changed := true; changed; {
		changed = false
		for _, sf := range src.files {
			for _, d := range sf.file.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				if _, known := src.keyArgs[fd.Name.Name]; known {
					continue
				}
				if i, ok := src.wrapperParam(fd.Type.Params, fd.Body, src.closures(fd.Body)); ok {
					src.keyArgs[fd.Name.Name], changed = i, true
				}
			}
		}
	}
}

// wrapperParam is the index of the parameter that body passes straight
// into a key sink.
func (src *source) wrapperParam(params *ast.FieldList, body ast.Node, local map[string]int) (int, bool) {
	idx := paramIndex(params)
	found, at := false, 0
	src.sinks(body, local, func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); ok && !found {
			at, found = idx[id.Name]
		}
	})
	return at, found
}

// closures are the key wrappers declared inside body as closures
// (t := func(k string) string { return tpl.Text(lang, k, nil) }), by the
// local name; -1 marks a local closure that is not a wrapper and hides a
// function of that name.
func (src *source) closures(body ast.Node) map[string]int {
	local := map[string]int{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			fl, ok := rhs.(*ast.FuncLit)
			id, isID := as.Lhs[i].(*ast.Ident)
			if !ok || !isID {
				continue
			}
			local[id.Name] = -1
			if at, ok := src.wrapperParam(fl.Type.Params, fl.Body, nil); ok {
				local[id.Name] = at
			}
		}
		return true
	})
	return local
}

func paramIndex(fl *ast.FieldList) map[string]int {
	idx := map[string]int{}
	i := 0
	for _, f := range fl.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, n := range f.Names {
			idx[n.Name] = i
			i++
		}
	}
	return idx
}

// sinks calls fn with every expression under n that is used as a text key:
// a key argument of a call, a key field of a composite literal.
func (src *source) sinks(n ast.Node, local map[string]int, fn func(ast.Expr)) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			i, ok := src.keyArgs[calleeName(n)]
			if id, isID := n.Fun.(*ast.Ident); isID {
				if li, isLocal := local[id.Name]; isLocal {
					i, ok = li, li >= 0
				}
			}
			if ok && i < len(n.Args) {
				fn(n.Args[i])
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && isKeyField(n, k.Name) && keyShaped(kv.Value) {
						fn(kv.Value)
					}
				}
			}
		}
		return true
	})
}

// keyShaped tells a key held in a struct field ("field."+name,
// "find.ask.date") from a plain string a field may also hold (an
// important date's label "годовщина"): a literal must look like a key.
func keyShaped(e ast.Expr) bool {
	for {
		if b, ok := e.(*ast.BinaryExpr); ok {
			e = b.X
			continue
		}
		if c, ok := e.(*ast.CallExpr); ok && calleeName(c) == "Sprintf" && len(c.Args) > 0 {
			e = c.Args[0]
			continue
		}
		break
	}
	s, ok := stringLit(e)
	if !ok {
		return true
	}
	return keyPattern.MatchString(s)
}

var keyPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_%]+)*\.?$`)

// uses lists every key use the walker can resolve; unresolved counts the
// key expressions it cannot (a parameter, a field): those are checked at
// run time, where a missing key fails the test through OnError.
func (src *source) uses() (uses []keyUse, unresolved int) {
	for _, sf := range src.files {
		for _, d := range sf.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			src.sinks(fd.Body, src.closures(fd.Body), func(e ast.Expr) {
				us := src.eval(sf, fd, e, 0)
				if us == nil {
					unresolved++
				}
				uses = append(uses, us...)
			})
		}
	}
	return uses, unresolved
}

// eval resolves a key expression to its literal keys or dynamic prefixes.
func (src *source) eval(sf *srcFile, fd *ast.FuncDecl, e ast.Expr, depth int) []keyUse {
	if depth > 5 {
		return nil
	}
	pos := src.fset.Position(e.Pos()).String()
	use := keyUse{pos: pos, fn: fd, file: sf}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return src.eval(sf, fd, e.X, depth+1)
	case *ast.BasicLit:
		if s, ok := stringLit(e); ok {
			use.key = s
			return []keyUse{use}
		}
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return nil
		}
		if s, ok := stringLit(e.Y); ok { // prefix + x + ".suffix"
			var out []keyUse
			for _, u := range src.eval(sf, fd, e.X, depth+1) {
				if u.dynamic() {
					u.suffix += s
				} else {
					u.key += s
				}
				out = append(out, u)
			}
			return out
		}
		var out []keyUse
		for _, l := range src.eval(sf, fd, e.X, depth+1) {
			if !l.dynamic() {
				u := use
				u.dyn, u.prefix, u.rhs = true, l.key, e.Y
				out = append(out, u)
			}
		}
		return out
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) == 2 {
			var out []keyUse
			for _, f := range src.eval(sf, fd, e.Args[0], depth+1) {
				if i := strings.IndexByte(f.key, '%'); i >= 0 && !f.dynamic() && i+1 < len(f.key) {
					u := use
					u.dyn, u.prefix, u.suffix, u.rhs = true, f.key[:i], f.key[i+2:], e.Args[1]
					out = append(out, u)
				}
			}
			return out
		}
	case *ast.Ident:
		var out []keyUse
		for _, rhs := range assignments(fd.Body, e.Name) {
			out = append(out, src.eval(sf, fd, rhs, depth+1)...)
		}
		return out
	}
	return nil
}

// assignments are the expressions assigned to the local name in body.
func assignments(body ast.Node, name string) []ast.Expr {
	var out []ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name {
					out = append(out, n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name == name && i < len(n.Values) {
					out = append(out, n.Values[i])
				}
			}
		}
		return true
	})
	return out
}

func ints(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (u keyUse) String() string {
	if u.dynamic() {
		return fmt.Sprintf("%s: %q", u.pos, u.pattern())
	}
	return fmt.Sprintf("%s: %q", u.pos, u.key)
}
