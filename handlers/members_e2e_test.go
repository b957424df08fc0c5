package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// memberCard returns the card the member userID of owner points at.
func memberCard(t *testing.T, a *app, owner, userID int64) crm.Customer {
	t.Helper()
	ctx := context.Background()
	mem, err := a.db.GetMember(ctx, owner, userID)
	if err != nil {
		t.Fatal(err)
	}
	cu, err := a.db.GetCustomer(ctx, owner, mem.CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	return cu
}

// waitButton waits for a message with a button labelled label.
func waitButton(t *testing.T, u *bottest.User, label string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(m bottest.Msg) bool { _, ok := m.Button(label); return ok })
}

// customerEdits has the customer change a field of her profile as she
// would: Profile, the field's pencil, the new value typed.
func customerEdits(t *testing.T, a *app, u *bottest.User, lang, field, value, shown string) {
	t.Helper()
	u.Send("/profile")
	pencil := "✏️ " + tx(lang, "field."+field)
	waitButton(t, u, pencil)
	u.PressButton(pencil)
	wait(t, u, plain(texts.Text(lang, "cust.ask_edit", map[string]any{"Field": tx(lang, "field."+field)})))
	u.Send(value)
	wait(t, u, shown)
	a.waitIdle(t)
}

// TestCustomerEditsProfileReachesCard: each change she makes to her
// profile is on the consultant's card and in its history, marked as made
// by the customer herself.
func TestCustomerEditsProfileReachesCard(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			token := inviteToken(t, a, aliya)
			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+7 701 111 22 33")
			alert := wait(t, aliya, "Айгерим Нурланова")

			customerEdits(t, a, friend, lang, "phone", "8 702 000 11 22", "+77020001122")
			customerEdits(t, a, friend, lang, "first_name", "Айгуль", "Айгуль Нурланова")
			customerEdits(t, a, friend, lang, "birthday", "14.03.1990", "14.03.1990")
			customerEdits(t, a, friend, lang, "preferences", "Сухая кожа, оттенок Ivory 1", "Сухая кожа, оттенок Ivory 1")

			cu := memberCard(t, a, c.ID, 9001)
			if cu.Phone != "+77020001122" || cu.FirstName != "Айгуль" || cu.Birthday.String() != "14.03.1990" {
				t.Fatalf("her card after her edits = %+v", cu)
			}
			press(t, aliya, alert, tx(lang, "member.btn_open"))
			card := wait(t, aliya, "Айгуль Нурланова")
			contains(t, card, "Сухая кожа, оттенок Ivory 1")
			press(t, aliya, card, tx(lang, "btn.history"))
			hist := wait(t, aliya, tx(lang, "event.edited"))
			by := tx(lang, "history.by_customer")
			for _, f := range []string{"phone", "first_name", "birthday", "preferences"} {
				line := tx(lang, "field."+f) + " · " + by
				if !strings.Contains(plain(hist.Text), line) {
					t.Errorf("history lacks %q:\n%s", line, hist.Text)
				}
			}
		})
	}
}

// TestCustomerQuestionIsForwardedAndLogged: her question reaches the
// consultant with Open, and is on her card as a Telegram contact.
func TestCustomerQuestionIsForwardedAndLogged(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			token := inviteToken(t, a, aliya)
			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+77011112233")
			friend.PressButton(tx(lang, "cust.btn_ask"))
			wait(t, friend, tx(lang, "cust.ask_ask"))
			const q = "Здравствуйте! Есть крем для сухой кожи до 10 000?"
			friend.Send(q)
			wait(t, friend, tx(lang, "cust.asked"))
			fw := wait(t, aliya, q)
			contains(t, fw, "Айгерим Нурланова")
			button(t, fw, tx(lang, "member.btn_open"))
			a.waitIdle(t)
			cu := memberCard(t, a, c.ID, 9001)
			evs, _, err := a.db.ListEvents(context.Background(), c.ID, cu.ID, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			var logged bool
			for _, e := range evs {
				logged = logged || (e.Kind == "interaction" && e.Data["channel"] == book.ChannelTelegram && strings.Contains(e.Text, q))
			}
			if !logged {
				t.Fatalf("her question is not on her card as a Telegram contact: %+v", evs)
			}
		})
	}
}

// orderTwo has the customer order the cream and the mascara from the
// catalog; it returns the consultant's alert of it.
func orderTwo(t *testing.T, a *app, friend, consultant *bottest.User, lang, name string) bottest.Msg {
	t.Helper()
	friend.PressButton(tx(lang, "cust.btn_catalog"))
	cat := wait(t, friend, "Тушь Lash Love")
	press(t, friend, cat, "Крем TimeWise")
	a.waitIdle(t)
	press(t, friend, cat, "Тушь Lash Love")
	wait(t, friend, "Тушь Lash Love × 1")
	friend.PressButton(tx(lang, "cust.btn_send"))
	a.waitIdle(t)
	return consultant.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, name) && strings.Contains(m.Text, "Тушь Lash Love × 1")
	})
}

