package handlers_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// A payment's day: today, yesterday, or typed (not in the future), and a
// correction that moves it to another day.
func TestPaymentDateAndCorrection(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(507, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	press(t, u, view, "Оплата")
	wait(t, u, "Сколько оплачено")
	u.Send("4000")
	press(t, u, wait(t, u, "Как оплатили"), "Наличные")
	wait(t, u, "Когда оплатили")
	u.Send("30.11.2026")
	m := wait(t, u, "Оплата не может быть в будущем")
	press(t, u, m, "Вчера")
	view = wait(t, u, "Оплачен частично")
	contains(t, view, "осталось 6 000 ₸")

	loc, _ := time.LoadLocation("Asia/Almaty")
	pay := func() crm.Payment {
		os, _, _ := a.db.ListOrders(context.Background(), 507, store.OrderFilter{})
		if len(os) != 1 || len(os[0].Payments) != 1 {
			t.Fatalf("stored: %+v", os)
		}
		return os[0].Payments[0]
	}
	if p := pay(); p.At.In(loc).Format("02.01.2006") != "24.11.2026" || p.Amount != 400000 || p.Method != crm.Cash {
		t.Fatalf("payment: %+v", p)
	}

	press(t, u, view, "Исправить оплату")
	press(t, u, wait(t, u, "Какую оплату"), "24.11")
	wait(t, u, "Сколько оплачено")
	u.Send("5000")
	press(t, u, wait(t, u, "Как оплатили"), "Карта")
	wait(t, u, "Пропустить» оставит прежнюю дату")
	u.Send("20.11")
	view = wait(t, u, "Оплачен частично")
	contains(t, view, "осталось 5 000 ₸")
	if p := pay(); p.At.In(loc).Format("02.01.2006") != "20.11.2026" || p.Amount != 500000 || p.Method != crm.Card {
		t.Fatalf("corrected payment: %+v", p)
	}
	// Skipping the day keeps it.
	press(t, u, view, "Исправить оплату")
	press(t, u, wait(t, u, "Какую оплату"), "20.11")
	u.Send("6000")
	press(t, u, wait(t, u, "Как оплатили"), "Карта")
	press(t, u, wait(t, u, "Когда оплатили"), "Пропустить")
	wait(t, u, "осталось 4 000 ₸")
	if p := pay(); p.At.In(loc).Format("02.01.2006") != "20.11.2026" || p.Amount != 600000 {
		t.Fatalf("corrected again: %+v", p)
	}
}

// The invoice in Kazakh and English: a PDF document with a localized name
// and caption, then a plain-text receipt listing items, total, paid and due.
func TestInvoiceInKazakhAndEnglish(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, add, added, newOrder, started   string
		total1, total2, save, view            string
		pay, howMuch, how, method, when, day  string
		partial, invoice, file, caption, recv string
		receipt                               []string
	}{
		{
			lang: "kk", add: "Дана Серікова +77012223344", added: "Клиент қосылды", newOrder: "Жаңа тапсырыс", started: "үшін жаңа тапсырыс",
			total1: "Барлығы: 25 000 ₸", total2: "Барлығы: 29 500 ₸", save: "Тапсырысты сақтау", view: "№1 тапсырыс",
			pay: "💳 Төлем", howMuch: "Қанша төленді", how: "Қалай төленді", method: "Қолма-қол", when: "Қашан төленді", day: "Бүгін",
			partial: "Жартылай төленген", invoice: "🧾 Шот", file: "Шот-1.pdf", caption: "№1 тапсырыс шоты", recv: "Сатып алғаныңызға рақмет",
			receipt: []string{"Дана Серікова", "№1 тапсырысыңыз", "1. Крем TimeWise — 2 × 12 500 ₸ = 25 000 ₸", "2. Тушь Lash Love — 1 × 4 500 ₸ = 4 500 ₸",
				"Барлығы: 29 500 ₸", "Төленді: 10 000 ₸", "Төлеу керек: 19 500 ₸"},
		},
		{
			lang: "en", add: "Mary Brown +77012223344", added: "Customer added", newOrder: "New order", started: "New order for",
			total1: "Total: ₸25,000", total2: "Total: ₸29,500", save: "Save order", view: "Order #1",
			pay: "💳 Payment", howMuch: "How much was paid", how: "How was it paid", method: "Cash", when: "When was it paid", day: "Today",
			partial: "Partially paid", invoice: "🧾 Invoice", file: "invoice-1.pdf", caption: "Invoice for order #1", recv: "Thank you for your purchase",
			receipt: []string{"Mary Brown", "order #1", "1. Крем TimeWise — 2 × ₸12,500 = ₸25,000", "2. Тушь Lash Love — 1 × ₸4,500 = ₸4,500",
				"Total: ₸29,500", "Paid: ₸10,000", "Due: ₸19,500"},
		},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(604, "Dana", tc.lang)
			newOrderFor(t, u, tc.add, tc.added, tc.newOrder, tc.started)
			u.Send("Крем TimeWise 2 x 12500")
			wait(t, u, tc.total1)
			u.Send("Тушь Lash Love 4500")
			press(t, u, wait(t, u, tc.total2), tc.save)
			view := wait(t, u, tc.view)
			press(t, u, view, tc.pay)
			wait(t, u, tc.howMuch)
			u.Send("10000")
			press(t, u, wait(t, u, tc.how), tc.method)
			press(t, u, wait(t, u, tc.when), tc.day)
			view = wait(t, u, tc.partial)

			press(t, u, view, tc.invoice)
			doc := u.WaitDocument(t, nil)
			if doc.File == nil || doc.File.Name != tc.file || len(doc.File.Data) < 500 ||
				!bytes.HasPrefix(doc.File.Data, []byte("%PDF-")) || !bytes.Contains(doc.File.Data, []byte("%%EOF")) {
				t.Fatalf("invoice document: %+v", doc.File)
			}
			contains(t, doc, tc.caption)
			receipt := wait(t, u, tc.recv)
			contains(t, receipt, tc.receipt...)
			if receipt.Method != "sendMessage" || receipt.Keyboard != nil {
				t.Errorf("the receipt is not plain text to forward: %s, %v", receipt.Method, receipt.Keyboard)
			}
		})
	}
}

