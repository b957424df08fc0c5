package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// newOrderFor adds a customer on one line and opens a new order from her
// card; it returns the card.
func newOrderFor(t *testing.T, u *bottest.User, line, added, newOrder, started string) bottest.Msg {
	t.Helper()
	u.Send("/add " + line)
	card := wait(t, u, added)
	press(t, u, card, newOrder)
	wait(t, u, started)
	return card
}

func customerNamed(t *testing.T, a *app, owner int64, first string) crm.Customer {
	t.Helper()
	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: first})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers named %s: %v, %+v", first, err, cs)
	}
	return cs[0]
}

// Adding a customer in the middle of an order keeps the order: when the
// add ends, the order comes back with its items and can be saved. The one-
// line add that needed a fix is stored as added on one line.
func TestOrderDraftSurvivesAddingACustomer(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(501, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
	u.Send("Крем TimeWise 2 x 12500")
	wait(t, u, "Итого: 25 000 ₸")
	u.Send("Тушь Lash Love 4 500")
	wait(t, u, "Итого: 29 500 ₸")

	u.Send("/add Гульнара")
	wait(t, u, "Гульнара, а фамилия?")
	u.Send("Ахметова")
	sum := wait(t, u, "Проверьте и подтвердите")
	press(t, u, sum, "Подтвердить")
	back := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Возвращаемся к заказу") })
	contains(t, back, "Айгерим Нурланова", "1. Крем TimeWise — 2 × 12 500 ₸ = 25 000 ₸", "2. Тушь Lash Love — 1 × 4 500 ₸", "Итого: 29 500 ₸")
	if !strings.Contains(plain(u.Messages()[len(u.Messages())-2].Text)+plain(u.Messages()[len(u.Messages())-3].Text), "Клиент добавлен") {
		t.Errorf("the added customer's card is not shown before the order comes back:\n%v", u.Messages())
	}
	press(t, u, back, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "Айгерим Нурланова", "Итого: 29 500 ₸")

	os, _, _ := a.db.ListOrders(context.Background(), 501, store.OrderFilter{})
	if len(os) != 1 || len(os[0].Items) != 2 || os[0].CustomerName != "Айгерим Нурланова" {
		t.Fatalf("stored orders: %+v", os)
	}
	if c := customerNamed(t, a, 501, "Гульнара"); c.Source != crm.SourceLine || c.LastName != "Ахметова" {
		t.Fatalf("the customer added on one line, then fixed: source %q, %+v", c.Source, c)
	}
	u.Send("/cancel")
	wait(t, u, "Отменять нечего")
}

// In Kazakh: a note written from a card mid-order brings the order back;
// a cancelled form over an order brings it back too.
func TestOrderDraftSurvivesANoteInKazakh(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(502, "Әсел", "kk")
	card := newOrderFor(t, u, "Дана Серікова +77012223344", "Клиент", "Жаңа тапсырыс", "үшін жаңа тапсырыс")
	u.Send("Крем 10000")
	wait(t, u, "Барлығы: 10 000 ₸")
	press(t, u, card, "Жазба")
	wait(t, u, "туралы жазба")
	u.Send("Кешке қоңырау шалуды сұрады")
	wait(t, u, "тарихына сақталды")
	back := wait(t, u, "тапсырысына ораламыз")
	contains(t, back, "1. Крем", "Барлығы: 10 000 ₸")

	press(t, u, card, "Жазба")
	note := wait(t, u, "туралы жазба")
	press(t, u, note, "Болдырмау")
	back = wait(t, u, "тапсырысына ораламыз")
	u.Send("Тушь 4000")
	draft := wait(t, u, "Барлығы: 14 000 ₸")
	press(t, u, draft, "Тапсырысты сақтау")
	wait(t, u, "№1 тапсырыс")
	_ = back
}

// Buttons of an older draft, or of another order, are refused: they never
// act on the wrong item nor save an order she is not looking at.
func TestStaleOrderButtonsAreRefused(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(503, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
	u.Send("Крем 10000")
	first := wait(t, u, "Итого: 10 000 ₸")
	oldRemove := button(t, first, "🗑")
	oldSave := button(t, first, "Сохранить заказ")
	u.Send("Тушь 4000")
	draft := wait(t, u, "Итого: 14 000 ₸")
	if got := u.Messages(); !hasNoButtons(got, first.MessageID) {
		t.Errorf("the older draft keeps its buttons")
	}
	// A pressed button edits the draft in place.
	press(t, u, draft, "➕")
	edited := u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == draft.MessageID && strings.Contains(plain(m.Text), "Итого: 24 000 ₸")
	})
	if !edited.Edited() {
		t.Errorf("the draft was not edited in place")
	}
	id := u.Forge(oldRemove)
	if ans := a.srv.WaitCallbackAnswered(t, id); ans.Text != "Этот черновик устарел — пользуйтесь последним" {
		t.Fatalf("a stale 🗑 was answered %q", ans.Text)
	}
	press(t, u, edited, "Отмена")
	wait(t, u, "Заказ отменён")

	// A new order; the previous order's Save is refused.
	u.Send("/order Айгерим")
	wait(t, u, "Новый заказ для")
	u.Send("Помада 3000")
	draft = wait(t, u, "Итого: 3 000 ₸")
	id = u.Forge(oldSave)
	if ans := a.srv.WaitCallbackAnswered(t, id); !strings.Contains(ans.Text, "устарел") {
		t.Fatalf("a stale Save was answered %q", ans.Text)
	}
	if os, _, _ := a.db.ListOrders(context.Background(), 503, store.OrderFilter{}); len(os) != 0 {
		t.Fatalf("a stale Save saved %+v", os)
	}
	press(t, u, draft, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "Помада", "Итого: 3 000 ₸")
}

