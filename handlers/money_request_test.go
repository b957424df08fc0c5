package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// A consultant who sold in tenge switches to roubles and adds a rouble
// product, keeping her tenge cream. Her customer, ordering in the bot, sees
// each price in its own currency and the basket's total per currency, told
// that it goes as one order per currency; sending makes two orders (the
// cream in tenge, the lipstick in roubles), the consultant is alerted of
// each, and "My orders" owes tenge and roubles apart, never added up.
func TestCustomerBasketInTwoCurrencies(t *testing.T) {
	t.Parallel()
	for i, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			id := int64(811 + i)
			aliya, c, _ := consultantWithCatalog(t, a, id, "Алия", lang)
			c, err := a.book.Consultants.SetCurrency(ctx, c, "RUB")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.book.Catalog.Add(ctx, c, crm.Product{Name: "Помада Gel Semi-Matte", Category: "Макияж", Price: 120000}); err != nil {
				t.Fatal(err)
			}
			token := inviteToken(t, a, aliya)
			friend := a.srv.User(9101+int64(i), "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+7 701 111 22 33")

			friend.PressButton(tx(lang, "cust.btn_catalog"))
			cat := wait(t, friend, "Помада Gel Semi-Matte")
			contains(t, cat, "Крем TimeWise (Уход) — 15 000 ₸", "Помада Gel Semi-Matte (Макияж) — 1 200 ₽")
			press(t, friend, cat, "Крем TimeWise")
			a.waitIdle(t)
			press(t, friend, cat, "Помада Gel Semi-Matte")
			split := map[string]string{"ru": "консультант получит отдельный заказ на каждую валюту", "kk": "кеңесші әр валюта бойынша жеке тапсырыс алады"}[lang]
			basket := wait(t, friend, split)
			contains(t, basket, "Крем TimeWise × 1 — 15 000 ₸", "Помада Gel Semi-Matte × 1 — 1 200 ₽", "15 000 ₸ · 1 200 ₽")
			if strings.Contains(plain(basket.Text), "16 200") {
				t.Fatalf("the basket adds tenge and roubles up:\n%s", basket.Text)
			}
			friend.PressButton(tx(lang, "cust.btn_send"))
			sent := wait(t, friend, "№2")
			contains(t, sent, "№1 — 15 000 ₸", "№2 — 1 200 ₽")
			a.waitIdle(t)

			orders, n, err := a.db.ListOrders(ctx, c.ID, store.OrderFilter{Status: crm.StatusNew})
			if err != nil || n != 2 {
				t.Fatalf("aliya's New orders: %d, %v; want two", n, err)
			}
			var got []string
			for _, o := range orders {
				got = append(got, fmt.Sprintf("№%d %s %d %s", o.Number, o.Currency, o.Total(), o.Items[0].Name))
			}
			if want := "[№2 RUB 120000 Помада Gel Semi-Matte №1 KZT 1500000 Крем TimeWise]"; fmt.Sprint(got) != want {
				t.Errorf("orders: %v, want %s", got, want)
			}
			wait(t, aliya, "Крем TimeWise × 1")
			wait(t, aliya, "Помада Gel Semi-Matte × 1")

			friend.PressButton(tx(lang, "cust.btn_menu"))
			a.waitIdle(t)
			friend.PressButton(tx(lang, "cust.btn_orders"))
			mine := wait(t, friend, "№1 —")
			contains(t, mine, "15 000 ₸ · 1 200 ₽")
		})
	}
}
