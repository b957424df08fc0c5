package intent

import (
	"strings"
	"unicode"
)

// birthdayMarks say "birthday", longest first.
var birthdayMarks = [][]string{
	{"день", "рождения"}, {"дня", "рождения"}, {"туған", "күні"}, {"туған", "күн"}, {"туган", "куни"},
	{"др"}, {"днюха"}, {"birthday"}, {"bday"}, {"birthday's"},
}

// birthdayFillers stand beside a birthday without naming anyone.
var birthdayFillers = set("у", "её", "ее", "клиентки", "клиента", "is", "on", "her", "the", "s")

// englishMonths may come before the day ("May 5").
var englishMonths = set("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

// Birthday reports whether text gives a customer's birthday ("день
// рождения Айгерим 12 марта", "у Жанны др 12.03", "Айгерімнің туған күні
// 12 наурыз", "Saule's birthday is May 5"): who, as typed (maybe in a
// case), and the date, as typed from its first number on.
func Birthday(text string) (who, date string, ok bool) {
	fields := strings.Fields(text)
	mark, at := -1, -1
	for i := 0; i < len(fields) && mark < 0; i++ {
		for _, m := range birthdayMarks {
			if i+len(m) <= len(fields) && startsWith(fields[i:], m) {
				mark, at = i, i+len(m)
				break
			}
		}
	}
	if mark < 0 || hasPhone(fields) {
		// With a phone it is a new customer's line ("Мадина Ержанова 8 701
		// 555 44 34 день рождения 5 мая"): an add reads her birthday.
		return "", "", false
	}
	first := -1
	for i, f := range fields {
		if strings.ContainsFunc(f, unicode.IsDigit) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", "", false
	}
	if first > 0 && englishMonths[word(fields[first-1])] {
		first--
	}
	var name []string
	for i, f := range fields[:first] {
		if i >= mark && i < at {
			continue
		}
		w := strings.TrimSuffix(strings.TrimSuffix(f, "'s"), "’s")
		if wd := word(w); wd == "" || birthdayFillers[wd] {
			continue
		}
		name = append(name, strings.Trim(w, ",:—-"))
	}
	if len(name) == 0 {
		return "", "", false
	}
	return strings.Join(name, " "), strings.Join(fields[first:], " "), true
}
