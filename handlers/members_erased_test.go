package handlers_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

// TestErasedCustomerWritesAgain: a customer asks for erasure and the
// consultant erases her card; when she writes to the bot again, with a
// greeting, /start, her old commands or her old buttons, she is told in
// her language that her data is gone and that a consultant's link brings
// her back: she is not made a consultant, and nothing of the consultant
// or of her card reaches her. Her old buttons reach none of it either.
// The link brings her back as a new customer; the one button makes her a
// consultant of her own.
func TestErasedCustomerWritesAgain(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			aliya, friend, c, token := aliyaAndFriend(t, a, lang, "")
			open := button(t, wait(t, aliya, "Айгерим Нурланова"), tx(lang, "member.btn_open"))
			orderTwo(t, a, friend, aliya, lang, "Айгерим Нурланова")
			friend.Send("/menu")
			menu := waitButton(t, friend, tx(lang, "cust.btn_orders"))
			friend.PressButton(tx(lang, "cust.btn_catalog"))
			catalog := wait(t, friend, "Крем TimeWise")

			// Her request; the consultant erases her card.
			friend.Send("/menu")
			waitButton(t, friend, tx(lang, "cust.btn_erase"))
			friend.PressButton(tx(lang, "cust.btn_erase"))
			wait(t, friend, tx(lang, "cust.erase_requested"))
			eraseAigerim(t, aliya, open, lang)
			wait(t, friend, erasedNotice(lang, "Алия", ""))
			a.waitIdle(t)
			erasedAt := len(friend.Messages())

			notice := tx(lang, "cust.erased_visitor")
			for _, act := range []struct {
				name string
				do   func()
			}{
				{"a greeting", func() {
					friend.Send(map[string]string{"ru": "Здравствуйте!", "kk": "Сәлеметсіз бе!", "en": "Hello!"}[lang])
				}},
				{"/start", func() { friend.Send("/start") }},
				{"/orders", func() { friend.Send("/orders") }},
				{"/profile", func() { friend.Send("/profile") }},
				{"her old My orders button", func() { press(t, friend, menu, tx(lang, "cust.btn_orders")) }},
				{"her old catalog's product", func() { press(t, friend, catalog, "Крем TimeWise") }},
			} {
				act.do()
				m := wait(t, friend, notice)
				if _, ok := m.Button(tx(lang, "cust.btn_own_book")); !ok {
					t.Fatalf("after %s the notice has no button to start her own book:\n%s", act.name, m)
				}
				a.waitIdle(t)
			}
			for _, m := range friend.Messages()[erasedAt:] {
				for _, old := range []string{"Алия", "Нурланова", "Крем", "Тушь", "701", "#1", "CRM"} {
					if strings.Contains(plain(m.Text), old) {
						t.Fatalf("after the erasure she saw %q:\n%s", old, m.Text)
					}
				}
			}
			if _, err := a.db.GetConsultant(ctx, 9001); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the erased customer was made a consultant: %v", err)
			}
			if ms, _ := a.db.MembershipsOf(ctx, 9001); len(ms) != 0 {
				t.Fatalf("her membership came back: %+v", ms)
			}
			if os, n, _ := a.db.ListOrders(ctx, c.ID, store.OrderFilter{}); n != 0 {
				t.Fatalf("her old buttons reached the consultant's orders: %+v", os)
			}
			if _, _, err := a.book.Members.Profile(ctx, c.ID, 9001); err == nil {
				t.Fatal("her old profile is still reachable")
			}
			if _, err := a.book.Members.Orders(ctx, c.ID, 9001, 0, 10); err == nil {
				t.Fatal("her old orders are still reachable")
			}

			if lang == "en" {
				// She is a consultant herself.
				friend.PressButton(tx(lang, "cust.btn_own_book"))
				wait(t, friend, "CRM")
				if _, err := a.db.GetConsultant(ctx, 9001); err != nil {
					t.Fatalf("the button did not start her own book: %v", err)
				}
				if r, _ := a.db.GetRole(ctx, 9001); r.Erased() {
					t.Fatalf("her own book kept the erased mark: %+v", r)
				}
				return
			}
			// The link brings her back, as a new customer.
			friend.Send("/start " + token)
			waitButton(t, friend, tx(lang, "cust.btn_agree"))
			friend.PressButton(tx(lang, "cust.btn_agree"))
			wait(t, friend, tx(lang, "cust.ask_name"))
			if r, _ := a.db.GetRole(ctx, 9001); r.Erased() || r.Owner != c.ID {
				t.Fatalf("her role after the link = %+v", r)
			}
		})
	}
}

