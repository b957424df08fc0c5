package handlers_test

import (
	"context"
	"testing"

	"github.com/crmbot/crmbot/store"
)

func TestCatalogAndOrderFromIt(t *testing.T) {
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
