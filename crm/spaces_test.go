package crm

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSingleSpacedIsFieldsJoined: SingleSpaced is what Fields and Join
// make, on spaces of every kind at the ends, doubled and alone, and on
// random texts of letters and spaces.
func TestSingleSpacedIsFieldsJoined(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := SingleSpaced(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("SingleSpaced(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"", " ", "  ", "Айгерим", "Айгерим Нурланова", " Айгерим", "Айгерим ", "Айгерим  Нурланова",
		"a\tb", "a\u00a0b", "a\u2003b", "a\u0085b", "a \u3000", "\xff \xfe", "г. Алматы, ул. Абая 5, кв. 7"} {
		check(s)
	}
	alphabet := []rune("ab Ая \t\n\r\v\f\u00a0\u0085\u2028\u3000.,\u200b")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		r := make([]rune, rng.IntN(12))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(string(r))
	}
}
