package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
)

// guest is a customer registering through the link, step by step.
type guest struct {
	u          *bottest.User
	lang, name string
	phone      string
}

// registerAtOnce has the guests go through the link's steps together,
// each step for all of them before the next, so their registrations end
// within the same second, as when a link is posted to a group.
func registerAtOnce(t *testing.T, token string, gs []guest) {
	t.Helper()
	steps := []struct {
		act  func(g guest)
		want func(g guest) string
	}{
		{func(g guest) { g.u.Send("/start " + token) }, func(g guest) string { return tx(g.lang, "cust.btn_agree") }},
		{func(g guest) { g.u.PressButton(tx(g.lang, "cust.btn_agree")) }, func(g guest) string { return tx(g.lang, "cust.ask_name") }},
		{func(g guest) { g.u.Send(g.name) }, func(g guest) string { return tx(g.lang, "cust.ask_phone") }},
		{func(g guest) {
			first, last, _ := strings.Cut(g.name, " ")
			g.u.ShareContact(g.phone, first, last, g.u.ID)
		}, func(g guest) string { return tx(g.lang, "cust.ask_birthday_skip") }},
		{func(g guest) { g.u.PressButton(tx(g.lang, "btn.skip")) }, func(g guest) string { return tx(g.lang, "cust.ask_prefs") }},
		{func(g guest) { g.u.PressButton(tx(g.lang, "btn.skip")) }, func(g guest) string { return tx(g.lang, "cust.ask_notices") }},
	}
	for _, s := range steps {
		for _, g := range gs {
			s.act(g)
		}
		for _, g := range gs {
			g.u.WaitMessage(t, func(m bottest.Msg) bool {
				if strings.Contains(plain(m.Text), s.want(g)) {
					return true
				}
				_, ok := m.Button(s.want(g))
				return ok
			})
		}
	}
	for _, g := range gs {
		g.u.PressButton(tx(g.lang, "cust.btn_notices_yes"))
	}
	for _, g := range gs {
		wait(t, g.u, plain(texts.Text(g.lang, "cust.registered", map[string]any{"Consultant": "Алия"}))[:20])
	}
}

// TestNewCustomerAlertsOutliveTheUpdate: six customers (ru and kk)
// finish registering within a second under Telegram's limits, with
// updates that have 3 s to be handled. Every one of them reaches the
// consultant: her chat takes a message a second, and an alert sent from
// the registration's own update used to be dropped when it waited past
// that update's time limit (the fourth and later were lost). Those that pile
// up come as one message "N new customers", whose look-alike button
// leads to her choice "This is <card>".
func TestNewCustomerAlertsOutliveTheUpdate(t *testing.T) {
	a := startLimitedAppTimeout(t, 3*time.Second)
	ctx := context.Background()
	aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", "ru")
	if _, err := a.book.Customers.Add(ctx, c, crm.Customer{FirstName: "Жанна", LastName: "Ким", Phone: "+77015550003"}); err != nil {
		t.Fatal(err)
	}
	inv, err := a.book.Members.Invite(ctx, c) // her /invite sends a photo too, which takes her chat's seconds
	if err != nil {
		t.Fatal(err)
	}
	token := inv.Token
	a.clock.Add(time.Minute) // the registrations' cards are made after hers
	var gs []guest
	for i, name := range []string{"Айгерим Нурланова", "Сауле Ахметова", "Жанна Кимова", "Динара Сапарова", "Алина Жұмабаева", "Мадина Омарова"} {
		lang := []string{"ru", "kk"}[i%2]
		gs = append(gs, guest{u: a.srv.User(int64(9100+i), "Гость", lang), lang: lang, name: name, phone: fmt.Sprintf("+7701555000%d", i+1)})
	}
	registerAtOnce(t, token, gs)

	told := func() (alerts []bottest.Msg, missing []string) {
		all := ""
		for _, m := range aliya.Messages() {
			if strings.Contains(m.Text, "🆕") {
				alerts = append(alerts, m)
				all += m.Text
			}
		}
		for _, g := range gs {
			if !strings.Contains(all, g.name) {
				missing = append(missing, g.name)
			}
		}
		return alerts, missing
	}
	aliya.WaitMessage(t, func(bottest.Msg) bool { _, missing := told(); return len(missing) == 0 })
	a.waitIdle(t)
	alerts, _ := told()
	if len(alerts) >= len(gs) {
		t.Fatalf("%d registrations at once came as %d messages, want them grouped", len(gs), len(alerts))
	}
	var group, zhanna bottest.Msg
	for _, m := range alerts {
		if strings.Contains(plain(m.Text), "новых клиент") {
			group = m
		}
		if strings.Contains(m.Text, "Жанна Кимова") {
			zhanna = m
		}
	}
	if group.Text == "" {
		t.Fatalf("no grouped alert among:\n%s", dumpTexts(alerts))
	}
	// Жанна Кимова shares the phone of Жанна Ким, a card of the book: her
	// choice is on her own alert, or one tap away from the group's.
	if _, grouped := zhanna.Button("⚠️ Проверить: Жанна Кимова"); !grouped {
		if _, ok := zhanna.Button("Это Жанна Ким"); !ok {
			t.Fatalf("the alert of Жанна Кимова offers no choice on Жанна Ким: %q\n%s", zhanna.Buttons(), zhanna.Text)
		}
	} else {
		press(t, aliya, zhanna, "Проверить: Жанна Кимова")
		zhanna = wait(t, aliya, "Жанна Кимова\nТелефон")
	}
	press(t, aliya, zhanna, "Это Жанна Ким")
	wait(t, aliya, "Карточки объединены: Жанна Ким")

	press(t, aliya, group, "Открыть список")
	page := wait(t, aliya, "Новые клиенты 1–")
	for _, g := range gs {
		if g.name != "Жанна Кимова" && !strings.Contains(page.Text, g.name) {
			t.Errorf("the list of the grouped alert misses %s:\n%s", g.name, page.Text)
		}
	}
	if strings.Contains(page.Text, "Жанна Ким,") {
		t.Errorf("the list shows a card she made herself before:\n%s", page.Text)
	}
}

func dumpTexts(ms []bottest.Msg) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Text + "\n---\n")
	}
	return b.String()
}
