package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func TestOrderFromCardToPaidInvoice(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(401, "Алия", "ru")
	u.Send("/add Айгерим Нурланова +77011234567")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")

	u.Send("Крем TimeWise 2 x 12500")
	draft := wait(t, u, "Итого: 25 000 ₸")
	contains(t, draft, "1. Крем TimeWise — 2 × 12 500 ₸ = 25 000 ₸")
	u.Send("Тушь Lash Love 4 500")
	draft = wait(t, u, "Итого: 29 500 ₸")
	press(t, u, draft, "➕") // the first item's quantity: 3
	draft = wait(t, u, "Итого: 42 000 ₸")
	press(t, u, draft, "Скидка")
	wait(t, u, "процент")
	u.Send("150%")
	wait(t, u, "от 0 до 100")
	u.Send("10%")
	draft = wait(t, u, "Итого: 37 800 ₸")
	contains(t, draft, "Скидка 10%: −4 200 ₸")
	press(t, u, draft, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "Не обработан", "Не оплачен", "Итого: 37 800 ₸")

	// A payment larger than the total is refused with what is due.
	press(t, u, view, "Оплата")
	ask := wait(t, u, "Сколько оплачено")
	u.Send("40000")
	wait(t, u, "осталось оплатить: 37 800 ₸")
	u.Send("10000")
	m := wait(t, u, "Как оплатили")
	press(t, u, m, "Наличные")
	press(t, u, wait(t, u, "Когда оплатили"), "Сегодня")
	view = wait(t, u, "Оплачен частично")
	contains(t, view, "осталось 27 800 ₸")
	_ = ask

	// Status changes never touch payment.
	press(t, u, view, "Доставлен")
	view = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Доставлен") })
	contains(t, view, "Оплачен частично")

	press(t, u, view, "Оплата")
	m = wait(t, u, "Сколько оплачено")
	press(t, u, m, "Всё: 27 800 ₸")
	m = wait(t, u, "Как оплатили")
	press(t, u, m, "Карта")
	press(t, u, wait(t, u, "Когда оплатили"), "Сегодня")
	view = wait(t, u, "💳 Оплачен")

	press(t, u, view, "Счёт")
	doc := u.WaitDocument(t, nil)
	if doc.File == nil || !bytes.HasPrefix(doc.File.Data, []byte("%PDF-")) || !strings.HasSuffix(doc.File.Name, "-1.pdf") {
		t.Fatalf("invoice: %+v", doc.File)
	}
	receipt := wait(t, u, "Спасибо за покупку")
	contains(t, receipt, "Айгерим Нурланова", "Итого: 37 800 ₸", "Оплачено: 37 800 ₸")

	// The customer's totals and history follow.
	c, err := a.db.GetCustomer(context.Background(), 401, customerID(t, a, 401))
	if err != nil {
		t.Fatal(err)
	}
	if c.Totals.Orders != 1 || c.Totals.Revenue != 3780000 || c.Totals.LastOrderAt == nil ||
		!strings.Contains(strings.Join(c.Totals.Products, ","), "Тушь Lash Love") || c.Totals.OrderStatuses[0] != string(crm.StatusDelivered) {
		t.Fatalf("totals: %+v", c.Totals)
	}
	// Search finds her by a product she bought.
	u.Send("lash love")
	wait(t, u, "👤 Айгерим Нурланова")
	os, _, _ := a.db.ListOrders(context.Background(), 401, store.OrderFilter{})
	if len(os) != 1 || os[0].DeliveredAt == nil || len(os[0].History) != 2 || os[0].PaymentStatus() != crm.Paid {
		t.Fatalf("stored order: %+v", os)
	}
}

func TestOrderSessionSurvivesARestartAndOrdersList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(402, "Dana", "en")
	u.Send("/add Mary Brown")
	wait(t, u, "Customer added")
	u.Send("/order mary")
	wait(t, u, "New order for")
	u.Send("Lipstick 3500")
	wait(t, u, "Total: ₸3,500")
	// Typing a command mid-order does not lose it; the next line goes on.
	u.Send("/customers")
	wait(t, u, "Your customers")
	u.Send("Mascara 2 x 4000")
	draft := wait(t, u, "Total: ₸11,500")
	press(t, u, draft, "Save order")
	wait(t, u, "Order #1")

	u.Send("/order Mary")
	wait(t, u, "New order for")
	u.Send("Cream 10000")
	draft = wait(t, u, "Total: ₸10,000")
	press(t, u, draft, "Cancel")
	wait(t, u, "Order cancelled")

	u.Send("/orders")
	list := wait(t, u, "Orders — 1")
	contains(t, list, "#1", "Mary Brown", "₸11,500", "Unprocessed", "Unpaid")
	press(t, u, list, "Payment status")
	m := wait(t, u, "Choose a status")
	press(t, u, m, "Paid")
	wait(t, u, "No orders")
}

