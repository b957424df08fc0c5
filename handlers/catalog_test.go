package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// In English: three products added (a price typed wrong first), a
// duplicate SKU refused at the confirmation, and an order of items picked
// from the catalog by words and by SKU.
func TestCatalogAndOrderFromIt(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(501, "Dana", "en")
	add := func(name, sku, price, cost string) {
		t.Helper()
		u.Send("/products")
		list := wait(t, u, "Catalog and price list")
		press(t, u, list, "Product")
		wait(t, u, "Product name?")
		u.Send(name)
		m := wait(t, u, "SKU")
		if sku == "" {
			press(t, u, m, "Skip")
		} else {
			u.Send(sku)
		}
		m = wait(t, u, "Category")
		press(t, u, m, "Skip")
		wait(t, u, "Selling price")
		u.Send("abc")
		wait(t, u, "can't read the amount")
		u.Send(price)
		m = wait(t, u, "Cost")
		if cost == "" {
			press(t, u, m, "Skip")
		} else {
			u.Send(cost)
		}
		m = wait(t, u, "How many days")
		press(t, u, m, "Skip")
		sum := wait(t, u, "confirm")
		press(t, u, sum, "Confirm")
		wait(t, u, "📦 "+name)
	}
	add("TimeWise Day Cream", "TW-1", "12500", "8000")
	add("TimeWise Night Cream", "", "13000", "")
	add("Lash Love Mascara", "LL-2", "4500", "")

	// The same SKU again is refused at the confirmation, nothing lost.
	u.Send("/products")
	list := wait(t, u, "— 3")
	press(t, u, list, "Product")
	wait(t, u, "Product name?")
	u.Send("Other")
	wait(t, u, "SKU")
	u.Send("tw-1")
	press(t, u, wait(t, u, "Category"), "Skip")
	wait(t, u, "Selling price")
	u.Send("100")
	press(t, u, wait(t, u, "Cost"), "Skip")
	press(t, u, wait(t, u, "How many days"), "Skip")
	sum := wait(t, u, "confirm")
	contains(t, sum, "Price: ₸100")
	press(t, u, sum, "Confirm")
	wait(t, u, "SKU tw-1 belongs to another product")
	u.Send("/cancel")
	wait(t, u, "Cancelled")
	if _, total, _ := a.db.ListProducts(context.Background(), 501, store.ProductFilter{}); total != 3 {
		t.Fatalf("%d products after a refused duplicate SKU", total)
	}
	_ = list

	u.Send("/add Mary Brown")
	card := wait(t, u, "Customer added")
	press(t, u, card, "New order")
	wait(t, u, "New order for")
	u.Send("timewise")
	pick := wait(t, u, "Found in the catalog: 2")
	press(t, u, pick, "TimeWise Night Cream")
	wait(t, u, "Total: ₸13,000")
	u.Send("ll-2")
	d := wait(t, u, "Total: ₸17,500")
	press(t, u, d, "Save order")
	view := wait(t, u, "Order #1")
	contains(t, view, "TimeWise Night Cream", "Lash Love Mascara")
	os, _, _ := a.db.ListOrders(context.Background(), 501, store.OrderFilter{})
	if len(os) != 1 || os[0].Items[1].SKU != "LL-2" || os[0].Items[0].ProductID == "" {
		t.Fatalf("order items: %+v", os)
	}
}