// erasedNotice is the plain text of the notice a customer gets when
// consultant name erased her data (next: the consultant her chat now
// talks to, "" when none).
func erasedNotice(lang, name, next string) string {
	return plain(texts.Text(lang, "cust.erased", map[string]any{"Name": name, "Next": next}))
}

// TestErasedByOneOfHerConsultants: a customer of two consultants (Дана
// first, then Алия, whom her chat talks to) has her card erased by Алия.
// She is told which consultant erased her data and that the chat now
// talks to Дана; when she greets the bot next, Дана's customer menu
// answers her (not a consultant's sign-up, not the erased notice), and
// nothing of Алия's reaches her. Дана's card of her is untouched.
func TestErasedByOneOfHerConsultants(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			_, dc, _ := consultantWithCatalog(t, a, 802, "Дана", lang)
			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, inviteToken(t, a, a.srv.User(802, "Дана", lang)), lang, "Айгерим Нурланова", "+77011112233")
			aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			joinAndRegister(t, a, friend, inviteToken(t, a, aliya), lang, "Айгерим Нурланова", "+77011112233")
			if r, _ := a.db.GetRole(ctx, 9001); r.Owner != c.ID {
				t.Fatalf("her chat talks to %d after Алия's link, want Алия (%d)", r.Owner, c.ID)
			}
			danaCard := memberCard(t, a, dc.ID, 9001)

			open := button(t, wait(t, aliya, "Айгерим Нурланова"), tx(lang, "member.btn_open"))
			eraseAigerim(t, aliya, open, lang)
			notice := wait(t, friend, erasedNotice(lang, "Алия", "Дана"))
			if !strings.Contains(notice.Text, "Дана") || !strings.Contains(notice.Text, "Алия") {
				t.Fatalf("the notice names neither who erased nor whom the chat talks to now:\n%s", notice.Text)
			}
			a.waitIdle(t)
			after := len(friend.Messages())

			friend.Send(map[string]string{"ru": "Здравствуйте!", "kk": "Сәлеметсіз бе!"}[lang])
			waitButton(t, friend, tx(lang, "cust.btn_catalog"))
			a.waitIdle(t)
			for _, m := range friend.Messages()[after:] {
				if strings.Contains(plain(m.Text), "Алия") || strings.Contains(m.Text, tx(lang, "cust.erased_visitor")) {
					t.Fatalf("after Алия's erasure her greeting got:\n%s", m.Text)
				}
			}
			if r, _ := a.db.GetRole(ctx, 9001); r.Owner != dc.ID || r.Erased() {
				t.Fatalf("her role after Алия's erasure = %+v, want her chat at Дана (%d)", r, dc.ID)
			}
			if _, err := a.db.GetConsultant(ctx, 9001); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the customer was made a consultant: %v", err)
			}
			if got := memberCard(t, a, dc.ID, 9001); got.ID != danaCard.ID || got.FullName() != "Айгерим Нурланова" {
				t.Fatalf("Дана's card of her changed: %+v, was %+v", got, danaCard)
			}
		})
	}
}

// eraseAigerim is the consultant erasing Айгерим Нурланова's card from the
// card opened by the button data open: Edit, Erase, her name typed to
// confirm.
func eraseAigerim(t *testing.T, aliya *bottest.User, open, lang string) {
	t.Helper()
	aliya.Forge(open)
	press(t, aliya, waitButton(t, aliya, tx(lang, "btn.edit")), tx(lang, "btn.edit"))
	press(t, aliya, waitButton(t, aliya, tx(lang, "btn.erase")), tx(lang, "btn.erase"))
	aliya.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Айгерим Нурланова") })
	aliya.Send("Айгерим Нурланова")
	wait(t, aliya, plain(texts.Text(lang, "customer.erased", map[string]any{"Name": "Айгерим Нурланова"})))
}
