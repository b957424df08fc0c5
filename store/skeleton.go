package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Consultants type a Kazakh name on a Russian keyboard ("Касымова" for
// "Қасымова") or in Latin letters ("Kasymova", "Qasymova", "Assem"), and
// there is no one spelling of a name in Latin: Yulia, Julia and Iuliia are
// all "Юлия". So a search term and a document are both reduced to a
// skeleton: Latin letters with one spelling per sound, the same for the
// Cyrillic and every Latin spelling of a name.

// kazakhLetters maps each Kazakh letter a Russian keyboard lacks to the
// one typed instead (ё and й are already е and и after Fold), and the few
// Ukrainian letters without a decomposition likewise.
var kazakhLetters = map[rune]rune{
	'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и',
	'є': 'е', 'ґ': 'г',
	'ı': 'i', // Kazakh Latin (2018) and Turkish dotless i
}

var cedillas = strings.NewReplacer("ş", "sh", "Ş", "sh", "ç", "ch", "Ç", "ch")

// searchFold is Fold, then the Kazakh letters as typed on a Russian
// keyboard: "Әсем Қасымова" → "асем касымова". Kazakh Latin's ş and ç
// (ш and ч) become sh and ch first, before Fold drops their cedillas.
func searchFold(s string) string {
	if out, ok := searchFoldPlain(s); ok {
		return out
	}
	return searchFoldAny(s)
}

// searchWords is strings.Fields(searchFold(s)): the folded words of s.
func searchWords(s string) []string {
	out, ok := searchFoldPlain(s)
	if !ok {
		return strings.Fields(searchFoldAny(s))
	}
	// A plain text's only spaces are ASCII ones: no byte of a Cyrillic
	// letter's UTF-8 is one, so the words are split on bytes.
	n := 0
	for i := 0; i < len(out); i++ {
		if !asciiSpace[out[i]] && (i == 0 || asciiSpace[out[i-1]]) {
			n++
		}
	}
	words := make([]string, 0, n)
	for i := 0; i < len(out); {
		for i < len(out) && asciiSpace[out[i]] {
			i++
		}
		start := i
		for i < len(out) && !asciiSpace[out[i]] {
			i++
		}
		if i > start {
			words = append(words, out[start:i])
		}
	}
	return words
}

// asciiSpace are the ASCII bytes unicode.IsSpace takes (strings.Fields).
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// searchFoldPlain is searchFold of a text foldPlain takes (ASCII, Russian
// and Kazakh letters: most names, addresses and notes), in one pass, where
// searchFold takes three. It reports false for any other text.
func searchFoldPlain(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s)) // each rune folds to one as long in UTF-8
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		f := plainSearchFold(r)
		if f == 0 {
			return "", false
		}
		b.WriteRune(f)
		i += n
	}
	return b.String(), true
}

// plainSearchFold is searchFold of a Russian or Kazakh letter (foldPlain's
// letters), 0 for any other rune.
func plainSearchFold(r rune) rune {
	switch {
	case r == 'Й' || r == 'й':
		return 'и'
	case r >= 'А' && r <= 'Я':
		return r + ('а' - 'А')
	case r >= 'а' && r <= 'я':
		return r
	}
	switch r {
	case 'Ё', 'ё':
		return 'е'
	case 'Ә', 'ә':
		return 'а'
	case 'Ғ', 'ғ':
		return 'г'
	case 'Қ', 'қ':
		return 'к'
	case 'Ң', 'ң':
		return 'н'
	case 'Ө', 'ө':
		return 'о'
	case 'Ұ', 'ұ', 'Ү', 'ү':
		return 'у'
	case 'Һ', 'һ':
		return 'х'
	case 'І', 'і':
		return 'и'
	}
	return 0
}

// searchFoldAny is searchFold of any text.
func searchFoldAny(s string) string {
	if strings.ContainsAny(s, "şŞçÇ") { // the Replacer allocates even for nothing
		s = cedillas.Replace(s)
	}
	return strings.Map(func(r rune) rune {
		if r < 'ı' { // below every letter of kazakhLetters: no map lookup
			return r
		}
		if k, ok := kazakhLetters[r]; ok {
			return k
		}
		return r
	}, Fold(s))
}

// cyrillicLatin is the plain transliteration of the folded Cyrillic
// letters, already in the skeleton's spelling: ж is j, х is h, й and ы are
// i, iotated я and ю are ia and iu.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "j", 'з': "z", 'и': "i", 'й': "i",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sh", 'ъ': "", 'ы': "i", 'ь': "", 'э': "e",
	'ю': "iu", 'я': "ia",
}

