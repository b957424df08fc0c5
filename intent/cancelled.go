package intent

import "strings"

// Words that say an order is off. The sure ones say it beside her name
// ("Айгерим отказалась", "Жанна бас тартты"); the others only beside the
// word for an order ("отмени заказ 12", "Айгерим отменила заказ"): "отмени"
// alone ends what is open, "отмени напоминание" is a reminder's.
var (
	cancelledSure   = set("отказалась", "отказался", "отказались", "передумала", "передумал", "тартты", "тартпақ", "changed")
	cancelledBeside = set("отменила", "отменил", "отменили", "отменён", "отменен", "отменена", "отменено", "отмени", "отменить",
		"отменяю", "отмена", "отказ", "болдырма", "болдырмау", "болдырмады", "болдырылмады", "жою", "cancel", "cancelled", "canceled")
	cancelledNouns  = set("заказа", "заказу", "тапсырыстан", "тапсырысты")
	cancelledFiller = set("от", "бас", "тапсырыстан", "мой", "номер", "весь", "пожалуйста", "please", "the", "her", "mind", "number", "is", "was", "has",
		"been", "she", "өтінемін")
)

// Cancelled reports whether text says one of her orders is off: "отмени
// заказ 12", "заказ 12 отменён", "Айгерим отменила заказ", "Айгерим
// отказалась от заказа", "Айгерім тапсырыстан бас тартты", "12
// тапсырысты болдырма", "cancel order 12". number is the order's number
// when it gives one, who the other words (a name, as typed); a question
// is none.
func Cancelled(text string) (who string, number int, ok bool) {
	s, ok := orderSaid(text, cancelledSure, cancelledBeside, cancelledNouns, cancelledFiller, deliveredFiller)
	switch {
	case !ok, len(s.name) > 3, !s.sure && !(s.beside && s.noun):
		return "", 0, false
	case s.sure && !s.noun && len(s.name) == 0 && s.number == 0:
		return "", 0, false // "передумала": whose?
	}
	return strings.Join(s.name, " "), s.number, true
}
