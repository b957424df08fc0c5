package intent

import (
	"strconv"
	"strings"
	"time"
)

// ListKind is a list of her customers she asks for in words.
type ListKind int

// The lists a question may name.
const (
	BirthdaysWeek  ListKind = iota + 1 // "у кого день рождения на неделе?"
	BirthdaysMonth                     // "дни рождения в декабре"
	NoOrders                           // "кто не заказывал больше 3 месяцев?"
	Archived                           // "архив", "архивные клиенты", "мұрағат"
	Best                               // "лучшие клиенты", "топ клиентов", "ең жақсы клиенттер"
)

// ListAsk is the list a question names: the birthdays of this week or of
// a month (Month 0: this one), or those with no order for Days (0: she
// picks how long).
type ListAsk struct {
	Kind  ListKind
	Month time.Month
	Next  bool // "в следующем месяце"
	Days  int
}

// listMaxWords bounds a question for a list.
const listMaxWords = 10

var (
	// birthdayNouns name a birthday beside "рождения" or "күн", or alone.
	birthdayAlone = set("др", "именинники", "именинницы", "именинниц", "именинников", "birthday", "birthdays", "birthdays")
	birthdayDay   = set("день", "дня", "дни", "дней", "днях")
	weekWords     = set("неделе", "неделю", "неделя", "недели", "апта", "аптада", "аптадағы", "аптаның", "week", "ближайшие", "ближайших",
		"скоро", "жақында", "жакында", "upcoming", "soon", "coming")
	nextWords = set("следующем", "следующий", "следующего", "будущем", "келесі", "келеси", "next")
	// sleepingWords alone name those who stopped ordering.
	sleepingWords = set("спящие", "спящих", "спящим", "уснувшие", "sleeping", "dormant", "inactive", "неактивные", "неактивных")
	// orderVerbs, after a "not", say she has not ordered.
	orderVerbs = set("заказывал", "заказывала", "заказывали", "заказывает", "заказывают", "покупал", "покупала", "покупали", "покупает",
		"брал", "брала", "брали", "бермеген", "бермегендер", "бермеді", "алмаған", "алмады", "ordered", "bought", "order", "buy")
	notWords = set("не", "нет", "haven't", "hasn't", "not", "didn't", "no")
	// archiveWords name her archive; bestWords her best customers.
	archiveWords = set("архив", "архиве", "архивные", "архивных", "архивированные", "мұрағат", "мұрағаттағы", "мұрағаттағылар", "archive", "archived")
	bestWords    = set("лучшие", "лучших", "топ", "постоянные", "постоянных", "самые", "ценные", "үздік", "жақсы", "тұрақты", "best", "top", "loyal")
	// listFillers stand in such a question without changing it.
	listFillers = set("у", "кого", "кто", "чей", "чьи", "какие", "какой", "когда", "покажи", "показать", "список", "мои", "моих", "клиентов",
		"клиенток", "клиенты", "клиентки", "в", "на", "этой", "этом", "этот", "эту", "месяце", "месяц", "месяца", "рождения", "давно",
		"больше", "более", "дольше", "уже", "чем", "с", "мне", "меня", "а", "и", "ещё", "еще", "все", "всех", "кімнің", "кімде", "кім", "кімдер",
		"туған", "күн", "күні", "күндері", "күндер", "осы", "ай", "айда", "айдағы", "көптен", "бері", "ұзақ", "уақыт", "тапсырыс", "клиенттер",
		"клиенттерім", "көрсет", "тізім", "тізімі", "менің", "who", "has", "have", "whose", "this", "month", "in", "the", "of", "my", "show", "list",
		"customers", "clients", "for", "over", "more", "than", "long", "while", "a", "since", "are", "is", "any", "anyone", "астам", "артық", "аса", "than")
	// periodUnits are days in a unit of "больше 3 месяцев".
	periodUnits = map[string]int{"день": 1, "дня": 1, "дней": 1, "дн": 1, "күн": 1, "күннен": 1, "day": 1, "days": 1,
		"неделя": 7, "недели": 7, "недель": 7, "неделю": 7, "апта": 7, "аптадан": 7, "week": 7, "weeks": 7,
		"месяц": 30, "месяца": 30, "месяцев": 30, "ай": 30, "айдан": 30, "month": 30, "months": 30,
		"год": 365, "года": 365, "лет": 365, "жыл": 365, "жылдан": 365, "year": 365, "years": 365}
	periodWordsAlone = map[string]int{"полгода": 180, "полугода": 180, "года": 365, "год": 365, "квартал": 90, "квартала": 90}
)

// CustomerList reports whether text asks for a list of her customers that
// /find gives: "ближайшие дни рождения", "у кого день рождения в
// декабре?", "кімнің туған күні осы аптада?", "birthdays this month";
// "спящие клиенты", "кто не заказывал больше 3 месяцев?", "көптен бері
// тапсырыс бермегендер", "who hasn't ordered for 2 months". A name or
// a date in it ("у Айгерим день рождения 3 января") makes it none: that
// sets a birthday.
func CustomerList(text string) (ListAsk, bool) {
	fields := strings.Fields(strings.ToLower(text))
	if len(fields) == 0 || len(fields) > listMaxWords {
		return ListAsk{}, false
	}
	var a ListAsk
	birthday, sleeping, not, verb, week, next, monthWord := false, false, false, false, false, false, false
	archived, best := false, false
	num := 0
	for i, f := range fields {
		if n, err := strconv.Atoi(strings.Trim(f, ",.;:!?")); err == nil {
			if num != 0 || i+1 >= len(fields) {
				return ListAsk{}, false
			}
			num = n
			continue
		}
		w := word(f)
		if num != 0 && a.Days == 0 {
			d, ok := periodUnits[w]
			if !ok {
				return ListAsk{}, false // "3 января": a date, not a period
			}
			a.Days = num * d
			continue
		}
		if m, ok := monthOf(w); ok {
			a.Month = m
			continue
		}
		switch {
		case w == "":
		case birthdayAlone[w], w == "рождения" && i > 0 && birthdayDay[word(fields[i-1])], w == "туған":
			birthday = true
		case birthdayDay[w] && i+1 < len(fields) && word(fields[i+1]) == "рождения":
		case sleepingWords[w]:
			sleeping = true
		case archiveWords[w]:
			archived = true
		case bestWords[w] || w == "ең":
			best = best || w != "ең"
		case notWords[w]:
			not = true
		case orderVerbs[w]:
			verb = true
		case weekWords[w]:
			week = true
		case nextWords[w]:
			next = true
		case periodWordsAlone[w] > 0 && a.Days == 0:
			a.Days = periodWordsAlone[w]
		case listFillers[w]:
			monthWord = monthWord || w == "месяце" || w == "месяц" || w == "айда" || w == "month"
		default:
			return ListAsk{}, false
		}
	}
	noOrders := sleeping || verb && (not || strings.Contains(text, "бермеген") || strings.Contains(text, "алмаған"))
	other := birthday || noOrders || a.Days != 0 || a.Month != 0 || week || next
	switch {
	case archived && !best && !other:
		return ListAsk{Kind: Archived}, true
	case best && !archived && !other:
		return ListAsk{Kind: Best}, true
	case archived || best:
		return ListAsk{}, false
	case birthday && !noOrders && a.Days == 0:
		a.Kind = BirthdaysMonth
		if week && a.Month == 0 && !monthWord {
			a.Kind = BirthdaysWeek
		}
		a.Next = next && a.Month == 0
		return a, true
	case noOrders && !birthday && a.Month == 0:
		a.Kind = NoOrders
		return a, true
	}
	return ListAsk{}, false
}