// The day of a payment typed the way the prompt offers it: "вчера",
// "кеше", "бүгін", or with the month in words.
func TestPaymentDayTypedInWords(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct {
		lang, typed, want                                       string
		added, newOrder, started, total, save, order, pay, paid string
		amount, method, when, cash                              string
	}{
		{lang: "ru", typed: "вчера", want: "24.11.2026", added: "Клиент добавлен", newOrder: "Новый заказ", started: "Новый заказ:",
			total: "Итого: 10 000 ₸", save: "Сохранить заказ", order: "Заказ №1", pay: "Оплата", paid: "Оплачен частично",
			amount: "Сколько оплачено", method: "Как оплатили", when: "Когда оплатили", cash: "Наличные"},
		{lang: "ru", typed: "Сегодня", want: "25.11.2026", added: "Клиент добавлен", newOrder: "Новый заказ", started: "Новый заказ:",
			total: "Итого: 10 000 ₸", save: "Сохранить заказ", order: "Заказ №1", pay: "Оплата", paid: "Оплачен частично",
			amount: "Сколько оплачено", method: "Как оплатили", when: "Когда оплатили", cash: "Наличные"},
		{lang: "ru", typed: "20 ноября", want: "20.11.2026", added: "Клиент добавлен", newOrder: "Новый заказ", started: "Новый заказ:",
			total: "Итого: 10 000 ₸", save: "Сохранить заказ", order: "Заказ №1", pay: "Оплата", paid: "Оплачен частично",
			amount: "Сколько оплачено", method: "Как оплатили", when: "Когда оплатили", cash: "Наличные"},
		{lang: "kk", typed: "кеше", want: "24.11.2026", added: "Клиент қосылды", newOrder: "Жаңа тапсырыс", started: "үшін жаңа тапсырыс",
			total: "Барлығы: 10 000 ₸", save: "Тапсырысты сақтау", order: "№1 тапсырыс", pay: "Төлем", paid: "Жартылай төленген",
			amount: "Қанша төленді", method: "Қалай төленді", when: "Қашан төленді", cash: "Қолма-қол"},
		{lang: "kk", typed: "бүгін", want: "25.11.2026", added: "Клиент қосылды", newOrder: "Жаңа тапсырыс", started: "үшін жаңа тапсырыс",
			total: "Барлығы: 10 000 ₸", save: "Тапсырысты сақтау", order: "№1 тапсырыс", pay: "Төлем", paid: "Жартылай төленген",
			amount: "Қанша төленді", method: "Қалай төленді", when: "Қашан төленді", cash: "Қолма-қол"},
	} {
		t.Run(tc.lang+" "+tc.typed, func(t *testing.T) {
			a := newApp(t)
			id := int64(741 + i)
			u := a.srv.User(id, "Алия", tc.lang)
			newOrderFor(t, u, "Айгерим Нурланова +77011234567", tc.added, tc.newOrder, tc.started)
			u.Send("Крем 10000")
			press(t, u, wait(t, u, tc.total), tc.save)
			press(t, u, wait(t, u, tc.order), tc.pay)
			wait(t, u, tc.amount)
			u.Send("4000")
			press(t, u, wait(t, u, tc.method), tc.cash)
			wait(t, u, tc.when)
			u.Send(tc.typed)
			wait(t, u, tc.paid)
			loc, _ := time.LoadLocation("Asia/Almaty")
			os, _, err := a.db.ListOrders(context.Background(), id, store.OrderFilter{})
			if err != nil || len(os) != 1 || len(os[0].Payments) != 1 {
				t.Fatalf("stored: %+v, %v", os, err)
			}
			if got := os[0].Payments[0].At.In(loc).Format("02.01.2006"); got != tc.want {
				t.Fatalf("payment day %s, want %s", got, tc.want)
			}
		})
	}
}

