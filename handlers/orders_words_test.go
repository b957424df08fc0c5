package handlers_test

import (
	"testing"
)

// TestHerOrdersInWords: "покажи заказы Айгерим", "Айгерімнің
// тапсырыстары" list the orders of the one customer named (were searched
// for as a customer, found no one); a name two customers answer to asks
// whose, a button each; another consultant's customer is no one's here.
func TestHerOrdersInWords(t *testing.T) {
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
