package intent

import (
	"strings"
	"unicode"
)

// phoneMarks say "her number", longest first.
var phoneMarks = [][]string{
	{"новый", "номер"}, {"новый", "телефон"}, {"жаңа", "нөмірі"}, {"жаңа", "нөмір"}, {"new", "number"}, {"new", "phone"},
	{"номер"}, {"телефон"}, {"тел"}, {"нөмірі"}, {"нөмір"}, {"телефоны"}, {"number"}, {"phone"},
}

// phoneFillers stand beside a new number without naming anyone.
var phoneFillers = set("у", "её", "ее", "клиентки", "теперь", "сменила", "поменяла", "сменился", "изменился", "другой", "новый",
	"жаңа", "енді", "ауыстырды", "new", "is", "her", "now", "changed", "has", "s")

// minPhoneDigits is the fewest digits read as her new number after a word
// of phones: a shorter one is said not to be a number, not searched.
const minPhoneDigits = 5

// NewPhone reports whether text gives a customer's new phone number ("у
// Айгерим новый номер 8 701 555 66 77", "Айгерим телефон 87015556677",
// "Айгерімнің жаңа нөмірі 87015556677", "Saule's new number is +7 701
// 555 66 77"): who, as typed (maybe in a case), and the number, as typed
// from its first digit on.
func NewPhone(text string) (who, phone string, ok bool) {
	fields := strings.Fields(text)
	mark, at := -1, -1
	for i := 0; i < len(fields) && mark < 0; i++ {
		for _, m := range phoneMarks {
			if i+len(m) <= len(fields) && startsWith(fields[i:], m) {
				mark, at = i, i+len(m)
				break
			}
		}
	}
	first := -1
	for i, f := range fields {
		if strings.ContainsFunc(f, unicode.IsDigit) {
			first = i
			break
		}
	}
	if mark < 0 || first < 0 || first < at {
		return "", "", false
	}
	phone = strings.Join(fields[first:], " ")
	digits := 0
	for _, r := range phone {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			return "", "", false // "номер заказа 5 от Айгерим": not a phone
		}
	}
	if digits < minPhoneDigits {
		return "", "", false
	}
	var name []string
	for i, f := range fields[:first] {
		if i >= mark && i < at {
			continue
		}
		w := strings.TrimSuffix(strings.TrimSuffix(f, "'s"), "’s")
		if wd := word(w); wd == "" || phoneFillers[wd] {
			continue
		}
		name = append(name, w)
	}
	if len(name) == 0 {
		return "", "", false
	}
	return strings.Join(name, " "), phone, true
}
