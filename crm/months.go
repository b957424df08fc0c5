package crm

import (
	"regexp"
	"strconv"
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

var (
	// dayNum is a day of the month as typed beside a month name: "5",
	// "5-го", "3rd", "24th,".
	dayNum = regexp.MustCompile(`^(\d{1,2})(?:-го|-е|-ое|st|nd|rd|th)?[.,]?$`)
	// yearNum is a year after the month: "1990", "1990г.", "2027,".
	yearNum   = regexp.MustCompile(`^(\d{4})(?:г\.?|ж\.?|года|жылы)?[.,]?$`)
	yearWords = map[string]bool{"г": true, "г.": true, "год": true, "года": true, "ж": true, "ж.": true, "жыл": true, "жылы": true}
)

// WordDate reads a date with the month in words at the start of ws, in
// ru, kk or en: "5 мая", "3-го марта 1990 г.", "12 наурыз", "25
// желтоқсанда", "March 3", "Dec. 24, 2027", "December 24th", "the 24th of
// December", "on May 5". It returns the date (Year 0 when none was
// written) and how many words it took (0: none). The one grammar of such
// dates: contact lines, date fields and reminders all read them here.
func WordDate(ws []string) (Date, int) {
	at := func(k int) string {
		if k < len(ws) {
			return strings.ToLower(ws[k])
		}
		return ""
	}
	lead := 0
	if at(lead) == "on" {
		lead++
	}
	if at(lead) == "the" {
		lead++
	}
	var d Date
	n := 0
	if m := dayNum.FindStringSubmatch(at(lead)); m != nil {
		k := lead + 1
		if at(k) == "of" {
			k++
		}
		if mon, ok := MonthNamed(at(k)); ok {
			d.Day, _ = strconv.Atoi(m[1])
			d.Month, n = mon, k+1
		}
	} else if mon, ok := MonthNamed(at(lead)); ok {
		if m := dayNum.FindStringSubmatch(at(lead + 1)); m != nil {
			d.Day, _ = strconv.Atoi(m[1])
			d.Month, n = mon, lead+2
		}
	}
	if n == 0 {
		return Date{}, 0
	}
	if m := yearNum.FindStringSubmatch(at(n)); m != nil {
		d.Year, _ = strconv.Atoi(m[1])
		n++
		if yearWords[at(n)] {
			n++ // "1990 г.", "1985 жылы"
		}
	}
	return d, n
}