// Merging two saved customers keeps every order and note of both.
func TestMergeKeepsOrdersAndNotes(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(403, "Dana", "en")
	u.Send("/add Anna Lee +77010000001")
	first := wait(t, u, "Customer added")
	press(t, u, first, "New order")
	wait(t, u, "New order for")
	u.Send("Cream 10000")
	press(t, u, wait(t, u, "Total: ₸10,000"), "Save order")
	wait(t, u, "Order #1")

	u.Send("/add Anna Lee-Smith +77010000002")
	second := wait(t, u, "Customer added")
	press(t, u, second, "New order")
	wait(t, u, "New order for")
	u.Send("Mascara 4000")
	press(t, u, wait(t, u, "Total: ₸4,000"), "Save order")
	wait(t, u, "Order #2")
	press(t, u, second, "Note")
	wait(t, u, "Note about")
	u.Send("Prefers evening calls")
	wait(t, u, "Note saved")

	// Give the second the first one's phone: the bot offers to merge.
	press(t, u, second, "Edit")
	press(t, u, wait(t, u, "What would you like to change"), "Phone")
	wait(t, u, "Send the new value")
	u.Send("+77010000001")
	dup := wait(t, u, "Another card has the same details")
	press(t, u, dup, "Merge Anna Lee")
	card := wait(t, u, "2 orders")
	contains(t, card, "Anna Lee-Smith", "₸14,000")
	press(t, u, card, "History")
	h := wait(t, u, "History: Anna Lee-Smith")
	contains(t, h, "Prefers evening calls", "#1", "#2", "Merged")
	active, _, _ := a.db.ListCustomers(context.Background(), 403, store.CustomerFilter{})
	if len(active) != 1 {
		t.Fatalf("%d active customers after the merge", len(active))
	}
	os, _, _ := a.db.ListOrders(context.Background(), 403, store.OrderFilter{CustomerID: active[0].ID})
	if len(os) != 2 {
		t.Fatalf("the kept customer has %d orders", len(os))
	}
}

// ---- helpers the order and catalog tests share ----

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

func hasNoButtons(ms []bottest.Msg, id int) bool {
	for _, m := range ms {
		if m.MessageID == id {
			return m.Keyboard == nil || len(m.Keyboard.InlineKeyboard) == 0
		}
	}
	return false
}

// pressExact presses the button whose label is exactly label: status
// pickers have labels contained in one another (Оплачен, Оплачен частично).
func pressExact(t testing.TB, u *bottest.User, m bottest.Msg, label string) {
	t.Helper()
	if m.Keyboard != nil {
		for _, row := range m.Keyboard.InlineKeyboard {
			for _, b := range row {
				if plain(b.Text) == label && b.CallbackData != nil {
					u.Press(m, *b.CallbackData)
					return
				}
			}
		}
	}
	t.Fatalf("no button %q on message:\n%s", label, m)
}

var listedOrder = regexp.MustCompile(`(?m)^№(\d+) ·`)

// listedOrders returns the order numbers an /orders page lists, in order.
func listedOrders(m bottest.Msg) []int {
	var ns []int
	for _, g := range listedOrder.FindAllStringSubmatch(m.Text, -1) {
		n, _ := strconv.Atoi(g[1])
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// waitEdited waits for m edited so that its text contains substr.
func waitEdited(t testing.TB, u *bottest.User, m bottest.Msg, substr string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(x bottest.Msg) bool {
		return x.MessageID == m.MessageID && strings.Contains(plain(x.Text), substr)
	})
}

// ruOrder places an order of one typed line from a customer's card and
// returns its view.
func ruOrder(t *testing.T, u *bottest.User, card bottest.Msg, line, total string, n int) bottest.Msg {
	t.Helper()
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send(line)
	press(t, u, wait(t, u, "Итого: "+total), "Сохранить заказ")
	return wait(t, u, fmt.Sprintf("Заказ №%d", n))
}

// openCard opens the customer's card from an order's view.
func openCard(t *testing.T, u *bottest.User, view bottest.Msg, name string) bottest.Msg {
	t.Helper()
	press(t, u, view, "Карточка")
	return u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "👤 "+name) && strings.Contains(m.Text, "🛍")
	})
}
