// Package intent reads what a plain message asks for when it names no
// customer: today's calls ("кому сегодня позвонить?", "бүгін кімге
// қоңырау шалу керек?"), an order ("заказ Айгерим крем 2", "тапсырыс
// Айгерімге"), or a task that makes a reminder ("позвонить Айгерим",
// "Әсемге қоңырау шалу"), in Russian, Kazakh and English; and, for a line
// typed while an order is being built, whether it is an item or plainly
// something else (BesideOrder: a payment, a birthday, a customer's line
// with a phone or a date, another order). It only reads words: whether a
// name is a customer's is the book's to say.
package intent

import (
	"strings"
	"unicode"
)

// todayWords say "today"; agendaWords what she asks of it.
var (
	todayWords  = set("сегодня", "сегодняшние", "сегодняшний", "бүгін", "бугин", "бүгінгі", "бугинги", "today", "today's", "todays")
	agendaWords = set(
		"кому", "позвонить", "звонить", "звонки", "звонков", "звонок", "набрать", "дела", "дел", "задачи", "план", "планы",
		"напоминания", "напоминаний", "что", "делать",
		"кімге", "кимге", "қоңырау", "коныра", "іс", "істер", "жоспар", "еске", "не", "шалу", "хабарласу",
		"who", "call", "calls", "ring", "tasks", "todo", "agenda", "reminders", "plan", "what", "do",
	)
)

// agendaMaxWords bounds a question about today: a longer message is about
// something else.
const agendaMaxWords = 8

// Today reports whether text asks for today's calls and tasks ("кому
// сегодня позвонить?", "что на сегодня", "бүгін кімге қоңырау шалу
// керек?", "who do I call today?").
func Today(text string) bool {
	ws := words(text)
	if len(ws) == 0 || len(ws) > agendaMaxWords {
		return false
	}
	today, agenda, others, whom := false, false, false, false
	for _, w := range ws {
		whom = whom || whomWords[w]
		switch {
		case todayWords[w]:
			today = true
		case agendaWords[w]:
			agenda = true
		case !fillers[w]:
			others = true
		}
	}
	// "кому сегодня позвонить?", or today alone: "на сегодня?", "бүгін?";
	// "кому позвонить?" asks the same without the day.
	return (today && (agenda || !others)) || (whom && !others && len(ws) > 1)
}

// whomWords ask who to call.
var whomWords = set("кому", "кімге", "кимге", "who", "whom")

// fillers may stand beside today without changing what she asks.
var fillers = set("на", "а", "и", "мне", "у", "меня", "for", "me", "i", "маған", "менің", "керек", "нужно", "надо", "need", "to")

// orderPhrases begin a message that is an order, longest first.
var orderPhrases = [][]string{
	{"оформить", "заказ"}, {"новый", "заказ"}, {"жаңа", "тапсырыс"}, {"жана", "тапсырыс"}, {"new", "order"},
	{"заказ"}, {"заказа"}, {"тапсырыс"}, {"order"},
}

// Order reports whether text begins with a word that makes it an order
// ("заказ Айгерим крем 2", "жаңа тапсырыс Әсемге", "order for Saule"),
// and returns the words after it as typed ("" for "заказ" alone).
func Order(text string) (rest string, ok bool) {
	fields := strings.Fields(text)
	for _, p := range orderPhrases {
		if len(fields) >= len(p) && startsWith(fields, p) {
			return strings.Join(fields[len(p):], " "), true
		}
	}
	// "Айгерим заказ: крем 2", "Айгерімге тапсырыс крем 2 дана": the word
	// after her name (one or two words of it).
	for i := 1; i <= 2 && i < len(fields)-1; i++ {
		if afterName[word(fields[i])] {
			return strings.Join(append(append([]string(nil), fields[:i]...), fields[i+1:]...), " "), true
		}
	}
	// "Мадинаға тапсырыс", "Әсемге жаңа тапсырыс": her name in the dative
	// says whom the order is for, with no item yet. ("Айгерим заказ"
	// alone asks nothing that clear.)
	if n := len(fields); n >= 2 && n <= 4 && afterName[word(fields[n-1])] {
		head := fields[:n-1]
		if n > 2 && newWords[word(head[len(head)-1])] {
			head = head[:len(head)-1]
		}
		if len(head) >= 1 && len(head) <= 2 && kkDative(word(head[len(head)-1])) {
			return strings.Join(head, " "), true
		}
	}
	return "", false
}

// newWords say "new" before the order word.
var newWords = set("жаңа", "жана", "новый")

// kkDative reports whether w ends in a Kazakh dative suffix ("Мадинаға",
// "Әсемге", "Айгерімге", "Жанарқа"; "-га" as typed on a Russian keyboard).
func kkDative(w string) bool {
	rs := []rune(w)
	if len(rs) < 5 {
		return false
	}
	switch string(rs[len(rs)-2:]) {
	case "ға", "ге", "қа", "ке", "га":
		return true
	}
	return false
}

