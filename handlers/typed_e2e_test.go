package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

// TestTypedContactLines: /add with the labels and commas consultants paste
// saves the name, the phone and the birthday, and no label as a note.
func TestTypedContactLines(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, line, card, bday string }{
		{"ru", "/add Айгерим Нурланова, тел: +7 701 123 45 67, д.р. 12 марта", "👤 Айгерим Нурланова", "12 марта"},
		{"ru", "/add Жанна Ким 8-701-555-44-33 день рождения 5 мая", "👤 Жанна Ким", "5 мая"},
		{"kk", "/add Әсем Қасымова туған күні 3-наурыз тел 87011234567", "👤 Әсем Қасымова", "3 наурыз"},
		{"en", "/add Mary Brown born May 5 phone +77015554433", "👤 Mary Brown", "5 May"},
		{"en", "/add Mary Brown +7 701 555 44 33 May 5", "👤 Mary Brown", "5 May"},
	} {
		t.Run(tt.lang+"/"+tt.line, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(161, "Алия", tt.lang)
			u.Send(tt.line)
			m := wait(t, u, tt.card)
			contains(t, m, tt.bday)
			for _, label := range []string{"тел", "д.р.", "рождения", "туған", "born", "phone", "📝"} {
				if containsText(m, label) {
					t.Errorf("the card keeps the label %q:\n%s", label, m.Text)
				}
			}
		})
	}
}

// TestUnknownItemExampleKeepsTheQuantity: "тушь 2" not in the catalog is
// answered with an example that keeps her two.
func TestUnknownItemExampleKeepsTheQuantity(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, unknown, example string }{
		{"ru", "/order Жанне", "«тушь» нет в каталоге", "тушь 2 x 12500"},
		{"kk", "/order Жаннаға", "«тушь» каталогта жоқ", "тушь 2 x 12500"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 162
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "Жанна Ахметова")
			u.Send("тушь 2")
			contains(t, wait(t, u, tt.unknown), tt.example)
		})
	}
}

// TestPaymentDayAsTyped: a payment's day typed as consultants say it is
// the day recorded (the clock is Wednesday 25 November 2026).
func TestPaymentDayAsTyped(t *testing.T) {
	t.Parallel()
	type flow struct{ order, save, pay, how, cash, partly string }
	ru := flow{"/order Жанне", "Сохранить заказ", "💳 Оплата", "Как оплатили", "Наличные", "Оплачен частично"}
	kk := flow{"/order Жаннаға", "Тапсырысты сақтау", "💳 Төлем", "Қалай төленді", "Қолма-қол", "Жартылай төленген"}
	for _, tt := range []struct {
		lang string
		f    flow
		day  string
		want string
	}{
		{"ru", ru, "вчера вечером", "2026-11-24"},
		{"ru", ru, "в понедельник", "2026-11-23"},
		{"ru", ru, "3 дня назад", "2026-11-22"},
		{"kk", kk, "кеше кешке", "2026-11-24"},
		{"kk", kk, "дүйсенбіде", "2026-11-23"},
		{"kk", kk, "24-қараша", "2026-11-24"},
	} {
		t.Run(tt.lang+"/"+tt.day, func(t *testing.T) {
			a := newApp(t)
			const owner = 163
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.f.order)
			wait(t, u, "Жанна Ахметова")
			u.Send("Крем 2 шт 12500")
			press(t, u, wait(t, u, "25 000"), tt.f.save)
			press(t, u, wait(t, u, "№1"), tt.f.pay)
			u.Send("10 000")
			press(t, u, wait(t, u, tt.f.how), tt.f.cash)
			wait(t, u, "📅")
			u.Send(tt.day)
			wait(t, u, tt.f.partly)
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 1 || len(os[0].Payments) != 1 {
				t.Fatalf("orders %+v, %v", os, err)
			}
			almaty, _ := time.LoadLocation("Asia/Almaty")
			if got := os[0].Payments[0].At.In(almaty).Format(time.DateOnly); got != tt.want {
				t.Errorf("paid %q: recorded on %s, want %s", tt.day, got, tt.want)
			}
		})
	}
}

// containsText reports whether m's text holds s.
func containsText(m bottest.Msg, s string) bool { return strings.Contains(plain(m.Text), s) }

// TestRemindOnADayOfTheMonth: "1 числа", "5-інде" is the next such day,
// and the words leave the reminder's text.
func TestRemindOnADayOfTheMonth(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, send, when, text, repeat string }{
		{"ru", "/remind каждый месяц 1 числа заказать продукцию", "во вторник, 1 декабря, в 09:00", "заказать продукцию", "(каждый месяц)"},
		{"kk", "/remind ай сайын 5-інде тапсырыс беру", "5 желтоқсан", "тапсырыс беру", "(ай сайын)"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(164, "Алия", tt.lang)
			u.Send(tt.send)
			m := wait(t, u, tt.when)
			contains(t, m, tt.repeat, tt.text)
			if containsText(m, "числа") || containsText(m, "5-інде") {
				t.Errorf("the day stays in the text:\n%s", m.Text)
			}
		})
	}
}

// TestAQuestionIsNotANewCustomer: a question that names no one is
// answered with help, not "nobody found, add her?".
func TestAQuestionIsNotANewCustomer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, send, want string }{
		{"ru", "как добавить клиента?", "Не поняла вас"},
		{"kk", "қалай клиент қосамын?", "Түсінбедім"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(165, "Алия", tt.lang)
			u.Send(tt.send)
			m := wait(t, u, tt.want)
			contains(t, m, "/help")
			if len(m.Buttons()) != 0 {
				t.Errorf("a question gets buttons %q", m.Buttons())
			}
		})
	}
}
