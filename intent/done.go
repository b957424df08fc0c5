package intent

import "strings"

// doneWords end an order being built: "готово", "всё", "сохрани",
// "дайын", "болды", "done", "that's all".
var doneWords = set("готово", "все", "всё", "это все", "это всё", "больше ничего", "сохрани", "сохранить", "сохраняй", "оформи",
	"оформляй", "сохрани заказ", "дайын", "болды", "бітті", "сақта", "сақтау", "осы", "осымен болды", "осы ғана", "done",
	"save", "that's all", "thats all", "that is all", "finish", "save order", "save the order")

// Done reports whether text says the order being built is complete and
// to be saved ("готово", "всё", "болды", "done"): the whole message, not a
// word of a product's name.
func Done(text string) bool {
	ws := words(text)
	return len(ws) > 0 && len(ws) <= 3 && doneWords[strings.Join(ws, " ")]
}