// afterName are the words that make an order when they follow her name.
var afterName = set("заказ", "тапсырыс", "тапсырысы", "order")

// taskStems begin the verbs and nouns of a consultant's task: what makes
// "завтра в 10 позвонить Айгерим" a reminder, and "5 мая Алия Омарова"
// a customer's birthday.
var taskStems = []string{
	// ru
	"позвон", "звон", "перезвон", "набрат", "написат", "напиш", "напомн", "поздрав", "забрат", "отправ", "отвез", "передат",
	"купит", "заказат", "оплат", "провер", "встреч", "спросит", "уточн", "доставит", "привезт", "показат", "предлож",
	// kk
	"қоңырау", "коныра", "хабарлас", "жаз", "құттықта", "куттыкта", "жібер", "жибер", "апар", "әкел", "акел", "сұра", "сура",
	"тексер", "кездес", "төле", "толе", "еске",
	// en
	"call", "ring", "text", "write", "message", "remind", "congratulate", "send", "deliver", "pick", "buy", "order",
	"pay", "check", "meet", "ask", "bring", "show", "offer",
}

// Task reports whether text holds a word of a task ("позвонить",
// "қоңырау шалу", "call"): typed after a time, it is a reminder.
func Task(text string) bool {
	for _, w := range words(text) {
		if hasStem(w, taskStems) {
			return true
		}
	}
	return false
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// words is text's words in lower case, ё as е, without punctuation,
// emoji, symbols or digits.
func words(text string) []string {
	var out []string
	for _, f := range strings.Fields(text) {
		if w := word(f); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// word is one word in lower case, ё as е, letters and apostrophes only.
func word(f string) string {
	f = strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(f, "ё", "е"), "Ё", "е"))
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || r == '\'' {
			return r
		}
		return -1
	}, f)
}

// debtStems begin the words that ask who owes her: "долги", "должен",
// "должники", "задолженность", "неоплаченные", "қарыз", "берешек",
// "төленбеген", "debts", "owes", "unpaid".
var debtStems = []string{"долг", "долж", "задолж", "неоплач", "не оплач", "қарыз", "карыз", "берешек", "төленбе", "толенбе",
	"debt", "owe", "owing", "unpaid"}

// debtsMaxWords bounds a question about debts.
const debtsMaxWords = 6

// Debts reports whether text asks who owes her ("кто мне должен?",
// "долги", "список должников", "кімде қарыз бар?", "who owes me?").
func Debts(text string) bool {
	ws := words(text)
	if len(ws) == 0 || len(ws) > debtsMaxWords {
		return false
	}
	for _, w := range ws {
		if hasStem(w, debtStems) {
			return true
		}
	}
	return false
}

// debtFillers stand beside the words of debts without naming anyone.
var debtFillers = set("кто", "мне", "сколько", "список", "у", "меня", "ли", "ещё", "еще", "мой", "мои", "все", "кімде", "кім", "маған",
	"бар", "қанша", "тізімі", "тізім", "менің", "who", "me", "how", "much", "does", "do", "my", "list", "of", "still")

// DebtsOf is Debts, and the words of it that name whom she asks about,
// as typed ("сколько мне должна Жанна Ким?" → "Жанна Ким", "Жаннаның
// қарызы" → "Жаннаның"); who is "" when she asks about everyone.
func DebtsOf(text string) (who string, ok bool) {
	if !Debts(text) {
		return "", false
	}
	var name []string
	for _, f := range strings.Fields(text) {
		w := word(f)
		if w == "" || debtFillers[w] || hasStem(w, debtStems) || !nameLike(f) {
			continue
		}
		name = append(name, strings.Trim(f, ",.;:!?"))
	}
	return strings.Join(name, " "), true
}

// catalogWords ask a customer's chat for the catalog ("каталог", "что есть
// из товаров?", "тауарлар", "catalog").
var catalogWords = set("каталог", "каталога", "товары", "товаров", "прайс", "ассортимент", "тауарлар", "тауар", "баға", "бағалар",
	"catalog", "catalogue", "products", "price", "prices")

// ordersWords ask it for her orders ("мои заказы", "где мой заказ?",
// "менің тапсырыстарым", "my orders").
var ordersWords = set("заказы", "заказ", "заказов", "тапсырыстарым", "тапсырысым", "тапсырыстар", "orders", "order")

// customerMaxWords bounds what a customer asks of her chat in a few words.
const customerMaxWords = 5

// Catalog reports whether a customer's few words ask for the catalog.
func Catalog(text string) bool { return anyOf(text, catalogWords, customerMaxWords) }

// MyOrders reports whether a customer's few words ask for her orders.
func MyOrders(text string) bool { return anyOf(text, ordersWords, customerMaxWords) }

// anyOf reports whether text, of at most most words, holds one of ws.
func anyOf(text string, ws map[string]bool, most int) bool {
	words := words(text)
	if len(words) == 0 || len(words) > most {
		return false
	}
	for _, w := range words {
		if ws[w] {
			return true
		}
	}
	return false
}
