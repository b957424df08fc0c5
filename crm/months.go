package crm

import (
	"strings"
	"time"
)

// monthNames are the ways a month is written in ru, kk and en: Russian in
// the genitive a date needs ("5 мая") and the nominative, abbreviations,
// English, and Kazakh (its locative "наурызда" and genitive "қаңтардың"
// are added in init).
var monthNames = [12][]string{
	{"января", "январь", "янв", "january", "jan", "қаңтар"}, {"февраля", "февраль", "фев", "february", "feb", "ақпан"},
	{"марта", "март", "мар", "march", "mar", "наурыз"}, {"апреля", "апрель", "апр", "april", "apr", "сәуір"},
	{"мая", "май", "may", "мамыр"}, {"июня", "июнь", "июн", "june", "jun", "маусым"},
	{"июля", "июль", "июл", "july", "jul", "шілде"}, {"августа", "август", "авг", "august", "aug", "тамыз"},
	{"сентября", "сентябрь", "сен", "сент", "september", "sep", "sept", "қыркүйек"}, {"октября", "октябрь", "окт", "october", "oct", "қазан"},
	{"ноября", "ноябрь", "ноя", "нояб", "november", "nov", "қараша"}, {"декабря", "декабрь", "дек", "december", "dec", "желтоқсан"},
}

var monthsByName = map[string]time.Month{}

func init() {
	for i, names := range monthNames {
		m := time.Month(i + 1)
		for _, n := range names {
			monthsByName[n] = m
		}
		kk := names[len(names)-1]
		for _, ending := range []string{"да", "де", "та", "те", "дың", "дің", "тың", "тің", "ның", "нің"} {
			monthsByName[kk+ending] = m
		}
	}
}

// MonthNamed returns the month a word names in Russian, Kazakh or English
// ("мая", "Март", "наурызда", "Dec."), case-insensitive.
func MonthNamed(word string) (time.Month, bool) {
	w := strings.ToLower(strings.TrimRight(strings.TrimSpace(word), ".,;"))
	m, ok := monthsByName[w]
	return m, ok
}