// In Russian: a product's price edited in two taps (the product, ✏️ Цена),
// an archived product no longer found while adding items (by name or SKU),
// and an item added by its SKU at the new price.
func TestCatalogPriceEditArchiveAndSKUSearch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(611, "Алия", "ru")
	add := func(name, sku, price string) {
		t.Helper()
		u.Send("/products")
		press(t, u, wait(t, u, "Каталог и прайс-лист"), "Товар")
		wait(t, u, "Название товара?")
		u.Send(name)
		wait(t, u, "Артикул")
		u.Send(sku)
		press(t, u, wait(t, u, "Категория"), "Пропустить")
		wait(t, u, "Цена продажи")
		u.Send(price)
		press(t, u, wait(t, u, "Себестоимость"), "Пропустить")
		press(t, u, wait(t, u, "На сколько дней"), "Пропустить")
		press(t, u, wait(t, u, "Проверьте и подтвердите"), "Подтвердить")
		wait(t, u, "📦 "+name)
	}
	add("TimeWise Дневной крем", "TW-1", "12500")
	add("TimeWise Ночной крем", "TW-2", "13000")
	add("Тушь Lash Love", "LL-2", "4500")

	u.Send("/products")
	list := wait(t, u, "Каталог и прайс-лист — 3")
	contains(t, list, "TimeWise Дневной крем (TW-1) — 12 500 ₸")
	press(t, u, list, "TimeWise Дневной")
	card := wait(t, u, "Цена: 12 500 ₸")
	press(t, u, card, "✏️ Цена")
	contains(t, wait(t, u, "Пришлите новое значение"), "Сейчас: 12 500 ₸")
	u.Send("13 900")
	card = wait(t, u, "Цена: 13 900 ₸")
	contains(t, card, "TimeWise Дневной крем", "Артикул: TW-1")

	// Archived: it leaves the price list for the catalog archive.
	u.Send("/products")
	press(t, u, wait(t, u, "Каталог и прайс-лист — 3"), "TimeWise Ночной")
	night := wait(t, u, "Цена: 13 000 ₸")
	press(t, u, night, "В архив")
	waitEdited(t, u, night, "в архиве")
	u.Send("/products")
	list = wait(t, u, "Каталог и прайс-лист — 2")
	if strings.Contains(list.Text, "Ночной") {
		t.Fatalf("the archived product is in the price list:\n%s", list.Text)
	}
	press(t, u, list, "🗄 Архив")
	contains(t, wait(t, u, "Архив каталога — 1"), "TimeWise Ночной крем (TW-2)")

	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	for _, tc := range []struct{ name, typed, want string }{
		{"archived SKU", "TW-2", "«TW-2» нет в каталоге"},
		{"archived name", "Ночной крем", "«Ночной крем» нет в каталоге"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.Send(tc.typed)
			wait(t, u, tc.want)
		})
	}
	// "timewise" now matches one active product: added, no choice offered.
	u.Send("timewise")
	d := wait(t, u, "Итого: 13 900 ₸")
	contains(t, d, "1. TimeWise Дневной крем — 1 × 13 900 ₸")
	u.Send("ll-2")
	d = wait(t, u, "Итого: 18 400 ₸")
	contains(t, d, "2. Тушь Lash Love — 1 × 4 500 ₸")
	press(t, u, d, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "TimeWise Дневной крем", "Тушь Lash Love", "Итого: 18 400 ₸")
	for _, m := range u.Messages() {
		if strings.Contains(m.Text, "Нашлось в каталоге") {
			t.Fatalf("an archived product was offered:\n%s", m.Text)
		}
	}
	os, _, _ := a.db.ListOrders(context.Background(), 611, store.OrderFilter{})
	if len(os) != 1 || len(os[0].Items) != 2 || os[0].Items[0].SKU != "TW-1" || os[0].Items[0].Price != 1390000 || os[0].Items[1].SKU != "LL-2" {
		t.Fatalf("stored order: %+v", os)
	}
}

// A product's card says what its cost leaves: the profit, the margin (its
// share of the price, "маржа") and the markup (its share of the cost,
// "наценка", "үстеме баға"), each under its own name.
func TestProductCardProfitWording(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct{ lang, want string }{
		{"ru", "прибыль 4 500 ₸ · маржа 36% · наценка 56%"},
		{"kk", "пайда 4 500 ₸ · маржа 36% · үстеме баға 56%"},
		{"en", "profit ₸4,500 · margin 36% · markup 56%"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(781 + i)
			p := crm.Product{ID: "tw", Owner: id, Name: "TimeWise", Price: 1250000, Cost: 800000, CreatedAt: start, UpdatedAt: start}
			if err := a.db.CreateProduct(context.Background(), p); err != nil {
				t.Fatal(err)
			}
			u := a.srv.User(id, "Алия", tc.lang)
			u.Send("/products")
			list := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "TimeWise") })
			press(t, u, list, "TimeWise")
			wait(t, u, tc.want)
		})
	}
}
