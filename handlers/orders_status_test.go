package handlers_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// The order card offers only the moves the lifecycle allows, and a move
// from an out-of-date card is refused with the reason.
func TestOrderStatusLifecycle(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(504, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	if bs := strings.Join(view.Buttons(), "|"); strings.Contains(bs, "→ Новый") || strings.Contains(bs, "→ Не обработан") ||
		!strings.Contains(bs, "→ Обработан") || !strings.Contains(bs, "Доставлен") || !strings.Contains(bs, "✖️ Отменить") {
		t.Fatalf("an unprocessed order offers %s", bs)
	}
	deliver := button(t, view, "Доставлен")
	press(t, u, view, "✖️ Отменить")
	view = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Отменён") })
	if bs := strings.Join(view.Buttons(), "|"); strings.Contains(bs, "Доставлен") || !strings.Contains(bs, "→ Не обработан") {
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
	press(t, u, view, "→ Не обработан")
	view = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Не обработан") })
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
	if ans := a.srv.WaitCallbackAnswered(t, id); ans.Text != "«Жеткізілді» мәртебесіндегі тапсырысты «Бас тартылды» мәртебесіне ауыстыруға болмайды." {
		t.Fatalf("cancelling a delivered order was answered %q", ans.Text)
	}
}

// A customer's totals count archived orders; a cancelled order adds only
// its status (the filter finds her) and never revenue; Undo of her add
// never deletes a customer who has any order.
func TestCustomerTotalsWithCancelledAndArchivedOrders(t *testing.T) {
	t.Parallel()
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

// An archived order leaves /orders and is listed under Archive; unarchived
// it comes back. Archiving files an order away: her card's totals stay.
func TestOrderArchiveAndUnarchive(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(601, "Алия", "ru")
	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	first := wait(t, u, "Заказ №1")
	second := ruOrder(t, u, card, "Тушь 4000", "4 000 ₸", 2)
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")

	press(t, u, first, "В архив")
	first = waitEdited(t, u, first, "в архиве")
	if !strings.Contains(strings.Join(first.Buttons(), "|"), "Из архива") {
		t.Fatalf("an archived order offers %v", first.Buttons())
	}
	u.Send("/orders")
	list := wait(t, u, "Заказы — 1")
	if got := listedOrders(list); !slices.Equal(got, []int{2}) {
		t.Fatalf("/orders after archiving №1 lists %v:\n%s", got, list.Text)
	}
	press(t, u, list, "Архив")
	arch := wait(t, u, "Заказы — 1")
	if got := listedOrders(arch); !slices.Equal(got, []int{1}) {
		t.Fatalf("the archive lists %v:\n%s", got, arch.Text)
	}
	contains(t, arch, "Айгерим Нурланова", "10 000 ₸")
	contains(t, openCard(t, u, first, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")

	press(t, u, first, "Из архива")
	first = u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == first.MessageID && !strings.Contains(m.Text, "в архиве") && strings.Contains(m.Text, "Заказ №1")
	})
	if !strings.Contains(strings.Join(first.Buttons(), "|"), "В архив") {
		t.Fatalf("an unarchived order offers %v", first.Buttons())
	}
	u.Send("/orders")
	list = wait(t, u, "Заказы — 2")
	if got := listedOrders(list); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("/orders after unarchiving lists %v:\n%s", got, list.Text)
	}
	press(t, u, list, "Архив")
	wait(t, u, "Заказов нет")
	contains(t, openCard(t, u, first, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")
	if c := customerNamed(t, a, 601, "Айгерим"); c.Totals.Orders != 2 || c.Totals.Revenue != 1400000 {
		t.Fatalf("totals after archive and unarchive: %+v", c.Totals)
	}
}

// A cancelled order shows its status and leaves her card's totals; moved
// back it counts again.
func TestCancelledOrderLeavesRevenue(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(602, "Алия", "ru")
	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	first := wait(t, u, "Заказ №1")
	press(t, u, first, "Доставлен")
	waitEdited(t, u, first, "📦 Доставлен")
	second := ruOrder(t, u, card, "Тушь 4000", "4 000 ₸", 2)
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")

	press(t, u, second, "✖️ Отменить")
	second = waitEdited(t, u, second, "📦 Отменён")
	contains(t, second, "Итого: 4 000 ₸", "Не оплачен")
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "1 заказ на 10 000 ₸")

	u.Send("/orders")
	list := wait(t, u, "Заказы — 2")
	contains(t, list, "№2 ·", "Отменён")
	press(t, u, list, "Статус заказа")
	pressExact(t, u, wait(t, u, "Выберите"), "Отменён")
	list = wait(t, u, "Заказы со статусом «Отменён» — 1")
	if got := listedOrders(list); !slices.Equal(got, []int{2}) {
		t.Fatalf("cancelled orders: %v:\n%s", got, list.Text)
	}
	if c := customerNamed(t, a, 602, "Айгерим"); c.Totals.Orders != 1 || c.Totals.Revenue != 1000000 {
		t.Fatalf("totals with a cancelled order: %+v", c.Totals)
	}

	press(t, u, second, "→ Не обработан")
	second = waitEdited(t, u, second, "📦 Не обработан")
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")
}
