package intent

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/crmbot/crmbot/crm"
)

// Beside is what a line typed while an order is being built asks for,
// when it is plainly no item of the order.
type Beside int

// What a line typed into an open order may be besides an item.
const (
	Item         Beside = iota // an item: "тушь 2", "крем для рук 3 шт", "помада Розовая 2"
	AsksToday                  // "кому сегодня позвонить?"
	AsksReminder               // "напомни завтра в 11 позвонить Жанне", "… еске сал"
	Paid                       // "Айгерим оплатила 5000", "Әсем 5000 төледі"
	BirthdayOf                 // "день рождения Жанны 12 марта"
	CustomerLine               // "новый клиент Мадина …", "Алия Омарова +77011234567", "5 мая Алия Омарова"
	AnotherOrder               // "заказ Жанна крем 2 x 5000", "тапсырыс Жаннаға", "Жанна купила тушь 4500": an order of its own
	AsksSection                // "мои клиенты", "отчёт за ноябрь", "кто мне должен?"
)

// BesideOrder reads a line typed while an order is open: what it asks for
// when it is plainly something else than an item, Item otherwise. A
// product's line may hold a number and a word written like a name
// ("помада Розовая 2"): only a phone, a date beside a name, or the words
// of a payment, a birthday, a reminder, today's calls or a new customer
// make it something else. A bare "добавь …" stays an item: in an order
// she adds products.
func BesideOrder(text string) Beside {
	switch {
	case Today(text):
		return AsksToday
	case isSection(text):
		return AsksSection
	case isDebts(text):
		return AsksSection
	case isList(text), isDelivered(text):
		return AsksSection // "кто не заказывал больше 3 месяцев?", "заказ 1 доставлен"
	case isOrder(text):
		return AnotherOrder
	case isRemind(text):
		return AsksReminder
	case isPayment(text):
		return Paid
	case isBirthday(text):
		return BirthdayOf
	case addsCustomer(text), customerLine(text):
		return CustomerLine
	}
	return Item
}

func isRemind(text string) bool    { _, ok := Remind(text); return ok }
func isList(text string) bool      { _, ok := CustomerList(text); return ok }
func isDelivered(text string) bool { _, _, ok := Delivered(text); return ok }
func isOrder(text string) bool {
	if rest, ok := Order(text); ok {
		return rest != ""
	}
	_, ok := Sale(text)
	return ok
}

// isSection is SectionOf for a line typed into an order: of two words at
// least and no digit, since one word may be a product's ("база 2" is a
// primer, not her customer base).
func isSection(text string) bool {
	if len(words(text)) < 2 || strings.ContainsAny(text, "0123456789") {
		return false
	}
	_, ok := SectionOf(text)
	return ok
}

// isDebts is Debts for a line typed into an order: with no digit, nor
// "долговечная" (a long-lasting lipstick owes nothing).
func isDebts(text string) bool {
	return Debts(text) && !strings.ContainsAny(text, "0123456789") && !strings.Contains(strings.ToLower(text), "долговеч")
}

func isPayment(text string) bool  { _, _, ok := Payment(text); return ok }
func isBirthday(text string) bool { _, _, ok := Birthday(text); return ok }

// addsCustomer reports whether text begins with words that name a new
// customer ("новый клиент …", "добавь клиентку …", "жаңа клиент …"): Add's
// phrases that say "customer", not its bare verbs.
func addsCustomer(text string) bool {
	if _, ok := Add(text); !ok {
		return false
	}
	for _, w := range words(text) {
		if customerWords[w] {
			return true
		}
	}
	return false
}

var customerWords = set("клиента", "клиентку", "клиент", "клиентка", "customer")

// customerLine reports whether text is a customer's line, as an add
// reads it: a name with a phone ("Алия Омарова +77011234567", "Әсем 8 701
// 555 44 33"), or a date beside a name ("5 мая Алия Омарова", "Жанна Ким
// 12.03.1990"): no product has a phone, nor a birthday.
func customerLine(text string) bool {
	fields := strings.Fields(text)
	if len(words(text)) == 0 {
		return false // a phone alone, a number: the item's, or nobody's
	}
	if hasPhone(fields) {
		return true
	}
	for _, f := range fields {
		if itemMarks[strings.Trim(f, ",.;:")] { // as typed: "Дана" is her name, "дана" pieces
			return false // "Набор 8 марта 2 x 5000": a product named for a date
		}
	}
	date := -1
	for i := range fields {
		if _, n := crm.WordDate(fields[i:]); n > 0 {
			date = i
			fields = append(fields[:i:i], fields[i+n:]...)
			break
		}
		if numericDate(strings.Trim(fields[i], ",;")) {
			date = i
			fields = append(fields[:i:i], fields[i+1:]...)
			break
		}
	}
	if date < 0 {
		return false
	}
	for _, f := range fields {
		if nameLike(f) {
			return true
		}
	}
	return false
}

// itemMarks are the words of a quantity or a price: a line with one is an
// item's, whatever date its product is named for.
var itemMarks = set("x", "X", "х", "Х", "×", "*", "шт", "штук", "штуки", "по", "дана", "pcs", "₸", "тг", "тенге", "теңге")

// phoneDigits is the fewest digits a phone has (a Kazakh number without
// its 8 or +7 has 10).
const phoneDigits = 10

// hasPhone reports whether fields hold a phone: a run of tokens of digits
// and phone punctuation ("+7 701 555 44 33", "8-701-555-44-33",
// "87011234567") of 10 to 12 digits, begun with +, 7 or 8: prices and
// quantities ("2 x 12500", "3 500") never have so many.
func hasPhone(fields []string) bool {
	digits, first := 0, ""
	for i := 0; i <= len(fields); i++ {
		if i < len(fields) && phoneToken(fields[i]) {
			if first == "" {
				first = fields[i]
			}
			digits += strings.Count(strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return 'd'
				}
				return -1
			}, fields[i]), "d")
			continue
		}
		if digits >= phoneDigits && digits <= phoneDigits+2 && strings.ContainsAny(first[:1], "+78") {
			return true
		}
		digits, first = 0, ""
	}
	return false
}

func phoneToken(f string) bool {
	f = strings.TrimRight(f, ",;")
	if f == "" {
		return false
	}
	hasDigit := false
	for _, r := range f {
		switch {
		case r >= '0' && r <= '9':
			hasDigit = true
		case strings.ContainsRune("+-()", r):
		default:
			return false
		}
	}
	return hasDigit
}

// numericDateRe is a day and a month in digits, with a year or not:
// "12.03", "05.05.1990", "5/05".
var numericDateRe = regexp.MustCompile(`^(\d{1,2})[./](\d{2})(?:[./](\d{2}|\d{4}))?$`)

func numericDate(f string) bool {
	m := numericDateRe.FindStringSubmatch(f)
	if m == nil {
		return false
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	return d >= 1 && d <= 31 && mo >= 1 && mo <= 12
}

// HasName reports whether text holds a word written as a name ("Ким" in
// "Ким за крем"): what is left of a payment's or a birthday's words once
// a customer was found by their beginning must name no one else.
func HasName(text string) bool {
	for _, f := range strings.Fields(text) {
		if nameLike(f) {
			return true
		}
	}
	return false
}

// nameLike reports whether f is written as a name: letters, the first a
// capital ("Алия", "Омарова", "Әсем").
func nameLike(f string) bool {
	f = strings.Trim(f, ",;:.?!")
	rs := []rune(f)
	if len(rs) < 2 || !unicode.IsUpper(rs[0]) {
		return false
	}
	for _, r := range rs {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return true
}
