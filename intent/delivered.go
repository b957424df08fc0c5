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
	said, ok := orderSaid(text, deliveredSure, deliveredBeside, nil, deliveredFiller)
	if !ok || !said.sure && !(said.beside && said.noun) || len(said.name) > 3 {
		return "", 0, false
	}
	return strings.Join(said.name, " "), said.number, true
}

// said is what a message about one of her orders holds: a word of sure,
// one of beside, the word for an order, its number, the rest (a name).
type said struct {
	sure, beside, noun bool
	number             int
	name               []string
}

// orderSaid reads text, of at most deliveredMaxWords and no question, as
// said about an order with the words of sure and beside, the words for an
// order (orderNouns and nouns), and fillers; false with two numbers (an
// item's line).
func orderSaid(text string, sure, beside, nouns map[string]bool, fillers ...map[string]bool) (said, bool) {
	var s said
	if strings.Contains(text, "?") {
		return s, false
	}
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) > deliveredMaxWords {
		return s, false
	}
next:
	for _, f := range fields {
		if n, isNum := orderNumber(f); isNum {
			if s.number != 0 {
				return s, false
			}
			s.number = n
			continue
		}
		w := word(f)
		switch {
		case sure[w]:
			s.sure = true
			continue
		case beside[w]:
			s.beside = true
			continue
		case orderNouns[w] || nouns[w]:
			s.noun = true
			continue
		case w == "":
			continue
		}
		for _, fl := range fillers {
			if fl[w] {
				continue next
			}
		}
		s.name = append(s.name, strings.Trim(f, ",.;:!"))
	}
	return s, true
}

// orderNumber reads "12", "№12", "#12", "12," as an order's number.
func orderNumber(f string) (int, bool) {
	f = strings.TrimLeft(strings.TrimRight(f, ",.;:!"), "№#")
	n, err := strconv.Atoi(f)
	return n, err == nil && n > 0
}