func hasNoButtons(ms []bottest.Msg, id int) bool {
	for _, m := range ms {
		if m.MessageID == id {
			return m.Keyboard == nil || len(m.Keyboard.InlineKeyboard) == 0
		}
	}
	return false
}

// The order card offers only the moves the lifecycle allows, and a move
// from an out-of-date card is refused with the reason.
func TestOrderStatusLifecycle(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(504, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	if bs := strings.Join(view.Buttons(), "|"); strings.Contains(bs, "→ Новый") || strings.Contains(bs, "→ Необработанный") ||
		!strings.Contains(bs, "→ Обработан") || !strings.Contains(bs, "Доставлен") || !strings.Contains(bs, "✖️ Отменить") {
		t.Fatalf("an unprocessed order offers %s", bs)
	}
	deliver := button(t, view, "Доставлен")
	press(t, u, view, "✖️ Отменить")
	view = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Отменён") })
	if bs := strings.Join(view.Buttons(), "|"); strings.Contains(bs, "Доставлен") || !strings.Contains(bs, "→ Необработанный") {
		t.Fatalf("a cancelled order offers %s", bs)
	}
	id := u.Forge(deliver)
	ans := a.srv.WaitCallbackAnswered(t, id)
	if ans.Text != "Заказ в статусе «Отменён» нельзя перевести в «Доставлен»." {
		t.Fatalf("delivering a cancelled order was answered %q", ans.Text)
	}
	wait(t, u, "⚠️ Заказ в статусе «Отменён» нельзя перевести в «Доставлен».")
	o, _, _ := a.db.ListOrders(context.Background(), 504, store.OrderFilter{})
	if len(o) != 1 || o[0].Status != crm.StatusCancelled || o[0].DeliveredAt != nil {
		t.Fatalf("stored: %+v", o)
	}
	// Un-cancel, and the same refusal in Kazakh for a delivered order.
	press(t, u, view, "→ Необработанный")
	view = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Необработанный") })
	press(t, u, view, "Доставлен")
	u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Доставлен") })
	k := a.srv.User(505, "Әсел", "kk")
	newOrderFor(t, k, "Дана Серікова +77012223344", "Клиент", "Жаңа тапсырыс", "үшін жаңа тапсырыс")
	k.Send("Крем 10000")
	press(t, k, wait(t, k, "Барлығы: 10 000 ₸"), "Тапсырысты сақтау")
	kv := wait(t, k, "№1 тапсырыс")
	cancel := button(t, kv, "Бас тарту")
	press(t, k, kv, "Жеткізілді")
	k.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Жеткізілді") })
	id = k.Forge(cancel)
	if ans := a.srv.WaitCallbackAnswered(t, id); ans.Text != "«Жеткізілді» күйіндегі тапсырысты «Бас тартылды» күйіне ауыстыруға болмайды." {
		t.Fatalf("cancelling a delivered order was answered %q", ans.Text)
	}
}

// A customer's totals count archived orders; a cancelled order adds only
// its status (the filter finds her) and never revenue; Undo of her add
// never deletes a customer who has any order.
func TestCustomerTotalsWithCancelledAndArchivedOrders(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(506, "Dana", "en")
	card := newOrderFor(t, u, "Mary Brown", "Customer added", "New order", "New order for")
	u.Send("Cream 10000")
	press(t, u, wait(t, u, "Total: ₸10,000"), "Save order")
	first := wait(t, u, "Order #1")
	press(t, u, card, "New order")
	wait(t, u, "New order for")
	u.Send("Mascara 4000")
	press(t, u, wait(t, u, "Total: ₸4,000"), "Save order")
	second := wait(t, u, "Order #2")
	press(t, u, second, "✖️ Cancel")
	u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Cancelled") })
	press(t, u, first, "Archive")
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "archived") && strings.Contains(m.Text, "#1")
	})

	c := customerNamed(t, a, 506, "Mary")
	if c.Totals.Orders != 1 || c.Totals.Revenue != 1000000 || c.Totals.LastOrderAt == nil {
		t.Fatalf("totals after archiving #1 and cancelling #2: %+v", c.Totals)
	}
	if !strings.Contains(strings.Join(c.Totals.OrderStatuses, ","), string(crm.StatusCancelled)) {
		t.Fatalf("statuses lack cancelled: %+v", c.Totals)
	}
	cs, _, err := a.db.ListCustomers(context.Background(), 506, store.CustomerFilter{OrderStatus: string(crm.StatusCancelled)})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers with a cancelled order: %v %+v", err, cs)
	}

	// Only a cancelled order: Undo archives her instead of deleting.
	added := newOrderFor(t, u, "Anna Lee", "Customer added", "New order", "New order for")
	u.Send("Cream 10000")
	press(t, u, wait(t, u, "Total: ₸10,000"), "Save order")
	press(t, u, wait(t, u, "Order #3"), "✖️ Cancel")
	u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Cancelled") })
	anna := customerNamed(t, a, 506, "Anna")
	if anna.Totals.Orders != 0 {
		t.Fatalf("a cancelled order counts: %+v", anna.Totals)
	}
	press(t, u, added, "Undo")
	u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Anna Lee") && m.Edited() })
	got, err := a.db.GetCustomer(context.Background(), 506, anna.ID)
	if err != nil || !got.Archived {
		t.Fatalf("after Undo the customer with a cancelled order is %v, %+v", err, got)
	}
}

