package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// seedOrder stores an order of owner's customer named first, numbered n,
// waiting for delivery.
func seedOrder(t *testing.T, a *app, owner int64, first string, n int) crm.Order {
	t.Helper()
	ctx := context.Background()
	cs, _, err := a.db.ListCustomers(ctx, owner, store.CustomerFilter{Query: first})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no customer %q of %d: %v", first, owner, err)
	}
	now := a.clock.Now()
	o := crm.Order{ID: crm.NewID(), Owner: owner, Number: n, CustomerID: cs[0].ID, CustomerName: cs[0].FullName(),
		Items: []crm.Item{{Name: "Крем TimeWise", Qty: 1, Price: 1250000}}, Status: crm.StatusUnprocessed,
		Month: crm.MonthOf(now, time.UTC), CreatedAt: now.Add(time.Duration(n) * time.Minute), UpdatedAt: now}
	if err := a.db.CreateOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestDeliveredInWords: "Айгерим заказ доставлен", "заказ 1 доставлен",
// "Жаннаның тапсырысы жеткізілді" mark the order delivered and plan its
// 2+2+2 calls as the card's button does — not a new order for her, not a
// search for "доставлен". A number she has not, an order delivered
// already, a customer with several orders waiting (she taps one) and
// "доставлен" alone with nothing waiting each get their answer.
func TestDeliveredInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang                                   string
		byName, plan, card, again, already     string
		noNumber, noneNumber                   string
		several, pick, sevPicked, bare, noneAt string
	}{
		{"ru", "Айгерим заказ доставлен", "звонки 2+2+2 запланированы", "🧾 Заказ №1", "заказ 1 доставлен", "Заказ №1 (Айгерим Нурланова) уже доставлен.",
			"заказ №7 доставлен", "Заказа №7 у вас нет", "Жанна доставлено", "Какой заказ доставлен?", "🧾 Заказ №3", "доставлен", "Заказов, которые ждут доставки, нет"},
		{"kk", "Айгерімнің тапсырысы жеткізілді", "2+2+2", "№1", "1 тапсырыс жеткізілді", "№1 тапсырыс (Айгерим Нурланова) жеткізіліп қойған.",
			"7 тапсырыс жеткізілді", "№7 тапсырыс сізде жоқ", "Жаннаға тапсырысты жеткіздім", "Қай тапсырыс жеткізілді?", "№3", "жеткізілді", "Жеткізуді күтіп тұрған тапсырыс жоқ"},
		{"en", "order 1 delivered", "2+2+2", "Order #1", "order 1 delivered", "Order #1 (Айгерим Нурланова) is already delivered.",
			"order 7 delivered", "You have no order #7", "Жанна delivered", "Which order was delivered?", "Order #3", "delivered", "No orders are waiting for delivery"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 187
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			seedOrder(t, a, owner, "Айгерим", 1)
			seedOrder(t, a, owner, "Жанна", 2)
			seedOrder(t, a, owner, "Жанна", 3)
			u := a.srv.User(owner, "Алия", tt.lang)
			delivered := map[string]string{"ru": "Доставлен", "kk": "Жеткізілді", "en": "Delivered"}[tt.lang]

			u.Send(tt.byName)
			wait(t, u, tt.plan)
			contains(t, wait(t, u, tt.card), delivered, "Айгерим Нурланова")
			a.waitIdle(t)
			talk(t, a, u, []chatStep{
				{tt.again, tt.already, nil},
				{tt.noNumber, tt.noneNumber, nil},
			})
			u.Send(tt.several)
			pick := wait(t, u, tt.pick)
			if got := pick.Buttons(); len(got) != 2 || !strings.Contains(got[0], "3") || !strings.Contains(got[1], "2") {
				t.Fatalf("pick offers %q, want Жанна's orders 3 and 2", got)
			}
			press(t, u, pick, "3 · Жанна")
			contains(t, wait(t, u, tt.sevPicked), delivered, "Жанна Ахметова")
			a.waitIdle(t)
			u.Send(tt.bare) // one still waiting, no name: she is asked
			last := wait(t, u, tt.pick)
			if got := last.Buttons(); len(got) != 1 || !strings.Contains(got[0], "2") {
				t.Fatalf("bare word offers %q, want order 2 alone", got)
			}
			press(t, u, last, "2 · Жанна")
			wait(t, u, "Жанна Ахметова")
			a.waitIdle(t)
			talk(t, a, u, []chatStep{{tt.bare, tt.noneAt, nil}})
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{Status: crm.StatusDelivered})
			if err != nil || len(os) != 3 {
				t.Fatalf("%d orders delivered (%v), want 3", len(os), err)
			}
			if _, n, _ := a.db.ListOrders(context.Background(), owner, store.OrderFilter{}); n != 3 {
				t.Fatalf("%d orders, want the 3 seeded: words of delivery opened an order", n)
			}
		})
	}
}

// TestDeliveredInWordsIsHers: another consultant's "заказ 1 доставлен"
// finds no order 1 of hers, and her forged button does not deliver the
// first consultant's order; the first consultant's order stays waiting.
func TestDeliveredInWordsIsHers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const alice, bob = 188, 189
	seedNames(t, a, alice, "Айгерим Нурланова")
	seedNames(t, a, bob, "Жанна Ахметова")
	o := seedOrder(t, a, alice, "Айгерим", 1)
	b := a.srv.User(bob, "Бибигуль", "ru")
	talk(t, a, b, []chatStep{
		{"заказ 1 доставлен", "Заказа №1 у вас нет", nil},
		{"Айгерим доставлено", "Айгерим", []string{"не нашла"}},
		{"доставлен", "Заказов, которые ждут доставки, нет", nil},
	})
	cb := b.Forge("or:s:" + o.ID + ":delivered")
	if ans := a.srv.WaitCallbackAnswered(t, cb); !strings.Contains(ans.Text, "Такого заказа нет") {
		t.Fatalf("a forged delivery answered %q", ans.Text)
	}
	a.waitIdle(t)
	got, err := a.db.GetOrder(context.Background(), alice, o.ID)
	if err != nil || got.Status != crm.StatusUnprocessed {
		t.Fatalf("Alice's order after Bob's words and button: %s, %v", got.Status, err)
	}
	for _, m := range b.Messages() {
		if strings.Contains(m.Text, "Нурланова") {
			t.Fatalf("Bob saw Alice's customer: %s", m.Text)
		}
	}
}

// TestDeliveredInWordsOfACancelledOrder: a cancelled order named by its
// number is not delivered; she is told why and what to do, and it stays
// cancelled.
func TestDeliveredInWordsOfACancelledOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 190
	seedNames(t, a, owner, "Айгерим Нурланова")
	o := seedOrder(t, a, owner, "Айгерим", 5)
	if _, err := a.db.UpdateOrder(context.Background(), owner, o.ID, func(x *crm.Order) error { x.Status = crm.StatusCancelled; return nil }); err != nil {
		t.Fatal(err)
	}
	u := a.srv.User(owner, "Алия", "ru")
	talk(t, a, u, []chatStep{{"заказ 5 доставлен", "Заказ №5 (Айгерим Нурланова) в статусе «Отменён» — доставленным его не отметить", []string{"верните его в работу"}}})
	if got, _ := a.db.GetOrder(context.Background(), owner, o.ID); got.Status != crm.StatusCancelled {
		t.Fatalf("a cancelled order became %s", got.Status)
	}
}
