package templates

import (
	"testing"
)

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
