package intent

import "testing"

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
		{"Айгерим заказ", "", false},   // what does she order?
		{"Заказова Мадина", "", false}, // a surname, not an order
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
		{"ертең сағат 10-да Әсемге қоңырау шалуды еске сал", "ертең сағат 10-да Әсемге қоңырау шалуды", true},
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
