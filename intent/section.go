package intent

import (
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Section is a part of the bot a consultant names in a few words instead
// of its command: "мои клиенты", "отчёт за ноябрь", "клиенттерім",
// "настройки", "what can you do?".
type Section int

// The sections a few words may name (NoSection: none).
const (
	NoSection Section = iota
	SectionCustomers
	SectionOrders
	SectionReminders
	SectionCatalog
	SectionReport
	SectionSettings
	SectionInvite
	SectionExport
	SectionMailing
	SectionHelp
)

// PeriodKind is the period a request for the report names.
type PeriodKind int

// The periods a report request may name; AnyPeriod lets her choose.
const (
	AnyPeriod PeriodKind = iota
	ThisMonth
	LastMonth
	ThisYear
	NamedMonth
)

// Asked is the section a message names, with the report's period.
type Asked struct {
	Section Section
	Period  PeriodKind
	Month   time.Month // with NamedMonth
}

// sectionWords are the words that name each section, in ru, kk and en
// (lower case, ё as е, letters only as words() gives them). A message
// naming several is the first of sectionOrder's: "ссылка для клиентов" is
// the invitation, "рассылка клиентам" the mailing, "отчёт по клиентам"
// the report.
var sectionWords = map[Section]map[string]bool{
	SectionCustomers: set("клиенты", "клиентов", "клиентам", "клиентки", "клиенток", "клиентками", "база", "базу", "базы", "клиентская", "клиентскую",
		"контакты", "покупатели", "покупателей", "клиенттер", "клиенттерім", "клиенттерімді", "клиенттерге", "клиенттердің", "клиенттерді",
		"customers", "clients", "contacts", "customer", "base"),
	SectionOrders:    set("заказы", "заказов", "заказами", "тапсырыстар", "тапсырыстарым", "тапсырыстарды", "тапсырыстардың", "orders"),
	SectionReminders: set("напоминания", "напоминаний", "напоминалки", "ескертулер", "ескертулерім", "ескертпелер", "reminders"),
	SectionCatalog: set("каталог", "каталога", "прайс", "прайслист", "товары", "товаров", "продукция", "продукцию", "ассортимент",
		"тауарлар", "тауарларым", "каталогым", "бағалар", "products", "catalog", "catalogue", "pricelist", "price"),
	SectionReport: set("отчет", "отчеты", "отчета", "отчетность", "продажи", "продаж", "выручка", "выручку", "статистика", "статистику",
		"итоги", "заработала", "заработал", "заработок", "продала", "продал", "есеп", "есебі", "есепті", "сатылым", "сатылымдар", "табыс", "табысым",
		"тауып", "таптым", "саттым", "есебін", "есептер", "report", "sales", "revenue", "stats", "statistics", "earn", "earned", "sold"),
	SectionSettings: set("настройки", "настройка", "настроить", "баптаулар", "баптау", "параметрлер", "settings", "preferences"),
	SectionInvite:   set("ссылка", "ссылку", "приглашение", "пригласить", "сілтеме", "сілтемем", "сілтемені", "шақыру", "invite", "invitation", "link"),
	SectionExport:   set("экспорт", "выгрузка", "выгрузку", "выгрузить", "выгрузи", "скачать", "экспорттау", "жүктеу", "жүктеп", "export", "download", "backup"),
	SectionMailing:  set("рассылка", "рассылку", "рассылки", "разослать", "тарату", "хабарлама", "mailing", "broadcast", "newsletter"),
	SectionHelp: set("помощь", "помоги", "справка", "команды", "умеешь", "можешь", "көмек", "анықтама", "командалар", "аласың", "істей",
		"help", "commands", "can"),
}

// sectionOrder is which section a message naming several is.
var sectionOrder = []Section{SectionInvite, SectionMailing, SectionExport, SectionReport, SectionHelp, SectionSettings, SectionCatalog, SectionReminders, SectionOrders, SectionCustomers}

// sectionFillers stand beside a section's name without changing it.
var sectionFillers = set(
	"мои", "моих", "мой", "моя", "мою", "все", "всех", "весь", "список", "покажи", "показать", "открой", "открыть", "дай", "выведи",
	"мне", "я", "у", "меня", "что", "ты", "сколько", "қанша", "much", "для", "по", "с", "и", "пожалуйста", "где", "как", "мое", "моё", "свою", "свой",
	"менің", "барлық", "тізімі", "тізім", "көрсет", "көрсетші", "аш", "ашу", "не", "сен", "маған", "үшін", "бойынша", "өтінемін",
	"my", "all", "show", "list", "open", "the", "of", "me", "please", "what", "you", "do", "i", "how", "did", "for", "to", "get")

// periodWords name the report's period beside it.
var (
	periodWords = set("за", "в", "на", "этот", "этом", "этого", "текущий", "текущем", "месяц", "месяца", "месяце", "прошлый",
		"прошлом", "прошлого", "предыдущий", "год", "году", "года", "осы", "ай", "айда", "айдағы", "айғы", "айы", "айын", "айының",
		"айындағы", "айында", "айдың", "өткен", "жыл", "жылы",
		"жылғы", "биыл", "биылғы", "this", "last", "previous", "month", "year", "in")
	lastWords  = set("прошлый", "прошлом", "прошлого", "предыдущий", "өткен", "last", "previous")
	monthWords = set("месяц", "месяца", "месяце", "ай", "айда", "айдағы", "айғы", "айы", "айын", "айының", "айындағы", "айында", "айдың", "month")
	yearWords  = set("год", "году", "года", "жыл", "жылы", "жылғы", "биыл", "биылғы", "year")
)

// sectionMaxWords bounds a message that names a section.
const sectionMaxWords = 7

// SectionOf reports which section text names when every word of it is a
// section's, a filler or (for the report) a period: "мои клиенты",
// "клиенттерім", "отчёт за ноябрь", "сколько я заработала в этом
// месяце?", "ссылка для клиентов", "what can you do?". A word of anything
// else ("заказы Айгерим") makes it no section's.
func SectionOf(text string) (Asked, bool) {
	ws := words(text)
	if len(ws) == 0 || len(ws) > sectionMaxWords {
		return Asked{}, false
	}
	named := map[Section]bool{}
	var month time.Month
	last, monthWord, yearWord := false, false, false
	for _, w := range ws {
		found := false
		for s, set := range sectionWords {
			if set[w] {
				named[s], found = true, true
			}
		}
		if m, ok := monthOf(w); ok {
			month, found = m, true
		}
		if periodWords[w] {
			found = true
			last = last || lastWords[w]
			monthWord = monthWord || monthWords[w]
			yearWord = yearWord || yearWords[w]
		}
		if !found && !sectionFillers[w] {
			return Asked{}, false
		}
	}
	for _, s := range sectionOrder {
		if !named[s] || (s == SectionHelp && len(named) > 1) {
			continue // "can you show my customers?" is the customers
		}
		a := Asked{Section: s}
		if s == SectionReport {
			a.Period, a.Month = reportPeriod(month, last, monthWord, yearWord)
		} else if month != 0 || monthWord || yearWord {
			return Asked{}, false // "клиенты в мае": a question for another day
		}
		return a, true
	}
	return Asked{}, false
}

// reportPeriod is the period the report's words name: a month by name,
// the last month, this year, this month, or none.
func reportPeriod(month time.Month, last, monthWord, yearWord bool) (PeriodKind, time.Month) {
	switch {
	case month != 0:
		return NamedMonth, month
	case last && monthWord:
		return LastMonth, 0
	case yearWord && !last:
		return ThisYear, 0
	case monthWord && !last:
		return ThisMonth, 0
	}
	return AnyPeriod, 0
}

// monthOf reads a month's name, also in the Russian prepositional case a
// report's "в ноябре" or "в мае" needs, and the Kazakh "қарашадағы"
// ("of November").
func monthOf(w string) (time.Month, bool) {
	if m, ok := fullMonth(w); ok {
		return m, true
	}
	for _, end := range []string{"ғы", "гі", "қы", "кі"} {
		if stem, ok := strings.CutSuffix(w, end); ok {
			if m, ok := fullMonth(stem); ok {
				return m, true
			}
		}
	}
	if stem, ok := strings.CutSuffix(w, "е"); ok {
		for _, end := range []string{"ь", "й", ""} {
			if m, ok := fullMonth(stem + end); ok {
				return m, true
			}
		}
	}
	return 0, false
}

// fullMonth is crm.MonthNamed without the abbreviations ("сен" is also
// Kazakh "you", "мар" no word of a report); May is short in full.
func fullMonth(w string) (time.Month, bool) {
	m, ok := crm.MonthNamed(w)
	if !ok || (len([]rune(w)) <= 3 && w != "май" && w != "мая" && w != "may") {
		return 0, false
	}
	return m, true
}
