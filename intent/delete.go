package intent

import "strings"

// deleteVerbs ask to delete a customer when they begin the message
// ("удали Жанну", "delete Zhanna") or, in Kazakh, end it ("Жаннаны
// өшір", "Жаннаны жой").
var (
	deleteFirst = set("удали", "удалить", "удалите", "удаляй", "сотри", "стереть", "delete", "remove", "erase", "өшір", "өшіру", "жой", "жою")
	deleteLast  = set("өшір", "өшіру", "өшіріңіз", "өшірші", "жой", "жою", "жойыңыз", "жойшы", "удали", "удалить", "удалите")
	// deleteFillers stand between the verb and her name.
	deleteFillers = set("клиента", "клиентку", "клиентки", "карточку", "контакт", "клиентті", "клиентін", "карточкасын", "customer", "client", "card", "contact", "the")
)

// deleteObjects are what else she may ask to delete: not a customer.
var deleteObjects = set("заказ", "заказы", "заказа", "напоминание", "напоминания", "заметку", "заметки", "товар", "товары", "позицию",
	"строку", "скидку", "оплату", "платеж", "платёж", "все", "всё", "всех", "рассылку", "категорию",
	"тапсырыс", "тапсырысты", "ескерту", "ескертуді", "жазба", "жазбаны", "тауар", "тауарды", "төлем", "төлемді", "барлығын", "бәрін",
	"order", "orders", "reminder", "reminders", "note", "product", "item", "line", "payment", "discount", "all", "everything", "it", "this", "that")

// deleteMaxWords bounds a request to delete one customer: a verb, a
// filler and her name.
const deleteMaxWords = 5

// Delete reports whether text asks to delete a customer ("удали Жанну",
// "удалить клиента Жанна Ахметова", "Жаннаны өшір", "delete Zhanna") and
// returns her name as typed (maybe in a case: "Жанну", "Жаннаны").
func Delete(text string) (who string, ok bool) {
	fields := strings.Fields(text)
	if len(fields) < 2 || len(fields) > deleteMaxWords {
		return "", false
	}
	var name []string
	switch {
	case deleteFirst[word(fields[0])]:
		name = fields[1:]
	case deleteLast[word(fields[len(fields)-1])]:
		name = fields[:len(fields)-1]
	default:
		return "", false
	}
	for len(name) > 0 && deleteFillers[word(name[0])] {
		name = name[1:]
	}
	for len(name) > 0 && deleteFillers[word(name[len(name)-1])] {
		name = name[:len(name)-1]
	}
	var out []string
	for _, f := range name {
		f = strings.Trim(f, ",.;:!?«»\"")
		if f == "" {
			continue
		}
		if w := word(f); w == "" || deleteObjects[w] || strings.ContainsAny(f, "0123456789") {
			return "", false // "удали заказ 5", "удали напоминание": not a name
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, " "), true
}
