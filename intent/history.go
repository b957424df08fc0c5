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
	fields := strings.Fields(text)
	if len(fields) < 2 || len(fields) > historyMaxWords {
		return "", false
	}
	var name []string
	found := false
	for _, f := range fields {
		w := word(f)
		switch {
		case historyWords[w]:
			found = true
		case historyOthers[w], strings.ContainsAny(f, "0123456789"):
			return "", false
		case historyFillers[w] || w == "":
		default:
			name = append(name, strings.TrimSuffix(strings.TrimSuffix(strings.Trim(f, ",.;:!?«»\""), "'s"), "’s"))
		}
	}
	if !found || len(name) == 0 || len(name) > 3 {
		return "", false
	}
	return strings.Join(name, " "), true
}
