package templates

import (
	"fmt"
	"html/template"
	"reflect"
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
	// onWeekdays say "on that weekday": Russian needs в/во and the
	// accusative ("в среду", "во вторник"), Kazakh "күні".
	onWeekdays = map[string][]string{
		"ru": {"в воскресенье", "в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу"},
		"kk": {"жексенбі күні", "дүйсенбі күні", "сейсенбі күні", "сәрсенбі күні", "бейсенбі күні", "жұма күні", "сенбі күні"},
		"en": {"on Sunday", "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday"},
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
		"plural": func(n any, forms ...string) (string, error) {
			i, err := toInt(n)
			if err != nil {
				return "", fmt.Errorf("plural: %w", err)
			}
			return pluralForm(tag, i, forms)
		},
		"date": func(t time.Time) string {
			if lang == "kk" {
				return fmt.Sprintf("%d ж. %d %s", t.Year(), t.Day(), monthsGen[lang][t.Month()-1])
			}
			return fmt.Sprintf("%d %s %d", t.Day(), monthsGen[lang][t.Month()-1], t.Year())
		},
		// gen is a name as the owner of what follows it: the genitive in
		// Kazakh ("Сауле Қасымованың тарихы"), the name itself elsewhere.
		"gen": func(name string) string {
			if lang == "kk" {
				return crm.KazakhGenitive(name)
			}
			return name
		},
		"daymonth": func(t time.Time) string { return fmt.Sprintf("%d %s", t.Day(), monthsGen[lang][t.Month()-1]) },
		"time":     func(t time.Time) string { return t.Format("15:04") },
		"weekday":  func(t time.Time) string { return weekdays[lang][t.Weekday()] },
		// onweekday is "on that weekday" as a sentence needs it.
		"onweekday": func(t time.Time) string { return onWeekdays[lang][t.Weekday()] },
		"month": func(m any) (string, error) {
			i, err := toInt(m)
			if err != nil {
				return "", fmt.Errorf("month: %w", err)
			}
			return monthsNom[lang][(i+11)%12], nil
		},
		"money": func(minor any, currency string) (string, error) {
			i, err := toInt(minor)
			if err != nil {
				return "", fmt.Errorf("money: %w", err)
			}
			return money(lang, int64(i), currency), nil
		},
		// sign is a currency's sign or word ("₸", "₽", "сом"), the code
		// for one without either.
		"sign": func(code string) string { return currencySign(lang, code) },
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

// toInt reads a template's number. Anything else (a missing value, a
// string) is an error, not a silent 0.
func toInt(v any) (int, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return int(rv.Float()), nil
	}
	return 0, fmt.Errorf("%v (%T) is not a number", v, v)
}

// pluralForms is how many forms plural takes in each language: one per
// CLDR cardinal category an integer can fall in. Russian: one, few, many
// (товар, товара, товаров); English: one, other (day, days); Kazakh: one,
// other, though a Kazakh noun after a numeral does not inflect (5 күн), so
// the kk texts write the noun once and call plural nowhere.
var pluralForms = map[string]int{"ru": 3, "kk": 2, "en": 2}

// pluralForm picks among forms by CLDR cardinal rules: for ru the forms are
// one, few, many; for kk and en one, other. A call with another number of
// forms is an error rather than a guess.
func pluralForm(tag language.Tag, n int, forms []string) (string, error) {
	base, _ := tag.Base()
	want, ok := pluralForms[base.String()]
	if !ok {
		return "", fmt.Errorf("plural: no plural rules for %s", tag)
	}
	if len(forms) != want {
		return "", fmt.Errorf("plural: %s takes %d forms, got %d %q", tag, want, len(forms), forms)
	}
	abs := n
	if abs < 0 {
		abs = -abs
	}
	switch plural.Cardinal.MatchPlural(tag, abs, 0, 0, 0, 0) {
	case plural.One:
		return forms[0], nil
	case plural.Few:
		return forms[1], nil
	}
	return forms[len(forms)-1], nil
}

// money formats integer minor units: "12 500 ₸" in ru and kk, "₸12,500" in
// en; a currency written as a word follows the amount in en too
// ("12,500 som").
func money(lang string, minor int64, currency string) string {
	sign, word := currencySign(lang, currency), currencyWords[currency][lang]
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

// currencySign is how lang writes currency after (or, in en, before) an
// amount: its word, else its sign, else its code.
func currencySign(lang, currency string) string {
	if w := currencyWords[currency][lang]; w != "" {
		return w
	}
	if s := currencySigns[currency]; s != "" {
		return s
	}
	return currency
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

// Amounts formats a sum kept per currency, one amount per currency joined
// by " · " ("12 500 ₸ · 2 500 ₽"); none is a zero in fallback.
func Amounts(lang string, a crm.Amounts, fallback string) string {
	if len(a) == 0 {
		return money(lang, 0, fallback)
	}
	parts := make([]string, len(a))
	for i, m := range a {
		parts[i] = money(lang, m.Value, m.Currency)
	}
	return strings.Join(parts, " · ")
}

// Sign is how lang writes a currency beside an amount: "₸", "₽", "сом".
func Sign(lang, currency string) string { return currencySign(lang, currency) }