// TestCustomerNoticesOnlyWhenChosen: her order accepted, a payment
// recorded, the order packed and delivered reach her, in that order, when
// she chose notices at sign-up, and never when she did not.
func TestCustomerNoticesOnlyWhenChosen(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			aliya, _, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			token := inviteToken(t, a, aliya)
			yes := a.srv.User(9001, "Айгерим", lang)
			joinAndRegisterNotices(t, a, yes, token, lang, "Айгерим Нурланова", "+77011112233", true)
			no := a.srv.User(9002, "Мария", lang)
			joinAndRegisterNotices(t, a, no, token, lang, "Мария Ким", "+77019998877", false)

			number := 1
			for _, who := range []struct {
				u    *bottest.User
				name string
				told bool
			}{{yes, "Айгерим Нурланова", true}, {no, "Мария Ким", false}} {
				alert := orderTwo(t, a, who.u, aliya, lang, who.name)
				before := len(who.u.Messages())
				press(t, aliya, alert, tx(lang, "member.btn_accept"))
				view := aliya.WaitMessage(t, func(m bottest.Msg) bool {
					_, ok := m.Button(tx(lang, "btn.add_payment"))
					return ok && strings.Contains(m.Text, who.name)
				})
				press(t, aliya, view, tx(lang, "btn.add_payment"))
				wait(t, aliya, plain(texts.Text(lang, "order.ask.amount", nil))[:10])
				aliya.Send("5000")
				press(t, aliya, wait(t, aliya, plain(texts.Text(lang, "order.ask.method", nil))[:6]), tx(lang, "method.cash"))
				day := wait(t, aliya, strings.SplitN(plain(texts.Text(lang, "payment.ask.date", map[string]any{"Values": map[string]string{}})), "?", 2)[0])
				press(t, aliya, day, tx(lang, "payment.today"))
				// Then she moves it on: packed, then delivered.
				for _, next := range []string{"processed", "delivered"} {
					label := tx(lang, "status.to."+next)
					moved := aliya.WaitMessage(t, func(m bottest.Msg) bool {
						_, ok := m.Button(label)
						return ok && strings.Contains(m.Text, who.name)
					})
					press(t, aliya, moved, label)
					a.waitIdle(t)
				}
				a.waitIdle(t)
				var got []string
				for _, m := range who.u.Messages()[before:] {
					got = append(got, plain(m.Text))
				}
				var want []string
				if who.told {
					want = []string{
						plain(texts.Text(lang, "cust.notice_status", map[string]any{"Number": number, "Status": tx(lang, "cust.status.unprocessed")})),
						plain(texts.Text(lang, "cust.notice_payment", map[string]any{"Number": number, "Paid": "5 000 ₸", "Due": "16 000 ₸"})),
						plain(texts.Text(lang, "cust.notice_status", map[string]any{"Number": number, "Status": tx(lang, "cust.status.processed")})),
						plain(texts.Text(lang, "cust.notice_status", map[string]any{"Number": number, "Status": tx(lang, "cust.status.delivered")})),
					}
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s (notices %v) was told:\n%s\nwant:\n%s", who.name, who.told, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				number++
			}
		})
	}
}

