package intent

import "strings"

// Words that take an item out of an open order: before it ("удали тушь",
// "убери крем", "remove mascara") or after it ("тушь не надо", "тушьті
// алып таста", "кремді өшір").
var (
	removeBefore = set("удали", "удалить", "убери", "убрать", "вычеркни", "минус", "remove", "delete", "drop")
	removeAfter  = [][]string{{"не", "надо"}, {"не", "нужна"}, {"не", "нужен"}, {"не", "нужно"}, {"алып", "таста"}, {"алып", "тастаңыз"},
		{"өшір"}, {"керек", "емес"}, {"not", "needed"}}
)

// RemoveItem reports whether text, typed into an open order, takes an item
// out of it, and returns the item as typed: "удали тушь", "тушь не надо",
// "тушьті алып таста" ("тушьті": the accusative as typed; the caller
// matches it to the order's items by its stem).
func RemoveItem(text string) (what string, ok bool) {
	fields := strings.Fields(strings.TrimRight(strings.TrimSpace(text), ".!"))
	if len(fields) < 2 {
		return "", false
	}
	if removeBefore[word(fields[0])] {
		return strings.Join(fields[1:], " "), true
	}
	for _, tail := range removeAfter {
		if n := len(fields) - len(tail); n >= 1 && startsWith(fields[n:], tail) {
			return strings.Join(fields[:n], " "), true
		}
	}
	return "", false
}
