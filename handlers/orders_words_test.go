package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestHerOrdersInWords: "покажи заказы Айгерим", "Айгерімнің
// тапсырыстары" list the orders of the one customer named (were searched
// for as a customer, found no one); a name two customers answer to asks
// whose, a button each; another consultant's customer is no one's here.
func TestHerOrdersInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, ask, title, both, which, other string }{
		{"ru", "заказ Айгерим Нурланова крем 2 шт 12000", "покажи заказы Айгерим Нурлановой", "Заказы: Айгерим Нурланова — 1",
			"заказы Айгерим", "Чьи заказы показать?", "заказы Мадины"},
		{"kk", "тапсырыс Айгерим Нурланова крем 2 дана 12000", "Айгерім Нурланованың тапсырыстары", "Тапсырыстар: Айгерим Нурланова — 1",
			"Айгерімнің тапсырыстары", "Кімнің тапсырыстарын көрсетейін?", "Мадинаның тапсырыстары"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner, other = 184, 185
			seedNames(t, a, owner, "Айгерим Нурланова", "Айгерим Касымова")
			seedNames(t, a, other, "Мадина Другая")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "24 000 ₸"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			u.Send(tt.ask)
			contains(t, wait(t, u, tt.title), "№1", "24 000 ₸")
			u.Send(tt.both)
			pick := wait(t, u, tt.which)
			if got := pick.Buttons(); len(got) != 2 {
				t.Fatalf("whose orders: buttons %q, want the two Айгерим", got)
			}
			press(t, u, pick, "🧾 Айгерим Нурланова")
			wait(t, u, tt.title)
			u.Send(tt.other)
			if m := wait(t, u, "Мадин"); len(m.Buttons()) != 0 {
				t.Fatalf("another consultant's customer answered: %s %q", m.Text, m.Buttons())
			}
		})
	}
}

// TestTwoProductsJoinedByAnd: "Айгерим заказала тушь 2 и помаду",
// "Айгерімге тушь пен помада саттым" name two products of her catalog
// with "и" / "пен" between them: both are in the order (was: "«тушь и
// помада» нет в каталоге"); a product whose own name has "и" ("Крем для
// рук и ногтей") stays one.
func TestTwoProductsJoinedByAnd(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, send string }{
		{"ru", "Айгерим заказала тушь 2 и помаду"},
		{"kk", "Айгерімге тушь пен помада саттым"},
		{"ru", "Айгерим заказала крем для рук и ногтей"},
	} {
		t.Run(tt.lang+"/"+tt.send, func(t *testing.T) {
			a := newApp(t)
			const owner = 186
			seedNames(t, a, owner, "Айгерим Нурланова")
			for i, n := range []string{"Тушь Lash Love", "Помада Gel Semi-Matte", "Крем для рук и ногтей"} {
				p := crm.Product{ID: fmt.Sprint("p", i), Owner: owner, Name: n, Price: int64(4500+i*1000) * 100}
				if err := a.db.CreateProduct(context.Background(), p); err != nil {
					t.Fatal(err)
				}
			}
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.send)
			if strings.Contains(tt.send, "ногтей") {
				m := wait(t, u, "1. Крем для рук и ногтей — 1 × 6 500 ₸")
				if strings.Contains(m.Text, "2. ") {
					t.Fatalf("one product's name cut in two:\n%s", m.Text)
				}
				return
			}
			qty := map[string]string{"ru": "2 × 4 500 ₸ = 9 000 ₸", "kk": "1 × 4 500 ₸"}[tt.lang]
			contains(t, wait(t, u, "2. Помада Gel Semi-Matte — 1 × 5 500 ₸"), "1. Тушь Lash Love — "+qty)
		})
	}
}

// TestWhoBoughtAndArchiveInWords: "кто купил тушь?", "тушь кім алды?"
// list the customers who bought it (was: "Клиента «кто тушь» не нашла",
// a sale to someone called "кто"); "архив", "мұрағат" open the archive;
// "лучшие клиенты" her customers by activity (were searched for as a
// customer's name).
func TestWhoBoughtAndArchiveInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, bought, boughtTitle, archive, archiveTitle, best, bestTitle string }{
		{"ru", "заказ Айгерим тушь 4500", "кто купил тушь?", "Кто покупал «тушь» — 1", "архив", "🗄 Архив", "лучшие клиенты", "по активности"},
		{"kk", "тапсырыс Айгерімге тушь 4500", "тушь кім алды?", "«тушь» кім алды — 1", "мұрағат", "🗄 Мұрағат", "ең жақсы клиенттер", "белсенділігі"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 187
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "4 500 ₸"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			u.Send(tt.bought)
			m := wait(t, u, tt.boughtTitle)
			contains(t, m, "Айгерим Нурланова")
			if strings.Contains(m.Text, "Жанна") {
				t.Fatalf("who bought mascara lists one who did not:\n%s", m.Text)
			}
			u.Send(tt.archive)
			wait(t, u, tt.archiveTitle)
			u.Send(tt.best)
			wait(t, u, tt.bestTitle)
		})
	}
}

