package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// An order being put together survives a form started over it: when that
// form ends, or is cancelled, the draft comes back with its items and can
// be saved.
func TestOrderDraftSurvivesAnInterruption(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"adding a customer, in Russian", draftSurvivesAddingACustomer},
		{"a note from her card, then a cancelled note, in Kazakh", draftSurvivesANoteInKazakh},
	} {
		t.Run(tc.name, tc.run)
	}
}

// Adding a customer in the middle of an order keeps the order: when the
// add ends, the order comes back with its items and can be saved. The one-
// line add that needed a fix is stored as added on one line.
func draftSurvivesAddingACustomer(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(501, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем TimeWise 2 x 12500")
	wait(t, u, "Итого: 25 000 ₸")
	u.Send("Тушь Lash Love 4 500")
	wait(t, u, "Итого: 29 500 ₸")

	u.Send("/add Гульнара")
	wait(t, u, "Гульнара, а фамилия?")
	u.Send("Ахметова")
	sum := wait(t, u, "Проверьте и подтвердите")
	press(t, u, sum, "Подтвердить")
	back := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Возвращаемся к заказу") })
	contains(t, back, "Айгерим Нурланова", "1. Крем TimeWise — 2 × 12 500 ₸ = 25 000 ₸", "2. Тушь Lash Love — 1 × 4 500 ₸", "Итого: 29 500 ₸")
	if !strings.Contains(plain(u.Messages()[len(u.Messages())-2].Text)+plain(u.Messages()[len(u.Messages())-3].Text), "Клиент добавлен") {
		t.Errorf("the added customer's card is not shown before the order comes back:\n%v", u.Messages())
	}
	press(t, u, back, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "Айгерим Нурланова", "Итого: 29 500 ₸")

	os, _, _ := a.db.ListOrders(context.Background(), 501, store.OrderFilter{})
	if len(os) != 1 || len(os[0].Items) != 2 || os[0].CustomerName != "Айгерим Нурланова" {
		t.Fatalf("stored orders: %+v", os)
	}
	if c := customerNamed(t, a, 501, "Гульнара"); c.Source != crm.SourceLine || c.LastName != "Ахметова" {
		t.Fatalf("the customer added on one line, then fixed: source %q, %+v", c.Source, c)
	}
	u.Send("/cancel")
	wait(t, u, "Отменять нечего")
}

// In Kazakh: a note written from a card mid-order brings the order back;
// a cancelled form over an order brings it back too.
func draftSurvivesANoteInKazakh(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(502, "Әсел", "kk")
	card := newOrderFor(t, u, "Дана Серікова +77012223344", "Клиент", "Жаңа тапсырыс", "үшін жаңа тапсырыс")
	u.Send("Крем 10000")
	wait(t, u, "Барлығы: 10 000 ₸")
	press(t, u, card, "Жазба")
	wait(t, u, "туралы жазба")
	u.Send("Кешке қоңырау шалуды сұрады")
	wait(t, u, "тарихына сақталды")
	back := wait(t, u, "тапсырысына ораламыз")
	contains(t, back, "1. Крем", "Барлығы: 10 000 ₸")

	press(t, u, card, "Жазба")
	note := wait(t, u, "туралы жазба")
	press(t, u, note, "Болдырмау")
	back = wait(t, u, "тапсырысына ораламыз")
	u.Send("Тушь 4000")
	draft := wait(t, u, "Барлығы: 14 000 ₸")
	press(t, u, draft, "Тапсырысты сақтау")
	wait(t, u, "№1 тапсырыс")
	_ = back
}

// Buttons of an older draft, or of another order, are refused: they never
// act on the wrong item nor save an order she is not looking at.
func TestStaleOrderButtonsAreRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(503, "Алия", "ru")
	newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем 10000")
	first := wait(t, u, "Итого: 10 000 ₸")
	oldRemove := button(t, first, "🗑")
	oldSave := button(t, first, "Сохранить заказ")
	u.Send("Тушь 4000")
	draft := wait(t, u, "Итого: 14 000 ₸")
	if got := u.Messages(); !hasNoButtons(got, first.MessageID) {
		t.Errorf("the older draft keeps its buttons")
	}
	// A pressed button edits the draft in place.
	press(t, u, draft, "➕")
	edited := u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == draft.MessageID && strings.Contains(plain(m.Text), "Итого: 24 000 ₸")
	})
	if !edited.Edited() {
		t.Errorf("the draft was not edited in place")
	}
	id := u.Forge(oldRemove)
	if ans := a.srv.WaitCallbackAnswered(t, id); ans.Text != "Этот черновик устарел — пользуйтесь последним" {
		t.Fatalf("a stale 🗑 was answered %q", ans.Text)
	}
	press(t, u, edited, "Отмена")
	wait(t, u, "Заказ отменён")

	// A new order; the previous order's Save is refused.
	u.Send("/order Айгерим")
	wait(t, u, "Новый заказ:")
	u.Send("Помада 3000")
	draft = wait(t, u, "Итого: 3 000 ₸")
	id = u.Forge(oldSave)
	if ans := a.srv.WaitCallbackAnswered(t, id); !strings.Contains(ans.Text, "устарел") {
		t.Fatalf("a stale Save was answered %q", ans.Text)
	}
	if os, _, _ := a.db.ListOrders(context.Background(), 503, store.OrderFilter{}); len(os) != 0 {
		t.Fatalf("a stale Save saved %+v", os)
	}
	press(t, u, draft, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "Помада", "Итого: 3 000 ₸")
}

