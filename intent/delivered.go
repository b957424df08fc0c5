package intent

import (
	"strconv"
	"strings"
)

// Words that say an order was handed over. The sure ones say it alone
// ("Айгерим доставлено", "Жаннаға жеткіздім"); the others only beside the
// word for an order ("отдала заказ Жанне": "Жанна отдала" is a payment's).
var (
	deliveredSure = set("доставлен", "доставлено", "доставлена", "доставила", "доставил", "доставили", "вручила", "вручил", "вручен",
		"вручено", "вручена", "жеткізілді", "жеткизилди", "жеткіздім", "жеткиздим", "жеткізді", "жеткизди", "жеткізіп", "жеткизип",
		"delivered")
	deliveredBeside = set("отдала", "отдал", "передала", "передал", "получила", "получил", "забрала", "забрал", "тапсырдым",
		"бердім", "бердим", "алды", "handed", "gave", "picked")
	orderNouns      = set("заказ", "заказа", "заказы", "заказик", "тапсырыс", "тапсырысы", "тапсырысын", "тапсырысты", "order", "orders")
	deliveredFiller = set("уже", "сегодня", "ей", "ему", "клиентке", "клиенту", "мой", "номер", "весь", "бүгін", "бугин", "оған",
		"is", "was", "has", "been", "the", "to", "already", "today", "number", "up", "over", "her")
)

// deliveredMaxWords bounds a message that says an order was delivered: a
// longer one says something else.
const deliveredMaxWords = 7

// Delivered reports whether text says one of her orders was handed over:
// "заказ 12 доставлен", "№12 доставлен", "Айгерим доставлено", "отдала
// заказ Жанне", "доставлен" alone, "Жаннаның тапсырысы жеткізілді",
// "order 12 delivered". number is the order's number when it gives one,
// who the other words (a name, as typed); a question ("когда доставят?")
// is none.
func Delivered(text string) (who string, number int, ok bool) {
	if strings.Contains(text, "?") {
		return "", 0, false
	}
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) > deliveredMaxWords {
		return "", 0, false
	}
	sure, beside, noun := false, false, false
	var name []string
	for _, f := range fields {
		if n, isNum := orderNumber(f); isNum {
			if number != 0 {
				return "", 0, false // two numbers: an item's line, not an order's
			}
			number = n
			continue
		}
		switch w := word(f); {
		case deliveredSure[w]:
			sure = true
		case deliveredBeside[w]:
			beside = true
		case orderNouns[w]:
			noun = true
		case w == "" || deliveredFiller[w]:
		default:
			name = append(name, strings.Trim(f, ",.;:!"))
		}
	}
	if !sure && !(beside && noun) || len(name) > 3 {
		return "", 0, false
	}
	return strings.Join(name, " "), number, true
}

// orderNumber reads "12", "№12", "#12", "12," as an order's number.
func orderNumber(f string) (int, bool) {
	f = strings.TrimLeft(strings.TrimRight(f, ",.;:!"), "№#")
	n, err := strconv.Atoi(f)
	return n, err == nil && n > 0
}
