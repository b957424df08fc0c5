package store

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/crmbot/crmbot/crm"
)

// Fold runs for every key of every customer an import writes; making a
// transformer chain per call was most of an import's allocations. So
// chains are pooled (one is not safe for concurrent use), and text whose
// letters have no decomposition skips them.

// folders pools Fold's remove-invisible, NFD, remove-marks, NFC chains.
var folders = sync.Pool{New: func() any {
	return transform.Chain(runes.Remove(runes.Predicate(crm.IsInvisible)), norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// foldPlain is Fold of text that is ASCII, Russian and Kazakh letters
// only: runes that NFD leaves whole and that carry no mark, but for й and
// ё, which lose theirs (fold_test.go checks each). It reports false for
// any other text.
func foldPlain(s string) (string, bool) {
	marked := false
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unmarked(r):
		case r == 'й' || r == 'Й' || r == 'ё' || r == 'Ё':
			marked = true
		default:
			return "", false
		}
		i += n
	}
	if !marked {
		return strings.ToLower(s), true
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case 'й', 'Й':
			return 'и'
		case 'ё', 'Ё':
			return 'е'
		}
		return unicode.ToLower(r)
	}, s), true
}

// unmarked reports whether r is a Russian letter other than й, or a
// Kazakh one: none has a decomposition.
func unmarked(r rune) bool {
	switch {
	case r == 'Й' || r == 'й':
		return false
	case r >= 'А' && r <= 'я':
		return true
	}
	switch r {
	case 'Ә', 'ә', 'Ғ', 'ғ', 'Қ', 'қ', 'Ң', 'ң', 'Ө', 'ө', 'Ұ', 'ұ', 'Ү', 'ү', 'Һ', 'һ', 'І', 'і':
		return true
	}
	return false
}
