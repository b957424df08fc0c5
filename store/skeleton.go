package store

import (
	"strings"
	"unicode"
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
	var lat strings.Builder
	lat.Grow(len(w))
	for _, r := range w {
		if r >= 'а' && r <= 'я' {
			lat.WriteString(cyrillicLatinOf[r-'а'])
		} else {
			lat.WriteRune(r)
		}
	}
	s := lat.String()
	var b strings.Builder
	b.Grow(len(s))
	var last byte
	emit := func(t string) {
		for i := 0; i < len(t); i++ {
			c := t[i]
			if c == last && c >= 'a' && c <= 'z' {
				continue // doubled letters: Assem, Zhanna, Жанна
			}
			b.WriteByte(c)
			last = c
		}
	}
next:
	for i := 0; i < len(s); {
		if !ruleStarts[s[i]] {
			emit(s[i : i+1])
			i++
			continue
		}
		for _, r := range latinRules {
			if strings.HasPrefix(s[i:], r.from) {
				emit(r.to)
				i += len(r.from)
				continue next
			}
		}
		emit(s[i : i+1])
		i++
	}
	return b.String()
}

// skeletonAlt is a second skeleton for a word whose first letter reads two
// ways: a word-initial j or y before a vowel is ж in Janna but й in Julia
// (Юлия, Yulia), so a word starting with ю, я or y and a vowel also
// answers to j ("julia"), and a Latin word starting with j and a vowel also
// to i ("Julia" is found by "Юлия" and "Yulia"). "" when there is none.
func skeletonAlt(folded, sk string) string {
	if len(sk) < 2 || !strings.ContainsRune("aeiou", rune(sk[1])) {
		return ""
	}
	switch first, _ := firstRune(folded); {
	case (first == 'ю' || first == 'я' || first == 'y') && sk[0] == 'i':
		return "j" + sk[1:]
	case first == 'j' && sk[0] == 'j':
		return "i" + sk[1:]
	}
	return ""
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
	return wordsText(strings.Fields(searchFold(text)))
}

// wordsText is searchText of the folded words of a text.
func wordsText(words []string) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, w := range words {
		sk := skeleton(w)
		b.WriteString(sk)
		b.WriteByte(' ')
		if sk != w && hasLatin(w) {
			b.WriteString(w)
			b.WriteByte(' ')
		}
		if alt := skeletonAlt(w, sk); alt != "" {
			b.WriteString(alt)
			b.WriteByte(' ')
		}
	}
	return b.String()
}
