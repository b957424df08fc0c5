package bot

import (
	"testing"
	"unicode"
)

// TestHasBidi: the byte scan finds exactly the characters Unicode calls
// Bidi_Control, alone or between others (an em dash, Cyrillic, Kazakh and
// Arabic letters share their first bytes with some of them).
func TestHasBidi(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // not encodable in UTF-8
		}
		want := unicode.Is(unicode.Bidi_Control, r)
		for _, s := range []string{string(r), "a" + string(r), "—" + string(r) + "ә"} {
			if got := hasBidi(s); got != want {
				t.Fatalf("hasBidi(%q) = %v for U+%04X, Bidi_Control %v", s, got, r, want)
			}
		}
	}
	for _, s := range []string{"", "\xe2", "\xe2\x80", "\xd8", "Что я умею — /help", "Сәлем, ғ"} {
		if hasBidi(s) {
			t.Errorf("hasBidi(%q) = true", s)
		}
	}
	for _, s := range []string{"\xe2\xe2\x80\x8e", "\xd8\xd8\x9c", "\xd8\xe2\x81\xa6", "— ә \xd8\x9c"} {
		if !hasBidi(s) {
			t.Errorf("hasBidi(%q) = false", s)
		}
	}
}
