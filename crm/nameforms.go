package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Consultants write a name in the case the sentence needs: "позвонить
// Жанне", "заказ для Касымовой", "Айгерімге қоңырау шалу", "Әсеммен
// кездесу". NameForms undoes that for one word: it gives the forms the
// word may be the inflection of, which a search tries when the word as
// typed finds no one. It knows nothing of which names exist; the caller
// keeps a form only when it is a whole word of someone's name, so a form
// that is no name ("Жанн", "Алиг") finds nothing.

// minNameStem is the fewest letters a name keeps once its ending is cut:
// "Алиге" → "Али", never "Аню" → "Ан".
const minNameStem = 3

// ruEnding is a Russian case ending and the nominative endings it may
// stand for, likelier first: "Жанне" is Жанна's, "Ерлане" Ерлан's.
type ruEnding struct {
	ending string
	nom    []string
}

// ruEndings are the endings of names and surnames in the singular
// oblique cases, longest first. Every "-ой" is a feminine -а (Касымовой,
// Жанной), "-ии" is -ия (Алии), "-ым"/"-ом" is a masculine instrumental
// (Касымовым, Ерланом).
var ruEndings = []ruEnding{
	{"ией", []string{"ия"}},
	{"ии", []string{"ия"}},
	{"ою", []string{"а"}},
	{"ой", []string{"а"}},
	{"ей", []string{"я"}},
	{"ым", []string{""}},
	{"ом", []string{""}},
	{"ем", []string{"й", ""}},
	{"ам", []string{"а"}},
	{"у", []string{"а", ""}},
	{"ю", []string{"я", "й"}},
	{"е", []string{"а", "я", ""}},
	{"ы", []string{"а"}},
	{"и", []string{"я", "а"}},
	{"а", []string{"", "й"}},
	{"я", []string{"й", "ь"}},
}

// kkSuffix is a Kazakh case suffix in its variants after a back and a
// front vowel (the same list for the instrumental, which has no harmony).
type kkSuffix struct {
	back, front []string
}

// kkSuffixes are the Kazakh case suffixes, written as typed on a Russian
// keyboard too (ға as га, қа as ка, і as и), longest first within a case:
// dative, genitive, accusative, instrumental, locative, ablative.
var kkSuffixes = []kkSuffix{
	{back: []string{"ға", "қа", "га", "ка"}, front: []string{"ге", "ке"}},
	{back: []string{"ның", "дың", "тың", "нын", "дын", "тын"}, front: []string{"нің", "дің", "тің", "нин", "дин", "тин"}},
	{back: []string{"ны", "ды", "ты"}, front: []string{"ні", "ді", "ті", "ни", "ди", "ти"}},
	{back: []string{"мен", "бен", "пен"}, front: []string{"мен", "бен", "пен"}},
	{back: []string{"нда", "да", "та"}, front: []string{"нде", "де", "те"}},
	{back: []string{"нан", "дан", "тан"}, front: []string{"нен", "ден", "тен"}},
}

// kkLatinSuffixes are the same in Latin letters ("Aigerimge", "Aıgerımnıń"
// loses its marks to the search's folding first, so only plain letters
// are listed).
var kkLatinSuffixes = []kkSuffix{
	{back: []string{"ga", "qa", "ka"}, front: []string{"ge", "ke"}},
	{back: []string{"nyn", "dyn", "tyn"}, front: []string{"nin", "din", "tin"}},
	{back: []string{"ny", "dy", "ty"}, front: []string{"ni", "di", "ti"}},
	{back: []string{"men", "ben", "pen"}, front: []string{"men", "ben", "pen"}},
	{back: []string{"nda", "da", "ta"}, front: []string{"nde", "de", "te"}},
	{back: []string{"nan", "dan", "tan"}, front: []string{"nen", "den", "ten"}},
}

// NameForms are the forms word may be an inflection of, likelier first,
// in word's own letters and case: the Kazakh stem ("Айгерімге" →
// "Айгерім", "Қасымоваға" → "Қасымова", "Aigerim-ge" → "Aigerim"), then
// the Russian nominatives ("Жанне" → "Жанна", "Касымовой" → "Касымова",
// "Ерлану" → "Ерлана", "Ерлан"). None for a word of three letters or less,
// and none that would keep fewer than three letters of it.
func NameForms(word string) []string {
	word = strings.TrimSpace(word)
	rs := []rune(word)
	if len(rs) <= minNameStem {
		return nil
	}
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		if s != word {
			out = append(out, s)
		}
	}
	// "Айгерим-ге", "Aigerim'ge": the suffix set off by a hyphen or an
	// apostrophe.
	if i := strings.LastIndexAny(word, "-'’"); i > 0 {
		_, size := utf8.DecodeRuneInString(word[i:])
		head, tail := word[:i], word[i+size:]
		if len([]rune(head)) >= minNameStem && isKazakhSuffix(strings.ToLower(tail)) {
			add(head)
		}
	}
	for _, s := range kazakhStems(rs) {
		add(s)
	}
	for _, s := range russianNominatives(rs) {
		add(s)
	}
	return out
}

