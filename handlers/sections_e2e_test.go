package handlers_test

import (
	"strings"
	"testing"
	"time"
)

// TestSectionsInWords: a section named in a few words opens as its command
// would — "мои клиенты", "клиенттерім", "отчёт за ноябрь", "кому
// позвонить?", "что ты умеешь?" — in Russian, Kazakh and English; a month
// later than this one is last year's; a customer added with "добавь
// клиентку …" is named in the nominative, with her birthday from the same
// line.
func TestSectionsInWords(t *testing.T) {
	for _, tt := range []struct {
		lang, order, save, saved string
		steps                    []chatStep
	}{
		{"ru", "заказ Айгерим крем 2 шт 12000", "✅ Сохранить заказ", "Заказ №1", []chatStep{
			{"мои клиенты", "Ваши клиенты — 3", []string{"Айгерим Нурланова", "Сауле Қасымова"}},
			{"продажи за ноябрь", "Отчёт: 1 ноября 2026 — 30 ноября 2026", []string{"Выручка: 24 000 ₸", "Айгерим Нурланова — 24 000 ₸"}},
			{"сколько я заработала в этом месяце?", "Отчёт: 1 ноября 2026 — 30 ноября 2026", []string{"Выручка: 24 000 ₸"}},
			{"отчёт за декабрь", "Отчёт: 1 декабря 2025 — 31 декабря 2025", []string{"заказов нет"}},
			{"отчёт", "за какой период?", nil},
			{"заказы", "Заказы — 1", []string{"Айгерим Нурланова"}},
			{"настройки", "Часовой пояс: Asia/Almaty", nil},
			{"что ты умеешь?", "Я веду вашу клиентскую базу", []string{"• Айгерим оплатила 5000", "«отчёт за ноябрь»", "/help"}},
			{"кому позвонить?", "Сегодня среда, 25 ноября 2026", nil},
			{"добавь клиентку Гульнару Тасмагамбетову 8 777 123 45 67, день рождения 12 марта", "Клиент добавлен",
				[]string{"👤 Гульнара Тасмагамбетова", "+7 777 123 45 67", "🎂 12 марта"}},
			{"Гульнара", "👤 Гульнара Тасмагамбетова", nil},
		}},
		{"kk", "тапсырыс Айгерімге крем 2 дана 12000", "✅ Тапсырысты сақтау", "№1", []chatStep{
			{"клиенттерім", "Клиенттеріңіз — 3", []string{"Айгерим Нурланова"}},
			{"қарашадағы есеп", "Есеп: 2026 ж. 1 қараша — 2026 ж. 30 қараша", []string{"24 000 ₸"}},
			{"өткен айдағы сатылым", "Есеп: 2026 ж. 1 қазан — 2026 ж. 31 қазан", []string{"тапсырыс жоқ"}},
			{"тапсырыстарым", "Тапсырыстар — 1", nil},
			{"баптаулар", "Уақыт белдеуі", nil},
			{"не істей аласың?", "Мен сіздің клиенттер базаңызды жүргіземін", []string{"• кімде қарыз бар?"}},
			{"кімге қоңырау шалу керек?", "Бүгін сәрсенбі", nil},
		}},
		{"en", "order Aigerim cream 2 x 12000", "✅ Save order", "Order #1", []chatStep{
			{"my customers", "Your customers — 3", []string{"Айгерим Нурланова", "Сауле Қасымова"}},
			{"sales in october", "October 2026", []string{"No orders"}},
			{"what can you do?", "I keep your customer book", []string{"• who owes me?"}},
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 175
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "24")
			a.waitIdle(t)
			u.PressButton(tt.save)
			wait(t, u, tt.saved)
			a.waitIdle(t)
			talk(t, a, u, tt.steps)
		})
	}
}

