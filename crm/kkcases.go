package crm

import (
	"strings"
	"unicode"
)

// KazakhGenitive is name in the Kazakh genitive, as a sentence needs it
// before what is hers ("Сауле Қасымова" → "Сауле Қасымованың тарихы",
// "Айгерим" → "Айгеримнің", "Али Сериков" → "Али Сериковтың"): the last
// word takes -ның/-нің after a vowel or м, н, ң, -дың/-дің after л, р,
// з, ж, й, у, и, ю, and -тың/-тің after any other consonant, back or front
// by its last vowel. A name that does not end in a Cyrillic letter (a
// Latin name, a number) takes the suffix after a hyphen ("Mary-дің").
func KazakhGenitive(name string) string {
	name = strings.TrimRightFunc(name, unicode.IsSpace)
	rs := []rune(name)
	if len(rs) == 0 {
		return name
	}
	low := []rune(strings.ToLower(name))
	last := low[len(low)-1]
	back := kkBack(low)
	if !isCyrillic(last) || last == 'ь' || last == 'ъ' {
		// "Игорь" takes -дің; "Mary" the suffix set off by a hyphen.
		if last == 'ь' || last == 'ъ' {
			return name + "дің" // a soft sign is read as a front vowel
		}
		return name + "-" + pick(back, "ның", "нің")
	}
	var c string
	switch {
	case strings.ContainsRune("аәеоөұүыіэя", last), strings.ContainsRune("мнң", last):
		c = "н"
	case strings.ContainsRune("лрзжйуию", last):
		c = "д"
	default:
		c = "т"
	}
	return name + c + pick(back, "ың", "ің")
}

func pick(back bool, b, f string) string {
	if back {
		return b
	}
	return f
}

// kkBack reports whether the word's last vowel takes back suffixes
// (а, о, ұ, ы, у, я, ё) rather than front ones (ә, е, ө, ү, і, и, э, ю).
func kkBack(low []rune) bool {
	for i := len(low) - 1; i >= 0; i-- {
		r := low[i]
		switch {
		case strings.ContainsRune("аоұыуяё", r), strings.ContainsRune("aouy", r):
			return true
		case strings.ContainsRune("әеөүіиэю", r), strings.ContainsRune("ei", r):
			return false
		}
	}
	return true
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }
