package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// TestCustomerWritesInHerWords: what a customer writes outside any step
// is answered as a person would — thanks and goodbye in kind, "каталог"
// and "мои заказы" with them — and anything else is kept and offered to
// her consultant as a question or an order, which the consultant gets
// with her words; never a bare menu that drops what she wrote.
func TestCustomerWritesInHerWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, thanks, thanked, catalog, orders, ordersShown, question, asQuestion, wish, asOrder, priced string
	}{
		{"ru", "спасибо большое", "Пожалуйста!", "каталог", "мои заказы", "Мои заказы",
			"есть ли тушь чёрная?", "💬 Как вопрос", "хочу крем и две туши", "✍️ Как заказ", "Сумму назовёт консультант"},
		{"kk", "рахмет", "Оқасы жоқ!", "тауарлар", "менің тапсырыстарым", "Тапсырыстарым",
			"қара тушь бар ма?", "💬 Сұрақ ретінде", "крем мен екі тушь керек", "✍️ Тапсырыс ретінде", "Сомасын кеңесші айтады"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			aliya, friend, _, _ := aliyaAndFriend(t, a, tt.lang, "")
			a.waitIdle(t)
			friend.Send(tt.thanks)
			m := wait(t, friend, tt.thanked)
			if len(m.Buttons()) != 0 {
				t.Fatalf("a thank-you was answered with a menu:\n%s", m)
			}
			friend.Send(tt.catalog)
			wait(t, friend, "Тушь Lash Love")
			friend.Send(tt.orders)
			wait(t, friend, tt.ordersShown)

			friend.Send(tt.question)
			offer := wait(t, friend, tt.question)
			press(t, friend, offer, tt.asQuestion)
			got := wait(t, aliya, tt.question)
			contains(t, got, "Айгерим Нурланова")

			friend.Send(tt.wish)
			press(t, friend, wait(t, friend, tt.wish), tt.asOrder)
			if sent := wait(t, friend, tt.priced); strings.Contains(sent.Text, " 0 ₸") {
				t.Fatalf("an order in her own words shows a total of nothing:\n%s", sent.Text)
			}
			friend.Send(tt.orders)
			if mine := wait(t, friend, tt.ordersShown+"\n"); strings.Contains(mine.Text, " 0 ₸") || !strings.Contains(strings.ToLower(plain(mine.Text)), strings.ToLower(tt.priced)) {
				t.Fatalf("her orders show an order in her own words as costing nothing:\n%s", mine.Text)
			}
			order := wait(t, aliya, tt.wish)
			contains(t, order, "Айгерим Нурланова")
			a.waitIdle(t)
			// Pressed again (an old message): nothing goes twice.
			before := len(aliya.Messages())
			press(t, friend, offer, tt.asQuestion)
			a.waitIdle(t)
			for _, m := range aliya.Messages()[before:] {
				if strings.Contains(m.Text, tt.question) {
					t.Fatalf("the question went twice:\n%s", m.Text)
				}
			}
		})
	}
}

// TestCustomerAsksAPrice: "сколько стоит тушь?", "қара тушь бар ма?",
// "how much is the mascara?" show her consultant's mascara with its price
// and a ➕ to her basket, the question still a tap from her consultant;
// another consultant's products never show, whatever she asks.
func TestCustomerAsksAPrice(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, ask, found, basket, other, plain string }{
		{"ru", "сколько стоит тушь?", "В каталоге нашла:", "Корзина", "есть помада?", "Передать это консультанту?"},
		{"kk", "қара тушь бар ма?", "Каталогтан таптым:", "Себет", "помада бар ма?", "Мұны кеңесшіге жіберейін бе?"},
		{"en", "how much is the mascara?", "Found in the catalog:", "Basket", "any lipstick?", "Send this to your consultant?"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			_, friend, _, _ := aliyaAndFriend(t, a, tt.lang, "")
			_, dc, _ := consultantWithCatalog(t, a, 802, "Дана", tt.lang)
			for _, name := range []string{"Помада Даны", "Lipstick Dana", "Mascara Dana"} {
				if _, err := a.book.Catalog.Add(context.Background(), dc, crm.Product{Name: name, Price: 900000}); err != nil {
					t.Fatal(err)
				}
			}
			a.waitIdle(t)
			ask := tt.ask
			if tt.lang == "en" {
				ask = "how much is the lash love mascara?"
			}
			friend.Send(ask)
			m := wait(t, friend, tt.found)
			contains(t, m, "Тушь Lash Love — "+map[string]string{"ru": "6 000 ₸", "kk": "6 000 ₸", "en": "₸6,000"}[tt.lang], ask)
			if strings.Contains(m.Text, "Dana") || strings.Contains(m.Text, "Даны") {
				t.Fatalf("another consultant's product shown:\n%s", m.Text)
			}
			press(t, friend, m, "➕ Тушь Lash Love")
			wait(t, friend, tt.basket)
			a.waitIdle(t)
			friend.Send(tt.other)
			if m := wait(t, friend, tt.plain); strings.Contains(m.Text, "Dana") || strings.Contains(m.Text, "Даны") {
				t.Fatalf("another consultant's product shown:\n%s", m.Text)
			}
		})
	}
}