// plainLower is r lowercased, with a Kazakh letter as typed on a Russian
// keyboard (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, і→и, ё→е), so one ending
// list serves both spellings; rune for rune, so lengths stay aligned.
func plainLower(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'ә':
		return 'а'
	case 'ғ':
		return 'г'
	case 'қ':
		return 'к'
	case 'ң':
		return 'н'
	case 'ө':
		return 'о'
	case 'ұ', 'ү':
		return 'у'
	case 'і':
		return 'и'
	case 'ё':
		return 'е'
	}
	return r
}

// plain is plainLower of every rune of rs.
func plain(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = plainLower(r)
	}
	return out
}

// kazakhStems are the stems of rs with one Kazakh case suffix cut off,
// where the suffix agrees with the stem's last vowel (vowel harmony: a
// back suffix after а, о, ұ, ы; a front one after ә, е, ө, ү, і, и). A
// stem's ambiguous last vowel (у for ұ or ү typed on a Russian keyboard,
// и for і or the Russian и) takes either.
func kazakhStems(rs []rune) []string {
	low := []rune(strings.ToLower(string(rs)))
	p := plain(rs)
	latin := isLatinWord(p)
	table := kkSuffixes
	if latin {
		table = kkLatinSuffixes
	}
	var out []string
	for _, sfx := range table {
		for _, group := range []struct {
			variants []string
			front    bool
		}{{sfx.back, false}, {sfx.front, true}} {
			for _, v := range group.variants {
				vr := []rune(v)
				n := len(p) - len(vr)
				if n < minNameStem || !hasSuffix(low, p, vr) {
					continue
				}
				if !sameSet(sfx.back, sfx.front) && harmony(low[:n], latin) == opposite(group.front) {
					continue // "Айгерімга": a back suffix after a front vowel
				}
				out = append(out, string(rs[:n]))
			}
		}
	}
	return out
}

// hasSuffix reports whether the word (lowercased low, plain p) ends in v,
// written either in Kazakh letters or as typed on a Russian keyboard.
func hasSuffix(low, p, v []rune) bool {
	n := len(p) - len(v)
	return string(low[n:]) == string(v) || string(p[n:]) == string(v)
}

func sameSet(a, b []string) bool { return strings.Join(a, " ") == strings.Join(b, " ") }

// Vowel classes of a stem's last vowel.
const (
	harmonyEither = iota
	harmonyBack
	harmonyFront
)

// opposite is the class of vowel a front (or back) suffix never follows.
func opposite(front bool) int {
	if front {
		return harmonyBack
	}
	return harmonyFront
}

// harmony is the class of the last vowel of stem (lowercased, in its own
// letters): which suffixes it takes.
func harmony(stem []rune, latin bool) int {
	for i := len(stem) - 1; i >= 0; i-- {
		switch r := stem[i]; {
		case strings.ContainsRune("аоұыя", r), latin && strings.ContainsRune("aouy", r):
			return harmonyBack
		case strings.ContainsRune("әеөүіэ", r), latin && strings.ContainsRune("e", r):
			return harmonyFront
		case strings.ContainsRune("иуюi", r):
			return harmonyEither
		}
	}
	return harmonyEither
}

func isLatinWord(p []rune) bool {
	for _, r := range p {
		if r >= 'a' && r <= 'z' || r == 'ı' {
			return true
		}
	}
	return false
}

// isKazakhSuffix reports whether s (lowercased) is one of the case
// suffixes, in Cyrillic or Latin.
func isKazakhSuffix(s string) bool {
	p := string(plain([]rune(s)))
	for _, table := range [][]kkSuffix{kkSuffixes, kkLatinSuffixes} {
		for _, sfx := range table {
			for _, v := range append(append([]string{}, sfx.back...), sfx.front...) {
				if s == v || p == v {
					return true
				}
			}
		}
	}
	return false
}

// russianNominatives are the nominatives rs may be a Russian oblique case
// of, for the first (longest) ending it has.
func russianNominatives(rs []rune) []string {
	p := plain(rs)
	if isLatinWord(p) {
		return nil
	}
	var out []string
	for _, e := range ruEndings {
		er := []rune(e.ending)
		n := len(p) - len(er)
		if n < minNameStem || string(p[n:]) != e.ending {
			continue
		}
		for _, nom := range e.nom {
			if nom == "" && !isConsonant(p[n-1]) {
				continue // "Ерлане" is Ерлан's, "Алие" is not Али's
			}
			out = append(out, string(rs[:n])+nom)
		}
		break
	}
	return out
}

// isConsonant reports whether r (plain, lowercased) is a Russian consonant
// a name can end in.
func isConsonant(r rune) bool {
	return strings.ContainsRune("бвгджзклмнпрстфхцчшщ", r)
}
