package intent

import "strings"

// historyWords ask for a customer's timeline; historyFillers stand beside
// them without naming anyone.
var (
	historyWords   = set("история", "историю", "истории", "тарих", "тарихы", "тарихын", "тарихыны", "history", "timeline")
	historyFillers = set("покажи", "показать", "открой", "открыть", "клиента", "клиентки", "по", "көрсет", "көрсетші", "аш", "ашшы",
		"клиенттің", "show", "open", "me", "the", "of", "customer", "customer's")
	// historyOthers are histories of something else: not hers.
	historyOthers = set("заказов", "заказа", "покупок", "оплат", "платежей", "тапсырыстар", "тапсырыстардың", "төлемдер", "orders", "payments", "purchases", "чата", "чат")
)

// historyMaxWords bounds a request for her history: a verb, the word and
// a name of two words, or "Сауле Қасымованың тарихын көрсет".
const historyMaxWords = 5

// History reports whether text asks for a customer's history ("история
// Жанны", "покажи историю Сауле Қасымовой", "Сауле Қасымованың тарихы",
// "Saule's history", "history of Zhanna") and returns her name as typed
// (maybe in a case).
func History(text string) (who string, ok bool) {
	return namedAsk(text, historyWords, historyFillers, historyOthers)
}

// herOrdersWords ask for a customer's orders ("заказы Айгерим",
// "Айгерімнің тапсырыстары", "Aigerim's orders"); a single "заказ"
// starts a new one instead.
var (
	herOrdersWords   = set("заказы", "заказов", "покупки", "покупок", "тапсырыстары", "тапсырыстарын", "тапсырыстарды", "тапсырыстар", "orders", "purchases")
	herOrdersFillers = set("покажи", "показать", "открой", "открыть", "все", "мне", "клиента", "клиентки", "у", "көрсет", "көрсетші", "аш",
		"барлық", "клиенттің", "show", "open", "me", "the", "of", "all", "customer", "customer's")
	herOrdersOthers = set("история", "историю", "тарих", "тарихы", "history", "заказ", "тапсырыс", "order", "новый", "жаңа", "new")
)

// OrdersOf reports whether text asks for a customer's orders ("заказы
// Айгерим", "покажи все заказы Жанны", "Айгерімнің тапсырыстары",
// "Aigerim's orders") and returns her name as typed (maybe in a case).
func OrdersOf(text string) (who string, ok bool) {
	return namedAsk(text, herOrdersWords, herOrdersFillers, herOrdersOthers)
}

// namedAsk is a request of a few words for something of one customer's:
// one of asks, fillers beside it, and her name; none of others, and no
// digits (an order's line).
func namedAsk(text string, asks, fillers, others map[string]bool) (who string, ok bool) {
	fields := strings.Fields(text)
	if len(fields) < 2 || len(fields) > historyMaxWords {
		return "", false
	}
	var name []string
	found := false
	for _, f := range fields {
		w := word(f)
		switch {
		case asks[w]:
			found = true
		case others[w], strings.ContainsAny(f, "0123456789"):
			return "", false
		case fillers[w] || w == "":
		default:
			name = append(name, strings.TrimSuffix(strings.TrimSuffix(strings.Trim(f, ",.;:!?«»\""), "'s"), "’s"))
		}
	}
	if !found || len(name) == 0 || len(name) > 3 {
		return "", false
	}
	return strings.Join(name, " "), true
}
