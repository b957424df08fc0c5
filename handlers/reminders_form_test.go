package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

// remindWords are what a consultant sees in the reminder form, per locale.
type remindWords struct {
	lang, added, askText, askCustomer, found, noMatch, askWhen, badWhen, when, askRepeat, noRepeat,
	confirm, confirmBtn, set, card, call, remindBtn string
}

var remindLocales = []remindWords{
	{lang: "ru", added: "Клиент добавлен", askText: "О чём напомнить?", askCustomer: "Привязать к клиенту?", found: "Нашлось: 2",
		noMatch: "Клиента «Зарина» не нашла", askWhen: "Когда?", badWhen: "Не поняла, когда. Например:", when: "завтра 10:00",
		askRepeat: "Повторять?", noRepeat: "Не повторять", confirm: "Проверьте и подтвердите", confirmBtn: "Подтвердить",
		set: "Напомню", card: "Карточка", call: "Позвонить", remindBtn: "Напомнить"},
	{lang: "kk", added: "Клиент қосылды", askText: "Не туралы еске салайын?", askCustomer: "Клиентке байланыстырайық па?", found: "2 клиент табылды",
		noMatch: "«Зарина» табылмады", askWhen: "Қашан?", badWhen: "Қашан екенін түсінбедім. Мысалы:", when: "ертең 10:00",
		askRepeat: "Қайталау керек пе?", noRepeat: "Қайталамау", confirm: "Тексеріп, растаңыз", confirmBtn: "Растау",
		set: "Еске саламын", card: "Карточка", call: "Қоңырау", remindBtn: "Еске салу"},
}

// addCustomers adds customers by /add and returns the card of the last one.
func addCustomers(t *testing.T, u *bottest.User, added string, lines ...string) bottest.Msg {
	t.Helper()
	var card bottest.Msg
	for _, line := range lines {
		u.Send("/add " + line)
		name := strings.Join(strings.Fields(line)[:2], " ")
		card = u.WaitMessage(t, func(m bottest.Msg) bool {
			return strings.Contains(m.Text, added) && strings.Contains(m.Text, name)
		})
	}
	return card
}

// hasButton reports whether m has a button whose label contains label.
func hasButton(m bottest.Msg, label string) bool {
	for _, b := range m.Buttons() {
		if strings.Contains(b, label) {
			return true
		}
	}
	return false
}

// pushOf waits for the push of a reminder whose text starts with text.
func pushOf(t *testing.T, u *bottest.User, text string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(m.Text, "⏰ "+text) })
}

// /remind alone: text, then a customer found by part of her name among
// several, a time that cannot be read answered with examples (the text is
// kept), then repeat; the reminder is linked to her and its push offers
// her card and a call.
func TestRemindFormPicksCustomer(t *testing.T) {
	t.Parallel()
	for i, w := range remindLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(611 + i)
			u := a.srv.User(id, "Алия", w.lang)
			addCustomers(t, u, w.added, "Айгерим Бекова +77015550001", "Айгуль Сейткали +77015550002", "Жанна Ким +77015550003")

			u.Send("/remind")
			wait(t, u, w.askText)
			u.Send("Передать каталог")
			ask := wait(t, u, w.askCustomer)
			if !hasButton(ask, "➡️") {
				t.Errorf("no Skip on the customer step: %s", ask)
			}
			u.Send("Зарина")
			wait(t, u, w.noMatch)
			u.Send("Айг")
			pick := wait(t, u, w.found)
			if hasButton(pick, "Жанна Ким") {
				t.Errorf("a customer who does not match is offered: %s", pick)
			}
			press(t, u, pick, "Айгерим Бекова")
			wait(t, u, w.askWhen)
			u.Send("когда-нибудь потом")
			again := wait(t, u, w.badWhen)
			contains(t, again, w.when)
			u.Send(w.when)
			press(t, u, wait(t, u, w.askRepeat), w.noRepeat)
			sum := wait(t, u, w.confirm)
			contains(t, sum, "Передать каталог", "Айгерим Бекова")
			press(t, u, sum, w.confirmBtn)
			set := wait(t, u, w.set)
			contains(t, set, "Передать каталог", "👤 Айгерим Бекова")

			a.clock.Add(24 * time.Hour)
			a.tick(t)
			push := pushOf(t, u, "Передать каталог")
			contains(t, push, "Айгерим Бекова", "+7 701 555 00 01")
			open := button(t, push, w.card)
			button(t, push, w.call)
			rs, _, err := a.db.ListReminders(context.Background(), id, store.ReminderFilter{})
			if err != nil || len(rs) != 1 || rs[0].CustomerID == "" || open != "cu:o:"+rs[0].CustomerID {
				t.Fatalf("stored %+v (%v); open button %q", rs, err, open)
			}
		})
	}
}

// Skip at the customer step makes a reminder tied to nobody.
func TestRemindFormSkipsCustomer(t *testing.T) {
	t.Parallel()
	for i, w := range remindLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(621 + i)
			u := a.srv.User(id, "Алия", w.lang)
			u.Send("/remind")
			wait(t, u, w.askText)
			u.Send("Заказать пробники")
			press(t, u, wait(t, u, w.askCustomer), "➡️")
			u.Send(w.when)
			press(t, u, wait(t, u, w.askRepeat), w.noRepeat)
			press(t, u, wait(t, u, w.confirm), w.confirmBtn)
			set := wait(t, u, w.set)
			if strings.Contains(set.Text, "👤") {
				t.Errorf("a customer on a skipped step: %s", set)
			}
			rs, _, _ := a.db.ListReminders(context.Background(), id, store.ReminderFilter{})
			if len(rs) != 1 || rs[0].CustomerID != "" || rs[0].Text != "Заказать пробники" {
				t.Fatalf("stored %+v", rs)
			}
		})
	}
}

// The card's Remind button fills in the customer: the form does not ask
// for her, and the push is linked to her.
func TestRemindFromCardSkipsCustomerStep(t *testing.T) {
	t.Parallel()
	for i, w := range remindLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(631 + i)
			u := a.srv.User(id, "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			press(t, u, card, w.remindBtn)
			wait(t, u, w.askText)
			u.Send("Поздравить с повышением")
			next := u.WaitMessage(t, func(m bottest.Msg) bool {
				return strings.Contains(m.Text, w.askWhen) || strings.Contains(m.Text, w.askCustomer)
			})
			if strings.Contains(next.Text, w.askCustomer) {
				t.Fatalf("asked for the customer again: %s", next)
			}
			u.Send("не знаю когда")
			wait(t, u, w.badWhen)
			u.Send(w.when)
			press(t, u, wait(t, u, w.askRepeat), w.noRepeat)
			sum := wait(t, u, w.confirm)
			contains(t, sum, "Поздравить с повышением", "Айгерим Бекова")
			press(t, u, sum, w.confirmBtn)
			contains(t, wait(t, u, w.set), "👤 Айгерим Бекова")

			a.clock.Add(24 * time.Hour)
			a.tick(t)
			push := pushOf(t, u, "Поздравить с повышением")
			contains(t, push, "Айгерим Бекова", "+7 701 555 00 01")
			button(t, push, w.card)
			button(t, push, w.call)
		})
	}
}