// TestCustomerCopyAndErasure: she asks for a copy and gets a file with
// her card, her orders and no costs; she asks for erasure, the consultant
// presses one button, she is told, and nothing of her is left.
func TestCustomerCopyAndErasure(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			aliya, friend, c, _ := aliyaAndFriend(t, a, lang, "")
			orderTwo(t, a, friend, aliya, lang, "Айгерим Нурланова")
			cu := memberCard(t, a, c.ID, 9001)

			friend.Send("/menu")
			waitButton(t, friend, tx(lang, "cust.btn_copy"))
			friend.PressButton(tx(lang, "cust.btn_copy"))
			doc := friend.WaitDocument(t, nil)
			if doc.File == nil || doc.Text != tx(lang, "cust.copy_caption") {
				t.Fatalf("her copy = %+v", doc)
			}
			var cp book.CustomerCopy
			if err := json.Unmarshal(doc.File.Data, &cp); err != nil {
				t.Fatalf("her copy is not JSON: %v\n%s", err, doc.File.Data)
			}
			if cp.Consultant != "Алия" || cp.Customer.Phone != "+77011112233" || len(cp.Member.Consents) == 0 || len(cp.Orders) != 1 || len(cp.Orders[0].Items) != 2 {
				t.Fatalf("her copy lacks what the book holds: %s", doc.File.Data)
			}
			for _, it := range cp.Orders[0].Items {
				if it.Cost != 0 {
					t.Fatalf("her copy shows the consultant's cost: %+v", it)
				}
			}
			if strings.Contains(string(doc.File.Data), "Мария") || strings.Contains(string(doc.File.Data), "Дана") {
				t.Fatalf("her copy holds another person: %s", doc.File.Data)
			}

			friend.PressButton(tx(lang, "cust.btn_erase"))
			wait(t, friend, tx(lang, "cust.erase_requested"))
			req := wait(t, aliya, plain(texts.Text(lang, "member.erase_request", map[string]any{"Name": "Айгерим Нурланова"})))
			if n := len(req.Keyboard.InlineKeyboard); n != 1 || len(req.Keyboard.InlineKeyboard[0]) != 1 {
				t.Fatalf("the request has %d rows of buttons, want one button:\n%s", n, req)
			}
			press(t, aliya, req, tx(lang, "member.btn_erase"))
			wait(t, aliya, tx(lang, "member.erased"))
			wait(t, friend, erasedNotice(lang, "Алия", ""))
			a.waitIdle(t)
			// Pressing the button again claims no second erasure.
			before := len(aliya.Messages())
			press(t, aliya, req, tx(lang, "member.btn_erase"))
			a.waitIdle(t)
			for _, m := range aliya.Messages()[before:] {
				if strings.Contains(m.Text, tx(lang, "member.erased")) {
					t.Fatalf("a second press claims a second erasure:\n%s", m.Text)
				}
			}

			if _, err := a.db.GetCustomer(ctx, c.ID, cu.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("her card after erasure: %v", err)
			}
			if ms, _ := a.db.MembershipsOf(ctx, 9001); len(ms) != 0 {
				t.Fatalf("her membership after erasure: %+v", ms)
			}
			for _, archived := range []bool{false, true} {
				if os, _, _ := a.db.ListOrders(ctx, c.ID, store.OrderFilter{CustomerID: cu.ID, Archived: archived}); len(os) != 0 {
					t.Fatalf("her orders after erasure (archived %v): %+v", archived, os)
				}
			}
			if cs, n, _ := a.db.ListCustomers(ctx, c.ID, store.CustomerFilter{}); n != 0 {
				t.Fatalf("cards left after erasure: %+v", cs)
			}
			if r, _ := a.db.GetRole(ctx, 9001); r.AsCustomer() {
				t.Fatalf("her chat still talks to the consultant: %+v", r)
			}
			// Pressing her old menu now says the chat is not linked, and
			// makes her nobody's customer.
			friend.PressButton(tx(lang, "cust.btn_orders"))
			a.waitIdle(t)
			if ms, _ := a.db.MembershipsOf(ctx, 9001); len(ms) != 0 {
				t.Fatalf("a press after erasure brought her back: %+v", ms)
			}
		})
	}
}

// TestCardShowsWhetherOnTheBot: the consultant's card of a customer says
// whether she is on the bot, unsubscribed from it or blocked it.
func TestCardShowsWhetherOnTheBot(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			aliya, friend, _, token := aliyaAndFriend(t, a, lang, "")
			open := button(t, wait(t, aliya, "Айгерим Нурланова"), tx(lang, "member.btn_open"))
			other := a.srv.User(9002, "Мария", lang)
			joinAndRegister(t, a, other, token, lang, "Мария Ким", "+77019998877")
			alert := orderTwo(t, a, other, aliya, lang, "Мария Ким")
			openOther := button(t, wait(t, aliya, "Мария Ким"), tx(lang, "member.btn_open"))

			onBot := map[string]string{"ru": "🤖 В боте", "kk": "🤖 Ботта", "en": "🤖 On the bot"}[lang]
			stopped := map[string]string{"ru": "🔕 Отписалась от бота", "kk": "🔕 Боттан бас тартты", "en": "🔕 Unsubscribed from the bot"}[lang]
			blocked := map[string]string{"ru": "⛔ Заблокировала бота", "kk": "⛔ Ботты бұғаттады", "en": "⛔ Blocked the bot"}[lang]
			cardOf := func(data, name string) string {
				t.Helper()
				aliya.Forge(data)
				return plain(wait(t, aliya, name).Text)
			}
			if card := cardOf(open, "Айгерим Нурланова"); !strings.Contains(card, onBot) {
				t.Fatalf("the card of a customer on the bot lacks %q:\n%s", onBot, card)
			}
			friend.Send("/stop")
			a.waitIdle(t)
			if card := cardOf(open, "Айгерим Нурланова"); !strings.Contains(card, stopped) || strings.Contains(card, onBot) {
				t.Fatalf("the card of a customer who sent /stop lacks %q:\n%s", stopped, card)
			}
			// Мария blocks the bot; it learns so when it tells her that her
			// order was accepted.
			other.Block()
			press(t, aliya, alert, tx(lang, "member.btn_accept"))
			a.waitIdle(t)
			if card := cardOf(openOther, "Мария Ким"); !strings.Contains(card, blocked) || strings.Contains(card, onBot) {
				t.Fatalf("the card of a customer who blocked the bot lacks %q:\n%s", blocked, card)
			}
			if _, err := a.db.GetConsultant(context.Background(), 9002); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a customer who blocked the bot was made a consultant: %v", err)
			}
		})
	}
}
