package intent

import "strings"

// boughtVerbs say someone bought; boughtAsks ask who.
var (
	boughtVerbs = set("купил", "купила", "купили", "покупал", "покупала", "покупали", "брал", "брала", "брали", "заказывал",
		"заказывала", "заказывали", "алды", "алған", "алғандар", "сатып", "bought", "ordered", "buys")
	boughtAsks    = set("кто", "кім", "кімдер", "who")
	boughtFillers = set("у", "меня", "мне", "из", "клиентов", "клиенток", "клиенттерден", "клиенттердің", "менің", "уже", "когда-нибудь",
		"ever", "has", "have", "of", "my", "customers", "the", "a", "от", "қашан")
)

// boughtMaxWords bounds the question.
const boughtMaxWords = 7

// Bought reports whether text asks which of her customers bought a product
// ("кто купил тушь?", "кто покупал крем TimeWise", "тушь кім алды?",
// "who bought mascara") and returns the product as typed. A "не" asks
// something else (who has not), a number is an order's line.
func Bought(text string) (product string, ok bool) {
	fields := strings.Fields(text)
	if len(fields) < 3 || len(fields) > boughtMaxWords {
		return "", false
	}
	asked, verb := false, false
	var rest []string
	for _, f := range fields {
		w := word(f)
		switch {
		case boughtAsks[w]:
			asked = true
		case boughtVerbs[w]:
			verb = true
		case notWords[w], strings.ContainsAny(f, "0123456789"):
			return "", false
		case boughtFillers[w] || w == "":
		default:
			rest = append(rest, strings.Trim(f, ",.;:!?«»\""))
		}
	}
	if !asked || !verb || len(rest) == 0 || len(rest) > 4 {
		return "", false
	}
	return strings.Join(rest, " "), true
}