// TestCancelInWords: "Айгерим отменила заказ", "Айгерім тапсырыстан бас
// тартты" offer her order with a button that cancels it (nothing is
// cancelled by the words alone); "отмени заказ 1" once it is cancelled
// says so; another consultant's order of the same number is not hers to
// cancel.
func TestCancelInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, words, pick, again, already string }{
		{"ru", "заказ Айгерим тушь 4500", "Айгерим отменила заказ", "Какой заказ отменить?", "отмени заказ 1", "уже отменён"},
		{"kk", "тапсырыс Айгерімге тушь 4500", "Айгерім тапсырыстан бас тартты", "Қай тапсырысты болдырмаймыз?", "1 тапсырысты болдырма", "бас тартылды"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			const owner, other = 188, 189
			seedNames(t, a, owner, "Айгерим Нурланова")
			seedNames(t, a, other, "Айгерим Другая")
			o := a.srv.User(other, "Мадина", tt.lang)
			o.Send(tt.order)
			press(t, o, wait(t, o, "4 500 ₸"), tx(tt.lang, "btn.save_order"))
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "4 500 ₸"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			u.Send(tt.words)
			pick := wait(t, u, tt.pick)
			if got := pick.Buttons(); len(got) != 1 || !strings.Contains(got[0], "Айгерим Нурланова") {
				t.Fatalf("orders offered: %q, want her one", got)
			}
			a.waitIdle(t)
			if os, _, _ := a.db.ListOrders(ctx, owner, store.OrderFilter{}); len(os) != 1 || os[0].Status == crm.StatusCancelled {
				t.Fatalf("cancelled by the words alone: %+v", os)
			}
			press(t, u, pick, "✖️ ")
			a.waitIdle(t)
			if os, _, _ := a.db.ListOrders(ctx, owner, store.OrderFilter{}); len(os) != 1 || os[0].Status != crm.StatusCancelled {
				t.Fatalf("after the button: %+v, want cancelled", os)
			}
			u.Send(tt.again)
			wait(t, u, tt.already)
			if os, _, _ := a.db.ListOrders(ctx, other, store.OrderFilter{}); len(os) != 1 || os[0].Status == crm.StatusCancelled {
				t.Fatalf("another consultant's order №1: %+v", os)
			}
		})
	}
}

// TestHerCardAskedInWords: "телефон Айгерим", "найди Жанну",
// "Айгерімнің нөмірі", "Жаннаның телефоны" open the one customer's card
// (were searched for whole and found no one).
func TestHerCardAskedInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, ask, card string }{
		{"ru", "телефон Айгерим", "👤 Айгерим Нурланова"},
		{"ru", "найди Жанну", "👤 Жанна Ахметова"},
		{"kk", "Айгерімнің нөмірі", "👤 Айгерим Нурланова"},
		{"kk", "Жаннаның телефоны", "👤 Жанна Ахметова"},
	} {
		t.Run(tt.lang+"/"+tt.ask, func(t *testing.T) {
			a := newApp(t)
			const owner = 190
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.ask)
			contains(t, wait(t, u, tt.card), "📞 +7 701")
		})
	}
}

// TestEmptyOrdersOfHerHaveNothingToNarrow: the orders of a customer who
// has none offer no status or period to narrow by, only the archive.
func TestEmptyOrdersOfHerHaveNothingToNarrow(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 191
	seedNames(t, a, owner, "Жанна Ахметова")
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("заказы Жанны")
	m := wait(t, u, "Заказы: Жанна Ахметова — 0")
	if got := m.Buttons(); len(got) != 1 || got[0] != tx("ru", "btn.show_archived") {
		t.Fatalf("buttons of an empty list: %q, want the archive alone", got)
	}
}

// TestItemTakenOutInWords: in an open order "удали тушь", "крем не надо",
// "тушьті алып таста" take that item out (were looked up as a product
// called "удали тушь"); a product the order does not hold is said so and
// nothing changes.
func TestItemTakenOutInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, remove, missing, none string }{
		{"ru", "заказ Айгерим тушь 4500, крем 12000", "удали тушь", "убери помаду", "В заказе нет «помаду»"},
		{"ru", "заказ Айгерим тушь 4500, крем 12000", "тушь не надо", "помада не нужна", "В заказе нет «помада»"},
		{"kk", "тапсырыс Айгерімге тушь 4500, крем 12000", "тушьті алып таста", "помаданы өшір", "Тапсырыста «помаданы» жоқ"},
	} {
		t.Run(tt.lang+"/"+tt.remove, func(t *testing.T) {
			a := newApp(t)
			const owner = 192
			seedNames(t, a, owner, "Айгерим Нурланова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "16 500 ₸")
			u.Send(tt.remove)
			m := wait(t, u, map[string]string{"ru": "Итого: 12 000 ₸", "kk": "Барлығы: 12 000 ₸"}[tt.lang])
			if strings.Contains(m.Text, "тушь") || !strings.Contains(m.Text, "1. крем") {
				t.Fatalf("after %q:\n%s", tt.remove, m.Text)
			}
			u.Send(tt.missing)
			wait(t, u, tt.none)
			press(t, u, m, tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 1 || len(os[0].Items) != 1 || os[0].Items[0].Name != "крем" {
				t.Fatalf("saved: %+v, %v; want the cream alone", os, err)
			}
		})
	}
}
