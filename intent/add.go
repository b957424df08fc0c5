package intent

import (
	"strings"
	"unicode"
)

// addPhrases begin a message that adds a customer, longest first; after
// the verbs (accusative) her name is read back to the nominative.
//
// After "клиентку" her name agrees with it: a first name in -у is a
// feminine accusative ("добавь клиентку Жанну Ким" → "Жанна Ким").
var addPhrases = []struct {
	words      []string
	accusative bool
}{
	{[]string{"добавь", "клиента"}, true}, {[]string{"добавь", "клиентку"}, true}, {[]string{"добавить", "клиента"}, true},
	{[]string{"добавить", "клиентку"}, true}, {[]string{"запиши", "клиентку"}, true}, {[]string{"запиши", "клиента"}, true}, {[]string{"новый", "клиент"}, false}, {[]string{"новая", "клиентка"}, false},
	{[]string{"жаңа", "клиент"}, false}, {[]string{"жана", "клиент"}, false}, {[]string{"клиент", "қос"}, false},
	{[]string{"new", "customer"}, false}, {[]string{"add", "customer"}, false},
	{[]string{"добавь"}, true}, {[]string{"добавить"}, true}, {[]string{"запиши"}, true}, {[]string{"add"}, false},
}

// Add reports whether text begins with words that add a customer ("новый
// клиент Айгерим 87011234567", "добавь Жанну Ахметову 87011234568",
// "жаңа клиент Әсем 87015554433", "add customer Saule"), and returns the
// line after them, a name after a verb read back from the accusative
// ("Жанну Ахметову" → "Жанна Ахметова").
func Add(text string) (line string, ok bool) {
	fields := strings.Fields(text)
	for _, p := range addPhrases {
		if len(fields) <= len(p.words) || !startsWith(fields, p.words) {
			continue
		}
		rest := fields[len(p.words):]
		if addObjects[word(rest[0])] {
			return "", false // "добавь заметку …", "add order …": not a customer
		}
		if p.accusative {
			rest = nominative(rest, p.words[len(p.words)-1] == "клиентку")
		}
		return strings.Join(rest, " "), true
	}
	return "", false
}

// addObjects are what else she may ask to add: not a customer's name.
var addObjects = set("заметку", "заметка", "заказ", "товар", "продукт", "напоминание", "оплату", "оплата", "платеж", "платёж",
	"тег", "метку", "категорию", "скидку", "жазба", "тапсырыс", "тауар", "төлем", "note", "order", "product", "reminder",
	"payment", "tag", "discount")

func startsWith(fields, words []string) bool {
	for i, w := range words {
		if word(fields[i]) != w {
			return false
		}
	}
	return true
}

// nominative reads the name words at the start of fields back from the
// accusative where that is unambiguous: a surname in -ову/-еву/-ину/-ую
// ("Ахметову" → "Ахметова", "Вишневскую" → "Вишневская"), a first name in
// -ию/-ью ("Марию", "Наталью"), and a first name in -у before such a
// surname ("Жанну Ахметову"). "Айару", "Динару" alone stay as typed: an
// indeclinable name and an accusative look the same.
//
// feminine says the words follow "клиентку": her first name in -у is
// then read back to -а whatever follows it ("Жанну Ким").
func nominative(fields []string, feminine bool) []string {
	out := append([]string(nil), fields...)
	if feminine && len(out) > 0 && isLetters(out[0]) && len([]rune(out[0])) > 2 && strings.HasSuffix(strings.ToLower(out[0]), "у") {
		out[0] = replaceLast(out[0], "а")
	}
	surname := func(w string) (string, bool) {
		lw := strings.ToLower(w)
		for _, end := range []string{"ову", "еву", "ёву", "ину", "ыну"} {
			if strings.HasSuffix(lw, end) && len([]rune(w)) > 4 {
				return replaceLast(w, "а"), true
			}
		}
		if strings.HasSuffix(lw, "ую") && len([]rune(w)) > 5 {
			return replaceLastN(w, 2, "ая"), true
		}
		return w, false
	}
	for i, w := range out {
		if !isLetters(w) {
			break // the name is over: a phone, a date
		}
		if s, ok := surname(w); ok && i > 0 {
			out[i] = s
			if first := out[i-1]; strings.HasSuffix(strings.ToLower(first), "у") && isLetters(first) {
				out[i-1] = replaceLast(first, "а")
			}
			continue
		}
		lw := strings.ToLower(w)
		if strings.HasSuffix(lw, "ию") || strings.HasSuffix(lw, "ью") {
			out[i] = replaceLast(w, "я")
		}
	}
	return out
}

func isLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return w != ""
}

// replaceLast is w with its last letter replaced by s, in its case.
func replaceLast(w, s string) string { return replaceLastN(w, 1, s) }

func replaceLastN(w string, n int, s string) string {
	rs := []rune(w)
	if unicode.IsUpper(rs[len(rs)-1]) {
		s = strings.ToUpper(s)
	}
	return string(rs[:len(rs)-n]) + s
}

// remindPhrases begin a message that asks for a reminder; the Kazakh ones
// also end it ("… қоңырау шалуды еске сал").
var remindPhrases = [][]string{
	{"напомни", "мне"}, {"напомните", "мне"}, {"напомни"}, {"напомните"}, {"напомнить"},
	{"еске", "салшы"}, {"еске", "салыңыз"}, {"еске", "сал"}, {"еске", "салу"},
	{"remind", "me", "to"}, {"remind", "me"}, {"remind"},
}

// Remind reports whether text asks for a reminder in words ("напомни
// завтра позвонить Айгерим", "ертең Әсемге қоңырау шалуды еске сал",
// "remind me tomorrow to call Saule"), and returns the line without them:
// when, then what.
func Remind(text string) (line string, ok bool) {
	fields := strings.Fields(text)
	for _, p := range remindPhrases {
		if len(fields) > len(p) && startsWith(fields, p) {
			return strings.Join(fields[len(p):], " "), true
		}
	}
	for _, p := range remindPhrases {
		n := len(fields) - len(p)
		if n > 0 && startsWith(fields[n:], p) {
			what := append([]string(nil), fields[:n]...)
			what[n-1] = verbalNoun(what[n-1])
			return strings.Join(what, " "), true
		}
	}
	return "", false
}

// verbalNoun is w, the word before a closing "еске сал", without the
// accusative that phrase puts on it: the task is "қоңырау шалу", not
// "қоңырау шалуды" ("шалуды", "құттықтауды", "әкелуді", "кездесуді").
// Only a verbal noun (-у, -ю) is read back: its accusative is -ды/-ді.
func verbalNoun(w string) string {
	lw := strings.ToLower(w)
	for _, end := range []string{"уды", "уді", "үді", "юды", "юді"} {
		if strings.HasSuffix(lw, end) && len([]rune(w)) > len([]rune(end))+1 {
			return string([]rune(w)[:len([]rune(w))-2])
		}
	}
	return w
}
