package store

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSearchFoldPlainIsSearchFold: the one-pass fold of plain text folds
// every rune it takes as the full searchFold does, alone and among
// others, and splits the same words; random texts of plain letters,
// spaces and a few other runes fold and split the same either way.
func TestSearchFoldPlainIsSearchFold(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, ok := searchFoldPlain(s); ok {
			if want := searchFoldAny(s); got != want {
				t.Errorf("searchFoldPlain(%q) = %q, want %q", s, got, want)
			}
		}
		if got, want := searchWords(s), strings.Fields(searchFoldAny(s)); !slices.Equal(got, want) {
			t.Errorf("searchWords(%q) = %q, want %q", s, got, want)
		}
	}
	taken := 0
	for r := rune(0); r < 0x3000; r++ {
		if _, ok := searchFoldPlain(string(r)); ok {
			taken++
		}
		for _, s := range []string{string(r), "Аб" + string(r) + " Z", string(r) + "\u0308", " " + string(r) + "\t"} {
			check(s)
		}
	}
	if taken < 128+66+18 { // ASCII, А–я and Ёё, the Kazakh letters
		t.Errorf("the one-pass fold takes %d runes alone, want all of ASCII, Russian and Kazakh", taken)
	}
	alphabet := []rune("aZqY09 .,-@\t\n\r\v\fАБВЙйЁёЯяжщъыьэюӘәҒғҚқҢңӨөҰұҮүҺһІі")
	odd := []rune("şçÇéü\u00a0\u0085\u200b\u2028ї\u0301ı")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		r := make([]rune, rng.IntN(24))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(40) == 0 {
				r[i] = odd[rng.IntN(len(odd))]
			}
		}
		check(string(r))
	}
	check("\xff\xfe broken Ай")
}
