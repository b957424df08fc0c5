package intent

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

func TestToday(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"кому сегодня позвонить?", true},
		{"Кому сегодня звонить", true},
		{"что на сегодня?", true},
		{"на сегодня", true},
		{"Сегодняшние звонки", true},
		{"бүгін кімге қоңырау шалу керек?", true},
		{"Бүгінгі жоспар", true},
		{"бүгін не бар?", true},
		{"who do I call today?", true},
		{"today's calls", true},
		{"Айгерим сегодня", false},                               // a name beside today: the search's
		{"сегодня Айгерим купила крем и тушь и заказала", false}, // news, not a question
		{"позвонить Айгерим", false},
		{"кому позвонить?", true},
		{"кімге қоңырау шалу керек?", true},
		{"кому позвонить Айгерим или Сауле?", false},
		{"кому", false},
		{"", false},
	} {
		if got := Today(tt.text); got != tt.want {
			t.Errorf("Today(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestOrder(t *testing.T) {
	for _, tt := range []struct {
		text, rest string
		ok         bool
	}{
		{"заказ Айгерим крем 2 шт 12000", "Айгерим крем 2 шт 12000", true},
		{"Заказ: Айгерим", "Айгерим", true},
		{"новый заказ для Сауле", "для Сауле", true},
		{"оформить заказ Жанне", "Жанне", true},
		{"тапсырыс Айгерімге крем 2 дана 12000", "Айгерімге крем 2 дана 12000", true},
		{"Жаңа тапсырыс Әсемге", "Әсемге", true},
		{"order for Saule", "for Saule", true},
		{"заказ", "", true},
		{"Айгерим заказ: крем 2", "Айгерим крем 2", true},
		{"Айгерімге тапсырыс крем 2 дана 12000", "Айгерімге крем 2 дана 12000", true},
		{"Айгерим Нурланова заказ тушь 2", "Айгерим Нурланова тушь 2", true},
		{"Айгерим заказ", "", false},            // what does she order?
		{"Мадинаға тапсырыс", "Мадинаға", true}, // the dative: for Мадина
		{"Әсем Қасымоваға жаңа тапсырыс", "Әсем Қасымоваға", true},
		{"Мадинаның тапсырысы", "", false}, // her order: not a new one
		{"Заказова Мадина", "", false},     // a surname, not an order
		{"крем для заказа", "", false},
		{"Айгерим", "", false},
	} {
		rest, ok := Order(tt.text)
		if rest != tt.rest || ok != tt.ok {
			t.Errorf("Order(%q) = %q, %v; want %q, %v", tt.text, rest, ok, tt.rest, tt.ok)
		}
	}
}

func TestTask(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"позвонить Айгерим", true},
		{"Поздравить Жанну с днём рождения", true},
		{"забрать заказ у Сауле", true},
		{"Әсемге қоңырау шалу", true},
		{"Айгерімді құттықтау", true},
		{"call Aigerim", true},
		{"Алия Омарова", false}, // a name: with a date, her birthday
		{"Алия Омарова +7 701 555 44 33", false},
		{"крем TimeWise", false},
	} {
		if got := Task(tt.text); got != tt.want {
			t.Errorf("Task(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestPayment(t *testing.T) {
	for _, tt := range []struct {
		text, who, amount string
		ok                bool
	}{
		{"Айгерим оплатила 5000", "Айгерим", "5000", true},
		{"Айгерим Нурланова заплатила 5 000 тг", "Айгерим Нурланова", "5 000 тг", true},
		{"оплата от Сауле 12500", "Сауле", "12500", true},
		{"Жанна перевела на каспи 3000", "Жанна", "3000", true},
		{"Айгерім 5000 төледі", "Айгерім", "5000", true},
		{"Сәуле 12 000 теңге аударды", "Сәуле", "12 000 теңге", true},
		{"Saule paid 12500", "Saule", "12500", true},
		{"Жанна оплатила 5000 23.11", "Жанна", "5000", true},
		{"Айгерим оплатила 5000 3 дня назад", "Айгерим", "5000", true}, // not 50 003
		{"Айгерім 5000 теңге 2 күн бұрын төледі", "Айгерім", "5000 теңге", true},
		{"Жанна позавчера перевела 3000", "Жанна", "3000", true},
		{"Saule paid 12500 2 days ago", "Saule", "12500", true},
		{"Жанна оплатила 5000 23 ноября", "Жанна", "5000", true},
		{"Жанна 23 қарашада 5000 төледі", "Жанна", "5000", true},
		{"Жанна оплатила 150,50", "Жанна", "150,50", true},
		{"Saule paid 12,500", "Saule", "12,500", true},
		{"получила от Мадины 2000", "Мадины", "2000", true},
		{"Мадинадан 2000 алдым", "Мадинадан", "2000", true},
		{"Айгерим оплатила", "", "", false}, // how much?
		{"оплатила 5000", "", "", false},    // who?
		{"Айгерим 5000", "", "", false},     // no word of paying
		{"оплатить до пятницы", "", "", false},
	} {
		who, amount, ok := Payment(tt.text)
		if who != tt.who || amount != tt.amount || ok != tt.ok {
			t.Errorf("Payment(%q) = %q, %q, %v; want %q, %q, %v", tt.text, who, amount, ok, tt.who, tt.amount, tt.ok)
		}
	}
}

func TestDebts(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"кто мне должен?", true},
		{"Долги", true},
		{"список должников", true},
		{"неоплаченные заказы", true},
		{"кімде қарыз бар?", true},
		{"Қарыздар", true},
		{"who owes me?", true},
		{"unpaid orders", true},
		{"Айгерим", false},
		{"позвонить Айгерим насчёт крема и туши и всего остального долгого", false}, // a long sentence
	} {
		if got := Debts(tt.text); got != tt.want {
			t.Errorf("Debts(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestAdd(t *testing.T) {
	for _, tt := range []struct {
		text, line string
		ok         bool
	}{
		{"новый клиент Айгерим Сапарова 87011234567", "Айгерим Сапарова 87011234567", true},
		{"добавь Жанну Ахметову 87011234568", "Жанна Ахметова 87011234568", true},
		{"Добавь Марию 8 701 000 00 01", "Мария 8 701 000 00 01", true},
		{"добавь Наталью Вишневскую", "Наталья Вишневская", true},
		{"добавь Айару 87010000002", "Айару 87010000002", true}, // indeclinable: as typed
		{"добавь клиента Гүлнар Омарова", "Гүлнар Омарова", true},
		{"добавь клиентку Жанну Ким 87015554433", "Жанна Ким 87015554433", true}, // agrees with «клиентку»
		{"добавь клиентку Динару Сапарову", "Динара Сапарова", true},
		{"добавь клиента Марию Ким", "Мария Ким", true},
		{"добавь клиентку Гульнару Тасмагамбетову 8 777 123 45 67, день рождения 12 марта", "Гульнара Тасмагамбетова 8 777 123 45 67, день рождения 12 марта", true},
		{"жаңа клиент Әсем Қасымова 87015554433", "Әсем Қасымова 87015554433", true},
		{"add customer Saule 87011234569", "Saule 87011234569", true},
		{"добавь", "", false},
		{"добавь заметку Айгерим любит розы", "", false}, // a note, not a customer named «заметку»
		{"add order for Saule", "", false},
		{"Айгерим добавь", "", false},
	} {
		line, ok := Add(tt.text)
		if line != tt.line || ok != tt.ok {
			t.Errorf("Add(%q) = %q, %v; want %q, %v", tt.text, line, ok, tt.line, tt.ok)
		}
	}
}

func TestRemind(t *testing.T) {
	for _, tt := range []struct {
		text, line string
		ok         bool
	}{
		{"напомни завтра позвонить Айгерим", "завтра позвонить Айгерим", true},
		{"Напомни мне в пятницу в 15:00 поздравить Жанну", "в пятницу в 15:00 поздравить Жанну", true},
		{"ертең сағат 10-да Әсемге қоңырау шалуды еске сал", "ертең сағат 10-да Әсемге қоңырау шалу", true},
		{"ертең Әсемді құттықтауды еске салшы", "ертең Әсемді құттықтау", true},
		{"жұмада кремді әкелуді еске сал", "жұмада кремді әкелу", true},
		{"еске сал ертең Әсемге қоңырау шалу", "ертең Әсемге қоңырау шалу", true},
		{"remind me tomorrow to call Saule", "tomorrow to call Saule", true},
		{"напомни", "", false},
		{"позвонить Айгерим", "", false},
	} {
		line, ok := Remind(tt.text)
		if line != tt.line || ok != tt.ok {
			t.Errorf("Remind(%q) = %q, %v; want %q, %v", tt.text, line, ok, tt.line, tt.ok)
		}
	}
}

func TestBirthday(t *testing.T) {
	for _, tt := range []struct {
		text, who, date string
		ok              bool
	}{
		{"день рождения Айгерим 12 марта", "Айгерим", "12 марта", true},
		{"у Жанны др 12.03", "Жанны", "12.03", true},
		{"Айгерим Нурланова — день рождения 5 мая 1990", "Айгерим Нурланова", "5 мая 1990", true},
		{"Айгерімнің туған күні 12 наурыз", "Айгерімнің", "12 наурыз", true},
		{"Saule's birthday is May 5", "Saule", "May 5", true},
		{"день рождения Айгерим", "", "", false},  // when?
		{"день рождения 12 марта", "", "", false}, // whose?
		{"Айгерим 12 марта", "", "", false},
		// A phone makes it a new customer's line, her birthday in it.
		{"Мадина Ержанова 8 701 555 44 34 день рождения 5 мая", "", "", false},
		{"Жанна Ким +77015554433 др 12.03", "", "", false},
	} {
		who, date, ok := Birthday(tt.text)
		if who != tt.who || date != tt.date || ok != tt.ok {
			t.Errorf("Birthday(%q) = %q, %q, %v; want %q, %q, %v", tt.text, who, date, ok, tt.who, tt.date, tt.ok)
		}
	}
}

func TestCustomerAsks(t *testing.T) {
	for _, tt := range []struct {
		text              string
		catalog, myOrders bool
	}{
		{"каталог", true, false},
		{"Покажите каталог, пожалуйста", true, false},
		{"тауарлар", true, false},
		{"мои заказы", false, true},
		{"где мой заказ?", false, true},
		{"менің тапсырыстарым", false, true},
		{"my orders", false, true},
		{"крем керек", false, false},
		{"хочу заказать тушь и крем для лица, какие есть цвета помады", false, false}, // too long: hers to read
	} {
		if c, o := Catalog(tt.text), MyOrders(tt.text); c != tt.catalog || o != tt.myOrders {
			t.Errorf("%q: catalog %v, my orders %v; want %v, %v", tt.text, c, o, tt.catalog, tt.myOrders)
		}
	}
}

func TestPaymentMethodOf(t *testing.T) {
	for _, tt := range []struct {
		text string
		want crm.PaymentMethod
		ok   bool
	}{
		{"Айгерим оплатила 5000 наличными", crm.Cash, true},
		{"Жанна 12000 картой", crm.Card, true},
		{"Сауле перевела 5000", crm.Transfer, true},
		{"Айгерим оплатила 5000 на каспи", crm.KaspiGold, true},
		{"оплата Сауле 12500 kaspi qr", crm.KaspiQR, true},
		{"Әсем 5000 қолма-қол төледі", crm.Cash, true},
		{"Әсем 5000 аударды", crm.Transfer, true},
		{"Saule paid 12,500 by card", crm.Card, true},
		{"Айгерим оплатила 5000", "", false},
	} {
		if got, ok := PaymentMethodOf(tt.text); got != tt.want || ok != tt.ok {
			t.Errorf("PaymentMethodOf(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBesideOrder(t *testing.T) {
	for _, tt := range []struct {
		text string
		want Beside
	}{
		// Items, with a number and a word written like a name.
		{"тушь 2", Item},
		{"крем для рук 3 шт", Item},
		{"помада Розовая 2", Item},
		{"Крем TimeWise 2 x 12500", Item},
		{"крем 2 шт 12000", Item},
		{"тушь 3 500", Item},
		{"Сыворотка 0.75 2", Item},
		{"добавь тушь 2", Item}, // in an order she adds products
		{"крем 2 дана 12000", Item},
		{"Набор 8 марта 2 x 5000", Item}, // a product named for a date
		{"Подарочный набор 8 марта 3 шт", Item},
		{"Мадина Ержанова 8 701 555 44 34 день рождения 5 мая", CustomerLine},
		// Something else.
		{"кому сегодня позвонить?", AsksToday},
		{"мои клиенты", AsksSection},
		{"отчёт за ноябрь", AsksSection},
		{"база 2", Item}, // a primer
		{"база", Item},
		{"кто мне должен?", AsksSection},
		{"маған кім қарыз?", AsksSection},
		{"долговечная помада", Item},
		{"кто не заказывал больше 3 месяцев?", AsksSection},
		{"ближайшие дни рождения", AsksSection},
		{"заказ 1 доставлен", AsksSection},
		{"Айгерим заказ доставлен", AsksSection},
		{"доставка 1000", Item},
		{"заказ Жанна крем 2 x 5000", AnotherOrder},
		{"тапсырыс Жаннаға", AnotherOrder},
		{"Жанна заказ: крем 2", AnotherOrder},
		{"Жанна купила тушь 4500", AnotherOrder},
		{"заказ", Item}, // whose? no order of its own
		{"напомни завтра в 11 позвонить Жанне", AsksReminder},
		{"ертең сағат 11-де Жаннаға қоңырау шалуды еске сал", AsksReminder},
		{"Айгерим оплатила 5000", Paid},
		{"Айгерім 5 000 төледі", Paid},
		{"Saule paid 12,500", Paid},
		{"день рождения Жанны 12 марта", BirthdayOf},
		{"Айгерімнің туған күні 12 наурыз", BirthdayOf},
		{"5 мая Алия Омарова", CustomerLine},
		{"5 мамыр Дана Серикова", CustomerLine}, // Дана, not "дана" (pieces)
		{"Жанна Ким 12.03.1990", CustomerLine},
		{"12 наурыз Әсем Жұмабекова", CustomerLine},
		{"Алия Омарова +77011234567", CustomerLine},
		{"Алия Омарова +7 701 123 45 67", CustomerLine},
		{"Әсем 8 701 555 44 33", CustomerLine},
		{"Мадина 8-701-555-44-33", CustomerLine},
		{"новый клиент Мадина Ержанова", CustomerLine},
		{"жаңа клиент Әсем Жұмабекова 87010000052", CustomerLine},
	} {
		if got := BesideOrder(tt.text); got != tt.want {
			t.Errorf("BesideOrder(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestDebtsOf(t *testing.T) {
	for _, tt := range []struct {
		text, who string
		ok        bool
	}{
		{"Кто мне должен?", "", true},
		{"долги", "", true},
		{"сколько мне должна Жанна Ким?", "Жанна Ким", true},
		{"долг Жанны", "Жанны", true},
		{"Жаннаның қарызы қанша?", "Жаннаның", true},
		{"Кімде қарыз бар?", "", true},
		{"Жанна Ким", "", false},
	} {
		who, ok := DebtsOf(tt.text)
		if who != tt.who || ok != tt.ok {
			t.Errorf("DebtsOf(%q) = %q, %v; want %q, %v", tt.text, who, ok, tt.who, tt.ok)
		}
	}
}

func TestDelete(t *testing.T) {
	for _, tt := range []struct {
		text, who string
		ok        bool
	}{
		{"удали Жанну", "Жанну", true},
		{"удалить клиента Жанна Ахметова", "Жанна Ахметова", true},
		{"удали жанну", "жанну", true},
		{"Жаннаны өшір", "Жаннаны", true},
		{"Жанна Ахметованы жой", "Жанна Ахметованы", true},
		{"өшір Жаннаны", "Жаннаны", true},
		{"delete Zhanna", "Zhanna", true},
		{"delete customer Zhanna", "Zhanna", true},
		{"удали заказ 5", "", false},
		{"удали напоминание", "", false},
		{"удали", "", false},
		{"delete all", "", false},
		{"Жанна", "", false},
		{"Удаловa Жанна", "", false},
	} {
		who, ok := Delete(tt.text)
		if who != tt.who || ok != tt.ok {
			t.Errorf("Delete(%q) = %q, %v; want %q, %v", tt.text, who, ok, tt.who, tt.ok)
		}
	}
}

func TestHistory(t *testing.T) {
	for _, tt := range []struct {
		text, who string
		ok        bool
	}{
		{"история Жанны", "Жанны", true},
		{"покажи историю Сауле Қасымовой", "Сауле Қасымовой", true},
		{"Сауле Қасымованың тарихы", "Сауле Қасымованың", true},
		{"Сәуленің тарихын көрсет", "Сәуленің", true},
		{"Saule's history", "Saule", true},
		{"history of Zhanna", "Zhanna", true},
		{"история заказов", "", false},
		{"история", "", false},
		{"Жанна", "", false},
		{"заметка Жанна история 2020", "", false},
	} {
		who, ok := History(tt.text)
		if who != tt.who || ok != tt.ok {
			t.Errorf("History(%q) = %q, %v; want %q, %v", tt.text, who, ok, tt.who, tt.ok)
		}
	}
}

func TestOrdersOf(t *testing.T) {
	for _, tt := range []struct {
		text, who string
		ok        bool
	}{
		{"заказы Айгерим", "Айгерим", true},
		{"покажи все заказы Жанны", "Жанны", true},
		{"Айгерімнің тапсырыстары", "Айгерімнің", true},
		{"Aigerim's orders", "Aigerim", true},
		{"orders of Saule Kasymova", "Saule Kasymova", true},
		{"заказ Айгерим тушь 2", "", false},    // a new order
		{"заказы", "", false},                  // the orders section
		{"заказы Айгерим 12 марта", "", false}, // digits: not a request
		{"история Жанны", "", false},
	} {
		who, ok := OrdersOf(tt.text)
		if who != tt.who || ok != tt.ok {
			t.Errorf("OrdersOf(%q) = %q, %v; want %q, %v", tt.text, who, ok, tt.who, tt.ok)
		}
	}
}

func TestBought(t *testing.T) {
	for _, tt := range []struct {
		text, product string
		ok            bool
	}{
		{"кто купил тушь?", "тушь", true},
		{"кто у меня покупал крем TimeWise", "крем TimeWise", true},
		{"тушь кім алды?", "тушь", true},
		{"who bought mascara", "mascara", true},
		{"Айгерим купила тушь 4500", "", false}, // a sale
		{"кто не покупал тушь", "", false},
		{"кто купил", "", false},
	} {
		product, ok := Bought(tt.text)
		if product != tt.product || ok != tt.ok {
			t.Errorf("Bought(%q) = %q, %v; want %q, %v", tt.text, product, ok, tt.product, tt.ok)
		}
	}
}

func TestArchiveAndBestLists(t *testing.T) {
	for _, tt := range []struct {
		text string
		kind ListKind
		ok   bool
	}{
		{"архив", Archived, true},
		{"покажи архивных клиентов", Archived, true},
		{"мұрағат", Archived, true},
		{"лучшие клиенты", Best, true},
		{"топ клиентов", Best, true},
		{"ең жақсы клиенттер", Best, true},
		{"top customers", Best, true},
		{"лучшие клиенты в декабре", 0, false},
	} {
		a, ok := CustomerList(tt.text)
		if a.Kind != tt.kind || ok != tt.ok {
			t.Errorf("CustomerList(%q) = %+v, %v; want kind %d, %v", tt.text, a, ok, tt.kind, tt.ok)
		}
	}
}

func TestCancelled(t *testing.T) {
	for _, tt := range []struct {
		text, who string
		number    int
		ok        bool
	}{
		{"отмени заказ 12", "", 12, true},
		{"заказ 12 отменён", "", 12, true},
		{"Айгерим отменила заказ", "Айгерим", 0, true},
		{"Айгерим отказалась от заказа", "Айгерим", 0, true},
		{"Айгерім тапсырыстан бас тартты", "Айгерім", 0, true},
		{"12 тапсырысты болдырма", "", 12, true},
		{"cancel order 12", "", 12, true},
		{"отмени", "", 0, false},
		{"отмени напоминание", "", 0, false},
		{"когда отменят заказ?", "", 0, false},
	} {
		who, n, ok := Cancelled(tt.text)
		if who != tt.who || n != tt.number || ok != tt.ok {
			t.Errorf("Cancelled(%q) = %q, %d, %v; want %q, %d, %v", tt.text, who, n, ok, tt.who, tt.number, tt.ok)
		}
	}
}

func TestLikes(t *testing.T) {
	for _, tt := range []struct {
		text string
		ok   bool
	}{
		{"Айгерим любит розовые оттенки", true},
		{"Жанна Ахметова не любит сладкие ароматы", true},
		{"Айгерім қызғылт түстерді ұнатады", true},
		{"Saule likes nude shades", true},
		{"любит розовые оттенки", false}, // whose?
		{"Айгерим любит", false},
		{"кто любит розовые оттенки", false},
	} {
		if _, ok := Likes(tt.text); ok != tt.ok {
			t.Errorf("Likes(%q) = %v, want %v", tt.text, ok, tt.ok)
		}
	}
}

func TestRemoveItem(t *testing.T) {
	for _, tt := range []struct {
		text, what string
		ok         bool
	}{
		{"удали тушь", "тушь", true},
		{"убери крем TimeWise", "крем TimeWise", true},
		{"тушь не надо", "тушь", true},
		{"тушьті алып таста", "тушьті", true},
		{"кремді өшір", "кремді", true},
		{"remove mascara", "mascara", true},
		{"тушь 2", "", false},
		{"удали", "", false},
	} {
		what, ok := RemoveItem(tt.text)
		if what != tt.what || ok != tt.ok {
			t.Errorf("RemoveItem(%q) = %q, %v; want %q, %v", tt.text, what, ok, tt.what, tt.ok)
		}
	}
}
