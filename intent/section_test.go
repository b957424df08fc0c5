package intent

import (
	"slices"
	"testing"
	"time"
)

func TestSectionOf(t *testing.T) {
	for _, tt := range []struct {
		text string
		want Asked
		ok   bool
	}{
		{"мои клиенты", Asked{Section: SectionCustomers}, true},
		{"Покажи список клиентов", Asked{Section: SectionCustomers}, true},
		{"клиенттерім", Asked{Section: SectionCustomers}, true},
		{"барлық клиенттер", Asked{Section: SectionCustomers}, true},
		{"my customers", Asked{Section: SectionCustomers}, true},
		{"заказы", Asked{Section: SectionOrders}, true},
		{"менің тапсырыстарым", Asked{Section: SectionOrders}, true},
		{"напоминания", Asked{Section: SectionReminders}, true},
		{"каталог", Asked{Section: SectionCatalog}, true},
		{"прайс-лист", Asked{Section: SectionCatalog}, true},
		{"настройки", Asked{Section: SectionSettings}, true},
		{"баптаулар", Asked{Section: SectionSettings}, true},
		{"ссылка для клиентов", Asked{Section: SectionInvite}, true},
		{"рассылка клиентам", Asked{Section: SectionMailing}, true},
		{"выгрузить клиентов", Asked{Section: SectionExport}, true},
		{"что ты умеешь?", Asked{Section: SectionHelp}, true},
		{"не істей аласың?", Asked{Section: SectionHelp}, true},
		{"what can you do?", Asked{Section: SectionHelp}, true},
		{"can you show my customers?", Asked{Section: SectionCustomers}, true},
		{"отчёт", Asked{Section: SectionReport}, true},
		{"есеп", Asked{Section: SectionReport}, true},
		{"отчёт за месяц", Asked{Section: SectionReport, Period: ThisMonth}, true},
		{"продажи за прошлый месяц", Asked{Section: SectionReport, Period: LastMonth}, true},
		{"отчёт за год", Asked{Section: SectionReport, Period: ThisYear}, true},
		{"продажи за ноябрь", Asked{Section: SectionReport, Period: NamedMonth, Month: time.November}, true},
		{"сколько я заработала в мае?", Asked{Section: SectionReport, Period: NamedMonth, Month: time.May}, true},
		{"сколько я заработала в этом месяце?", Asked{Section: SectionReport, Period: ThisMonth}, true},
		{"қарашадағы есеп", Asked{Section: SectionReport, Period: NamedMonth, Month: time.November}, true},
		{"қарашада қанша саттым?", Asked{Section: SectionReport, Period: NamedMonth, Month: time.November}, true},
		{"осы айдағы есеп", Asked{Section: SectionReport, Period: ThisMonth}, true},
		{"қараша айындағы есеп", Asked{Section: SectionReport, Period: NamedMonth, Month: time.November}, true},
		{"қараша айының есебі", Asked{Section: SectionReport, Period: NamedMonth, Month: time.November}, true},
		{"өткен айдың есебін көрсет", Asked{Section: SectionReport, Period: LastMonth}, true},
		{"өткен айдағы сатылым", Asked{Section: SectionReport, Period: LastMonth}, true},
		{"sales in october", Asked{Section: SectionReport, Period: NamedMonth, Month: time.October}, true},
		{"report for last month", Asked{Section: SectionReport, Period: LastMonth}, true},
		{"заказы Айгерим", Asked{}, false}, // a name: hers to search
		{"клиенты в мае", Asked{}, false},
		{"сколько клиентов", Asked{Section: SectionCustomers}, true},
		{"сен не істей аласың", Asked{Section: SectionHelp}, true}, // "сен" is "you", not September
		{"Айгерим", Asked{}, false},
		{"", Asked{}, false},
	} {
		got, ok := SectionOf(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SectionOf(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSale(t *testing.T) {
	for _, tt := range []struct {
		text, rest string
		ok         bool
	}{
		{"Айгерим купила тушь 4500", "Айгерим тушь 4500", true},
		{"продала Жанне крем 12000", "Жанне крем 12000", true},
		{"Сауле Қасымова взяла крем 2 x 12000", "Сауле Қасымова крем 2 x 12000", true},
		{"Сәуле крем алды", "Сәуле крем", true},
		{"Айгерім сатып алды тушь 4500", "Айгерім тушь 4500", true},
		{"Сәуле Қасымова 2 крем алды", "Сәуле Қасымова 2 крем", true},
		{"Жаннаға крем 12000 саттым", "Жаннаға крем 12000", true},
		{"Айгерім тушь сатып алды", "Айгерім тушь", true},
		{"Saule bought cream 2 x 12000", "Saule cream 2 x 12000", true},
		{"Жанна купила помаду 3000", "Жанна помада 3000", true}, // the item, not its accusative
		{"Жанна взяла розовую помаду и маску 2 x 3000", "Жанна розовая помада и маска 2 x 3000", true},
		{"продала Динаре сыворотку TimeWise 15000", "Динаре сыворотка TimeWise 15000", true},
		{"Айгерим купила крем для рук 3 шт", "Айгерим крем для рук 3 шт", true},
		{"купила", "", false},
		{"завтра купить крем Айгерим", "", false}, // a task, not a sale
		{"Айгерим", "", false},
	} {
		rest, ok := Sale(tt.text)
		if rest != tt.rest || ok != tt.ok {
			t.Errorf("Sale(%q) = %q, %v; want %q, %v", tt.text, rest, ok, tt.rest, tt.ok)
		}
	}
}

func TestNote(t *testing.T) {
	for _, tt := range []struct {
		text, rest string
		ok         bool
	}{
		{"заметка Айгерим: любит розовые оттенки", "Айгерим: любит розовые оттенки", true},
		{"Добавь заметку Айгерим аллергия на ланолин", "Айгерим аллергия на ланолин", true},
		{"Айгерим заметка: аллергия на ланолин", "Айгерим: аллергия на ланолин", true},
		{"Айгерим Нурланова заметка сухая кожа", "Айгерим Нурланова сухая кожа", true},
		{"жазба Әсем: құрғақ тері", "Әсем: құрғақ тері", true},
		{"note for Saule: dry skin", "Saule: dry skin", true},
		{"заметка", "", false},
		{"Айгерим", "", false},
	} {
		rest, ok := Note(tt.text)
		if rest != tt.rest || ok != tt.ok {
			t.Errorf("Note(%q) = %q, %v; want %q, %v", tt.text, rest, ok, tt.rest, tt.ok)
		}
	}
}

func TestProductWords(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"сколько стоит тушь?", []string{"тушь"}},
		{"хочу заказать крем и помаду", []string{"крем", "помаду"}},
		{"қара тушь бар ма?", []string{"қара", "тушь"}},
		{"how much is the mascara?", []string{"mascara"}},
		{"сколько стоит?", nil},
	} {
		if got := ProductWords(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("ProductWords(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestNewPhone(t *testing.T) {
	for _, tt := range []struct {
		text, who, phone string
		ok               bool
	}{
		{"у Айгерим новый номер 8 701 555 66 77", "Айгерим", "8 701 555 66 77", true},
		{"Айгерим телефон 87015556677", "Айгерим", "87015556677", true},
		{"новый номер Жанны +77015556677", "Жанны", "+77015556677", true},
		{"Айгерімнің жаңа нөмірі 87015556677", "Айгерімнің", "87015556677", true},
		{"Saule's new number is +7 701 555 66 77", "Saule", "+7 701 555 66 77", true},
		{"номер заказа 5", "", "", false},
		{"Айгерим номер 123", "", "", false},
		{"Сауле телефон 8701555", "Сауле", "8701555", true}, // said not to be a number
		{"Айгерим 87015556677", "", "", false},              // a search by both
		{"номер 87015556677", "", "", false},                // whose?
	} {
		who, phone, ok := NewPhone(tt.text)
		if who != tt.who || phone != tt.phone || ok != tt.ok {
			t.Errorf("NewPhone(%q) = %q, %q, %v; want %q, %q, %v", tt.text, who, phone, ok, tt.who, tt.phone, tt.ok)
		}
	}
}

func TestDone(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"готово", true}, {"Всё!", true}, {"это всё", true}, {"сохрани заказ", true}, {"болды", true}, {"дайын", true},
		{"Done", true}, {"that's all", true},
		{"готово крем", false}, {"всё для лица 2", false}, {"", false},
	} {
		if got := Done(tt.text); got != tt.want {
			t.Errorf("Done(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