// How a consultant types a quantity after a catalog product: "тушь 2" is
// two of her mascara at its catalog price, never a mascara for 2 ₸.
func TestOrderLineQuantityFromTheCatalog(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct {
		lang, typed, newOrder, orderFor, total string
	}{
		{"ru", "тушь 2", "Новый заказ", "Новый заказ:", "Итого: 9 000 ₸"},
		{"ru", "Тушь 2 шт", "Новый заказ", "Новый заказ:", "Итого: 9 000 ₸"},
		{"ru", "2 туши", "Новый заказ", "Новый заказ:", "Итого: 9 000 ₸"}, // the genitive finds Тушь by its stem
		{"ru", "2 помады", "Новый заказ", "Новый заказ:", ""},
		{"kk", "тушь x3", "Жаңа тапсырыс", "үшін жаңа тапсырыс", "Барлығы: 13 500 ₸"},
		{"kk", "тушь 2 дана", "Жаңа тапсырыс", "үшін жаңа тапсырыс", "Барлығы: 9 000 ₸"},
	} {
		t.Run(tc.lang+" "+tc.typed, func(t *testing.T) {
			a := newApp(t)
			id := int64(681 + i)
			u := a.srv.User(id, "Алия", tc.lang)
			newMascara(t, a, id)
			card := addCustomers(t, u, followLocales[map[string]int{"ru": 0, "kk": 1}[tc.lang]].added, "Айгерим Бекова +77015550001")
			press(t, u, card, tc.newOrder)
			wait(t, u, tc.orderFor)
			u.Send(tc.typed)
			if tc.total == "" {
				// "2 помады": not in her catalog, even by its stem; she is
				// told so and nothing is priced at 2 ₸.
				reply := wait(t, u, "помады")
				if strings.Contains(reply.Text, "2 ₸") {
					t.Fatalf("a quantity read as a price: %s", reply)
				}
				return
			}
			draft := wait(t, u, tc.total)
			contains(t, draft, "Тушь Lash Love")
			if strings.Contains(draft.Text, "× 2 ₸") || strings.Contains(draft.Text, "× 3 ₸") {
				t.Fatalf("a quantity read as a price: %s", draft)
			}
		})
	}
}
