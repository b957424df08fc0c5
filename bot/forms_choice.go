package bot

import (
	"slices"
	"strings"
	"unicode"
)

// typedChoice is the value of the one choice what she typed names, for a
// field whose Parse refused the text as typed: "наличными" for "💵
// Наличные", "картой" for "💳 Карта", "cash", "перевод" (the choice
// that is that word alone, when another label holds it too). No choice,
// or more than one, is no match.
func typedChoice(text string, choices []Choice) (string, bool) {
	typed := choiceWords(text)
	if len(typed) == 0 {
		return "", false
	}
	var exact, near []Choice
	for _, c := range choices {
		label := choiceWords(c.Label)
		switch {
		case slices.Equal(typed, label):
			exact = append(exact, c)
		case wordsNamed(typed, label):
			near = append(near, c)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0].Value, true
	case len(exact) == 0 && len(near) == 1:
		return near[0].Value, true
	}
	return "", false
}

// choiceWords are s's words of letters, in lower case, ё as е.
func choiceWords(s string) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// wordsNamed reports whether every typed word begins like a word of the
// label: the same first four letters ("наличными" and "наличные", "картой"
// and "карта"), or the whole of a shorter word.
func wordsNamed(typed, label []string) bool {
	for _, w := range typed {
		if !slices.ContainsFunc(label, func(l string) bool { return sameStart(w, l) }) {
			return false
		}
	}
	return true
}

// choiceStem is how many letters two forms of a word share at the least.
const choiceStem = 4

func sameStart(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	n := min(choiceStem, len(ra), len(rb))
	if n < 3 {
		return false
	}
	return string(ra[:n]) == string(rb[:n])
}
