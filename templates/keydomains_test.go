package templates

import (
	"go/ast"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
)

// The domains of the dynamic keys: what value can follow "status." in
// "status."+string(o.Status).

// keyDomains expand the dynamic keys the walker cannot expand from the code
// around them ("status."+string(o.Status): the status of an order), by the
// pattern prefix*suffix. Each takes its values from the domain: crm's
// exported lists, the typed constants of the module, or the handlers'
// tables, read from the source; a table that is gone fails the test.
var keyDomains = map[string]func(src *source) []string{
	"status.*":            func(*source) []string { return strs(crm.OrderStatuses) },
	"status.to.*":         func(*source) []string { return strs(crm.OrderStatuses) },
	"payment.*":           func(*source) []string { return strs(crm.PaymentStatuses) },
	"method.*":            func(*source) []string { return strs(crm.PaymentMethods) },
	"month.short.*":       func(*source) []string { return ints(1, 12) },
	"lang.name.*":         func(*source) []string { return crm.Languages },
	"settings.currency.*": func(*source) []string { return crm.Currencies },
	"outcome.*":           func(*source) []string { return crm.Outcomes },
	"channel.*":           func(*source) []string { return crm.Channels },
	"outreach.occasion.*": func(*source) []string { return crm.Occasions },
	"mailing.to.*":        func(*source) []string { return strs(crm.AudienceKinds) },
	// The two messengers the outreach buttons open.
	"btn.open_*":       func(*source) []string { return []string{crm.ChannelWhatsApp, crm.ChannelTelegram} },
	"outreach.ready.*": func(*source) []string { return []string{crm.ChannelWhatsApp, crm.ChannelTelegram} },
	// The form shows "no repeat" (crm.RepeatNone, "") as "none".
	"repeat.*": func(*source) []string {
		var out []string
		for _, r := range crm.Repeats {
			out = append(out, cmpOr(r, "none"))
		}
		return out
	},
	"reason.*": func(*source) []string {
		var out []string
		for _, r := range crm.Reasons(nil) {
			out = append(out, r.ID)
		}
		return out
	},
	"event.*":   func(src *source) []string { return src.consts["EventKind"] },
	"segment.*": func(*source) []string { return crm.SegmentOrder },
	// One text per stage of the 2+2+2 plan.
	"followup.text.*":           stages,
	"followup.text_byhand.*":    stages,
	"followup.suggest.*":        stages,
	"followup.suggest_byhand.*": stages,
	"cmd.*":                     func(src *source) []string { return must(src.packageList("handlers", "menu")) },
	"settings.region.*":         func(*source) []string { return book.PhoneRegions },
	"city.*":                    func(src *source) []string { return src.firstValues("handlers", "cities") },
	"field.*": func(*source) []string {
		var out []string
		for _, f := range book.Fields() {
			out = append(out, f.Name)
		}
		return out
	},
	"product.field.*": productFieldNames,
	// The customer's chat: what custPress asks for, and her orders' statuses.
	"cust.ask_*":    func(*source) []string { return []string{"note", "free", "ask"} },
	"cust.status.*": func(*source) []string { return strs(crm.OrderStatuses) },
	"product.ask.*": productFieldNames,
	// The import's column mapping names csvio's fields; "" is "ignore".
	"import.field.*": func(src *source) []string {
		var out []string
		for _, f := range must(src.packageList("csvio", "Fields")) {
			out = append(out, cmpOr(f, "ignore"))
		}
		return out
	},
	// The order date searches: orderDateForm("find.order_before", …).
	"list.title.*": func(src *source) []string {
		var out []string
		for _, v := range src.callArgs("orderDateForm", 0) {
			out = append(out, strings.TrimPrefix(v, "find."))
		}
		return out
	},
}

// productFieldNames are the catalog's fields, as the product form asks them.
func productFieldNames(*source) []string {
	var out []string
	for _, f := range book.ProductFields() {
		out = append(out, f.Name)
	}
	return out
}

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func stages(*source) []string {
	return ints(1, len(crm.FollowUpDates(time.Time{}, time.UTC, 9)))
}

// must turns a list the source no longer has into an empty domain, which
// the test reports.
func must(vals []string, ok bool) []string {
	if !ok {
		return nil
	}
	return vals
}

// callArgs are the literal arguments at index i of every call of name.
func (src *source) callArgs(name string, i int) []string {
	var out []string
	for _, sf := range src.files {
		ast.Inspect(sf.file, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && calleeName(c) == name && i < len(c.Args) {
				if s, ok := stringLit(c.Args[i]); ok {
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out
}

// autoDomain finds the values of a dynamic key's variable part from the
// code itself: a range over a literal list or a package variable, or a
// closure's parameter given literals at each call. ok is false when it
// cannot.
func (src *source) autoDomain(u keyUse) ([]string, bool) {
	e := unwrapString(u.rhs)
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil, false
	}
	if list := rangeOver(u.fn.Body, id.Name, id.Pos()); list != nil {
		return src.listValues(u.file, u.fn, list)
	}
	// A closure's parameter: t := func(k string) string { … "invoice."+k … }.
	var vals []string
	found := false
	ast.Inspect(u.fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			fl, ok := rhs.(*ast.FuncLit)
			if !ok || fl.Pos() > u.rhs.Pos() || fl.End() < u.rhs.End() {
				continue
			}
			pi, ok := paramIndex(fl.Type.Params)[id.Name]
			name, isID := as.Lhs[i].(*ast.Ident)
			if !ok || !isID {
				continue
			}
			found = true
			ast.Inspect(u.fn.Body, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && pi < len(c.Args) {
					if f, ok := c.Fun.(*ast.Ident); ok && f.Name == name.Name {
						s, ok := stringLit(c.Args[pi])
						if !ok {
							found = false
						}
						vals = append(vals, s)
					}
				}
				return true
			})
		}
		return true
	})
	return vals, found && len(vals) > 0
}

