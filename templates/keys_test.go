package templates

import (
	"go/ast"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

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
	"event.*":          func(src *source) []string { return src.consts["EventKind"] },
	"export.rstatus.*": func(src *source) []string { return src.consts["ReminderStatus"] },
	// One text per stage of the 2+2+2 plan.
	"followup.text.*":           stages,
	"followup.text_byhand.*":    stages,
	"followup.suggest.*":        stages,
	"followup.suggest_byhand.*": stages,
	"cmd.*":                     func(src *source) []string { return must(src.packageList("handlers", "menu")) },
	"settings.region.*":         func(src *source) []string { return must(src.packageList("handlers", "phoneRegions")) },
	"city.*":                    func(src *source) []string { return src.firstValues("handlers", "cities") },
	"field.*":                   func(src *source) []string { return src.fieldValues("handlers", "customerFields", "name") },
	"product.field.*":           func(src *source) []string { return src.fieldValues("handlers", "productFields", "name") },
	"product.ask.*":             func(src *source) []string { return src.fieldValues("handlers", "productFields", "name") },
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

// TestSourceKeysInEveryLocale: every text key the Go code uses, literal or
// built from a prefix and a domain value, is defined in every locale, and
// every dynamic key can be expanded (a new one fails until its domain is
// added to keyDomains).
func TestSourceKeysInEveryLocale(t *testing.T) {
	s := MustLoad()
	src := loadSource(t, "..")
	src.findWrappers()
	uses, unresolved := src.uses()
	if len(uses) < 100 {
		t.Fatalf("found only %d key uses in the sources: is the walker broken?", len(uses))
	}
	checked := map[string]bool{}
	check := func(u keyUse, key string) {
		checked[key] = true
		for _, l := range Languages {
			if !s.Has(l, key) {
				t.Errorf("%s: key %q is not defined in %s", u.pos, key, l)
			}
		}
	}
	patterns := map[string]bool{}
	for _, u := range uses {
		if !u.dynamic() {
			if u.key != "" { // "" passed for "no text", as showDraftOrder's intro
				check(u, u.key)
			}
			continue
		}
		vals, ok := src.autoDomain(u)
		if !ok {
			dom, known := keyDomains[u.pattern()]
			if !known {
				t.Errorf("%s: cannot expand the dynamic key %q: add its domain to keyDomains", u.pos, u.pattern())
				continue
			}
			patterns[u.pattern()] = true
			vals = dom(src)
		}
		if len(vals) == 0 {
			t.Errorf("%s: the domain of the dynamic key %q is empty (its list moved?): fix keyDomains", u.pos, u.pattern())
		}
		for _, v := range vals {
			check(u, u.prefix+v+u.suffix)
		}
	}
	for p := range keyDomains {
		if !patterns[p] {
			t.Logf("keyDomains[%q] is not used by the code any more", p)
		}
	}
	t.Logf("%d key uses, %d distinct keys checked, %d dynamic patterns from keyDomains, %d key expressions left to the run-time check",
		len(uses), len(checked), len(patterns), unresolved)
}