// A payment's day: today, yesterday, or typed (not in the future), and a
// correction that moves it to another day.
func TestPaymentDateAndCorrection(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(507, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
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

// /orders in a period typed as two dates, both included.
func TestOrdersInACustomPeriod(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(508, "Алия", "ru")
	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	wait(t, u, "Заказ №1")
	a.clock.Add(10 * 24 * time.Hour) // 5 December
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ для")
	u.Send("Тушь 4000")
	press(t, u, wait(t, u, "Итого: 4 000 ₸"), "Сохранить заказ")
	wait(t, u, "Заказ №2")

	u.Send("/orders")
	list := wait(t, u, "Заказы")
	press(t, u, list, "Период")
	wait(t, u, "Заказы с какой даты")
	u.Send("01.12")
	wait(t, u, "По какую дату")
	u.Send("30.11")
	m := wait(t, u, "Конец периода раньше его начала")
	press(t, u, m, "Пропустить")
	list = wait(t, u, "Заказы 01.12.2026 – 05.12.2026")
	contains(t, list, "№2", "4 000 ₸")
	if strings.Contains(list.Text, "№1") {
		t.Fatalf("order #1 is outside the period:\n%s", list.Text)
	}
	press(t, u, list, "Период")
	wait(t, u, "Заказы с какой даты")
	u.Send("20.11.2026")
	wait(t, u, "По какую дату")
	u.Send("25.11.2026")
	list = wait(t, u, "Заказы 20.11.2026 – 25.11.2026")
	contains(t, list, "№1", "10 000 ₸")
	if strings.Contains(list.Text, "№2") {
		t.Fatalf("order #2 is outside the period:\n%s", list.Text)
	}
}