// unwrapString strips string(x) conversions.
func unwrapString(e ast.Expr) ast.Expr {
	for {
		c, ok := e.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return e
		}
		if f, ok := c.Fun.(*ast.Ident); !ok || f.Name != "string" {
			return e
		}
		e = c.Args[0]
	}
}

// rangeOver is the expression ranged over by the innermost loop around
// pos whose value is name.
func rangeOver(body ast.Node, name string, pos token.Pos) ast.Expr {
	var out ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		if rs, ok := n.(*ast.RangeStmt); ok {
			if v, ok := rs.Value.(*ast.Ident); ok && v.Name == name {
				out = rs.X
			}
		}
		return true
	})
	return out
}

// listValues reads a list of strings: a literal, a local or package
// variable holding one, or another package's exported variable.
func (src *source) listValues(sf *srcFile, fd *ast.FuncDecl, e ast.Expr) ([]string, bool) {
	switch e := e.(type) {
	case *ast.CompositeLit:
		var vals []string
		for _, el := range e.Elts {
			s, ok := src.stringValue(el)
			if !ok {
				return nil, false
			}
			vals = append(vals, s)
		}
		return vals, true
	case *ast.Ident:
		for _, rhs := range assignments(fd.Body, e.Name) {
			return src.listValues(sf, fd, rhs)
		}
		return src.packageList(sf.dir, e.Name)
	case *ast.SelectorExpr:
		if pkg, ok := e.X.(*ast.Ident); ok {
			for _, imp := range sf.file.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if path := strings.TrimPrefix(p, modulePath+"/"); path != p && filepath.Base(path) == pkg.Name {
					return src.packageList(filepath.FromSlash(path), e.Sel.Name)
				}
			}
		}
	}
	return nil, false
}

const modulePath = "github.com/crmbot/crmbot"

// packageList reads the package variable name in dir: var X = []T{…}.
func (src *source) packageList(dir, name string) ([]string, bool) {
	for _, sf := range src.files {
		if sf.dir != dir {
			continue
		}
		for _, d := range sf.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if id.Name == name && i < len(vs.Values) {
						return src.listValues(sf, &ast.FuncDecl{Body: &ast.BlockStmt{}}, vs.Values[i])
					}
				}
			}
		}
	}
	return nil, false
}

// stringValue is a string literal or a typed constant's value, by name.
func (src *source) stringValue(e ast.Expr) (string, bool) {
	if s, ok := stringLit(e); ok {
		return s, true
	}
	name := typeName(e)
	for _, sf := range src.files {
		for _, d := range sf.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if id.Name == name && i < len(vs.Values) {
						return stringLit(vs.Values[i])
					}
				}
			}
		}
	}
	return "", false
}

// fieldValues are the string values of field in the composite literals of
// the declaration decl (a function or a variable) of package dir: the
// names of handlers' customerFields(), the ids of its cities.
func (src *source) fieldValues(dir, decl, field string) []string {
	var vals []string
	for _, sf := range src.files {
		if sf.dir != dir {
			continue
		}
		for _, d := range sf.file.Decls {
			var node ast.Node
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.Name == decl {
					node = d
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok && len(vs.Names) > 0 && vs.Names[0].Name == decl {
						node = vs
					}
				}
			}
			if node == nil {
				continue
			}
			ast.Inspect(node, func(n ast.Node) bool {
				if kv, ok := n.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field {
						if s, ok := stringLit(kv.Value); ok {
							vals = append(vals, s)
						}
					}
				}
				return true
			})
		}
	}
	return vals
}

// firstValues are the first elements, when strings, of the unkeyed
// struct literals in the variable decl of package dir: the ids of
// handlers' cities ({"almaty", "Asia/Almaty", …}).
func (src *source) firstValues(dir, decl string) []string {
	var vals []string
	for _, sf := range src.files {
		if sf.dir != dir {
			continue
		}
		for _, d := range sf.file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Names[0].Name != decl || len(vs.Values) == 0 {
					continue
				}
				list, ok := vs.Values[0].(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, el := range list.Elts {
					if c, ok := el.(*ast.CompositeLit); ok && len(c.Elts) > 0 {
						if s, ok := stringLit(c.Elts[0]); ok {
							vals = append(vals, s)
						}
					}
				}
			}
		}
	}
	return vals
}
