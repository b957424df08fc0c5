package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

// TestSectionsInWords: a section named in a few words opens as its command
// would — "мои клиенты", "клиенттерім", "отчёт за ноябрь", "кому
// позвонить?", "что ты умеешь?" — in Russian, Kazakh and English; a month
// later than this one is last year's; a customer added with "добавь
// клиентку …" is named in the nominative, with her birthday from the same
// line.
func TestSectionsInWords(t *testing.T) {
	t.Parallel()
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
			{"қараша айындағы есеп", "Есеп: 2026 ж. 1 қараша — 2026 ж. 30 қараша", []string{"24 000 ₸"}},
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
// 4500", "продала Жанне крем 2 по 12000, тушь 4500", "крем 2 шт по
// 12000", "тушь 2 по 4500 и крем 12000", "Жаннаға крем 12000 саттым" —
// opens her order with every item typed, each at its price.
func TestSaleInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, send string
		want       []string
	}{
		{"ru", "Айгерим купила тушь 4500", []string{"🛒 Айгерим Нурланова", "1. тушь — 1 × 4 500 ₸", "Итого: 4 500 ₸"}},
		{"ru", "продала Жанне крем 2 по 12000, тушь 4500", []string{"🛒 Жанна Ахметова", "1. крем — 2 × 12 000 ₸ = 24 000 ₸", "2. тушь — 1 × 4 500 ₸", "Итого: 28 500 ₸"}},
		{"ru", "продала Жанне крем 2 шт по 12000", []string{"🛒 Жанна Ахметова", "1. крем — 2 × 12 000 ₸ = 24 000 ₸", "Итого: 24 000 ₸"}},
		{"ru", "Айгерим купила тушь 2 по 4500 и крем 12000", []string{"🛒 Айгерим Нурланова", "1. тушь — 2 × 4 500 ₸ = 9 000 ₸", "2. крем — 1 × 12 000 ₸", "Итого: 21 000 ₸"}},
		{"kk", "Жаннаға крем 12000 саттым", []string{"🛒 Жанна Ахметова", "1. крем — 1 × 12 000 ₸"}},
		{"kk", "Жаннаға крем 12000 және тушь 4500 саттым", []string{"🛒 Жанна Ахметова", "1. крем — 1 × 12 000 ₸", "2. тушь — 1 × 4 500 ₸"}},
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// TestWholeReminderBesideAForm: a reminder typed whole while the
// payment's method is asked ("ертең сағат 10-да Гүлнарға қоңырау шалу",
// "завтра в 10 позвонить Жанне") is set, not lost behind "choose with a
// button"; "рахмет"/"спасибо" is answered; a birthday list is shown; the
// question is asked again each time and the payment goes on.
func TestWholeReminderBesideAForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, pay, how, remind, set, thanks, thanked, list, listed, method, when string }{
		{"ru", "заказ Жанна крем 2 по 12000", "Жанна оплатила 10000", "Как оплатили?", "завтра в 10 позвонить Жанне", "Напомню завтра",
			"спасибо", "Пожалуйста", "у кого день рождения в декабре?", "Дни рождения: декабрь", "наличными", "Когда оплатили?"},
		{"kk", "тапсырыс Жаннаға крем 2 дана 12000", "Жанна 10000 төледі", "Қалай төленді?", "ертең сағат 10-да Жаннаға қоңырау шалу", "Еске саламын",
			"рахмет", "Оқасы жоқ", "желтоқсанда кімнің туған күні?", "Туған күндер: желтоқсан", "қолма-қол", "Қашан төленді?"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 193
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "24 000")
			a.waitIdle(t)
			u.Send(map[string]string{"ru": "готово", "kk": "дайын"}[tt.lang])
			wait(t, u, "№1")
			a.waitIdle(t)
			talk(t, a, u, []chatStep{{tt.pay, tt.how, nil}})
			for _, s := range []chatStep{{tt.remind, tt.set, []string{"10:00", "👤 Жанна Ахметова"}}, {tt.thanks, tt.thanked, nil}, {tt.list, tt.listed, nil}} {
				u.Send(s.send)
				contains(t, wait(t, u, s.wait), s.want...)
				wait(t, u, tt.how) // asked again after the answer
				a.waitIdle(t)
			}
			talk(t, a, u, []chatStep{{tt.method, tt.when, nil}})
			rs, _, err := a.db.ListReminders(context.Background(), owner, store.ReminderFilter{})
			if err != nil || len(rs) != 1 {
				t.Fatalf("%d reminders (%v), want the one typed beside the form", len(rs), err)
			}
		})
	}
}

// TestSameItemTwiceIsOneLine: "тушь 2 x 4500" then "тушь 4500" is one
// line of three mascaras, not two lines.
func TestSameItemTwiceIsOneLine(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 186
	seedNames(t, a, owner, "Айгерим Нурланова")
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("заказ Айгерим тушь 2 x 4500")
	wait(t, u, "9 000 ₸")
	a.waitIdle(t)
	u.Send("тушь 4500")
	m := wait(t, u, "13 500 ₸")
	contains(t, m, "1. тушь — 3 × 4 500 ₸ = 13 500 ₸")
	if strings.Contains(m.Text, "\n2. ") {
		t.Fatalf("the same item typed twice is two lines:\n%s", m.Text)
	}
}

// TestDoneTypedSavesTheOrder: "готово", "дайын", "done" typed in an open
// order save it as the Save button would, and the draft's buttons go; of
// an empty order it says there is nothing in it and keeps it open.
func TestDoneTypedSavesTheOrder(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, done, saved, empty string }{
		{"ru", "заказ Айгерим", "готово", "Заказ №1", "В заказе нет ни одного товара"},
		{"kk", "тапсырыс Айгерімге", "дайын", "№1", "⚠️"},
		{"en", "order Aigerim", "done", "Order #1", "⚠️"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 188
			seedNames(t, a, owner, "Айгерим Нурланова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "🛒")
			a.waitIdle(t)
			talk(t, a, u, []chatStep{
				{tt.done, tt.empty, nil},
				{"крем 2 x 12000", "24", nil},
			})
			draft := u.Messages()[len(u.Messages())-1]
			if len(draft.Buttons()) == 0 {
				t.Fatalf("the draft has no buttons: %s", draft)
			}
			u.Send(tt.done)
			wait(t, u, tt.saved)
			a.waitIdle(t)
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 1 || os[0].Total() != 2400000 {
				t.Fatalf("orders after %q: %+v, %v", tt.done, os, err)
			}
			for _, m := range u.Messages() {
				if m.MessageID == draft.MessageID && len(m.Buttons()) != 0 {
					t.Fatalf("the saved draft keeps its buttons: %s", m)
				}
			}
		})
	}
}
