package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/store"
)

// TestSaleTypedWhereHerNameIsAsked: a sale or a payment typed while the
// add form asks her last name ("Жанна купила помаду 3900", "Жаннаға
// помада 3900 саттым") is told to be no name, quoted back, and the
// question asked again: it never becomes the surname "Жанна Купила
// Помаду" with the 3 900 ₸ dropped. The surname typed next is hers.
func TestSaleTypedWhereHerNameIsAsked(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, add, sale, refused, surname string }{
		{"ru", "добавь клиентку Динара 87015554433", "Жанна купила помаду 3900", "не похоже на имя", "Омарова"},
		{"kk", "жаңа клиент Динара 87015554433", "Жаннаға помада 3900 саттым", "атқа ұқсамайды", "Омарова"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 183
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.add)
			wait(t, u, "Динара, ")
			u.Send(tt.sale)
			m := wait(t, u, tt.refused)
			contains(t, m, tt.sale, "Динара, ")
			u.Send(tt.surname)
			confirm := wait(t, u, "Омарова")
			if strings.Contains(confirm.Text, "Помад") {
				t.Fatalf("the sale's words in her card:\n%s", confirm.Text)
			}
			press(t, u, confirm, tx(tt.lang, "btn.confirm"))
			wait(t, u, "Динара Омарова")
			a.waitIdle(t)
			cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: "Динара"})
			if err != nil || len(cs) != 1 || cs[0].LastName != "Омарова" {
				t.Fatalf("her new customer: %+v, %v; want Динара Омарова", cs, err)
			}
		})
	}
}
