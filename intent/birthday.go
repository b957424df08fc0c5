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
	mark, at := findMark(fields, birthdayMarks)
	if mark < 0 || hasPhone(fields) {
		// With a phone it is a new customer's line ("Мадина Ержанова 8 701
		// 555 44 34 день рождения 5 мая"): an add reads her birthday.
		return "", "", false
	}
	first := firstDigits(fields)
	if first < 0 {
		return "", "", false
	}
	if first > 0 && englishMonths[word(fields[first-1])] {
		first--
	}
	name := nameAround(fields[:first], mark, at, birthdayFillers)
	if name == "" {
		return "", "", false
	}
	return name, strings.Join(fields[first:], " "), true
}

// findMark is where the first of marks stands in fields, and the index
// after it; -1, -1 when none does.
func findMark(fields []string, marks [][]string) (mark, at int) {
	for i := range fields {
		for _, m := range marks {
			if i+len(m) <= len(fields) && startsWith(fields[i:], m) {
				return i, i + len(m)
			}
		}
	}
	return -1, -1
}

// firstDigits is the index of the first field with a digit, -1 for none.
func firstDigits(fields []string) int {
	for i, f := range fields {
		if strings.ContainsFunc(f, unicode.IsDigit) {
			return i
		}
	}
	return -1
}

// nameAround is the words of fields outside the mark [mark, at) that are
// no filler — her name as typed, "'s" and trailing punctuation off.
func nameAround(fields []string, mark, at int, fillers map[string]bool) string {
	var name []string
	for i, f := range fields {
		if i >= mark && i < at {
			continue
		}
		w := strings.TrimSuffix(strings.TrimSuffix(f, "'s"), "’s")
		if wd := word(w); wd == "" || fillers[wd] {
			continue
		}
		name = append(name, strings.Trim(w, ",:—-"))
	}
	return strings.Join(name, " ")
}
