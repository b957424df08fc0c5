package store

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// slowFold is Fold without its shortcut: the definition.
func slowFold(s string) string {
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// TestFoldShortcutIsTheDefinition: every rune the shortcut lets through
// folds as the full chain folds it, alone and before a combining mark,
// and whole names and notes fold the same either way.
func TestFoldShortcutIsTheDefinition(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if _, ok := foldPlain(string(r)); !ok {
			continue
		}
		for _, s := range []string{string(r), string(r) + "\u0308", "\u0301" + string(r)} {
			if got, want := Fold(s), slowFold(s); got != want {
				t.Errorf("Fold(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{
		"Айгерим Нурланова", "ӘСЕЛ Қасымова", "Фёдорова Алёна", "Йошкар-Ола", "Café Müller", "Гүлнар Өмірбекова, г. Алматы № 5",
		"Любит TimeWise, кожа сухая", "Ақшасын айлықтан кейін береді", "İstanbul", "ﬁne", "Ǆemal", "", "   ", "e\u0301",
		"Ї ї Ў ў", "Ńina", "\xff\xfe broken", "ЁЛКА Йогурт", "Сергей Ёлкин-Қайырбек",
	} {
		if got, want := Fold(s), slowFold(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for _, s := range []string{"Aigerim Nurlanova", "Айгерим Қасымова", "Фёдорова Алёна"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				Fold(s)
			}
		})
	}
}

// TestSkeletonTablesCoverTheAlphabet: skeleton reads every letter а to я
// from cyrillicLatinOf, so cyrillicLatin must have each of them.
func TestSkeletonTablesCoverTheAlphabet(t *testing.T) {
	for r := 'а'; r <= 'я'; r++ {
		if _, ok := cyrillicLatin[r]; !ok {
			t.Errorf("cyrillicLatin has no %q", r)
		}
	}
	for _, w := range []string{"қасымова", "жанна", "assem", "shchukina", "dzhamila", "yelena", "xenia", "щукина", "ақмарал-2"} {
		if got := skeleton(w); got == "" {
			t.Errorf("skeleton(%q) is empty", w)
		}
	}
}

// TestSearchFoldShortcut: searchFold looks up no rune below 'ı' in
// kazakhLetters, so none may be there.
func TestSearchFoldShortcut(t *testing.T) {
	for r := range kazakhLetters {
		if r < 'ı' {
			t.Errorf("kazakhLetters has %q, below the shortcut's 'ı'", r)
		}
	}
}