// Kaspi (a Kaspi Gold transfer or Kaspi QR, two methods) is how most
// customers pay in Kazakhstan: offered there first, and not offered to a
// consultant in Russia.
func TestPaymentByKaspiInKazakhstanOnly(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct {
		region string
		kaspi  bool
	}{{"KZ", true}, {"RU", false}} {
		t.Run(tc.region, func(t *testing.T) {
			a := newApp(t)
			id := int64(791 + i)
			if _, err := a.db.UpdateConsultant(context.Background(), id, crm.NewConsultant(id, id, start), func(c *crm.Consultant) error {
				c.Region = tc.region
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			u := a.srv.User(id, "Алия", "ru")
			phone := map[string]string{"KZ": "+77011234567", "RU": "+79161234567"}[tc.region]
			newOrderFor(t, u, "Айгерим Нурланова "+phone, "Клиент добавлен", "Новый заказ", "Новый заказ:")
			u.Send("Крем 10000")
			press(t, u, wait(t, u, "Итого: 10 000"), "Сохранить заказ")
			press(t, u, wait(t, u, "Заказ №1"), "Оплата")
			wait(t, u, "Сколько оплачено")
			u.Send("10000")
			methods := wait(t, u, "Как оплатили")
			for _, label := range []string{"📱 Kaspi Gold (перевод)", "📷 Kaspi QR"} {
				if _, ok := methods.Button(label); ok != tc.kaspi {
					t.Fatalf("%s offered %v in %s, want %v: %s", label, ok, tc.region, tc.kaspi, methods)
				}
			}
			if _, ok := methods.Button("📱 Kaspi (Gold или QR)"); ok {
				t.Fatalf("the undivided Kaspi is offered: %s", methods)
			}
			if !tc.kaspi {
				return
			}
			press(t, u, methods, "Kaspi QR")
			press(t, u, wait(t, u, "Когда оплатили"), "Сегодня")
			wait(t, u, "Оплачен")
			os, _, err := a.db.ListOrders(context.Background(), id, store.OrderFilter{})
			if err != nil || len(os) != 1 || len(os[0].Payments) != 1 || os[0].Payments[0].Method != crm.KaspiQR {
				t.Fatalf("stored payment %+v, %v", os, err)
			}
		})
	}
}
