package handlers_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/store"
)

// TestDeleteInWords: "удали Жанну", "Жаннаны өшір", "delete Zhanna" offer
// to delete her (the card's erasure, confirmed by her full name) or to
// archive her, instead of searching for the words; nothing is deleted
// until she confirms; another consultant pressing the same button deletes
// nothing and sees nothing of her; words naming several ask which.
func TestDeleteInWords(t *testing.T) {
	for _, tt := range []struct {
		lang, ask, offer, btn, confirm, erased, several, which string
	}{
		{"ru", "удали Жанну", "Удалить клиента Жанна Ахметова?", "Удалить клиента", "Удаление персональных данных",
			"Персональные данные удалены навсегда: Жанна Ахметова", "удалить клиентку Ахметову", "«Ахметову» — 2 клиента. Кого удалить?"},
		{"kk", "Жаннаны өшір", "Жанна Ахметованың карточкасын өшіреміз бе?", "Клиентті өшіру", "Жеке деректерді жою",
			"Жанна Ахметованың деректері біржола жойылды", "Ахметованы өшір", "«Ахметованы» — 2 клиент. Кімді өшіреміз?"},
		{"en", "delete Zhanna", "Delete Жанна Ахметова?", "Delete customer", "Erase personal data",
			"Жанна Ахметова's data has been erased for good", "delete Akhmetova", "“Akhmetova” matches 2 customers. Whom to delete?"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			const owner, other = 2601, 2602
			seedNames(t, a, owner, "Жанна Ахметова", "Бота Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.several)
			which := wait(t, u, tt.which)
			if got := which.Buttons(); len(got) != 2 {
				t.Fatalf("namesakes offered: %q", got)
			}
			a.waitIdle(t)

			u.Send(tt.ask)
			offer := wait(t, u, tt.offer)
			if bs := strings.Join(offer.Buttons(), "|"); !strings.Contains(bs, tt.btn) || !strings.Contains(bs, tx(tt.lang, "btn.archive")) {
				t.Fatalf("the offer's buttons: %s", bs)
			}
			a.waitIdle(t)
			zhanna := customerNamed(t, a, owner, "Жанна")

			// Another consultant pressing the same button: not found,
			// nothing deleted, no form about her.
			mallory := a.srv.User(other, "Мадина", tt.lang)
			mallory.Send("/start")
			a.waitIdle(t)
			a.srv.WaitCallbackAnswered(t, mallory.Forge(button(t, offer, tt.btn)))
			a.waitIdle(t)
			for _, m := range mallory.Messages() {
				if strings.Contains(m.Text, "Ахметова") || strings.Contains(m.Text, tt.confirm) {
					t.Fatalf("a forged delete showed another consultant's customer:\n%s", m.Text)
				}
			}
			if _, err := a.db.GetCustomer(ctx, owner, zhanna.ID); err != nil {
				t.Fatalf("a forged delete touched her: %v", err)
			}

			press(t, u, offer, tt.btn)
			wait(t, u, tt.confirm)
			a.waitIdle(t)
			if _, err := a.db.GetCustomer(ctx, owner, zhanna.ID); err != nil {
				t.Fatalf("deleted before she confirmed: %v", err)
			}
			u.Send("Жанна Ахметова")
			wait(t, u, tt.erased)
			a.waitIdle(t)
			if _, err := a.db.GetCustomer(ctx, owner, zhanna.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("confirmed, and she is still there: %v", err)
			}
		})
	}
}

// TestBaseOpensTheList: "база", "клиенттер", "customers" alone open her
// customer list, not a search for the word.
func TestBaseOpensTheList(t *testing.T) {
	for _, tt := range []struct{ lang, ask, want string }{
		{"ru", "база", "Ваши клиенты — 2"},
		{"ru", "моя база", "Ваши клиенты — 2"},
		{"kk", "база", "Клиенттеріңіз — 2"},
		{"kk", "клиенттер", "Клиенттеріңіз — 2"},
		{"en", "customers", "Your customers — 2"},
	} {
		t.Run(tt.lang+" "+tt.ask, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 2603, "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(2603, "Алия", tt.lang)
			talk(t, a, u, []chatStep{{tt.ask, tt.want, []string{"Жанна Ахметова", "Сауле Қасымова"}}})
		})
	}
}