// TestSaleInWords: a sale told as it happened — "Айгерим купила тушь
// 4500", "продала Жанне крем 2 по 12000, тушь 4500", "Жаннаға крем 12000
// саттым" — opens her order with every item typed, each at its price.
func TestSaleInWords(t *testing.T) {
	for _, tt := range []struct {
		lang, send string
		want       []string
	}{
		{"ru", "Айгерим купила тушь 4500", []string{"🛒 Айгерим Нурланова", "1. тушь — 1 × 4 500 ₸", "Итого: 4 500 ₸"}},
		{"ru", "продала Жанне крем 2 по 12000, тушь 4500", []string{"🛒 Жанна Ахметова", "1. крем — 2 × 12 000 ₸ = 24 000 ₸", "2. тушь — 1 × 4 500 ₸", "Итого: 28 500 ₸"}},
		{"kk", "Жаннаға крем 12000 саттым", []string{"🛒 Жанна Ахметова", "1. крем — 1 × 12 000 ₸"}},
		{"kk", "Сәуле Қасымова 2 крем 12000 алды", []string{"🛒 Сауле Қасымова", "1. крем — 2 × 12 000 ₸ = 24 000 ₸"}},
		{"en", "Saule bought cream 2 x 12000; mascara 4500", []string{"🛒 Сауле Қасымова", "1. cream — 2 × ₸12,000", "2. mascara — 1 × ₸4,500", "Total: ₸28,500"}},
	} {
		t.Run(tt.lang+"/"+tt.send, func(t *testing.T) {
			a := newApp(t)
			const owner = 176
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.send)
			contains(t, wait(t, u, tt.want[0]+"\n1."), tt.want...)
		})
	}
}

// TestOrderLinesOneCannotBeAdded: of "тушь 4500, помада 0 x 3000, крем 2
// по 12000" the line that cannot be added is named with why, and the two
// others are in the order.
func TestOrderLinesOneCannotBeAdded(t *testing.T) {
	a := newApp(t)
	const owner = 181
	seedNames(t, a, owner, "Айгерим Нурланова")
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("заказ Айгерим тушь 4500, помада 0 x 3000, крем 2 по 12000")
	wait(t, u, "«помада 0 x 3000»: ")
	contains(t, wait(t, u, "\n2. "), "1. тушь — 1 × 4 500 ₸", "2. крем — 2 × 12 000 ₸", "Итого: 28 500 ₸")
}

// TestDigestNamesHerOnce: the morning's list shows a 2+2+2 call, which
// names her already, without her name again in brackets; a reminder that
// does not name her keeps it.
func TestDigestNamesHerOnce(t *testing.T) {
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 184
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", lang)
			u.Send(map[string]string{"ru": "заказ Айгерим крем 2 по 12000", "kk": "тапсырыс Айгерімге крем 2 дана 12000"}[lang])
			wait(t, u, "24 000")
			a.waitIdle(t)
			u.PressButton(tx(lang, "btn.save_order"))
			wait(t, u, "№1")
			a.waitIdle(t)
			u.PressButton(map[string]string{"ru": "✅ Доставлен", "kk": "✅ Жеткізілді"}[lang])
			wait(t, u, "2+2+2")
			a.waitIdle(t)
			u.Send(map[string]string{"ru": "послезавтра в 12 позвонить насчёт каталога Жанне", "kk": "бүрсігүні сағат 12-де Жаннаға каталог туралы қоңырау шалу"}[lang])
			wait(t, u, "👤 Жанна Ахметова")
			a.waitIdle(t)
			a.clock.Add(47 * time.Hour) // 27 November, 09:00
			a.tick(t)
			d := wait(t, u, "☀️")
			for _, line := range strings.Split(d.Text, "\n") {
				if strings.Contains(line, "2+2+2") && strings.Count(line, "Айгерим Нурланова") != 1 {
					t.Fatalf("the digest's call names her twice: %q", line)
				}
			}
			contains(t, d, "(Жанна Ахметова)")
		})
	}
}

// TestAskedBesideAForm: while the payment's method is asked, "кто мне
// должен?" and "мои клиенты" are answered and the question asked again;
// the payment goes on from where it was.
func TestAskedBesideAForm(t *testing.T) {
	a := newApp(t)
	const owner = 185
	seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("заказ Айгерим крем 2 по 12000")
	wait(t, u, "24 000")
	a.waitIdle(t)
	u.PressButton("✅ Сохранить заказ")
	wait(t, u, "Заказ №1")
	a.waitIdle(t)
	talk(t, a, u, []chatStep{
		{"Айгерим оплатила 10000", "Как оплатили?", nil},
		{"кто мне должен?", "Вам должны: 24 000 ₸", nil},
	})
	wait(t, u, "Как оплатили?") // asked again after the answer
	talk(t, a, u, []chatStep{
		{"мои клиенты", "Ваши клиенты — 2", nil},
		{"наличными", "Когда оплатили?", nil},
	})
	u.PressButton("Сегодня")
	contains(t, wait(t, u, "Оплачен частично"), "Оплачено: 10 000 ₸")
}