// latinRules rewrite the spellings of one sound to one: the first that
// matches at a position wins, so longer ones come first.
var latinRules = []struct{ from, to string }{
	{"shch", "sh"}, {"dzh", "j"}, {"dj", "j"}, {"zh", "j"}, {"kh", "h"}, {"gh", "g"}, {"ph", "f"},
	{"ch", "ch"}, {"c", "k"}, {"q", "k"}, {"w", "v"}, {"x", "ks"},
	// y is й or ы (i); before e and o it only marks ye/yo (Yerlan, Alyona).
	{"ye", "e"}, {"yo", "e"}, {"y", "i"},
}

// cyrillicLatinOf is cyrillicLatin by letter, а to я (all of them are
// there), and ruleStarts the bytes a latinRules spelling starts with: the
// skeleton of a name looks at no map and at no rule for most letters.
var cyrillicLatinOf, ruleStarts = func() (of [32]string, starts [256]bool) {
	for r, lat := range cyrillicLatin {
		of[r-'а'] = lat
	}
	for _, r := range latinRules {
		starts[r.from[0]] = true
	}
	return of, starts
}()

// skeleton is the spelling-independent form of a folded word (see
// searchFold): Cyrillic transliterated, Latin digraphs reduced (kh→h,
// zh/j/dzh→j, q→k, y→i, ye→e, ...) and doubled letters collapsed, so
// "Қасымова", "Касымова", "Kasymova", "Qasymova" and "Kassymova" are all
// "kasimova". Digits and other characters are kept as they are.
func skeleton(w string) string {
	sk, _ := appendSkeleton(make([]byte, 0, len(w)), nil, w)
	return string(sk)
}

// appendSkeleton appends skeleton(w) to dst, with lat as scratch space
// (returned for the next word): a customer's search key is the skeletons
// of all her words, written into one buffer.
func appendSkeleton(dst, lat []byte, w string) ([]byte, []byte) {
	lat = lat[:0]
	for _, r := range w {
		if r >= 'а' && r <= 'я' {
			lat = append(lat, cyrillicLatinOf[r-'а']...)
		} else {
			lat = utf8.AppendRune(lat, r)
		}
	}
	var last byte
	emit := func(c byte) {
		if c == last && c >= 'a' && c <= 'z' {
			return // doubled letters: Assem, Zhanna, Жанна
		}
		dst = append(dst, c)
		last = c
	}
next:
	for i := 0; i < len(lat); {
		if ruleStarts[lat[i]] {
			for _, r := range latinRules {
				if n := len(r.from); len(lat)-i >= n && string(lat[i:i+n]) == r.from {
					for j := 0; j < len(r.to); j++ {
						emit(r.to[j])
					}
					i += n
					continue next
				}
			}
		}
		emit(lat[i])
		i++
	}
	return dst, lat
}

// skeletonAlt is a second skeleton for a word whose first letter reads two
// ways: a word-initial j or y before a vowel is ж in Janna but й in Julia
// (Юлия, Yulia), so a word starting with ю, я or y and a vowel also
// answers to j ("julia"), and a Latin word starting with j and a vowel also
// to i ("Julia" is found by "Юлия" and "Yulia"). "" when there is none.
func skeletonAlt(folded, sk string) string {
	if c := altFirst(folded, sk); c != 0 {
		return string(c) + sk[1:]
	}
	return ""
}

// altFirst is the first letter of skeletonAlt(folded, sk), which is sk
// with it in place of its own; 0 when there is none.
func altFirst(folded, sk string) byte {
	if len(sk) < 2 || !strings.ContainsRune("aeiou", rune(sk[1])) {
		return 0
	}
	switch first, _ := firstRune(folded); {
	case (first == 'ю' || first == 'я' || first == 'y') && sk[0] == 'i':
		return 'j'
	case first == 'j' && sk[0] == 'j':
		return 'i'
	}
	return 0
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// hasLatin reports whether s has a Latin letter.
func hasLatin(s string) bool {
	for _, r := range s {
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// searchText is the search key of a text: the skeleton of every word, plus
// a Latin word as typed when its skeleton differs (so a half-typed "Ak"
// still finds "Akhmetova", whose skeleton is "ahmetova") and a word's
// second reading (skeletonAlt). It starts and ends with a space.
func searchText(text string) string {
	return wordsText(searchWords(text))
}

// wordsText is searchText of the folded words of a text.
func wordsText(words []string) string {
	n := 1
	for _, w := range words {
		n += 2*len(w) + 2
	}
	b := make([]byte, 1, n)
	b[0] = ' '
	var lat []byte
	for _, w := range words {
		start := len(b)
		b, lat = appendSkeleton(b, lat, w)
		sk := b[start:len(b):len(b)] // stays put while b grows on
		b = append(b, ' ')
		if string(sk) != w && hasLatin(w) {
			b = append(append(b, w...), ' ')
		}
		if c := altFirst(w, string(sk)); c != 0 {
			b = append(append(append(b, c), sk[1:]...), ' ')
		}
	}
	return string(b)
}
