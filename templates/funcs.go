package templates

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"

	"github.com/crmbot/crmbot/crm"
	"golang.org/x/text/language"
)

var (
	monthsGen = map[string][]string{
		"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		"kk": {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
	monthsNom = map[string][]string{
		"ru": {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
		"kk": monthsGen["kk"],
		"en": monthsGen["en"],
	}
	weekdays = map[string][]string{
		"ru": {"воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"},
		"kk": {"жексенбі", "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі"},
		"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	}
	currencySigns = map[string]string{"KZT": "₸", "RUB": "₽", "USD": "$", "EUR": "€"}
	// currencyWords are currencies written as a word after the amount in
	// every locale ("12 500 сом", "12,500 som").
	currencyWords = map[string]map[string]string{
		"KGS": {"ru": "сом", "kk": "сом", "en": "som"},
		"UZS": {"ru": "сум", "kk": "сум", "en": "so'm"},
	}
)

// funcs are the template functions, bound to one locale.
func funcs(lang string) template.FuncMap {
	tag := language.MustParse(lang)
	return template.FuncMap{
		"plural": func(n any, forms ...string) string { return pluralForm(tag, toInt(n), forms) },
		"date": func(t time.Time) string {
			if lang == "kk" {
				return fmt.Sprintf("%d ж. %d %s", t.Year(), t.Day(), monthsGen[lang][t.Month()-1])
			}
			return fmt.Sprintf("%d %s %d", t.Day(), monthsGen[lang][t.Month()-1], t.Year())
		},
		"daymonth": func(t time.Time) string { return fmt.Sprintf("%d %s", t.Day(), monthsGen[lang][t.Month()-1]) },
		"time":     func(t time.Time) string { return t.Format("15:04") },
		"weekday":  func(t time.Time) string { return weekdays[lang][t.Weekday()] },
		"month":    func(m any) string { return monthsNom[lang][(toInt(m)+11)%12] },
		"money":    func(minor any, currency string) string { return money(lang, int64(toInt(minor)), currency) },
		// cdate shows a calendar date whose year may be unknown: "12 марта",
		// "12 марта 1990".
		"cdate": func(d crm.Date) string {
			if d.IsZero() {
				return ""
			}
			dm := fmt.Sprintf("%d %s", d.Day, monthsGen[lang][d.Month-1])
			if d.Year == 0 {
				return dm
			}
			if lang == "kk" {
				return fmt.Sprintf("%d ж. %s", d.Year, dm)
			}
			return dm + " " + fmt.Sprint(d.Year)
		},
	}
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case int32:
		return int(n)
	case time.Month:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

// pluralForm picks among forms by CLDR cardinal rules: for ru the forms are
// one, few, many; for kk and en one, other.
func pluralForm(tag language.Tag, n int, forms []string) string {
	if len(forms) == 0 {
		return ""
	}
	abs := n
	if abs < 0 {
		abs = -abs
	}
	f := plural.Cardinal.MatchPlural(tag, abs, 0, 0, 0, 0)
	idx := 0
	switch f {
	case plural.One:
		idx = 0
	case plural.Few:
		idx = 1
	case plural.Many, plural.Other:
		idx = 2
		if len(forms) < 3 {
			idx = 1
		}
	}
	if idx >= len(forms) {
		idx = len(forms) - 1
	}
	return forms[idx]
}

// money formats integer minor units: "12 500 ₸" in ru and kk, "₸12,500" in
// en; a currency written as a word follows the amount in en too
// ("12,500 som").
func money(lang string, minor int64, currency string) string {
	sign, word := currencySigns[currency], currencyWords[currency][lang]
	switch {
	case word != "":
		sign = word
	case sign == "":
		sign = currency
	}
	neg := minor < 0
	if neg {
		minor = -minor
	}
	whole, frac := minor/100, minor%100
	sep, dec := "\u00a0", ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	s := group(whole, sep)
	if frac != 0 {
		s += fmt.Sprintf("%s%02d", dec, frac)
	}
	if neg {
		s = "-" + s
	}
	if lang == "en" && word == "" {
		return sign + s
	}
	return s + "\u00a0" + sign
}

func group(n int64, sep string) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Money formats integer minor units for lang: "12 500 ₸" in ru and kk,
// "₸12,500" in en.
func Money(lang string, minor int64, currency string) string { return money(lang, minor, currency) }
